"""The console script's two routes: ``scaffold detect`` and ``scaffold adopt --check`` in
their plain forms run without typer, and print and exit exactly as typer's route does."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffold import cli, launch
from scaffold.errors import ExitCode, TargetError
from tests.helpers import adopted, commit_all, fastapi_service

Ending = tuple[int, str, str]


def ending(route: Callable[[], None], args: list[str], monkeypatch: pytest.MonkeyPatch) -> Ending:
    """The exit code, standard output and standard error of ``scaffold ARGS`` by ``route``."""
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "argv", ["scaffold", *args])
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        with pytest.raises(SystemExit) as ended:
            route()
    code = ended.value.code
    return (
        (code if isinstance(code, int) else 0 if code is None else 1),
        out.getvalue(),
        err.getvalue(),
    )


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A FastAPI service as written (conventions pending), the same service adopted and
    committed, and a file that is not a folder."""
    base = tmp_path_factory.mktemp("launch")
    pending = fastapi_service(base / "pending")
    conforming = fastapi_service(base / "conforming")
    adopted(conforming, 4)
    commit_all(conforming, "adopted")
    (base / "file.txt").write_text("not a folder\n")
    return {"pending": pending, "conforming": conforming, "file": base / "file.txt"}


#: Command lines read without typer; DIR is replaced by each repository in turn.
QUICK = [
    ["detect", "DIR"],
    ["detect", "DIR", "--json"],
    ["detect", "--verbose", "DIR"],
    ["detect", "-v", "DIR", "--json", "--json"],
    ["adopt", "--check", "DIR"],
    ["adopt", "DIR", "--check", "--json"],
    ["adopt", "--check", "--include-examples", "DIR"],
    ["adopt", "--allow-dirty", "--check", "DIR", "--json"],
]


@pytest.mark.parametrize("kind", ["pending", "conforming", "file", "missing"])
@pytest.mark.parametrize("args", QUICK, ids=" ".join)
def test_the_quick_route_ends_as_typers_does(
    repos: dict[str, Path], kind: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = repos.get(kind, repos["pending"] / "missing")
    args = [str(folder) if arg == "DIR" else arg for arg in args]
    assert launch.quick_command(args) is not None
    quick = ending(launch.main, args, monkeypatch)
    assert quick == ending(cli.main, args, monkeypatch)
    expected_code = {
        ("pending", "adopt"): ExitCode.CHANGES_PENDING,
        ("file", "detect"): ExitCode.USAGE,
        ("file", "adopt"): ExitCode.ERROR,
        ("missing", "detect"): ExitCode.USAGE,
        ("missing", "adopt"): ExitCode.ERROR,
    }.get((kind, args[0]), ExitCode.OK)
    assert quick[0] == expected_code, quick
    if "--json" in args and quick[0] in (ExitCode.OK, ExitCode.CHANGES_PENDING):
        assert json.loads(quick[1])["schema"] == 1


def test_the_quick_route_reads_the_current_folder_by_default(
    repos: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repos["conforming"])
    for args in (["detect", "--json"], ["adopt", "--check"]):
        quick = ending(launch.main, args, monkeypatch)
        assert quick == ending(cli.main, args, monkeypatch)
        assert quick[0] == ExitCode.OK


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--version"],
        ["detect", "--help"],
        ["detect", "a", "b"],
        ["detect", "--json=1"],
        ["detect", "--", "a"],
        ["detect", ""],
        ["detect", "-vv"],
        ["adopt", "."],
        ["adopt", "--check", "--diff", "."],
        ["adopt", "--check", "--project", "svc", "."],
        ["new", "--list"],
    ],
    ids=repr,
)
def test_typer_reads_every_other_command_line(args: list[str]) -> None:
    assert launch.quick_command(args) is None


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_SCAFFOLD_COMPLETE", "bash_complete")
    assert launch.quick_command(["detect", "--json"]) is None


def raising(error: BaseException) -> Callable[[], int]:
    def command() -> int:
        raise error

    return command


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (TargetError("/x is not a folder"), ExitCode.ERROR, "scaffold: error: /x is not a folder"),
        (
            RuntimeError("boom\nsecond line"),
            ExitCode.ERROR,
            "scaffold: error: unexpected RuntimeError: boom (set SCAFFOLD_DEBUG=1 for a traceback)",
        ),
        # What an interrupt says depends on what this process has written (see plan.apply).
        (KeyboardInterrupt(), ExitCode.INTERRUPTED, None),
    ],
)
def test_the_quick_route_ends_an_error_in_one_line(
    error: BaseException, code: int, line: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from scaffold.plan.apply import interrupted_message

    line = line or f"scaffold: error: {interrupted_message()}"
    with pytest.raises(SystemExit) as ended:
        launch.run_quick(raising(error))
    assert ended.value.code == code
    assert capsys.readouterr() == ("", line + "\n")


def test_the_quick_route_shows_the_traceback_when_debugging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCAFFOLD_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        launch.run_quick(raising(RuntimeError("boom")))


@pytest.mark.parametrize("args", [["detect", "--json"], ["adopt", "--check", "--json"]])
def test_the_hooks_commands_load_no_command_line_library(
    repos: dict[str, Path], args: list[str]
) -> None:
    # The second run: the first one has rendered the template (with copier) into the cache.
    script = (
        "import sys\n"
        "from scaffold.launch import main\n"
        f"sys.argv = ['scaffold', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as end:\n"
        "    code = end.code\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'pydantic', 'rich', 'copier'})\n"
        "print('LOADED', code, loaded, file=sys.stderr)\n"
    )
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=repos["conforming"],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.stderr.splitlines()[-1] == "LOADED 0 []", done.stderr
    assert json.loads(done.stdout)["schema"] == 1
