"""The writer: all of a plan or nothing, never outside the root, never over a user's file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

import pytest

from scaffold.errors import ApplyError
from scaffold.model import Action, FileAction, Plan
from scaffold.plan import apply as apply_module
from scaffold.plan.apply import apply_plan
from tests.helpers import tree_digest


def create(path: str, content: bytes = b"new\n", mode: int = 0o644) -> FileAction:
    return FileAction(PurePosixPath(path), Action.CREATE, content=content, mode=mode)


def merge(root: Path, path: str, content: bytes) -> FileAction:
    original = hashlib.sha256((root / path).read_bytes()).hexdigest()
    return FileAction(PurePosixPath(path), Action.MERGE, content=content, original_sha256=original)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "main.py").write_text("print('hi')\n")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    return root


def test_writes_creates_and_merges(repo: Path) -> None:
    plan = Plan(
        repo,
        (
            create("a/b/c.txt", b"c\n"),
            create("run.sh", b"#!/bin/sh\n", mode=0o755),
            merge(repo, "pyproject.toml", b"[project]\nname = 'x'\n\n[tool.ruff]\n"),
            FileAction(PurePosixPath("src/main.py"), Action.SKIP, reason="exists"),
        ),
    )
    written = apply_plan(plan)
    assert [a.path.as_posix() for a in written] == ["a/b/c.txt", "run.sh", "pyproject.toml"]
    assert (repo / "a/b/c.txt").read_bytes() == b"c\n"
    assert os.access(repo / "run.sh", os.X_OK)
    assert (repo / "pyproject.toml").read_text().endswith("[tool.ruff]\n")
    assert (repo / "src/main.py").read_text() == "print('hi')\n"
    assert sorted(p.name for p in repo.iterdir()) == ["a", "pyproject.toml", "run.sh", "src"]


def test_missing_root_is_created(tmp_path: Path) -> None:
    root = tmp_path / "new" / "project"
    apply_plan(Plan(root, (create("README.md"),)))
    assert (root / "README.md").read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_failure_in_the_middle_undoes_everything(
    repo: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    before = tree_digest(repo.parent)
    real_place = apply_module._place_new
    calls = []

    def flaky_place(staged: Path, destination: Path) -> None:
        calls.append(destination)
        if len(calls) == 3:
            raise failure("boom")
        real_place(staged, destination)

    monkeypatch.setattr(apply_module, "_place_new", flaky_place)
    plan = Plan(
        repo,
        (
            merge(repo, "pyproject.toml", b"changed\n"),
            create("new/one.txt"),
            create("new/deeper/two.txt"),
            create("three.txt"),
        ),
    )
    expected = KeyboardInterrupt if failure is KeyboardInterrupt else ApplyError
    with pytest.raises(expected):
        apply_plan(plan)
    assert len(calls) == 3
    assert tree_digest(repo.parent) == before


def test_a_file_that_appeared_after_planning_is_not_overwritten(repo: Path) -> None:
    plan = Plan(repo, (create("one.txt"), create("src/main.py")))
    before = tree_digest(repo)
    with pytest.raises(ApplyError, match="appeared after planning"):
        apply_plan(plan)
    assert tree_digest(repo) == before


def test_a_merge_target_changed_since_planning_is_refused(repo: Path) -> None:
    plan = Plan(repo, (merge(repo, "pyproject.toml", b"merged\n"),))
    (repo / "pyproject.toml").write_text("edited by the user\n")
    with pytest.raises(ApplyError, match="changed after planning"):
        apply_plan(plan)
    assert (repo / "pyproject.toml").read_text() == "edited by the user\n"


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../escape.txt"])
def test_paths_leaving_the_root_are_refused(repo: Path, path: str) -> None:
    before = tree_digest(repo.parent)
    with pytest.raises(ApplyError, match="outside"):
        apply_plan(Plan(repo, (create(path),)))
    assert tree_digest(repo.parent) == before


def test_symlinks_are_not_followed_for_writing(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ApplyError, match="symbolic link"):
        apply_plan(Plan(repo, (create("link/file.txt"),)))
    assert list(outside.iterdir()) == []


def test_no_staging_folder_is_left_behind(repo: Path) -> None:
    apply_plan(Plan(repo, (create("x.txt"),)))
    assert not [p for p in repo.iterdir() if p.name.startswith(apply_module.STAGING_PREFIX)]
    assert not [p for p in repo.parent.iterdir() if p.name.startswith(apply_module.STAGING_PREFIX)]


def test_an_empty_plan_writes_nothing(repo: Path) -> None:
    before = tree_digest(repo)
    assert apply_plan(Plan(repo, ())) == ()
    assert tree_digest(repo) == before


def test_a_staged_tree_moves_into_a_missing_root_whole(tmp_path: Path) -> None:
    staged = tmp_path / "staged"
    (staged / "pkg").mkdir(parents=True)
    (staged / "pkg" / "a.py").write_text("a\n")
    (staged / "README.md").write_text("r\n")
    root = tmp_path / "deep" / "project"
    plan = Plan(root, (create("README.md", b"r\n"), create("pkg/a.py", b"a\n")))
    apply_plan(plan, staged_tree=staged)
    assert tree_digest(root) == {
        "README.md": hashlib.sha256(b"r\n").hexdigest(),
        "pkg": "dir",
        "pkg/a.py": hashlib.sha256(b"a\n").hexdigest(),
    }
    assert not staged.exists()


def test_an_interrupted_move_into_an_empty_root_leaves_it_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = tmp_path / "staged"
    staged.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (staged / name).write_text(name)
    root = tmp_path / "project"
    root.mkdir()
    real_rename = Path.rename
    calls: list[Path] = []

    def flaky_rename(self: Path, target: str | os.PathLike[str]) -> Path:
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", flaky_rename)
    plan = Plan(root, tuple(create(name) for name in ("a.txt", "b.txt", "c.txt")))
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, staged_tree=staged)
    assert list(root.iterdir()) == []


def test_an_interrupt_just_after_a_file_is_moved_aside_puts_it_back(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(repo.parent)
    real_replace = os.replace

    def replace_then_interrupt(source: str | Path, target: str | Path) -> None:
        real_replace(source, target)
        if str(target).endswith(".orig"):  # the user's file is now only in the backup
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    plan = Plan(repo, (create("a.txt"), merge(repo, "pyproject.toml", b"merged\n")))
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan)
    monkeypatch.undo()
    assert tree_digest(repo.parent) == before


def test_an_interrupt_just_after_a_file_is_linked_removes_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(repo.parent)
    real_link = os.link

    def link_then_interrupt(source: str | Path, target: str | Path) -> None:
        real_link(source, target)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", link_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        apply_plan(Plan(repo, (create("a.txt"), create("b/c.txt"))))
    monkeypatch.undo()
    assert tree_digest(repo.parent) == before


def test_a_delete_and_the_folders_it_empties_are_undone_on_failure(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "docs" / "old").mkdir(parents=True)
    (repo / "docs" / "old" / "guide.md").write_text("guide\n")
    before = tree_digest(repo.parent)
    guide = hashlib.sha256(b"guide\n").hexdigest()
    plan = Plan(
        repo,
        (
            FileAction(PurePosixPath("docs/old/guide.md"), Action.DELETE, original_sha256=guide),
            create("z.txt"),
        ),
    )
    calls = []

    def fail_after_removal(source: str | Path, target: str | Path) -> None:
        calls.append(target)
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(apply_module, "_place_new", fail_after_removal)
    with pytest.raises(ApplyError, match="No space left on device"):
        apply_plan(plan)
    monkeypatch.undo()
    assert calls and tree_digest(repo.parent) == before

    apply_plan(plan)
    assert not (repo / "docs").exists()
    assert (repo / "z.txt").read_bytes() == b"new\n"
