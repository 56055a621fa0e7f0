"""Benchmark: ``scaffold detect --json`` against ``git ls-files`` on generated repositories.

Each repository is a git work tree of N tracked files holding 200 projects of mixed
stacks (FastAPI/uv, Django/pip, Express/npm, NestJS/pnpm, Go/gin, Rust/axum, Spring
Boot/Maven, Kotlin/Gradle), plus an untracked ``node_modules/`` of 300,000 files that
``.gitignore`` ignores. For each size the script times, alternating the commands and
taking the median of ``--runs`` runs after one warm-up:

* ``git ls-files`` (the baseline the target is stated against),
* ``git ls-files -z --cached --others --exclude-standard`` (the one listing call that
  ``scaffold detect`` makes in a git work tree),
* ``scaffold detect --json`` (the console script, a fresh process each run), detecting:
  the output it keeps (see ``scaffold/kept_detection.py``) is removed before each run,
* the same command again, printing the output the run before kept,

and prints the wall times and the ratios. Targets at 200,000 files: at most 3x
``git ls-files`` and under 1 second. The cost should follow the number of projects and
manifests, not the number of files, so the figures at 20k, 200k and (``--with-2m``) 2M
files show how it grows.

Usage::

    python bench/detect.py                 # 20k and 200k files, 5 runs each
    python bench/detect.py --with-2m       # also 2,000,000 files (minutes to generate)
    python bench/detect.py --sizes 50000 --runs 7 --workdir /tmp/detect-bench

Generated repositories are kept in ``--workdir`` (default: a folder in the system temp
dir) and reused by later runs; ``--fresh`` rebuilds them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

PROJECTS = 200
IGNORED_FILES = 300_000
FORMAT_VERSION = "2"  # bump when the generated layout changes

PY = (
    "from app.services import items\n\n\n"
    "def list_items(page_size: int = 20):\n"
    "    found_items = items.find(page_size)\n"
    "    if not found_items:\n"
    "        return []\n"
    "    return [item.to_dict() for item in found_items]\n"
)
JS = (
    "const express = require('express');\n\n"
    "function createRouter(appConfig) {\n"
    "  const itemRouter = express.Router();\n"
    "  if (appConfig) {\n"
    "    itemRouter.get('/', listItems);\n"
    "  }\n"
    "  return itemRouter;\n"
    "}\n\nmodule.exports = { createRouter };\n"
)
TS = (
    "import { Injectable } from '@nestjs/common';\n\n"
    "@Injectable()\nexport class ItemsService {\n"
    "  findAll(pageSize: number) {\n"
    "    const foundItems = [];\n"
    "    return foundItems.slice(0, pageSize);\n"
    "  }\n}\n"
)
GO = (
    "package handler\n\n"
    "func listItems(pageSize int) []string {\n"
    "\tfoundItems := make([]string, 0, pageSize)\n"
    "\tif pageSize > 0 {\n"
    "\t\treturn foundItems\n"
    "\t}\n"
    "\treturn nil\n}\n"
)
RS = (
    "pub fn list_items(page_size: usize) -> Vec<String> {\n"
    "    let found_items = Vec::with_capacity(page_size);\n"
    "    found_items\n}\n"
)
JAVA = (
    "package com.acme;\n\npublic class ItemService {\n"
    "    public String findItem(String itemId) {\n"
    "        var itemName = itemId;\n"
    "        return itemName;\n    }\n}\n"
)
KT = (
    "package com.acme\n\nfun listItems(pageSize: Int): List<String> {\n"
    "    val foundItems = listOf<String>()\n    return foundItems\n}\n"
)


def _json(value: object) -> str:
    return json.dumps(value, indent=2) + "\n"


Stack = tuple[str, dict[str, str], str, Sequence[str]]


def _stacks(index: int) -> Stack:
    """(kind, manifests, source extension, layer folders) for the ``index``-th project."""
    name = f"p{index}"
    kinds: list[Stack] = [
        (
            "fastapi",
            {
                "pyproject.toml": f'[project]\nname = "{name}"\n'
                'dependencies = ["fastapi[standard]>=0.115", "sqlalchemy"]\n'
                "[tool.ruff]\nline-length = 100\n",
                "uv.lock": "version = 1\n",
            },
            ".py",
            ("app/api", "app/services", "app/repositories", "app/models", "tests"),
        ),
        (
            "django",
            {
                "requirements.txt": "-r requirements/base.txt\n",
                "requirements/base.txt": "Django~=5.0\ndjango-environ\n",
                "manage.py": "from django.core.management import execute_from_command_line\n",
            },
            ".py",
            ("shop", "accounts", "orders", "tests"),
        ),
        (
            "express",
            {
                "package.json": _json(
                    {"name": name, "dependencies": {"express": "^4.19.0"}, "main": "src/index.js"}
                ),
                "package-lock.json": "{}\n",
                ".eslintrc.json": "{}\n",
            },
            ".js",
            ("src/routes", "src/controllers", "src/models", "test"),
        ),
        (
            "nestjs",
            {
                "package.json": _json(
                    {
                        "name": name,
                        "dependencies": {"@nestjs/core": "^10.0.0"},
                        "devDependencies": {"typescript": "^5.4.0"},
                    }
                ),
                "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
                "tsconfig.json": "{}\n",
                "eslint.config.mjs": "export default [];\n",
            },
            ".ts",
            ("src/items", "src/users", "src/common", "test"),
        ),
        (
            "go",
            {
                "go.mod": f"module example.com/{name}\n\ngo 1.22\n\n"
                "require github.com/gin-gonic/gin v1.10.0\n",
                ".golangci.yml": 'version: "2"\n',
            },
            ".go",
            ("cmd/server", "internal/handler", "internal/service", "internal/repository"),
        ),
        (
            "rust",
            {
                "Cargo.toml": f'[package]\nname = "{name}"\nversion = "0.1.0"\n\n'
                '[dependencies]\naxum = "0.7"\ntokio = "1"\n',
                "rustfmt.toml": "max_width = 100\n",
            },
            ".rs",
            ("src/routes", "src/services", "src/db", "tests"),
        ),
        (
            "maven",
            {
                "pom.xml": '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
                "  <parent><groupId>org.springframework.boot</groupId>"
                "<artifactId>spring-boot-starter-parent</artifactId></parent>\n"
                f"  <artifactId>{name}</artifactId>\n"
                "  <dependencies><dependency><groupId>org.springframework.boot</groupId>"
                "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>\n"
                "</project>\n",
            },
            ".java",
            (
                "src/main/java/com/acme/controller",
                "src/main/java/com/acme/service",
                "src/main/java/com/acme/repository",
                "src/test/java/com/acme",
            ),
        ),
        (
            "gradle",
            {
                "settings.gradle.kts": f'rootProject.name = "{name}"\n',
                "build.gradle.kts": 'plugins {\n    kotlin("jvm") version "2.0.0"\n'
                '    id("io.ktor.plugin") version "2.3.12"\n}\n',
            },
            ".kt",
            ("src/main/kotlin/routes", "src/main/kotlin/services", "src/test/kotlin"),
        ),
    ]
    return kinds[index % len(kinds)]


CONTENT = {".py": PY, ".js": JS, ".ts": TS, ".go": GO, ".rs": RS, ".java": JAVA, ".kt": KT}


def _project_files(index: int, budget: int) -> Iterator[tuple[str, str]]:
    """(relative path, content) of one project: its manifests, then ``budget`` minus
    those source files spread over its layer folders in sub-packages of 25 files. The
    first sub-package of each layer holds real code; the other files are empty, which
    keeps the 2M-file tree small on disk (listing cost does not depend on file size)."""
    kind, manifests, ext, layers = _stacks(index)
    group = index % 10
    base = f"services/{kind}-{index}" if index % 3 else f"apps/group{group}/{kind}-{index}"
    yield from ((f"{base}/{name}", text) for name, text in manifests.items())
    remaining = max(0, budget - len(manifests))
    content = CONTENT[ext]
    per_folder = 25
    for n in range(remaining):
        layer = layers[n % len(layers)]
        package = (n // len(layers)) // per_folder
        yield f"{base}/{layer}/pkg{package}/file{n}{ext}", content if package == 0 else ""


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


def _write(root: Path, rel: str, content: str, made: set[str]) -> None:
    folder = os.path.dirname(rel)
    if folder not in made:
        os.makedirs(root / folder, exist_ok=True)
        made.add(folder)
    fd = os.open(root / rel, _WRITE_FLAGS, 0o644)
    try:
        if content:
            os.write(fd, content.encode())
    finally:
        os.close(fd)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", *args], cwd=root, input=stdin, capture_output=True, check=True
    ).stdout


def build_repository(root: Path, files: int) -> None:
    """Generate the benchmark repository of ``files`` tracked files at ``root``."""
    started = time.monotonic()
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    env_files = {
        ".gitignore": "node_modules/\n",
        ".editorconfig": "root = true\n\n[*]\nindent_style = space\nindent_size = 4\n",
        "README.md": "# benchmark monorepo\n",
    }
    made: set[str] = {""}
    tracked: list[tuple[str, str]] = list(env_files.items())
    per_project = (files - len(env_files)) // PROJECTS
    extra = (files - len(env_files)) - per_project * PROJECTS
    for index in range(PROJECTS):
        budget = per_project + (1 if index < extra else 0)
        tracked.extend(_project_files(index, budget))
    for rel, content in tracked:
        _write(root, rel, content, made)

    _git(root, "init", "-q", "-b", "main")
    blobs: dict[str, str] = {}
    for content in {c for _, c in tracked}:
        blobs[content] = (
            _git(root, "hash-object", "-w", "--stdin", stdin=content.encode()).decode().strip()
        )
    info = "".join(f"100644 {blobs[c]}\t{rel}\n" for rel, c in tracked)
    _git(root, "update-index", "--add", "--index-info", stdin=info.encode())
    _git(root, "update-index", "-q", "--refresh")
    tree = _git(root, "write-tree").decode().strip()
    commit = (
        _git(
            root,
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.invalid",
            "commit-tree",
            tree,
            "-m",
            "generated",
        )
        .decode()
        .strip()
    )
    _git(root, "update-ref", "HEAD", commit)

    # The untracked, ignored node_modules/: 15,000 packages of 20 files each.
    package = _json({"name": "dep", "version": "1.0.0", "main": "index.js"})
    count = 0
    pkg_index = 0
    while count < IGNORED_FILES:
        base = f"node_modules/dep{pkg_index}"
        _write(root, f"{base}/package.json", package, made)
        count += 1
        for n in range(19):
            if count >= IGNORED_FILES:
                break
            _write(root, f"{base}/lib/part{n}.js", JS, made)
            count += 1
        pkg_index += 1
    _marker(root).write_text(f"{FORMAT_VERSION} {files}\n")
    listed = len(_git(root, "ls-files", "-z").split(b"\0")) - 1
    if listed != files:
        raise SystemExit(f"generated {listed} tracked files, expected {files}")
    print(
        f"  generated {files:,} tracked + {IGNORED_FILES:,} ignored files "
        f"in {time.monotonic() - started:.0f} s",
        flush=True,
    )


def _marker(root: Path) -> Path:
    """Where a finished build is recorded: inside ``.git``, so that the work tree stays
    clean (nothing untracked), as a repository one adopts is."""
    return root / ".git" / "scaffold-bench-complete"


def repository(workdir: Path, files: int, fresh: bool) -> Path:
    root = workdir / f"repo-{files}"
    marker = _marker(root)
    if fresh or not marker.exists() or marker.read_text().split() != [FORMAT_VERSION, str(files)]:
        print(f"building the {files:,}-file repository in {root} ...", flush=True)
        build_repository(root, files)
    return root


def scaffold_command() -> list[str]:
    script = Path(sys.executable).with_name("scaffold")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "scaffold"]


def _time(cmd: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def measure(root: Path, runs: int) -> dict[str, float]:
    """Median wall time of each command, alternating them run by run: ``scaffold detect``
    detecting (its kept output removed before each run, outside the timing), then printing
    again what that run kept."""
    cache = root.parent / "scaffold-cache"
    env = {**os.environ, "SCAFFOLD_CACHE_DIR": str(cache)}
    detect = [*scaffold_command(), "detect", "--json", "."]

    def detecting() -> float:
        shutil.rmtree(cache / "memo" / "detect", ignore_errors=True)
        return _time(detect, root, env)

    commands: dict[str, Callable[[], float]] = {
        "git ls-files": lambda: _time(["git", "ls-files"], root),
        "git ls-files -co": lambda: _time(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], root
        ),
        "scaffold detect": detecting,
        "kept": lambda: _time(detect, root, env),
    }
    for run in commands.values():  # warm-up: page cache, .pyc files
        run()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, run in commands.items():
            samples[name].append(run())
    return {name: statistics.median(values) for name, values in samples.items()}


def check_output(root: Path) -> int:
    proc = subprocess.run(
        [*scaffold_command(), "detect", "--json", "."], cwd=root, capture_output=True, check=True
    )
    payload = json.loads(proc.stdout)
    if payload["warnings"]:
        raise SystemExit(f"unexpected warnings: {payload['warnings'][:3]}")
    return len(payload["projects"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="20000,200000", help="tracked files, comma-separated")
    parser.add_argument("--with-2m", action="store_true", help="also 2,000,000 tracked files")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "scaffold-bench-detect",
        help="where the generated repositories are kept",
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the repositories")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_2m and 2_000_000 not in sizes:
        sizes.append(2_000_000)

    rows = []
    for files in sizes:
        root = repository(args.workdir, files, args.fresh)
        projects = check_output(root)
        times = measure(root, args.runs)
        rows.append((files, projects, times))
        print(f"  measured {files:,} files", flush=True)

    print()
    print(
        f"scaffold detect --json vs git ls-files, median of {args.runs} runs "
        f"({PROJECTS} projects, {IGNORED_FILES:,} ignored files in node_modules/)"
    )
    header = (
        f"{'tracked files':>14}  {'projects':>8}  {'git ls-files':>12}  {'ls-files -co':>12}  "
        f"{'detect':>8}  {'ratio':>6}  {'ratio -co':>9}  {'kept':>7}  {'kept -co':>8}"
    )
    print(header)
    for files, projects, times in rows:
        base = times["git ls-files"]
        listing = times["git ls-files -co"]
        detect, kept = times["scaffold detect"], times["kept"]
        print(
            f"{files:>14,}  {projects:>8}  {base:>11.3f}s  {listing:>11.3f}s  {detect:>7.3f}s  "
            f"{detect / base:>5.1f}x  {detect / listing:>8.1f}x  {kept:>6.3f}s  "
            f"{kept / listing:>7.1f}x"
        )
    target = next((r for r in rows if r[0] == 200_000), None)
    if target is not None:
        detect = target[2]["scaffold detect"]
        ratio = detect / target[2]["git ls-files"]
        verdict = "met" if ratio <= 3 and detect < 1 else "NOT met"
        print(
            f"\ntarget at 200,000 files (<= 3x git ls-files and < 1 s): {verdict} "
            f"({ratio:.1f}x, {detect:.3f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
