"""Whole repositories: every project reported, what is skipped, git and plain folders."""

from __future__ import annotations

import json
import subprocess

import pytest

from scaffold.detect import detect_repository, detect_with_changes
from scaffold.repo.listing import WorkTreeChanges, open_view
from tests.detect.conftest import Detected, MakeRepo, detect_dict, evidence, paths, project
from tests.helpers import git


def pkg(**fields: object) -> str:
    return json.dumps(fields) + "\n"


POLYGLOT = {
    "services/billing/go.mod": "module example.com/billing\n\ngo 1.22\n\n"
    "require github.com/gin-gonic/gin v1.9.1\n",
    "services/billing/main.go": "package main\n\nfunc main() {\n}\n",
    "services/users/pyproject.toml": '[project]\nname = "users"\n'
    'dependencies = ["fastapi[standard]>=0.115"]\n',
    "services/users/uv.lock": "version = 1\n",
    "services/users/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "services/gateway/package.json": pkg(name="gateway", dependencies={"express": "^4"}),
    "services/gateway/package-lock.json": "{}\n",
    "services/gateway/src/index.js": "const express = require('express');\n",
    "README.md": "# platform\n",
}


@pytest.mark.parametrize("use_git", [False, True], ids=["folder", "git"])
def test_go_python_and_node_services_are_each_reported(detected: Detected, use_git: bool) -> None:
    result = detected(POLYGLOT, git=use_git)
    assert paths(result) == ["services/billing", "services/gateway", "services/users"]
    summary = {
        p["path"]: (p["language"], p["framework"], p["build_tool"], p["stack"])
        for p in result["projects"]
    }
    assert summary == {
        "services/billing": ("go", "gin", "go", "go"),
        "services/gateway": ("javascript", "express", "npm", "node-express"),
        "services/users": ("python", "fastapi", "uv", "python-fastapi"),
    }
    assert result["warnings"] == []


def test_microservices_under_a_root_project(detected: Detected) -> None:
    files = dict(POLYGLOT)
    files["pyproject.toml"] = "[tool.ruff]\nline-length = 100\n"
    result = detected(files)
    top = project(result, ".")
    assert top["architecture"] == "microservices"
    detail = "3 service projects inside: services/billing, services/gateway, services/users"
    assert evidence("architecture", ".", detail) in top["evidence"]


def test_examples_are_not_microservices(detected: Detected) -> None:
    files = {
        name.replace("services/", "examples/"): text
        for name, text in POLYGLOT.items()
        if name.startswith("services/")
    }
    files["pyproject.toml"] = "[tool.ruff]\nline-length = 100\n"
    result = detected(files)
    assert paths(result) == [".", "examples/billing", "examples/gateway", "examples/users"]
    top = project(result, ".")
    assert top["architecture"] != "microservices"
    assert not [e for e in top["evidence"] if "service projects" in e["detail"]]


JS_SOURCE = """\
const koaApp = require("koa");

function startServer(listenPort) {
  const appServer = new koaApp();
  if (listenPort) {
    appServer.listen(listenPort);
    for (const routeName of ["a", "b"]) {
      console.log(routeName);
    }
  }
  return appServer;
}

function stopServer(appServer) {
  if (appServer) {
    appServer.close();
  }
  const closedAt = Date.now();
  return closedAt;
}

module.exports = { startServer, stopServer };
"""


def test_committed_node_modules_and_vendor_outweighing_the_code(detected: Detected) -> None:
    files: dict[str, str] = {
        "package.json": pkg(name="app", dependencies={"koa": "^2"}),
        "package-lock.json": "{}\n",
        "src/server.js": JS_SOURCE,
    }
    for i in range(60):
        files[f"node_modules/dep{i}/package.json"] = pkg(
            name=f"dep{i}", dependencies={"express": "4"}
        )
        files[f"node_modules/dep{i}/index.js"] = "function x_y() {\n\treturn 1;\n}\n"
        files[f"vendor/lib{i}/go.mod"] = f"module lib{i}\n"
        files[f"vendor/lib{i}/composer.json"] = "{}"
    result = detected(files, git=True)
    assert paths(result) == ["."]
    proj = project(result, ".")
    assert (proj["language"], proj["framework"]) == ("javascript", "koa")
    assert proj["source_dirs"] == ["src"]
    assert proj["style"] == {"indent": {"style": "space", "size": 2}, "naming": "camelCase"}


