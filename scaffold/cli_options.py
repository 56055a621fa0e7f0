"""Options and values the ``scaffold`` commands share: the agent definition, JSON output,
how update leaves conflicts, and the completion of stack names."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ConflictStyle(StrEnum):
    INLINE = "inline"
    REJ = "rej"


AgentOption = Annotated[
    Path | None,
    typer.Option(
        "--agent",
        metavar="FILE",
        help="Agent definition whose conventions apply (default: $SCAFFOLD_AGENT, else the "
        "built-in one).",
        show_default=False,
    ),
]


JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON result.")]


def complete_stack(incomplete: str) -> list[str]:
    """The stack ids that start with ``incomplete``, for shell completion."""
    from scaffold.templates import stack_ids

    return [stack_id for stack_id in stack_ids() if stack_id.startswith(incomplete)]
