"""Standard output that a reader may close (``scaffold ... | head``): what is written after
the reader has gone is dropped quietly."""

from __future__ import annotations

import io
import os
from typing import TextIO


def guard_stdout() -> None:
    """Make ``sys.stdout`` a :class:`ClosedPipeGuard` (once), as both command-line routes
    do before a command runs."""
    import sys

    if not isinstance(sys.stdout, ClosedPipeGuard):
        sys.stdout = ClosedPipeGuard(sys.stdout)


class ClosedPipeGuard(io.TextIOBase):
    """Standard output that becomes a sink once its reader has gone (``scaffold ... | head``).

    A closed pipe is not an error: the command finishes and exits with its own code, and
    nothing is printed about it. The file descriptor is pointed at the null device too, so
    that the interpreter's last flush at exit does not fail either.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._discard()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._discard()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    def _discard(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        except (OSError, ValueError):
            pass  # no file descriptor behind the stream: nothing will flush it at exit
        finally:
            os.close(devnull)
        self._stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
