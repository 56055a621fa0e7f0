"""`scaffold update` makes the lockfile that the template version it updates to declares,
when the project has none: with the stack's own tool, in the scratch clone, so the lockfile
is written with the rest of the update or not at all. A missing or failing tool never fails
the update; a dry run runs nothing; ``--no-lock`` skips it; a command that is none of
scaffold's templates' is never run. The tests use a tiny template whose second version
declares uv's lock step, and uv from the test environment on a project with no dependencies,
offline."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import copier
import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.update import update_projects
from scaffold.errors import ExitCode
from tests.helpers import REPO_ROOT, commit_all, git, tree_digest

TINY = REPO_ROOT / "tests" / "fixtures" / "tiny-template"
#: uv from the test environment (a test dependency): a real tool, whatever the machine has.
UV = Path(sys.executable).parent / "uv"
UV_LOCK = "_scaffold:\n  lockfile:\n    file: uv.lock\n    command: [uv, lock]\n"
PYPROJECT = (
    '[project]\nname = "{{ project_name }}"\nversion = "0.1.0"\n'
    'requires-python = ">=3.11"\ndependencies = []\n'
)


@pytest.fixture(autouse=True)
def lock_steps_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the conftest's SCAFFOLD_NO_LOCK: these tests are about the lock step."""
    monkeypatch.delenv("SCAFFOLD_NO_LOCK")


def template_repo(tmp_path: Path, lock_step: str = UV_LOCK) -> Path:
    """The tiny template with a pyproject.toml: v1.0.0 declares no lockfile, v2.0.0
    declares ``lock_step``."""
    repo = tmp_path / "template"
    shutil.copytree(TINY, repo)
    (repo / "template" / "pyproject.toml.jinja").write_text(PYPROJECT)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1.0.0")
    config = repo / "copier.yml"
    config.write_text(config.read_text() + lock_step)
    (repo / "template" / "CHANGELOG.md").write_text("# Changes\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")
    git(repo, "tag", "v2.0.0")
    return repo


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return template_repo(tmp_path)


def generated(template: Path, destination: Path) -> Path:
    """A project generated at v1.0.0 and committed."""
    copier.run_copy(
        str(template), destination, data={"project_name": "tiny"}, vcs_ref="v1.0.0",
        defaults=True, quiet=True,
    )  # fmt: skip
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "generated")
    return destination


@pytest.fixture
def project(tmp_path: Path, template: Path) -> Path:
    return generated(template, tmp_path / "project")


def only_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **programs: Path) -> Path:
    """PATH holds git and ``programs`` (name: real program, linked) and nothing else."""
    folder = tmp_path / "bin"
    folder.mkdir()
    real_git = shutil.which("git")
    assert real_git is not None
    for name, real in {"git": Path(real_git), **programs}.items():
        (folder / name).symlink_to(real)
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def offline_uv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """uv on PATH, offline, with a fresh cache folder (returned; uv makes it when it runs)
    and the interpreter the tests run on."""
    only_on_path(tmp_path, monkeypatch, uv=UV)
    cache = tmp_path / "uv-cache"
    monkeypatch.setenv("UV_OFFLINE", "1")
    monkeypatch.setenv("UV_CACHE_DIR", str(cache))
    monkeypatch.setenv("UV_PYTHON", sys.executable)
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    return cache


def update(project: Path, template: Path, *args: str) -> Any:
    """``scaffold update PROJECT ARGS``, accepting the test's template: its result."""
    return CliRunner().invoke(app, ["update", str(project), *args, "--allow-source", str(template)])


def lockfile_result(status: str, reason: str | None, command: str = "uv lock") -> Any:
    """The "lockfile" member of a project in `scaffold update --json`'s result, exactly."""
    return {"status": status, "path": "uv.lock", "command": command, "reason": reason}


