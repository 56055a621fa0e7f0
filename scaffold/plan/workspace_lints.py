"""Lints shared the way Cargo intends: a workspace's manifest gains ``[workspace.lints]`` and
each adopted member ``[lints] workspace = true``, instead of a ``[lints]`` copy per crate.

This applies to a workspace whose adopted members would all get the same ``[lints]`` (the
template's tables depend on a crate's answers, its module layout for one) and have none of
their own, or opt into the workspace's: a workspace without ``[workspace.lints]`` gains them,
one that has exactly those keeps them (adopting again finds nothing to do), and one with
lints of its own is left alone (its members opt in themselves or not).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.adopters import TomlTables
from scaffold.adopters.base import fact
from scaffold.model import Action, Project
from scaffold.plan.adopt import AdoptPlanner, RenderedProject

if TYPE_CHECKING:
    from scaffold.render import RenderedFiles


#: A member's ``[lints]`` when it opts into its workspace's.
_OPTED_IN = {"workspace": True}
_MANIFEST = "Cargo.toml"


def _lints_to_share(crate: RenderedProject) -> bytes | None:
    """The template's ``Cargo.toml`` for ``crate``, when its recipe adds ``[lints]`` that a
    workspace can share."""
    rule = crate.recipe.rules.get(_MANIFEST)
    if not isinstance(rule, TomlTables) or rule.shared is None:
        return None
    rendered = crate.rendered.files.get(PurePosixPath(_MANIFEST))
    return rendered.content if rendered is not None else None


def share_workspace_lints(
    planner: AdoptPlanner, crates: Sequence[RenderedProject], projects: Sequence[Project]
) -> tuple[dict[str, RenderedFiles], frozenset[PurePosixPath]]:
    """Plan ``[workspace.lints]`` into each Cargo workspace of ``projects`` (all detected)
    whose adopted ``crates`` can share it. Returns the files rendered again for the crates
    that opt into it (their ``Cargo.toml`` holds ``[lints] workspace = true``, and their
    answers say where their lints live, so that an update keeps them there), and for an
    adopted workspace's own project, by project path; and those members' manifests (from
    the root), whose line opts into the workspace's lints."""
    by_path = {crate.project.path: crate for crate in crates}
    groups: dict[str, list[tuple[Project, bytes]]] = {}
    for crate in crates:
        rendered = _lints_to_share(crate)
        if rendered is None:
            continue
        manifest = _manifest(planner, crate.project.path)
        if "package" not in manifest or manifest.get("lints", _OPTED_IN) != _OPTED_IN:
            continue  # a virtual manifest takes no [lints]; a crate's own [lints] stays
        workspace = _workspace_of(crate.project.path, manifest, projects)
        if workspace is not None:
            groups.setdefault(workspace, []).append((crate.project, rendered))
    again: dict[str, RenderedFiles] = {}
    opting_in: set[PurePosixPath] = set()
    for workspace, members in groups.items():
        shared = _shared_lints(members)
        held = (_manifest(planner, workspace).get("workspace") or {}).get("lints")
        if shared is None or held not in (None, shared):
            continue  # lints that differ, or the workspace's own: as each crate has them
        where = {project.path: "member" for project, _ in members}
        own = workspace in where
        where[workspace] = "workspace-crate" if own else "workspace"
        first = by_path[members[0][0].path]
        renders = _rendered_with(first, where, by_path)
        for_workspace = renders.pop("") if "" in renders else renders[workspace]
        folder = planner.root / workspace
        tables = ("workspace.lints", "lints") if own else ("workspace.lints",)
        content = for_workspace.files[PurePosixPath(_MANIFEST)].content
        planner.toml_tables(folder, _MANIFEST, content, TomlTables(tables, unless=tables[:1]))
        action = planner.actions.get(planner.rel(folder / _MANIFEST))
        if action is not None and action.action in (Action.MERGE, Action.IDENTICAL):
            again.update(renders)
            opting_in.update(
                planner.rel(planner.root / path / _MANIFEST)
                for path, lints in where.items()
                if lints == "member"
            )
    return again, frozenset(opting_in)


def _rendered_with(
    first: RenderedProject, where: dict[str, str], by_path: dict[str, RenderedProject]
) -> dict[str, RenderedFiles]:
    """The template rendered again for each adopted project of ``where`` with its lints
    where ``where`` says, by path; under ``""``, the workspace's manifest rendered from
    ``first``'s answers when the workspace's folder holds no adopted project."""
    from scaffold.render import render_many
    from scaffold.templates import stack_template_source

    paths = [path for path in where if path in by_path]
    sets = [dict(by_path[path].rendered.answers) | {"lints_in": where[path]} for path in paths]
    if not any(where[path].startswith("workspace") for path in paths):
        paths.append("")
        workspace = next(lints for lints in where.values() if lints.startswith("workspace"))
        sets.append(dict(first.rendered.answers) | {"lints_in": workspace})
    source = stack_template_source(first.recipe.stack)
    return dict(zip(paths, render_many(source, sets), strict=True))


def _manifest(planner: AdoptPlanner, path: str) -> dict[str, Any]:
    rel = _MANIFEST if path == "." else f"{path}/{_MANIFEST}"
    found = fact(planner.facts, "toml", planner.root, rel)
    return found if isinstance(found, dict) else {}


def _workspace_of(path: str, manifest: dict[str, Any], projects: Sequence[Project]) -> str | None:
    """The path of the Cargo workspace ``path`` is a member of (itself for a workspace's own
    crate), if detection found one."""
    if "workspace" in manifest:
        return path
    for project in projects:
        workspace = project.workspace
        if workspace is not None and workspace.kind == "cargo" and path in workspace.members:
            return project.path
    return None


def _shared_lints(members: Sequence[tuple[Project, bytes]]) -> dict[str, Any] | None:
    """The ``[lints]`` every member would get, when they are the same; None otherwise."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    tables = []
    for _, rendered in members:
        try:
            document = tomlkit.parse(rendered.decode("utf-8"))
        except (ParseError, UnicodeDecodeError):
            return None
        if "lints" not in document:
            return None
        tables.append(document["lints"].unwrap())
    return tables[0] if all(table == tables[0] for table in tables[1:]) else None
