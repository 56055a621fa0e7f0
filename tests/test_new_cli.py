"""`scaffold new` through the command line: results, the JSON contract, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from tests.ecosystems.python.stacks import FASTAPI_DEFAULT_FILES, JWT_EXTRA_FILES
from tests.helpers import REPO_ROOT, assert_contains, files_under, tree_digest


def test_new_creates_the_default_project(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "my-service"
    result = runner.invoke(app, ["new", "python-fastapi", str(target), "--defaults", "--no-git"])
    assert result.exit_code == 0, result.output
    assert files_under(target) == FASTAPI_DEFAULT_FILES
    assert result.output.splitlines()[0] == (
        f"Created {target} (python-fastapi, {len(FASTAPI_DEFAULT_FILES)} files)."
    )
    assert "  uv run pytest" in result.output.splitlines()
    assert 'name = "my-service"' in (target / "pyproject.toml").read_text()


def test_new_fills_answers_from_data(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "svc"
    result = runner.invoke(
        app,
        [
            "new", "python-fastapi", str(target), "--no-git",
            "-d", "auth=jwt", "-d", "database=postgresql", "-d", "package_name=service",
            "-d", "description=Orders \"API\"",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = {
        path.replace("app/", "service/", 1) for path in FASTAPI_DEFAULT_FILES | JWT_EXTRA_FILES
    }
    assert files_under(target) == expected
    assert_contains(
        target / "pyproject.toml", 'description = "Orders \\"API\\""', '"psycopg[binary]>=3.2"'
    )
    assert_contains(target / ".copier-answers.yml", "auth: jwt", "package_name: service")


def test_a_second_new_project_is_the_one_copier_makes_without_copier(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier

    args = ["--no-git", "-d", "auth=jwt", "-d", "package_name=service"]
    first = runner.invoke(app, ["new", "python-fastapi", str(tmp_path / "a" / "svc"), *args])
    assert first.exit_code == 0, first.output
    # The replay, checked against copier's render of the first project, makes the second.
    monkeypatch.setattr(copier, "run_copy", None)
    second = runner.invoke(app, ["new", "python-fastapi", str(tmp_path / "b" / "svc"), *args])
    assert second.exit_code == 0, second.output
    assert second.output == first.output.replace(f"{tmp_path}/a", f"{tmp_path}/b")
    assert tree_digest(tmp_path / "b" / "svc") == tree_digest(tmp_path / "a" / "svc")


def test_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path, scratch_tmp: Path) -> None:
    before = tree_digest(tmp_path)
    result = runner.invoke(
        app, ["new", "python-fastapi", str(tmp_path / "x"), "--dry-run", "--no-git"]
    )
    assert result.exit_code == 0, result.output
    assert tree_digest(tmp_path) == before
    assert list(scratch_tmp.iterdir()) == []
    lines = result.output.splitlines()
    assert lines[0] == (
        f"Dry run: would create {len(FASTAPI_DEFAULT_FILES)} files in {tmp_path / 'x'} "
        "(python-fastapi); nothing was written."
    )
    # Folders first, then files, each sorted by name.
    assert lines[1:9] == [
        "x/",
        "├── .github/",
        "│   └── workflows/",
        "│       └── ci.yml",
        "├── app/",
        "│   ├── api/",
        "│   │   ├── v1/",
        "│   │   │   ├── __init__.py",
    ]
    assert lines[-3:] == ["├── alembic.ini", "├── compose.yaml", "└── pyproject.toml"]
    assert len([line for line in lines if not line.endswith("/")]) == len(FASTAPI_DEFAULT_FILES) + 1


def test_json_contract(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the next steps cd from the working folder
    target = tmp_path / "my-service"
    result = runner.invoke(
        app, ["new", "python-fastapi", str(target), "--json", "--dry-run", "-d", "auth=jwt"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload) == [
        "schema", "command", "stack", "target", "dry_run", "answers", "files", "lockfile",
        "git", "next_steps", "tools",
    ]  # fmt: skip
    assert payload["schema"] == 1
    assert payload["command"] == "new"
    assert payload["stack"] == "python-fastapi"
    assert payload["target"] == str(target)
    assert payload["dry_run"] is True
    assert payload["answers"] == {
        "adopted": False,
        "api_module": "api",
        "auth": "jwt",
        "author": "",
        "database": "sqlite",
        "description": "A FastAPI service.",
        "indent_width": 4,
        "line_length": 100,
        "models_module": "models",
        "package_name": "app",
        "project_name": "my-service",
        "python_version": "3.11",
        "quote_style": "double",
        "schemas_module": "schemas",
        "services_module": "services",
    }
    assert {f["path"] for f in payload["files"]} == FASTAPI_DEFAULT_FILES | JWT_EXTRA_FILES
    assert {tuple(f) for f in payload["files"]} == {("path", "action")}
    assert {f["action"] for f in payload["files"]} == {"create"}
    # SCAFFOLD_NO_LOCK is set for the tests (tests/conftest.py): the lock step is skipped.
    assert payload["lockfile"] == {
        "status": "skipped",
        "path": "uv.lock",
        "command": "uv lock",
        "reason": "not asked for",
    }
    assert payload["next_steps"][0] == "cd my-service"
    assert not target.exists()


def test_list_names_every_stack(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0
    stacks = sorted(
        p.name for p in (REPO_ROOT / "templates").iterdir() if (p / "copier.yml").is_file()
    )
    assert [line.split()[0] for line in result.output.splitlines()] == stacks
    fastapi_line = next(
        line for line in result.output.splitlines() if line.startswith("python-fastapi ")
    )
    assert "FastAPI service" in fastapi_line

    as_json = json.loads(runner.invoke(app, ["new", "--list", "--json"]).output)
    assert [s["id"] for s in as_json["stacks"]] == stacks
    fastapi = next(s for s in as_json["stacks"] if s["id"] == "python-fastapi")
    assert (fastapi["language"], fastapi["framework"]) == ("python", "fastapi")


BAD_NAMES = ["../x", "a/b", "{{x}}", "x; rm -rf /", ""]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_project_names_are_refused(
    runner: CliRunner, tmp_path: Path, scratch_tmp: Path, name: str
) -> None:
    result = runner.invoke(
        app, ["new", "python-fastapi", str(tmp_path / "out"), "--data", f"project_name={name}"]
    )
    assert result.exit_code == ExitCode.USAGE
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith(f"scaffold: error: project_name={name!r}: ")
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
    assert list(scratch_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["no-such-stack", "{dir}"], ExitCode.USAGE, "unknown stack 'no-such-stack'; known stacks: "),
        (["python-fastapi", "{dir}", "-d", "colour=red"], ExitCode.USAGE, "unknown answer 'colour' for this stack; known: "),
        (["python-fastapi", "{dir}", "-d", "colour"], ExitCode.USAGE, "--data takes KEY=VALUE, got 'colour'"),
        (["python-fastapi", "{dir}", "-d", "database=mysql"], ExitCode.USAGE, "database='mysql': choose one of sqlite, postgresql"),
        (["python-fastapi", "{dir}", "-d", "package_name=my-app"], ExitCode.USAGE, "package_name='my-app': must be a Python identifier"),
        (["python-fastapi", "{dir}/Bad Name"], ExitCode.USAGE, "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): must start with a lowercase letter"),
        (["python-fastapi"], ExitCode.USAGE, "scaffold new needs STACK and DIR (see scaffold new --list)"),
    ],
)  # fmt: skip
def test_bad_arguments_are_one_line_errors(
    runner: CliRunner,
    tmp_path: Path,
    scratch_tmp: Path,
    args: list[str],
    code: int,
    message: str,
) -> None:
    result = runner.invoke(app, ["new", *(a.replace("{dir}", str(tmp_path / "out")) for a in args)])
    assert result.exit_code == code, result.output
    assert len(result.output.splitlines()) == 1, result.output
    assert result.output.startswith("scaffold: error: " + message)
    assert list(tmp_path.iterdir()) == []
    assert list(scratch_tmp.iterdir()) == []


def test_a_file_as_target_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine\n")
    result = runner.invoke(app, ["new", "python-fastapi", str(target)])
    assert result.exit_code == ExitCode.ERROR
    assert result.output == f"scaffold: error: {target} exists and is not a folder\n"
    assert target.read_text() == "mine\n"


def test_a_non_empty_target_points_to_adopt(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("existing\n")
    before = tree_digest(tmp_path)
    result = runner.invoke(app, ["new", "python-fastapi", str(tmp_path)])
    assert result.exit_code == ExitCode.ERROR
    assert result.output == (
        f"scaffold: error: {tmp_path} is not empty; to bring an existing project onto the "
        f"conventions, run: scaffold adopt {tmp_path}\n"
    )
    assert tree_digest(tmp_path) == before


def test_an_empty_existing_folder_is_used(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "svc"
    target.mkdir()
    result = runner.invoke(app, ["new", "python-fastapi", str(target), "--defaults", "--no-git"])
    assert result.exit_code == 0, result.output
    assert files_under(target) == FASTAPI_DEFAULT_FILES


def test_debug_shows_the_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCAFFOLD_DEBUG", "1")
    result = runner.invoke(app, ["new", "no-such-stack", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "UnknownStackError"


def test_version(runner: CliRunner) -> None:
    from scaffold import __version__

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"scaffold {__version__}\n")


def test_help_and_cli_startup_do_not_import_copier() -> None:
    code = (
        "import sys\n"
        "from scaffold.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('copier' in sys.modules, 'rich.console' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert proc.stdout.splitlines()[-1].startswith("False")


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scaffold", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("scaffold ")


@pytest.mark.parametrize(
    "answers",
    [
        {
            "project_name": "a" * 50,
            "package_name": "orders_service_backe",
            "api_module": "http_endpoints_layer",
            "models_module": "persistence_entities",
            "services_module": "business_logic_layer",
            "schemas_module": "request_bodies_items",
            "auth": "jwt",
            "database": "postgresql",
        },
        {"package_name": "zz", "api_module": "zapi", "models_module": "amodels", "auth": "jwt"},
    ],
    ids=["longest-names", "names-sorting-in-reverse"],
)
def test_generated_python_is_lint_clean_whatever_the_names(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    from scaffold.commands.new import new_project

    project = tmp_path / "svc"
    new_project("python-fastapi", project, answers)
    for command in (["check", "."], ["format", "--check", "."]):
        proc = subprocess.run(
            [sys.executable, "-m", "ruff", *command], cwd=project, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_plan_of_a_new_project_carries_each_rendered_file() -> None:
    from scaffold.plan.new import plan_new
    from scaffold.render import RenderedFile

    files = {
        PurePosixPath("run.sh"): RenderedFile(b"#!/bin/sh\n", 0o755),
        PurePosixPath("a/b.txt"): RenderedFile(b"b\n", 0o644),
    }
    plan = plan_new(Path("/x"), files)
    assert plan.root == Path("/x")
    assert [(a.path.as_posix(), a.action.value, a.content, a.mode) for a in plan.actions] == [
        ("a/b.txt", "create", b"b\n", 0o644),
        ("run.sh", "create", b"#!/bin/sh\n", 0o755),
    ]