def test_the_update_makes_the_lockfile_the_new_version_declares(
    project: Path, template: Path, offline_uv: Path
) -> None:
    result = update(project, template)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        ".: updated from v1.0.0 to v2.0.0, 3 files changed",
        "  .copier-answers.yml",
        "  CHANGELOG.md",
        "  uv.lock",
        "Created uv.lock (uv lock).",
    ]
    assert offline_uv.is_dir()  # uv ran
    assert 'name = "tiny"' in (project / "uv.lock").read_text()
    # Written with the update, left for the user to review and commit with it.
    assert git(project, "status", "--porcelain", "--untracked-files=all").splitlines() == [
        " M .copier-answers.yml",
        "?? CHANGELOG.md",
        "?? uv.lock",
    ]


def test_the_json_result_says_the_lockfile_was_made(
    project: Path, template: Path, offline_uv: Path
) -> None:
    result = update(project, template, "--json")
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    assert outcome["lockfile"] == lockfile_result("created", None)
    assert {"path": "uv.lock", "action": "create"}.items() <= outcome["files"][2].items()


def test_without_the_tool_the_update_succeeds_and_says_how_to_make_the_lockfile(
    project: Path, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(tmp_path, monkeypatch)
    result = update(project, template)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        ".: updated from v1.0.0 to v2.0.0, 2 files changed",
        "  .copier-answers.yml",
        "  CHANGELOG.md",
        "No uv.lock: uv is not installed, or not on PATH; run uv lock, then commit it.",
    ]
    assert not (project / "uv.lock").exists()
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text()
    git(project, "checkout", "--", ".")
    git(project, "clean", "-qfd")
    (outcome,) = json.loads(update(project, template, "--json").stdout)["projects"]
    assert outcome["lockfile"] == lockfile_result(
        "tool-missing", "uv is not installed, or not on PATH"
    )


def test_a_failing_tool_leaves_the_rest_of_the_update_applied(
    project: Path, template: Path, offline_uv: Path
) -> None:
    # A dependency uv cannot resolve offline, with nothing in its cache.
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[]", '["httpx>=0.28"]'))
    git(project, "commit", "-qam", "our dependency")
    result = update(project, template, "--json")
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    lockfile = outcome["lockfile"]
    assert (lockfile["status"], lockfile["path"]) == ("failed", "uv.lock")
    assert lockfile["reason"].startswith("uv lock failed: "), lockfile
    assert "network was disabled" in lockfile["reason"], lockfile
    assert not (project / "uv.lock").exists()
    assert (project / "CHANGELOG.md").is_file()


def test_a_dry_run_runs_nothing_and_says_it_would_make_the_lockfile(
    project: Path, template: Path, offline_uv: Path
) -> None:
    before = tree_digest(project)
    result = update(project, template, "--dry-run")
    assert result.exit_code == ExitCode.CHANGES_PENDING, result.output
    assert result.stdout.splitlines()[-1] == "Would create uv.lock (uv lock)."
    assert not offline_uv.exists()  # uv never ran
    assert tree_digest(project) == before
    (outcome,) = json.loads(update(project, template, "--dry-run", "--json").stdout)["projects"]
    assert outcome["lockfile"] == lockfile_result("planned", None)
    assert "uv.lock" not in outcome["changed"]


