"""The one module that calls copier: render a template into a scratch folder.

Nothing here touches the user's destination. :func:`render_template` yields the
rendered tree read back into memory; the scratch folder is gone when the ``with``
block ends, whatever happens inside it. :func:`render_many` renders one template for
many answer sets (``scaffold adopt`` over a monorepo) at in-process speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from scaffold.errors import (
    ApplyError,
    InvalidAnswerError,
    TemplateError,
    UsageError,
    first_line,
    shortened,
)
from scaffold.templates import (
    TemplateSource,
    cache_dir,
    jinja_environment,
    question_entries,
    question_type,
)

ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True, slots=True)
class RenderedFile:
    content: bytes
    mode: int


@dataclass(frozen=True, slots=True)
class RenderedTree:
    """A rendered template: every file by relative path, and the answers copier recorded."""

    root: Path
    files: Mapping[PurePosixPath, RenderedFile]
    answers: Mapping[str, Any]


def _read_tree(root: Path) -> dict[PurePosixPath, RenderedFile]:
    files: dict[PurePosixPath, RenderedFile] = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                raise TemplateError(f"the template rendered a non-regular file: {name}")
            rel = PurePosixPath(path.relative_to(root).as_posix())
            files[rel] = RenderedFile(path.read_bytes(), stat.S_IMODE(info.st_mode))
    return dict(sorted(files.items()))


def _read_answers(root: Path, *, internal: bool = False) -> dict[str, Any]:
    """The answers copier recorded; with ``internal``, also its ``_src_path`` and ``_commit``."""
    from scaffold.templates import load_yaml

    path = root / ANSWERS_FILE
    if not path.is_file():
        return {}
    loaded = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {k: v for k, v in loaded.items() if internal or not k.startswith("_")}


@contextlib.contextmanager
def _copier_errors(name: str) -> Iterator[None]:
    """copier's failures as scaffold errors."""
    from copier.errors import (
        CopierAnswersInterrupt,
        CopierError,
        InteractiveSessionError,
    )

    try:
        yield
    except CopierAnswersInterrupt:
        raise KeyboardInterrupt from None
    except InteractiveSessionError:
        raise UsageError(
            "no terminal to ask the template's questions on: pass --defaults and --data KEY=VALUE"
        ) from None
    except ValueError as error:
        message = str(error)
        if "Validation error for question" in message or "is required" in message:
            raise InvalidAnswerError(shortened(message.splitlines()[0], 200)) from None
        raise TemplateError(f"rendering {name} failed: {message}") from error
    except (CopierError, OSError) as error:
        raise TemplateError(f"rendering {name} failed: {first_line(error)}") from error


@contextlib.contextmanager
def render_template(
    source: TemplateSource,
    data: Mapping[str, Any],
    *,
    defaults: bool = True,
    user_defaults: Mapping[str, Any] | None = None,
    scratch_parent: Path | None = None,
) -> Iterator[RenderedTree]:
    """Render the template at ``source`` with ``data`` into a scratch folder; yield the result.

    ``defaults`` answers every question not in ``data`` with its default; without it
    copier asks on the terminal. ``scratch_parent`` puts the scratch folder on the
    destination's filesystem, so that the rendered tree can be moved into place whole
    (see :func:`scaffold.apply.apply_plan`); by default it goes to the system's
    temporary folder.
    """
    import copier

    from scaffold.interrupts import scratch_folder, temporary_files_in
    from scaffold.repo.git import hardened_git

    with contextlib.ExitStack() as stack:
        try:
            scratch = stack.enter_context(scratch_folder(".scaffold-render-", scratch_parent))
        except OSError as error:
            where = scratch_parent or tempfile.gettempdir()
            raise ApplyError(f"cannot write in {where}: {error.strerror or error}") from None
        out = Path(scratch, "out")
        # copier runs git in the template's repository (the history store under the home
        # folder, which a restored cache may have brought): its own config runs nothing.
        # Its clone of the template lives in the scratch folder, which takes it along.
        with (
            _copier_errors(Path(source.src_path).name),
            hardened_git(),
            temporary_files_in(scratch / "tmp"),
        ):
            copier.run_copy(
                source.src_path,
                out,
                vcs_ref=source.vcs_ref,
                data=dict(data),
                defaults=defaults,
                user_defaults=dict(user_defaults or {}),
                quiet=True,
                unsafe=False,
                cleanup_on_error=True,
            )
        yield RenderedTree(root=out, files=_read_tree(out), answers=_read_answers(out))


