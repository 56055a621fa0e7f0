"""The writer: all of a plan or nothing, never outside the root, never over a user's file."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

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


def interrupt_rename(monkeypatch: pytest.MonkeyPatch, *, at_call: int) -> None:
    """Ctrl-C as the ``at_call``-th rename starts (the earlier ones are done)."""
    real_rename = Path.rename
    calls: list[Path] = []

    def flaky_rename(self: Path, target: str | os.PathLike[str]) -> Path:
        calls.append(self)
        if len(calls) == at_call:
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", flaky_rename)


def test_an_interrupted_move_into_an_empty_root_leaves_it_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = tmp_path / "staged"
    staged.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (staged / name).write_text(name)
    root = tmp_path / "project"
    root.mkdir()
    interrupt_rename(monkeypatch, at_call=2)
    plan = Plan(root, tuple(create(name) for name in ("a.txt", "b.txt", "c.txt")))
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, staged_tree=staged)
    assert list(root.iterdir()) == []


def interrupt_after(
    monkeypatch: pytest.MonkeyPatch, name: str, when: Callable[[str], bool]
) -> None:
    """``os.NAME(source, target)`` does its work, then raises KeyboardInterrupt ``when``
    the target says so."""
    real = getattr(os, name)

    def then_interrupt(source: str | Path, target: str | Path) -> None:
        real(source, target)
        if when(str(target)):
            raise KeyboardInterrupt

    monkeypatch.setattr(os, name, then_interrupt)


def test_an_interrupt_just_after_a_file_is_moved_aside_puts_it_back(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(repo.parent)
    # Once the user's file is only in its backup.
    interrupt_after(monkeypatch, "replace", lambda target: target.endswith(".orig"))
    plan = Plan(repo, (create("a.txt"), merge(repo, "pyproject.toml", b"merged\n")))
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan)
    monkeypatch.undo()
    assert tree_digest(repo.parent) == before


def test_an_interrupt_just_after_a_file_is_linked_removes_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(repo.parent)
    interrupt_after(monkeypatch, "link", lambda target: True)
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


# --- where hard links, renames or the undo itself fail -------------------------------------


def no_hard_links(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: str | Path, target: str | Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted", str(target))

    monkeypatch.setattr(os, "link", refuse)


def test_without_hard_links_each_file_is_created_exclusively(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_hard_links(monkeypatch)
    plan = Plan(repo, (create("bin/run", b"#!/bin/sh\n", mode=0o755), create("a/b.txt", b"b\n")))
    apply_plan(plan)
    assert (repo / "bin" / "run").read_bytes() == b"#!/bin/sh\n"
    assert stat.S_IMODE((repo / "bin" / "run").stat().st_mode) == 0o755
    assert (repo / "a" / "b.txt").read_bytes() == b"b\n"
    assert stat.S_IMODE((repo / "a" / "b.txt").stat().st_mode) == 0o644
    assert not list(repo.rglob(f"{apply_module.STAGING_PREFIX}*"))


@pytest.mark.parametrize("hard_links", [True, False])
def test_a_file_that_appears_while_writing_is_never_replaced(
    repo: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    theirs = repo / "late.txt"
    real_link = os.link

    def link_after_someone(source: str | Path, target: str | Path) -> None:
        if Path(target) == theirs:
            theirs.write_text("theirs\n")
        if not hard_links:
            raise OSError(errno.EPERM, "Operation not permitted", str(target))
        real_link(source, target)

    monkeypatch.setattr(os, "link", link_after_someone)
    before = tree_digest(repo) | {"late.txt": hashlib.sha256(b"theirs\n").hexdigest()}
    with pytest.raises(ApplyError) as raised:
        apply_plan(Plan(repo, (create("early.txt"), create("late.txt"))))
    monkeypatch.undo()
    assert str(raised.value) == f"{theirs} appeared while writing"
    assert tree_digest(repo) == before


def test_a_copy_that_fails_leaves_no_partial_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_hard_links(monkeypatch)

    def disk_full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    before = tree_digest(repo.parent)
    with pytest.raises(ApplyError) as raised:
        apply_plan(Plan(repo, (create("a/b.txt"),)))
    monkeypatch.undo()
    assert str(raised.value) == "writing failed: No space left on device; nothing was changed"
    assert tree_digest(repo.parent) == before


def test_an_error_naming_a_file_says_which(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(staged: Path, destination: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(destination))

    monkeypatch.setattr(apply_module, "_place_new", disk_full)
    before = tree_digest(repo.parent)
    with pytest.raises(ApplyError) as raised:
        apply_plan(Plan(repo, (merge(repo, "pyproject.toml", b"x\n"), create("new.txt"))))
    monkeypatch.undo()
    assert str(raised.value) == (
        f"writing failed ({repo / 'new.txt'}): No space left on device; nothing was changed"
    )
    assert tree_digest(repo.parent) == before


def test_a_vanished_file_is_named(repo: Path) -> None:
    plan = Plan(repo, (merge(repo, "pyproject.toml", b"x\n"),))
    (repo / "pyproject.toml").unlink()
    with pytest.raises(ApplyError) as raised:
        apply_plan(plan)
    assert str(raised.value) == (
        f"{repo / 'pyproject.toml'} vanished after planning; nothing was written"
    )


def test_an_undo_that_fails_keeps_the_originals_and_says_where(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (repo / "pyproject.toml").read_bytes()
    real_undo = apply_module._undo

    def stuck(step: Any) -> None:
        if step.kind == "replace":
            raise OSError(errno.EACCES, "Permission denied")
        real_undo(step)

    def fail(staged: Path, destination: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_module, "_undo", stuck)
    monkeypatch.setattr(apply_module, "_place_new", fail)
    with pytest.raises(ApplyError) as raised:
        apply_plan(Plan(repo, (merge(repo, "pyproject.toml", b"merged\n"), create("z.txt"))))
    monkeypatch.undo()
    (staging,) = repo.glob(f"{apply_module.STAGING_PREFIX}*")
    assert str(raised.value) == (
        f"writing failed and could not be fully undone: {repo / 'pyproject.toml'}: "
        f"Permission denied; the originals are kept in {staging}"
    )
    assert [p.read_bytes() for p in staging.glob("*.orig")] == [original]


def test_the_staging_folder_is_beside_the_files_and_named_as_scaffold_s(
    repo: Path, monkeypatch: pytest.MonkeyPatch, scratch_tmp: Path
) -> None:
    seen: list[list[str]] = []
    real_place = apply_module._place_new

    def look(staged: Path, destination: Path) -> None:
        seen.append(sorted(p.name for p in repo.iterdir() if p.name.startswith(".")))
        real_place(staged, destination)

    monkeypatch.setattr(apply_module, "_place_new", look)
    apply_plan(Plan(repo, (create("a.txt"),)))
    assert len(seen) == 1 and len(seen[0]) == 1
    assert seen[0][0].startswith(apply_module.STAGING_PREFIX)
    assert list(scratch_tmp.iterdir()) == []


def test_a_missing_root_is_made_beside_its_existing_ancestor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def record(*args: Any, **kwargs: Any) -> str:
        path: str = real_mkdtemp(*args, **kwargs)
        made.append(Path(path))
        return path

    monkeypatch.setattr(tempfile, "mkdtemp", record)
    apply_plan(Plan(tmp_path / "x" / "y", (create("a.txt"),)))
    assert [p.parent for p in made] == [tmp_path]


def test_completed_writes_name_the_root_and_the_count(repo: Path) -> None:
    apply_plan(Plan(repo, (create("a.txt"), create("b/c.txt"))))
    assert apply_module.completed_writes()[-1] == (repo, 2)


def test_a_root_reached_through_a_link_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    apply_plan(Plan(tmp_path / "link", (create("a.txt"),)))
    assert (real / "a.txt").read_bytes() == b"new\n"


def test_a_failure_after_the_last_file_undoes_deletes_and_folders(repo: Path) -> None:
    (repo / "docs" / "old").mkdir(parents=True)
    (repo / "docs" / "old" / "guide.md").write_text("guide\n")
    (repo / "docs" / "index.md").write_text("index\n")
    before = tree_digest(repo.parent)
    plan = Plan(
        repo,
        (
            FileAction(
                PurePosixPath("docs/old/guide.md"),
                Action.DELETE,
                original_sha256=hashlib.sha256(b"guide\n").hexdigest(),
            ),
            FileAction(
                PurePosixPath("docs/index.md"),
                Action.DELETE,
                original_sha256=hashlib.sha256(b"index\n").hexdigest(),
            ),
            merge(repo, "pyproject.toml", b"merged\n"),
            create("new/file.txt"),
        ),
    )

    def fail() -> None:
        assert not (repo / "docs").exists()  # every step was taken
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(ApplyError, match="Input/output error"):
        apply_plan(plan, finish=fail)
    assert tree_digest(repo.parent) == before


def test_deleting_the_last_file_of_the_root_keeps_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "only.txt").write_text("x\n")
    digest = hashlib.sha256(b"x\n").hexdigest()
    apply_plan(
        Plan(root, (FileAction(PurePosixPath("only.txt"), Action.DELETE, original_sha256=digest),))
    )
    assert root.is_dir() and list(root.iterdir()) == []


def test_a_folder_with_other_files_is_kept_when_one_is_deleted(repo: Path) -> None:
    (repo / "a" / "b").mkdir(parents=True)
    (repo / "a" / "b" / "c.txt").write_text("c\n")
    (repo / "a" / "keep.txt").write_text("k\n")
    digest = hashlib.sha256(b"c\n").hexdigest()
    apply_plan(
        Plan(repo, (FileAction(PurePosixPath("a/b/c.txt"), Action.DELETE, original_sha256=digest),))
    )
    assert not (repo / "a" / "b").exists()
    assert (repo / "a" / "keep.txt").read_text() == "k\n"


def staged_tree_with_folders(tmp_path: Path) -> tuple[Path, Plan]:
    staged = tmp_path / "staged"
    (staged / "pkg" / "sub").mkdir(parents=True)
    (staged / "pkg" / "sub" / "m.py").write_text("m\n")
    (staged / "z.txt").write_text("z\n")
    root = tmp_path / "deep" / "project"
    return staged, Plan(root, (create("pkg/sub/m.py", b"m\n"), create("z.txt", b"z\n")))


def renames_then_raise(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Every ``Path.rename`` moves its path, then raises ``error``."""
    real_rename = Path.rename

    def rename_then_raise(self: Path, target: str | os.PathLike[str]) -> Path:
        real_rename(self, target)
        raise error

    monkeypatch.setattr(Path, "rename", rename_then_raise)


