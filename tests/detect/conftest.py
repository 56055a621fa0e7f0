"""Small repository trees built in tmp_path (with the shared helpers of tests/helpers.py),
and a shortcut to detect them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from scaffold.detect import detect_repository
from tests.helpers import git_init, write_files

Tree = Mapping[str, str | bytes]
#: The ``make_repo`` fixture: a tree in a fresh folder.
MakeRepo = Callable[..., Path]
#: The ``detected`` fixture: the detection of a tree ``make_repo`` builds.
Detected = Callable[..., dict[str, Any]]


def pyproject(name: str, *dependencies: str) -> str:
    """A pyproject.toml with a [project] table: its name and its dependencies."""
    listed = ", ".join(f'"{dependency}"' for dependency in dependencies)
    return f'[project]\nname = "{name}"\ndependencies = [{listed}]\n'


def detect_dict(root: Path) -> dict[str, Any]:
    return detect_repository(root).to_dict()


def project(result: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The project at ``path`` in a detection dict; fails listing what was found."""
    for entry in result["projects"]:
        if entry["path"] == path:
            return dict(entry)
    found = [p["path"] for p in result["projects"]]
    raise AssertionError(f"no project at {path!r}; found {found}")


def identity(entry: Mapping[str, Any]) -> tuple[Any, ...]:
    """A detected project's language, framework, build tool and stack."""
    return (entry["language"], entry["framework"], entry["build_tool"], entry["stack"])


def evidence(claim: str, file: str, detail: str) -> dict[str, str]:
    """One piece of a detected project's evidence."""
    return {"claim": claim, "file": file, "detail": detail}


def claimed(entry: Mapping[str, Any], claim: str) -> list[dict[str, str]]:
    """A detected project's evidence for one claim (``framework``, ``build_tool``, ...)."""
    return [dict(e) for e in entry["evidence"] if e["claim"] == claim]


def claim_details(entry: Mapping[str, Any], claim: str) -> list[str]:
    """The details of a detected project's evidence for one claim."""
    return [e["detail"] for e in claimed(entry, claim)]


def why_no_framework(entry: Mapping[str, Any]) -> list[dict[str, str]]:
    """The evidence for a detected project that has no framework (fails if it has one):
    what was found and why it is not the framework."""
    assert entry["framework"] is None, entry["framework"]
    return claimed(entry, "framework")


def paths(result: Mapping[str, Any]) -> list[str]:
    return [p["path"] for p in result["projects"]]


def warnings_for(result: Mapping[str, Any], file: str) -> list[str]:
    return [w["message"] for w in result["warnings"] if w["file"] == file]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo(files, git=False)``: a tree in a fresh folder, optionally a git repo."""
    counter = {"n": 0}

    def make(files: Tree, *, git: bool = False, commit: bool = True) -> Path:
        counter["n"] += 1
        root = tmp_path / f"repo{counter['n']}"
        root.mkdir()
        write_files(root, files)
        if git:
            git_init(root, commit=commit)
        return root

    return make


@pytest.fixture
def detected(make_repo: MakeRepo) -> Detected:
    """``detected(files, git=False)``: the detection (as ``scaffold detect --json`` gives
    it) of a tree that ``make_repo`` builds."""

    def detect(files: Tree, *, git: bool = False, commit: bool = True) -> dict[str, Any]:
        return detect_dict(make_repo(files, git=git, commit=commit))

    return detect
