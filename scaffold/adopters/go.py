"""Adopting Go modules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Recipe,
    WholeFile,
    project_name,
)
from scaffold.model import Project


def _go_answers(folder: Path, project: Project) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    try:
        gomod = (folder / "go.mod").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        gomod = ""
    module = re.search(r"^module\s+(\S+)", gomod, re.MULTILINE)
    if module:
        answers["module_path"] = module.group(1)
        answers["project_name"] = project_name(module.group(1).rsplit("/", 1)[-1], folder)
    else:
        answers["project_name"] = project_name(None, folder)
    version = re.search(r"^go\s+(\d+\.\d+)", gomod, re.MULTILINE)
    if version:
        answers["go_version"] = version.group(1)
    return answers


def _go_commands(folder: Path, project: Project) -> tuple[str, ...]:
    return ("go build ./...", "go vet ./...", "go test ./...", "golangci-lint run")


RECIPE = Recipe(
    "go",
    _go_answers,
    {
        ".editorconfig": EDITORCONFIG,
        ".golangci.yml": WholeFile(
            alternatives=(".golangci.yaml", ".golangci.toml", ".golangci.json"),
            inherited=True,
        ),
    },
    _go_commands,
    source_suffix=".go",
    never_create={"pkg": "a public pkg/ only for a library, on request"},
    equivalents={"internal": ("pkg",)},
)
