"""The only code that writes into a user's folder: all of a plan, or nothing.

Applying happens in two phases. First every new content is written to a staging
folder on the same filesystem as the destination. Then each file is moved into place;
a created file is linked so it can never replace something that appeared meanwhile,
and a replaced or deleted file's original is kept aside in the staging folder. Each step
is written in a journal before it is taken, and taken with interrupts held back (see
:mod:`scaffold.interrupts`), so the journal always says exactly what was done. If
anything fails, or the user interrupts (Ctrl-C, SIGTERM or SIGHUP), every step taken is
undone in reverse order and the original error is raised again; the staging folder, with
the originals in it, is removed only once they are all back in place.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scaffold import interrupts
from scaffold.errors import ApplyError, ScaffoldError
from scaffold.model import REPLACING_ACTIONS, Action, FileAction, Plan, sha256_of_bytes

STAGING_PREFIX = ".scaffold-staging-"

# What this process has written, plan by plan: (root, number of files). A message after an
# interrupt says from it whether a write had been completed.
_completed: list[tuple[Path, int]] = []


def completed_writes() -> tuple[tuple[Path, int], ...]:
    """Every plan this process wrote completely: its root and how many files it wrote."""
    return tuple(_completed)


def sha256_of(path: Path) -> str:
    return sha256_of_bytes(path.read_bytes())


StepKind = Literal["mkdir", "create", "move-tree", "replace", "remove", "rmdir"]


@dataclass
class _Step:
    """One change to the user's folder. ``done`` is set as soon as the change is made."""

    kind: StepKind
    path: Path
    backup: Path | None = None  # replace, remove: where the original waits
    identity: tuple[int, int] | None = None  # create, move-tree: (device, inode) of what lands
    done: bool = False


@dataclass
class _Journal:
    """Every step, recorded before it is taken, to undo them."""

    steps: list[_Step] = field(default_factory=list)

    def record(
        self, kind: StepKind, path: Path, backup: Path | None = None, source: Path | None = None
    ) -> _Step:
        """Note a step before it is taken; ``source`` is what a create or move puts at
        ``path``, so that undoing removes it only if it is there."""
        identity = None
        if source is not None:
            info = source.lstat()
            identity = (info.st_dev, info.st_ino)
        step = _Step(kind, path, backup, identity)
        self.steps.append(step)
        return step

    def rollback(self) -> list[str]:
        problems: list[str] = []
        with interrupts.deferred(raise_pending=False):
            for step in reversed(self.steps):
                try:
                    _undo(step)
                except OSError as error:
                    problems.append(f"{step.path}: {error.strerror or error}")
        return problems


def _landed(step: _Step) -> bool:
    """Whether what ``step`` puts in place is at its path (moved or linked there)."""
    try:
        info = step.path.lstat()
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == step.identity


def _undo(step: _Step) -> None:
    if step.kind in ("replace", "remove"):
        assert step.backup is not None
        if os.path.lexists(step.backup):  # the original was moved aside: put it back
            os.replace(step.backup, step.path)
    elif step.kind in ("create", "move-tree"):
        # Linked or moved there, whether or not the step got to say so; a copy is ``done``.
        if (step.identity is not None and _landed(step)) or step.done:
            _remove(step.path)
    elif not step.done:
        return
    elif step.kind == "mkdir":
        step.path.rmdir()
    elif step.kind == "rmdir":
        step.path.mkdir()


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
        with interrupts.deferred():
            step = journal.record("mkdir", directory)
            directory.mkdir()
            step.done = True


def _place_new(staged: Path, destination: Path) -> None:
    """Put ``staged`` at ``destination``, which must not exist (never clobbers). On failure
    nothing is left at ``destination``."""
    import shutil

    try:
        os.link(staged, destination)
        return
    except OSError as error:
        if error.errno == errno.EEXIST:
            raise ApplyError(f"{destination} appeared while writing") from None
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
            raise
    # No hard links here: create the file exclusively and copy the content in.
    try:
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ApplyError(f"{destination} appeared while writing") from None
    try:
        with os.fdopen(fd, "wb") as handle, staged.open("rb") as source:
            shutil.copyfileobj(source, handle)
        shutil.copymode(staged, destination)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _move_tree(root: Path, staged_tree: Path, journal: _Journal) -> None:
    """Move a staged tree that holds exactly the plan's files into an empty or missing root.

    A missing root is one rename; an existing empty root receives each top-level entry.
    """
    if root.exists():
        for entry in sorted(staged_tree.iterdir()):
            destination = root / entry.name
            with interrupts.deferred():
                journal.record("move-tree", destination, source=entry)
                entry.rename(destination)  # undone by what landed there (see _landed)
    else:
        _make_parents(root.parent, journal)
        with interrupts.deferred():
            journal.record("move-tree", root, source=staged_tree)
            staged_tree.rename(root)


