"""Reading files nobody reviewed: bounded reads and a YAML loader that refuses alias bombs.

Every file scaffold parses comes from a repository or a user it does not control, so each
read has a byte limit and refuses what is not a regular file (a device such as
``/dev/zero`` never ends; a named pipe blocks), and YAML is composed into its node graph
first: a document whose aliases would copy more than :data:`MAX_ALIAS_NODES` nodes or
:data:`MAX_ALIAS_CHARACTERS` characters of scalars (a "billion laughs") is refused before
any Python object is built. Failures are :class:`UntrustedInputError`, a ``ValueError`` with
a one-line message, so callers that already catch bad YAML or bad values catch these too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

#: Largest YAML text :func:`load_yaml` parses (the answers file, copier.yml, configs).
MAX_YAML_CHARACTERS = 4 * 1024 * 1024
#: Nodes that aliases may add to a YAML document, counted as if every alias were a copy.
MAX_ALIAS_NODES = 10_000
#: Scalar characters that aliases may add to a YAML document, counted the same way.
MAX_ALIAS_CHARACTERS = 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class UntrustedInputError(ValueError):
    """A file or text refused before parsing; ``reason`` says why without naming the file."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def describe_size(size: int) -> str:
    """``1 MiB``, ``64 KiB`` or ``100 bytes``: a limit as a person would write it."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(path: Path, reason: str) -> UntrustedInputError:
    return UntrustedInputError(f"{path} {reason}", reason)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refusing anything over ``limit`` bytes.

    A folder, device, named pipe or socket is refused without reading and without blocking
    (the open does not wait for a pipe's writer); at most ``limit + 1`` bytes are read, so a
    file that grows while it is read is refused too. Raises :class:`UntrustedInputError`
    for what is refused and ``OSError`` when the file cannot be opened or read.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket, or a FIFO with nobody writing (macOS)
            mode = os.stat(path).st_mode
            raise _refuse(path, f"is {_kind(mode)}, not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise _refuse(path, "is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise _refuse(path, f"is {_kind(mode)}, not a regular file")
        too_large = _refuse(path, f"is larger than {describe_size(limit)}")
        if info.st_size > limit:
            raise too_large
        data = read_at_most(fd, limit + 1)
        if len(data) > limit:
            raise too_large
        return data
    finally:
        os.close(fd)


def read_at_most(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes from the open file ``fd`` (fewer at its end): reading one more
    than a limit tells a file that grew past it while it was read."""
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _yaml_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _expanded_size(root: Any) -> tuple[int, int, int, int]:
    """Nodes and scalar characters of the graph at ``root``: as stored (each node once) and
    as expanded (each alias counted as a full copy). Iterative and memoised per node, so it
    is linear in the stored document; a node that contains itself expands without end and
    is reported with expanded sizes of -1."""
    sizes: dict[int, tuple[int, int]] = {}
    stored_nodes = stored_characters = 0
    open_nodes: set[int] = set()  # the node being measured and its ancestors
    stack = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in sizes:
            stack.pop()
            continue
        if node.id == "scalar":
            stack.pop()
            stored_nodes += 1
            stored_characters += len(node.value)
            sizes[key] = (1, len(node.value))
            continue
        children = node.value if node.id == "sequence" else [n for pair in node.value for n in pair]
        if key in open_nodes:  # back on top: every child is measured
            stack.pop()
            open_nodes.discard(key)
            nodes, characters = 1, 0
            for child in children:
                child_nodes, child_characters = sizes[id(child)]
                nodes += child_nodes
                characters += child_characters
            stored_nodes += 1
            sizes[key] = (nodes, characters)
            continue
        open_nodes.add(key)
        for child in children:
            if id(child) in open_nodes:
                return stored_nodes, stored_characters, -1, -1
            if id(child) not in sizes:
                stack.append(child)
    nodes, characters = sizes[id(root)]
    return stored_nodes, stored_characters, nodes, characters


def check_alias_expansion(node: Any) -> None:
    """Refuse a composed YAML node graph whose aliases copy too much (or loop)."""
    stored_nodes, stored_characters, nodes, characters = _expanded_size(node)
    if nodes < 0:
        reason = "has a YAML alias inside its own anchor, which would expand without end"
    elif nodes - stored_nodes > MAX_ALIAS_NODES:
        reason = f"has YAML aliases that expand to more than {MAX_ALIAS_NODES:,} extra nodes"
    elif characters - stored_characters > MAX_ALIAS_CHARACTERS:
        limit = describe_size(MAX_ALIAS_CHARACTERS)
        reason = f"has YAML aliases that expand to more than {limit} of extra text"
    else:
        return
    raise UntrustedInputError(f"the document {reason}", reason)


def load_yaml(text: str) -> Any:
    """The Python value of one YAML document, parsed safely (libyaml's loader when present).

    The text is bounded (:data:`MAX_YAML_CHARACTERS`) and its alias expansion is measured on
    the composed nodes before anything is constructed. Raises ``yaml.YAMLError`` for invalid
    YAML and :class:`UntrustedInputError` for what the bounds refuse.
    """
    if len(text) > MAX_YAML_CHARACTERS:
        reason = f"is larger than {describe_size(MAX_YAML_CHARACTERS)}"
        raise UntrustedInputError(f"the document {reason}", reason)
    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_alias_expansion(node)
        return loader.construct_document(node)
    except RecursionError:  # libyaml stops at 1,000 levels; the pure-Python loader may not
        reason = "is nested too deeply"
        raise UntrustedInputError(f"the document {reason}", reason) from None
    finally:
        loader.dispose()


def printable(path: str) -> str:
    """``path`` with bytes that are not UTF-8 shown as ``\\xNN`` escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def encodable(text: str) -> str:
    """``text`` with lone surrogates (from JSON ``\\udXXX`` escapes) shown as
    ``\\udXXX`` escapes, so that it can be written out as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
