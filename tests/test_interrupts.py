"""Real signals, sent at many moments while scaffold writes: the tree is as it was before,
or as the plan makes it, never in between, and nothing of scaffold's is left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT, tree_digest

# A plan like a large template update: files created in new folders, files changed, files
# deleted (emptying their folders), applied by the one writer in a child process that says
# "ready" just before it starts writing and, when not interrupted, how long it took.
WRITER = """
import hashlib, sys, time
from pathlib import Path, PurePosixPath
from scaffold.apply import apply_plan, sha256_of
from scaffold.model import Action, FileAction, Plan

root, size = Path(sys.argv[1]), int(sys.argv[2])
actions = []
for i in range(size):
    actions.append(FileAction(PurePosixPath(f"new/{i % 40}/file{i}.txt"), Action.CREATE,
                              content=f"created {i}\\n".encode() * 20))
for i in range(200):
    path = PurePosixPath(f"kept/{i % 10}/file{i}.txt")
    actions.append(FileAction(path, Action.CHANGE, content=b"changed\\n",
                              original_sha256=sha256_of(root / path)))
for i in range(100):
    path = PurePosixPath(f"gone/{i % 10}/file{i}.txt")
    actions.append(FileAction(path, Action.DELETE, original_sha256=sha256_of(root / path)))
plan = Plan(root, tuple(sorted(actions, key=lambda a: a.path)))
print("ready", flush=True)
start = time.perf_counter()
apply_plan(plan)
print(f"took {time.perf_counter() - start:.6f}", flush=True)
"""

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def writer_root(folder: Path) -> Path:
    for i in range(200):
        path = folder / "kept" / str(i % 10) / f"file{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"original {i}\n")
    for i in range(100):
        path = folder / "gone" / str(i % 10) / f"file{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"old {i}\n")
    (folder / "README.md").write_text("mine\n")
    return folder


def start_writer(root: Path, size: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    return proc


@pytest.mark.parametrize(
    ("created", "runs"),
    [(200, 15), pytest.param(1200, 54, marks=pytest.mark.slow)],
)
def test_the_writer_interrupted_by_real_signals_leaves_before_or_after(
    tmp_path: Path, created: int, runs: int
) -> None:
    pristine = writer_root(tmp_path / "pristine")
    before = tree_digest(pristine)

    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    proc = start_writer(reference, created)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    duration = float(out.split()[-1])
    after = tree_digest(reference)
    assert after != before

    outcomes = {"before": 0, "after": 0}
    for index in range(runs):
        root = tmp_path / f"run{index}"
        shutil.copytree(pristine, root)
        proc = start_writer(root, created)
        # Spread over the write and past its end (a busy machine writes slower).
        time.sleep(duration * 2 * index / runs)
        proc.send_signal(SIGNALS[index % len(SIGNALS)])
        _, err = proc.communicate(timeout=120)
        state = tree_digest(root)
        assert state in (before, after), f"run {index}: half-written tree ({err[-300:]})"
        outcomes["before" if state == before else "after"] += 1
        assert "Traceback" not in err or "KeyboardInterrupt" in err
        leftovers = [p.name for p in tmp_path.rglob(".scaffold-staging-*")]
        assert leftovers == [], f"run {index}"
        shutil.rmtree(root)
    # Both ends were reached: the signals landed while the plan was being written.
    assert outcomes["before"] > 0 and outcomes["after"] > 0, outcomes