def _failed(error: BaseException, journal: _Journal, staging: Path | None) -> BaseException:
    """Undo what ``journal`` did after ``error``; the error to raise in its place."""
    import shutil

    problems = journal.rollback()
    if staging is not None and not problems:
        with interrupts.deferred(raise_pending=False):
            shutil.rmtree(staging, ignore_errors=True)
    if problems:
        kept = f"; the originals are kept in {staging}" if staging is not None else ""
        return ApplyError(
            "writing failed and could not be fully undone: " + "; ".join(problems) + kept
        )
    if isinstance(error, KeyboardInterrupt) or interrupts.take_pending():
        return KeyboardInterrupt()
    if isinstance(error, ScaffoldError):
        return error
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return ApplyError(f"writing failed{where}: {error.strerror}; nothing was changed")
    return error


def apply_plan(
    plan: Plan,
    *,
    staged_tree: Path | None = None,
    finish: Callable[[], None] | None = None,
) -> tuple[FileAction, ...]:
    """Write every create, merge, change and delete of ``plan`` under ``plan.root``; return
    them.

    ``staged_tree`` is a folder on the root's filesystem that holds exactly the files of
    an all-create plan (a freshly rendered template): it is moved into place instead of
    writing each file again (when it cannot be, as across filesystems, each file is
    written). ``finish`` runs once every file is in place, as the last step of the same
    transaction (``scaffold update`` records its conflicts in git's index there): if it
    fails, everything is undone. On failure or interrupt nothing of the plan remains on
    disk; once this returns, all of it is there.
    """
    import shutil
    import tempfile

    writes = plan.writes
    if not writes:
        return ()
    root = plan.root.absolute()
    destinations = [(action, _check_destination(root, action)) for action in writes]
    journal = _Journal()
    with interrupts.handled():
        if (
            staged_tree is not None
            and finish is None
            and len(writes) == len(plan.actions)
            and all(action.action is Action.CREATE for action in writes)
            and (not os.path.lexists(root) or _is_empty_dir(root))
        ):
            try:
                _move_tree(root, staged_tree, journal)
                with interrupts.deferred(raise_pending=False):
                    _completed.append((root, len(writes)))
            except OSError as error:
                # Another filesystem (a mount point): once undone, the files are written one
                # by one below.
                if error.errno != errno.EXDEV or journal.rollback():
                    raise _failed(error, journal, None) from error
                journal = _Journal()
            except BaseException as error:
                replacement = _failed(error, journal, None)
                if replacement is error:
                    raise
                raise replacement from error
            else:
                if interrupts.take_pending():
                    raise KeyboardInterrupt
                return writes
        staging: Path | None = None
        try:
            staging_parent = existing_ancestor(root)
            try:
                with interrupts.deferred():
                    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=staging_parent))
            except OSError as error:
                raise ApplyError(
                    f"cannot write in {staging_parent}: {error.strerror}; nothing was changed"
                ) from None
            staged: list[Path] = []
            for index, (action, _) in enumerate(destinations):
                path = staging / f"{index}.new"
                if action.action is not Action.DELETE:
                    path.write_bytes(action.content or b"")
                    path.chmod(action.mode)
                staged.append(path)
            removed: list[Path] = []
            for index, ((action, destination), source) in enumerate(
                zip(destinations, staged, strict=True)
            ):
                if action.action is Action.DELETE:
                    with interrupts.deferred():
                        journal.record("remove", destination, staging / f"{index}.orig")
                        os.replace(destination, staging / f"{index}.orig")
                    removed.append(destination)
                    continue
                _make_parents(destination.parent, journal)
                with interrupts.deferred():
                    if action.action in REPLACING_ACTIONS:
                        journal.record("replace", destination, staging / f"{index}.orig")
                        os.replace(destination, staging / f"{index}.orig")
                        os.replace(source, destination)
                    else:
                        step = journal.record("create", destination, source=source)
                        _place_new(source, destination)
                        step.done = True
            _remove_emptied_folders(root, removed, journal)
            # The commit point: once ``finish`` has run, the plan stands; an interrupt that
            # arrives meanwhile is raised after, and says so (see completed_writes).
            with interrupts.deferred(raise_pending=False):
                if finish is not None:
                    finish()
                _completed.append((root, len(writes)))
        except BaseException as error:
            replacement = _failed(error, journal, staging)
            if replacement is error:
                raise
            raise replacement from error
        with interrupts.deferred(raise_pending=False):
            shutil.rmtree(staging, ignore_errors=True)
        if interrupts.take_pending():
            raise KeyboardInterrupt
    return writes


def _remove_emptied_folders(root: Path, removed: list[Path], journal: _Journal) -> None:
    """Remove the folders that deleting ``removed`` left empty, up to ``root`` (kept)."""
    for path in sorted(removed, key=lambda p: -len(p.parts)):
        for folder in path.parents:
            if folder == root or root not in folder.parents or not _is_empty_dir(folder):
                break
            with interrupts.deferred():
                step = journal.record("rmdir", folder)
                folder.rmdir()
                step.done = True


def interrupted_message() -> str:
    """What an interrupt left: nothing, or writes that had been completed before it."""
    done = completed_writes()
    if not done:
        return "interrupted; nothing was changed"
    files = sum(count for _, count in done)
    roots = ", ".join(sorted({str(root) for root, _ in done}))
    return f"interrupted after writing all {files} files of the plan in {roots}; it is complete"
