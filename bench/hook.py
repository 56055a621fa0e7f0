"""Benchmark: what the plugin's hooks run, on a small repository and a large one.

Times whole processes, alternating: ``hooks/run-hook post-tool-use`` with the hook's JSON on
stdin (the PostToolUse hook Claude Code runs after every edit: it runs ``scaffold adopt
--check`` in scaffold's own Python), the ``scaffold detect --json`` command detecting (the
output it keeps removed before each run, outside the timing) and printing the output kept
(see ``scaffold/kept_detection.py``), the ``scaffold adopt --check --json`` command, and
``python -c pass``; medians of ``--runs`` each, and each
command's median as a multiple of ``python -c pass``'s. The small repository is one FastAPI
service of about 300 files, adopted and committed; with ``--files N``, the generated
repository of ``bench/detect.py`` (200 projects in N tracked files) is timed too. The
scaffold used is the one beside this Python (``python -m pip install .`` or the test venv).
Targets on the small repository: the hook well under half a second; ``detect --json`` at
most 6x and ``adopt --check`` at most 9x ``python -c pass``.

Usage::

    python bench/hook.py                     # small repository, 15 runs
    python bench/hook.py --files 200000 --runs 5
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
RUN_HOOK = HERE.parent / "hooks" / "run-hook"
SERVICE = {
    "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["fastapi"]\n',
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def _detect_bench() -> object:
    spec = importlib.util.spec_from_file_location("detect_bench", HERE / "detect.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _run(cmd: Sequence[str], cwd: Path, stdin: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=cwd, input=stdin, capture_output=True, text=True, env=env, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    return elapsed


#: Modules and tests of the small service, besides ``SERVICE``: about 300 files in all.
MODULES = 140


def service_files() -> dict[str, str]:
    files = dict(SERVICE)
    for index in range(MODULES):
        files[f"app/items/item_{index}.py"] = (
            f'"""Item {index}."""\n\n\ndef item_{index}(value: int) -> int:\n'
            f"    return value + {index}\n"
        )
        files[f"tests/test_item_{index}.py"] = (
            f"from app.items.item_{index} import item_{index}\n\n\n"
            f"def test_item_{index}() -> None:\n    assert item_{index}(1) == {index + 1}\n"
        )
    files["app/items/__init__.py"] = ""
    return files


def small_repository(workdir: Path, scaffold: list[str]) -> Path:
    root = workdir / "small-service"
    if (root / ".git").exists():
        return root
    for rel, text in service_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "code"], cwd=root, check=True)
    subprocess.run([*scaffold, "adopt", "--yes", str(root)], check=True, capture_output=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "adopt"], cwd=root, check=True)
    return root


def edited_file(root: Path) -> Path:
    """A file of one of the repository's projects, as an edit would touch."""
    if (root / "app" / "main.py").exists():
        return root / "app" / "main.py"
    listed = subprocess.run(
        ["git", "ls-files", "--", "*.py", "*.go", "*.rs"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return root / listed[0]


def measure(root: Path, scaffold: list[str], runs: int) -> str:
    target = edited_file(root)
    payload = json.dumps(
        {
            "session_id": "bench",
            "cwd": str(root),
            "hook_event_name": "PostToolUse",
            "tool_name": "Edit",
            "tool_input": {"file_path": str(target), "old_string": "a", "new_string": "a"},
        }
    )
    cache = root.parent / "scaffold-cache"
    env = {
        **os.environ,
        "PATH": f"{Path(scaffold[0]).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "CLAUDE_PLUGIN_DATA": tempfile.mkdtemp(prefix="scaffold-bench-hook-"),
        "SCAFFOLD_CACHE_DIR": str(cache),
    }
    hook = [str(RUN_HOOK), "post-tool-use"]
    detect = [*scaffold, "detect", "--json", str(root)]
    commands = {
        "hook": hook,
        "detect --json, detecting": detect,
        "detect --json, kept": detect,
        "adopt --check": [*scaffold, "adopt", "--check", "--json", str(root)],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    stdin = {"hook": payload}
    _run(hook, root, payload, env)  # warm: the replay check and the hook's state
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if name == "detect --json, detecting":  # what the last run kept, removed
                shutil.rmtree(cache / "memo" / "detect", ignore_errors=True)
            times[name].append(_run(command, root, stdin.get(name, ""), env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["python -c pass"]
    return ", ".join(
        f"{name} {seconds:.3f} s"
        + ("" if name == "python -c pass" else f" ({seconds / base:.1f}x)")
        for name, seconds in medians.items()
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--files", type=int, nargs="*", default=[])
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir(), "scaffold-bench-detect")
    )
    args = parser.parse_args(argv)
    bench = _detect_bench()
    scaffold = bench.scaffold_command()  # type: ignore[attr-defined]
    args.workdir.mkdir(parents=True, exist_ok=True)
    small = small_repository(args.workdir, scaffold)
    files = len(subprocess.run(["git", "ls-files"], cwd=small, capture_output=True, text=True,
                               check=True).stdout.splitlines())  # fmt: skip
    print(f"small repository ({files} files), medians of {args.runs}: "
          f"{measure(small, scaffold, args.runs)}")  # fmt: skip
    for files in args.files:
        root = bench.repository(args.workdir, files, False)  # type: ignore[attr-defined]
        print(f"{files:,} files, medians of {args.runs}: {measure(root, scaffold, args.runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