# --- many answer sets ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenderedFiles:
    """A rendered template held in memory: every file by relative path, and the answers
    copier records for it."""

    files: Mapping[PurePosixPath, RenderedFile]
    answers: Mapping[str, Any]
    replayed: bool = False  # rendered by the in-process replay, not by copier itself


def render_many(
    source: TemplateSource, answer_sets: Sequence[Mapping[str, Any]]
) -> list[RenderedFiles]:
    """Render the template at ``source`` once for each answer set (defaults for the rest),
    as :func:`render_template` would; the results come in the same order.

    This is what makes adopting a monorepo of hundreds of projects fast: the sets are
    replayed in this process (see :class:`_Replay`) rather than each given to copier.
    A replay is trusted only once it has reproduced, byte for byte, copier's own render
    of the first set; that check is remembered in :func:`cache_dir` for this template and
    this copier, so later runs need no copier at all. Any set the replay cannot follow
    is rendered by copier.
    """
    if not answer_sets:
        return []
    template = _TemplateFiles.read(source)
    replay = _Replay.cached(template)
    results: list[RenderedFiles] = []
    if replay is None:
        first = dict(answer_sets[0])
        with render_template(source, first) as rendered:
            reference = RenderedFiles(rendered.files, rendered.answers)
            recorded = _read_answers(rendered.root, internal=True)
        replay = _Replay.learn(template, reference, recorded, first)
        results.append(reference)
    for data in answer_sets[len(results) :]:
        replayed = replay.render(data) if replay is not None else None
        if replayed is None:
            with render_template(source, data) as rendered:
                replayed = RenderedFiles(rendered.files, rendered.answers)
        results.append(replayed)
    return results


@dataclass(frozen=True, slots=True)
class _TemplateFiles:
    """Every file of a template as copier reads it (its folder, or its repository at the
    version tag), held in memory, with the key that names this exact template, and the
    permission bits copier gives what it renders from each file."""

    source: TemplateSource
    files: Mapping[str, bytes]
    key: str
    modes: Mapping[str, int]

    @classmethod
    def read(cls, source: TemplateSource) -> _TemplateFiles:
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
        from importlib.metadata import version

        digest = hashlib.sha256()
        for part in (version("copier"), source.src_path, source.vcs_ref or ""):
            digest.update(part.encode() + b"\0")
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        return cls(source, files, digest.hexdigest(), modes)


_PLAIN_TYPES = frozenset({"str", "int", "float", "bool"})
_JINJA_MARKS = ("{{", "{%", "{#")
_YES = frozenset({"y", "yes", "t", "true", "on"})
_NO = frozenset({"n", "no", "f", "false", "off", "~", "null", "none"})


def as_bool(value: Any) -> bool:
    """A value read as copier reads a ``bool`` answer or a ``when``: numbers by their
    value, YAML's words for true and false and null, else Python's truth."""
    with contextlib.suppress(TypeError, ValueError):
        return bool(float(value))
    try:
        word = value.strip().lower()
    except AttributeError:
        return bool(value)
    if not word or word in _NO:
        return False
    return True if word in _YES else bool(value)


def _to_nice_yaml(value: Any, indent: int = 4, *args: Any, **options: Any) -> str:
    """The ``to_nice_yaml`` filter of copier's environment, with libyaml's emitter when it
    is there (the answers file of every project goes through it)."""
    import yaml

    dumper = getattr(yaml, "CDumper", yaml.Dumper)
    options = {"indent": indent, "allow_unicode": True, "default_flow_style": False} | options
    return str(yaml.dump(value, Dumper=dumper, **options))


def as_str(value: Any) -> str:
    """A value read as copier reads a ``str`` answer: text, numbers and bytes only."""
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode()
    raise ValueError(f"cannot read {value!r} as text")


# How copier reads an answer of each plain question type.
_CASTS: dict[str, Callable[[Any], Any]] = {
    "bool": as_bool,
    "str": as_str,
    "int": int,
    "float": float,
}


