"""What an error or an interrupt that ends a command says: one line for standard error and
its exit code (:class:`scaffold.errors.ExitCode`). Both command-line routes (typer's, and the
quick one of :mod:`scaffold.launch`) end a command through it."""

from __future__ import annotations

import os

from scaffold.errors import ExitCode, ScaffoldError, first_line


class _Said:
    interrupted = False


#: Whether an interrupt's message has been printed (so it is printed once).
said = _Said()


def debugging() -> bool:
    """``SCAFFOLD_DEBUG`` is set: an unexpected error ends with its traceback."""
    return os.environ.get("SCAFFOLD_DEBUG", "") not in ("", "0")


def describe(error: BaseException) -> tuple[str, int]:
    """The line ``scaffold: error: ...`` that says what ``error`` is, and the exit code."""
    if isinstance(error, ScaffoldError):
        message, code = str(error), int(error.exit_code)
    elif isinstance(error, KeyboardInterrupt):
        from scaffold.plan.apply import interrupted_message

        message, code = interrupted_message(), int(ExitCode.INTERRUPTED)
        said.interrupted = True
    else:
        message = f"unexpected {type(error).__name__}: {first_line(error)}"
        message, code = f"{message} (set SCAFFOLD_DEBUG=1 for a traceback)", int(ExitCode.ERROR)
    return f"scaffold: error: {message}", code
