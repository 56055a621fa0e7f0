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
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.adopters import Recipe, TomlTables
from scaffold.adopters.base import fact
from scaffold.model import Action, Project
from scaffold.plan.adopt import AdoptPlanner

if TYPE_CHECKING:
    from scaffold.render import RenderedFiles

#: What a member's manifest gains when its workspace shares the lints.
OPT_IN = b"[lints]\nworkspace = true\n"
_OPTED_IN = {"workspace": True}
_MANIFEST = "Cargo.toml"


@dataclass(frozen=True, slots=True)
class LintedCrate:
    """An adopted project, its recipe and its template's files rendered for it."""

    project: Project
    recipe: Recipe
    rendered: RenderedFiles

    def lints_to_share(self) -> bytes | None:
        """The template's ``Cargo.toml`` for it, when its recipe adds ``[lints]`` that a
        workspace can share."""
        rule = self.recipe.rules.get(_MANIFEST)
        if not isinstance(rule, TomlTables) or rule.shared is None:
            return None
        rendered = self.rendered.files.get(PurePosixPath(_MANIFEST))
        return rendered.content if rendered is not None else None


def share_workspace_lints(
    planner: AdoptPlanner, crates: Sequence[LintedCrate], projects: Sequence[Project]
) -> dict[str, bytes]:
    """Plan ``[workspace.lints]`` into each Cargo workspace of ``projects`` (all detected)
    whose adopted ``crates`` can share it; what each member's ``Cargo.toml`` is to gain
    instead of its own ``[lints]``, by project path (the workspace's own crate, when it is
    one, gets both in the one merge planned here)."""
    groups: dict[str, list[tuple[Project, bytes]]] = {}
    for crate in crates:
        rendered = crate.lints_to_share()
        if rendered is None:
            continue
        manifest = _manifest(planner, crate.project.path)
        if "package" not in manifest or manifest.get("lints", _OPTED_IN) != _OPTED_IN:
            continue  # a virtual manifest takes no [lints]; a crate's own [lints] stays
        workspace = _workspace_of(crate.project.path, manifest, projects)
        if workspace is not None:
            groups.setdefault(workspace, []).append((crate.project, rendered))
    opted_in: dict[str, bytes] = {}
    for workspace, members in groups.items():
        shared = _shared_lints(planner, workspace, members)
        held = (_manifest(planner, workspace).get("workspace") or {}).get("lints")
        if shared is None or held not in (None, shared.unwrap()):
            continue  # lints that differ, or the workspace's own: as each crate has them
        folder = planner.root / workspace
        own = any(project.path == workspace for project, _ in members)
        incoming, tables = _workspace_tables(shared, own)
        rule = TomlTables(tables, unless=("workspace.lints",))
        planner.toml_tables(folder, _MANIFEST, incoming, rule)
        action = planner.actions.get(planner.rel(folder / _MANIFEST))
        if action is None or action.action not in (Action.MERGE, Action.IDENTICAL):
            continue  # the workspace's manifest cannot take it: each crate gets its own
        opted_in.update((project.path, OPT_IN) for project, _ in members)
    return opted_in


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


def _shared_lints(
    planner: AdoptPlanner, workspace: str, members: Sequence[tuple[Project, bytes]]
) -> Any | None:
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
        tables.append(document["lints"])
    first = tables[0].unwrap()
    return tables[0] if all(table.unwrap() == first for table in tables[1:]) else None


def _workspace_tables(lints: Any, own: bool) -> tuple[bytes, tuple[str, ...]]:
    """The TOML a workspace's manifest gains: ``[workspace.lints]`` (and, for a workspace
    that is a crate itself, its own opt-in), and the tables that names."""
    import copy

    import tomlkit

    document = tomlkit.document()
    workspace = tomlkit.table(is_super_table=True)
    workspace.append("lints", copy.deepcopy(lints))
    document.append("workspace", workspace)
    text = tomlkit.dumps(document)
    if own:
        return (text + "\n" + OPT_IN.decode()).encode(), ("workspace.lints", "lints")
    return text.encode(), ("workspace.lints",)
