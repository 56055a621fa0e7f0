"""Detect the projects in a repository, their stack and their conventions.

The library call behind ``scaffold detect``::

    from scaffold.detect import detect_repository
    detection = detect_repository("path/to/repo")
    for project in detection.projects:
        print(project.path, project.language, project.framework, project.stack)

``detect_with_changes`` also says what git reports as uncommitted (``scaffold adopt``
refuses a dirty tree), from the same look at the work tree.

It reads the repository through one read-only view (:mod:`scaffold.repo.view`), runs
every detector of the ecosystems' registry (:mod:`scaffold.ecosystems`, one package per
ecosystem) and returns a frozen
:class:`scaffold.model.Detection`. It writes nothing, runs no toolchain and never
imports copier.

``Detection.to_dict()`` is the ``scaffold detect --json`` contract (schema 1)::

    {"schema": 1,
     "root": "/absolute/path",
     "projects": [{
        "path": "services/api",          # POSIX, relative to root; "." is the root
        "language": "python",            # lowercase
        "framework": "fastapi",          # lowercase, or null
        "build_tool": "uv",              # or null (unknown, or lockfiles that disagree)
        "stack": "python-fastapi",       # scaffold stack id, or null
        "workspace": {"kind": "uv", "members": ["packages/a"]},  # or null
        "configs": [".editorconfig", "services/api/pyproject.toml[tool.ruff]"],
        "style": {"indent": {"style": "space", "size": 4}, "naming": "snake_case"},
        "source_dirs": ["app", "tests"],  # relative to the project's folder
        "architecture": "layered",       # mvc, layered, clean, hexagonal, ddd,
                                         # microservices, flat, or null
        "evidence": [{"claim": "framework", "file": "services/api/pyproject.toml",
                      "detail": "depends on fastapi"}]}],
     "warnings": [{"file": "backend/pyproject.toml",
                   "message": "invalid TOML at line 3, column 7: ..."}]}

Every file named in ``configs``, ``workspace.members``, ``evidence`` and ``warnings`` is
relative to ``root``, like ``path``; ``style.indent`` and ``style.naming`` are null when
unknown. Bad input inside the repository (invalid or binary manifests, symlink loops,
unreadable folders, names that are not UTF-8) becomes a warning; only a ``path`` that
is missing or not a folder raises :class:`RepositoryNotFoundError` (exit code 2).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from scaffold.errors import UsageError
from scaffold.model import Detection

if TYPE_CHECKING:
    from scaffold.repo.listing import WorkTreeChanges

__all__ = ["RepositoryNotFoundError", "detect_repository", "detect_with_changes"]


class RepositoryNotFoundError(UsageError):
    """The folder given to detect does not exist or is not a folder (exit code 2)."""


def detect_repository(path: str | os.PathLike[str]) -> Detection:
    """Detect every project below ``path``; read-only, and bad input never raises."""
    from scaffold.detect.engine import run

    return run(_folder(path))


def detect_with_changes(
    path: str | os.PathLike[str],
) -> tuple[Detection, WorkTreeChanges | None]:
    """:func:`detect_repository`, and what git reports as changed or untracked below
    ``path`` (None when it is not in a git work tree), found in the same pass over the
    work tree."""
    from scaffold.detect.engine import run_with_changes

    return run_with_changes(_folder(path), changes=True)


def _folder(path: str | os.PathLike[str]) -> Path:
    given = Path(path).expanduser()
    if not given.exists():
        raise RepositoryNotFoundError(f"{path}: no such folder")
    if not given.is_dir():
        raise RepositoryNotFoundError(f"{path}: not a folder")
    return given.resolve()
