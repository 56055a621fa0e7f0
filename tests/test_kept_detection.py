"""``scaffold detect --json`` printed again from what was kept
(:mod:`scaffold.kept_detection`) exactly while nothing the detection depends on has changed:
the files git lists (and what it says) and every file the detection read. Any change to
them, a forged entry, a repository git does not list, or files written just before the
detection mean detecting again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffold import kept_detection, launch
from scaffold.commands.detect import detect_projects
from scaffold.output import json_text
from tests.helpers import commit_all, committed_repo, fastapi_service, git, stand_in_library
from tests.test_launch import ending


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled as soon as they are written (the tests' files are new)."""
    monkeypatch.setattr(kept_detection, "SETTLED_SECONDS", 0.0)


def detected(repo: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``scaffold detect --json REPO`` in this process; its output (exit code 0)."""
    code, out, err = ending(launch.main, ["detect", "--json", str(repo)], monkeypatch)
    assert (code, err) == (0, "")
    return out


def fresh(repo: Path) -> str:
    return json_text(detect_projects(repo))


def test_an_unchanged_repository_is_printed_again_without_detecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    first = detected(repo, monkeypatch)
    assert json.loads(first)["projects"][0]["framework"] == "fastapi"
    assert kept_detection.kept_output(str(repo)) == first

    import scaffold.commands.detect

    def refuse(directory: object) -> None:
        raise AssertionError("detected again")

    monkeypatch.setattr(scaffold.commands.detect, "detect_projects", refuse)
    assert detected(repo, monkeypatch) == first


def linked(path: Path, target: str) -> None:
    """``path`` moved to ``target`` (beside it), and a symbolic link to it in its place."""
    path.rename(path.with_name(target))
    path.symlink_to(target)


CHANGES: dict[str, Callable[[Path], object]] = {
    # the same size: only the signature tells
    "a file read changes": lambda repo: (repo / "pyproject.toml").write_text(
        (repo / "pyproject.toml").read_text().replace("svc", "abc")
    ),
    "a file read is touched": lambda repo: os.utime(repo / "main.py"),
    "a file is added": lambda repo: (repo / "requirements.txt").write_text("django\n"),
    "a file is removed": lambda repo: (repo / "main.py").unlink(),
    "a file is ignored": lambda repo: (repo / ".gitignore").write_text("main.py\n"),
    "a file read becomes a link": lambda repo: linked(repo / "pyproject.toml", "other.toml"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_what_detection_depends_on_means_detecting_again(
    change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    detected(repo, monkeypatch)
    CHANGES[change](repo)
    assert kept_detection.kept_output(str(repo)) is None
    assert detected(repo, monkeypatch) == fresh(repo)
    assert kept_detection.kept_output(str(repo)) == fresh(repo)


def test_a_file_nothing_reads_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    (repo / ".gitignore").write_text("node_modules/\n")
    commit_all(repo)
    first = detected(repo, monkeypatch)
    (repo / "node_modules").mkdir()
    (repo / "node_modules" / "package.json").write_text('{"dependencies": {"express": "1"}}')
    assert kept_detection.kept_output(str(repo)) == first


def test_files_written_just_before_a_detection_are_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    detected(repo, monkeypatch)
    assert kept_detection.kept_output(str(repo)) is None


def test_a_folder_git_does_not_list_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    assert json.loads(detected(folder, monkeypatch))["projects"][0]["language"] == "go"
    assert kept_detection.kept_output(str(folder)) is None


def test_a_forged_entry_is_detected_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    from scaffold.catalog import cache_dir

    repo = fastapi_service(tmp_path / "svc")
    first = detected(repo, monkeypatch)
    (entry,) = (cache_dir() / "memo" / "detect").glob("*.signed")
    forged = {"reads": {}, "output": '{"projects": []}\n'}
    entry.write_bytes(entry.read_bytes()[:32] + json.dumps(forged).encode())
    assert kept_detection.kept_output(str(repo)) is None
    assert detected(repo, monkeypatch) == first


def test_a_second_process_loads_no_detector(tmp_path: Path) -> None:
    repo = fastapi_service(tmp_path / "svc")
    git(repo, "status")
    time.sleep(kept_detection.SETTLED_SECONDS + 0.1)  # the files settle
    script = (
        "import sys\nfrom scaffold.launch import main\n"
        "try:\n    main()\nfinally:\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith('scaffold.'))\n"
        "    print(loaded, file=sys.stderr)\n"
    )
    env = {**os.environ, "SCAFFOLD_CACHE_DIR": str(tmp_path / "cache")}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    command = [sys.executable, "-c", script, "detect", "--json", str(repo)]
    runs = [
        subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout == fresh(repo)
    assert "scaffold.detect.engine" in runs[0].stderr
    assert "scaffold.detect" not in runs[1].stderr and "scaffold.model" not in runs[1].stderr


def test_a_detection_lists_the_files_once_kept_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    """A miss detects from the listing it was looked up by: git lists the files once per
    run (its two commands), whether the output was kept or not."""
    real = shutil.which("git")
    assert real is not None
    bin_dir, log = tmp_path / "bin", tmp_path / "git.log"
    bin_dir.mkdir()
    (bin_dir / "git").write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {real} "$@"\n')
    (bin_dir / "git").chmod(0o755)
    repo = fastapi_service(tmp_path / "svc")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    for kept in (False, True):
        log.unlink(missing_ok=True)
        assert (kept_detection.kept_output(str(repo)) is not None) is kept
        log.unlink()
        detected(repo, monkeypatch)
        calls = sorted(log.read_text().splitlines())
        assert calls == ["ls-files -z --cached", "ls-files -z --others --exclude-standard"]


def test_a_repository_of_many_files_is_detected_while_git_lists_and_nothing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    """Beyond KEPT_FILES tracked files the tracked ones are detected while git still looks
    for untracked ones (as without keeping), and no output is kept."""
    from scaffold.catalog import cache_dir

    monkeypatch.setattr(kept_detection, "KEPT_FILES", 1)
    repo = fastapi_service(tmp_path / "svc")
    (repo / "untracked.py").write_text("x = 1\n")
    assert detected(repo, monkeypatch) == fresh(repo)
    assert kept_detection.kept_output(str(repo)) is None
    assert not (cache_dir() / "memo" / "detect").exists()


def test_a_file_detection_looked_for_and_did_not_find_is_part_of_what_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    """A requirements file includes one git ignores and that is not there yet: once it is
    written (the listing unchanged), the kept output is not printed again."""
    repo = committed_repo(
        tmp_path / "site",
        {
            ".gitignore": "local.txt\n",
            "requirements.txt": "-r local.txt\n",
            "manage.py": "import django\n",
        },
    )
    first = detected(repo, monkeypatch)
    assert kept_detection.kept_output(str(repo)) == first
    (repo / "local.txt").write_text("Django~=5.0\n")
    assert kept_detection.kept_output(str(repo)) is None
    again = detected(repo, monkeypatch)
    assert again == fresh(repo)
    assert (
        json.loads(again)["projects"][0]["framework"]
        == "django"
        != json.loads(first)["projects"][0]["framework"]
    )


def test_a_library_detection_parses_with_changed_means_detecting_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    """An upgraded parser may parse otherwise (a library of the test's stands in for
    them, its file rewritten)."""
    library = stand_in_library(tmp_path, kept_detection, "PARSERS", monkeypatch)
    repo = fastapi_service(tmp_path / "svc")
    first = detected(repo, monkeypatch)
    assert kept_detection.kept_output(str(repo)) == first
    library.write_text("VERSION = 22\n")
    assert kept_detection.kept_output(str(repo)) is None
