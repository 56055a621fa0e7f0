"""Benchmark `scaffold new` against bare `copier copy`, and `--help` against `copier --help`.

Each pair runs alternately (A, B, A, B, ...) in one invocation, each run a whole process
with a fresh destination, so drift of the machine's speed hits both sides alike. Prints the
median wall time of each command and the ratio of the medians, and the median of the
pairwise ratios.

    python bench/bench_new.py [--runs 7]

Targets: `new` at most 1.1x `copier copy`; `--help` at most 0.3x `copier --help`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEMPLATE = REPO_ROOT / "templates" / "python-fastapi"


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None) -> float:
    started = time.perf_counter()
    subprocess.run(
        argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def compare(
    name: str,
    target: float,
    a: Callable[[Path], list[str]],
    b: Callable[[Path], list[str]],
    runs: int,
    env: dict[str, str] | None = None,
) -> bool:
    times_a: list[float] = []
    times_b: list[float] = []
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as scratch:
        root = Path(scratch)
        for index in range(runs + 1):  # the first pair warms the caches and is not counted
            for side, times in ((a, times_a), (b, times_b)):
                work = root / f"run-{index}-{len(times)}-{id(times)}"
                work.mkdir()
                elapsed = timed(side(work), work, env)
                shutil.rmtree(work)
                if index:
                    times.append(elapsed)
    median_a, median_b = statistics.median(times_a), statistics.median(times_b)
    pairwise = statistics.median(x / y for x, y in zip(times_a, times_b, strict=True))
    ratio = median_a / median_b
    verdict = "meets" if ratio <= target else "MISSES"
    print(
        f"{name}: {median_a * 1000:.0f} ms vs {median_b * 1000:.0f} ms (median of {runs}); "
        f"ratio {ratio:.2f} (pairwise median {pairwise:.2f}); target <= {target} {verdict}"
    )
    return ratio <= target


def installed_scaffold(scratch: Path) -> tuple[Path, dict[str, str]]:
    """This checkout built as a wheel and installed in a fresh environment with its own HOME."""
    from uv import find_uv_bin

    uv = find_uv_bin()
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([uv, "build", "--wheel", "--out-dir", scratch / "dist", REPO_ROOT], **quiet)
    (wheel,) = (scratch / "dist").glob("*.whl")
    venv = scratch / "venv"
    subprocess.run([uv, "venv", "--python", sys.executable, venv], **quiet)
    subprocess.run([uv, "pip", "install", "--python", venv / "bin" / "python", wheel], **quiet)
    env = {**os.environ, "HOME": str(scratch / "home")}
    return venv / "bin", env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs per command (>= 5)")
    args = parser.parse_args()
    runs = max(args.runs, 5)
    data = ["--data", "project_name=my-service"]
    ok = compare(
        "new from a checkout: scaffold new python-fastapi vs copier copy of the template folder",
        1.1,
        lambda work: [str(BIN / "scaffold"), "new", "python-fastapi", "my-service", "--defaults"],
        lambda work: [
            str(BIN / "copier"),
            "copy",
            "--quiet",
            "--defaults",
            *data,
            str(TEMPLATE),
            "my-service",
        ],
        runs,
    )
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-wheel-") as scratch:
        bin_dir, env = installed_scaffold(Path(scratch))
        # The first run installs the template history in the fresh HOME; both sides then
        # render the same tagged version from it.
        subprocess.run(
            [
                str(bin_dir / "scaffold"), "new", "python-fastapi", str(Path(scratch) / "warm"),
                "--defaults",
            ],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        from scaffold import __version__

        source = "~/.local/share/scaffold/templates/python-fastapi"
        ok &= compare(
            "new from an installed wheel: scaffold new vs copier copy of the same tagged version",
            1.1,
            lambda work: [
                str(bin_dir / "scaffold"),
                "new",
                "python-fastapi",
                "my-service",
                "--defaults",
            ],
            lambda work: [
                str(bin_dir / "copier"),
                "copy",
                "--quiet",
                "--defaults",
                *data,
                "--vcs-ref",
                f"v{__version__}",
                source,
                "my-service",
            ],
            runs,
            env=env,
        )
    ok &= compare(
        "scaffold --help vs copier --help",
        0.3,
        lambda work: [str(BIN / "scaffold"), "--help"],
        lambda work: [str(BIN / "copier"), "--help"],
        runs,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
