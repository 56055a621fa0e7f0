"""`scaffold <command> | head -1`: a reader that goes away is not an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.errors import ExitCode
from tests.helpers import REPO_ROOT, committed_repo

PYPROJECT = '[project]\nname = "svc"\ndependencies = ["fastapi"]\n'


def run_into_closed_pipe(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``scaffold ARGS`` with its standard output a pipe whose reader has already gone, so
    that its first write fails (the end of ``| head -1``, without the race)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "scaffold", *args],
            cwd=cwd,
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--help"], ExitCode.OK),
        (["--version"], ExitCode.OK),
        (["conventions"], ExitCode.OK),
        (["conventions", "--json"], ExitCode.OK),
        (["detect", "{repo}", "--verbose"], ExitCode.OK),
        (["detect", "{repo}", "--json"], ExitCode.OK),
        (["new", "--list"], ExitCode.OK),
        (["new", "--list", "--json"], ExitCode.OK),
        (["new", "python-fastapi", "{empty}/svc", "--defaults", "--dry-run"], ExitCode.OK),
        (["adopt", "{repo}", "--dry-run"], ExitCode.CHANGES_PENDING),
        (["adopt", "{repo}", "--check", "--json"], ExitCode.CHANGES_PENDING),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_a_closed_pipe_ends_the_output_quietly_with_the_commands_own_code(
    tmp_path: Path, args: list[str], code: int
) -> None:
    repo = committed_repo(tmp_path / "repo", {"pyproject.toml": PYPROJECT})
    empty = tmp_path / "empty"
    empty.mkdir()
    argv = [a.replace("{repo}", str(repo)).replace("{empty}", str(empty)) for a in args]
    proc = run_into_closed_pipe(argv, REPO_ROOT)
    assert (proc.returncode, proc.stderr) == (code, "")
    assert list(empty.iterdir()) == []


def test_errors_still_reach_stderr_when_stdout_is_closed(tmp_path: Path) -> None:
    proc = run_into_closed_pipe(["new", "cobol", str(tmp_path / "x")], REPO_ROOT)
    assert proc.returncode == ExitCode.USAGE
    assert proc.stderr.startswith("scaffold: error: unknown stack 'cobol'; known stacks: ")


def test_update_ends_its_output_quietly_too(tmp_path: Path) -> None:
    import shutil

    import copier

    from tests.helpers import commit_all, git

    template = tmp_path / "template"
    shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "tiny-template", template)
    git(template, "init", "-q")
    commit_all(template, "v1")
    git(template, "tag", "v1.0.0")
    project = tmp_path / "project"
    copier.run_copy(
        str(template), project, data={"project_name": "tiny"}, defaults=True, quiet=True
    )
    git(project, "init", "-q")
    commit_all(project, "generated")
    proc = run_into_closed_pipe(
        ["update", str(project), "--check", "--allow-source", str(template)], REPO_ROOT
    )
    assert (proc.returncode, proc.stderr) == (ExitCode.OK, "")
