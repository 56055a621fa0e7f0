"""The plugin as the real Claude Code client sees it (slow tier): ``@anthropic-ai/claude-code``
from npm, cached in ``$SCAFFOLD_TEST_CACHE/npm`` (``.ci/run`` installs it), run in a fresh
HOME with no account: it validates, lists every component, and installs from a clone of this
repository used as its own marketplace."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scaffold import __version__
from tests.helpers import CACHE_ROOT, REPO_ROOT, exit_and_output, git

pytestmark = pytest.mark.slow

NPM_PREFIX = CACHE_ROOT / "npm"
CLAUDE = NPM_PREFIX / "node_modules" / ".bin" / "claude"


@pytest.fixture(scope="module")
def claude() -> Path:
    if not CLAUDE.exists():
        npm = shutil.which("npm")
        assert npm is not None, "npm is needed to install Claude Code"
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(NPM_PREFIX),
                "--no-audit",
                "--no-fund",
                "@anthropic-ai/claude-code",
            ],
            check=True,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=600,
        )
    return CLAUDE


def claude_says(claude: Path, *args: str, cwd: Path) -> str:
    """``claude ARGS``'s output; it must succeed."""
    env = {**os.environ, "DISABLE_AUTOUPDATER": "1", "DISABLE_TELEMETRY": "1"}
    status, output = exit_and_output([claude, *args], cwd, env, timeout=180)
    assert status == 0, output
    return output


def components(details: str) -> dict[str, str]:
    """``plugin details``' inventory: the line of each kind of component, by kind."""
    found = {}
    for line in details.splitlines():
        match = re.match(r"\s+(Skills|Agents|Hooks|MCP servers|LSP servers) \((\d+)\)\s*(.*)", line)
        if match:
            found[match.group(1)] = f"{match.group(2)} {match.group(3)}".strip()
    return found


def assert_everything_loads(details: str) -> None:
    inventory = components(details)
    assert inventory["Agents"] == "1 backend-engineer"
    count, names = inventory["Skills"].split(" ", 1)
    assert int(count) >= 4
    assert {"detect", "new", "adopt", "update"} <= set(names.split(", "))
    assert inventory["Hooks"].startswith("2 SessionStart, PostToolUse")
    assert inventory["MCP servers"].startswith("1 scaffold")


def test_validate_strict_passes_without_a_warning(claude: Path, tmp_path: Path) -> None:
    for target in (".", ".claude-plugin/plugin.json", ".claude-plugin/marketplace.json"):
        output = claude_says(claude, "plugin", "validate", "--strict", target, cwd=REPO_ROOT)
        assert "Validation passed" in output
        assert "warning" not in output.lower(), output


def test_details_lists_the_agent_the_skills_the_hooks_and_the_mcp_server(
    claude: Path, tmp_path: Path
) -> None:
    details = claude_says(
        claude, "--plugin-dir", str(REPO_ROOT), "plugin", "details", "scaffold", cwd=tmp_path
    )
    assert_everything_loads(details)


def test_the_repository_is_a_marketplace_it_installs_from(claude: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(REPO_ROOT), str(clone))

    claude_says(claude, "plugin", "marketplace", "add", str(clone), cwd=tmp_path)
    installed = claude_says(claude, "plugin", "install", "scaffold@scaffold", cwd=tmp_path)
    assert "scaffold@scaffold" in installed
    listed = claude_says(claude, "plugin", "list", cwd=tmp_path)
    version, source = re.escape(__version__), re.escape(str(clone))
    assert re.search(
        rf"scaffold@scaffold\s+Version: {version}\s+(?:Read from: {source}\s+)?"
        r"Scope: user\s+Status: ✔ enabled",
        listed,
    )
    assert_everything_loads(claude_says(claude, "plugin", "details", "scaffold", cwd=tmp_path))
