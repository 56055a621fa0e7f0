"""Adopted Go and Rust repositories still build and test, and the configs adopt added load
in the real tools (slow tier)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from tests.ecosystems.go.toolchain import go_tools
from tests.ecosystems.node.toolchain import node_tools
from tests.ecosystems.rust.toolchain import CARGO, CARGO_ENV
from tests.helpers import (
    commit_all,
    committed_repo,
    git,
    run,
    toolchain_cache_env,
    tree_digest,
)

pytestmark = pytest.mark.slow


def adopt_yes(root: Path) -> None:
    result = CliRunner().invoke(app, ["adopt", str(root), "--yes"])
    assert result.exit_code == 0, result.output


def unchanged_except(before: dict[str, str], after: dict[str, str], merged: set[str]) -> None:
    """Every file that was there is byte-identical, unless the plan merged it."""
    for path, digest in before.items():
        if path not in merged and not path.startswith(".git/") and path != ".git":
            assert after[path] == digest, path


GO_FILES = {
    "go.mod": "module example.com/greeter\n\ngo 1.22\n",
    "main.go": (
        'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeter/pkg/greet"\n)\n\n'
        'func main() {\n\tfmt.Println(greet.Hello("world"))\n}\n'
    ),
    "pkg/greet/greet.go": (
        "// Package greet says hello.\npackage greet\n\n"
        '// Hello greets name.\nfunc Hello(name string) string {\n\treturn "hello, " + name\n}\n'
    ),
    "pkg/greet/greet_test.go": (
        'package greet\n\nimport "testing"\n\nfunc TestHello(t *testing.T) {\n'
        '\tif got := Hello("go"); got != "hello, go" {\n\t\tt.Fatalf("got %q", got)\n\t}\n}\n'
    ),
}


def test_a_go_module_with_a_root_main_and_pkg(tmp_path: Path) -> None:
    tools = go_tools()
    repo = tmp_path / "greeter"
    before = tree_digest(committed_repo(repo, GO_FILES))
    adopt_yes(repo)
    unchanged_except(before, tree_digest(repo), merged=set())
    for name in (".golangci.yml", ".editorconfig", "AGENTS.md", ".copier-answers.yml"):
        assert (repo / name).is_file(), name
    assert "go_version: '1.22'" in (repo / ".copier-answers.yml").read_text()
    assert not (repo / "internal").exists() and not (repo / "cmd").exists()
    run([tools.go, "build", "./..."], cwd=repo, env=tools.env)
    run([tools.go, "test", "./..."], cwd=repo, env=tools.env)
    run([tools.golangci_lint, "config", "verify"], cwd=repo, env=tools.env)
    # The code that was there is not held to the new configuration (main.go has no package
    # comment): the lint AGENTS.md lists passes; new code is held to it.
    run([tools.golangci_lint, "run"], cwd=repo, env=tools.env)
    whole = subprocess.run(
        [tools.golangci_lint, "run", "--new=false"],
        cwd=repo, env={**os.environ, **tools.env}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert whole.returncode == 1 and "main.go:1:1: package-comments" in whole.stdout, whole
    commit_all(repo, "adopted")
    (repo / "pkg" / "greet" / "touch.go").write_text(
        'package greet\n\nimport "os"\n\nfunc Touch() {\n\tos.Remove("x")\n}\n'
    )
    changed = subprocess.run(
        [tools.golangci_lint, "run"],
        cwd=repo, env={**os.environ, **tools.env}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert changed.returncode == 1, changed
    assert "touch.go:6:11: Error return value of `os.Remove` is not checked" in changed.stdout


GOLANGCI_V1 = (
    "# Keep it strict.\nrun:\n  timeout: 5m\nlinters:\n  enable:\n    - gofmt\n    - errcheck\n"
    "    - misspell\nlinters-settings:\n  misspell:\n    locale: UK\n"
)


def test_a_golangci_lint_v1_config_is_migrated_only_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = go_tools()
    lint_dir = str(Path(tools.golangci_lint).parent)
    monkeypatch.setenv("PATH", f"{lint_dir}{os.pathsep}{os.environ['PATH']}")
    repo = tmp_path / "greeter"
    before = tree_digest(committed_repo(repo, GO_FILES | {".golangci.yml": GOLANGCI_V1}))

    plan = CliRunner().invoke(app, ["adopt", str(repo), "--migrate", "--dry-run", "--json"])
    assert plan.exit_code == 3, plan.output
    entry = next(f for f in json.loads(plan.output)["files"] if f["path"] == ".golangci.yml")
    assert entry == {
        "path": ".golangci.yml",
        "action": "migrate",
        "reason": "to the current format, by golangci-lint; its comments are not carried over "
        "(see git history)",
    }
    assert tree_digest(repo) == before  # the migration ran on a copy

    result = CliRunner().invoke(app, ["adopt", str(repo), "--migrate", "--yes"])
    assert result.exit_code == 0, result.output
    unchanged_except(before, tree_digest(repo), merged={".golangci.yml"})
    migrated = (repo / ".golangci.yml").read_text()
    assert migrated.startswith('version: "2"\n')
    assert "locale: UK" in migrated and "- misspell" in migrated  # the settings carried over
    assert not list(repo.glob(".golangci.bck*"))
    run([tools.golangci_lint, "config", "verify"], cwd=repo, env=tools.env)
    run([tools.golangci_lint, "run"], cwd=repo, env=tools.env)

    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "adopted")
    check = CliRunner().invoke(app, ["adopt", str(repo), "--migrate", "--check"])
    assert check.exit_code == 0, check.output


RUST_FILES = {
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
    "crates/core/Cargo.toml": (
        '[package]\nname = "core-lib"\nversion = "0.1.0"\nedition = "2021"\n\n'
        "# Our own comment survives.\n[dependencies]\n"
    ),
    "crates/core/src/lib.rs": (
        "/// Adds.\npub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n\n"
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n        "
        "assert_eq!(super::add(2, 2), 4);\n    }\n}\n"
    ),
    "crates/app/Cargo.toml": (
        '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[dependencies]\ncore-lib = { path = "../core" }\n'
    ),
    "crates/app/src/main.rs": 'fn main() {\n    println!("{}", core_lib::add(1, 2));\n}\n',
}


def test_a_rust_workspace(tmp_path: Path) -> None:
    assert CARGO, "cargo is not on PATH"
    repo = tmp_path / "workspace"
    before = tree_digest(committed_repo(repo, RUST_FILES))
    result = CliRunner().invoke(app, ["adopt", str(repo), "--dry-run", "--json"])
    assert result.exit_code == 3, result.output
    adopt_yes(repo)
    after = tree_digest(repo)
    merged = {
        path for path in before if path.endswith("Cargo.toml") and after[path] != before[path]
    }
    unchanged_except(before, after, merged)
    assert merged == {"Cargo.toml", "crates/core/Cargo.toml", "crates/app/Cargo.toml"}
    assert (repo / "rustfmt.toml").is_file()
    assert not (repo / "crates" / "core" / "rustfmt.toml").exists()  # covered by the root's
    # The workspace shares the lints; its members opt in. Each file is kept whole.
    workspace = (repo / "Cargo.toml").read_text()
    assert workspace.startswith(RUST_FILES["Cargo.toml"]) and "[workspace.lints.rust]" in workspace
    for path in merged - {"Cargo.toml"}:
        assert (repo / path).read_text() == RUST_FILES[path] + "\n[lints]\nworkspace = true\n"
    env = dict(CARGO_ENV)
    run([CARGO, "fmt", "--check"], cwd=repo, env=env)
    run([CARGO, "build"], cwd=repo, env=env)
    run([CARGO, "test"], cwd=repo, env=env)
    # Cargo applies the workspace's lints to the members: clippy reports the one it enforces.
    (repo / "crates" / "core" / "src" / "lib.rs").write_text(
        RUST_FILES["crates/core/src/lib.rs"] + "\npub fn later() {\n    todo!()\n}\n"
    )
    lint = run([CARGO, "clippy", "--all-targets"], cwd=repo, env=env)
    assert "`todo` should not be present in production code" in lint.stderr, lint.stderr


PYTHON_FILES = {
    "pyproject.toml": (
        '# The API service.\n[project]\nname = "orders-api"\nversion = "1.0.0"\n'
        'requires-python = ">=3.11"\ndependencies = ["fastapi>=0.110"]\n'
    ),
    "app/__init__.py": "",
    "app/main.py": (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/health")\ndef health() -> dict[str, str]:\n    return {"status": "ok"}\n'
    ),
}


def test_a_monorepo_of_python_go_and_rust_services(tmp_path: Path) -> None:
    tools = go_tools()
    assert CARGO, "cargo is not on PATH"
    repo = tmp_path / "platform"
    files = {f"services/api/{k}": v for k, v in PYTHON_FILES.items()}
    files |= {f"services/greeter/{k}": v for k, v in GO_FILES.items()}
    files |= {f"crates/{k}": v for k, v in RUST_FILES.items()}
    before = tree_digest(committed_repo(repo, files))
    result = CliRunner().invoke(app, ["adopt", str(repo), "--yes", "--json"])
    assert result.exit_code == 0, result.output
    after = tree_digest(repo)
    merged = {
        p for p in before if p.endswith(("pyproject.toml", "Cargo.toml")) and after[p] != before[p]
    }
    unchanged_except(before, after, merged)
    assert "services/api/pyproject.toml" in merged
    # Each project still builds and tests, and the configs adopt added load in the tools.
    api = repo / "services" / "api"
    subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=api, check=True)
    subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "."], cwd=api, check=True)
    greeter = repo / "services" / "greeter"
    run([tools.go, "build", "./..."], cwd=greeter, env=tools.env)
    run([tools.go, "test", "./..."], cwd=greeter, env=tools.env)
    run([tools.golangci_lint, "config", "verify"], cwd=greeter, env=tools.env)
    crates = repo / "crates"
    run([CARGO, "fmt", "--check"], cwd=crates, env=dict(CARGO_ENV))
    run([CARGO, "test"], cwd=crates, env=dict(CARGO_ENV))
    # A second adopt has nothing left to do.
    again = CliRunner().invoke(app, ["adopt", str(repo), "--check"])
    assert again.exit_code == 0, again.output


def section_commands(agents: str) -> dict[str, list[list[str]]]:
    """The commands of each project's section of a root AGENTS.md, by its heading."""
    sections = {}
    for section in agents.split("\n## ")[1:]:
        heading, _, body = section.partition("\n")
        block = body.split("```sh\n", 1)[1].split("```", 1)[0]
        sections[heading] = [shlex.split(line) for line in block.splitlines() if line.strip()]
    return sections


