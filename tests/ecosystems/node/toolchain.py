"""Node.js and npm, as the slow tests of the node-express stack run them."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

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