def test_exclusions_match_whole_segments_only(detected: Detected) -> None:
    files = {
        "pvendor/package.json": pkg(name="a"),
        "distribution/go.mod": "module d\n",
        "node_modules_tools/Cargo.toml": '[package]\nname = "t"\n',
        "apps/x/vendor/package.json": pkg(name="hidden"),
        "apps/x/dist/package.json": pkg(name="hidden"),
        "third_party/lib/pyproject.toml": '[project]\nname = "hidden"\n',
        ".venv/lib/pyproject.toml": '[project]\nname = "hidden"\n',
        "target/x/Cargo.toml": '[package]\nname = "hidden"\n',
        ".cache/tool/package.json": pkg(name="hidden"),
        "pcache/package.json": pkg(name="kept"),
    }
    result = detected(files)
    assert paths(result) == ["distribution", "node_modules_tools", "pcache", "pvendor"]


def test_gitattributes_overrides_vendored_and_generated(detected: Detected) -> None:
    files = {
        ".gitattributes": "libs/** linguist-vendored\n"
        "vendor/ours/** -linguist-vendored\n"
        "gen/*.py linguist-generated=true\n",
        "libs/thing/package.json": pkg(name="vendored", dependencies={"express": "4"}),
        "vendor/ours/go.mod": "module ours\n",
        "vendor/theirs/go.mod": "module theirs\n",
    }
    for use_git in (False, True):
        result = detected(files, git=use_git)
        assert paths(result) == ["vendor/ours"], use_git


def test_generated_protobuf_files_are_not_sampled(detected: Detected) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "a"\n',
        "app/service.py": "def get_user(user_id):\n    user_name = user_id\n    return user_name\n",
    }
    for i in range(12):
        files[f"app/a{i}_pb2.py"] = "def getThing(someValue):\n\tanotherValue = 1\n"
    proj = project(detected(files), ".")
    assert proj["style"]["naming"] is None  # three snake_case names: too few to say
    assert proj["style"]["indent"] is None


def test_gitignored_paths_are_skipped_with_and_without_git(
    make_repo: MakeRepo, detected: Detected
) -> None:
    files = {
        ".gitignore": "generated/\n*.local.json\n!keep/\n",
        "api/package.json": pkg(name="api", dependencies={"express": "4"}),
        "generated/pyproject.toml": '[project]\nname = "x"\n',
        "web/.gitignore": "old/\n",
        "web/package.json": pkg(name="web", dependencies={"react": "18"}),
        "web/old/Cargo.toml": '[package]\nname = "x"\n',
    }
    assert paths(detected(files)) == ["api", "web"]
    root = make_repo(files, git=True)
    assert paths(detect_dict(root)) == ["api", "web"]
    # untracked files count, ignored ones do not
    (root / "new").mkdir()
    (root / "new" / "go.mod").write_text("module n\n")
    (root / "generated" / "go.mod").write_text("module g\n")
    assert paths(detect_dict(root)) == ["api", "new", "web"]


def test_git_repository_listing_comes_from_git(make_repo: MakeRepo) -> None:
    root = make_repo({"a/go.mod": "module a\n", "b.txt": "x"}, git=True)
    git(root, "rm", "-q", "--cached", "b.txt")
    view = open_view(root)
    assert view.source == "git"
    assert view.files == ["a/go.mod", "b.txt"]  # untracked but not ignored
    assert view.children("") == (["a"], ["b.txt"])


def test_uncommitted_changes_are_found_in_the_same_pass(make_repo: MakeRepo) -> None:
    root = make_repo(POLYGLOT, git=True)
    detection, changes = detect_with_changes(root)
    assert changes == WorkTreeChanges(())
    assert detection == detect_repository(root)
    (root / "README.md").write_text("# changed\n")
    git(root, "mv", "services/billing/main.go", "services/billing/app.go")
    (root / "services" / "users" / "new.py").write_text("x = 1\n")
    detection, changes = detect_with_changes(root)
    assert changes is not None and changes.error is None
    # a rename is one change; the untracked file is a file of the detection too
    assert sorted(changes.paths) == [
        "README.md",
        "services/billing/app.go",
        "services/users/new.py",
    ]
    assert detection == detect_repository(root)
    assert detect_with_changes(make_repo(POLYGLOT))[1] is None  # no git repository