def test_an_interrupt_as_a_staged_tree_lands_removes_it_and_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    renames_then_raise(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, staged_tree=staged)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_interrupted_move_into_an_empty_root_removes_moved_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    plan.root.mkdir(parents=True)
    interrupt_rename(monkeypatch, at_call=2)
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, staged_tree=staged)
    monkeypatch.undo()
    assert list(plan.root.iterdir()) == []


def renames_fail(monkeypatch: pytest.MonkeyPatch, error: int, message: str) -> None:
    """Every ``Path.rename`` fails with ``error`` until the patch is undone."""

    def failing(self: Path, target: str | os.PathLike[str]) -> Path:
        raise OSError(error, message)

    monkeypatch.setattr(Path, "rename", failing)


def test_a_staged_tree_on_another_filesystem_is_written_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    renames_fail(monkeypatch, errno.EXDEV, "Invalid cross-device link")
    assert apply_plan(plan, staged_tree=staged) == plan.writes
    monkeypatch.undo()
    assert (plan.root / "pkg" / "sub" / "m.py").read_text() == "m\n"
    assert (plan.root / "z.txt").read_text() == "z\n"


def test_a_staged_tree_is_not_moved_over_a_root_that_has_files(tmp_path: Path) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    plan.root.mkdir(parents=True)
    (plan.root / "mine.txt").write_text("mine\n")
    apply_plan(plan, staged_tree=staged)
    assert (plan.root / "mine.txt").read_text() == "mine\n"
    assert (plan.root / "pkg" / "sub" / "m.py").read_text() == "m\n"
    assert (staged / "z.txt").exists()  # written file by file; the scratch tree is the caller's


