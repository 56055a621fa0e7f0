"""`scaffold new` makes the stack's lockfile with the stack's own tool before the first
commit, so the commit pins every dependency; without the tool, or when it fails, the project
is still made, the result says why, and the next steps run the command. The fast tests run
uv (a test dependency, so always there) against registries that cannot answer; the slow ones
make real lockfiles and install from them as the Dockerfiles do."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands import lockfile as lockfile_module
from scaffold.commands.lockfile import LockStep, lock_step
from scaffold.commands.new import new_project
from scaffold.errors import TemplateError
from scaffold.templates import get_stack, list_stacks, load_template
from tests.helpers import files_under, git, run, tree_digest

#: The stacks that make a lockfile, with its name and the command that makes it.
LOCKED_STACKS = {
    "django": ("uv.lock", "uv lock"),
    "node-express": ("package-lock.json", "npm install --package-lock-only"),
    "node-nestjs": ("package-lock.json", "npm install --package-lock-only"),
    "python-fastapi": ("uv.lock", "uv lock"),
    "rust": ("Cargo.lock", "cargo generate-lockfile"),
}
#: uv from the test environment (a test dependency): a real tool, whatever the machine has.
UV = Path(sys.executable).parent / "uv"


@pytest.fixture(autouse=True)
def lock_steps_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the conftest's SCAFFOLD_NO_LOCK: these tests are about the lock step."""
    monkeypatch.delenv("SCAFFOLD_NO_LOCK")


def new(*args: str) -> Any:
    """``scaffold new ARGS --defaults``: its result (exit code and separate streams)."""
    return CliRunner().invoke(app, ["new", *args, "--defaults"])


GIT_SCRIPTS_RUN = ("sed", "basename", "uname")


def only_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **programs: Path) -> Path:
    """PATH holds git (with the programs its own shell scripts run, such as the one for
    submodules that copier calls after cloning a template) and ``programs`` (name: real
    program, linked), and nothing else."""
    folder = tmp_path / "bin"
    folder.mkdir()
    real_git = shutil.which("git")
    assert real_git is not None
    for_git = {name: Path(found) for name in GIT_SCRIPTS_RUN if (found := shutil.which(name))}
    for name, real in {"git": Path(real_git), **for_git, **programs}.items():
        (folder / name).symlink_to(real)
    monkeypatch.setenv("PATH", str(folder))
    return folder


def lockfile_result(status: str, path: str | None, command: str | None, reason: str | None) -> Any:
    """The "lockfile" member of `scaffold new --json`'s result, exactly."""
    return {"status": status, "path": path, "command": command, "reason": reason}


@pytest.fixture
def unreachable_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """uv on PATH, its package index a local port nothing listens on, its cache a fresh
    folder (returned; uv makes it when it runs), the interpreter the tests run on."""
    only_on_path(tmp_path, monkeypatch, uv=UV)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cache = tmp_path / "uv-cache"
    monkeypatch.setenv("UV_DEFAULT_INDEX", f"http://127.0.0.1:{port}/simple")
    monkeypatch.setenv("UV_CACHE_DIR", str(cache))
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    monkeypatch.setenv("UV_PYTHON", sys.executable)
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    yield cache


# --- the tool is missing ----------------------------------------------------------------------


