"""Interrupts as exceptions, held back while a step must not be cut in two.

Ctrl-C (SIGINT), SIGTERM and SIGHUP all become :class:`KeyboardInterrupt` while
:func:`handled` is in force (the command line keeps it for a whole command), so every
``with`` block on the way out runs: scratch folders are removed and a writer rolls back.
Inside :func:`deferred` an interrupt is only noted, and raised when the block ends: the
writer takes each step (a file moved into place and its journal entry) as one.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _State:
    installed = 0
    depth = 0
    pending: int | None = None


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state.depth:
        _state.pending = signum
        return
    raise KeyboardInterrupt


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise :class:`KeyboardInterrupt` inside the block (in the
    main thread; elsewhere signals cannot be handled and nothing changes). Nests."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    if not _state.installed:
        for number in SIGNALS:
            previous[number] = signal.signal(number, _handler)
    _state.installed += 1
    try:
        yield
    finally:
        _state.installed -= 1
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def deferred(*, raise_pending: bool = True) -> Iterator[None]:
    """Hold back interrupts until the block ends; then raise one that arrived (unless
    ``raise_pending`` is false: the caller is already on its way out, and the interrupt
    stays noted for the next block that raises it)."""
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
    if raise_pending and not _state.depth and _state.pending is not None:
        _state.pending = None
        raise KeyboardInterrupt


def take_pending() -> bool:
    """Whether an interrupt was held back and not raised; it is cleared."""
    pending, _state.pending = _state.pending, None
    return pending is not None


@contextlib.contextmanager
def scratch_folder(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A new folder for work in progress (in ``parent``, else the system's temporary
    folder), removed when the block ends, however it ends: interrupts are held back while
    it is made and while it is removed, so none can leave it behind."""
    import shutil
    import tempfile

    path: Path | None = None
    try:
        # An interrupt that arrives while the folder is made is raised when this block
        # ends: the folder has a name by then, and goes.
        with deferred():
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        yield path
    except BaseException:
        if path is not None:
            with deferred(raise_pending=False):
                shutil.rmtree(path, ignore_errors=True)
        raise
    with deferred():
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def temporary_files_in(folder: Path) -> Iterator[None]:
    """Libraries' own temporary files (copier's template clones) go in ``folder`` during
    the block: a scratch folder whose removal takes them along, even when an interrupt
    stops the library before it cleans up."""
    import tempfile

    folder.mkdir(exist_ok=True)
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved
