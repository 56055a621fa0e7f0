"""The templates rendered for the projects ``scaffold adopt`` takes on.

Each project's answers are inferred from its code (its recipe), completed with the
conventions' layout, and checked against its template's questions; the template is then
rendered with them, one batch per stack (:func:`scaffold.render.render_many`).

The plugin's hooks run ``scaffold adopt --check`` after every edit, and the answers and the
render of a repository of a few projects rarely change between two edits, while working
them out takes the template's questions (YAML), its validators and files (Jinja) and its
exclusions (pathspec). So each project's answers and rendered files are kept
(:mod:`scaffold.memo`) under a key made of everything they come from: the template's
source and the state of its files and of the libraries that render it, the project's
convention and the answers inferred from its code (scaffold's own code being part of every
key). A stack of more than :data:`KEPT_BATCH` projects (a monorepo) is rendered as a batch
every time: its replay is cheaper than reading that many entries.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.errors import InvalidAnswerError

if TYPE_CHECKING:
    from scaffold.adopters import Recipe
    from scaffold.model import Conventions, Project, StackConvention
    from scaffold.render import RenderedFiles
    from scaffold.templates import TemplateSource, TemplateSpec

#: The most projects of one stack whose renders are kept from one run to the next.
KEPT_BATCH = 8
_KIND = "adopt-render"


@dataclass(frozen=True, slots=True)
class PreparedProject:
    """A project to adopt: the answers its template is rendered with, the conventions'
    folders for its stack and the template's layout block, and the render."""

    project: Project
    recipe: Recipe
    answers: Mapping[str, Any]
    folders: tuple[str, ...]
    layout: Mapping[str, Any] | None
    rendered: RenderedFiles


@dataclass(frozen=True, slots=True)
class _Inferred:
    project: Project
    recipe: Recipe
    inferred: Mapping[str, Any]
    key: str | None  # where its render is kept; None when it cannot be


def accepted_answers(
    spec: TemplateSpec, given: Mapping[str, Any], inferred: Mapping[str, Any], *, origin: str
) -> dict[str, Any]:
    """``given`` and the ``inferred`` answers, checked against the template's questions.

    ``given`` must pass (a bad value there is the user's to fix, and an error naming
    ``origin``). An inferred value the template refuses (an edition or a Python version it
    does not offer, a name it cannot take) is left out, so the template's default stands:
    the others are kept, in order, each checked with those before it.
    """
    from scaffold.templates import check_answers

    where = dict.fromkeys([*given, *inferred], origin)
    try:
        return check_answers(spec, {**given, **inferred}, origin=where)
    except InvalidAnswerError:
        answers = check_answers(spec, given, origin=where)
    for name, value in inferred.items():
        with contextlib.suppress(InvalidAnswerError):
            answers = check_answers(spec, {**answers, name: value})
    return answers


def prepare_projects(
    root: Path, adopting: Sequence[tuple[Project, Recipe]], conventions: Conventions
) -> dict[str, PreparedProject]:
    """Each of ``adopting`` (a project and its stack's recipe) prepared and rendered, by
    project path."""
    from scaffold.templates import stack_template_source

    by_stack: dict[str, list[tuple[Project, Recipe]]] = {}
    for found, recipe in adopting:
        by_stack.setdefault(recipe.stack, []).append((found, recipe))
    prepared: dict[str, PreparedProject] = {}
    for stack_id, entries in by_stack.items():
        source = stack_template_source(stack_id)
        convention = conventions.for_template(stack_id)
        template = _template_state(stack_id, source) if len(entries) <= KEPT_BATCH else None
        inferred = [_infer(root, found, recipe, template, convention) for found, recipe in entries]
        missing: list[_Inferred] = []
        for entry in inferred:
            recalled = _recall(entry, convention)
            if recalled is None:
                missing.append(entry)
            else:
                prepared[entry.project.path] = recalled
        prepared.update(_prepare_batch(source, missing, convention))
    return prepared


