"""The bundled copier templates: where they are, their questions, and answer checking.

Only ``copier.yml`` is read here (as YAML); copier itself is imported by
:mod:`scaffold.render` alone. Answers are checked before anything is rendered by
evaluating each question's own copier ``validator`` and ``choices``, so the rules live
once, in the template, and hold for plain ``copier copy`` too.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.errors import (
    InvalidAnswerError,
    TemplateError,
    UnknownStackError,
    shown,
)
from scaffold.jinja_strings import compiled_jinja as compiled_jinja
from scaffold.jinja_strings import jinja_environment as jinja_environment
from scaffold.jinja_strings import render_string as render_string
from scaffold.model import Stack

if TYPE_CHECKING:
    from scaffold.questions import Question as Question

from scaffold.catalog import COPIER_FILE as COPIER_FILE
from scaffold.catalog import _template_config
from scaffold.catalog import cache_dir as cache_dir
from scaffold.catalog import load_yaml as load_yaml
from scaffold.catalog import stack_labels as stack_labels
from scaffold.catalog import template_metadata as template_metadata
from scaffold.catalog import templates_root as templates_root


def __getattr__(name: str) -> Any:
    """``Question``, imported on first use: reading a template's metadata (detection does,
    to map stacks) needs no question model."""
    if name == "Question":
        from scaffold.questions import Question

        return Question
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """A template's ``copier.yml``: its questions and scaffold's metadata block."""

    path: Path
    questions: Mapping[str, Question]
    metadata: Mapping[str, Any]

    def next_steps(self, answers: Mapping[str, Any]) -> tuple[str, ...]:
        steps = self.metadata.get("next_steps") or ()
        return tuple(compiled_jinja(str(step)).render(**answers) for step in steps)


@functools.cache
def load_template(path: Path) -> TemplateSpec:
    from scaffold.questions import read_questions

    config = _template_config(path)
    metadata = config.get("_scaffold") or {}
    return TemplateSpec(path=path, questions=read_questions(config), metadata=metadata)


def stack_ids() -> tuple[str, ...]:
    """The id of every stack (bundled, or brought by a registered ecosystem), sorted,
    without reading their templates."""
    from scaffold.ecosystems import template_folders

    return tuple(template_folders())


def list_stacks() -> tuple[Stack, ...]:
    """Every stack, sorted by id."""
    from scaffold.ecosystems import template_folders

    return tuple(_stack_from(folder) for folder in template_folders().values())


def _stack_from(folder: Path) -> Stack:
    meta = load_template(folder).metadata
    return Stack(
        id=folder.name,
        summary=str(meta.get("summary", "")),
        template=folder,
        language=str(meta.get("language", "")),
        framework=meta.get("framework"),
    )


def get_stack(stack_id: str) -> Stack:
    from scaffold.ecosystems import template_folders

    folders = template_folders()  # only those: a name is never a path to look up
    known_ids = tuple(folders)
    if stack_id in folders:
        return _stack_from(folders[stack_id])
    known = ", ".join(known_ids)
    raise UnknownStackError(f"unknown stack {shown(stack_id)}; known stacks: {known}")


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """What copier is given: a source path (recorded as ``_src_path``) and a version tag.

    ``recorded`` is the source path and tag a project records instead, when copier reads
    a folder that the per-user history holds, byte for byte, at that tag (a source
    checkout's template: rendering the folder spares a clone, and the answers file still
    names no path of the machine).
    """

    src_path: str
    vcs_ref: str | None = None
    recorded: tuple[str, str] | None = None

    @property
    def recorded_src_path(self) -> str:
        """The ``_src_path`` a project made from this source records."""
        return self.recorded[0] if self.recorded is not None else self.src_path

    @property
    def recorded_ref(self) -> str | None:
        """The ``_commit`` a project made from this source records (None: none)."""
        return self.recorded[1] if self.recorded is not None else self.vcs_ref


def history_bundle(stack_id: str) -> Path:
    return Path(__file__).resolve().parent / "template-history" / f"{stack_id}.bundle"


def template_source(stack: Stack, *, install: bool = True) -> TemplateSource:
    """Where copier should render ``stack`` from.

    Its version history is made available under the user's home (see
    :mod:`scaffold.history`): an installed scaffold ships it, and a source checkout or an
    editable install commits its template folder there as it is. With ``install``, the
    project then records that home-relative path and the version tag, so ``scaffold
    update`` and plain ``copier update`` can reach it later, on any machine, whichever way
    scaffold was installed. Without ``install`` (dry runs write nothing, not even there),
    or without git (no history can be kept, nor a project updated), the template folder
    itself is used.
    """
    return _source(stack.id, stack.template, install=install)


def stack_template_source(stack_id: str) -> TemplateSource:
    """:func:`template_source` of the stack ``stack_id`` (a known one), its history
    installed, without reading its ``copier.yml``."""
    from scaffold.ecosystems import template_folders

    return _source(stack_id, template_folders()[stack_id], install=True)


def _source(stack_id: str, template: Path, *, install: bool) -> TemplateSource:
    import shutil

    if not install or shutil.which("git") is None:
        return TemplateSource(str(template))
    from scaffold.history import HistoryError

    try:
        src_path, tag = install_template_history(stack_id, template)
    except HistoryError as error:
        raise TemplateError(f"cannot install the {stack_id} template history: {error}") from None
    if history_bundle(stack_id).is_file():
        return TemplateSource(src_path, tag)
    # The history holds the folder as it is at that tag: copier reads the folder.
    return TemplateSource(str(template), None, (src_path, tag))


def install_template_history(stack_id: str, template: Path) -> tuple[str, str]:
    """The per-user history of ``stack_id`` given this scaffold's version of it: from the
    bundle a wheel ships, else from the template folder ``template`` as it is (a source
    checkout, an editable install). Returns the home-relative source path and the tag."""
    from scaffold import __version__
    from scaffold.history import install_folder_history, install_history, version_tag

    bundle = history_bundle(stack_id)
    if bundle.is_file():
        return install_history(bundle, stack_id, __version__), version_tag(__version__)
    return install_folder_history(_checkout_of(template), template, stack_id, __version__)


def _checkout_of(folder: Path) -> Path | None:
    """The git work tree ``folder`` lies in (a source checkout of scaffold), if any: its
    ignored files are no part of the template."""
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            return parent
    return None


# --- answers -------------------------------------------------------------------------


def parse_data_options(pairs: Iterable[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` from the command line into a mapping (last one wins)."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidAnswerError(f"--data takes KEY=VALUE, got {shown(pair)}")
        data[key] = value
    return data


MAX_ANSWER_LENGTH = 200
"""The longest text answer, unless a template's metadata sets another (``max_length``)."""


