"""Adopting Rust crates and workspaces."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Recipe,
    TomlTables,
    WholeFile,
    description,
    fact,
    project_name,
    project_toml,
)
from scaffold.detect.parsers import table
from scaffold.model import Project


def _rust_answers(folder: Path, project: Project) -> dict[str, Any]:
    manifest = project_toml(folder, project, "Cargo.toml")
    package = table(manifest.get("package"))
    workspace_package = table(table(manifest.get("workspace")).get("package"))
    answers: dict[str, Any] = {
        "project_name": project_name(package.get("name"), folder),
    }
    edition = package.get("edition") or workspace_package.get("edition")
    if edition is None and "workspace" in manifest:
        # A virtual workspace: its members' oldest edition is the style they share.
        member_editions = sorted(
            str(table(member.get("package")).get("edition", ""))
            for member in _member_manifests(folder, project)
        )
        edition = next((e for e in member_editions if e), None)
    if isinstance(edition, str):
        answers["edition"] = edition
    version = package.get("rust-version") or workspace_package.get("rust-version")
    if isinstance(version, str):
        answers["rust_version"] = version
    has_mod_rs = any("mod.rs" in names for _, _, names in os.walk(folder / "src"))
    answers["module_style"] = "mod_rs" if has_mod_rs else "self_named"
    axum = "axum" in table(manifest.get("dependencies"))
    found = "An HTTP service built with axum" if axum else "A Rust crate."
    if "package" not in manifest and "workspace" in manifest:
        found = "A Cargo workspace."
    answers["description"] = description(package.get("description"), found)
    return answers


def _member_manifests(folder: Path, project: Project) -> list[dict[str, Any]]:
    """The manifests of the workspace's members, as detection found and parsed them (at
    most 100); without that, those of the crates below ``folder`` (build output left out)."""
    if project.workspace is not None and project.workspace.members:
        depth = 0 if project.path == "." else len(project.path.split("/"))
        root = folder.parents[depth - 1] if depth else folder
        facts = project.facts
        return [
            fact(facts, "toml", root, f"{member}/Cargo.toml") or {}
            for member in project.workspace.members[:100]
        ]
    return [
        project_toml(folder, project, path.relative_to(folder).as_posix())
        for path in sorted(folder.glob("*/**/Cargo.toml"))[:100]
        if "target" not in path.relative_to(folder).parts
    ]


def _rust_commands(folder: Path, project: Project) -> tuple[str, ...]:
    return ("cargo build", "cargo test", "cargo clippy --all-targets", "cargo fmt --check")


# Node.js (Express): package.json, and the style of a sample of the JavaScript and
# TypeScript code, which the formatter and linter configs must keep.


RECIPE = Recipe(
    "rust",
    _rust_answers,
    {
        ".editorconfig": EDITORCONFIG,
        "rustfmt.toml": WholeFile(
            alternatives=(".rustfmt.toml",), inherited=True, placed_above=True
        ),
        "clippy.toml": WholeFile(alternatives=(".clippy.toml",), inherited=True, placed_above=True),
        "Cargo.toml": TomlTables(
            ("lints",),
            requires="package",
            unless=("lints",),
            shared=("workspace.lints", "[lints] workspace = true"),
        ),
    },
    _rust_commands,
    source_suffix=".rs",
    folders_do_not_apply=lambda folder, project: (
        None
        if "package" in project_toml(folder, project, "Cargo.toml")
        else "a virtual workspace manifest: its members hold the code"
    ),
)
