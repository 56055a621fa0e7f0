"""Structured merges that only add: a config gains the tables it lacks, keeps everything else.

TOML goes through tomlkit, so comments, order and formatting of the user's file survive;
a value the user set is never changed, whatever the incoming document says. The file's form
(line endings, byte order mark, final newline) is taken off before parsing and put back on
the merged text (:func:`split_text`), so the lines added are written as the user writes them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class TextForm:
    """How a text file was written, beyond its text: what :func:`split_text` takes off and
    :meth:`restore` puts back.

    ``newline`` is the line ending most of its lines have (LF on a tie): the one lines it
    gains get. A file of mixed endings also keeps its ``lines`` (each with its own ending),
    so that each of them is written back with the ending it had.
    """

    bom: bool = False
    newline: str = "\n"
    final_newline: bool = True
    lines: tuple[str, ...] = ()

    def describe(self) -> str:
        """Words for what is not plain (``"CRLF line endings, a UTF-8 BOM"``), or ``""``."""
        traits = []
        if self.lines:
            traits.append("mixed line endings")
        elif self.newline == "\r\n":
            traits.append("CRLF line endings")
        if self.bom:
            traits.append("a UTF-8 BOM")
        if not self.final_newline:
            traits.append("no final newline")
        return ", ".join(traits)

    def restore(self, text: str) -> bytes:
        """``text`` (LF line endings, no BOM: as :func:`split_text` gave it, with lines
        added anywhere) written in this form."""
        if self.final_newline != text.endswith("\n") and text:
            text = text + "\n" if self.final_newline else text[:-1]
        if not self.lines:
            written = text.replace("\n", self.newline) if self.newline != "\n" else text
        else:
            written = "".join(self._kept_endings(_lines(text)))
        return (_BOM if self.bom else b"") + written.encode("utf-8")

    def _kept_endings(self, lines: list[str]) -> list[str]:
        """``lines`` with the ending each of them had where it is one of the file's own
        lines, the file's ``newline`` elsewhere."""
        plain = [line.replace("\r\n", "\n") for line in self.lines]
        written = [line.replace("\n", self.newline) for line in lines]
        for old, new in _in_order(plain, lines):
            written[new] = self.lines[old]
        return written


def _in_order(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pairs of indexes of equal lines of ``old`` and ``new``: where the lines of ``old`` are
    in ``new``, in order, at the earliest places, found in one pass (a merge only adds lines,
    so all of them are; should one be missing, those after it are left unpaired)."""
    pairs: list[tuple[int, int]] = []
    for index, line in enumerate(new):
        if len(pairs) < len(old) and old[len(pairs)] == line:
            pairs.append((len(pairs), index))
    return pairs


def _lines(text: str) -> list[str]:
    """``text``'s lines, each with its ending; only LF ends a line (CRLF is LF after CR)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def split_text(raw: bytes) -> tuple[str, TextForm]:
    """The text of ``raw`` as a parser wants it (UTF-8 without a BOM, every line ending in
    LF, the last one too, so what is added after it starts on a line of its own), and the
    form it was written in. Raises UnicodeDecodeError if ``raw`` is not UTF-8."""
    bom = raw.startswith(_BOM)
    text = raw[len(_BOM) if bom else 0 :].decode("utf-8")
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    form = TextForm(
        bom=bom,
        newline="\r\n" if crlf > lf else "\n",
        final_newline=text.endswith("\n") or not text,
        lines=tuple(_lines(text)) if crlf and lf else (),
    )
    plain = text.replace("\r\n", "\n") if crlf else text
    return (plain if form.final_newline else plain + "\n"), form


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
    """Whether ``value`` is a table (inline or not), parsed by tomlkit or by tomllib: both
    give mappings that are dicts, and an array of tables is a list."""
    return isinstance(value, dict)


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


@functools.lru_cache(maxsize=32)
def _template_toml(incoming: str, name: str) -> Any:
    """The template's file, parsed once for every project it is merged into (only copies of
    its tables go into a project's document)."""
    return parse_toml(incoming, f"the template's {name}")


def merge_toml(document: Any, incoming: str, tables: tuple[str, ...], name: str) -> TomlMerge:
    """Add to ``document`` (the user's file, parsed by :func:`parse_toml`; it is changed)
    those of ``incoming``'s ``tables`` (dotted names) it does not have at all."""
    import copy

    import tomlkit

    source = _template_toml(incoming, name)
    added: list[str] = []
    kept: list[str] = []
    for table, parts, wanted in _template_tables(source, tables):
        holder: Any = document
        for depth, part in enumerate(parts[:-1]):
            if part not in holder:
                holder[part] = tomlkit.table(is_super_table=True)
            holder = holder[part]
            if not _is_table(holder):
                raise MergeError(f"{name}: {'.'.join(parts[: depth + 1])} is not a table")
        last = parts[-1]
        if last not in holder:
            holder[last] = copy.deepcopy(wanted)
            added.append(table)
        elif not _is_table(holder[last]) or _lacks(holder[last], wanted):
            kept.append(table)
    return TomlMerge(tomlkit.dumps(document), tuple(added), tuple(kept))


def _template_tables(
    template: Any, tables: tuple[str, ...]
) -> Iterator[tuple[str, list[str], Any]]:
    """Each of ``tables`` (dotted names) the template's file holds: its name, its parts and
    what the file holds there."""
    for table in tables:
        parts = table.split(".")
        found: Any = template
        for part in parts:
            found = found.get(part) if hasattr(found, "get") else None
            if found is None:
                break
        if found is not None:
            yield table, parts, found


def holds_tables(document: Any, template: Any, tables: tuple[str, ...]) -> bool:
    """Whether :func:`merge_toml` of ``template``'s ``tables`` into ``document`` would
    neither add a table nor keep one of the user's aside: ``document`` has each of them as
    a table with every key the template's has. Either may be parsed by tomlkit or by
    tomllib (the check for a file that needs no merge takes no TOML editor)."""
    for _, parts, wanted in _template_tables(template, tables):
        holder: Any = document
        for part in parts:
            if not _is_table(holder) or part not in holder:
                return False
            holder = holder[part]
        if not _is_table(holder) or _lacks(holder, wanted):
            return False
    return True


def table_values(document: Any, tables: tuple[str, ...]) -> dict[str, Any]:
    """What ``document`` holds at each of ``tables`` (dotted names) it has, by name."""
    return {table: found for table, _, found in _template_tables(document, tables)}


def toml_has(document: Any, table: str) -> bool:
    """Whether the parsed TOML ``document`` holds the dotted ``table``."""
    node = document
    for part in table.split("."):
        if not hasattr(node, "get") or part not in node:
            return False
        node = node[part]
    return True


@functools.lru_cache(maxsize=32)
def template_tables(content: bytes) -> dict[str, Any] | None:
    """A template's TOML file as tomllib reads it (once for every project), or None."""
    import tomllib

    try:
        return tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def same_text(existing: bytes, wanted: bytes) -> str | None:
    """``""`` if ``existing`` is ``wanted``; if it holds the same text written in another
    form (CRLF line endings, a BOM, no final newline), words for that form; else None."""
    if existing == wanted:
        return ""
    try:
        text, form = split_text(existing)
        same = text == split_text(wanted)[0]
    except UnicodeDecodeError:
        return None
    if not same:
        return None
    return f"the same text, with {form.describe()}" if form.describe() else "the same text"
