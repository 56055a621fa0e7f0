"""What a replay knows besides the template: the files copier renders from it for given
answers (worked out as copier works them out), and the note, kept in
:func:`scaffold.templates.cache_dir`, that a replay of this very template under this very
copier has reproduced copier's own render byte for byte.

The note decides what scaffold writes, and whoever can write the cache folder (a CI cache is
restored from a store other jobs wrote) could forge one, so it is a signed entry
(:mod:`scaffold.signed_cache`) signed for that template alone: a note that is not signed with
this machine's key for it is a miss, copier renders, and the replay is checked against it
again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.render import ANSWERS_FILE
from scaffold.templates import TemplateSource, cache_dir

if TYPE_CHECKING:
    from scaffold.render.replay import TemplateFiles


_PURPOSE = "replay/2"
# A version as ``git describe`` prints it; it cannot start with "-", so it is never an option.
_SAFE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+/-]{0,127}")
#: What opens Jinja markup: a string without any renders as itself.
JINJA_MARKS = ("{{", "{%", "{#")
# copier's exclusions for a template without ``_exclude`` or ``_subdirectory`` (its
# ``DEFAULT_EXCLUDE``; repeated here so that a warm run does not import copier).
COPIER_DEFAULT_EXCLUDE = (
    "copier.yaml",
    "copier.yml",
    "~*",
    "*.py[co]",
    "__pycache__",
    ".git",
    ".DS_Store",
    ".svn",
)

#: Each output of a render: its path, the template file it comes from, and whether that
#: file is a Jinja template.
Outputs = dict[str, tuple[str, bool]]


def _entry_path(template: TemplateFiles) -> Path:
    return cache_dir() / "replay" / f"{template.key}.signed"


def checked_note(template: TemplateFiles) -> dict[str, str] | None:
    """The metadata (``_src_path``, ``_commit``) of the signed note that a replay of
    ``template`` has been checked against copier; None without one."""
    from scaffold import signed_cache

    payload = signed_cache.read(_entry_path(template), f"{_PURPOSE}/{template.key}")
    if payload is None:
        return None
    try:
        metadata = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return checked_metadata(metadata, template.source)


def write_note(template: TemplateFiles, metadata: Mapping[str, str]) -> None:
    """Note, signed, that a replay of ``template`` reproduces copier's render; a cache that
    cannot be written is no error."""
    from scaffold import signed_cache

    payload = json.dumps(dict(metadata)).encode()
    signed_cache.write(_entry_path(template), f"{_PURPOSE}/{template.key}", payload)


def checked_metadata(metadata: Any, source: TemplateSource) -> dict[str, str] | None:
    """``metadata`` if it is what copier records for ``source``: its ``_src_path``, and its
    version tag as ``_commit`` when it is given one (a safe name, never an option)."""
    if not isinstance(metadata, dict) or metadata.get("_src_path") != source.recorded_src_path:
        return None
    if set(metadata) - {"_src_path", "_commit"}:
        return None
    commit = metadata.get("_commit")
    if commit != source.recorded_ref:  # copier records the version it was given, and only then
        return None
    if commit is not None and not (isinstance(commit, str) and _SAFE_REF.fullmatch(commit)):
        return None
    return dict(metadata)


def excluded_by_copier(
    config: Mapping[str, Any], exclusions: Sequence[str]
) -> Callable[[str], bool]:
    """Whether copier leaves a rendered path out: the template's rendered ``_exclude``
    (``exclusions``), else copier's default exclusions, matched as copier matches them."""
    if "_exclude" in config:
        patterns: Sequence[str] = exclusions
    elif str(config.get("_subdirectory") or "").strip("/"):
        patterns = ()
    else:
        patterns = COPIER_DEFAULT_EXCLUDE
    if not patterns:  # a template in a subfolder that excludes nothing
        return lambda rel: False
    import unicodedata

    from packaging.version import Version
    from pathspec import PathSpec
    from pathspec import __version__ as pathspec_version

    kind = "gitignore" if Version(pathspec_version) >= Version("1.0.0") else "gitwildmatch"
    spec = PathSpec.from_lines(kind, (unicodedata.normalize("NFD", p) for p in patterns))
    return lambda rel: bool(spec.match_file(rel))


