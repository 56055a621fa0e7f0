"""Listing a repository's files once, for a :class:`~scaffold.repo.view.RepoView`.

* In a git work tree: tracked files (``git ls-files -z --cached``, read from the index)
  plus untracked files that are not ignored (``git ls-files -z --others
  --exclude-standard``, git applying every ``.gitignore``, ``.git/info/exclude`` and
  ``core.excludesFile``). The two run side by side, and the tracked list is indexed
  while git still walks the work tree for untracked files.
* Elsewhere the folder is walked with ``os.scandir``, pruning ``.git``, the folders
  that are never source (:data:`~scaffold.repo.vendored.EXCLUDED_DIRS`) and whatever the
  ``.gitignore`` files found on the way ignore (matched with pathspec's git-ignore rules).

Unreadable folders, symlink loops and non-UTF-8 names become warnings, never errors.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scaffold.kept_detection import GitListed
from scaffold.model import DetectWarning
from scaffold.repo.git import git_command, git_environment
from scaffold.repo.git_args import start_listing, stop
from scaffold.repo.view import RepoView
from scaffold.repo.walk import drop_bad_names, walk_view

_GIT_DIR_WARNING = re.compile(r"could not open directory '(?P<dir>.*?)/?': (?P<reason>.*)$")


def open_view(root: Path, index_names: Iterable[str] = ()) -> RepoView:
    """List ``root`` once (git index when it is a work tree, else a pruned walk)."""
    view, listing = begin_view(root, index_names)
    return view if listing is None else listing.finish(view)


@dataclass(frozen=True, slots=True)
class WorkTreeChanges:
    """What ``git status`` reports for the tracked files below a folder, with the untracked
    files there that are not ignored: the paths (from the repository's root, for tracked
    files; from the folder, for untracked ones), or why ``git status`` failed."""

    paths: tuple[str, ...]
    error: str | None = None


class PendingListing:
    """The files git is still listing for a view of the tracked files: the untracked files
    that are not ignored (a walk of the work tree), and when asked the changes to tracked
    files (a look at each). The view can be read meanwhile: most work trees have no
    untracked file, and the view then already holds every file."""

    def __init__(
        self,
        root: Path,
        listing: _GitListing,
        tracked: list[str],
        warnings: list[DetectWarning],
        index_names: Iterable[str],
    ) -> None:
        self._root = root
        self._listing = listing
        self._tracked = tracked
        self._warnings = warnings
        self._index_names = tuple(index_names)
        self._finished: RepoView | None = None
        self.changes: WorkTreeChanges | None = None

    def finish(self, view: RepoView) -> RepoView:
        """``view`` if git listed no more files, else a new view of them all; waits for git.

        A view of no file at all (an empty or fully ignored tree) is replaced by a walk of
        the folder, which costs nothing then and sees more.
        """
        if self._finished is not None:
            return self._finished
        untracked = _split(self._listing.untracked(self._warnings), self._warnings)
        self.changes = self._listing.changes(untracked)
        if untracked:
            view = RepoView(
                self._root, self._tracked + untracked, source="git", index_names=self._index_names
            )
        if not view.files:
            view = walk_view(self._root, self._index_names, self._warnings)
        else:
            for warning in self._warnings:
                view.warn(warning.file, warning.message)
        self._finished = view
        return view

    def close(self) -> None:
        """Stop git if it is still listing (the view was given up on)."""
        self._listing.stop()


def begin_view(
    root: Path,
    index_names: Iterable[str] = (),
    *,
    changes: bool = False,
    listed: GitListed | None = None,
) -> tuple[RepoView, PendingListing | None]:
    """A view of ``root`` to read at once and, in a git work tree, the files git is still
    listing (see :class:`PendingListing`; with ``changes``, git's status is taken too).

    The view holds the tracked files; :meth:`PendingListing.finish` gives the view of
    every file.
    """
    index_names = tuple(index_names)
    warnings: list[DetectWarning] = []
    listing = _GitListing.start(root, warnings, changes=changes, listed=listed)
    if listing is None:
        return walk_view(root, index_names, warnings), None
    tracked = _split(listing.tracked, warnings)
    pending = PendingListing(root, listing, tracked, warnings, index_names)
    # indexed while git is still looking for untracked files
    return RepoView(root, tracked, source="git", index_names=index_names), pending


def _split(data: bytes, warnings: list[DetectWarning]) -> list[str]:
    """NUL-separated names as text; names that are not UTF-8 become warnings."""
    try:
        text = data.decode("utf-8")  # strict decoding, in C, tells at once
        clean = True
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        clean = False
    files = text.split("\0")
    files.pop()  # the list ends with a NUL (or is empty)
    return files if clean else drop_bad_names(files, warnings)


class _GitListing:
    """``git ls-files``, in processes that run side by side: tracked files (read from the
    index, quick) and untracked files that are not ignored (a walk of the work tree,
    slower), so the tracked list is indexed while git still walks; and when asked,
    ``git status`` of the tracked files (a look at each), in a third process."""

    def __init__(
        self,
        tracked: tuple[bytes, bytes],
        others: subprocess.Popen[bytes] | tuple[bytes, bytes],
        status: subprocess.Popen[bytes] | None,
    ) -> None:
        self.tracked = tracked[0]
        self._others = others
        self._status = status

    @classmethod
    def start(
        cls,
        root: Path,
        warnings: list[DetectWarning],
        *,
        changes: bool = False,
        listed: GitListed | None = None,
    ) -> _GitListing | None:
        if listed is not None and not changes:  # the listings are taken, or under way
            tracked, tracked_errors, others = listed
            return cls((tracked, tracked_errors), others, None)
        status = ("status", "--porcelain", "-z", "--untracked-files=no", "--", ".")
        begun = start_listing(root, *([status] if changes else []))
        if begun is None:
            return None
        started, proc = begun
        if proc.returncode != 0:
            stop(started)
            stderr = proc.stderr.decode("utf-8", "replace")
            if "not a git repository" not in stderr:
                first = (stderr.strip().splitlines() or ["unknown error"])[0]
                warnings.append(
                    DetectWarning(".", f"git could not list files ({first}); walked instead")
                )
            return None
        return cls((proc.stdout, proc.stderr), started[0], started[1] if changes else None)

    def untracked(self, warnings: list[DetectWarning]) -> bytes:
        if isinstance(self._others, tuple):
            (stdout, stderr), returncode = self._others, 0
        else:
            stdout, stderr = self._others.communicate()
            returncode = self._others.returncode
        for line in stderr.decode("utf-8", "replace").splitlines():
            match = _GIT_DIR_WARNING.search(line)
            if match:
                folder = match.group("dir").rstrip("/") or "."
                warnings.append(
                    DetectWarning(folder, f"cannot read folder: {match.group('reason')}")
                )
        if returncode != 0:
            return b""
        return stdout

    def stop(self) -> None:
        running = (self._others, self._status)
        stop(p for p in running if isinstance(p, subprocess.Popen) and p.returncode is None)

    def changes(self, untracked: list[str]) -> WorkTreeChanges | None:
        """The changed tracked files and the ``untracked`` ones; None if not asked."""
        if self._status is None:
            return None
        stdout, stderr = self._status.communicate()
        return _status_changes(self._status.returncode, stdout, stderr, untracked)


def git_changes(root: Path) -> WorkTreeChanges | None:
    """What ``git status`` reports below ``root``, untracked files included; None when
    ``root`` is not in a git work tree."""
    command = git_command(["status", "--porcelain", "-z", "--untracked-files=all", "--", "."])
    try:
        proc = subprocess.run(
            command, cwd=root, capture_output=True, env=git_environment(read_only=True), check=False
        )
    except OSError:  # no git to ask: say so if this looks like a work tree
        if any(os.path.lexists(os.path.join(folder, ".git")) for folder in (root, *root.parents)):
            return WorkTreeChanges((), "git is not installed, or not on PATH")
        return None
    if b"not a git repository" in proc.stderr or b"must be run in a work tree" in proc.stderr:
        return None
    return _status_changes(proc.returncode, proc.stdout, proc.stderr, [])


def _status_changes(
    returncode: int, stdout: bytes, stderr: bytes, untracked: list[str]
) -> WorkTreeChanges:
    if returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()
        reason = detail.splitlines()[0] if detail else f"exit status {returncode}"
        return WorkTreeChanges((), reason)
    changed: list[str] = []
    fields = iter(stdout.decode("utf-8", "surrogateescape").split("\0"))
    for entry in fields:
        if len(entry) < 4:
            continue
        changed.append(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:
            next(fields, None)  # a rename or copy names where it came from next
    return WorkTreeChanges(tuple(changed + untracked))
