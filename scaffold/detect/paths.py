"""Root-relative paths as detectors handle them (``""`` is the root, ``/`` separates), and
the walk prune that keeps one project's sampling out of the projects nested in it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scaffold.ecosystems import PROJECT_MANIFESTS

if TYPE_CHECKING:
    from scaffold.repo.view import RepoView


def join(folder: str, name: str) -> str:
    """``folder/name`` for a root-relative folder (``""`` is the root)."""
    return f"{folder}/{name}" if folder else name


def nested_projects(view: RepoView, folder: str) -> Callable[[str], bool]:
    """A prune for walks below ``folder``: the folders that are projects of their own, whose
    code says nothing about ``folder``'s."""
    return lambda path: (
        path != folder and any(view.exists(join(path, name)) for name in PROJECT_MANIFESTS)
    )


def parent(path: str) -> str:
    return path.rpartition("/")[0]


def label(path: str) -> str:
    """A folder as shown to people: ``"."`` for the root."""
    return path or "."


def resolve(folder: str, relative: str) -> str | None:
    """``relative`` (POSIX or Windows separators) taken from ``folder``, normalised;
    ``None`` when it leaves the repository or is absolute."""
    relative = relative.strip().replace("\\", "/")
    if not relative or relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        return None
    joined = posixpath.normpath(join(folder, relative))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def ancestors(path: str) -> list[str]:
    """``path`` and each folder above it up to the root (``""``), nearest first."""
    chain = [path]
    while path:
        path = parent(path)
        chain.append(path)
    return chain


def short(value: Any, limit: int = 60) -> str:
    """``repr``-like text of an untrusted value, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
