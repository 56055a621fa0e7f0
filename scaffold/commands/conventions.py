"""``scaffold conventions``: the conventions in force, and the stacks scaffold can generate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import ExitCode
from scaffold.model import Conventions, Stack
from scaffold.results import envelope


@dataclass(frozen=True, slots=True)
class ConventionsResult:
    """The conventions of an agent definition, and the ids of the templates scaffold has."""

    conventions: Conventions
    templates: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        return ExitCode.OK

    def has_template(self, template: str | None) -> bool:
        return template in self.templates

    def to_dict(self) -> dict[str, Any]:
        return envelope(
            source=self.conventions.source,
            name=self.conventions.name,
            description=self.conventions.description,
            stacks=[
                stack.to_dict() | {"has_template": self.has_template(stack.template)}
                for stack in self.conventions.stacks
            ],
        )


def show_conventions(agent: Path | None = None) -> ConventionsResult:
    """The conventions of the agent definition at ``agent`` (default: ``$SCAFFOLD_AGENT``,
    else the built-in one; see :func:`scaffold.conventions.load_conventions`)."""
    from scaffold.conventions import load_conventions
    from scaffold.templates import stack_ids

    return ConventionsResult(load_conventions(agent), stack_ids())


@dataclass(frozen=True, slots=True)
class StacksResult:
    """The stacks ``scaffold new`` can generate, sorted by id."""

    stacks: tuple[Stack, ...]

    @property
    def exit_code(self) -> int:
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return envelope(
            stacks=[
                {"id": s.id, "summary": s.summary, "language": s.language, "framework": s.framework}
                for s in self.stacks
            ]
        )


def list_stacks() -> StacksResult:
    """Every stack ``scaffold new`` can generate (``scaffold new --list``)."""
    from scaffold.templates import list_stacks as all_stacks

    return StacksResult(all_stacks())
