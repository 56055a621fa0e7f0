"""The Claude Code plugin as shipped: manifests, commands, and the launcher they call."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from scaffold import __version__
from tests.helpers import REPO_ROOT

COMMANDS = ("detect", "new", "adopt", "update")
WRITING_COMMANDS = ("new", "adopt", "update")
LAUNCHER = REPO_ROOT / "scripts" / "run-scaffold"


def test_the_repository_is_its_own_marketplace_of_one_plugin() -> None:
    manifest = json.loads((REPO_ROOT / ".claude-plugin" / "plugin.json").read_text())
    marketplace = json.loads((REPO_ROOT / ".claude-plugin" / "marketplace.json").read_text())
    (entry,) = marketplace["plugins"]
    assert (entry["name"], entry["source"], entry["version"]) == ("scaffold", "./", __version__)
    assert manifest["version"] == __version__
    # Components load from their default places: listing them in plugin.json hid the agent.
    assert not {"agents", "skills", "hooks", "mcpServers"} & manifest.keys()
    servers = json.loads((REPO_ROOT / ".mcp.json").read_text())["mcpServers"]
    assert servers == {
        "scaffold": {"command": "${CLAUDE_PLUGIN_ROOT}/scripts/run-scaffold", "args": ["mcp"]}
    }


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_takes_arguments_and_only_the_user_starts_those_that_write(
    name: str,
) -> None:
    skill = frontmatter.load(str(REPO_ROOT / "skills" / name / "SKILL.md"))
    assert skill["name"] == name
    assert skill["argument-hint"]
    assert skill.get("disable-model-invocation", False) is (name in WRITING_COMMANDS)
    assert "$ARGUMENTS" in skill.content
    assert f"scaffold {name}" in skill.content
    if name in WRITING_COMMANDS:
        # The plan comes first; the write only after the user agreed.
        plan = "--dry-run"
        assert plan in skill.content
        assert skill.content.index(plan) < skill.content.index("Stop here unless they agree")


def test_no_instruction_installs_the_unrelated_scaffold_project() -> None:
    texts = [path.read_text() for path in (REPO_ROOT / "skills").glob("*/SKILL.md")]
    texts.append((REPO_ROOT / "README.md").read_text())
    for text in texts:
        assert not re.search(r"(pip|pipx|uv tool) install scaffold(?![-\w])", text)
    main_skill = (REPO_ROOT / "skills" / "scaffold" / "SKILL.md").read_text()
    assert "uv tool install scaffold-conventions" in main_skill
    assert "pipx install scaffold-conventions" in main_skill
    assert "scripts/run-scaffold" in main_skill


def test_the_distribution_is_named_scaffold_conventions() -> None:
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "scaffold-conventions"
    assert project["scripts"] == {"scaffold": "scaffold.launch:main"}
    assert any(dep.startswith("mcp") for dep in project["optional-dependencies"]["mcp"])


def test_the_launcher_runs_the_scaffold_on_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "scaffold").write_text(
        f'#!/bin/sh\nexec {sys.executable} -m scaffold "$@"\n', encoding="utf-8"
    )
    (bin_dir / "scaffold").chmod(0o755)
    done = subprocess.run(
        [str(LAUNCHER), "--version"],
        env={**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"scaffold {__version__}\n", "")


def test_the_launcher_without_scaffold_or_uv_says_how_to_install_in_one_line(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        ["/bin/sh", str(LAUNCHER), "detect"],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "scaffold: error: scaffold is not installed: run 'uv tool install scaffold-conventions' "
        "or 'pipx install scaffold-conventions' (or install uv, and this plugin runs its own "
        "copy)\n"
    )
