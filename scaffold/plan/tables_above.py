"""Settings a tool reads from the nearest manifest above a project that holds them: ruff
passes over a ``pyproject.toml`` without ``[tool.ruff]`` and reads the next one up (or a
``ruff.toml`` on the way), so a project below a folder that configures ruff needs no table
of its own. Its planner asks :func:`covering_tables` before merging the tables into it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scaffold.adopters.base import fact
from scaffold.model import Action
from scaffold.plan.merge import table_values, template_tables, toml_has

if TYPE_CHECKING:
    from scaffold.adopters import TomlTables
    from scaffold.plan.adopt import AdoptPlanner


def covering_tables(
    planner: AdoptPlanner, folder: Path, name: str, content: bytes, rule: TomlTables
) -> str | None:
    """What gives ``folder``'s project the tables of ``rule`` from the nearest folder above
    that has them: a file named among the tables' alternatives, or a ``name`` that holds
    them (yours, or one the plan gives the same tables to); None when none does, or when
    the nearest is one the plan gives other values (the project then gets its own)."""
    wanted = table_values(template_tables(content), rule.tables)
    for parent in planner.ancestors(folder):
        for other in (alt for table in rule.tables for alt in rule.alternatives.get(table, ())):
            if planner.exists(parent / other):
                return planner.rel(parent / other).as_posix()
        rel = planner.rel(parent / name)
        where = f"{rel.as_posix()} {', '.join(f'[{table}]' for table in rule.tables)}"
        planned = planner.actions.get(rel)
        if planned is not None and planned.action is Action.MERGE and planned.content:
            given = table_values(template_tables(planned.content), rule.tables)
            if given:
                return where if given == wanted else None
        elif planner.exists(parent / name):
            document = fact(planner.facts, "toml", planner.root, rel.as_posix())
            if isinstance(document, dict) and any(toml_has(document, t) for t in rule.tables):
                return where
    return None
