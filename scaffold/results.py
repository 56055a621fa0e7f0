"""What every command returns: its data, the exit code it ends with, and one JSON envelope.

Each command in :mod:`scaffold.commands` returns a :class:`Result`; :mod:`scaffold.cli` prints
it (as text, or ``to_dict()`` with ``--json``) and exits with ``exit_code``, and
:mod:`scaffold.mcp_server` returns ``to_dict()`` as a tool's result. ``to_dict()`` is the
``--json`` contract: a mapping that starts with ``"schema": 1``, then ``"command"`` for the
commands that write (``new``, ``adopt``, ``update``), then the command's own fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from scaffold.errors import ExitCode

#: The version of every command's JSON.
SCHEMA = 1


class Result(Protocol):
    """A command's outcome."""

    @property
    def exit_code(self) -> int: ...

    def to_dict(self) -> dict[str, Any]: ...


def outcome_code(*, pending: bool, conflicted: bool) -> int:
    """The exit code of a command that writes: 3 while changes wait to be written (a check,
    a dry run, a plan not confirmed), else 4 when conflicts are left for the user, else 0."""
    if pending:
        return ExitCode.CHANGES_PENDING
    return ExitCode.CONFLICTS if conflicted else ExitCode.OK


def envelope(command: str | None = None, **fields: Any) -> dict[str, Any]:
    """A command's JSON: the schema, the command's name when it has one in its contract, and
    ``fields`` in the order given."""
    named = {"command": command} if command is not None else {}
    return {"schema": SCHEMA, **named, **fields}


class Reported(Protocol):
    """Anything with a JSON form."""

    def to_dict(self) -> dict[str, Any]: ...


def repository_envelope(
    command: str, root: Path, projects: Iterable[Reported], **fields: Any
) -> dict[str, Any]:
    """The JSON of a command run over a repository's projects (``adopt``, ``update``): the
    envelope, the repository's root, each project's outcome, then ``fields``."""
    return envelope(command, root=str(root), projects=[p.to_dict() for p in projects], **fields)