@dataclass(frozen=True, slots=True)
class TemplateNames:
    """The names copier renders from a template's files, read once: each file (below the
    subdirectory, a plain file with a templated sibling left out) with the parts of its
    name and whether it is a Jinja template; the folders; and the parts that hold Jinja."""

    files: tuple[tuple[str, tuple[str, ...], bool], ...]
    folders: tuple[tuple[str, ...], ...]
    templated_parts: tuple[str, ...]
    siblings: frozenset[str]  # the plain names a templated sibling's check looks for

    @classmethod
    def read(cls, template: TemplateFiles, config: Mapping[str, Any]) -> TemplateNames:
        suffix = str(config.get("_templates_suffix", ".jinja"))
        sub = str(config.get("_subdirectory") or "").strip("/")
        prefix = f"{sub}/" if sub else ""
        files = []
        folders: dict[tuple[str, ...], None] = {}
        for name in sorted(template.files):
            if not name.startswith(prefix) or name == prefix:
                continue
            rel = name[len(prefix) :]
            templated = rel.endswith(suffix) if suffix else True
            if suffix and not templated and f"{name}{suffix}" in template.files:
                continue  # copier renders the templated sibling instead
            parts = rel.split("/")
            if suffix and templated:
                parts[-1] = parts[-1][: -len(suffix)]
            files.append((name, tuple(parts), templated))
            folders.update((tuple(parts[:depth]), None) for depth in range(1, len(parts)))
        marked = (part for _, parts, _ in files for part in parts)
        templated_parts = dict.fromkeys(p for p in marked if any(m in p for m in JINJA_MARKS))
        siblings = frozenset(
            name[: -len(suffix)] for name in template.files if suffix and name.endswith(suffix)
        )
        return cls(tuple(files), tuple(folders), tuple(templated_parts), siblings)


def template_outputs(
    names: TemplateNames, rendered_parts: Mapping[str, str], excluded: Callable[[str], bool]
) -> Outputs | None:
    """What copier renders from a template (its ``names``), given how each templated name
    part renders (``rendered_parts``) and what it excludes: walked as copier walks the
    template (below its subdirectory; a ``.jinja`` file over its plain sibling; a path with
    a part that renders empty left out). None for what a replay does not follow: a name
    that renders outside the destination, two files rendered to one path, ``yield`` in a
    name, or a folder copier would leave empty."""
    outputs: Outputs = {}
    for name, parts, templated in names.files:
        path = _rendered_path(parts, rendered_parts)
        if path is None:
            return None
        if not path or excluded(path):
            continue
        if not templated and path in names.siblings:
            continue  # copier's check of a templated sibling, at the template's root
        if path in outputs:
            return None
        outputs[path] = (name, templated)
    made = {rel.rsplit("/", depth)[0] for rel in outputs for depth in range(1, rel.count("/") + 1)}
    for folder in names.folders:
        path = _rendered_path(folder, rendered_parts)
        if path is None:
            return None
        if path and path not in made and not excluded(path):
            return None  # copier makes the folder, which stays empty
    return outputs


def _rendered_path(parts: Sequence[str], rendered_parts: Mapping[str, str]) -> str | None:
    """The path copier renders from a name's ``parts``: "" when a part renders empty (copier
    leaves it out), None when it is not a plain path below the destination. A part may
    render to several folders (``com/example``), as copier joins the parts as paths."""
    rendered: list[str] = []
    for part in parts:
        text = rendered_parts.get(part, part)
        if ("yield" in part and part in rendered_parts) or "\\" in text or "\0" in text:
            return None
        if not text:
            return ""
        if text == ANSWERS_FILE:
            # copier takes a part that renders to the answers file's name as that file
            return ANSWERS_FILE if not rendered else None
        segments = [segment for segment in text.split("/") if segment not in ("", ".")]
        if text.startswith("/") or ".." in segments or not segments:
            return None
        rendered.extend(segments)
    return "/".join(rendered)
