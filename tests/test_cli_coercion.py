"""Command-line values turned into text, paths, flags and lists of text without typer's
pydantic adapter: the same values typer's own conversion gives, and ``detect`` and
``adopt --check`` never import pydantic (or copier)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._coercion import build_runtime_param
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.cli_coercion import _plain_runtime_params, plain_kind
from tests.helpers import committed_repo

HEAVY = ("pydantic", "typer._adapters", "copier")


def imported_by(cwd: Path, *args: str) -> tuple[int, list[str]]:
    """``scaffold ARGS`` in a fresh process: its exit code and which of HEAVY it imported."""
    script = (
        "import sys\n"
        "from scaffold.cli import main\n"
        f"sys.argv = ['scaffold', *{list(args)!r}]\n"
        "code = 0\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        f"print('IMPORTED', code, *sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=False
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("IMPORTED"))
    code, *imported = line.split()[1:]
    return int(code), imported


def test_detect_and_adopt_check_load_no_pydantic_and_no_copier(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n'},
    )
    assert imported_by(repo, "detect", "--json", ".") == (0, [])
    # The first adopt of a stack checks the in-process render against copier's own, once.
    assert imported_by(repo, "adopt", "--check", ".") == (3, ["copier", "pydantic"])
    assert imported_by(repo, "adopt", "--check", ".") == (3, [])
    assert imported_by(repo, "adopt", "--check", "--project", ".", "--stack", "python-fastapi") == (
        3,
        [],
    )


def runtime_param(annotation: Any, option: Any) -> Any:
    """The parameter typer makes of ``value: annotation = option`` in a command."""

    def command(value: Any = option) -> None:
        return None

    command.__annotations__ = {"value": annotation, "return": None}
    one = typer.Typer()
    one.command()(command)
    return typer.main.get_command(one).params[0]


CASES: list[tuple[Any, Any, Any]] = [
    (str, typer.Option(None), "text"),
    (str, typer.Option(None), ""),
    (str | None, typer.Option(None), "ünïcode"),
    (Path, typer.Argument(), "a/b"),
    (Path, typer.Argument(), "."),
    (Path | None, typer.Option(None), "/absolute/path"),
    (Path, typer.Argument(), "-"),
    (Path, typer.Argument(), Path("default")),
    (list[str] | None, typer.Option(None), ("k=v", "other=1")),
    (list[str] | None, typer.Option(None), ()),
    (bool, typer.Option(False), True),
    (bool, typer.Option(False), False),
]


@pytest.mark.parametrize(("annotation", "option", "value"), CASES)
def test_plain_values_are_what_typer_makes_of_them(
    annotation: Any, option: Any, value: Any
) -> None:
    param = runtime_param(annotation, option)
    ctx = typer.Context(typer.main.get_command(app))
    kind = plain_kind(param.type_descriptor.annotation)
    assert kind is not None
    plain = _plain_runtime_params()[kind](  # type: ignore[index]
        param.type_descriptor.parameter_info, param.type_descriptor.annotation
    )
    typers = build_runtime_param(param.type_descriptor)
    mine = plain.coerce(value, param=param, ctx=ctx)
    theirs = typers.coerce(value, param=param, ctx=ctx)
    assert (type(mine), mine) == (type(theirs), theirs)


@pytest.mark.parametrize("annotation", [int, float, list[int], str | int])
def test_other_annotations_are_left_to_typer(annotation: Any) -> None:
    assert plain_kind(annotation) is None


def test_a_choice_is_still_checked_by_typer() -> None:
    result = CliRunner().invoke(app, ["update", "--conflict", "nonsense"])
    assert result.exit_code == 2
    assert "nonsense" in result.output
