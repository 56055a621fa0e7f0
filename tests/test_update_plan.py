"""The plan of `scaffold update`, exactly: what changed in a scratch clone of the last commit
(here changed by hand, as copier would) planned against the user's work tree, with the
conflicts, and the conflicts' index entries carried into the user's repository."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from scaffold.errors import TargetError, TemplateError
from scaffold.plan.update import _Changes, scratch_changes, scratch_clone
from scaffold.repo.git import WorkTree, open_work_tree
from tests.helpers import committed_repo, git, write_files

KEPT = "you have this file (ignored by git); kept"
IN_THE_WAY = "something of yours is in the way; kept"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def planned(changes: _Changes) -> list[tuple[str, str, str, bytes | None, int, str | None]]:
    return [
        (a.path.as_posix(), a.action.value, a.reason, a.content, a.mode, a.original_sha256)
        for a in changes.actions
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_repo(
        tmp_path / "repo",
        {
            ".gitignore": "*.log\nbuild/\n",
            "svc/app.py": "print('v1')\n",
            "svc/old.py": "old\n",
            "svc/run.sh": "#!/bin/sh\n",
            "svc/same.txt": "same\n",
            "other/lib.py": "lib\n",
        },
    )


def clone_of(tree: WorkTree, tmp_path: Path) -> WorkTree:
    scratch = scratch_clone(tree, tmp_path / "scratch")
    assert (scratch.root, scratch.prefix) == ((tmp_path / "scratch").resolve(), tree.prefix)
    return scratch


def test_every_change_in_the_folder_is_planned_and_nothing_outside_it(
    repo: Path, tmp_path: Path
) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    write_files(
        scratch.root,
        {
            "svc/app.py": "print('v2')\n",
            "svc/new/module.py": "new\n",
            "svc/debug.log": "copier's\n",
            "svc/in_the_way.py": "copier's\n",
            "other/lib.py": "changed outside the folder\n",
            "other/added.py": "added outside the folder\n",
            "svcx/added.py": "a folder whose name starts like it\n",
        },
    )
    (scratch.root / "svc" / "old.py").unlink()
    (scratch.root / "svc" / "run.sh").chmod(0o755)
    (scratch.root / "svc" / "same.txt").write_text("same\n")
    write_files(repo, {"svc/debug.log": "mine\n", "svc/in_the_way.py/inner": "mine\n"})

    changes = scratch_changes(scratch, tree, "inline")

    assert planned(changes) == [
        ("svc/app.py", "change", "", b"print('v2')\n", 0o644, digest(b"print('v1')\n")),
        ("svc/debug.log", "conflict", KEPT, None, 0o644, None),
        ("svc/in_the_way.py", "conflict", IN_THE_WAY, None, 0o644, None),
        ("svc/new/module.py", "create", "", b"new\n", 0o644, None),
        ("svc/old.py", "delete", "", None, 0o644, digest(b"old\n")),
        ("svc/run.sh", "change", "", b"#!/bin/sh\n", 0o755, digest(b"#!/bin/sh\n")),
    ]
    assert changes.conflicts == ["svc/debug.log", "svc/in_the_way.py"]
    assert changes.unmerged == {}


def test_the_whole_repository_is_planned_from_its_root(repo: Path, tmp_path: Path) -> None:
    tree = open_work_tree(repo)
    scratch = clone_of(tree, tmp_path)
    write_files(scratch.root, {"other/lib.py": "lib v2\n", "svc/app.py": "print('v2')\n"})
    assert [
        (path, action) for path, action, *_ in planned(scratch_changes(scratch, tree, "inline"))
    ] == [
        ("other/lib.py", "change"),
        ("svc/app.py", "change"),
    ]


def test_a_file_already_as_the_template_makes_it_needs_nothing(repo: Path, tmp_path: Path) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    write_files(scratch.root, {"svc/app.py": "print('v2')\n"})
    (scratch.root / "svc" / "old.py").unlink()
    # The user's tree already holds the file as copier changes it, and lacks the one it
    # deletes (the planner is given the tree as it is).
    write_files(repo, {"svc/app.py": "print('v2')\n"})
    (repo / "svc" / "old.py").unlink()
    assert planned(scratch_changes(scratch, tree, "inline")) == []


def test_rej_files_are_conflicts_when_asked_for(repo: Path, tmp_path: Path) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    write_files(scratch.root, {"svc/app.py.rej": "@@ the edit it could not apply\n"})
    rejected = scratch_changes(scratch, tree, "rej")
    assert planned(rejected) == [
        ("svc/app.py.rej", "create", "", b"@@ the edit it could not apply\n", 0o644, None)
    ]
    assert rejected.conflicts == ["svc/app.py.rej"]
    assert scratch_changes(scratch, tree, "inline").conflicts == []


def test_a_rej_file_of_yours_in_the_way_is_one_conflict(repo: Path, tmp_path: Path) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    write_files(scratch.root, {"svc/build/app.py.rej": "@@ copier's\n"})
    write_files(repo, {"svc/build/app.py.rej": "mine\n"})
    changes = scratch_changes(scratch, tree, "rej")
    assert planned(changes) == [("svc/build/app.py.rej", "conflict", KEPT, None, 0o644, None)]
    assert changes.conflicts == ["svc/build/app.py.rej"]


def test_the_template_making_a_file_something_else_is_refused(repo: Path, tmp_path: Path) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    (scratch.root / "svc" / "app.py").unlink()
    os.symlink("same.txt", scratch.root / "svc" / "app.py")
    with pytest.raises(TemplateError) as refused:
        scratch_changes(scratch, tree, "inline")
    assert str(refused.value) == (
        "the template version makes svc/app.py something else than a file; nothing was changed"
    )


@pytest.mark.parametrize(
    ("name", "action"), [("svc/app.py", "change"), ("svc/a\tname with a tab.py", "create")]
)
def test_conflicts_left_in_the_index_are_carried_into_the_users_repository(
    repo: Path, tmp_path: Path, name: str, action: str
) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    stages = {}
    for stage, text in (("1", "base\n"), ("2", "ours\n"), ("3", "theirs\n")):
        (tmp_path / "blob").write_text(text)
        stages[stage] = git(scratch.root, "hash-object", "-w", str(tmp_path / "blob")).strip()
    entries = "".join(f"100644 {sha} {stage}\t{name}\0" for stage, sha in stages.items())
    entries += f"100644 {stages['3']} 3\tother/lib.py\0"  # outside the folder: not planned
    subprocess.run(
        ["git", "update-index", "-z", "--index-info"],
        cwd=scratch.root,
        input=entries.encode(),
        check=True,
    )
    write_files(scratch.root, {name: "<<<<<<< before\nours\n=======\ntheirs\n>>>>>>> after\n"})

    changes = scratch_changes(scratch, tree, "inline")
    assert changes.unmerged == {name: [("100644", stages[s], s) for s in ("1", "2", "3")]}
    assert changes.conflicts == [name]
    assert [(path, action) for path, action, *_ in planned(changes)] == [(name, action)]

    changes.copy_objects(scratch, tree)
    for sha in stages.values():
        assert git(repo, "cat-file", "-t", sha) == "blob\n"
    changes.copy_objects(scratch, tree)  # objects already there are left as they are
    changes.mark_unmerged(tree)
    assert git(repo, "ls-files", "-u", "-z") == "".join(
        f"100644 {stages[s]} {s}\t{name}\0" for s in ("1", "2", "3")
    )


def test_a_file_of_yours_git_does_not_track_is_kept(repo: Path, tmp_path: Path) -> None:
    # Where the template version adds a file, one of yours that is not in the last commit
    # (untracked, or ignored) is never replaced.
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    write_files(scratch.root, {"svc/new.py": "copier's\n", "svc/new.log": "copier's\n"})
    write_files(repo, {"svc/new.py": "mine\n", "svc/new.log": "mine\n"})
    changes = scratch_changes(scratch, tree, "inline")
    assert planned(changes) == [
        ("svc/new.log", "conflict", KEPT, None, 0o644, None),
        ("svc/new.py", "conflict", KEPT, None, 0o644, None),
    ]
    assert changes.conflicts == ["svc/new.log", "svc/new.py"]


def test_a_file_name_that_is_not_utf8_is_planned_by_its_bytes(repo: Path, tmp_path: Path) -> None:
    tree = open_work_tree(repo / "svc")
    scratch = clone_of(tree, tmp_path)
    name = os.fsdecode(b"caf\xe9.txt")
    (scratch.root / "svc" / name).write_bytes(b"new\n")
    assert planned(scratch_changes(scratch, tree, "inline")) == [
        (f"svc/{name}", "create", "", b"new\n", 0o644, None)
    ]


def test_nothing_unmerged_leaves_the_index_alone(repo: Path) -> None:
    tree = open_work_tree(repo)
    index = (repo / ".git" / "index").read_bytes()
    _Changes().mark_unmerged(tree)
    assert (repo / ".git" / "index").read_bytes() == index


def test_a_repository_that_cannot_be_cloned_is_refused_with_nothing_changed(
    repo: Path, tmp_path: Path
) -> None:
    tree = open_work_tree(repo / "svc")
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "taken").write_text("not empty\n")
    with pytest.raises(TargetError) as refused:
        scratch_clone(tree, tmp_path / "scratch")
    message = str(refused.value)
    assert message.startswith(f"cannot copy {tree.root} to update it: fatal: destination path ")
    assert message.endswith("; nothing was changed")