def test_a_link_to_an_empty_folder_is_not_an_empty_root(tmp_path: Path) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    target = tmp_path / "elsewhere"
    target.mkdir()
    plan.root.parent.mkdir(parents=True)
    plan.root.symlink_to(target, target_is_directory=True)
    apply_plan(plan, staged_tree=staged)
    assert plan.root.is_symlink()
    assert (target / "z.txt").read_text() == "z\n"


# --- interrupts at the worst moments ---------------------------------------------------------


def interrupt_self() -> None:
    """What Ctrl-C does: SIGINT to this process (held back inside the writer's steps)."""
    os.kill(os.getpid(), signal.SIGINT)


def test_an_interrupt_during_the_undo_lets_it_finish(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(repo.parent)
    real_undo = apply_module._undo
    undone: list[str] = []

    def interrupted_undo(step: Any) -> None:
        if not undone:
            interrupt_self()
        undone.append(step.kind)
        real_undo(step)

    def fail(staged: Path, destination: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_module, "_undo", interrupted_undo)
    monkeypatch.setattr(apply_module, "_place_new", fail)
    plan = Plan(repo, (merge(repo, "pyproject.toml", b"merged\n"), create("a/b.txt")))
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan)
    monkeypatch.undo()
    assert undone == ["create", "mkdir", "replace"]  # every step, in reverse
    assert tree_digest(repo.parent) == before


