"""The replay cache: what a replay learnt from copier's own render of a template, kept in
:func:`scaffold.templates.cache_dir` as data (never code) and checked whole before use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from scaffold.render import ANSWERS_FILE
from scaffold.templates import (
    TemplateSource,
    cache_dir,
)

if TYPE_CHECKING:
    from scaffold.render.replay import TemplateFiles


_MAX_ENTRY_BYTES = 256 * 1024
_ENTRY_KEYS = frozenset({"metadata", "outputs", "exclusions"})
# A version as ``git describe`` prints it; it cannot start with "-", so it is never an option.
_SAFE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+/-]{0,127}")
_PLAIN_MODE_BITS = 0o777
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


def read_entry(key: str) -> Any:
    """The JSON of the replay entry named ``key``, or None when there is none that reads."""
    try:
        with (cache_dir() / "replay" / f"{key}.json").open("rb") as handle:
            data = handle.read(_MAX_ENTRY_BYTES + 1)
        if len(data) > _MAX_ENTRY_BYTES:
            return None
        return json.loads(data)
    except (OSError, ValueError, RecursionError):
        return None


def source_of(
    template: TemplateFiles, config: Mapping[str, Any], rel: str
) -> tuple[str, bool] | None:
    """The template file copier renders ``rel`` from, and whether it is a Jinja template;
    None when no file of the template gives ``rel`` by name."""
    suffix = str(config.get("_templates_suffix", ".jinja"))
    sub = str(config.get("_subdirectory") or "").strip("/")
    prefix = f"{sub}/" if sub else ""
    if rel == ANSWERS_FILE:
        candidates = [
            name
            for name in template.files
            if name.startswith(prefix)
            and "/" not in name[len(prefix) :]
            and "_copier_conf.answers_file" in name
        ]
    else:
        # copier renders the templated sibling when there is one
        candidates = [f"{prefix}{rel}{suffix}"] if suffix else []
        candidates.append(f"{prefix}{rel}")
    found = next((name for name in candidates if name in template.files), None)
    if found is None:
        return None
    return found, bool(suffix) and found.endswith(suffix)


def _is_safe_relative(rel: str) -> bool:
    """``rel`` is a plain POSIX path below the destination: no absolute or empty parts,
    no ``.`` or ``..``, no backslash or NUL."""
    if not rel or "\\" in rel or "\0" in rel:
        return False
    parts = rel.split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _excluded_by_copier(
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


def checked_entry(
    entry: Any, template: TemplateFiles, config: Mapping[str, Any]
) -> tuple[dict[str, tuple[str, bool, int]], dict[str, str], tuple[str, ...]] | None:
    """The outputs, metadata and exclusions of a replay entry, if it says exactly what
    ``template`` implies; None otherwise."""
    if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
        return None
    raw_outputs, raw_metadata, raw_exclusions = (
        entry["outputs"],
        entry["metadata"],
        entry["exclusions"],
    )
    if not isinstance(raw_exclusions, list) or not all(
        isinstance(line, str) for line in raw_exclusions
    ):
        return None
    exclusions = tuple(raw_exclusions)
    metadata = _checked_metadata(raw_metadata, template.source)
    if metadata is None or not isinstance(raw_outputs, list) or not raw_outputs:
        return None
    excluded = _excluded_by_copier(config, exclusions)
    outputs: dict[str, tuple[str, bool, int]] = {}
    for item in raw_outputs:
        if not isinstance(item, list) or len(item) != 4:
            return None
        rel, name, templated, mode = item
        if not isinstance(rel, str) or not _is_safe_relative(rel) or rel in outputs:
            return None
        if type(mode) is not int or not 0 <= mode <= _PLAIN_MODE_BITS:
            return None
        if mode != template.modes.get(name):  # copier gives the template file's own mode
            return None
        if not isinstance(templated, bool):
            return None
        if source_of(template, config, rel) != (name, templated) or excluded(rel):
            return None
        outputs[rel] = (name, templated, mode)
    if set(outputs) - {ANSWERS_FILE} != _plainly_named_outputs(template, config, excluded):
        return None  # a file left out, or one copier renders from a templated name
    return outputs, metadata, exclusions


def _plainly_named_outputs(
    template: TemplateFiles, config: Mapping[str, Any], excluded: Callable[[str], bool]
) -> set[str]:
    """What copier renders from the template's files whose names hold no Jinja: each one
    below the subdirectory, its suffix dropped, less what copier excludes."""
    suffix = str(config.get("_templates_suffix", ".jinja"))
    sub = str(config.get("_subdirectory") or "").strip("/")
    prefix = f"{sub}/" if sub else ""
    rendered = set()
    for name in template.files:
        rel = name[len(prefix) :] if name.startswith(prefix) else None
        if rel is None or "{" in rel:
            continue
        if suffix and rel.endswith(suffix):
            rel = rel[: -len(suffix)]
        if not excluded(rel):
            rendered.add(rel)
    return rendered


def _checked_metadata(metadata: Any, source: TemplateSource) -> dict[str, str] | None:
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
