"""Benchmark: ``scaffold adopt --dry-run`` on the generated repositories of ``bench/detect.py``.

The repository holds 200 projects of mixed stacks in N tracked files, plus an ignored
``node_modules/`` of 300,000 files (built and cached by ``bench/detect.py``). The script times
``scaffold adopt --dry-run --json`` (a fresh process each run, median of ``--runs``), next to
``git ls-files`` on the same tree, and prints the figures. Target at 200,000 files: under
2 seconds. The work tree is clean, as adopt wants it, so each run includes adopt's check
for uncommitted changes.

Two figures are given for adopt. "warm" is the usual case: scaffold has checked its
in-process replay of each template against copier before (the check is kept in its cache
folder), so no copier render runs. "cold" starts each run from an empty cache folder, so
each of the six stacks is rendered once by copier first.

Usage::

    python bench/adopt.py                      # 200k files, 3 runs
    python bench/adopt.py --sizes 20000 200000 --runs 5
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _detect_bench() -> object:
    spec = importlib.util.spec_from_file_location("detect_bench", HERE / "detect.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# 0, or 3: the dry run found changes to make (the usual answer of ``adopt --dry-run``).
_TIMED_EXIT_CODES = (0, 3)


def _time(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds one run of ``cmd`` takes; a failing run stops the benchmark."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, check=False, capture_output=True, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode not in _TIMED_EXIT_CODES:
        raise SystemExit(
            f"{' '.join(cmd)} exited {proc.returncode} in {cwd}; not timing a failed run\n"
            + proc.stderr.decode(errors="replace")
        )
    return elapsed


def _cold_env() -> dict[str, str]:
    """The environment with an empty cache folder of its own."""
    return {**os.environ, "SCAFFOLD_CACHE_DIR": tempfile.mkdtemp(prefix="scaffold-cache-")}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000])
    parser.add_argument("--runs", type=int, default=3)
    # The folder of bench/detect.py, so that its generated repositories are reused.
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir(), "scaffold-bench-detect")
    )
    args = parser.parse_args(argv)
    bench = _detect_bench()
    scaffold = bench.scaffold_command()  # type: ignore[attr-defined]
    for size in args.sizes:
        root = bench.repository(args.workdir, size, False)  # type: ignore[attr-defined]
        adopt = [*scaffold, "adopt", str(root), "--dry-run", "--json"]
        result = subprocess.run(adopt, capture_output=True, text=True, check=False)
        plan = json.loads(result.stdout)
        warm_times, cold_times, git_times = [], [], []
        for _ in range(args.runs):
            warm_times.append(_time(adopt, root))
            cold = _cold_env()
            cold_times.append(_time(adopt, root, cold))
            shutil.rmtree(cold["SCAFFOLD_CACHE_DIR"], ignore_errors=True)
            git_times.append(_time(["git", "ls-files"], root))
        warm, cold_median = statistics.median(warm_times), statistics.median(cold_times)
        git_median = statistics.median(git_times)
        print(
            f"{size:>9,} files, {len(plan['projects'])} projects, {len(plan['files'])} planned "
            f"files (medians of {args.runs}): adopt --dry-run {warm:.2f} s warm, "
            f"{cold_median:.2f} s cold; git ls-files {git_median:.3f} s; "
            f"ratio {warm / git_median:.0f}x warm; "
            f"target < 2 s {'met' if warm < 2 else 'NOT met'} warm, "
            f"{'met' if cold_median < 2 else 'NOT met'} cold"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
