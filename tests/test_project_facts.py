"""What detection read is handed on: configs as typed references that report as before,
and the parsed manifests (``Project.facts``) that adopt's recipes and planner use instead of
reading the disk again."""

from __future__ import annotations

import builtins
import io
import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scaffold.adopters import RECIPES
from scaffold.adopters.base import TomlTables, WholeFile, project_json, project_text, project_toml
from scaffold.commands.adopt import apply_adoption, plan_adoption
from scaffold.detect import detect_repository
from scaffold.errors import ScaffoldError
from scaffold.model import Action, ConfigRef, Detection, Facts, Plan, Project, sha256_of_bytes
from scaffold.plan.adopt import AdoptPlanner
from scaffold.plan.apply import apply_plan
from tests.helpers import committed_repo, write_files

PYPROJECT = (
    '[project]\nname = "api"\nrequires-python = ">=3.12"\ndependencies = ["fastapi"]\n\n'
    "[tool.ruff]\nline-length = 100\n\n[tool.black]\nline-length = 100\n"
)


def only_project(root: Path, path: str = ".") -> Project:
    return project_in(detect_repository(root), path)


def project_in(detection: Detection, path: str = ".") -> Project:
    found = detection.project(path)
    assert found is not None
    return found


def detected_then_edited(
    root: Path, files: Mapping[str, str], edits: Mapping[str, str | bytes]
) -> Detection:
    """The detection of ``files`` written under ``root``, after which ``edits`` are written
    over them: what detection read and what is on the disk now differ."""
    write_files(root, files)
    detection = detect_repository(root)
    write_files(root, edits)
    return detection


def test_configs_are_typed_references_reported_in_the_same_form(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".editorconfig": "root = true\n",
            "pyproject.toml": PYPROJECT,
            "setup.cfg": "[flake8]\nmax-line-length = 100\n",
            "app/main.py": "import fastapi\n",
            "web/package.json": '{"name": "web", "prettier": {"semi": false}}\n',
            "web/index.js": "console.log(1)\n",
        },
    )
    detection = detect_repository(tmp_path)
    api, web = detection.project("."), detection.project("web")
    assert api is not None and web is not None
    assert api.configs == (
        ConfigRef(".editorconfig"),
        ConfigRef("pyproject.toml", "tool.ruff"),
        ConfigRef("pyproject.toml", "tool.black"),
        ConfigRef("setup.cfg", "flake8"),
    )
    assert web.configs == (ConfigRef(".editorconfig"), ConfigRef("web/package.json", "prettier"))
    # detect's JSON is unchanged: each reference in its "path[section]" form.
    reported = json.loads(json.dumps(detection.to_dict()))
    assert [p["configs"] for p in reported["projects"]] == [
        [
            ".editorconfig",
            "pyproject.toml[tool.ruff]",
            "pyproject.toml[tool.black]",
            "setup.cfg[flake8]",
        ],
        [".editorconfig", "web/package.json[prettier]"],
    ]
    assert [str(config) for config in api.configs] == reported["projects"][0]["configs"]


def test_detection_hands_on_the_manifests_it_parsed(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "app/main.py": "import fastapi\n",
            "web/package.json": '{"name": "web", "dependencies": {"express": "^4"}}\n',
            "web/index.js": "require('express')\n",
            "web/broken/package.json": "{not json",
        },
    )
    detection = detect_repository(tmp_path)
    facts = detection.facts
    assert facts.root == tmp_path.resolve()
    assert facts.documents[("toml", "pyproject.toml")] == tomllib.loads(PYPROJECT)
    assert facts.documents[("json", "web/package.json")] == {
        "name": "web",
        "dependencies": {"express": "^4"},
    }
    assert facts.documents[("text", "web/package.json")].startswith('{"name": "web"')
    assert facts.documents[("json", "web/broken/package.json")] is None  # warned about
    # Every project carries the same facts; they are neither compared nor reported.
    assert all(project.facts is facts for project in detection.projects)
    api = detection.projects[0]
    assert replace(api, facts=Facts()) == api
    assert "facts" not in api.to_dict() and "facts" not in detection.to_dict()


