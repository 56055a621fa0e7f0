"""``scaffold detect --json`` of a repository that has not changed since the last one: its
output, kept (:mod:`scaffold.memo`) and printed again without detecting anything.

The plugin's hooks ask for it at every session, and most of a detection's time goes into
loading the detectors rather than into the repository. What a detection finds depends on
nothing but scaffold's code, the files git lists and the content of the files it reads
(every read goes through one :class:`scaffold.repo.view.RepoView`), so the output is kept
with:

- a digest of what git listed, names and messages (the key): git lists the files again at
  every run, the same two commands detection runs, and a file added, removed, renamed or
  newly ignored changes it;
- for each file read, its type, size, modification and change times, inode and device, as
  ``os.stat`` gives them through symbolic links: the change time moves whenever content
  or times are written, and no user can set it.

The kept output is printed only when git lists exactly the same and every file read has
exactly the same signature. A detection whose files were written less than
:data:`SETTLED_SECONDS` before it began is not kept: a file changed again within the
clock's granularity would keep its signature. This module loads no detector and no model,
so that a hit costs little more than git's listing.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable

#: What git printed for a listing: the tracked files and git's messages, then the untracked
#: files that are not ignored and its messages, or the process still listing them.
GitListed = tuple[bytes, bytes, "subprocess.Popen[bytes] | tuple[bytes, bytes]"]

#: Above this many tracked files no output is kept: detecting from the tracked files while
#: git still looks for untracked ones costs less than waiting for both to look one up.
KEPT_FILES = 20_000
_KIND = "detect"
#: The libraries detection parses with besides the standard library (an upgraded one may
#: parse otherwise).
PARSERS = ("defusedxml", "editorconfig", "packaging", "pathspec", "yaml")
#: How long before a detection its files must have been written last for it to be kept.
SETTLED_SECONDS = 2.0


def git_listing(root: str) -> GitListed | None:
    """What the two commands detection lists ``root`` with print
    (:func:`scaffold.repo.git_args.start_listing`), the untracked files still being listed
    when there are more than :data:`KEPT_FILES` tracked ones; None when either fails."""
    from scaffold.repo.git_args import start_listing, stop

    begun = start_listing(root)
    if begun is None:
        return None
    (others,), tracked = begun
    if tracked.returncode != 0:
        stop([others])
        return None
    if tracked.stdout.count(b"\0") > KEPT_FILES:
        return tracked.stdout, tracked.stderr, others
    others_out, others_err = others.communicate()
    if others.returncode != 0:
        return None
    return tracked.stdout, tracked.stderr, (others_out, others_err)


def _digest(listed: GitListed) -> str | None:
    """The digest of what git printed for ``listed`` (the names and the messages of both
    listings), once it has listed everything; None while it still lists."""
    tracked, tracked_errors, others = listed
    if not isinstance(others, tuple):
        return None
    digest = hashlib.sha256()
    for part in (tracked, tracked_errors, *others):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _signature(root: str, path: str) -> list[int] | None:
    try:
        info = os.stat(os.path.join(root, path))
    except (OSError, ValueError):
        return None
    return [
        info.st_mode,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        info.st_dev,
    ]


def detection_output(directory: str) -> str:
    """What ``scaffold detect --json DIRECTORY`` prints: kept, or detected (from the same
    listing) and kept."""
    import time

    root, listed, digest, kept = _look_up(directory)
    if kept is not None:
        return kept
    from scaffold.commands.detect import DetectResult, detect_projects
    from scaffold.output import json_text

    started = time.time()
    if listed is None:  # not a folder (an error to report), or git does not list it
        result = detect_projects(directory)
    else:
        from pathlib import Path

        from scaffold.detect.engine import run

        result = DetectResult(run(Path(root), listed=listed))
    text = json_text(result)
    view = result.detection.view
    # Only what git listed is keyed by the listing (an empty listing is walked instead).
    if digest is not None and view is not None and view.source == "git":
        keep_output(root, digest, view.read_paths(), text, started)
    return text


def kept_output(directory: str) -> str | None:
    """What ``scaffold detect --json DIRECTORY`` printed last, if nothing it depends on has
    changed since; None otherwise."""
    _, listed, _, kept = _look_up(directory)
    if listed is not None and not isinstance(listed[2], tuple):
        from scaffold.repo.git_args import stop

        stop([listed[2]])
    return kept


def _look_up(directory: str) -> tuple[str, GitListed | None, str | None, str | None]:
    """``directory`` resolved, git's listing of it, that listing's digest (None while git
    still lists), and the output kept for them (None without one)."""
    root = os.path.realpath(os.path.expanduser(directory))
    listed = git_listing(root) if os.path.isdir(root) else None
    digest = None if listed is None else _digest(listed)
    return root, listed, digest, None if digest is None else _kept(root, digest)


def _kept(root: str, listing: str) -> str | None:
    from scaffold import memo

    value = memo.recall(_KIND, _key(root, listing))
    try:
        reads, output = value["reads"], value["output"]
        if not isinstance(output, str) or not isinstance(reads, dict):
            return None
        if any(_signature(root, path) != signature for path, signature in reads.items()):
            return None
    except (TypeError, KeyError):
        return None
    return output


def keep_output(root: str, listing: str, reads: Iterable[str], output: str, started: float) -> None:
    """Keep ``output``, what ``scaffold detect --json`` printed for ``root`` from the
    listing ``listing`` (its digest) and the files ``reads``, for a detection
    that began at ``started`` (``time.time()``)."""
    from scaffold import memo

    settled = int((started - SETTLED_SECONDS) * 1e9)
    signatures = {path: _signature(root, path) for path in sorted(reads)}
    for signature in signatures.values():
        if signature is not None and max(signature[2], signature[3]) >= settled:
            return  # written too recently to tell a later change by its signature
    value = {"reads": signatures, "output": output}
    memo.keep(_KIND, _key(root, listing), value)


def _key(root: str, listing: str) -> str:
    from scaffold import memo

    return memo.key_of(_KIND, root, listing, memo.libraries_state(PARSERS))