def test_a_dry_run_without_the_tool_says_it_would_make_none(
    project: Path, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(tmp_path, monkeypatch)
    result = update(project, template, "--dry-run")
    assert result.stdout.splitlines()[-1] == (
        "Would create no uv.lock: uv is not installed, or not on PATH."
    )


@pytest.mark.parametrize("how", ["--no-lock", "SCAFFOLD_NO_LOCK"])
def test_no_lock_runs_nothing(
    how: str, project: Path, template: Path, offline_uv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--json"]
    if how == "--no-lock":
        args.append(how)
    else:
        monkeypatch.setenv(how, "1")
    result = update(project, template, *args)
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    assert outcome["lockfile"] == lockfile_result("skipped", "not asked for")
    assert not offline_uv.exists()
    assert not (project / "uv.lock").exists()


def test_a_lockfile_the_project_has_is_left_alone(
    project: Path, template: Path, offline_uv: Path
) -> None:
    # The user keeps theirs out of git: making one in the update would collide with it.
    (project / ".gitignore").write_text("uv.lock\n")
    commit_all(project, "our lockfile stays ours")
    (project / "uv.lock").write_text("ours\n")
    result = update(project, template, "--json")
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    assert outcome["lockfile"] == lockfile_result("present", None)
    assert not offline_uv.exists()
    assert (project / "uv.lock").read_text() == "ours\n"
    assert outcome["conflicts"] == []


def test_a_lock_command_none_of_scaffolds_templates_has_is_never_run(
    tmp_path: Path, offline_uv: Path
) -> None:
    # A template source the user allowed is data: it cannot choose a program to run.
    template = template_repo(
        tmp_path,
        "_scaffold:\n  lockfile:\n    file: uv.lock\n"
        "    command: [uv, run, --with, evil, python, -c, pass]\n",
    )
    project = generated(template, tmp_path / "project")
    result = update(project, template)
    assert result.exit_code == 0, result.output
    line = (
        "uv run --with evil python -c pass is not the lock command of one of scaffold's "
        "templates, so it was not run"
    )
    assert result.stdout.splitlines()[-1] == f"No uv.lock: {line}."
    assert not offline_uv.exists()
    assert not (project / "uv.lock").exists()


def test_a_project_in_a_folder_of_the_repository_gets_its_lockfile_there(
    tmp_path: Path, template: Path, offline_uv: Path
) -> None:
    repo = tmp_path / "repo"
    copier.run_copy(
        str(template), repo / "services" / "api", data={"project_name": "api"},
        vcs_ref="v1.0.0", defaults=True, quiet=True,
    )  # fmt: skip
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "generated")
    result = update(repo, template)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Created services/api/uv.lock (uv lock)."
    assert 'name = "api"' in (repo / "services" / "api" / "uv.lock").read_text()
    assert not (repo / "uv.lock").exists()


def test_the_library_makes_a_lockfile_only_when_asked(
    project: Path, template: Path, offline_uv: Path
) -> None:
    result = update_projects(project, allowed_sources=[str(template)])
    assert result.projects[0].lockfile is not None
    assert result.projects[0].lockfile.status == "skipped"
    assert not offline_uv.exists()


def test_an_up_to_date_project_reports_no_lockfile(
    project: Path, template: Path, offline_uv: Path
) -> None:
    result = update(project, template, "--to", "v1.0.0", "--json")
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    assert (outcome["status"], outcome["lockfile"]) == ("up-to-date", None)


def test_the_help_names_no_lock() -> None:
    result = CliRunner().invoke(app, ["update", "--help"], env={"COLUMNS": "200"})
    assert "--no-lock" in result.stdout


def test_the_mcp_update_tool_takes_lock_and_makes_the_lockfile_by_default() -> None:
    from tests.test_mcp_server import with_server

    tools, _ = with_server([])
    (update_tool,) = (tool for tool in tools.tools if tool.name == "update")
    lock = update_tool.input_schema["properties"]["lock"]
    assert (lock["type"], lock["default"]) == ("boolean", True)


def test_a_malformed_lock_step_in_the_new_version_is_reported_not_an_error(
    tmp_path: Path, offline_uv: Path
) -> None:
    template = template_repo(
        tmp_path, "_scaffold:\n  lockfile:\n    file: uv.lock\n    command: uv lock\n"
    )
    project = generated(template, tmp_path / "project")
    result = update(project, template)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"No lockfile: {template}/copier.yml: _scaffold.lockfile: command must be a list of "
        "arguments naming a program; nothing was run."
    )
    assert (project / "CHANGELOG.md").is_file()
    assert not offline_uv.exists()