def test_an_error_after_an_interrupt_reports_the_interrupt(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(repo.parent)

    def interrupted_then_full(staged: Path, destination: Path) -> None:
        interrupt_self()  # held back: the step is under way
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_module, "_place_new", interrupted_then_full)
    with pytest.raises(KeyboardInterrupt):
        apply_plan(Plan(repo, (create("a.txt"),)))
    monkeypatch.undo()
    assert tree_digest(repo.parent) == before


def test_an_interrupt_during_the_last_step_comes_after_the_commit(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_module, "_completed", [])

    def finish() -> None:
        interrupt_self()

    with pytest.raises(KeyboardInterrupt):
        apply_plan(Plan(repo, (create("a.txt"), create("b/c.txt"))), finish=finish)
    assert (repo / "a.txt").read_bytes() == b"new\n"
    assert (repo / "b" / "c.txt").read_bytes() == b"new\n"
    assert not list(repo.glob(f"{apply_module.STAGING_PREFIX}*"))
    assert apply_module.completed_writes() == ((repo, 2),)
    assert apply_module.interrupted_message() == (
        f"interrupted after writing all 2 files of the plan in {repo}; it is complete"
    )


def test_the_message_after_an_interrupt_before_any_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(apply_module, "_completed", [])
    assert apply_module.interrupted_message() == "interrupted; nothing was changed"
    monkeypatch.setattr(apply_module, "_completed", [(Path("/a"), 1), (Path("/b"), 2)])
    assert apply_module.interrupted_message() == (
        "interrupted after writing all 3 files of the plan in /a, /b; it is complete"
    )


def test_a_staged_tree_that_cannot_be_moved_for_another_reason_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    renames_fail(monkeypatch, errno.EACCES, "Permission denied")
    with pytest.raises(ApplyError) as raised:
        apply_plan(plan, staged_tree=staged)
    monkeypatch.undo()
    assert str(raised.value) == "writing failed: Permission denied; nothing was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staged"]


def test_undoing_a_moved_tree_that_fails_says_so_without_a_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)

    def stuck(step: Any) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    renames_then_raise(monkeypatch, OSError(errno.EIO, "Input/output error"))
    monkeypatch.setattr(apply_module, "_undo", stuck)
    with pytest.raises(ApplyError) as raised:
        apply_plan(plan, staged_tree=staged)
    monkeypatch.undo()
    assert str(raised.value) == (
        "writing failed and could not be fully undone: "
        f"{plan.root}: Device or resource busy; {tmp_path / 'deep'}: Device or resource busy"
    )


def test_a_staging_folder_that_cannot_be_made_is_a_one_line_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, **kwargs: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    with pytest.raises(ApplyError) as raised:
        apply_plan(Plan(repo, (create("a.txt"),)))
    monkeypatch.undo()
    assert str(raised.value) == f"cannot write in {repo}: Permission denied; nothing was changed"


def test_every_emptied_folder_is_removed_whatever_the_order(repo: Path) -> None:
    (repo / "a" / "b").mkdir(parents=True)
    (repo / "a" / "b" / "deep.txt").write_text("d\n")
    (repo / "a" / "b" / "kept.txt").write_text("k\n")
    (repo / "z").mkdir()
    (repo / "z" / "only.txt").write_text("o\n")

    def delete(path: str, content: bytes) -> FileAction:
        digest = hashlib.sha256(content).hexdigest()
        return FileAction(PurePosixPath(path), Action.DELETE, original_sha256=digest)

    apply_plan(Plan(repo, (delete("a/b/deep.txt", b"d\n"), delete("z/only.txt", b"o\n"))))
    assert (repo / "a" / "b" / "kept.txt").exists()
    assert not (repo / "z").exists()


def test_a_staged_tree_moved_into_place_is_a_completed_write(tmp_path: Path) -> None:
    staged, plan = staged_tree_with_folders(tmp_path)
    apply_plan(plan, staged_tree=staged)
    assert apply_module.completed_writes()[-1] == (plan.root, 2)
