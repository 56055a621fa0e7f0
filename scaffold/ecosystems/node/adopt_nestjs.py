"""Adopting NestJS applications (the node-nestjs template).

The configs scaffold manages are the same as for any Node.js service, tuned to the code
as it is; ``nest-cli.json`` is the Nest CLI's own and is never written: its ``sourceRoot``
says where the code is, and the scripts the Nest CLI generates (``test:e2e``) join the
commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scaffold.adopters.base import Recipe, description, project_json
from scaffold.ecosystems.node import adopt as node
from scaffold.model import Project

#: The Nest CLI's settings: read for the source folder, never managed.
NEST_CLI = "nest-cli.json"


def _source_root(folder: Path, project: Project) -> str:
    """The folder the Nest CLI compiles (``sourceRoot`` of nest-cli.json), ``src`` by default."""
    root = project_json(folder, project, NEST_CLI).get("sourceRoot")
    if isinstance(root, str) and root.strip("/") and ".." not in root.split("/"):
        return root.strip("/")
    return "src"


def _nestjs_answers(folder: Path, project: Project) -> dict[str, Any]:
    answers = node.node_answers(folder, project)
    language = "TypeScript" if answers["typescript"] else "JavaScript"
    package = project_json(folder, project, "package.json")
    found = f"An HTTP service written in {language} with NestJS."
    answers["description"] = description(package.get("description"), found)
    dependencies = package.get("dependencies")
    if isinstance(dependencies, dict) and "pg" in dependencies:
        answers["database"] = "postgresql"
    return answers


def _nestjs_commands(folder: Path, project: Project) -> tuple[str, ...]:
    commands = node.node_commands(folder, project)
    if "test:e2e" in node.node_scripts(folder, project):
        commands += (f"{node.node_manager(project)} run test:e2e",)
    return commands


def _feature_modules(folder: Path, project: Project) -> list[str]:
    """The folders under the source root that hold a Nest module (``users/users.module.ts``)."""
    root = folder / _source_root(folder, project)
    if not root.is_dir() or root.is_symlink():
        return []
    return sorted(
        child.name
        for child in root.iterdir()
        if child.is_dir()
        and not child.is_symlink()
        and any(module.is_file() for module in child.glob("*.module.ts"))
    )


def _folder_does_not_apply(folder: Path, project: Project, leaf: str) -> str | None:
    """The items folder is the template's example feature: an application that has
    feature modules of its own already has their place."""
    if leaf in ("common", "database"):
        return None
    features = _feature_modules(folder, project)
    if not features:
        return None
    root = _source_root(folder, project)
    return f"the features are Nest modules of their own ({root}/{features[0]}/)"


def _folders_do_not_apply(folder: Path, project: Project) -> str | None:
    """The conventions' folders are under src/: an application compiling another folder
    keeps its own layout."""
    root = _source_root(folder, project)
    return None if root == "src" else f"{NEST_CLI} compiles {root}/, not src/"


def _nestjs_places(top: str, *names: str) -> tuple[str, ...]:
    return (f"{top}/", *(f"src/{name}" for name in names))


RECIPE = Recipe(
    "node-nestjs",
    _nestjs_answers,
    node.NODE_RULES,
    _nestjs_commands,
    source_suffix=".ts",
    workspace_kinds=node.NODE_WORKSPACES,
    # A Nest application keeps its features in modules of their own: any feature folder,
    # and the usual homes of shared and database code, play the conventions' parts.
    equivalents={
        "items": _nestjs_places("modules", "modules", "features", "feature", "resources"),
        "common": _nestjs_places("common", "shared", "core", "lib", "utils"),
        "database": _nestjs_places("database", "db", "persistence", "infrastructure", "prisma"),
    },
    folders_do_not_apply=_folders_do_not_apply,
    folder_does_not_apply=_folder_does_not_apply,
)
