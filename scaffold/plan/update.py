"""The plan of ``scaffold update``: what copier changed in a scratch clone of the
repository's last commit, as actions on the user's work tree, with the conflicts it left."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from scaffold.errors import (
    TargetError,
    TemplateError,
)
from scaffold.model import Action, FileAction, sha256_of_bytes
from scaffold.render.update import ConflictMode
from scaffold.repo.git import WorkTree, first_stderr_line, open_work_tree, run_git


def scratch_clone(tree: WorkTree, clone: Path) -> WorkTree:
    """The committed state of ``tree``'s repository in ``clone``, at the same folder."""
    head = tree.head_commit()
    for cwd, args in (
        (tree.root, ["clone", "--quiet", "--no-checkout", "--", str(tree.root), str(clone)]),
        (clone, ["checkout", "--quiet", head]),
    ):
        proc = run_git(cwd, args, check=False)
        if proc.returncode != 0:
            raise TargetError(
                f"cannot copy {tree.root} to update it: {first_stderr_line(proc)}; "
                "nothing was changed"
            )
    return open_work_tree(clone / tree.folder.relative_to(tree.root))


def record_source(scratch: WorkTree, project: str, src_path: str) -> None:
    """In the scratch clone, the answers file of ``project`` (a path from ``scratch``'s
    folder) made to record ``src_path`` as its template source, and committed there, so
    that copier reads the template from it and the updated answers file records it."""
    from scaffold.render import ANSWERS_FILE

    answers = scratch.folder / project / ANSWERS_FILE
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        f"_src_path: {src_path}\n" if line.startswith("_src_path:") else line for line in lines
    ]
    answers.write_text("".join(lines), encoding="utf-8")
    rel = answers.relative_to(scratch.root).as_posix()
    identity = ["-c", "user.name=scaffold", "-c", "user.email=scaffold@localhost"]
    message = "Record the template source as it is installed"
    for args in (["add", "--", rel], [*identity, "commit", "-q", "--no-verify", "-m", message]):
        proc = run_git(scratch.root, args, check=False)
        if proc.returncode != 0:
            raise TargetError(
                f"cannot record the template source of {project}: {first_stderr_line(proc)}; "
                "nothing was changed"
            )


@dataclass
class _Changes:
    """What copier changed in the scratch clone, as actions on the user's work tree, and
    the index entries of the conflicts it left (``mode sha stage`` per path)."""

    actions: list[FileAction] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unmerged: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    def copy_objects(self, scratch: WorkTree, tree: WorkTree) -> None:
        """Put the blobs of the conflicts' index entries in the user's object store (loose
        objects nothing refers to until the index does)."""
        for entries in self.unmerged.values():
            for _mode, sha, _stage in entries:
                if run_git(tree.root, ["cat-file", "-e", sha], check=False).returncode == 0:
                    continue
                blob = run_git(scratch.root, ["cat-file", "blob", sha]).stdout
                run_git(tree.root, ["hash-object", "-w", "--stdin"], stdin=blob)

    def mark_unmerged(self, tree: WorkTree) -> None:
        """Record the conflicts in the user's index as copier does, so ``git status`` shows
        them unmerged and ``git commit`` waits for them to be resolved."""
        lines = []
        for path, entries in sorted(self.unmerged.items()):
            lines.append(f"0 {'0' * 40}\t{path}")
            lines += [f"{mode} {sha} {stage}\t{path}" for mode, sha, stage in entries]
        if lines:
            run_git(tree.root, ["update-index", "--index-info"], stdin="\n".join(lines).encode())


def _in_folder(rel: str, prefix: str) -> bool:
    """Whether the repository path ``rel`` lies in the folder ``prefix`` ("" for all)."""
    return not prefix or rel.startswith(prefix + "/")


