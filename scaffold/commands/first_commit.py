"""A new project's git repository: made in the written project with a first commit, unless
the project lies in a work tree already, git is missing or not wanted; only staged when git
has no identity to commit with. Planned first (asking git, changing nothing), taken after the
files are written."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from scaffold.errors import TargetError, shown_path
from scaffold.plan.apply import existing_ancestor
from scaffold.repo.git import (
    environment_with,
    first_stderr_line,
    hardened_git_environment,
    run_git,
)


class GitStatus(StrEnum):
    """What ``new`` did with git (on a dry run: would do)."""

    COMMITTED = "committed"  # a repository made in the project, the files in a first commit
    STAGED = "staged"  # a repository made, the files staged: git has no identity to commit with
    SKIPPED = "skipped"  # --no-git
    INSIDE_WORK_TREE = "inside-work-tree"  # the project lies in a work tree: it is left to you
    NO_GIT = "no-git"  # git is not installed, or not on PATH
    FAILED = "failed"  # git failed after the files were written (exit 1)


@dataclass(frozen=True, slots=True)
class FirstCommit:
    """The git repository of a new project: which steps are (or would be) taken, and, in
    one line, why the others are not."""

    status: GitStatus
    initialised: bool = False
    staged: bool = False
    committed: bool = False
    reason: str = ""
    message: str = ""  # of the first commit

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "initialised": self.initialised,
            "committed": self.committed,
            "reason": self.reason or None,
        }

    def commands_left(self) -> tuple[str, ...]:
        """The git commands that finish what was not done (none when nothing is wanted)."""
        if self.status in (GitStatus.SKIPPED, GitStatus.INSIDE_WORK_TREE, GitStatus.COMMITTED):
            return ()
        left = [] if self.initialised else ["git init"]
        if not self.staged:
            left.append("git add --all")
        if self.status is GitStatus.STAGED:  # only the identity is missing
            left.extend(IDENTITY_COMMANDS)
        left.append(f"git commit -m {shlex.quote(self.message)}")
        return tuple(left)


#: What git needs before a first commit when it has no identity (the placeholders are yours).
IDENTITY_COMMANDS = (
    'git config --global user.name "Your Name"',
    'git config --global user.email "you@example.com"',
)
# git runs with the hardened settings (no hooks, no fsmonitor: scaffold.repo.git) and, for
# the first commit, these after them: an identity only from the user's git config or the
# GIT_AUTHOR_*/GIT_COMMITTER_* variables (never one git guesses from the host), no signing
# program, no filters from a global attributes file. ``git init --template=`` copies no
# hooks or attributes from the user's template folder (``git init`` again adds them).
FIRST_COMMIT_CONFIG: tuple[tuple[str, str], ...] = (
    ("user.useConfigOnly", "true"),
    ("commit.gpgSign", "false"),
    ("core.attributesFile", "/dev/null"),
)


def _first_commit_environment() -> dict[str, str]:
    variables = hardened_git_environment()
    count = int(variables["GIT_CONFIG_COUNT"])
    for index, (key, value) in enumerate(FIRST_COMMIT_CONFIG, start=count):
        variables[f"GIT_CONFIG_KEY_{index}"] = key
        variables[f"GIT_CONFIG_VALUE_{index}"] = value
    variables["GIT_CONFIG_COUNT"] = str(count + len(FIRST_COMMIT_CONFIG))
    return variables


def plan_first_commit(target: Path, message: str, *, wanted: bool = True) -> FirstCommit:
    """What ``new`` will do with git for a project at ``target`` (absolute; it may not exist
    yet): make a repository with a first commit ``message``, unless not ``wanted``, ``target``
    lies in a work tree already, or git is missing; only stage the files when git has no
    identity to commit with. Asks git, changes nothing."""
    if not wanted:
        return NOT_ASKED
    where = existing_ancestor(target)
    with environment_with(_first_commit_environment()):
        try:
            inside = run_git(where, ["rev-parse", "--show-toplevel"], check=False, read_only=True)
            if inside.returncode == 0:
                root = inside.stdout.decode("utf-8", "surrogateescape").strip()
                return FirstCommit(
                    GitStatus.INSIDE_WORK_TREE,
                    reason=f"{shown_path(target)} is inside the git work tree of {root}",
                )
            identity = [
                run_git(where, ["var", name], check=False, read_only=True).returncode == 0
                for name in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
            ]
        except TargetError as missing:  # git is not installed, or cannot be run
            return FirstCommit(GitStatus.NO_GIT, reason=str(missing), message=message)
    if not all(identity):
        return FirstCommit(
            GitStatus.STAGED,
            initialised=True,
            staged=True,
            reason="git has no identity to commit with (user.name and user.email)",
            message=message,
        )
    return FirstCommit(
        GitStatus.COMMITTED, initialised=True, staged=True, committed=True, message=message
    )


def make_first_commit(target: Path, planned: FirstCommit) -> FirstCommit:
    """Take the steps ``planned`` in the written project at ``target``: ``git init``, ``git
    add --all``, the first commit. A failure is reported, not raised: the files stay."""
    steps = [
        ("init", ["init", "--quiet", "--template="], planned.initialised),
        ("add", ["add", "--all"], planned.staged),
        ("commit", ["commit", "--quiet", "--no-verify", "-m", planned.message], planned.committed),
    ]
    done: list[str] = []
    with environment_with(_first_commit_environment()):
        for step, args, wanted in steps:
            if not wanted:
                break
            try:
                proc = run_git(target, args, check=False)
                detail = first_stderr_line(proc) if proc.returncode else ""
            except TargetError as error:
                detail = str(error)
            if detail:
                return FirstCommit(
                    GitStatus.FAILED,
                    initialised="init" in done,
                    staged="add" in done,
                    reason=f"git {step} failed: {detail}",
                    message=planned.message,
                )
            done.append(step)
    return planned


#: No repository, as asked (``--no-git``, or a library call that does not ask for one).
NOT_ASKED = FirstCommit(GitStatus.SKIPPED, reason="not asked for")
