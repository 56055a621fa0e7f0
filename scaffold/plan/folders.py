"""The conventions' folders a project lacks, planned only where nothing established
already plays their part."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.adopters import Recipe
from scaffold.model import Action, FileAction, Project

if TYPE_CHECKING:
    pass
from scaffold.plan.adopt import AdoptPlanner


def plan_folders(
    planner: AdoptPlanner,
    folder: Path,
    recipe: Recipe,
    convention_folders: tuple[str, ...],
    layout: Mapping[str, Any] | None,
    answers: Mapping[str, Any],
    project: Project,
    workspace: str | None = None,
) -> None:
    """The conventions' folders the project lacks: created only where nothing established
    already plays their part, otherwise listed with the reason.

    A member of the ``workspace`` at that folder (``"."`` for the root) gets none: an
    empty folder in every package of a workspace is noise to its reviewers, and
    ``AGENTS.md`` gives the layout the package's code goes into."""
    if recipe.folders_do_not_apply(folder, project) is not None:
        return
    layout = layout or {}
    root_question = layout.get("root") if layout.get("root_is_question") else None
    package = str(answers.get(root_question, "")) if root_question else ""
    names: dict[str, tuple[str, ...]] = {
        str(answers.get(q["question"], "")): tuple(q.get("names", ()))
        for q in layout.get("folders") or ()
    }
    flat = recipe.source_suffix and any(
        p.is_file() and p.name.endswith(recipe.source_suffix) for p in folder.iterdir()
    )
    for wanted in convention_folders:
        if "<" in wanted:
            continue  # a placeholder such as <group path>: not a literal folder
        parts = wanted.split("/")
        if package:  # the conventions' package (app/) is the project's own
            parts = parts[1:]
            base = folder / package
        else:
            base = folder
        if not parts or (base / "/".join(parts)).is_dir():
            continue
        target = base / "/".join(parts)
        rel = planner.rel(target / recipe.placeholder)
        leaf = parts[-1]
        blocking = next(
            (
                prefix
                for prefix in (base.joinpath(*parts[: i + 1]) for i in range(len(parts)))
                if prefix.is_symlink() or (prefix.exists() and not prefix.is_dir())
            ),
            None,
        )
        if blocking is not None and base.is_dir():
            where = planner.rel(blocking).as_posix()
            planner.add(FileAction(rel, Action.CONFLICT, f"{where} is in the way, not a folder"))
            continue
        if package and not base.is_dir():
            reason = f"the code is not in the {package}/ package; its own layout is kept"
        elif leaf in recipe.never_create:
            reason = recipe.never_create[leaf]
        elif equivalent := _equivalent(base, leaf, recipe, names.get(leaf, ())):
            where = planner.rel(base).as_posix()
            where = "" if where == "." else f"{where}/"
            reason = f"{where}{equivalent} already plays this part"
        elif not_here := recipe.folder_does_not_apply(folder, project, leaf):
            reason = not_here
        elif flat and not package:
            reason = f"the code sits at the top of the project; {wanted}/ is not added"
        elif workspace is not None:
            where = "the root" if workspace == "." else f"{workspace}/"
            reason = f"a member of the workspace at {where}: AGENTS.md gives the layout"
        else:
            planner.add(FileAction(rel, Action.CREATE, f"the conventions' {wanted}/", b"", 0o644))
            continue
        planner.add(FileAction(rel, Action.SKIP, reason))


def _equivalent(base: Path, leaf: str, recipe: Recipe, names: tuple[str, ...]) -> str | None:
    """What already plays the part of the folder ``base/leaf``: a folder by another name
    the stack or the layout accepts, or (where modules are packages) a module; None if
    nothing does."""
    for name in (*recipe.equivalents.get(leaf, ()), *names):
        if name != leaf and (base / name).is_dir():
            return f"{name}/"
    if recipe.modules_are_packages:
        for name in dict.fromkeys((leaf, *recipe.equivalents.get(leaf, ()), *names)):
            module = f"{name}{recipe.source_suffix}"
            if (base / module).is_file():
                return module
    return None
