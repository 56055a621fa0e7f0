"""``scaffold mcp`` through the MCP SDK's own client, over stdio, as an MCP client runs it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from tests.helpers import committed_repo, files_under, git

FASTAPI_SERVICE = {
    "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["fastapi"]\n',
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}
GO_SERVICE = {
    "go.mod": "module example.com/api\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
}


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.stdout)


def with_server(calls: list[tuple[str, dict[str, Any]]]) -> tuple[Any, list[Any]]:
    """The server's tool list, and the result of each call, from one stdio session."""
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    server = StdioServerParameters(
        command=sys.executable, args=["-m", "scaffold", "mcp"], env=dict(os.environ)
    )

    async def session() -> tuple[Any, list[Any]]:
        async with Client(server) as client:
            tools = await client.list_tools()
            return tools, [await client.call_tool(name, arguments) for name, arguments in calls]

    return asyncio.run(session())


def new_with_and_without(stack: str, parent: Path, option: str) -> tuple[Any, Any]:
    """The ``new`` tool's results for ``parent/made`` with its defaults and for
    ``parent/skipped`` with ``option`` turned off, from one session; neither is an error."""
    made, skipped = parent / "made", parent / "skipped"
    _, (with_it, without_it) = with_server(
        [
            ("new", {"stack": stack, "directory": str(made), "dry_run": False}),
            ("new", {"stack": stack, "directory": str(skipped), "dry_run": False, option: False}),
        ]
    )
    assert not with_it.is_error and not without_it.is_error
    return with_it.structured_content, without_it.structured_content


def test_tools_have_typed_inputs_and_give_the_commands_json(tmp_path: Path) -> None:
    detected = committed_repo(tmp_path / "detected", FASTAPI_SERVICE)
    adopted = committed_repo(tmp_path / "adopted", GO_SERVICE)
    before = files_under(adopted)

    tools, (detect, adopt, missing) = with_server(
        [
            ("detect", {"directory": str(detected)}),
            ("adopt", {"directory": str(adopted)}),
            ("detect", {"directory": str(tmp_path / "missing")}),
        ]
    )

    schemas = {tool.name: tool.input_schema for tool in tools.tools}
    assert sorted(schemas) == ["adopt", "conventions", "detect", "new", "stacks", "update"]
    assert schemas["detect"]["properties"]["directory"]["type"] == "string"
    assert schemas["adopt"]["properties"]["dry_run"] == {
        "default": True,
        "description": "Only plan: write nothing (the default). False applies the plan.",
        "title": "Dry Run",
        "type": "boolean",
    }
    assert schemas["new"]["required"] == ["stack", "directory"]
    assert schemas["new"]["properties"]["dry_run"]["default"] is True
    assert schemas["update"]["properties"]["dry_run"]["default"] is True
    assert schemas["update"]["properties"]["conflict"]["enum"] == ["inline", "rej"]
    read_only = {tool.name for tool in tools.tools if tool.annotations.read_only_hint}
    assert read_only == {"conventions", "detect", "stacks"}

    assert not detect.is_error
    assert detect.structured_content == cli_json("detect", str(detected))
    assert detect.structured_content["projects"][0]["stack"] == "python-fastapi"

    # adopt without dry_run plans only: the same JSON as --dry-run, and nothing written.
    assert not adopt.is_error
    assert adopt.structured_content == cli_json("adopt", str(adopted), "--dry-run")
    assert adopt.structured_content["applied"] is False
    assert {"path": "go.mod", "action": "identical"} not in adopt.structured_content["files"]
    assert files_under(adopted) == before
    assert git(adopted, "status", "--porcelain") == ""

    assert missing.is_error
    (text,) = missing.content
    assert text.text == (
        "Error executing tool detect: "
        f"scaffold: error: {tmp_path / 'missing'}: no such folder (exit 2)"
    )


def test_adopt_applies_only_when_dry_run_is_false(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", GO_SERVICE)
    planned = cli_json("adopt", str(repo), "--dry-run")
    created = {entry["path"] for entry in planned["files"] if entry["action"] == "create"}
    assert ".golangci.yml" in created

    _, (applied,) = with_server([("adopt", {"directory": str(repo), "dry_run": False})])

    assert not applied.is_error
    assert applied.structured_content["applied"] is True
    assert created <= files_under(repo)


def test_new_plans_by_default_and_takes_answers_by_name(tmp_path: Path) -> None:
    target = tmp_path / "api"
    _, (planned,) = with_server(
        [("new", {"stack": "go", "directory": str(target), "answers": {"library": "true"}})]
    )

    assert not planned.is_error
    assert planned.structured_content["dry_run"] is True
    assert planned.structured_content["answers"]["library"] is True
    assert not target.exists()


def test_without_the_sdk_scaffold_mcp_says_what_to_install_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What an install without the extra sees: no mcp package, nor any module of it.
    for name in [name for name in sys.modules if name.startswith("mcp.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "mcp", None)
    result = CliRunner().invoke(app, ["mcp"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "scaffold: error: scaffold mcp needs the MCP SDK: install scaffold-conventions[mcp] "
        "(uv tool install 'scaffold-conventions[mcp]')\n"
    )


def test_the_other_commands_never_import_the_sdk() -> None:
    probe = (
        "import sys; from scaffold.cli import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['detect', '.', '--json']); "
        "print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith('mcp.')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
