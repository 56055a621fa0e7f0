"""One error tree for the whole library; every user-facing error knows its exit code.

The CLI maps any :class:`ScaffoldError` to a one-line message on stderr and its
``exit_code``; nothing else in the package decides how a failure ends the process.
"""

from __future__ import annotations

from collections.abc import Iterable
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


SHOWN_CHARACTERS = 60
"""The most of a value (an answer, a name) an error message echoes."""
PATH_CHARACTERS = 200
"""The most of a path an error message echoes (paths are longer, and the end matters)."""
LISTED_NAMES = 20


def shortened(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """``text`` cut to ``limit`` characters with "…" and its length when longer: a message
    never echoes a whole hostile value."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def shown_path(path: object) -> str:
    """``path`` as an error message names it, its start cut when it is very long."""
    text = str(path)
    if len(text) <= PATH_CHARACTERS:
        return text
    return f"…{text[-PATH_CHARACTERS:]} ({len(text):,} characters)"


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` as a message quotes it (``repr``), shortened like :func:`shortened`."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(value)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def listed(names: Iterable[str], limit: int = LISTED_NAMES) -> str:
    """``names`` joined with commas, at most ``limit`` of them, then "and N more"."""
    names = list(names)
    if not names:
        return "none"
    head = ", ".join(names[:limit])
    rest = len(names) - limit
    return f"{head} and {rest:,} more" if rest > 0 else head


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
