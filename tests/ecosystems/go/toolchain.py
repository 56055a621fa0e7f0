"""The Go toolchain and golangci-lint, found once for the slow tests that need them."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# Captured at import, before the autouse fixture swaps HOME for a temporary folder:
# golangci-lint keeps its analysis cache there, outside the clone, across runs.
GOLANGCI_LINT_CACHE = os.environ.get("GOLANGCI_LINT_CACHE") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "golangci-lint")
)


@dataclass(frozen=True)
class GoTools:
    go: str
    gofmt: str
    golangci_lint: str
    version: tuple[int, int]
    env: dict[str, str]


@functools.cache
def go_tools() -> GoTools:
    """The Go toolchain and golangci-lint v2; the test fails (never skips) without them."""
    go = shutil.which("go")
    if go is None:
        pytest.fail("go is not on PATH: the go template's slow tests need Go 1.26 or newer")
    proc = subprocess.run(
        [go, "env", "-json", "GOROOT", "GOPATH", "GOBIN", "GOVERSION"],
        capture_output=True,
        text=True,
        check=True,
    )
    goenv = json.loads(proc.stdout)
    major, minor = goenv["GOVERSION"].removeprefix("go").split(".")[:2]
    gofmt = shutil.which("gofmt") or str(Path(goenv["GOROOT"], "bin", "gofmt"))

    candidates = [shutil.which("golangci-lint")]
    if goenv["GOBIN"]:
        candidates.append(str(Path(goenv["GOBIN"], "golangci-lint")))
    candidates += [
        str(Path(p, "bin", "golangci-lint")) for p in goenv["GOPATH"].split(os.pathsep) if p
    ]
    found = []
    for candidate in dict.fromkeys(c for c in candidates if c and os.access(c, os.X_OK)):
        proc = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False)
        version = (proc.stdout + proc.stderr).strip()
        if "version 2." in version:
            lint = candidate
            break
        found.append(f"{candidate} ({version or 'no version'})")
    else:
        where = f"; found only {', '.join(found)}" if found else ""
        pytest.fail(
            f"golangci-lint v2 is not on PATH nor in $(go env GOPATH)/bin{where}; "
            "install the pinned version with: bash .ci/install-go-tools"
        )
    env = {
        # The Go installed here, never a downloaded toolchain. The modules come from the
        # module proxy (or the module cache), checked against the go.sum the template
        # ships: -mod=readonly fails if go.mod or go.sum would need a change.
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-buildvcs=false -mod=readonly",
        "CGO_ENABLED": "1",  # for -race
        "GOLANGCI_LINT_CACHE": GOLANGCI_LINT_CACHE,
    }
    return GoTools(go, gofmt, lint, (int(major), int(minor)), env)
