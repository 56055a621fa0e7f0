"""Adopting Go modules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Migration,
    Recipe,
    WholeFile,
    fact,
    project_name,
    project_text,
)
from scaffold.model import Facts, Project


def _go_answers(folder: Path, project: Project) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    gomod = project_text(folder, project, "go.mod") or ""
    module = re.search(r"^module\s+(\S+)", gomod, re.MULTILINE)
    if module:
        answers["module_path"] = module.group(1)
        answers["project_name"] = project_name(module.group(1).rsplit("/", 1)[-1], folder)
    else:
        answers["project_name"] = project_name(None, folder)
    version = re.search(r"^go\s+(\d+\.\d+)", gomod, re.MULTILINE)
    if version:
        answers["go_version"] = version.group(1)
    answers["description"] = "A Go module."  # go.mod declares none; what it holds varies
    if modules := _workspace_modules(project):
        answers["local_modules"] = modules
    return answers


def _workspace_modules(project: Project) -> list[str]:
    """The module paths of every module the go.work at or above ``project`` uses, sorted
    ([] outside one): its root's golangci-lint config serves them all, so each of them
    gets the same one."""
    from scaffold.detect.paths import ancestors, resolve
    from scaffold.ecosystems.go.detect import parse_go_work

    facts = project.facts
    if facts.root is None:
        return []
    for above in ancestors("" if project.path == "." else project.path):
        work = fact(facts, "text", facts.root, f"{above}/go.work" if above else "go.work")
        if work is None:
            continue
        modules = []
        for use in parse_go_work(work):
            folder = resolve(above, use)
            if folder is None:
                continue  # outside the repository
            gomod = fact(facts, "text", facts.root, f"{folder}/go.mod" if folder else "go.mod")
            module = re.search(r"^module\s+(\S+)", gomod or "", re.MULTILINE)
            if module:
                modules.append(module.group(1))
        return sorted(set(modules))
    return []


def _no_module_here(folder: Path, project: Project) -> str | None:
    """At the root of a go.work without a go.mod of its own, code belongs to no module."""
    workspace = project.workspace
    if workspace is not None and workspace.kind == "go" and not (folder / "go.mod").is_file():
        return "a go.work root: code goes into its modules"
    return None


def _go_commands(folder: Path, project: Project) -> tuple[str, ...]:
    """The checks that pass in ``folder``. At the root of a go.work without a go.mod of its
    own, ``./...`` matches no module: the checks name the workspace's modules instead."""
    import posixpath

    packages = "./..."
    workspace = project.workspace
    if workspace is not None and workspace.kind == "go" and not (folder / "go.mod").is_file():
        members = [posixpath.relpath(member, project.path) for member in workspace.members]
        packages = " ".join(f"./{member}/..." for member in sorted(members))
    if not packages:
        return ()
    return (
        f"go build {packages}",
        f"go vet {packages}",
        f"go test {packages}",
        "golangci-lint run" + ("" if packages == "./..." else f" {packages}"),
    )


def _golangci_v1(path: Path) -> bool:
    """A golangci-lint config without ``version: "2"``: the v1 format, which v2 refuses.
    (Detection does not parse it: it is read here, through the same bounded reader.)"""
    import json
    import tomllib

    import yaml

    from scaffold.templates import load_yaml

    text = fact(Facts(), "text", path.parent, path.name)
    if text is None:
        return False  # not readable: not ours to judge
    try:
        if path.suffix == ".toml":
            config = tomllib.loads(text)
        elif path.suffix == ".json":
            config = json.loads(text)
        else:
            config = load_yaml(text)
    except (ValueError, yaml.YAMLError):
        return False  # not readable: not ours to judge
    return isinstance(config, dict) and str(config.get("version", "")) != "2"


_GOLANGCI_ALTERNATIVES = (".golangci.yaml", ".golangci.toml", ".golangci.json")

RECIPE = Recipe(
    "go",
    _go_answers,
    {
        ".editorconfig": EDITORCONFIG,
        ".golangci.yml": WholeFile(
            alternatives=_GOLANGCI_ALTERNATIVES,
            inherited=True,
            placed_above=True,
            legacy_format="the golangci-lint v2 format",
            migration=Migration(
                ("golangci-lint", "migrate"),
                is_legacy=_golangci_v1,
                note="its comments are not carried over (see git history)",
            ),
        ),
    },
    _go_commands,
    source_suffix=".go",
    never_create={"pkg": "a public pkg/ only for a library, on request"},
    equivalents={"internal": ("pkg",)},
    folders_do_not_apply=_no_module_here,
)