def _template_state(stack_id: str, source: TemplateSource) -> list[Any]:
    """What a render of ``stack_id`` from ``source`` depends on besides its answers: the
    source copier is given, the state of the template's files, and that of the libraries
    that render it (an upgraded copier or Jinja may render otherwise)."""
    from scaffold import memo

    files = memo.folder_state(_template_folder(stack_id))
    renderers = memo.libraries_state(RENDERERS)
    return [stack_id, source.src_path, source.vcs_ref, source.recorded, files, renderers]


#: The libraries a render goes through: copier, and what its render and the replay use.
RENDERERS = ("copier", "jinja2", "jinja2_ansible_filters", "markupsafe", "pathspec", "yaml")


def _infer(
    root: Path,
    found: Project,
    recipe: Recipe,
    template: list[Any] | None,
    convention: StackConvention | None,
) -> _Inferred:
    """``found``'s answers as its code gives them, and the key its render is kept under
    (none without ``template``, the template's state)."""
    from scaffold import memo

    inferred = recipe.infer(root / found.path, found)
    key = None
    if template is not None:
        with contextlib.suppress(TypeError, ValueError):  # an answer JSON cannot hold
            line = None if convention is None else convention.to_dict()
            key = memo.key_of(_KIND, template, line, inferred)
    return _Inferred(found, recipe, inferred, key)


def _prepare_batch(
    source: TemplateSource, entries: Sequence[_Inferred], convention: StackConvention | None
) -> dict[str, PreparedProject]:
    """``entries`` (of one stack) prepared and rendered in one batch, each kept when it
    has a key."""
    from scaffold import memo
    from scaffold.conventions import layout_answers
    from scaffold.render import render_many
    from scaffold.templates import load_template

    if not entries:
        return {}
    spec = load_template(_template_folder(entries[0].recipe.stack))
    layout = spec.metadata.get("layout")
    folders = convention.folders if convention else ()
    batch: list[tuple[_Inferred, dict[str, Any]]] = []
    for entry in entries:
        inferred = {
            k: v for k, v in entry.inferred.items() if k in spec.questions and k != "adopted"
        }
        # The conventions' layout where the code says nothing else.
        layout_given = layout_answers(layout, convention) if layout and convention else {}
        given: dict[str, Any] = {
            k: v for k, v in layout_given.items() if k in spec.questions and k not in inferred
        }
        given["adopted"] = True
        batch.append((entry, accepted_answers(spec, given, inferred, origin=entry.project.path)))
    results = render_many(source, [answers for _, answers in batch])
    prepared: dict[str, PreparedProject] = {}
    for (entry, answers), rendered in zip(batch, results, strict=True):
        found = PreparedProject(entry.project, entry.recipe, answers, folders, layout, rendered)
        prepared[entry.project.path] = found
        if entry.key is not None:
            memo.keep(_KIND, entry.key, _kept_form(found))
    return prepared


def _template_folder(stack_id: str) -> Path:
    from scaffold.ecosystems import template_folders

    return template_folders()[stack_id]


def _kept_form(prepared: PreparedProject) -> dict[str, Any]:
    rendered = prepared.rendered
    return {
        "answers": dict(prepared.answers),
        "layout": prepared.layout,
        "files": {
            path.as_posix(): [file.content.decode("latin-1"), file.mode]
            for path, file in rendered.files.items()
        },
        "recorded": dict(rendered.answers),
    }


def _recall(entry: _Inferred, convention: StackConvention | None) -> PreparedProject | None:
    """The prepared project kept under ``entry``'s key; None without one."""
    from scaffold import memo
    from scaffold.render import RenderedFile, RenderedFiles

    if entry.key is None:
        return None
    value = memo.recall(_KIND, entry.key)
    try:
        files = {
            PurePosixPath(path): RenderedFile(content.encode("latin-1"), int(mode))
            for path, (content, mode) in value["files"].items()
        }
        rendered = RenderedFiles(files, dict(value["recorded"]))
        folders = convention.folders if convention else ()
        answers, layout = dict(value["answers"]), value["layout"]
    except (TypeError, ValueError, KeyError, AttributeError, UnicodeEncodeError):
        return None
    return PreparedProject(entry.project, entry.recipe, answers, folders, layout, rendered)
