"""The few git questions scaffold asks about a user's repository (through GitPython)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scaffold.errors import TargetError

if TYPE_CHECKING:
    from git import Repo


_READ_ONLY = {"GIT_OPTIONAL_LOCKS": "0"}


@dataclass(frozen=True, slots=True)
class WorkTree:
    """A folder inside a git work tree: the repository's root and the folder's path in it."""

    repo: Repo
    root: Path
    folder: Path

    @property
    def prefix(self) -> str:
        rel = self.folder.relative_to(self.root).as_posix()
        return "" if rel == "." else rel

    def git(self, command: str, *args: str | Path) -> str:
        """What ``git COMMAND ARGS`` printed in this repository; a one-line error if git
        fails or cannot be run. Only questions are asked: git is told not to refresh the
        index as it answers (``git status`` otherwise rewrites it)."""
        from git.exc import GitCommandError, GitCommandNotFound

        try:
            output: str = getattr(self.repo.git, command)(*args, env=_READ_ONLY)
        except GitCommandError as error:
            detail = str(error.stderr).strip().removeprefix("stderr: ").strip("'").strip()
            reason = detail.splitlines()[0] if detail else f"exit status {error.status}"
            raise TargetError(f"git {command} failed in {self.root}: {reason}") from None
        except GitCommandNotFound:
            raise TargetError("git is not installed, or not on PATH") from None
        return output

    def status_lines(self) -> list[str]:
        """``git status --porcelain`` for the folder (untracked files included)."""
        output = self.git("status", "--porcelain", "--untracked-files=all", "--", self.folder)
        return [line for line in output.splitlines() if line.strip()]

    def changed_paths(self) -> list[str]:
        """Paths, relative to the folder, that differ from HEAD or are untracked."""
        paths = []
        for line in self.status_lines():
            path = line[3:].split(" -> ")[-1].strip('"')
            paths.append(_relative(path, self.prefix))
        return sorted(paths)

    def unmerged_paths(self) -> list[str]:
        output = self.git("diff", "--name-only", "--diff-filter=U", "--", self.folder)
        return sorted(_relative(p, self.prefix) for p in output.splitlines() if p)


def _relative(path: str, prefix: str) -> str:
    return path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else path


def open_work_tree(folder: Path) -> WorkTree:
    """The work tree holding ``folder``, or a one-line error if there is none."""
    from git import InvalidGitRepositoryError, NoSuchPathError, Repo

    try:
        repo = Repo(folder, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise TargetError(
            f"{folder} is not in a git repository; commit the project to git first"
        ) from None
    if repo.bare or repo.working_tree_dir is None:
        raise TargetError(f"{folder} is in a bare git repository")
    return WorkTree(repo=repo, root=Path(repo.working_tree_dir).resolve(), folder=folder.resolve())


# --- git in repositories scaffold did not write itself ------------------------------------
#
# A repository's own config (.git/config) can name programs that git runs: an fsmonitor
# on index refreshes, hooks (reference-transaction runs on every ref update, fetch
# included), a command listing an alternate's refs (run by fetch's connectivity check).
# The template history store under the user's home is such a repository as soon as a
# cache (a CI job restoring ~/.local/share) may have brought it. Settings given in the
# environment are read after every config file, so these win over the repository's.

HARDENED_GIT_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.alternateRefsCommand", "true"),  # a program that lists no refs
    ("protocol.ext.allow", "never"),
)


def hardened_git_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``GIT_CONFIG_COUNT`` / ``GIT_CONFIG_KEY_<n>`` / ``GIT_CONFIG_VALUE_<n>`` variables
    that pin :data:`HARDENED_GIT_CONFIG`, after the settings ``environ`` (by default
    ``os.environ``) already gives that way; a count that is not a number is started over."""
    environ = os.environ if environ is None else environ
    try:
        count = int(environ.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        count = 0
    count = max(count, 0)
    variables = {"GIT_CONFIG_COUNT": str(count + len(HARDENED_GIT_CONFIG))}
    for index, (key, value) in enumerate(HARDENED_GIT_CONFIG, start=count):
        variables[f"GIT_CONFIG_KEY_{index}"] = key
        variables[f"GIT_CONFIG_VALUE_{index}"] = value
    return variables


@contextlib.contextmanager
def hardened_git() -> Iterator[None]:
    """Apply :func:`hardened_git_environment` to ``os.environ`` for the ``with`` block (for
    libraries such as copier that spawn git themselves), then put it back as it was."""
    variables = hardened_git_environment()
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
