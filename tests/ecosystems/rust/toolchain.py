"""Cargo, as the slow tests of the rust stack run it."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from tests.helpers import CACHE_ROOT, run, toolchain_cache_env

# Captured at import, before the autouse fixture swaps HOME for a temporary folder:
# cargo and rustup find the registry cache and the toolchains through these.
CARGO = shutil.which("cargo")
CARGO_ENV = {
    **{k: v for k, v in toolchain_cache_env().items() if k in ("CARGO_HOME", "RUSTUP_HOME")},
    "CARGO_TARGET_DIR": str(CACHE_ROOT / "cargo-target"),
    # Incremental data is useless for a project built once, in a folder used once.
    "CARGO_INCREMENTAL": "0",
    # No debug info: smaller, faster builds; the tests read panics, not debuggers.
    "CARGO_PROFILE_DEV_DEBUG": "0",
    "CARGO_TERM_COLOR": "never",
    "RUST_BACKTRACE": "0",
}


def cargo(project: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """``cargo ARGS`` in ``project``, with ``env`` on top of the shared settings."""
    assert CARGO, "cargo is not on PATH: install Rust (rustup, with clippy and rustfmt)"
    return run([CARGO, *args], cwd=project, env={**CARGO_ENV, **(env or {})}).stdout
