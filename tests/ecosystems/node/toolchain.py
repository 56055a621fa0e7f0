"""Node.js and npm, as the slow tests of the node-express stack run them."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class NodeTools:
    node: str
    npm: str
    env: dict[str, str]


@functools.cache
def node_tools() -> NodeTools:
    """Node.js 24 or newer (the default LTS line) and npm; the test fails (never skips)
    without them."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "node and npm must be on PATH: the node-express template's slow tests need "
            "Node.js 24 or newer"
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if int(version.removeprefix("v").split(".")[0]) < 24:
        pytest.fail(f"the node-express template needs Node.js 24 or newer, found {version}")
    env = {
        # Reuse the cached package metadata and tarballs; nothing to report or advertise.
        "npm_config_prefer_offline": "true",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
        # A Node.js the project's engines (or a dependency's) do not allow fails the install.
        "npm_config_engine_strict": "true",
        "CI": "true",
    }
    return NodeTools(node, npm, env)


#: pnpm, installed with npm beside Claude Code in the test cache (.ci/run installs both).
PNPM_VERSION = "10"


@dataclass(frozen=True)
class PnpmTool:
    pnpm: str
    env: dict[str, str]


@functools.cache
def pnpm_tool() -> PnpmTool:
    """pnpm 10: from PATH, else the test cache's (installed there when it is missing);
    with node_tools' environment, and its store and metadata cache in the test cache, so
    later runs reuse them."""
    from tests.helpers import CACHE_ROOT

    tools = node_tools()
    found = shutil.which("pnpm")
    pnpm = (
        Path(found) if found is not None else CACHE_ROOT / "npm" / "node_modules" / ".bin" / "pnpm"
    )
    if not pnpm.exists():
        subprocess.run(
            [tools.npm, "install", "--prefix", str(CACHE_ROOT / "npm"), "--no-audit",
             "--no-fund", f"pnpm@{PNPM_VERSION}"],
            check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=600,
        )  # fmt: skip
    env = tools.env | {
        "npm_config_store_dir": str(CACHE_ROOT / "pnpm-store"),
        "npm_config_cache_dir": str(CACHE_ROOT / "pnpm-cache"),
    }
    return PnpmTool(str(pnpm), env)
