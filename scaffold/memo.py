"""Results scaffold works out once and keeps from one run to the next.

A kept result is a JSON value in a signed cache entry (:mod:`scaffold.signed_cache`), found
by a key that digests everything the result was worked out from, scaffold's own code and
its templates' questions included (:func:`code_state`): a changed input, an upgrade or an
edited checkout gives another key, and so a miss, and the result is worked out again. An
entry that is not signed with this machine's key for that very key is a miss too, so
whoever can write the cache folder cannot make scaffold use a result it did not work out
itself. While an ecosystem from outside scaffold is registered (its code and templates are
not part of the key), nothing is kept or recalled.

Each kind of result keeps at most :data:`KEPT_PER_KIND` entries: writing one more removes
the oldest.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_PURPOSE = "memo/1"
#: The entries kept of one kind of result; writing one more removes the oldest.
KEPT_PER_KIND = 32


def folder_state(*folders: Path | str, skip: frozenset[str] = frozenset()) -> str:
    """A digest of every file below ``folders`` as the file system has it: path, size,
    modification time and mode (``__pycache__``, ``.git`` and the folders in ``skip`` left
    out). The same digest on the next run means the same files, without reading them."""
    digest = hashlib.sha256()
    for top in folders:
        digest.update(f"{top}\0".encode())
        for folder, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in ("__pycache__", ".git") and os.path.join(folder, d) not in skip
            )
            for name in sorted(filenames):
                _add_state(digest, os.path.join(folder, name))
    return digest.hexdigest()


def _add_state(digest: Any, path: str) -> None:
    try:
        info = os.lstat(path)
    except OSError:
        digest.update(f"{path}\0-\n".encode())
        return
    digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_mode}\n".encode())


def libraries_state(names: Sequence[str]) -> str:
    """:func:`folder_state` of the installed packages ``names`` (found, not imported)."""
    import importlib.util

    folders: list[str] = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):  # a module of that name without a spec
            spec = None
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
    return folder_state(*folders)


@functools.cache
def code_state() -> str:
    """The state of scaffold's own code: its version, its modules (:func:`folder_state`)
    and each bundled template's ``copier.yml`` (its questions and metadata), and the
    version of the Python running it. A template's other files are part of the keys of
    what is rendered from it (see :mod:`scaffold.plan.renders`), not of every key."""
    from scaffold import __version__
    from scaffold.catalog import COPIER_FILE, templates_root

    package = Path(__file__).resolve().parent
    templates = str(templates_root().resolve())
    digest = hashlib.sha256(folder_state(package, skip=frozenset({templates})).encode())
    for name in sorted(os.listdir(templates)):
        _add_state(digest, os.path.join(templates, name, COPIER_FILE))
    return f"{__version__}/{sys.version}/{digest.hexdigest()}"


def _registry_is_built_in() -> bool:
    """Whether the ecosystems' registry holds scaffold's own and no other (it does until
    :mod:`scaffold.ecosystems` is imported, and something registers one there)."""
    ecosystems = sys.modules.get("scaffold.ecosystems")
    return ecosystems is None or bool(ecosystems.built_in_only())


def key_of(*parts: Any) -> str:
    """The key of a result worked out from ``parts`` (JSON values) by this scaffold."""
    text = json.dumps([code_state(), *parts], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _entry(kind: str, key: str) -> Path:
    from scaffold.catalog import cache_dir

    return cache_dir() / "memo" / kind / f"{key}.signed"


def recall(kind: str, key: str) -> Any:
    """The result of ``kind`` kept under ``key``; None without one (or a forged one)."""
    from scaffold import signed_cache

    if not _registry_is_built_in():
        return None
    payload = signed_cache.read(_entry(kind, key), f"{_PURPOSE}/{kind}/{key}")
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def keep(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` (a JSON value) as the result of ``kind`` under ``key``; a value that
    cannot be kept (not JSON, too large, a cache that cannot be written) is left out."""
    from scaffold import signed_cache

    if not _registry_is_built_in():
        return
    try:
        payload = json.dumps(value, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return
    path = _entry(kind, key)
    signed_cache.write(path, f"{_PURPOSE}/{kind}/{key}", payload)
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Remove the oldest entries of ``folder`` beyond :data:`KEPT_PER_KIND`."""
    with contextlib.suppress(OSError):
        entries = []
        with os.scandir(folder) as found:
            for item in found:
                if item.name.endswith(".signed") and item.is_file(follow_symlinks=False):
                    entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.path))
        for _, path in sorted(entries)[: max(0, len(entries) - KEPT_PER_KIND)]:
            with contextlib.suppress(OSError):
                os.unlink(path)
