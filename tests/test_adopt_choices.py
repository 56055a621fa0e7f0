"""`scaffold adopt --stack/--project`: a choice that names nothing is a usage error, at once."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from scaffold.templates import stack_ids
from tests.helpers import committed_repo, tree_digest

PYPROJECT = '[project]\nname = "svc"\ndependencies = ["fastapi"]\n'
KNOWN_STACKS = ", ".join(stack_ids())


def test_an_unknown_stack_fails_the_check_and_lists_the_stacks(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"pyproject.toml": PYPROJECT})
    before = tree_digest(repo)
    result = CliRunner().invoke(
        app, ["adopt", str(repo), "--check", "--project", ".", "--stack", "pyhton-fastapi"]
    )
    assert (result.exit_code, result.output) == (
        ExitCode.USAGE,
        f"scaffold: error: unknown stack 'pyhton-fastapi'; known stacks: {KNOWN_STACKS}\n",
    )
    assert tree_digest(repo) == before


def test_an_unknown_stack_is_refused_before_any_work(tmp_path: Path) -> None:
    # No repository at all, and no --project: the stack is still what is wrong first.
    result = CliRunner().invoke(
        app, ["adopt", str(tmp_path / "missing"), "--check", "--stack", "pyhton-fastapi"]
    )
    assert (result.exit_code, result.output) == (
        ExitCode.USAGE,
        f"scaffold: error: unknown stack 'pyhton-fastapi'; known stacks: {KNOWN_STACKS}\n",
    )


def test_a_huge_stack_name_is_echoed_cut_short(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["adopt", str(tmp_path), "--stack", "x" * 5000])
    assert (result.exit_code, result.output) == (
        ExitCode.USAGE,
        f"scaffold: error: unknown stack {'x' * 60!r}… (5,000 characters); "
        f"known stacks: {KNOWN_STACKS}\n",
    )


def test_a_project_path_naming_no_project_lists_at_most_twenty(tmp_path: Path) -> None:
    files = {
        f"services/s{n:02}/pyproject.toml": PYPROJECT.replace("svc", f"s{n:02}") for n in range(25)
    }
    repo = committed_repo(tmp_path / "repo", files)
    result = CliRunner().invoke(app, ["adopt", str(repo), "--check", "--project", "services/nope"])
    found = ", ".join(f"services/s{n:02}" for n in range(20))
    assert (result.exit_code, result.output) == (
        ExitCode.USAGE,
        f"scaffold: error: no project at services/nope (projects found: {found} and 5 more)\n",
    )


def test_a_project_path_in_an_empty_repository(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"README.md": "notes\n"})
    result = CliRunner().invoke(app, ["adopt", str(repo), "--check", "--project", "a" * 500])
    assert (result.exit_code, result.output) == (
        ExitCode.USAGE,
        f"scaffold: error: no project at {'a' * 60}… (500 characters) (projects found: none)\n",
    )