# Each stack's manifest as detection reads it, what the disk holds by the time the recipe
# runs, and the answer that shows which of the two the recipe read.
MANIFESTS: dict[str, tuple[dict[str, str], str, str, str, str]] = {
    "node-express": (
        {"index.js": "require('express')\n"},
        "package.json",
        '{"name": "from-detection", "dependencies": {"express": "^4"}}\n',
        '{"name": "on-disk", "dependencies": {"express": "^4"}}\n',
        "project_name",
    ),
    "python-fastapi": (
        {"app/main.py": "import fastapi\n"},
        "pyproject.toml",
        '[project]\nname = "from-detection"\ndependencies = ["fastapi"]\n',
        '[project]\nname = "on-disk"\ndependencies = ["fastapi"]\n',
        "project_name",
    ),
    "go": (
        {"main.go": "package main\n\nfunc main() {}\n"},
        "go.mod",
        "module example.com/from-detection\n\ngo 1.22\n",
        "module example.com/on-disk\n\ngo 1.22\n",
        "module_path",
    ),
    "rust": (
        {"src/main.rs": "fn main() {}\n"},
        "Cargo.toml",
        '[package]\nname = "from-detection"\nedition = "2021"\n',
        '[package]\nname = "on-disk"\nedition = "2021"\n',
        "project_name",
    ),
    "java-spring": (
        {"src/main/java/com/example/App.java": "package com.example;\n"},
        "pom.xml",
        "<project><groupId>com.example</groupId><artifactId>from-detection</artifactId>"
        "</project>\n",
        "<project><groupId>com.example</groupId><artifactId>on-disk</artifactId></project>\n",
        "artifact_id",
    ),
}


@pytest.mark.parametrize("stack", sorted(MANIFESTS))
def test_recipes_read_the_manifests_detection_parsed(tmp_path: Path, stack: str) -> None:
    code, name, detected, on_disk, answer = MANIFESTS[stack]
    project = project_in(detected_then_edited(tmp_path, {**code, name: detected}, {name: on_disk}))
    inferred = RECIPES[stack].infer(tmp_path, project)
    assert str(inferred[answer]).endswith("from-detection")
    # A project with no facts (made by hand) has its manifest read from the disk.
    by_hand = Project(path=".", language=project.language)
    assert str(RECIPES[stack].infer(tmp_path, by_hand)[answer]).endswith("on-disk")


#: A cargo workspace of one member crate, on edition 2018.
CARGO_WORKSPACE = {
    "Cargo.toml": '[workspace]\nmembers = ["crates/a"]\n',
    "crates/a/Cargo.toml": '[package]\nname = "a"\nedition = "2018"\n',
    "crates/a/src/lib.rs": "pub fn a() {}\n",
}


def test_a_workspaces_members_are_read_from_the_facts(tmp_path: Path) -> None:
    edition_2024 = {"crates/a/Cargo.toml": '[package]\nname = "a"\nedition = "2024"\n'}
    project = project_in(detected_then_edited(tmp_path, CARGO_WORKSPACE, edition_2024))
    assert RECIPES["rust"].infer(tmp_path, project)["edition"] == "2018"


#: An Express service below a package.json whose "prettier" key covers it.
PRETTIER_ABOVE = {
    "package.json": '{"name": "web", "prettier": {"semi": false}}\n',
    "svc/package.json": '{"name": "svc", "dependencies": {"express": "^4"}}\n',
    "svc/index.js": "require('express')\n",
}


def test_the_planner_weighs_package_json_keys_from_the_facts(tmp_path: Path) -> None:
    detection = detected_then_edited(
        tmp_path, PRETTIER_ABOVE, {"package.json": '{"name": "web"}\n'}
    )
    rule = RECIPES["node-express"].rules[".prettierrc.json"]
    assert isinstance(rule, WholeFile)
    planner = AdoptPlanner(tmp_path, facts=detection.facts)
    planner.whole_file(tmp_path / "svc", ".prettierrc.json", b"{}\n", 0o644, rule)
    [action] = planner.actions.values()
    assert (action.action, action.reason) == (Action.SKIP, 'covered by package.json "prettier"')


