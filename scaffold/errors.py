"""One error tree for the whole library; every user-facing error knows its exit code.

The CLI maps any :class:`ScaffoldError` to a one-line message on stderr and its
``exit_code``; nothing else in the package decides how a failure ends the process.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, the same for every command (documented in the README)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    CHANGES_PENDING = 3
    CONFLICTS = 4
    INTERRUPTED = 130


def first_line(error: BaseException) -> str:
    """The first line of an error's message (tools often append a traceback or a hint)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class ScaffoldError(Exception):
    """Root of every error scaffold raises on purpose."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ScaffoldError):
    """The command was called with arguments that cannot work (exit 2)."""

    exit_code = ExitCode.USAGE


class UnknownStackError(UsageError):
    """No template or conventions exist for the requested stack."""


class InvalidAnswerError(UsageError):
    """A template answer (``--data KEY=VALUE``) is unknown or fails its validator."""


class TargetError(ScaffoldError):
    """The destination folder cannot receive the operation (exists as a file, not empty...)."""


class TemplateError(ScaffoldError):
    """A bundled or user template is broken, or copier failed while rendering it."""


class ConventionsError(ScaffoldError):
    """An agent definition cannot be read or parsed; the message names the file and line."""


class ApplyError(ScaffoldError):
    """Writing a plan failed; every change made so far was rolled back."""
