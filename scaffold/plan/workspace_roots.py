"""A workspace's shared setup: the packages of an npm, pnpm, yarn or bun workspace that would
all get the same configs from their stack's template (ESLint's, Prettier's, EditorConfig's)
take them from the workspace's root, which keeps the one answers file of the stack.

The root is then adopted in the template's adopted mode, with the answers its packages share
(its own name, description and module system), so ``copier update`` there updates the configs
every package reads, and a package keeps no answers file of its own: the number of files
adopt writes grows with the stacks of the workspace, not with its packages. A root that is a
project of a stack itself is adopted as one, and covers its members the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scaffold.adopters import Recipe
    from scaffold.model import Conventions, Project
    from scaffold.plan.renders import PreparedProject

#: The fewest packages that share a setup at their workspace's root.
FEWEST_PACKAGES = 2


def workspace_setups(
    root: Path,
    projects: Sequence[Project],
    prepared: Mapping[str, PreparedProject],
    conventions: Conventions,
) -> list[PreparedProject]:
    """The shared setups of the workspaces among ``projects`` whose adopted members
    (``prepared``, by path) would all get the same configs, each prepared and rendered
    at its workspace's root."""
    from scaffold.plan.renders import prepare_projects

    wanted: list[tuple[Project, Recipe]] = []
    for owner in projects:
        workspace = owner.workspace
        if workspace is None or owner.stack is not None or owner.path in prepared:
            continue
        members = [prepared[path] for path in workspace.members if path in prepared]
        if len(members) < FEWEST_PACKAGES:
            continue
        recipe = members[0].recipe
        if workspace.kind not in recipe.workspace_kinds:
            continue
        if any(m.recipe.stack != recipe.stack for m in members) or not _alike(members):
            continue
        if not _fits(root, owner, members[0]):
            continue
        answers = _shared_answers(root, owner, workspace.kind, members[0])
        wanted.append((dataclasses.replace(owner, stack=recipe.stack), _given(recipe, answers)))
    return list(prepare_projects(root, wanted, conventions).values()) if wanted else []


def _alike(members: Sequence[PreparedProject]) -> bool:
    """Whether every one of ``members`` would get the same files but its answers file."""
    from scaffold.render import ANSWERS_FILE

    def configs(member: PreparedProject) -> dict[PurePosixPath, bytes]:
        files = member.rendered.files
        return {path: file.content for path, file in files.items() if path.name != ANSWERS_FILE}

    first = configs(members[0])
    return bool(first) and all(configs(member) == first for member in members[1:])


def _fits(root: Path, owner: Project, member: PreparedProject) -> bool:
    """Whether each config ``member`` gets works at the workspace's root (ESLint's is
    loaded there as the module system the root's package.json gives it)."""
    from scaffold.adopters import WholeFile

    folder = owner.path
    for path in member.rendered.files:
        rule = member.recipe.rules.get(path.as_posix())
        if isinstance(rule, WholeFile) and not rule.placeable(
            root, owner.facts, folder, member.answers
        ):
            return False
    return True


def _shared_answers(
    root: Path, owner: Project, kind: str, member: PreparedProject
) -> dict[str, Any]:
    """The answers the root is rendered with: those of its packages (which shape the
    configs they share), with the root's own name and description."""
    from scaffold.adopters.base import description, project_json, project_name

    folder = root / owner.path
    manifest = project_json(folder, owner, "package.json")
    found = f"The {kind} workspace's shared lint and format settings."
    return dict(member.answers) | {
        "project_name": project_name(manifest.get("name"), folder),
        "description": description(manifest.get("description"), found),
    }


def _given(recipe: Recipe, answers: Mapping[str, Any]) -> Recipe:
    """``recipe`` with ``answers`` as what it reads from the code."""

    def infer(folder: Path, project: Project) -> dict[str, Any]:
        return dict(answers)

    return dataclasses.replace(recipe, infer=infer)