def _file_action(rel: str, source: Path, mine: Path, code: str) -> FileAction | None:
    """What the user's ``mine`` needs to become copier's ``source`` (git's status ``code``
    for it in the scratch clone); None when it already is."""
    path = PurePosixPath(rel)
    try:
        new_info: os.stat_result | None = source.lstat()
    except FileNotFoundError:
        new_info = None
    try:
        my_info: os.stat_result | None = mine.lstat()
    except FileNotFoundError:
        my_info = None
    if new_info is not None and not stat.S_ISREG(new_info.st_mode):
        raise TemplateError(
            f"the template version makes {rel} something else than a file; nothing was changed"
        )
    if my_info is not None and not stat.S_ISREG(my_info.st_mode):
        return FileAction(path, Action.CONFLICT, "something of yours is in the way; kept")
    if code in ("??", "!!") and my_info is not None:
        # Not in the last commit, yet in the work tree: a file git ignores. Yours.
        return FileAction(path, Action.CONFLICT, "you have this file (ignored by git); kept")
    if new_info is None:
        if my_info is None:
            return None
        return FileAction(path, Action.DELETE, original_sha256=sha256_of_bytes(mine.read_bytes()))
    content = source.read_bytes()
    mode = stat.S_IMODE(new_info.st_mode)
    if my_info is None:
        return FileAction(path, Action.CREATE, content=content, mode=mode)
    original = mine.read_bytes()
    if original == content and stat.S_IMODE(my_info.st_mode) == mode:
        return None
    return FileAction(
        path, Action.CHANGE, content=content, mode=mode, original_sha256=sha256_of_bytes(original)
    )


Unmerged = dict[str, list[tuple[str, str, str]]]


def _unmerged(scratch: WorkTree) -> Unmerged:
    """The unmerged index entries in ``scratch``: ``mode sha stage`` per path."""
    found: Unmerged = {}
    for line in run_git(scratch.root, ["ls-files", "-u", "-z"]).stdout.decode().split("\0"):
        if line:
            info, rel = line.split("\t", 1)
            file_mode, sha, stage = info.split()
            found.setdefault(rel, []).append((file_mode, sha, stage))
    return found


def set_aside_unmerged(scratch: WorkTree) -> Unmerged:
    """The conflicts copier's update of one project left in the scratch clone's index, taken
    out of it (each path staged as its file stands, markers and all): copier's update of the
    next project writes the index as a tree, which git refuses while any path is unmerged.
    :func:`scratch_changes` puts them back in the plan."""
    found = _unmerged(scratch)
    if found:
        run_git(scratch.root, ["add", "--", *found])
    return found


def scratch_changes(
    scratch: WorkTree, tree: WorkTree, conflict: ConflictMode, set_aside: Unmerged | None = None
) -> _Changes:
    """Every path copier changed in ``scratch`` (against the last commit), planned against
    the user's work tree ``tree``: created, changed or deleted, or a conflict where
    something of the user's is in the way (``set_aside`` are the conflicts taken out of the
    index between projects, see :func:`set_aside_unmerged`)."""
    prefix = scratch.prefix
    status = run_git(
        scratch.root,
        [
            "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all",
            "--ignored=traditional", "--", ".",
        ],
    ).stdout.decode("utf-8", "surrogateescape")  # fmt: skip
    changes = _Changes()
    rejected: set[str] = set()
    for entry in filter(None, status.split("\0")):
        code, rel = entry[:2], entry[3:]
        if not _in_folder(rel, prefix):
            continue
        source = scratch.root / rel
        action = _file_action(rel, source, tree.root / rel, code)
        if action is not None:
            changes.actions.append(action)
        if conflict == "rej" and rel.endswith(".rej") and source.exists():
            rejected.add(rel)  # copier's .rej files: the edits it could not apply
    for rel, entries in {**(set_aside or {}), **_unmerged(scratch)}.items():
        if _in_folder(rel, prefix):
            changes.unmerged[rel] = entries
    kept = {a.path.as_posix() for a in changes.actions if a.action is Action.CONFLICT}
    changes.conflicts = sorted(kept | rejected | set(changes.unmerged))
    changes.actions.sort(key=lambda action: action.path)
    return changes
