"""The command line and environment every git process of scaffold's starts with (see
:mod:`scaffold.repo.git`), kept apart so that the lightest command paths can start git
without the rest of that module."""

from __future__ import annotations

import os
from collections.abc import Sequence

#: Variables that would point git at another repository, index or work tree than the folder.
_REDIRECTING = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")


def git_environment(*, read_only: bool) -> dict[str, str]:
    """The environment git runs in: this process's, without the variables that redirect
    it, and for questions (``read_only``) with optional locks off."""
    env = {name: value for name, value in os.environ.items() if name not in _REDIRECTING}
    if read_only:
        env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


def git_command(args: Sequence[str | os.PathLike[str]]) -> list[str]:
    """``git`` followed by ``args``, each a separate argument (never through a shell)."""
    return ["git", *(os.fspath(arg) for arg in args)]
