"""Every command is a library call returning a result: its exit code and its one JSON envelope,
which ``--json`` prints and the MCP server returns as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.adopt import adopt_repository
from scaffold.commands.conventions import list_stacks, show_conventions
from scaffold.commands.detect import detect_projects
from scaffold.commands.new import new_project
from scaffold.detect import RepositoryNotFoundError
from scaffold.errors import ConventionsError, ExitCode
from scaffold.results import outcome_code
from scaffold.templates import stack_ids
from tests.helpers import committed_repo, files_under, git, write_files

AGENT = """---
name: team-agent
description: A team
---
## Conventions
- **Python/FastAPI**: app/routers/, app/domain/
- **Elixir/Phoenix**: lib/web/
"""
GO_SERVICE = {
    "go.mod": "module example.com/api\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
}


def cli_json(*args: str) -> tuple[int, object]:
    result = CliRunner().invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


# --- detect --------------------------------------------------------------------------------


def test_detect_returns_its_detection_with_exit_code_0_and_warnings_inside(
    tmp_path: Path,
) -> None:
    write_files(tmp_path, {"backend/pyproject.toml": "[project\n"})
    root = tmp_path.resolve()

    result = detect_projects(tmp_path)

    assert result.exit_code == ExitCode.OK
    assert result.to_dict() == {
        "schema": 1,
        "root": str(root),
        "projects": [],
        "warnings": [
            {
                "file": "backend/pyproject.toml",
                "message": "invalid TOML at line 1, column 9: Expected ']' at the end of a "
                "table declaration",
            }
        ],
    }
    assert cli_json("detect", str(tmp_path)) == (ExitCode.OK, result.to_dict())


def test_detect_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(RepositoryNotFoundError) as raised:
        detect_projects(tmp_path / "missing")
    assert (raised.value.exit_code, str(raised.value)) == (
        ExitCode.USAGE,
        f"{tmp_path / 'missing'}: no such folder",
    )


# --- conventions and the stacks ------------------------------------------------------------


def test_conventions_return_each_stack_and_whether_scaffold_has_its_template(
    tmp_path: Path,
) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(AGENT)

    result = show_conventions(agent)

    assert result.exit_code == ExitCode.OK
    assert result.to_dict() == {
        "schema": 1,
        "source": str(agent),
        "name": "team-agent",
        "description": "A team",
        "stacks": [
            {
                "label": "Python/FastAPI",
                "language": "python",
                "framework": "fastapi",
                "folders": ["app/routers", "app/domain"],
                "files": [],
                "configs": [],
                "template": "python-fastapi",
                "has_template": True,
            },
            {
                "label": "Elixir/Phoenix",
                "language": "elixir",
                "framework": "phoenix",
                "folders": ["lib/web"],
                "files": [],
                "configs": [],
                "template": None,
                "has_template": False,
            },
        ],
    }
    assert cli_json("conventions", "--agent", str(agent)) == (ExitCode.OK, result.to_dict())


def test_conventions_of_a_broken_agent_definition_raise_with_their_exit_code(
    tmp_path: Path,
) -> None:
    agent = tmp_path / "agent.md"
    agent.write_bytes(b"## Conventions\n\0")
    with pytest.raises(ConventionsError) as raised:
        show_conventions(agent)
    assert (raised.value.exit_code, str(raised.value)) == (
        ExitCode.ERROR,
        f"agent definition {agent} is a binary file, not Markdown",
    )


def test_the_stacks_are_every_template_with_what_it_is_for() -> None:
    result = list_stacks()

    assert result.exit_code == ExitCode.OK
    payload = result.to_dict()
    assert list(payload) == ["schema", "stacks"]
    assert [stack["id"] for stack in payload["stacks"]] == list(stack_ids())
    assert payload["stacks"][0] == {
        "id": "django",
        "summary": "Django REST framework service with split settings, migrations, "
        "pytest-django, ruff, mypy and gunicorn",
        "language": "python",
        "framework": "django",
    }
    assert cli_json("new", "--list") == (ExitCode.OK, payload)


# --- the commands that write ------------------------------------------------------------


def test_the_envelope_of_a_command_that_writes_names_the_command_first(tmp_path: Path) -> None:
    result = new_project("go", tmp_path / "api", {"library": "true"}, dry_run=True)

    assert result.exit_code == ExitCode.OK
    assert list(result.to_dict())[:3] == ["schema", "command", "stack"]
    assert (result.to_dict()["schema"], result.to_dict()["command"]) == (1, "new")
    assert not (tmp_path / "api").exists()


def test_adopt_and_apply_writes_only_without_dry_run(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", GO_SERVICE)
    (repo / "notes.txt").write_text("uncommitted\n")  # a dry run writes nothing: allowed
    before = files_under(repo)

    planned = adopt_repository(repo, dry_run=True)

    assert (planned.exit_code, planned.applied) == (ExitCode.CHANGES_PENDING, False)
    assert planned.to_dict()["command"] == "adopt"
    assert files_under(repo) == before

    (repo / "notes.txt").unlink()
    applied = adopt_repository(repo)

    assert (applied.exit_code, applied.applied) == (ExitCode.OK, True)
    written = {a.path.as_posix() for a in applied.plan.writes}
    assert ".golangci.yml" in written
    assert files_under(repo) == before - {"notes.txt"} | written
    assert git(repo, "status", "--porcelain", "--", "go.mod", "main.go") == ""


@pytest.mark.parametrize(
    ("pending", "conflicted", "code"),
    [
        (False, False, ExitCode.OK),
        (True, False, ExitCode.CHANGES_PENDING),
        (True, True, ExitCode.CHANGES_PENDING),
        (False, True, ExitCode.CONFLICTS),
    ],
)
def test_changes_pending_come_before_conflicts(
    pending: bool, conflicted: bool, code: ExitCode
) -> None:
    assert outcome_code(pending=pending, conflicted=conflicted) == code
