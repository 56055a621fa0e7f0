"""A project's lockfile: made by the stack's own tool in the written project, before the
first commit, so that the commit pins every dependency; and by ``scaffold update`` when the
version a project is updated to declares a lockfile the project lacks. Planned first (is
the tool on PATH?), run after the files are written, on a copy of them in a scratch folder,
so that nothing outside the project is read or written (a workspace above it would
otherwise take the step over); only the lockfile comes back. A failure is reported, never
raised: the project stands without it, and the result names the command that makes it.

The step is data in the template's ``copier.yml`` (``_scaffold.lockfile``): the file, the
command (a fixed argument list, run without a shell, never built from an answer) and the
environment that keeps the tool quiet and off the network where it can. ``update`` reads it
from the template version it updates to, and runs it only when it is the step of one of
scaffold's bundled templates: a template source's files are data, they never choose a
program to run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.errors import TemplateError, shortened

#: How long a lock command may take before it is stopped (a resolver on a slow network).
LOCK_TIMEOUT_SECONDS = 300

#: Added to every lock command's environment: no colours in the line a failure reports.
QUIET_ENVIRONMENT = {"NO_COLOR": "1"}

#: How much of the end of a tool's standard error is read for its last line.
STDERR_TAIL_BYTES = 64 * 1024

#: The most of a tool's error line the result repeats.
REASON_CHARACTERS = 300

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")


class LockStatus(StrEnum):
    """What ``new`` or ``update`` did about the lockfile (on a dry run: would do)."""

    CREATED = "created"  # the tool wrote it; it is in the first commit when there is one
    PLANNED = "planned"  # a dry run: the tool is on PATH and would be run
    TOOL_MISSING = "tool-missing"  # the tool is not on PATH: the next steps run it
    FAILED = "failed"  # the tool failed, timed out or wrote no lockfile: the next steps run it
    SKIPPED = "skipped"  # --no-lock
    NONE = "none"  # the stack has no lockfile to make
    PRESENT = "present"  # update: the project has its lockfile already
    REFUSED = "refused"  # update: the version's command is none of scaffold's templates'


@dataclass(frozen=True, slots=True)
class LockStep:
    """A template's ``_scaffold.lockfile``: the file its ``command`` writes in the project,
    and the variables added to the command's environment."""

    file: PurePosixPath
    command: tuple[str, ...]
    environment: Mapping[str, str] = field(default_factory=dict)

    @property
    def program(self) -> str:
        return self.command[0]

    @property
    def shell_line(self) -> str:
        """The command as a user types it."""
        return shlex.join(self.command)


@dataclass(frozen=True, slots=True)
class Lockfile:
    """The lockfile of a new or updated project: the step, what became of it and, in one
    line, why there is none."""

    status: LockStatus
    step: LockStep | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        step = self.step
        return {
            "status": self.status.value,
            "path": str(step.file) if step else None,
            "command": step.shell_line if step else None,
            "reason": self.reason or None,
        }

    def commands_left(self) -> tuple[str, ...]:
        """The command that makes the lockfile when ``new`` could not (none otherwise)."""
        if self.step and self.status in (LockStatus.TOOL_MISSING, LockStatus.FAILED):
            return (self.step.shell_line,)
        return ()


#: No lockfile, as asked (``--no-lock``, or a library call that does not ask for one).
LOCK_NOT_ASKED = Lockfile(LockStatus.SKIPPED, reason="not asked for")


def lock_step(metadata: Mapping[str, Any], template: Path) -> LockStep | None:
    """The lock step a template's ``_scaffold`` block declares (``None`` when it declares
    none, or ``lockfile: null``). Raises :class:`TemplateError` for a malformed one."""
    declared = metadata.get("lockfile")
    if declared is None:
        return None
    where = f"{template}/copier.yml: _scaffold.lockfile"
    if not isinstance(declared, Mapping) or set(declared) - {"file", "command", "env"}:
        raise TemplateError(f"{where} must be a mapping of file, command and env")
    file, command, env = declared.get("file"), declared.get("command"), declared.get("env", {})
    path = PurePosixPath(file) if isinstance(file, str) else None
    if path is None or path.is_absolute() or len(path.parts) != 1 or path.name in ("", ".", ".."):
        raise TemplateError(f"{where}: file must be a file name in the project's folder")
    if (
        not isinstance(command, list)
        or not command
        or not all(isinstance(arg, str) and arg for arg in command)
        or "/" in command[0]
    ):
        raise TemplateError(f"{where}: command must be a list of arguments naming a program")
    if not isinstance(env, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in env.items()
    ):
        raise TemplateError(f"{where}: env must map names to text")
    return LockStep(path, tuple(command), dict(env))


def plan_lockfile(step: LockStep | None, *, wanted: bool = True) -> Lockfile:
    """What ``new`` will do about the lockfile of ``step``: run the command, unless not
    ``wanted``, the stack has none, or the program is not on PATH. Runs nothing."""
    if not wanted:
        return Lockfile(LockStatus.SKIPPED, step, reason=LOCK_NOT_ASKED.reason)
    if step is None:
        return Lockfile(LockStatus.NONE, reason="the stack has no lockfile to make")
    if shutil.which(step.program) is None:
        return Lockfile(
            LockStatus.TOOL_MISSING, step, reason=f"{step.program} is not installed, or not on PATH"
        )
    return Lockfile(LockStatus.PLANNED, step)


