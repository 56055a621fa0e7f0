"""The command line's flag handling: the question `scaffold adopt` asks before it writes (yes
only when answered yes, the end of input a no, Ctrl-C still an interrupt), and what each flag
implies."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from scaffold import __version__, cli
from scaffold.cli import ScaffoldGroup, _complete_stack, _confirm, app, main
from scaffold.closed_pipe import ClosedPipeGuard
from scaffold.errors import ExitCode, TargetError, UsageError
from scaffold.plan import apply as apply_module
from scaffold.templates import stack_ids
from tests.helpers import adopt, fastapi_service, tree_digest


class InterruptedInput:
    """A terminal where the user presses Ctrl-C at the question."""

    def readline(self) -> str:
        raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("y\n", True),
        ("yes\n", True),
        ("  YES \n", True),
        ("Y\n", True),
        ("\n", False),
        ("n\n", False),
        (" No\n", False),
    ],
)
def test_only_yes_applies(
    typed: str, answer: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert _confirm("Apply this plan?") is answer
    assert capsys.readouterr().out == "Apply this plan? [y/N]: "


def test_another_answer_is_asked_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("sure\nyep\nyes\n"))
    assert _confirm("Apply?") is True
    assert capsys.readouterr().out == (
        "Apply? [y/N]: Please answer y or n.\nApply? [y/N]: Please answer y or n.\nApply? [y/N]: "
    )


def test_the_end_of_input_is_a_no_on_a_line_of_its_own(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("what\n"))
    assert _confirm("Apply?") is False
    assert capsys.readouterr().out == "Apply? [y/N]: Please answer y or n.\nApply? [y/N]: \n"


def test_ctrl_c_is_an_interrupt_after_ending_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", InterruptedInput())
    with pytest.raises(KeyboardInterrupt):
        _confirm("Apply?")
    assert capsys.readouterr().out == "Apply? [y/N]: \n"


@pytest.fixture
def dirty_repo(tmp_path: Path) -> Path:
    """A FastAPI service, committed, then edited."""
    repo = fastapi_service(tmp_path / "svc")
    (repo / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()  # wip\n")
    return repo


@pytest.mark.parametrize("flag", ["--check", "--dry-run", "-n"])
def test_flags_that_write_nothing_run_on_a_dirty_tree(dirty_repo: Path, flag: str) -> None:
    before = tree_digest(dirty_repo)
    code, output = adopt(str(dirty_repo), flag)
    assert code == ExitCode.CHANGES_PENDING
    assert "pyproject.toml  merge: adds tool.ruff" in output
    assert tree_digest(dirty_repo) == before
    code, output = adopt(str(dirty_repo))
    assert code == ExitCode.ERROR
    assert output.startswith(f"scaffold: error: {dirty_repo} has uncommitted changes (1 paths)")


def test_json_leaves_the_diffs_out(dirty_repo: Path) -> None:
    code, output = adopt(str(dirty_repo), "--dry-run", "--diff", "--json")
    assert code == ExitCode.CHANGES_PENDING
    assert json.loads(output) == json.loads(adopt(str(dirty_repo), "--dry-run", "--json")[1])
    assert "+++" in adopt(str(dirty_repo), "--dry-run", "--diff")[1]


def test_without_a_terminal_json_shows_the_plan_once_and_writes_nothing(dirty_repo: Path) -> None:
    before = tree_digest(dirty_repo)
    code, output = adopt(str(dirty_repo), "--allow-dirty", "--json")
    assert code == ExitCode.CHANGES_PENDING
    assert json.loads(output)["files"]
    assert tree_digest(dirty_repo) == before


def new_dry_run(tmp_path: Path, *flags: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["new", "node-express", str(tmp_path / "svc"), "--dry-run", "--json", *flags]
    )
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_new_takes_its_layout_from_the_agent_given(tmp_path: Path) -> None:
    agent = tmp_path / "team.md"
    agent.write_text("## Conventions\n- **Node.js/Express**: `src/handlers/`, `src/routers/`\n")
    answers = new_dry_run(tmp_path, "--agent", str(agent))["answers"]
    assert (answers["routes_dir"], answers["controllers_dir"]) == ("routers", "handlers")
    answers = new_dry_run(tmp_path)["answers"]
    assert (answers["routes_dir"], answers["controllers_dir"]) == ("routes", "controllers")


def test_new_installs_the_agent_definition_only_when_asked(tmp_path: Path) -> None:
    def agents(*flags: str) -> list[str]:
        files = new_dry_run(tmp_path, *flags)["files"]
        return [f["path"] for f in files if f["path"].startswith(".claude/")]

    assert agents() == []
    assert agents("--install-agent") == [".claude/agents/backend-engineer.md"]


# --- errors: one line and an exit code, a traceback only on request ----------------------


def failing_app(error: BaseException) -> typer.Typer:
    """A command line like scaffold's whose one command raises ``error``."""
    failing = typer.Typer(cls=ScaffoldGroup)

    @failing.command()
    def run() -> None:
        raise error

    @failing.command()
    def other() -> None:  # two commands: the group's invoke is the one under test
        pass

    return failing


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (UsageError("bad flags"), ExitCode.USAGE, "bad flags"),
        (TargetError("no such repository"), ExitCode.ERROR, "no such repository"),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED, "interrupted; nothing was changed"),
        (
            ValueError("\n  first\nsecond"),
            ExitCode.ERROR,
            "unexpected ValueError: first (set SCAFFOLD_DEBUG=1 for a traceback)",
        ),
        (
            OSError(),
            ExitCode.ERROR,
            "unexpected OSError: OSError (set SCAFFOLD_DEBUG=1 for a traceback)",
        ),
    ],
)
@pytest.mark.parametrize("debug", [None, "", "0"])
def test_an_error_is_one_line_and_an_exit_code(
    error: BaseException,
    code: int,
    message: str,
    debug: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if debug is not None:
        monkeypatch.setenv("SCAFFOLD_DEBUG", debug)
    # A fresh process: no plan was written before the interrupt (the tests before wrote some).
    monkeypatch.setattr(apply_module, "_completed", [])
    result = CliRunner().invoke(failing_app(error), ["run"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        code,
        "",
        f"scaffold: error: {message}\n",
    )


@pytest.mark.parametrize("error", [UsageError("bad flags"), ValueError("unexpected")])
def test_scaffold_debug_lets_the_error_through(
    error: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCAFFOLD_DEBUG", "1")
    result = CliRunner().invoke(failing_app(error), ["run"])
    assert result.stderr == ""
    assert result.exception is error


def test_scaffold_debug_leaves_an_interrupt_to_the_command_line_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCAFFOLD_DEBUG", "1")
    result = CliRunner().invoke(failing_app(KeyboardInterrupt()), ["run"])
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "scaffold: error" not in result.stderr


@pytest.mark.parametrize(
    ("error", "code", "stderr"),
    [(typer.Exit(3), 3, ""), (typer.Abort(), 1, "Aborted.\n"), (BrokenPipeError(), 1, "")],
)
def test_exits_and_a_closed_pipe_pass_through(error: BaseException, code: int, stderr: str) -> None:
    # A closed pipe reaches main()'s guard, which keeps it quiet (tests/test_closed_pipe.py).
    result = CliRunner().invoke(failing_app(error), ["run"])
    assert (result.exit_code, result.stderr) == (code, stderr)
    if isinstance(error, BrokenPipeError):
        assert result.exception is error


def test_adopt_plans_the_folders_of_the_agent_given(dirty_repo: Path) -> None:
    agent = dirty_repo.parent / "team.md"
    agent.write_text("## Conventions\n- **Python/FastAPI**: `handlers/`\n")

    def folders(*flags: str) -> list[str]:
        output = adopt(str(dirty_repo), "--dry-run", "--json", *flags)[1]
        return [f["path"] for f in json.loads(output)["files"] if f["path"].startswith("app/")]

    # The built-in conventions' app/ folders; the agent's one folder, which is no package.
    assert folders() == [
        "app/api/__init__.py",
        "app/models/__init__.py",
        "app/services/__init__.py",
    ]
    assert folders("--agent", str(agent)) == []


# --- the entry point and shell completion ------------------------------------------------


def test_the_entry_point_names_the_program_and_guards_standard_output_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # restored after the test
    monkeypatch.setattr(sys, "argv", ["anything", "adopt", "--no-such-flag"])
    with pytest.raises(SystemExit) as usage:
        main()
    assert usage.value.code == ExitCode.USAGE
    assert capsys.readouterr().err == (
        "Usage: scaffold adopt [OPTIONS] [directory]\n"
        "Try 'scaffold adopt -h' for help.\n\n"
        "Error: No such option: --no-such-flag\n"
    )
    guard = sys.stdout
    assert isinstance(guard, ClosedPipeGuard)
    monkeypatch.setattr(sys, "argv", ["scaffold", "--version"])
    with pytest.raises(SystemExit) as done:
        main()
    assert (done.value.code, sys.stdout) == (0, guard)
    assert capsys.readouterr().out == f"scaffold {__version__}\n"


def test_the_stack_is_completed_from_the_stacks_there_are() -> None:
    assert _complete_stack("") == list(stack_ids())
    assert _complete_stack("py") == ["python-fastapi"]
    assert _complete_stack("x") == []


# --- adopt's question, on a terminal -----------------------------------------------------


class Typed(io.StringIO):
    """A terminal on which the user types the given answers."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def service(tmp_path: Path) -> Path:
    return fastapi_service(tmp_path / "svc")


def adopt_on_a_terminal(
    repo: Path,
    typed: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    **flags: Any,
) -> tuple[int, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", Typed(typed))
    with pytest.raises(typer.Exit) as done:
        cli.adopt(repo, **flags)
    return done.value.exit_code, capsys.readouterr().out


def test_a_plan_confirmed_on_a_terminal_is_applied_and_its_diffs_shown_once(
    service: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = adopt(str(service), "--check")[1]
    diffs = adopt(str(service), "--check", "--diff")[1].removeprefix(plan)
    assert diffs.startswith("\n--- /dev/null\n")
    code, output = adopt_on_a_terminal(service, "y\n", monkeypatch, capsys, diff=True)
    assert (code, output) == (
        ExitCode.OK,
        plan + diffs + "Apply this plan? [y/N]: " + plan + "Wrote 4 files.\n",
    )
    assert (service / ".editorconfig").is_file()


def test_a_plan_declined_on_a_terminal_writes_nothing(
    service: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = adopt(str(service), "--check")[1]
    before = tree_digest(service)
    code, output = adopt_on_a_terminal(service, "n\n", monkeypatch, capsys)
    assert (code, output) == (ExitCode.CHANGES_PENDING, plan + "Apply this plan? [y/N]: ")
    assert tree_digest(service) == before


def test_json_on_a_terminal_asks_nothing_and_writes_nothing(
    service: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(service)
    code, output = adopt_on_a_terminal(service, "y\n", monkeypatch, capsys, as_json=True)
    assert code == ExitCode.CHANGES_PENDING
    assert json.loads(output) == json.loads(adopt(str(service), "--check", "--json")[1])
    assert tree_digest(service) == before


def test_new_with_json_on_a_terminal_asks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", Typed(""))
    with pytest.raises(typer.Exit) as ended:
        # Called directly, not through click: SCAFFOLD_NO_LOCK (tests/conftest.py) is not read.
        cli.new("node-express", tmp_path / "svc", dry_run=True, as_json=True, no_lock=True)
    assert ended.value.exit_code == 0
    assert json.loads(capsys.readouterr().out) == new_dry_run(tmp_path)


def test_adopt_on_a_terminal_refuses_a_dirty_tree_before_asking(
    dirty_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(dirty_repo)
    monkeypatch.setattr(sys, "stdin", Typed("y\n"))
    with pytest.raises(TargetError) as refused:
        cli.adopt(dirty_repo)
    assert str(refused.value).startswith(f"{dirty_repo} has uncommitted changes (1 paths)")
    assert capsys.readouterr().out == ""
    assert tree_digest(dirty_repo) == before
