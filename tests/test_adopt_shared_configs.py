"""Settings files several adopted projects would get alike are written once, in the highest
folder above them from which their tools read them; settings meant for other projects never
cover a project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import adopt, adopt_plan, assert_nothing_left_to_adopt, committed_repo

PYPROJECT = '[project]\nname = "{name}"\nversion = "1.0.0"\ndependencies = ["fastapi>=0.110"]\n'
MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def python_service(folder: str, name: str) -> dict[str, str]:
    return {f"{folder}/pyproject.toml": PYPROJECT.format(name=name), f"{folder}/main.py": MAIN}


def go_service(folder: str, name: str) -> dict[str, str]:
    return {
        f"{folder}/go.mod": f"module example.com/{name}\n\ngo 1.22\n",
        f"{folder}/main.go": f"// Package main runs {name}.\npackage main\n\nfunc main() {{}}\n",
    }


def crate(folder: str, name: str) -> dict[str, str]:
    manifest = f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'
    return {f"{folder}/Cargo.toml": manifest, f"{folder}/src/lib.rs": "pub fn f() {}\n"}


def actions(payload: dict[str, Any], *names: str) -> dict[str, tuple[str, str]]:
    return {
        f["path"]: (f["action"], f.get("reason", ""))
        for f in payload["files"]
        if f["path"].rsplit("/", 1)[-1] in names
    }


def test_crates_share_their_formatter_and_linter_settings_at_the_root(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "tools", crate("tools/a", "a") | crate("libs/b", "b"))
    names = ("rustfmt.toml", "clippy.toml", ".editorconfig")
    assert actions(adopt_plan(repo), *names) == dict.fromkeys(names, ("create", "")) | {
        f"{crate}/{name}": ("skip", f"covered by {name}")
        for crate in ("libs/b", "tools/a")
        for name in names
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert not (repo / "tools/a/rustfmt.toml").exists()
    assert_nothing_left_to_adopt(repo)  # the shared files are found as they were written


def test_projects_that_would_get_other_settings_each_keep_their_own(tmp_path: Path) -> None:
    # A Go and a Python service want different .editorconfig files: neither is shared.
    files = go_service("services/greeter", "greeter") | python_service("services/api", "api")
    repo = committed_repo(tmp_path / "poly", files)
    assert actions(adopt_plan(repo), ".editorconfig") == {
        "services/api/.editorconfig": ("create", ""),
        "services/greeter/.editorconfig": ("create", ""),
    }


def test_a_root_projects_settings_do_not_cover_a_service_of_another_stack(
    tmp_path: Path,
) -> None:
    files = python_service(".", "platform") | go_service("services/greeter", "greeter")
    repo = committed_repo(tmp_path / "platform", files)
    assert actions(adopt_plan(repo), ".editorconfig") == {
        ".editorconfig": ("create", ""),
        "services/greeter/.editorconfig": ("create", ""),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert "[*.go]\nindent_style = tab" in (repo / "services/greeter/.editorconfig").read_text()
    assert "[*.go]" not in (repo / ".editorconfig").read_text()
    assert_nothing_left_to_adopt(repo)


def test_a_project_with_its_own_file_keeps_it_and_the_others_share(tmp_path: Path) -> None:
    files = (
        python_service("services/a", "a")
        | python_service("services/b", "b")
        | python_service("services/c", "c")
        | {"services/c/.editorconfig": "root = true\n\n[*]\nindent_size = 3\n"}
    )
    repo = committed_repo(tmp_path / "mono", files)
    assert actions(adopt_plan(repo), ".editorconfig") == {
        ".editorconfig": ("create", ""),
        "services/a/.editorconfig": ("skip", "covered by .editorconfig"),
        "services/b/.editorconfig": ("skip", "covered by .editorconfig"),
        "services/c/.editorconfig": ("skip", "exists; yours is kept"),
    }


def test_projects_named_on_purpose_keep_their_settings_in_their_folders(
    tmp_path: Path,
) -> None:
    repo = committed_repo(tmp_path / "tools", crate("tools/a", "a") | crate("libs/b", "b"))
    payload = adopt_plan(repo, "--project", "tools/a", "--project", "libs/b")
    assert actions(payload, "rustfmt.toml") == {
        "libs/b/rustfmt.toml": ("create", ""),
        "tools/a/rustfmt.toml": ("create", ""),
    }


def express_service(folder: str, name: str, module_type: str | None = None) -> dict[str, str]:
    manifest = {"name": name, "dependencies": {"express": "^5"}} | (
        {"type": module_type} if module_type else {}
    )
    code = (
        'import express from "express";\n\nexport const app = express();\n'
        if module_type == "module"
        else 'const express = require("express");\n\nmodule.exports = express();\n'
    )
    return {f"{folder}/package.json": json.dumps(manifest) + "\n", f"{folder}/src/app.js": code}


def test_services_share_an_eslint_config_written_in_the_module_system_node_gives_it(
    tmp_path: Path,
) -> None:
    # Node.js loads eslint.config.js as the nearest package.json says: CommonJS with none.
    services = express_service("services/a", "a") | express_service("services/b", "b")
    repo = committed_repo(tmp_path / "cjs", services)
    assert actions(adopt_plan(repo), "eslint.config.js") == {
        "eslint.config.js": ("create", ""),
        "services/a/eslint.config.js": ("skip", "covered by eslint.config.js"),
        "services/b/eslint.config.js": ("skip", "covered by eslint.config.js"),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    config = (repo / "eslint.config.js").read_text()
    assert 'const js = require("@eslint/js");' in config
    # Its ignores hold at any depth: from the root they reach each service's dist/.
    assert '{ ignores: ["**/{dist,build,coverage,public}/", "**/*.min.js"] },' in config
    assert_nothing_left_to_adopt(repo)


def test_es_module_services_share_one_only_below_a_package_json_of_type_module(
    tmp_path: Path,
) -> None:
    services = express_service("a", "a", "module") | express_service("b", "b", "module")
    repo = committed_repo(tmp_path / "esm", services)
    assert actions(adopt_plan(repo), "eslint.config.js") == {
        "a/eslint.config.js": ("create", ""),
        "b/eslint.config.js": ("create", ""),
    }
    typed = committed_repo(
        tmp_path / "typed", services | {"package.json": '{"private": true, "type": "module"}\n'}
    )
    assert actions(adopt_plan(typed), "eslint.config.js") == {
        "eslint.config.js": ("create", ""),
        "a/eslint.config.js": ("skip", "covered by eslint.config.js"),
        "b/eslint.config.js": ("skip", "covered by eslint.config.js"),
    }


UV_ROOT = '[project]\nname = "root"\nversion = "1.0.0"\ndependencies = ["fastapi>=0.110"]\n'
UV_WORKSPACE = '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'


def uv_workspace(root: Path, *members: dict[str, str]) -> Path:
    files = {"pyproject.toml": UV_ROOT + UV_WORKSPACE, "main.py": MAIN}
    for member in members:
        files |= member
    return committed_repo(root, files)


def test_uv_members_read_ruff_from_the_workspace_root(tmp_path: Path) -> None:
    # ruff passes over a pyproject.toml without [tool.ruff] to the next one up.
    repo = uv_workspace(
        tmp_path / "uv",
        python_service("packages/a", "a"),
        python_service("packages/b", "b"),
    )
    payload = adopt_plan(repo)
    covered = ("skip", "covered by pyproject.toml [tool.ruff]")
    assert actions(payload, "pyproject.toml") == {
        "pyproject.toml": ("merge", "adds tool.ruff"),
        "packages/a/pyproject.toml": covered,
        "packages/b/pyproject.toml": covered,
    }
    # With nothing of their own, the members keep no answers file either.
    assert actions(payload, ".copier-answers.yml") == {
        ".copier-answers.yml": ("create", ""),
        "packages/a/.copier-answers.yml": ("skip", "covered by .copier-answers.yml"),
        "packages/b/.copier-answers.yml": ("skip", "covered by .copier-answers.yml"),
    }
    assert payload["folder_counts"]["packages/a"] == {"skip": 6}
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert (repo / "packages/a/pyproject.toml").read_text() == PYPROJECT.format(name="a")
    assert_nothing_left_to_adopt(repo)


def test_a_member_that_would_get_other_ruff_settings_keeps_its_own(tmp_path: Path) -> None:
    wide = python_service("packages/b", "b")
    wide["packages/b/main.py"] = (
        MAIN + "\n" + "\n".join(f"value_{i} = '{'x' * 100}'" for i in range(20)) + "\n"
    )
    repo = uv_workspace(tmp_path / "uv", python_service("packages/a", "a"), wide)
    # The root's line length is read from all the code below it, b's wide lines included:
    # b shares the root's settings, a (88 columns) keeps its own.
    assert actions(adopt_plan(repo), "pyproject.toml") == {
        "pyproject.toml": ("merge", "adds tool.ruff"),
        "packages/a/pyproject.toml": ("merge", "adds tool.ruff"),
        "packages/b/pyproject.toml": ("skip", "covered by pyproject.toml [tool.ruff]"),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert "line-length = 88" in (repo / "packages/a/pyproject.toml").read_text()
    assert "line-length = 120" in (repo / "pyproject.toml").read_text()
    assert_nothing_left_to_adopt(repo)


def test_a_ruff_config_of_yours_above_covers_the_services(tmp_path: Path) -> None:
    services = python_service("services/a", "a") | python_service("services/b", "b")
    repo = committed_repo(tmp_path / "own", services | {"ruff.toml": "line-length = 100\n"})
    assert actions(adopt_plan(repo), "pyproject.toml") == {
        "services/a/pyproject.toml": ("skip", "covered by ruff.toml"),
        "services/b/pyproject.toml": ("skip", "covered by ruff.toml"),
    }