def test_a_repository_git_cannot_read_is_walked_and_its_changes_unknown(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(POLYGLOT, git=True)
    (root / ".git" / "index").write_bytes(b"not an index")
    detection, changes = detect_with_changes(root)
    assert paths(detection.to_dict()) == ["services/billing", "services/gateway", "services/users"]
    assert changes is not None and changes.paths == ()
    assert changes.error is not None and "index" in changes.error
    [warning] = detection.warnings
    assert warning.message.startswith("git could not list files")


def test_an_interrupted_detection_leaves_no_git_running(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.detect import engine
    from scaffold.repo import listing
    from scaffold.repo.view import RepoView

    root = make_repo(POLYGLOT, git=True)
    started: list[listing.PendingListing] = []

    def begin(*args: object, **kwargs: bool) -> tuple[RepoView, listing.PendingListing | None]:
        opened = listing.begin_view(*args, **kwargs)  # type: ignore[arg-type]
        assert opened[1] is not None
        started.append(opened[1])
        return opened

    def interrupted(*args: object) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "begin_view", begin)
    monkeypatch.setattr(engine, "_detect", interrupted)
    with pytest.raises(KeyboardInterrupt):
        detect_with_changes(root)
    [pending] = started
    processes = [pending._listing._others, pending._listing._status]
    assert all(isinstance(p, subprocess.Popen) and p.returncode is not None for p in processes)


def test_subfolder_of_a_git_repository(make_repo: MakeRepo) -> None:
    root = make_repo(POLYGLOT, git=True)
    result = detect_dict(root / "services")
    assert result["root"] == str((root / "services").resolve())
    assert paths(result) == ["billing", "gateway", "users"]


def test_empty_repository(detected: Detected) -> None:
    result = detected({}, git=True, commit=False)
    assert result["projects"] == []
    assert result["warnings"] == []
    assert detected({})["projects"] == []


def test_nothing_recognisable(detected: Detected) -> None:
    files = {
        "README.md": "# notes\n",
        "notes/a.txt": "x",
        "images/logo.png": b"\x89PNG\r\n\x1a\n\0\0",
        "scripts/run.sh": "#!/bin/sh\necho hi\n",
        "server.py": "print('hello')\n",
    }
    result = detected(files, git=True)
    assert result["projects"] == []
    assert result["warnings"] == []


def test_large_project_is_surveyed_from_an_even_spread_of_paths(
    detected: Detected, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.detect import layout

    monkeypatch.setattr(layout, "MAX_PATHS", 7)
    files = {"go.mod": "module x\n"}
    for layer in ("handler", "service", "repository"):
        for i in range(10):
            files[f"internal/{layer}/f{i}.go"] = "package x\n"
    files["zzz/only.go"] = "package z\n"
    proj = project(detected(files), ".")
    assert proj["architecture"] == "layered"
    assert proj["source_dirs"] == ["internal", "zzz"]


def test_index_patterns(make_repo: MakeRepo) -> None:
    names = ["a/App.csproj", "b/requirements-dev.txt", "requirements/base.txt", "notes.txt"]
    root = make_repo(dict.fromkeys([*names, "x/pyproject.toml"], ""))
    view = open_view(root, ["pyproject.toml", "*.csproj", "*requirements*.txt"])
    assert view.named("*.csproj") == ["a/App.csproj"]
    assert view.named("*requirements*.txt") == ["b/requirements-dev.txt", "requirements/base.txt"]
    assert view.named("pyproject.toml") == ["x/pyproject.toml"]
    assert view.exists("x/pyproject.toml") and not view.exists("pyproject.toml")
    assert view.children("") == (["a", "b", "requirements", "x"], ["notes.txt"])
    with pytest.raises(KeyError):
        view.named("setup.py")