def cast_answer(question: Question, raw: Any) -> Any:
    """Turn a command-line string into the question's type, as copier does."""
    return question.from_text(raw)


def check_answers(
    spec: TemplateSpec, answers: Mapping[str, Any], *, origin: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Reject unknown keys, cast values and run each question's choices and validator, then
    scaffold's own checks from the template's metadata: a length limit on every text answer,
    and names that must not collide with the standard library or the stack's dependencies.

    ``origin`` names where a value came from (for example "the folder name") so the
    error can say how to fix it. Returns the typed answers.
    """
    unknown = sorted(set(answers) - set(spec.questions))
    if unknown:
        known = ", ".join(spec.questions)
        raise InvalidAnswerError(
            f"unknown answer {shown(unknown[0])} for this stack; known: {known}"
        )
    rules = spec.metadata.get("questions") or {}
    for name, value in answers.items():
        limit = int((rules.get(name) or {}).get("max_length", MAX_ANSWER_LENGTH))
        if isinstance(value, str) and len(value) > limit:
            where = f" (from {origin[name]})" if origin and name in origin else ""
            raise InvalidAnswerError(
                f"{name}={shown(value)}{where}: must be at most {limit} characters"
            )
    typed = {name: spec.questions[name].from_text(value) for name, value in answers.items()}
    context = {name: q.default for name, q in spec.questions.items()} | typed
    for name, value in typed.items():
        question = spec.questions[name]
        where = f" (from {origin[name]})" if origin and name in origin else ""
        if question.choices and value not in question.choices:
            allowed = ", ".join(str(c) for c in question.choices)
            raise InvalidAnswerError(f"{name}={shown(value)}{where}: choose one of {allowed}")
        if message := " ".join(question.refusal(context, render_string).split()):
            raise InvalidAnswerError(f"{name}={shown(value)}{where}: {message}")
        # An adopted project keeps its names: only its configs are rendered.
        kind = (rules.get(name) or {}).get("kind")
        if kind and isinstance(value, str) and not context.get("adopted"):
            builtin = spec.metadata.get("builtin_modules") or {}
            clash = name_clash(
                kind,
                value,
                spec.metadata.get("reserved") or (),
                builtin=builtin.get("names") or (),
                runtime=str(builtin.get("runtime", "")),
            )
            if clash:
                raise InvalidAnswerError(f"{name}={shown(value)}{where}: {clash}")
    return typed


# How the names of each kind compare: a normal form, and the separator below which a name
# lies inside another (a Java package inside org.springframework, a Go path inside net).
_NAME_KINDS: dict[str, tuple[Any, str | None]] = {
    "python-module": (lambda name: re.sub(r"[-_.]+", "-", name).lower(), None),
    "python-distribution": (lambda name: re.sub(r"[-_.]+", "-", name).lower(), None),
    "rust-crate": (lambda name: name.replace("-", "_").lower(), None),
    "npm-package": (str.lower, None),
    "go-module": (str, "/"),
    "java-package": (str, "."),
}


def name_clash(
    kind: str,
    value: str,
    reserved: Iterable[str],
    *,
    builtin: Iterable[str] = (),
    runtime: str = "",
) -> str:
    """Why ``value``, a name of ``kind`` (see ``_NAME_KINDS``), cannot be used next to the
    ``reserved`` names (a stack's dependencies) and the ``builtin`` modules of ``runtime``
    (a template's ``builtin_modules``; Python's come from ``sys.stdlib_module_names``), or ""
    when it can."""
    if kind not in _NAME_KINDS:
        raise TemplateError(f"unknown kind of name in the template's metadata: {shown(kind)}")
    if kind == "python-module" and value in sys.stdlib_module_names:
        return "is a module of Python's standard library, which it would shadow"
    normal, separator = _NAME_KINDS[kind]
    mine = normal(value)
    if any(mine == normal(str(name)) for name in builtin):
        return (
            f"is a built-in module of {runtime or 'the runtime'}, which a package cannot be named"
        )
    for name in reserved:
        theirs = normal(str(name))
        if mine == theirs or (separator and mine.startswith(theirs + separator)):
            where = "clashes with" if mine == theirs else "lies inside"
            return f"{where} {name}, which the stack depends on"
    return ""
