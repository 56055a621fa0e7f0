"""The command line and environment every git process of scaffold's starts with (see
:mod:`scaffold.repo.git`), and git's listing of a work tree's files, kept apart so that the
lightest command paths can start git without the rest of that module."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence

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


#: git's listing of a work tree's files: the untracked files that are not ignored (a walk of
#: the work tree), and the tracked ones (read from the index).
_LIST_UNTRACKED = ("ls-files", "-z", "--others", "--exclude-standard")
_LIST_TRACKED = ("ls-files", "-z", "--cached")


def start_listing(
    root: str | os.PathLike[str], *questions: Sequence[str]
) -> tuple[list[subprocess.Popen[bytes]], subprocess.CompletedProcess[bytes]] | None:
    """git's listing of ``root``, side by side: the untracked files (then each of
    ``questions``) started, the tracked files run meanwhile. Returns the processes started,
    in that order, and the tracked run; None when git cannot be run (nothing is left
    running)."""
    env = git_environment(read_only=True)
    started: list[subprocess.Popen[bytes]] = []
    try:
        for args in (_LIST_UNTRACKED, *questions):
            command = git_command(args)
            pipe = subprocess.PIPE
            started.append(subprocess.Popen(command, cwd=root, env=env, stdout=pipe, stderr=pipe))
        tracked = subprocess.run(
            git_command(_LIST_TRACKED), cwd=root, env=env, capture_output=True, check=False
        )
    except OSError:
        stop(started)
        return None
    return started, tracked


def stop(processes: Iterable[subprocess.Popen[bytes]]) -> None:
    """End ``processes`` and reap them."""
    for process in processes:
        process.kill()
        process.communicate()