def test_a_merge_is_planned_from_the_disk_and_refused_if_it_changes(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "api"\n', "app/main.py": "import fastapi\n"}
    edited = b'[project]\nname = "api"\nversion = "1"\n'
    # edited after detection, before planning
    project = project_in(detected_then_edited(tmp_path, files, {"pyproject.toml": edited}))
    planner = AdoptPlanner(tmp_path, facts=project.facts)
    rule = RECIPES["python-fastapi"].rules["pyproject.toml"]
    assert isinstance(rule, TomlTables)
    content = b"[tool.ruff]\nline-length = 100\n"
    planner.toml_tables(tmp_path, "pyproject.toml", content, rule, project.configs)
    [merge] = planner.actions.values()
    assert merge.action is Action.MERGE and merge.content is not None
    assert merge.content.startswith(edited)
    assert merge.original_sha256 == sha256_of_bytes(edited)
    (tmp_path / "pyproject.toml").write_bytes(edited + b"# later\n")
    with pytest.raises(ScaffoldError, match="changed after planning; nothing was written"):
        apply_plan(Plan(tmp_path, (merge,)))
    assert (tmp_path / "pyproject.toml").read_bytes() == edited + b"# later\n"


def test_a_file_detection_did_not_read_goes_through_the_bounded_reader(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('{"name": "outside"}\n')
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / "package.json").symlink_to(outside)
    by_hand = Project(path=".", language="javascript")
    assert project_json(folder, by_hand, "package.json") == {}
    assert RECIPES["node-express"].infer(folder, by_hand)["project_name"] == "svc"


MANAGE_PY = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'


def test_manage_py_is_read_once_detection_is_done(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "site/requirements.txt": "django\n",
            "site/manage.py": MANAGE_PY,
            "site/mysite/settings.py": "",
        },
    )
    project = only_project(tmp_path, "site")
    assert ("text", "site/manage.py") not in project.facts.documents
    assert RECIPES["django"].infer(tmp_path / "site", project)["project_package"] == "mysite"


def _count_opens(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Every opening of the file at ``path`` from now on."""
    opened: list[str] = []

    def counting(real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(path):
                opened.append(os.fspath(file))
            return real(file, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(os, "open", counting(os.open))
    monkeypatch.setattr(io, "open", counting(io.open))
    monkeypatch.setattr(builtins, "open", counting(builtins.open))
    return opened


def test_adopt_reads_package_json_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {
            "package.json": json.dumps(
                {
                    "name": "shop",
                    "scripts": {"test": "node --test"},
                    "dependencies": {"express": "^4"},
                },
                indent=2,
            ),
            "src/index.js": "const express = require('express');\n",
        },
    )
    opened = _count_opens(monkeypatch, repo / "package.json")
    result = plan_adoption(repo)
    assert opened == [str(repo / "package.json")]
    assert result.projects[0].answers["project_name"] == "shop"
    assert result.projects[0].answers["data_indent_width"] == 2
    monkeypatch.undo()
    apply_adoption(result)
    assert "npm test" in (repo / "AGENTS.md").read_text()


def test_a_file_read_after_detection_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"site/requirements.txt": "django\n", "site/manage.py": MANAGE_PY})
    project = only_project(tmp_path, "site")
    opened = _count_opens(monkeypatch, tmp_path / "site/manage.py")
    for _ in range(3):
        assert project_text(tmp_path / "site", project, "manage.py") == MANAGE_PY
    assert opened == [str(tmp_path / "site/manage.py")]
    # A missing file is looked for once too.
    missing = _count_opens(monkeypatch, tmp_path / "site/Pipfile")
    for _ in range(3):
        assert project_toml(tmp_path / "site", project, "Pipfile") == {}
    assert missing == [str(tmp_path / "site/Pipfile")]


def test_a_golangci_config_over_the_bound_is_not_read(tmp_path: Path) -> None:
    padding = "# " + "x" * 78 + "\n"
    # A v1 config (no version = "2") that would be reported as legacy, were it read.
    huge = padding * (5 * 1024 * 1024 // len(padding)) + "[linters]\nenable = ['gofmt']\n"
    write_files(
        tmp_path,
        {
            "go.mod": "module example.com/greeter\n\ngo 1.22\n",
            "main.go": "package main\n\nfunc main() {}\n",
            ".golangci.toml": huge,
        },
    )
    result = plan_adoption(tmp_path, allow_dirty=True)
    [config] = [a for a in result.plan.actions if a.path.as_posix() == ".golangci.yml"]
    assert (config.action, config.reason) == (Action.SKIP, "configured in .golangci.toml")


def test_adopt_reads_pyproject_toml_for_detection_and_for_the_merge_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi", "asyncpg"]\n',
            "app/main.py": "import fastapi\n",
        },
    )
    opened = _count_opens(monkeypatch, repo / "pyproject.toml")
    result = plan_adoption(repo)
    # Once by detection; once more to merge [tool.ruff] into what the disk holds then,
    # whose digest the writer checks.
    assert opened == [str(repo / "pyproject.toml")] * 2
    assert result.projects[0].answers["database"] == "postgresql"
    [merge] = [a for a in result.plan.actions if a.path.as_posix() == "pyproject.toml"]
    assert merge.action is Action.MERGE
    assert merge.original_sha256 == sha256_of_bytes((repo / "pyproject.toml").read_bytes())