class _Replay:
    """Renders a template again, for other answers, the way copier rendered it once.

    It follows copier's non-interactive questionnaire: in question order, ``when`` is
    rendered, a given answer is cast to its question's type and validated, and a missing
    one is the rendered default; hidden and secret questions stay out of the answers file. Then it
    renders the files of the first render in a Jinja environment set up as copier sets
    up its own. It gives up (returns None) on what it does not follow: answers that change
    the exclusions, question types beyond plain values, files whose names are templated,
    Jinja extensions of the template's own.
    """

    def __init__(
        self,
        config: Mapping[str, Any],
        template: _TemplateFiles,
        outputs: Mapping[str, tuple[str, bool, int]],
        metadata: Mapping[str, Any],
        exclusions: tuple[str, ...] | None,
    ) -> None:
        from jinja2 import DictLoader

        self._template = template
        self._questions = question_entries(config)
        self._types = {name: question_type(q) for name, q in self._questions.items()}
        self._secret = frozenset(config.get("_secret_questions") or ()) | {
            name for name, details in self._questions.items() if details.get("secret")
        }
        patterns = config.get("_exclude") or ()
        self._exclusion_sources = (patterns,) if isinstance(patterns, str) else tuple(patterns)
        self._outputs = outputs  # rendered path: (template file, is it a Jinja template, mode)
        self._metadata = dict(metadata)  # _src_path and _commit, as copier recorded them
        self._exclusions = exclusions  # as rendered for the answers copier checked
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

    # -- building one --

    @classmethod
    def build(cls, *args: Any) -> _Replay | None:
        """A replay, or None when the template's Jinja options are not ones it can take."""
        try:
            return cls(*args)
        except (TypeError, ValueError, ImportError):
            return None

    @staticmethod
    def _config(template: _TemplateFiles) -> dict[str, Any] | None:
        """The template's ``copier.yml``, if the replay can follow it."""
        from scaffold.templates import COPIER_FILE, load_yaml

        try:
            config = load_yaml(template.files[COPIER_FILE].decode("utf-8"))
        except (KeyError, UnicodeDecodeError, ValueError):
            return None
        if not isinstance(config, dict) or config.get("_jinja_extensions"):
            return None
        if config.get("_answers_file", ANSWERS_FILE) != ANSWERS_FILE:
            return None
        if "{" in str(config.get("_subdirectory") or ""):
            return None
        for details in question_entries(config).values():
            if question_type(details) not in _PLAIN_TYPES or details.get("multiselect"):
                return None
        return config

    @classmethod
    def learn(
        cls,
        template: _TemplateFiles,
        reference: RenderedFiles,
        recorded: Mapping[str, Any],
        data: Mapping[str, Any],
    ) -> _Replay | None:
        """A replay of ``template`` that reproduces ``reference``, copier's render of
        ``data`` (recording ``recorded``); None if there is none. It is remembered."""
        config = cls._config(template)
        if config is None:
            return None
        outputs: dict[str, tuple[str, bool, int]] = {}
        for rel, rendered in reference.files.items():
            spec = _source_of(template, config, rel.as_posix())
            if spec is None:
                return None
            outputs[rel.as_posix()] = (*spec, rendered.mode)
        metadata = {k: v for k, v in recorded.items() if k in ("_commit", "_src_path")}
        replay = cls.build(config, template, outputs, metadata, None)
        if replay is None:
            return None
        check = replay.render(data)
        if check is None or (check.files, check.answers) != (reference.files, reference.answers):
            return None
        replay._remember(config)
        return replay

    @classmethod
    def cached(cls, template: _TemplateFiles) -> _Replay | None:
        """The replay learnt earlier for this very template and copier, if any."""
        config = cls._config(template)
        if config is None:
            return None
        entry = _checked_entry(_read_entry(template.key), template, config)
        if entry is None:
            return None
        return cls.build(config, template, *entry)

    def _remember(self, config: Mapping[str, Any]) -> None:
        """Record this replay for later runs; a cache that cannot be written is no error.
        An entry that a later run would refuse (see :func:`_checked_entry`) is not written."""
        entry = {
            "metadata": self._metadata,
            "outputs": [[rel, *spec] for rel, spec in self._outputs.items()],
            "exclusions": list(self._exclusions or ()),
        }
        if _checked_entry(entry, self._template, config) is None:
            return
        folder = cache_dir() / "replay"
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", dir=folder, prefix=".tmp-", suffix=".json", delete=False
            ) as handle:
                json.dump(entry, handle)
            os.replace(handle.name, folder / f"{self._template.key}.json")

    # -- rendering --

    def _string(self, source: str, context: Mapping[str, Any]) -> str:
        """``source`` rendered as a Jinja template; each source is compiled once."""
        if self._plain_strings:  # the default environment: share its compiled strings
            if not any(mark in source for mark in _JINJA_MARKS):
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

    def _cast(self, name: str, value: Any) -> Any:
        details = self._questions[name]
        if value is None:
            raise ValueError(f"{name} has no value")
        cast = _CASTS[self._types[name]]
        answer = cast(value)
        choices = details.get("choices")
        if choices:
            values = choices.values() if isinstance(choices, dict) else choices
            allowed = [c[1] if isinstance(c, list) and len(c) == 2 else c for c in values]
            if answer not in [cast(c) for c in allowed]:
                raise ValueError(f"{name}: {answer!r} is not one of the choices")
        return answer

    def _answers(self, data: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
        answers: dict[str, Any] = {}
        hidden: set[str] = set()
        for name, details in self._questions.items():
            # copier's context: the answers so far, over the given data, over its metadata
            context = {**self._metadata, **data, **answers}
            if not as_bool(self._value(details.get("when", True), context)):
                hidden.add(name)
            if name in data:
                answer = self._cast(name, data[name])
                if validator := details.get("validator"):
                    message = self._string(str(validator), {**context, name: answer}).strip()
                    if message:
                        first = shortened(message.splitlines()[0], 200)
                        raise InvalidAnswerError(f"Validation error for question '{name}': {first}")
                answers[name] = answer
            elif "default" in details:
                answers[name] = self._cast(name, self._value(details["default"], context))
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
            if self._exclusions is None:
                self._exclusions = exclusions
            elif exclusions != self._exclusions:
                return None  # other files would be rendered
            files: dict[PurePosixPath, RenderedFile] = {}
            for rel, (name, templated, mode) in self._outputs.items():
                if templated:
                    content = self._env.get_template(name).render(context).encode()
                else:
                    content = self._template.files[name]
                files[PurePosixPath(rel)] = RenderedFile(content, mode)
        except InvalidAnswerError:
            raise  # copier refuses the answer too, with these words
        except Exception:  # whatever the replay cannot follow, copier renders
            return None
        return RenderedFiles(files, remembered, replayed=True)


# --- the replay's cache entries ---------------------------------------------------------
#
# An entry is data that whoever can write the cache folder chooses (a CI cache is restored
# from a store other jobs wrote), so it is read bounded and taken only if it says exactly
# what the template implies: each output is a safe relative path rendered from the very
# template file copier would render it from, with plain permission bits, and the metadata
# is the source's own. Anything else is a miss: copier renders, and the replay is learnt
# again.

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


def _read_entry(key: str) -> Any:
    """The JSON of the replay entry named ``key``, or None when there is none that reads."""
    try:
        with (cache_dir() / "replay" / f"{key}.json").open("rb") as handle:
            data = handle.read(_MAX_ENTRY_BYTES + 1)
        if len(data) > _MAX_ENTRY_BYTES:
            return None
        return json.loads(data)
    except (OSError, ValueError, RecursionError):
        return None


def _source_of(
    template: _TemplateFiles, config: Mapping[str, Any], rel: str
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
    import unicodedata

    from packaging.version import Version
    from pathspec import PathSpec
    from pathspec import __version__ as pathspec_version

    if "_exclude" in config:
        patterns: Sequence[str] = exclusions
    elif str(config.get("_subdirectory") or "").strip("/"):
        patterns = ()
    else:
        patterns = COPIER_DEFAULT_EXCLUDE
    kind = "gitignore" if Version(pathspec_version) >= Version("1.0.0") else "gitwildmatch"
    spec = PathSpec.from_lines(kind, (unicodedata.normalize("NFD", p) for p in patterns))
    return lambda rel: bool(spec.match_file(rel))


def _checked_entry(
    entry: Any, template: _TemplateFiles, config: Mapping[str, Any]
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
        if _source_of(template, config, rel) != (name, templated) or excluded(rel):
            return None
        outputs[rel] = (name, templated, mode)
    if set(outputs) - {ANSWERS_FILE} != _plainly_named_outputs(template, config, excluded):
        return None  # a file left out, or one copier renders from a templated name
    return outputs, metadata, exclusions


def _plainly_named_outputs(
    template: _TemplateFiles, config: Mapping[str, Any], excluded: Callable[[str], bool]
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
    if not isinstance(metadata, dict) or metadata.get("_src_path") != source.src_path:
        return None
    if set(metadata) - {"_src_path", "_commit"}:
        return None
    commit = metadata.get("_commit")
    if commit != source.vcs_ref:  # copier records the version it was given, and only then
        return None
    if commit is not None and not (isinstance(commit, str) and _SAFE_REF.fullmatch(commit)):
        return None
    return dict(metadata)
