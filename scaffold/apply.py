"""The only code that writes into a user's folder: all of a plan, or nothing.

Applying happens in two phases. First every new content is written to a staging
folder on the same filesystem as the destination. Then each file is moved into place;
a created file is linked so it can never replace something that appeared meanwhile,
and a merged file's original is kept aside. If anything fails, or the user interrupts
(Ctrl-C or SIGTERM), every step taken is undone in reverse order and the original
error is raised again.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from scaffold.errors import ApplyError, ScaffoldError
from scaffold.model import REPLACING_ACTIONS, Action, FileAction, Plan

STAGING_PREFIX = ".scaffold-staging-"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class _Journal:
    """What has been done so far, to undo it."""

    created_dirs: list[Path] = field(default_factory=list)
    created_files: list[Path] = field(default_factory=list)
    replaced: list[tuple[Path, Path]] = field(default_factory=list)  # (target, backup)

    def rollback(self) -> list[str]:
        problems: list[str] = []
        for target, backup in reversed(self.replaced):
            try:
                backup.replace(target)
            except OSError as error:
                problems.append(f"{target}: {error.strerror}")
        for path in reversed(self.created_files):
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                problems.append(f"{path}: {error.strerror}")
        for path in reversed(self.created_dirs):
            try:
                path.rmdir()
            except OSError as error:
                problems.append(f"{path}: {error.strerror}")
        return problems


def existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor)


def _check_destination(root: Path, action: FileAction) -> Path:
    """The absolute destination of ``action``, refusing anything that leaves ``root``."""
    rel = action.path
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ApplyError(f"refusing to write outside {root}: {rel}")
    destination = root.joinpath(*rel.parts)
    for parent in (root.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts) + 1)):
        if parent.is_symlink():
            raise ApplyError(f"refusing to write through the symbolic link {parent}")
    if action.action is Action.CREATE and os.path.lexists(destination):
        raise ApplyError(f"{destination} appeared after planning; nothing was written")
    if action.action in REPLACING_ACTIONS:
        if not destination.is_file():
            raise ApplyError(f"{destination} vanished after planning; nothing was written")
        if action.original_sha256 and sha256_of(destination) != action.original_sha256:
            raise ApplyError(f"{destination} changed after planning; nothing was written")
    return destination


def _make_parents(path: Path, journal: _Journal) -> None:
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir()
        journal.created_dirs.append(directory)


def _place_new(staged: Path, destination: Path) -> None:
    try:
        os.link(staged, destination)  # fails if destination exists: never clobbers
    except OSError as error:
        if error.errno == errno.EEXIST:
            raise ApplyError(f"{destination} appeared while writing") from None
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(destination):
            raise ApplyError(f"{destination} appeared while writing") from None
        shutil.copy2(staged, destination)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt while writing, so rollback runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _move_tree(root: Path, staged_tree: Path) -> None:
    """Move a staged tree that holds exactly the plan's files into an empty or missing root.

    A missing root is one rename; an existing empty root receives each top-level entry.
    """
    journal = _Journal()
    moved: list[Path] = []
    try:
        if root.exists():
            for entry in sorted(staged_tree.iterdir()):
                destination = root / entry.name
                entry.rename(destination)
                moved.append(destination)
        else:
            _make_parents(root.parent, journal)
            staged_tree.rename(root)
            moved.append(root)
    except BaseException:
        for path in reversed(moved):
            _remove(path)
        journal.rollback()
        raise


def apply_plan(plan: Plan, *, staged_tree: Path | None = None) -> tuple[FileAction, ...]:
    """Write every create and merge of ``plan`` under ``plan.root``; return them.

    ``staged_tree`` is a folder on the root's filesystem that holds exactly the files of
    an all-create plan (a freshly rendered template): it is moved into place instead of
    writing each file again (when it cannot be, as across filesystems, each file is
    written). On failure nothing of the plan remains on disk.
    """
    writes = plan.writes
    if not writes:
        return ()
    root = plan.root.absolute()
    destinations = [(action, _check_destination(root, action)) for action in writes]
    if (
        staged_tree is not None
        and len(writes) == len(plan.actions)
        and all(action.action is Action.CREATE for action in writes)
        and (not os.path.lexists(root) or _is_empty_dir(root))
    ):
        with _sigterm_as_interrupt():
            try:
                _move_tree(root, staged_tree)
                return writes
            except OSError as error:
                if error.errno != errno.EXDEV:
                    where = f" ({error.filename})" if error.filename else ""
                    raise ApplyError(
                        f"writing failed{where}: {error.strerror}; nothing was changed"
                    ) from error
        # Another filesystem (a mount point): the files are written one by one below.
    journal = _Journal()
    staging_parent = existing_ancestor(root)
    with _sigterm_as_interrupt():
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=staging_parent))
        except OSError as error:
            raise ApplyError(f"cannot write in {staging_parent}: {error.strerror}") from None
        try:
            staged: list[Path] = []
            for index, (action, _) in enumerate(destinations):
                path = staging / f"{index}.new"
                path.write_bytes(action.content or b"")
                path.chmod(action.mode)
                staged.append(path)
            for index, ((action, destination), source) in enumerate(
                zip(destinations, staged, strict=True)
            ):
                _make_parents(destination.parent, journal)
                if action.action in REPLACING_ACTIONS:
                    backup = staging / f"{index}.orig"
                    destination.replace(backup)
                    journal.replaced.append((destination, backup))
                    source.replace(destination)
                else:
                    _place_new(source, destination)
                    journal.created_files.append(destination)
        except BaseException as error:
            problems = journal.rollback()
            shutil.rmtree(staging, ignore_errors=True)
            if problems:
                raise ApplyError(
                    "writing failed and could not be fully undone: " + "; ".join(problems)
                ) from error
            if isinstance(error, ScaffoldError | KeyboardInterrupt):
                raise
            if isinstance(error, OSError):
                where = f" ({error.filename})" if error.filename else ""
                raise ApplyError(
                    f"writing failed{where}: {error.strerror}; nothing was changed"
                ) from error
            raise
        shutil.rmtree(staging, ignore_errors=True)
    return writes
