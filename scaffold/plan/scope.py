"""Which projects ``scaffold adopt`` takes by default: the repository's own ones.

A maintainer reviews adopt's change as a pull request. Examples, samples, demos, test
fixtures and test data, tests, benchmarks, playgrounds and documentation are not the
projects the repository ships: a config or an ``AGENTS.md`` in each of them is noise in
that review (and often wrong there). Nor is a project its workspace excludes. Each of those
is reported as skipped, with the reason; ``--project PATH`` or ``--include-examples``
adopts them on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from scaffold.model import Facts, Project

#: Folder names (any segment of a project's path, in any case) that hold projects that are
#: not the repository's own, and what a project there is.
SAMPLE_FOLDERS: Mapping[str, str] = {
    **dict.fromkeys(("example", "examples"), "an example"),
    **dict.fromkeys(("sample", "samples"), "a sample"),
    **dict.fromkeys(("demo", "demos"), "a demo"),
    **dict.fromkeys(
        ("fixture", "fixtures", "__fixtures__", "testdata", "test-data", "test_data"),
        "test data",
    ),
    **dict.fromkeys(("test", "tests", "__tests__"), "part of the tests"),
    **dict.fromkeys(("bench", "benches", "benchmark", "benchmarks"), "a benchmark"),
    **dict.fromkeys(("playground", "playgrounds"), "a playground"),
    **dict.fromkeys(("doc", "docs"), "part of the documentation"),
}

_ADOPT_ON_PURPOSE = "--project or --include-examples adopts it"


def sample_folder(path: str) -> str | None:
    """The folder of ``path`` (a POSIX path relative to the root) that makes a project there
    an example, a fixture, a test...: ``examples`` of ``examples/hello``, the deepest one
    (``tests/fixtures`` of ``tests/fixtures/app``); None if none."""
    if path in ("", "."):
        return None
    parts = path.split("/")
    for index in range(len(parts) - 1, -1, -1):
        if parts[index].lower() in SAMPLE_FOLDERS:
            return "/".join(parts[: index + 1])
    return None


def out_of_scope(projects: Iterable[Project], facts: Facts, root: Path) -> dict[str, str]:
    """The projects adopt leaves alone unless asked, by path, with the reason for each."""
    projects = list(projects)
    skipped: dict[str, str] = {}
    excluded = _excluded_by_workspaces(projects, facts, root)
    for project in projects:
        folder = sample_folder(project.path)
        if folder is not None:
            what = SAMPLE_FOLDERS[folder.rsplit("/", 1)[-1].lower()]
            skipped[project.path] = f"{what}, under {folder}/; {_ADOPT_ON_PURPOSE}"
        elif project.path in excluded:
            skipped[project.path] = f"excluded by {excluded[project.path]}; {_ADOPT_ON_PURPOSE}"
    return skipped


# -- the projects a workspace excludes -------------------------------------------------------


def _excluded_by_workspaces(projects: list[Project], facts: Facts, root: Path) -> dict[str, str]:
    """The projects an ``exclude`` list (Cargo, uv) or a ``!pattern`` (npm, yarn, pnpm, bun)
    of a workspace above them names, with the manifest that does."""
    found: dict[str, str] = {}
    for owner in projects:
        if owner.workspace is None:
            continue
        manifest, patterns = _exclusions(owner, facts, root)
        if not patterns:
            continue
        base = "" if owner.path == "." else owner.path
        matchers = _matchers(base, patterns)
        for project in projects:
            inside = base == "" or project.path.startswith(base + "/")
            if project is owner or not inside or project.path in found:
                continue
            if any(match(project.path) for match in matchers):
                found[project.path] = f"the workspace in {manifest}"
    return found


def _exclusions(owner: Project, facts: Facts, root: Path) -> tuple[str, list[str]]:
    """The manifest of ``owner``'s workspace and the patterns it excludes members by."""
    from scaffold.adopters.base import fact

    assert owner.workspace is not None
    kind = owner.workspace.kind
    prefix = "" if owner.path == "." else owner.path + "/"
    if kind == "cargo":
        manifest = prefix + "Cargo.toml"
        table = _table(fact(facts, "toml", root, manifest), "workspace")
        return manifest, _strings(table.get("exclude"))
    if kind == "uv":
        manifest = prefix + "pyproject.toml"
        document = fact(facts, "toml", root, manifest)
        table = _table(_table(_table(document, "tool"), "uv"), "workspace")
        return manifest, _strings(table.get("exclude"))
    if kind == "pnpm":
        manifest = prefix + "pnpm-workspace.yaml"
        document = fact(facts, "yaml", root, manifest)
        packages = document.get("packages") if isinstance(document, dict) else None
        return manifest, _negated(packages)
    if kind in ("npm", "yarn", "bun"):
        manifest = prefix + "package.json"
        workspaces = _table(fact(facts, "json", root, manifest), "").get("workspaces")
        if isinstance(workspaces, dict):
            workspaces = workspaces.get("packages")
        return manifest, _negated(workspaces)
    return "", []


def _matchers(base: str, patterns: list[str]) -> list[Callable[[str], bool]]:
    """For each pattern (relative to ``base``): a test of a root-relative folder, true when
    the pattern matches it as a glob or names a folder it lies in."""
    import functools

    from scaffold.detect.members import glob_regex
    from scaffold.detect.paths import resolve

    matchers: list[Callable[[str], bool]] = []
    for raw in patterns:
        full = resolve(base, raw.rstrip("/") or ".")
        if not full:
            continue
        try:
            regex = glob_regex(full)
        except (re.error, RecursionError):
            continue
        matchers.append(functools.partial(_excludes, regex, full + "/"))
    return matchers


def _excludes(regex: re.Pattern[str], prefix: str, path: str) -> bool:
    return bool(regex.match(path)) or path.startswith(prefix)


def _table(document: Any, key: str) -> dict[str, Any]:
    """``document[key]`` (``document`` itself for ``""``) if it is a table, else ``{}``."""
    if not isinstance(document, dict):
        return {}
    value = document if key == "" else document.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _negated(patterns: Any) -> list[str]:
    """The ``!pattern`` entries of a JS workspace's globs, without the ``!``."""
    return [item[1:] for item in _strings(patterns) if item.startswith("!") and len(item) > 1]
