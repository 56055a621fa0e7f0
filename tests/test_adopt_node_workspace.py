"""An npm-family workspace keeps its packages' shared setup at its root: one ESLint config,
one Prettier setup (its ignore file named by each package's check), one EditorConfig and one
answers file, so what adopt writes grows with the workspace's stacks, not with its packages.
The slow test installs the tools at the root with real pnpm and runs each package's checks."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold import __version__
from scaffold.cli import app
from tests.ecosystems.node.toolchain import pnpm_tool
from tests.helpers import (
    adopt,
    adopt_plan,
    assert_nothing_left_to_adopt,
    commit_all,
    committed_repo,
    git,
    run,
    tree_digest,
)

APP = """\
const express = require("express");

const app = express();

app.get("/health", (req, res) => {
  res.json({ status: "ok" });
});

module.exports = app;
"""
NO_SEMICOLONS = APP.replace(";\n", "\n")
SHARED = (".editorconfig", ".prettierignore", ".prettierrc.json", "eslint.config.js")
LAYOUT = "a member of the workspace at the root: AGENTS.md gives the layout"
IGNORE = "--ignore-path .gitignore --ignore-path ../../.prettierignore"


def package(name: str, code: str = APP, **fields: Any) -> dict[str, str]:
    manifest = {"name": name, "version": "1.0.0", **fields, "dependencies": {"express": "^4"}}
    return {
        f"packages/{name}/package.json": json.dumps(manifest, indent=2) + "\n",
        f"packages/{name}/src/app.js": code,
    }


def pnpm_workspace(
    root: Path,
    *packages: dict[str, str],
    globs: tuple[str, ...] = ("packages/*",),
    **fields: Any,
) -> Path:
    manifest = {"name": "mono", "private": True, **fields}
    files = {
        "package.json": json.dumps(manifest, indent=2) + "\n",
        "pnpm-workspace.yaml": "packages:\n" + "".join(f'  - "{glob}"\n' for glob in globs),
        ".gitignore": "node_modules/\ndist/\n",
    }
    for files_of_package in packages:
        files |= files_of_package
    return committed_repo(root, files)


def files_of(payload: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {f["path"]: (f["action"], f.get("reason", "")) for f in payload["files"]}


def package_commands(repo: Path, path: str) -> list[str]:
    """The commands the root AGENTS.md gives for the package at ``path``."""
    text = (repo / "AGENTS.md").read_text()
    section = text.split(f"\n## {path}\n", 1)[1].split("\n## ", 1)[0]
    block = section.split(f"Run in `{path}/`:\n\n```sh\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


def test_a_pnpm_workspace_keeps_one_setup_and_one_answers_file_at_its_root(
    tmp_path: Path,
) -> None:
    repo = pnpm_workspace(tmp_path / "mono", package("api"), package("web"))
    payload = adopt_plan(repo)
    shared = "the configs its packages share"
    assert payload["projects"] == [
        {"path": ".", "stack": "node-express", "status": "planned", "reason": shared},
        {"path": "packages/api", "stack": "node-express", "status": "planned"},
        {"path": "packages/web", "stack": "node-express", "status": "planned"},
    ]
    expected = dict.fromkeys((".copier-answers.yml", "AGENTS.md", *SHARED), ("create", ""))
    for name in ("api", "web"):
        expected[f"packages/{name}/.copier-answers.yml"] = (
            "skip",
            "covered by .copier-answers.yml",
        )
        for config in SHARED:
            expected[f"packages/{name}/{config}"] = ("skip", f"covered by {config}")
        for leaf in ("controllers", "models", "routes"):
            expected[f"packages/{name}/src/{leaf}/.gitkeep"] = ("skip", LAYOUT)
    assert files_of(payload) == expected
    assert payload["folder_counts"] == {
        ".": {"create": 6},
        "packages/api": {"skip": 8},
        "packages/web": {"skip": 8},
    }

    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert output.splitlines()[1] == "  .  (node-express; the configs its packages share)"
    answers = (repo / ".copier-answers.yml").read_text().splitlines()
    assert "project_name: mono" in answers and "adopted: true" in answers
    assert "description: The pnpm workspace's shared lint and format settings." in answers
    # Prettier reads the ignore file of the folder it runs in: each package's check names
    # the root's, after the package's own .gitignore.
    for name in ("api", "web"):
        assert package_commands(repo, f"packages/{name}") == [
            "pnpm install",
            "pnpm exec eslint .",
            f"pnpm exec prettier --check . {IGNORE}",
        ]
    assert_nothing_left_to_adopt(repo)
    assert git(repo, "ls-files", "*.copier-answers.yml").split() == [".copier-answers.yml"]
    check = CliRunner().invoke(app, ["update", str(repo), "--check"])
    assert (check.exit_code, check.output) == (0, f".: up to date (v{__version__})\n")
    member = CliRunner().invoke(app, ["update", str(repo / "packages/api"), "--check"])
    assert member.exit_code == 1
    assert f"its settings come from the project at {repo}" in member.output


def test_an_npm_workspace_does_the_same_with_npx(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "npm",
        {"package.json": '{"name": "mono", "private": true, "workspaces": ["packages/*"]}\n'}
        | package("api")
        | package("web"),
    )
    payload = adopt_plan(repo)
    written = {path for path, (action, _) in files_of(payload).items() if action == "create"}
    assert written == {".copier-answers.yml", "AGENTS.md", *SHARED}
    assert adopt(str(repo), "--yes")[0] == 0
    assert package_commands(repo, "packages/api")[1:] == [
        "npx eslint .",
        f"npx prettier --check . {IGNORE}",
    ]


def test_packages_with_different_styles_keep_their_own_answers_files(tmp_path: Path) -> None:
    # One package ends its statements with semicolons, the other does not: their ESLint
    # and Prettier configs differ, so the root takes only what they share.
    repo = pnpm_workspace(tmp_path / "mono", package("api"), package("web", NO_SEMICOLONS))
    payload = adopt_plan(repo)
    assert payload["projects"][0] == {"path": ".", "stack": None, "status": "skipped",
                                      "reason": "no stack recognised"}  # fmt: skip
    files = files_of(payload)
    assert {path for path, (action, _) in files.items() if action == "create"} == {
        "AGENTS.md",
        ".editorconfig",
        ".prettierignore",
        "packages/api/.copier-answers.yml",
        "packages/api/.prettierrc.json",
        "packages/api/eslint.config.js",
        "packages/web/.copier-answers.yml",
        "packages/web/.prettierrc.json",
        "packages/web/eslint.config.js",
    }
    assert adopt(str(repo), "--yes")[0] == 0
    assert_nothing_left_to_adopt(repo)


def test_es_module_packages_below_a_root_of_another_module_system_keep_their_own(
    tmp_path: Path,
) -> None:
    # Node.js would load a root eslint.config.js as CommonJS: the packages' ES module
    # config cannot go there, so neither can their shared setup.
    esm = 'import express from "express";\n\nexport const app = express();\n'
    repo = pnpm_workspace(
        tmp_path / "mono", package("api", esm, type="module"), package("web", esm, type="module")
    )
    files = files_of(adopt_plan(repo))
    assert files["packages/api/eslint.config.js"] == ("create", "")
    assert files["packages/api/.copier-answers.yml"] == ("create", "")
    assert ".copier-answers.yml" not in files and "eslint.config.js" not in files
    typed = pnpm_workspace(
        tmp_path / "typed",
        package("api", esm, type="module"),
        package("web", esm, type="module"),
        type="module",
    )
    files = files_of(adopt_plan(typed))
    assert files[".copier-answers.yml"] == ("create", "")
    assert files["packages/api/eslint.config.js"] == ("skip", "covered by eslint.config.js")


def newer_node_template(tmp_path: Path) -> str:
    """A newer node-express template in the per-user history, whose adopted projects'
    Prettier ignore file also leaves out ``tmp/``; its version tag."""
    from scaffold.history import install_folder_history
    from scaffold.templates import get_stack

    folder = tmp_path / "newer" / "node-express"
    shutil.copytree(get_stack("node-express").template, folder)
    ignore = folder / "template" / ".prettierignore.jinja"
    ignore.write_text(ignore.read_text().replace("dist/\n", "dist/\ntmp/\n", 1))
    return install_folder_history(None, folder, "node-express", __version__)[1]


def test_an_update_reaches_the_root_setup_and_leaves_the_packages(tmp_path: Path) -> None:
    repo = pnpm_workspace(tmp_path / "mono", package("api"), package("web"))
    assert adopt(str(repo), "--yes")[0] == 0
    commit_all(repo, "adopted")
    before = tree_digest(repo / "packages")
    newer = newer_node_template(tmp_path)
    result = CliRunner().invoke(app, ["update", str(repo), "--no-lock"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f".: updated from v{__version__} to {newer}, 2 files changed"
    )
    assert "dist/\ntmp/\n" in (repo / ".prettierignore").read_text()
    assert tree_digest(repo / "packages") == before
    git(repo, "reset", "-q", "--hard")
    git(repo, "clean", "-qfd")
    # Plain copier follows the same answers file.
    copier = Path(sys.executable).with_name("copier")
    updated = subprocess.run(
        [str(copier), "update", "--defaults", "--quiet", "--skip-answered"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert updated.returncode == 0, updated.stderr
    assert "dist/\ntmp/\n" in (repo / ".prettierignore").read_text()
    assert f"_commit: {newer}" in (repo / ".copier-answers.yml").read_text()


@pytest.mark.slow
def test_each_package_passes_its_checks_with_the_tools_installed_at_the_root(
    tmp_path: Path,
) -> None:
    tools = pnpm_tool()
    pnpm, env = tools.pnpm, tools.env
    # Globs that take in a test fixture's package too, and a package the workspace excludes.
    fixture = {f"packages/api/test/fixtures/{k}": v for k, v in package("basic").items()}
    repo = pnpm_workspace(
        tmp_path / "mono", package("api"), package("web"), fixture, package("legacy"),
        globs=("packages/**", "!packages/legacy"),
    )  # fmt: skip
    before = tree_digest(repo)
    assert adopt(str(repo), "--yes")[0] == 0
    after = tree_digest(repo)
    assert {path: after[path] for path in before} == before  # nothing of theirs changed
    written = sorted(set(after) - set(before))
    assert written == sorted([".copier-answers.yml", "AGENTS.md", *SHARED]), written
    # As eslint.config.js's header says: its plugins are installed where it is.
    run([pnpm, "add", "-Dw", "eslint@^10", "@eslint/js@^10", "globals@^17", "prettier@^3"],
        cwd=repo, env=env)  # fmt: skip
    for name in ("api", "web"):
        folder = repo / "packages" / name
        # Output the configs must leave alone, and code they must refuse.
        (folder / "dist").mkdir()
        (folder / "dist" / "bundle.js").write_text("var   unused=1")
        for command in package_commands(repo, f"packages/{name}"):
            argv = shlex.split(command)
            run([pnpm, *argv[1:]], cwd=folder, env=env)
        (folder / "src" / "bad.js").write_text("undefinedThing();\n")
        lint = subprocess.run(
            [pnpm, "exec", "eslint", "."], cwd=folder, capture_output=True, text=True,
            env={**os.environ, **env}, check=False,
        )  # fmt: skip
        assert lint.returncode == 1 and "no-undef" in lint.stdout, lint.stdout + lint.stderr
        (folder / "src" / "bad.js").unlink()
    commit_all(repo, "tools installed")
    code, output = adopt(str(repo), "--check")
    assert code == 0, output
