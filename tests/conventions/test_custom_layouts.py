"""A team's own agent definition reshapes the Go and Rust projects, which still pass their
whole toolchain, run as their AGENTS.md says (slow tier)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.commands.new import new_project
from scaffold.conventions import load_conventions
from tests.ecosystems.go.toolchain import go_tools
from tests.ecosystems.rust.toolchain import CARGO_ENV
from tests.helpers import agents_commands, run

pytestmark = pytest.mark.slow

RUST_AGENT = """---
name: team-agent
---
## Conventions
- **Rust**: `src/`, `src/handlers/`, modules in self-named files such as `handlers.rs`
"""


def test_rust_layout_from_the_conventions(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(RUST_AGENT)
    project = tmp_path / "ledger"
    result = new_project("rust", project, conventions=load_conventions(agent))
    assert (result.answers["module_style"], result.answers["routes_module"]) == (
        "self_named",
        "handlers",
    )
    assert (project / "src" / "handlers.rs").is_file()
    assert (project / "src" / "handlers" / "items.rs").is_file()
    assert not list(project.rglob("mod.rs"))
    assert "`src/handlers.rs`" in (project / "AGENTS.md").read_text()

    commands = agents_commands(project)
    assert [c[:2] for c in commands] == [
        ["cargo", "build"], ["cargo", "test"], ["cargo", "clippy"], ["cargo", "fmt"],
    ]  # fmt: skip
    for command in commands:
        run(command, cwd=project, env=CARGO_ENV)


GO_AGENT = """---
name: team-agent
---
## Conventions
- **Go**: `app/`, `private/`, `lib/`
"""


def test_go_layout_from_the_conventions(tmp_path: Path) -> None:
    tools = go_tools()
    agent = tmp_path / "agent.md"
    agent.write_text(GO_AGENT)
    project = tmp_path / "ledger"
    result = new_project("go", project, {"library": "true"}, conventions=load_conventions(agent))
    assert (
        result.answers["cmd_dir"],
        result.answers["internal_dir"],
        result.answers["pkg_dir"],
    ) == (
        "app",
        "private",
        "lib",
    )
    assert (project / "app" / "ledger" / "main.go").is_file()
    assert (project / "private" / "httpapi").is_dir()
    assert (project / "lib" / "client").is_dir()
    assert not any((project / name).exists() for name in ("cmd", "internal", "pkg"))

    commands = agents_commands(project)
    assert [c[0] for c in commands] == ["go", "go", "go", "golangci-lint", "gofmt"]
    tool_paths = {"go": tools.go, "gofmt": tools.gofmt, "golangci-lint": tools.golangci_lint}
    for command in commands:
        output = run([tool_paths[command[0]], *command[1:]], cwd=project, env=tools.env).stdout
        if command[0] == "gofmt":
            assert output == "", output
