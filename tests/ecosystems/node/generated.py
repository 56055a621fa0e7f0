"""What the tests of both Node.js stacks do with a generated project: its package.json from
answers JSON must escape, the checks its AGENTS.md lists, and a run of its build."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.ecosystems import service
from tests.ecosystems.node.toolchain import node_tools
from tests.helpers import agents_commands, rendered, run


def rendered_package(target: Path, stack: str, files: set[str]) -> dict[str, Any]:
    """The package.json of ``stack`` rendered in ``target`` (a folder named ``billing``; the
    files it makes exactly ``files``) for Node.js 22, with a description and an author that
    JSON must escape: each is written as given."""
    rendered(
        target, stack, files,
        "node_version=22", 'description=Bills "and" invoices \\ receipts',
        "author=Ada <ada@example.com>",
    )  # fmt: skip
    package: dict[str, Any] = json.loads((target / "package.json").read_text())
    assert package["name"] == "billing"
    assert package["description"] == 'Bills "and" invoices \\ receipts'
    assert package["author"] == "Ada <ada@example.com>"
    assert (package["type"], package["engines"]["node"]) == ("module", ">=22.13")
    return package


def run_agents_checks(project: Path, env: Mapping[str, str], min_passed: int) -> None:
    """Each command the project's AGENTS.md gives, run as written with ``env``: its tests
    pass (at least ``min_passed`` of them) and none fails; the build is there after."""
    tools = node_tools()
    for command in agents_commands(project):
        proc = run([tools.npm, *command[1:]], cwd=project, env=env)
        if command[-1] in ("test", "test:e2e"):
            output = proc.stdout + proc.stderr
            passed = re.search(r"^\S+ pass (\d+)$", output, re.MULTILINE)
            assert passed and int(passed.group(1)) >= min_passed, output
            assert re.search(r"^\S+ fail 0$", output, re.MULTILINE), output
    assert (project / "package-lock.json").is_file()
    assert (project / "dist" / "main.js").is_file()


def serve_once(project: Path, env: Mapping[str, str]) -> tuple[int, Path]:
    """The build started with ``env`` (HOST, PORT and LOG_LEVEL set here), checked healthy,
    given one item, and stopped with SIGTERM; its port and its log."""
    tools = node_tools()
    port = service.free_port()
    server_env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug", **env}
    with service.running_server(
        [tools.node, "dist/main.js"], project, port, env=server_env
    ) as base:
        service.check_health(base)
        assert service.http_json("POST", base + "/api/v1/items", {"name": "x"})[0] == 201
    return port, project / f".server-{port}.log"


def check_request_log(log: Path) -> list[dict[str, Any]]:
    """The server logged JSON all along, health checks at debug level and the item it made at
    info level (running_server stopped it with SIGTERM: a graceful shutdown); its requests."""
    requests = service.logged_requests(log)
    assert any(r["level"] == "debug" and r["path"] == "/health" for r in requests)
    assert any(r["level"] == "info" and r["status"] == 201 for r in requests)
    return requests
