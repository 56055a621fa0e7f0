"""Structured merges that only add: a config gains the tables it lacks, keeps everything else.

TOML goes through tomlkit, so comments, order and formatting of the user's file survive;
a value the user set is never changed, whatever the incoming document says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class MergeError(Exception):
    """The user's file cannot be parsed; the message says where."""


@dataclass(frozen=True, slots=True)
class TomlMerge:
    """The merged text, the tables it added, and the tables the user's file already has in
    another form: those are kept as they are, since a key added to a table in force would
    change what the tool does (a ruff ``line-length`` where ruff's default held)."""

    text: str
    added: tuple[str, ...]
    kept: tuple[str, ...] = ()


def _is_table(value: Any) -> bool:
    from tomlkit.items import AoT, InlineTable, Table

    return isinstance(value, Table | InlineTable) and not isinstance(value, AoT)


def _lacks(target: Any, incoming: Any) -> bool:
    """Whether the table ``target`` lacks a key of ``incoming``, at any depth."""
    for key, value in incoming.items():
        if key not in target:
            return True
        if _is_table(target[key]) and _is_table(value) and _lacks(target[key], value):
            return True
    return False


def parse_toml(text: str, name: str) -> Any:
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        return tomlkit.parse(text)
    except ParseError as error:
        raise MergeError(f"invalid TOML in {name} at line {error.line}: {error}") from None


def merge_toml(document: Any, incoming: str, tables: tuple[str, ...], name: str) -> TomlMerge:
    """Add to ``document`` (the user's file, parsed by :func:`parse_toml`; it is changed)
    those of ``incoming``'s ``tables`` (dotted names) it does not have at all."""
    import tomlkit

    source = parse_toml(incoming, f"the template's {name}")
    added: list[str] = []
    kept: list[str] = []
    for table in tables:
        parts = table.split(".")
        wanted: Any = source
        for part in parts:
            wanted = wanted.get(part) if _is_table(wanted) or hasattr(wanted, "get") else None
            if wanted is None:
                break
        if wanted is None:
            continue
        holder: Any = document
        for depth, part in enumerate(parts[:-1]):
            if part not in holder:
                holder[part] = tomlkit.table(is_super_table=True)
            holder = holder[part]
            if not _is_table(holder):
                raise MergeError(f"{name}: {'.'.join(parts[: depth + 1])} is not a table")
        last = parts[-1]
        if last not in holder:
            holder[last] = wanted
            added.append(table)
        elif not _is_table(holder[last]) or _lacks(holder[last], wanted):
            kept.append(table)
    return TomlMerge(tomlkit.dumps(document), tuple(added), tuple(kept))


def toml_has(document: Any, table: str) -> bool:
    """Whether the parsed TOML ``document`` holds the dotted ``table``."""
    node = document
    for part in table.split("."):
        if not hasattr(node, "get") or part not in node:
            return False
        node = node[part]
    return True
