"""Choosing what a project is when its evidence names several: the build tool from its
lockfiles, the framework from its dependencies (most specific first)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scaffold.detect.paths import join

if TYPE_CHECKING:
    from scaffold.detect.base import Candidate, Context


def lockfile_tool(
    ctx: Context, cand: Candidate, folder: str, locks: Sequence[tuple[str, str]]
) -> bool:
    """Set ``cand``'s build tool from the lockfiles present in ``folder`` (``(name, tool)``
    pairs); lockfiles of different tools are a conflict, with a warning and no tool.
    ``True`` when the lockfiles decided (a tool or a conflict), ``False`` when there are none."""
    tools = sorted({tool for _, tool in locks})
    if len(tools) > 1:
        listing = ", ".join(f"{name} ({tool})" for name, tool in locks)
        ctx.warn(folder or ".", f"conflicting lockfiles: {listing}; build tool not chosen")
        for name, tool in locks:
            cand.note("build_tool", join(folder, name), f"lockfile of {tool} (conflicts)")
        cand.tool_conflict = True
        return True
    if tools:
        cand.build_tool = tools[0]
        cand.note("build_tool", join(folder, locks[0][0]), f"{tools[0]} lockfile")
        return True
    return False


@dataclass(frozen=True)
class FrameworkTable:
    """How an ecosystem's dependencies name frameworks.

    ``tiers`` go from most to least specific (a meta-framework before the server
    framework it builds on, servers before UI libraries); ``subsumes`` drops a
    framework another one found builds on (fastapi over starlette, nestjs over express).
    """

    by_dependency: dict[str, str]
    tiers: Sequence[frozenset[str]]
    subsumes: dict[str, frozenset[str]] = field(default_factory=dict)

    def lookup(self, dependency: str) -> str | None:
        return self.by_dependency.get(dependency)


def choose_framework(
    ctx: Context,
    cand: Candidate,
    table: FrameworkTable,
    found: dict[str, tuple[str, str]],
    corroborate: Callable[[list[str]], list[str]] | None = None,
) -> None:
    """Set ``cand.framework`` from ``found`` (framework -> (file, dependency)).

    When the most specific tier holds several frameworks, ``corroborate`` (which of
    them the code actually imports) may settle it; otherwise none is chosen and a
    warning says so. Evidence is recorded for every framework seen.
    """
    if not found:
        return
    names = set(found)
    for name in list(names):
        names -= table.subsumes.get(name, frozenset())
    hits: list[str] = []
    for tier in table.tiers:
        hits = sorted(n for n in names if n in tier)
        if hits:
            break
    if not hits:
        hits = sorted(names)
    chosen: str | None = None
    if len(hits) == 1:
        chosen = hits[0]
    else:
        used = corroborate(hits) if corroborate is not None else []
        if len(used) == 1:
            chosen = used[0]
            cand.note(
                "framework",
                cand.manifest,
                f"declares {', '.join(hits)}; only {chosen} is imported by the code",
            )
        else:
            ctx.warn(cand.manifest, f"declares several frameworks ({', '.join(hits)}); none chosen")
    for name in sorted(found):
        file, dependency = found[name]
        if name == chosen:
            cand.note("framework", file, f"depends on {dependency}")
        elif name in hits:
            cand.note("framework", file, f"also depends on {dependency}")
    cand.framework = chosen
