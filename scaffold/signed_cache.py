"""Cache entries that hold code, or decide what scaffold does, signed with a key kept
outside the cache folder.

Whoever can write the cache folder (a CI cache restored from a store other jobs wrote into)
can rewrite any entry, so an entry is used only when its HMAC-SHA256, under a key that
never lives in that folder, matches what it holds and what it is for. The key is 32 random
bytes in ``$XDG_STATE_HOME/scaffold/cache-key`` (``~/.local/state/scaffold/cache-key``),
made on first use, readable by its owner only. Without a usable key (none can be made, it
is someone else's, others can write it, or it sits inside the cache folder) nothing is read
from or written to the signed part of the cache: scaffold computes everything again.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path

KEY_BYTES = 32
MAC_BYTES = 32
#: An entry larger than this is not read (compiled templates are a few KiB each).
MAX_ENTRY_BYTES = 4 * 1024 * 1024


def state_dir() -> Path:
    """``$XDG_STATE_HOME/scaffold``, else ``~/.local/state/scaffold``."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base, "scaffold")


def signing_key() -> bytes | None:
    """The key entries are signed with, made on first use; None when there is no key
    scaffold can trust (see the module's description)."""
    from scaffold.catalog import cache_dir

    return _key(state_dir(), cache_dir())


@functools.cache
def _key(folder: Path, cache: Path) -> bytes | None:
    try:
        if folder.resolve().is_relative_to(cache.resolve()):
            return None  # a key inside the cache folder would travel with it
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / "cache-key"
        if not path.exists():
            _make_key(path)
        return _read_key(path)
    except OSError:
        return None


def _make_key(path: Path) -> None:
    """Write a new key, whole or not at all: written aside, then linked into place (a
    process racing this one keeps the key that got there first)."""
    spare = path.with_name(f".cache-key.{os.getpid()}")
    descriptor = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(spare, path)
    finally:
        spare.unlink(missing_ok=True)


def _read_key(path: Path) -> bytes | None:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
            return None  # not a plain file, or others can read or change it
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        key = handle.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _mac(key: bytes, purpose: str, payload: bytes) -> bytes:
    import hashlib
    import hmac

    message = purpose.encode("utf-8") + b"\0" + payload
    return hmac.new(key, message, hashlib.sha256).digest()


def read(path: Path, purpose: str) -> bytes | None:
    """What the entry at ``path`` holds, if it was signed for ``purpose`` with this
    machine's key; None otherwise (no key, no entry, too large, or not signed so)."""
    key = signing_key()
    if key is None:
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_ENTRY_BYTES or len(data) < MAC_BYTES:
        return None
    import hmac

    mac, payload = data[:MAC_BYTES], data[MAC_BYTES:]
    return payload if hmac.compare_digest(mac, _mac(key, purpose, payload)) else None


def write(path: Path, purpose: str, payload: bytes) -> None:
    """Sign ``payload`` for ``purpose`` and store it at ``path``, whole or not at all; a
    cache that cannot be written is left as it is."""
    key = signing_key()
    if key is None or len(payload) + MAC_BYTES > MAX_ENTRY_BYTES:
        return
    spare = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        spare.write_bytes(_mac(key, purpose, payload) + payload)
        os.replace(spare, path)
    except OSError:
        with contextlib.suppress(OSError):
            spare.unlink()