@pytest.mark.parametrize("stack", sorted(LOCKED_STACKS))
def test_without_the_tool_the_project_is_made_and_the_next_steps_make_the_lockfile(
    stack: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    file, command = LOCKED_STACKS[stack]
    program = command.split()[0]
    result = new(stack, "svc", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    payload = json.loads(result.stdout)
    assert payload["lockfile"] == lockfile_result(
        "tool-missing", file, command, f"{program} is not installed, or not on PATH"
    )
    target = tmp_path / "svc"
    assert not (target / file).exists()
    # The project is made and committed all the same; the lock command comes first.
    assert payload["git"]["status"] == "committed"
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    assert payload["next_steps"][:2] == ["cd svc", command]
    assert payload["next_steps"].count(command) == 1


def test_without_uv_the_text_says_there_is_no_lockfile_and_how_to_make_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = new("python-fastapi", "svc")
    assert result.exit_code == 0, result.output
    files = len(files_under(tmp_path / "svc")) - len(files_under(tmp_path / "svc" / ".git"))
    assert result.stdout == (
        f"Created {tmp_path / 'svc'} (python-fastapi, {files} files).\n"
        "No uv.lock: uv is not installed, or not on PATH; the next steps make it.\n"
        "Initialised a git repository with the files in a first commit.\n"
        "\n"
        "Next steps:\n"
        "  cd svc\n"
        "  uv lock\n"
        "  uv sync\n"
        "  uv run alembic upgrade head\n"
        "  uv run --env-file .env.example uvicorn app.main:create_app --factory --reload\n"
        "  uv run pytest\n"
        "\n"
        "Not on PATH (how to install):\n"
        "  uv  https://docs.astral.sh/uv/getting-started/installation/\n"
    )


def test_without_git_either_the_lock_command_comes_before_the_git_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # So that the lockfile the step makes joins the first commit the next ones make.
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    payload = json.loads(new("rust", "svc", "--json").stdout)
    assert payload["next_steps"][:5] == [
        "cd svc",
        "cargo generate-lockfile",
        "git init",
        "git add --all",
        "git commit -m 'Initial commit (scaffold new rust)'",
    ]


# --- a dry run, --no-lock, the library --------------------------------------------------------


def test_a_dry_run_runs_nothing_and_says_what_it_would_make(
    tmp_path: Path, unreachable_index: Path, scratch_tmp: Path
) -> None:
    target = tmp_path / "svc"
    before = tree_digest(tmp_path)
    result = new("python-fastapi", str(target), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lockfile"] == lockfile_result(
        "planned", "uv.lock", "uv lock", None
    )
    text = new("python-fastapi", str(target), "--dry-run").stdout.splitlines()
    assert text[1] == "Would create uv.lock (uv lock)."
    assert tree_digest(tmp_path) == before
    assert not unreachable_index.exists()  # uv never ran: it makes its cache first thing
    assert list(scratch_tmp.iterdir()) == []


def test_a_dry_run_without_the_tool_says_it_would_make_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(tmp_path, monkeypatch)
    result = new("django", str(tmp_path / "svc"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Would create no uv.lock: uv is not installed, or not on PATH."
    )


@pytest.mark.parametrize("how", ["--no-lock", "SCAFFOLD_NO_LOCK=1"])
def test_no_lock_runs_nothing_and_adds_no_step(
    how: str, tmp_path: Path, unreachable_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = [how] if how.startswith("--") else []
    if not options:
        monkeypatch.setenv(*how.split("="))
    monkeypatch.chdir(tmp_path)
    result = new("python-fastapi", "svc", "--json", *options)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["lockfile"] == lockfile_result("skipped", "uv.lock", "uv lock", "not asked for")
    assert not unreachable_index.exists()
    assert not (tmp_path / "svc" / "uv.lock").exists()
    assert "uv lock" not in payload["next_steps"]


def test_the_help_names_no_lock() -> None:
    result = CliRunner().invoke(app, ["new", "--help"])
    assert "--no-lock" in result.stdout
    assert "SCAFFOLD_NO_LOCK" in result.stdout


def test_the_library_makes_a_lockfile_only_when_asked(
    tmp_path: Path, unreachable_index: Path
) -> None:
    plain = new_project("python-fastapi", tmp_path / "plain")
    assert plain.lockfile.status == "skipped"
    assert not unreachable_index.exists()
    asked = new_project("python-fastapi", tmp_path / "asked", lock=True)
    assert asked.lockfile.status == "failed"
    assert unreachable_index.is_dir()


@pytest.mark.parametrize("stack", ["go", "java-spring"])
def test_a_stack_without_a_lockfile_says_so_and_runs_nothing(
    stack: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = new(stack, "svc", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lockfile"] == lockfile_result(
        "none", None, None, "the stack has no lockfile to make"
    )


def test_go_has_no_lockfile_to_make_because_its_go_sum_ships_with_the_template(
    tmp_path: Path,
) -> None:
    # go.sum holds the checksums of every module go.mod requires: the template ships it,
    # so there is no lock step to run (and no network to reach) when a project is made.
    spec = load_template(get_stack("go").template)
    assert lock_step(spec.metadata, spec.path) is None
    new_project("go", tmp_path / "svc")
    go_mod = (tmp_path / "svc" / "go.mod").read_text()
    go_sum = (tmp_path / "svc" / "go.sum").read_text().splitlines()
    required = re.findall(r"^\t(\S+) (v\S+)", go_mod, re.MULTILINE)
    assert len(required) > 4
    for module, version in required:
        assert f"{module} {version}/go.mod" in " ".join(go_sum), module
        assert any(line.startswith(f"{module} {version} h1:") for line in go_sum), module


# --- the tool fails -----------------------------------------------------------------------------


def test_a_failing_lock_command_leaves_the_project_committed_and_says_why(
    tmp_path: Path, unreachable_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = new("python-fastapi", "svc", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert unreachable_index.is_dir()  # uv ran
    target = tmp_path / "svc"
    assert not (target / "uv.lock").exists()
    payload = json.loads(result.stdout)
    lockfile = payload["lockfile"]
    assert (lockfile["status"], lockfile["path"], lockfile["command"]) == (
        "failed",
        "uv.lock",
        "uv lock",
    )
    # uv's own last line: the connection to the index was refused.
    assert lockfile["reason"].startswith("uv lock failed: "), lockfile
    assert "refused" in lockfile["reason"].lower(), lockfile
    assert "\n" not in lockfile["reason"] and "\x1b" not in lockfile["reason"]
    assert payload["git"]["status"] == "committed"
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    assert payload["next_steps"][:3] == ["cd svc", "uv lock", "uv sync"]
    text = new("python-fastapi", "other").stdout.splitlines()
    assert text[1] == f"No uv.lock: {lockfile['reason']}; the next steps make it."


def test_a_workspace_above_the_project_is_neither_read_nor_rewritten(
    tmp_path: Path, unreachable_index: Path
) -> None:
    # In the project's folder uv would lock (and rewrite the lockfile of) the workspace it
    # belongs to; this one uv cannot even parse, so reading it would be the error reported.
    workspace = tmp_path / "repo"
    (workspace / "services").mkdir(parents=True)
    manifest = '[tool.uv.workspace]\nmembers = ["services/*"]\n[project\n'
    (workspace / "pyproject.toml").write_text(manifest)
    before = tree_digest(workspace)
    result = new_project("python-fastapi", workspace / "services" / "api", lock=True)
    assert result.lockfile.status == "failed"
    assert "refused" in result.lockfile.reason.lower(), result.lockfile.reason
    after = tree_digest(workspace)
    assert {path: after[path] for path in before} == before
    assert not (workspace / "uv.lock").exists()


def test_a_lock_command_that_hangs_is_stopped(
    tmp_path: Path, unreachable_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index that takes the connection and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        monkeypatch.setenv("UV_DEFAULT_INDEX", f"http://127.0.0.1:{silent.getsockname()[1]}/")
        monkeypatch.setenv("UV_HTTP_TIMEOUT", "600")
        monkeypatch.setattr(lockfile_module, "LOCK_TIMEOUT_SECONDS", 2)
        result = new_project("python-fastapi", tmp_path / "svc", lock=True)
    assert result.lockfile.status == "failed"
    assert result.lockfile.reason == "uv lock failed: stopped after 2 seconds"
    assert not (tmp_path / "svc" / "uv.lock").exists()


def test_the_mcp_tool_makes_the_lockfile_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_mcp_server import new_with_and_without

    only_on_path(tmp_path, monkeypatch)
    locked, unlocked = new_with_and_without("rust", tmp_path, "lock")
    assert locked["lockfile"]["status"] == "tool-missing"
    assert unlocked["lockfile"]["status"] == "skipped"


# --- the template's declaration -------------------------------------------------------------------


@pytest.mark.parametrize("stack", list_stacks(), ids=lambda stack: stack.id)
def test_every_lock_step_runs_a_program_the_template_says_how_to_install(stack: Any) -> None:
    spec = load_template(stack.template)
    step = lock_step(spec.metadata, spec.path)
    if stack.id in LOCKED_STACKS:
        assert step is not None
        assert (str(step.file), step.shell_line) == LOCKED_STACKS[stack.id]
        assert step.program in spec.metadata["tools"]
    else:
        assert "lockfile" in spec.metadata and step is None, stack.id


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"file": "../uv.lock", "command": ["uv", "lock"]}, "file must be a file name"),
        ({"file": "sub/uv.lock", "command": ["uv", "lock"]}, "file must be a file name"),
        ({"file": "/tmp/uv.lock", "command": ["uv", "lock"]}, "file must be a file name"),
        ({"file": "uv.lock", "command": "uv lock"}, "command must be a list"),
        ({"file": "uv.lock", "command": []}, "command must be a list"),
        ({"file": "uv.lock", "command": ["/bin/sh", "-c", "x"]}, "command must be a list"),
        ({"file": "uv.lock", "command": ["uv", 1]}, "command must be a list"),
        ({"file": "uv.lock", "command": ["uv"], "env": {"A": 1}}, "env must map"),
        ({"file": "uv.lock", "command": ["uv"], "shell": True}, "must be a mapping of"),
        (["uv", "lock"], "must be a mapping of"),
    ],
)
def test_a_malformed_lock_step_is_refused(declared: Any, message: str, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=message):
        lock_step({"lockfile": declared}, tmp_path)


def test_a_failure_line_loses_colours_and_control_characters() -> None:
    stderr = b"resolving\n\x1b[31merror\x1b[0m: no \x07route\r\n\n"
    assert lockfile_module._last_line(stderr) == "error: no route"
    assert lockfile_module._last_line(b"") == ""
    assert len(lockfile_module._last_line(b"x" * 5000)) < 400


def test_a_lock_step_as_the_user_types_it() -> None:
    step = LockStep(PurePosixPath("x.lock"), ("tool", "lock", "--a b"))
    assert step.shell_line == "tool lock '--a b'"


# --- slow: real lockfiles, and installs from them -------------------------------------------------


def slow_env() -> dict[str, str]:
    """The environment of the slow tests' toolchains: uv from the test environment first."""
    from tests.ecosystems.rust.toolchain import CARGO_ENV

    return {**os.environ, **CARGO_ENV, "PATH": f"{UV.parent}{os.pathsep}{os.environ['PATH']}"}


FROZEN_INSTALLS = {
    "django": [["uv", "sync", "--frozen"]],
    "python-fastapi": [["uv", "sync", "--frozen"]],
    "node-express": [["npm", "ci", "--no-audit", "--no-fund"]],
    "node-nestjs": [["npm", "ci", "--no-audit", "--no-fund"]],
    "rust": [["cargo", "metadata", "--locked", "--format-version", "1"]],
}


@pytest.mark.slow
@pytest.mark.parametrize("stack", sorted(LOCKED_STACKS))
def test_new_makes_the_lockfile_in_the_first_commit_and_a_locked_install_works(
    stack: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = slow_env()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    file, command = LOCKED_STACKS[stack]
    result = new(stack, "svc", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["lockfile"] == lockfile_result("created", file, command, None)
    assert command not in payload["next_steps"]
    target = tmp_path / "svc"
    assert file in git(target, "ls-files").splitlines()
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    for install in FROZEN_INSTALLS[stack]:
        program = shutil.which(install[0], path=env["PATH"])
        assert program is not None, install[0]
        run([program, *install[1:]], cwd=target, env=env)
    # The install read the lockfile as it was: it changed nothing the repository tracks.
    assert git(target, "status", "--porcelain") == ""


@pytest.mark.slow
def test_a_project_inside_a_uv_workspace_gets_its_own_lockfile_and_the_workspace_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in slow_env().items():
        monkeypatch.setenv(name, value)
    workspace = tmp_path / "repo"
    (workspace / "services").mkdir(parents=True)
    (workspace / "pyproject.toml").write_text(
        '[project]\nname = "root"\nversion = "0"\nrequires-python = ">=3.11"\n\n'
        '[tool.uv.workspace]\nmembers = ["services/*"]\n'
    )
    result = new_project("python-fastapi", workspace / "services" / "api", lock=True)
    assert result.lockfile.status == "created", result.lockfile.reason
    assert sorted(path.name for path in workspace.iterdir()) == ["pyproject.toml", "services"]
    # The project's own lockfile, as its image builds it: alone, from its folder.
    lock = (workspace / "services" / "api" / "uv.lock").read_text()
    assert 'name = "api"' in lock
    assert 'name = "root"' not in lock


def test_the_dockerfiles_copy_the_lockfile_and_install_from_it(tmp_path: Path) -> None:
    installs = {
        "django": ["uv sync --frozen --no-dev --no-install-project"],
        "python-fastapi": [
            "uv sync --frozen --no-dev --no-install-project",
            "uv sync --frozen --no-dev --no-editable",
        ],
        "node-express": ["npm ci"],
        "rust": ["cargo build --release --locked"],
        "go": ["COPY go.mod go.sum* ./"],
    }
    for stack, lines in installs.items():
        new_project(stack, tmp_path / stack, {"project_name": "svc"})
        dockerfile = (tmp_path / stack / "Dockerfile").read_text()
        for line in lines:
            assert line in dockerfile, (stack, line)
        if stack in LOCKED_STACKS:
            copied = [row for row in dockerfile.splitlines() if LOCKED_STACKS[stack][0] in row]
            assert copied and all("*" not in row for row in copied), (stack, copied)
