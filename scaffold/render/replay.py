"""The in-process replay of a copier template: the same render, for many answer sets, at
in-process speed. A replay is trusted only once it has reproduced copier's own render byte
for byte (a signed note of that check is kept by :mod:`scaffold.render.cache`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from scaffold.errors import (
    InvalidAnswerError,
    TemplateError,
    first_line,
    shortened,
)
from scaffold.questions import COPIER_CASTS, read_questions
from scaffold.questions import as_bool as as_bool  # how copier reads a bool or a ``when``
from scaffold.questions import as_str as as_str
from scaffold.render import ANSWERS_FILE, RenderedFile, RenderedFiles
from scaffold.render.cache import (
    JINJA_MARKS,
    Outputs,
    TemplateNames,
    checked_metadata,
    checked_note,
    excluded_by_copier,
    template_outputs,
    write_note,
)
from scaffold.templates import TemplateSource, jinja_environment


@dataclass(frozen=True, slots=True)
class TemplateFiles:
    """Every file of a template as copier reads it (its folder, or its repository at the
    version tag), held in memory, with the key that names this exact template, and the
    permission bits copier gives what it renders from each file."""

    source: TemplateSource
    files: Mapping[str, bytes]
    key: str
    modes: Mapping[str, int]

    @classmethod
    def read(cls, source: TemplateSource) -> TemplateFiles:
        import hashlib

        files: dict[str, bytes] = {}
        modes: dict[str, int] = {}
        if source.vcs_ref is None:
            root = Path(source.src_path).expanduser()
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if d != ".git"]
                for name in filenames:
                    path = Path(dirpath, name)
                    if path.is_file():
                        rel = path.relative_to(root).as_posix()
                        files[rel] = path.read_bytes()
                        modes[rel] = stat.S_IMODE(path.stat().st_mode)  # copier copies it
        else:
            from git import Blob, Repo
            from git.exc import GitError, ODBError

            from scaffold.repo.git import hardened_git

            try:
                with hardened_git():
                    tree = Repo(Path(source.src_path).expanduser()).commit(source.vcs_ref).tree
                    # copier checks the tag out: what git writes, and the tag's execute bits
                    umask = os.umask(0o022)
                    os.umask(umask)
                    for item in tree.traverse():
                        if isinstance(item, Blob):
                            files[str(item.path)] = item.data_stream.read()
                            modes[str(item.path)] = (0o666 & ~umask) | (item.mode & 0o111)
            except (GitError, ODBError, ValueError, OSError) as error:
                raise TemplateError(
                    f"cannot read {source.src_path} at {source.vcs_ref}: {first_line(error)}"
                ) from None
        digest = hashlib.sha256()
        recorded = (source.recorded_src_path, source.recorded_ref or "")
        for part in (_copier_code(), source.src_path, source.vcs_ref or "", *recorded):
            digest.update(part.encode() + b"\0")
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        return cls(source, files, digest.hexdigest(), modes)


@functools.cache
def _copier_code() -> str:
    """A digest of the copier that renders here, read from its modules: a replay is
    checked against one copier's behaviour, which a new version (or a patched one) may
    change. Cheaper than asking the package metadata for its version."""
    import hashlib
    import importlib.util

    spec = importlib.util.find_spec("copier")
    if spec is None or spec.origin is None:
        return "copier: not installed"
    package = Path(spec.origin).parent
    digest = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(module.read_bytes()).digest())
    return digest.hexdigest()


def _to_nice_yaml(value: Any, indent: int = 4, *args: Any, **options: Any) -> str:
    """The ``to_nice_yaml`` filter of copier's environment, with libyaml's emitter when it
    is there (the answers file of every project goes through it)."""
    import yaml

    dumper = getattr(yaml, "CDumper", yaml.Dumper)
    options = {"indent": indent, "allow_unicode": True, "default_flow_style": False} | options
    return str(yaml.dump(value, Dumper=dumper, **options))


class Replay:
    """Renders a template again, for other answers, the way copier rendered it once.

    It follows copier's non-interactive questionnaire: in question order, ``when`` is
    rendered, a given answer is cast to its question's type and validated, and a missing
    one is the rendered default; hidden and secret questions stay out of the answers file.
    Then it renders the exclusions and the templated parts of the file names, works out the
    files copier renders (see :func:`scaffold.render.cache.template_outputs`) and renders
    them in a Jinja environment set up as copier sets up its own. It gives up (returns
    None) on what it does not follow: question types beyond plain values, Jinja extensions
    of the template's own, names it cannot render as copier does.
    """

    def __init__(
        self, config: Mapping[str, Any], template: TemplateFiles, metadata: Mapping[str, Any]
    ) -> None:
        from jinja2 import DictLoader

        self._template = template
        self._settings = config
        self._questions = read_questions(config)
        self._secret = frozenset(config.get("_secret_questions") or ()) | {
            name for name, question in self._questions.items() if question.secret
        }
        patterns = config.get("_exclude") or ()
        self._exclusion_sources = (patterns,) if isinstance(patterns, str) else tuple(patterns)
        self._names = TemplateNames.read(template, config)
        self._excluded: dict[tuple[str, ...], Callable[[str], bool]] = {}
        self._metadata = dict(metadata)  # _src_path and _commit, as copier records them
        texts = {}
        for name, data in template.files.items():
            with contextlib.suppress(UnicodeDecodeError):
                texts[name] = data.decode("utf-8")
        # Without options of the template's own, strings are those of copier's defaults.
        self._plain_strings = not config.get("_envops")
        self._env = jinja_environment(DictLoader(texts), **(config.get("_envops") or {}))
        self._env.filters["to_nice_yaml"] = _to_nice_yaml
        self._conf = {"answers_file": PurePath(ANSWERS_FILE), "sep": os.sep}
        self._compiled: dict[str, Any] = {}
        # The files rendered, by exclusions and rendered name parts.
        self._outputs: dict[tuple[tuple[str, ...], tuple[str, ...]], Outputs | None] = {}

    # -- building one --

    @classmethod
    def build(cls, *args: Any) -> Replay | None:
        """A replay, or None when the template's Jinja options are not ones it can take."""
        try:
            return cls(*args)
        except (TypeError, ValueError, ImportError):
            return None

    @staticmethod
    def _config(template: TemplateFiles) -> dict[str, Any] | None:
        """The template's ``copier.yml``, if the replay can follow it."""
        from scaffold.catalog import shared_yaml
        from scaffold.templates import COPIER_FILE

        try:
            config = shared_yaml(template.files[COPIER_FILE].decode("utf-8"))
        except (KeyError, UnicodeDecodeError, ValueError):
            return None
        if not isinstance(config, dict) or config.get("_jinja_extensions"):
            return None
        if config.get("_answers_file", ANSWERS_FILE) != ANSWERS_FILE:
            return None
        if "{" in str(config.get("_subdirectory") or ""):
            return None
        for question in read_questions(config).values():
            if question.type not in COPIER_CASTS or question.multiselect:
                return None
        return config

    @classmethod
    def learn(
        cls,
        template: TemplateFiles,
        reference: RenderedFiles,
        recorded: Mapping[str, Any],
        data: Mapping[str, Any],
    ) -> Replay | None:
        """A replay of ``template`` that reproduces ``reference``, copier's render of
        ``data`` (recording ``recorded``); None if there is none. It is remembered."""
        config = cls._config(template)
        metadata = {k: v for k, v in recorded.items() if k in ("_commit", "_src_path")}
        if config is None or checked_metadata(metadata, template.source) is None:
            return None
        replay = cls.build(config, template, metadata)
        if replay is None:
            return None
        check = replay.render(data)
        if check is None or (check.files, check.answers) != (reference.files, reference.answers):
            return None
        write_note(template, metadata)
        return replay

    @classmethod
    def cached(cls, template: TemplateFiles) -> Replay | None:
        """The replay checked earlier for this very template and copier, if any."""
        config = cls._config(template)
        metadata = checked_note(template) if config is not None else None
        if config is None or metadata is None:
            return None
        return cls.build(config, template, metadata)

    # -- rendering --

    def _string(self, source: str, context: Mapping[str, Any]) -> str:
        """``source`` rendered as a Jinja template; each source is compiled once."""
        if self._plain_strings:  # the default environment: share its compiled strings
            if not any(mark in source for mark in JINJA_MARKS):
                return source  # no markup: Jinja would give it back as it is
            from scaffold.templates import render_string

            return render_string(source, context)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._env.from_string(source)
            self._compiled[source] = compiled
        return str(compiled.render(context))

    def _value(self, value: Any, context: Mapping[str, Any]) -> Any:
        if isinstance(value, str):
            return self._string(value, context)
        if isinstance(value, list):
            return [self._value(item, context) for item in value]
        return value

    def _answers(self, data: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
        answers: dict[str, Any] = {}
        hidden: set[str] = set()
        for name, question in self._questions.items():
            # copier's context: the answers so far, over the given data, over its metadata
            context = {**self._metadata, **data, **answers}
            if not as_bool(self._value(question.when, context)):
                hidden.add(name)
            if name in data:
                answer = question.cast(data[name])
                if message := question.refusal({**context, name: answer}, self._string):
                    first = shortened(message.splitlines()[0], 200)
                    raise InvalidAnswerError(f"Validation error for question '{name}': {first}")
                answers[name] = answer
            elif question.has_default:
                answers[name] = question.cast(self._value(question.default, context))
            elif name not in hidden:
                raise ValueError(f"{name} is required")
        return answers, hidden

    def render(self, data: Mapping[str, Any]) -> RenderedFiles | None:
        """The files and recorded answers copier would render for ``data``, or None if
        this replay cannot say."""
        try:
            answers, hidden = self._answers(data)
            remembered = {
                name: value
                for name, value in answers.items()
                if name not in hidden and name not in self._secret
            }
            context = {
                **self._metadata,
                **data,
                **answers,
                "_copier_answers": {**self._metadata, **remembered},
                "_copier_conf": self._conf,
                "_copier_python": sys.executable,
                "_copier_phase": "render",
            }
            exclusions = tuple(
                line
                for pattern in self._exclusion_sources
                for line in re.split(
                    r"\r\n|\r|\n", self._string(pattern, {**context, "_copier_operation": "copy"})
                )
            )
            parts = self._names.templated_parts
            names = tuple(self._string(part, context) for part in parts)
            key = (exclusions, names)
            if key in self._outputs:
                outputs = self._outputs[key]
            else:
                if exclusions not in self._excluded:
                    self._excluded[exclusions] = excluded_by_copier(self._settings, exclusions)
                outputs = self._outputs[key] = template_outputs(
                    self._names,
                    dict(zip(parts, names, strict=True)),
                    self._excluded[exclusions],
                )
            if outputs is None:
                return None  # files copier renders in a way the replay does not follow
            files: dict[PurePosixPath, RenderedFile] = {}
            for rel, (name, templated) in outputs.items():
                if templated:
                    content = self._env.get_template(name).render(context).encode()
                else:
                    content = self._template.files[name]
                files[PurePosixPath(rel)] = RenderedFile(content, self._template.modes[name])
        except InvalidAnswerError:
            raise  # copier refuses the answer too, with these words
        except Exception:  # whatever the replay cannot follow, copier renders
            return None
        return RenderedFiles(files, remembered, replayed=True)
