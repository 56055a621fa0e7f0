"""The one way scaffold runs git: a fixed argument list (``git`` and scaffold's own
arguments, ``--`` before any path or URL), no shell, and an environment that addresses the
repository by the working folder alone (``GIT_DIR``, ``GIT_WORK_TREE`` and
``GIT_INDEX_FILE`` from outside are dropped). Questions run with ``GIT_OPTIONAL_LOCKS=0``,
so that ``git status`` does not rewrite the index as it answers.

The listing of a view (:mod:`scaffold.repo.listing`) starts its git processes side by side
with the same arguments and environment (:func:`git_command`, :func:`git_environment`).
The template history store (:mod:`scaffold.history`) keeps its own runner: the wheel's
build hook loads that module by path, without this package.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError, TargetError
from scaffold.repo.git_args import git_command as git_command
from scaffold.repo.git_args import git_environment as git_environment


def run_git(
    cwd: Path,
    args: Sequence[str | os.PathLike[str]],
    *,
    stdin: bytes | None = None,
    check: bool = True,
    read_only: bool = False,
    error: type[ScaffoldError] = TargetError,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS`` in ``cwd`` and return what it printed (bytes).

    With ``check``, a failure is one line: ``git <command> failed in <cwd>: <first line of
    git's message>``; git that cannot be run at all is ``cannot run git: <reason>``. Either
    is raised as ``error``.
    """
    try:
        proc = subprocess.run(
            git_command(args),
            cwd=cwd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=git_environment(read_only=read_only),
            check=False,
        )
    except FileNotFoundError as missing:
        if missing.filename == "git" or cwd.is_dir():
            raise error("git is not installed, or not on PATH") from None
        raise error(f"cannot run git: {missing.strerror}") from None
    except OSError as failure:
        raise error(f"cannot run git: {failure.strerror}") from None
    if check and proc.returncode != 0:
        raise error(f"git {args[0]} failed in {cwd}: {first_stderr_line(proc)}")
    return proc


def first_stderr_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    """The first line git wrote to stderr, or its exit status when it wrote nothing."""
    detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return detail[0] if detail else f"exit status {proc.returncode}"


@dataclass(frozen=True, slots=True)
class WorkTree:
    """A folder inside a git work tree: the repository's root and the folder's path in it."""

    root: Path
    folder: Path

    @property
    def prefix(self) -> str:
        rel = self.folder.relative_to(self.root).as_posix()
        return "" if rel == "." else rel

    def git(self, command: str, *args: str | Path) -> str:
        """What ``git COMMAND ARGS`` printed in this repository (its last newline
        dropped); a one-line error if git fails or cannot be run. Only questions are
        asked: git is told not to refresh the index as it answers."""
        proc = run_git(self.root, [command, *args], check=False, read_only=True)
        if proc.returncode != 0:
            raise TargetError(f"git {command} failed in {self.root}: {first_stderr_line(proc)}")
        return proc.stdout.decode("utf-8", "surrogateescape").removesuffix("\n")

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

    def head_commit(self) -> str:
        """The commit HEAD names (a one-line error when there is none yet)."""
        return self.git("rev-parse", "--verify", "HEAD^{commit}").strip()


def _relative(path: str, prefix: str) -> str:
    return path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else path


def open_work_tree(folder: Path) -> WorkTree:
    """The work tree holding ``folder``, or a one-line error if there is none."""
    not_in_git = TargetError(
        f"{folder} is not in a git repository; commit the project to git first"
    )
    if not folder.is_dir():
        raise not_in_git
    proc = run_git(folder, ["rev-parse", "--is-bare-repository", "--show-toplevel"], check=False,
                   read_only=True)  # fmt: skip
    answer = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if answer[:1] == ["true"]:
        raise TargetError(f"{folder} is in a bare git repository")
    if proc.returncode != 0 or len(answer) != 2:
        raise not_in_git
    return WorkTree(root=Path(answer[1]).resolve(), folder=folder.resolve())


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
def environment_with(variables: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``variables`` set for the ``with`` block (for libraries such as
    copier that spawn git themselves), then put back as it was."""
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


def hardened_git() -> contextlib.AbstractContextManager[None]:
    """:func:`hardened_git_environment` applied to ``os.environ`` for a ``with`` block."""
    return environment_with(hardened_git_environment())