def bundled_lock_steps() -> tuple[LockStep, ...]:
    """The lock step of every bundled template (the only ones ``update`` runs)."""
    from scaffold.ecosystems import template_folders
    from scaffold.templates import load_template

    steps = (
        lock_step(load_template(folder).metadata, folder) for folder in template_folders().values()
    )
    return tuple(step for step in steps if step is not None)


def plan_update_lockfile(
    metadata: Mapping[str, Any],
    template: str,
    project: Path,
    work_tree_project: Path,
    *,
    wanted: bool = True,
) -> Lockfile:
    """What ``update`` will do about the lockfile of a project it updated: ``metadata`` is
    the ``_scaffold`` block of the version it updated to (from the template ``template``),
    ``project`` the updated project (in the scratch clone) and ``work_tree_project`` the
    same project in the user's work tree. The step runs when that version declares one,
    the project has no lockfile in either place (not even one git ignores), and the step is
    one of a bundled template's; a malformed declaration is refused, never an error. Runs
    nothing."""
    try:
        step = lock_step(metadata, Path(template))
    except TemplateError as error:
        return Lockfile(LockStatus.REFUSED, reason=f"{error}; nothing was run")
    if step is None or not wanted:
        return plan_lockfile(step, wanted=wanted)
    if any(os.path.lexists(folder / step.file) for folder in (project, work_tree_project)):
        return Lockfile(LockStatus.PRESENT, step)
    if step not in bundled_lock_steps():
        return Lockfile(
            LockStatus.REFUSED,
            step,
            reason=f"{step.shell_line} is not the lock command of one of scaffold's templates, "
            "so it was not run",
        )
    return plan_lockfile(step)


def make_lockfile(target: Path, planned: Lockfile) -> Lockfile:
    """Run the ``planned`` lock command on the written project at ``target`` and put the
    lockfile it makes there. A failure is reported, not raised: the project stays as written.

    The command runs in a copy of the project in a scratch folder, not in ``target``: there
    a workspace above (uv's, npm's, Cargo's) would make the tool lock, and rewrite, that
    workspace's lockfile instead. Only the lockfile comes back into ``target``."""
    step = planned.step
    if planned.status is not LockStatus.PLANNED or step is None:
        return planned
    program = shutil.which(step.program)
    if program is None:  # gone since the plan
        return Lockfile(
            LockStatus.TOOL_MISSING, step, reason=f"{step.program} is not installed, or not on PATH"
        )
    environment = {**os.environ, **QUIET_ENVIRONMENT, **step.environment}
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as scratch:
        project = Path(scratch, target.name)
        try:
            # Not the project's own git folder, when it has one: the tool needs none.
            shutil.copytree(target, project, symlinks=True, ignore=_git_folder(target))
            returncode, stderr = _run(
                [program, *step.command[1:]], project, environment, LOCK_TIMEOUT_SECONDS
            )
        except subprocess.TimeoutExpired:
            return _failed(step, f"stopped after {LOCK_TIMEOUT_SECONDS} seconds")
        except OSError as error:
            return _failed(step, f"could not run it: {error.strerror or error}")
        if returncode != 0:
            return _failed(step, _last_line(stderr) or f"exit status {returncode}")
        made = project / step.file
        if made.is_symlink() or not made.is_file():
            return _failed(step, f"it wrote no {step.file}")
        try:
            _put(made, target / step.file)
        except OSError as error:
            return _failed(step, f"could not write {step.file}: {error.strerror or error}")
    return Lockfile(LockStatus.CREATED, step)


def _git_folder(top: Path) -> Callable[[str, list[str]], list[str]]:
    """A ``copytree`` filter that leaves out ``top``'s ``.git``, and nothing below it."""

    def ignored(folder: str, names: list[str]) -> list[str]:
        return [".git"] if ".git" in names and Path(folder) == top else []

    return ignored


def _put(source: Path, destination: Path) -> None:
    """Copy ``source`` to ``destination`` whole or not at all, an interrupt held back."""
    from scaffold import interrupts

    partial = destination.with_name(f".scaffold-lock-{destination.name}")
    with interrupts.deferred():
        try:
            shutil.copyfile(source, partial)
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)


def _failed(step: LockStep, detail: str) -> Lockfile:
    return Lockfile(LockStatus.FAILED, step, reason=f"{step.shell_line} failed: {detail}")


def _last_line(stderr: bytes) -> str:
    """The last line the tool wrote to stderr, without colours or control characters."""
    text = _ESCAPES.sub("", stderr.decode("utf-8", "replace"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return shortened(lines[-1], REASON_CHARACTERS) if lines else ""


def _run(
    argv: list[str], cwd: Path, environment: Mapping[str, str], timeout: float
) -> tuple[int, bytes]:
    """Run ``argv`` in a session of its own, so that a timeout or an interrupt stops it and
    whatever it started; its exit status and the end of its standard error (a file, so a
    chatty tool neither blocks on a full pipe nor fills the memory)."""
    with tempfile.TemporaryFile() as stderr:
        with subprocess.Popen(
            argv,
            cwd=cwd,
            env=dict(environment),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        ) as proc:
            try:
                returncode = proc.wait(timeout=timeout)
            except BaseException:  # a timeout, or an interrupt: stop the whole group
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise
        stderr.seek(max(0, stderr.seek(0, os.SEEK_END) - STDERR_TAIL_BYTES))
        return returncode, stderr.read()