def go_module(name: str) -> dict[str, str]:
    return {
        "go.mod": f"module example.com/{name}\n\ngo 1.22\n",
        "main.go": f'// Package main runs {name}.\npackage main\n\nimport "fmt"\n\n'
        f'func main() {{\n\tfmt.Println("{name}")\n}}\n',
    }


def test_a_go_work_shares_one_config_from_its_root(tmp_path: Path) -> None:
    tools = go_tools()
    files = {"go.work": "go 1.22\n\nuse (\n\t./services/api\n\t./services/worker\n"
             "\t./examples/hello\n)\n"}  # fmt: skip
    for module in ("services/api", "services/worker", "examples/hello"):
        files |= {f"{module}/{k}": v for k, v in go_module(module.rsplit("/", 1)[1]).items()}
    repo = tmp_path / "gowork"
    before = tree_digest(committed_repo(repo, files))
    adopt_yes(repo)
    after = tree_digest(repo)
    unchanged_except(before, after, merged=set())
    written = sorted(set(after) - set(before))
    # One config, answers file and AGENTS.md for the stack, at the root; no folder there.
    assert written == [".copier-answers.yml", ".editorconfig", ".golangci.yml", "AGENTS.md"]
    config = (repo / ".golangci.yml").read_text()
    assert (
        "- example.com/api\n        - example.com/hello\n        - example.com/worker\n" in config
    )
    commands = section_commands((repo / "AGENTS.md").read_text())
    folders = {
        "the root project": repo,
        **{m: repo / m for m in ("services/api", "services/worker")},
    }
    assert set(commands) == set(folders)
    for heading, folder in folders.items():
        for command in commands[heading]:
            program = tools.golangci_lint if command[0] == "golangci-lint" else tools.go
            run([program, *command[1:]], cwd=folder, env=tools.env)
    # Each module's lint reads the root's config.
    worker = repo / "services" / "worker"
    used = run([tools.golangci_lint, "config", "path"], cwd=worker, env=tools.env)
    assert (used.stdout + used.stderr).strip() == "../../.golangci.yml", used
    commit_all(repo, "adopted")
    (worker / "touch.go").write_text(
        'package main\n\nimport "os"\n\nfunc touch() {\n\tos.Remove("x")\n}\n'
    )
    changed = subprocess.run(
        [tools.golangci_lint, "run"],
        cwd=worker, env={**os.environ, **tools.env}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert changed.returncode == 1 and "Error return value of `os.Remove`" in changed.stdout, (
        changed
    )
    (worker / "touch.go").unlink()
    again = CliRunner().invoke(app, ["adopt", str(repo), "--check"])
    assert again.exit_code == 0, again.output


NODE_APP = """\
const express = require("express");

const app = express();

app.get("/health", (req, res) => {
  res.json({ status: "ok" });
});

module.exports = app;
"""


def test_a_polyglot_repository_with_a_claude_md_passes_every_listed_check(
    tmp_path: Path,
) -> None:
    """A Go service, a Python service and a Node frontend, and the team's CLAUDE.md: after
    the adoption every command AGENTS.md lists passes in its folder, with the real tools."""
    go, node = go_tools(), node_tools()
    python = {
        "pyproject.toml": (
            '[project]\nname = "api"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
            'dependencies = ["fastapi>=0.110"]\n\n'
            '[dependency-groups]\ndev = ["pytest>=8", "ruff>=0.6"]\n'
        ),
        "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "tests/test_sum.py": "def test_sum() -> None:\n    assert 1 + 1 == 2\n",
    }
    web = {
        "package.json": json.dumps(
            {"name": "web", "version": "1.0.0", "dependencies": {"express": "^5"}}, indent=2
        )
        + "\n",
        "src/app.js": NODE_APP,
    }
    files = {
        "CLAUDE.md": "# Team notes\n\nBe kind to reviewers.\n",
        ".gitignore": "node_modules/\n",
    }
    for folder, tree in (("services/api", python), ("services/greeter", GO_FILES), ("web", web)):
        files |= {f"{folder}/{name}": text for name, text in tree.items()}
    repo = tmp_path / "poly"
    before = tree_digest(committed_repo(repo, files))
    adopt_yes(repo)
    after = tree_digest(repo)
    unchanged_except(before, after, merged={"CLAUDE.md", "services/api/pyproject.toml"})
    assert (repo / "CLAUDE.md").read_text() == files["CLAUDE.md"] + "@AGENTS.md\n"
    commands = section_commands((repo / "AGENTS.md").read_text())
    assert set(commands) == {"services/api", "services/greeter", "web"}
    npx = str(Path(node.npm).with_name("npx"))
    programs = {
        "pytest": [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
        "ruff": [sys.executable, "-m", "ruff"],
        "go": [go.go],
        "golangci-lint": [go.golangci_lint],
        "npm": [node.npm],
        "npx": [npx],
    }
    env = {**go.env, **node.env}
    lint_tools = ("eslint@^10", "@eslint/js@^10", "globals@^17", "prettier@^3")
    for heading, listed in commands.items():
        where = repo / heading
        for command in listed:
            run([*programs[command[0]], *command[1:]], cwd=where, env=env)
            if command == ["npm", "install"]:  # the frontend's own dev tools, as it would add them
                run([node.npm, "install", "--no-save", *lint_tools], cwd=where, env=env)
    commit_all(repo, "adopted")
    again = CliRunner().invoke(app, ["adopt", str(repo), "--check"])
    assert again.exit_code == 0, again.output


# uv's cache outside the clone, and the machine's Python (no download).
UV_ENV = {"UV_CACHE_DIR": toolchain_cache_env()["UV_CACHE_DIR"], "UV_PYTHON_DOWNLOADS": "never"}


def test_uv_members_lint_with_the_ruff_settings_of_the_workspace_root(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "{name}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["fastapi>=0.110"]\n\n[dependency-groups]\ndev = ["ruff>=0.6"]\n'
    )
    code = 'def greet(name: str) -> str:\n    return f"hello, {name}"\n'
    files = {
        "pyproject.toml": pyproject.format(name="root")
        + '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        "app.py": code,
    }
    for name in ("a", "b"):
        files |= {f"packages/{name}/pyproject.toml": pyproject.format(name=name)}
        files |= {f"packages/{name}/{name}.py": code}
    repo = tmp_path / "uv"
    before = tree_digest(committed_repo(repo, files))
    adopt_yes(repo)
    unchanged_except(before, tree_digest(repo), merged={"pyproject.toml"})
    assert "[tool.ruff]" in (repo / "pyproject.toml").read_text()
    for name in ("a", "b"):
        member = repo / "packages" / name
        commands = section_commands((repo / "AGENTS.md").read_text())[f"packages/{name}"]
        uv = ["uv", "run"]
        assert commands == [[*uv, "ruff", "check", "."], [*uv, "ruff", "format", "--check", "."]]
        for command in commands:
            run([str(Path(sys.executable).with_name("uv")), *command[1:]], cwd=member, env=UV_ENV)
        shown = run([sys.executable, "-m", "ruff", "check", "--show-settings", "."], cwd=member)
        assert f'Settings path: "{repo / "pyproject.toml"}"' in shown.stdout
