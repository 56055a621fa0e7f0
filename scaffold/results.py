"""What every command returns: its data, the exit code it ends with, and one JSON envelope.

Each command in :mod:`scaffold.commands` returns a :class:`Result`; :mod:`scaffold.cli` prints
it (as text, or ``to_dict()`` with ``--json``) and exits with ``exit_code``, and
:mod:`scaffold.mcp_server` returns ``to_dict()`` as a tool's result. ``to_dict()`` is the
``--json`` contract: a mapping that starts with ``"schema": 1``, then ``"command"`` for the
commands that write (``new``, ``adopt``, ``update``), then the command's own fields.
"""

from __future__ import annotations

from typing import Any, Protocol

#: The version of every command's JSON.
SCHEMA = 1


class Result(Protocol):
    """A command's outcome."""

    @property
    def exit_code(self) -> int: ...

    def to_dict(self) -> dict[str, Any]: ...


def envelope(command: str | None = None, **fields: Any) -> dict[str, Any]:
    """A command's JSON: the schema, the command's name when it has one in its contract, and
    ``fields`` in the order given."""
    named = {"command": command} if command is not None else {}
    return {"schema": SCHEMA, **named, **fields}
