"""The go template: planned and refused through the CLI (fast), and accepted by its own
toolchain (slow tier).

The slow tests generate a project, check that ``gofmt -l .`` lists nothing and that
``go vet``, ``go test -race`` and ``golangci-lint run`` pass, then build the binary,
start it and use it over HTTP. Go keeps its module and build caches where it always
does (the conftest points GOPATH, GOMODCACHE and GOCACHE at the real home), and
golangci-lint v2 is expected on PATH or in ``$(go env GOPATH)/bin``, where
``bash .ci/install-go-tools`` puts it.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from scaffold.errors import InvalidAnswerError
from scaffold.templates import check_answers, load_template
from tests.helpers import (
    REPO_ROOT,
    check_error,
    copier_refuses,
    files_under,
    free_port,
    http_json,
    refused_answers,
    run,
    running_server,
    tree_digest,
)

TEMPLATE = REPO_ROOT / "templates" / "go"

# Captured at import, before the autouse fixture swaps HOME for a temporary folder:
# golangci-lint keeps its analysis cache there, outside the clone, across runs.
GOLANGCI_LINT_CACHE = os.environ.get("GOLANGCI_LINT_CACHE") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "golangci-lint")
)

GO_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".gitignore",
    "AGENTS.md",
    ".golangci.yml",
    "Dockerfile",
    "Makefile",
    "README.md",
    "go.mod",
}
# Under internal_dir, and under pkg_dir with the library.
INTERNAL_FILES = {
    "config/config.go",
    "config/config_test.go",
    "httpapi/api.go",
    "httpapi/api_test.go",
    "httpapi/items.go",
    "httpapi/middleware.go",
    "httpapi/request.go",
    "httpapi/response.go",
    "items/items.go",
    "items/service.go",
    "items/service_test.go",
    "server/server.go",
    "server/server_test.go",
    "storage/memory/memory.go",
    "storage/memory/memory_test.go",
}
LIBRARY_FILES = {"client/client.go", "client/client_test.go", "client/example_test.go"}
INTERNAL_PACKAGES = ("config", "httpapi", "items", "server", "storage/memory")
DEFAULT_LAYOUT = {"cmd_dir": "cmd", "internal_dir": "internal", "pkg_dir": "pkg"}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)


def expected_files(
    binary_name: str,
    *,
    library: bool = False,
    cmd_dir: str = "cmd",
    internal_dir: str = "internal",
    pkg_dir: str = "pkg",
) -> set[str]:
    return (
        GO_FILES
        | {f"{cmd_dir}/{binary_name}/main.go"}
        | {f"{internal_dir}/{name}" for name in INTERNAL_FILES}
        | ({f"{pkg_dir}/{name}" for name in LIBRARY_FILES} if library else set())
    )


# --- fast: through the command line ----------------------------------------------------


def test_listed_with_its_metadata(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.split()[0] == "go")
    assert "net/http" in line

    listed = json.loads(runner.invoke(app, ["new", "--list", "--json"]).output)
    go = next(s for s in listed["stacks"] if s["id"] == "go")
    assert (go["language"], go["framework"]) == ("go", None)


def test_dry_run_json_lists_the_files_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    before = tree_digest(tmp_path)
    result = runner.invoke(app, ["new", "go", str(target), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["stack"], payload["dry_run"], payload["target"]) == ("go", True, str(target))
    assert payload["answers"] == {
        "adopted": False,
        "author": "",
        "binary_name": "inventory",
        "cmd_dir": "cmd",
        "description": "An HTTP service written in Go",
        "go_version": "1.26",
        "internal_dir": "internal",
        "library": False,
        "module_path": "example.com/inventory",
        "pkg_dir": "pkg",
        "project_name": "inventory",
    }
    assert {f["path"] for f in payload["files"]} == expected_files("inventory")
    assert {f["action"] for f in payload["files"]} == {"create"}
    assert payload["next_steps"] == ["cd inventory", "make test", "make lint", "make run"]
    assert not target.exists()
    assert tree_digest(tmp_path) == before


def test_dry_run_with_data_plans_the_library_and_the_binary(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "inventory"
    result = runner.invoke(
        app,
        [
            "new", "go", str(target), "--dry-run", "--json",
            "--data", "library=true", "--data", "binary_name=inventoryd",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["answers"]["library"] is True
    assert {f["path"] for f in payload["files"]} == expected_files("inventoryd", library=True)
    assert not target.exists()


def test_dry_run_text_shows_the_tree(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "go", str(tmp_path / "svc"), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Dry run: would create {len(expected_files('svc'))} files in ")
    assert any(line.endswith("internal/") for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_defaults_and_data_are_rendered(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "billing"
    result = runner.invoke(
        app,
        [
            "new", "go", str(target), "--defaults",
            "--data", "module_path=github.com/acme/billing", "--data", "binary_name=billingd",
            "--data", "go_version=1.25.3", "--data", "library=yes",
            "--data", 'description=Bills "and" invoices', "--data", "author=Ada <ada@example.com>",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Created {target} (go, {len(expected_files('billingd', library=True))} files)."
    )
    assert files_under(target) == expected_files("billingd", library=True)

    assert (target / "go.mod").read_text() == "module github.com/acme/billing\n\ngo 1.25.3\n"
    main = (target / "cmd/billingd/main.go").read_text()
    assert '"github.com/acme/billing/internal/httpapi"' in main
    assert "{{" not in main
    assert (
        '"github.com/acme/billing/internal/items"'
        in (target / "pkg/client/client_test.go").read_text()
    )
    makefile = (target / "Makefile").read_text()
    assert "BINARY        := billingd" in makefile
    assert "\tgo test -race ./...\n" in makefile
    dockerfile = (target / "Dockerfile").read_text()
    assert "FROM golang:1.25.3 AS build" in dockerfile
    assert "FROM gcr.io/distroless/static-debian12:nonroot" in dockerfile
    assert "USER nonroot:nonroot" in dockerfile
    golangci = YAML(typ="safe", pure=True).load((target / ".golangci.yml").read_text())
    assert golangci["version"] == "2"
    assert golangci["linters"]["default"] == "standard"
    assert {
        "bodyclose", "errorlint", "gocritic", "gosec", "misspell", "revive", "unconvert",
    } <= set(golangci["linters"]["enable"])  # fmt: skip
    assert golangci["formatters"]["enable"] == ["gofmt", "goimports"]
    assert golangci["formatters"]["settings"]["goimports"]["local-prefixes"] == [
        "github.com/acme/billing"
    ]
    readme = (target / "README.md").read_text()
    assert readme.startswith('# billing\n\nBills "and" invoices\n')
    assert "Author: Ada <ada@example.com>" in readme
    assert "pkg/client" in readme
    answers = (target / ".copier-answers.yml").read_text()
    assert answers.startswith("# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n")
    assert "module_path: github.com/acme/billing" in answers
    assert "library: true" in answers
    assert "go_version: 1.25.3" in answers


def test_without_library_there_is_no_pkg_folder(tmp_path: Path) -> None:
    new_project("go", tmp_path / "svc", {})
    assert not (tmp_path / "svc" / "pkg").exists()
    readme = (tmp_path / "svc" / "README.md").read_text()
    assert "pkg/client" not in readme
    assert "Author:" not in readme


# --- fast: the layout folders ----------------------------------------------------------


def test_layout_questions_are_recorded_but_never_asked() -> None:
    config = YAML(typ="safe", pure=True).load((TEMPLATE / "copier.yml").read_text())
    questions = [key for key in config if not key.startswith("_")]
    assert tuple(questions[-3:]) == LAYOUT_KEYS
    for key, default in DEFAULT_LAYOUT.items():
        assert config[key]["ask"] is False, key
        assert (config[key]["type"], config[key]["default"]) == ("str", default)
        assert config[key]["help"] and config[key]["validator"], key


def test_dry_run_plans_a_team_layout(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    result = runner.invoke(
        app,
        [
            "new", "go", str(target), "--dry-run", "--json", "--data", "library=true",
            "--data", "cmd_dir=app", "--data", "internal_dir=private", "--data", "pkg_dir=lib",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    layout = {"cmd_dir": "app", "internal_dir": "private", "pkg_dir": "lib"}
    assert {key: payload["answers"][key] for key in LAYOUT_KEYS} == layout
    assert {f["path"] for f in payload["files"]} == expected_files(
        "inventory", library=True, **layout
    )
    assert not target.exists()


def test_nested_layout_folders_are_used_everywhere(tmp_path: Path) -> None:
    layout = {"cmd_dir": "app/cmd", "internal_dir": "app/internal/core", "pkg_dir": "app/lib"}
    project = tmp_path / "billing"
    answers = {"module_path": "github.com/acme/billing", "library": True, **layout}
    new_project("go", project, answers)
    assert files_under(project) == expected_files("billing", library=True, **layout)
    assert {p.name for p in project.iterdir() if p.is_dir()} == {"app"}

    module = "github.com/acme/billing"
    main = (project / "app/cmd/billing/main.go").read_text()
    assert f'"{module}/app/internal/core/httpapi"' in main
    assert "// which lives under app/internal/core/.\n" in main
    # gofmt keeps each import group sorted: here the public package comes first.
    imports = (project / "app/lib/client/client_test.go").read_text().split("\n\n")[2]
    assert imports.splitlines() == [
        f'\t"{module}/app/internal/core/httpapi"',
        f'\t"{module}/app/internal/core/items"',
        f'\t"{module}/app/internal/core/storage/memory"',
        f'\t"{module}/app/lib/client"',
        ")",
    ]
    for path in project.rglob("*.go"):
        text = path.read_text()
        assert f"{module}/internal/" not in text and f"{module}/pkg/" not in text, path
        assert "{{" not in text and "{%" not in text, path

    makefile = (project / "Makefile").read_text()
    assert "CMD_DIR       := app/cmd\n" in makefile
    assert "\tgo build -trimpath -o $(BIN_DIR)/$(BINARY) ./$(CMD_DIR)/$(BINARY)\n" in makefile
    assert "\tgo run ./$(CMD_DIR)/$(BINARY)\n" in makefile
    assert "-o /out/billing ./app/cmd/billing\n" in (project / "Dockerfile").read_text()
    readme = (project / "README.md").read_text()
    for folder in ("app/cmd/billing/", "app/internal/core/config/", "app/lib/client/"):
        assert f"- `{folder}`" in readme
    assert f'import "{module}/app/lib/client"' in readme
    assert "Other modules cannot import the code under `app/internal/core/`" in readme
    assert "./cmd/" not in readme and "`internal/" not in readme and "`pkg/" not in readme
    recorded = YAML(typ="safe", pure=True).load((project / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in LAYOUT_KEYS} == layout


def test_the_readme_says_when_the_internal_folder_is_not_protected(tmp_path: Path) -> None:
    new_project("go", tmp_path / "svc", {"internal_dir": "private", "pkg_dir": "lib"})
    readme = (tmp_path / "svc" / "README.md").read_text()
    assert "Other modules can import the code under `private/`" in readme
    assert "Add a public package under `lib/` when other modules" in readme
    default = tmp_path / "default"
    new_project("go", default, {})
    assert (
        "Other modules cannot import the code under `internal/`"
        in (default / "README.md").read_text()
    )


@pytest.mark.parametrize("key", LAYOUT_KEYS)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("../x", "must stay inside the project: no . or .. folders"),
        ("/abs", "must be a relative folder path, with no leading or trailing /"),
        ("a//b", "must not hold an empty folder name (//)"),
        ("Bad", "use lowercase letters, digits, underscores and hyphens, with / between folders"),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_bad_layout_folders_are_one_line_usage_errors(
    tmp_path: Path, key: str, value: str, message: str, dry_run: bool
) -> None:
    line = refused_answers("go", tmp_path, ["{dir}", "--data", f"{key}={value}"], dry_run=dry_run)
    assert line == f"scaffold: error: {key}={value!r}: {message}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{dir}", "--data", "project_name=../x"], "project_name='../x': use lowercase letters"),
        (["{dir}", "--data", "project_name=Bad Name"], "project_name='Bad Name': use lowercase letters"),
        (["{dir}/Bad Name"], "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): use lowercase letters"),
        (["{dir}", "--data", "module_path=example.com/my service"], "module_path='example.com/my service': a module path may only contain"),
        (["{dir}", "--data", "module_path=example.com/../x"], "module_path='example.com/../x': no element of a module path may start or end with a dot"),
        (["{dir}", "--data", "module_path=Example.com/x"], "module_path='Example.com/x': the first element of a module path must be lowercase"),
        (["{dir}", "--data", "binary_name=bin/server"], "binary_name='bin/server': use lowercase letters, digits, hyphens and underscores"),
        (["{dir}", "--data", "go_version=1.21"], "go_version='1.21': use a Go release such as 1.26"),
        (["{dir}", "--data", "library=maybe"], "library: 'maybe' is not true or false"),
        (["{dir}", "--data", "package=x"], "unknown answer 'package' for this stack"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_bad_answers_are_one_line_usage_errors(
    tmp_path: Path, args: list[str], message: str, dry_run: bool
) -> None:
    assert message in refused_answers("go", tmp_path, args, dry_run=dry_run)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("project_name", "my-service"),
        ("project_name", "a1"),
        ("module_path", "example.com/my-service"),
        ("module_path", "github.com/Acme/Service_v2/v2"),
        ("module_path", "myservice"),
        ("module_path", "gitlab.com/group/sub.group/pkg~x"),
        ("binary_name", "my_service"),
        ("binary_name", "svc-2"),
        ("go_version", "1.25"),
        ("go_version", "1.26.8"),
        ("description", ""),
        ("cmd_dir", "app"),
        ("cmd_dir", "cmd/tools"),
        ("cmd_dir", "x/y/z"),
        ("internal_dir", "private"),
        ("internal_dir", "internal/core"),
        ("internal_dir", "internal/app/core"),
        ("internal_dir", "core-2"),
        ("pkg_dir", "lib"),
        ("pkg_dir", "pkg/public_api"),
        ("pkg_dir", "2lib"),
    ],
)
def test_validators_accept(key: str, value: str) -> None:
    spec = load_template(TEMPLATE)
    assert check_answers(spec, {key: value}) == {key: value}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("project_name", ""),
        ("project_name", "a/b"),
        ("project_name", "{{x}}"),
        ("project_name", "x; rm -rf /"),
        ("project_name", "trailing-"),
        ("project_name", "1st"),
        ("module_path", ""),
        ("module_path", "/abs/path"),
        ("module_path", "example.com/"),
        ("module_path", "example.com//x"),
        ("module_path", ".hidden/x"),
        ("module_path", "example.com/x."),
        ("module_path", "example.com/x\ty"),
        ("module_path", 'example.com/"quoted"'),
        ("module_path", "ex_ample.com/x"),
        ("module_path", "-flag/x"),
        ("binary_name", ""),
        ("binary_name", "Server"),
        ("binary_name", "../server"),
        ("binary_name", "server_"),
        ("binary_name", "server.exe"),
        ("go_version", "1"),
        ("go_version", "1.23"),
        ("go_version", "1.24"),
        ("go_version", "2.0"),
        ("go_version", "1.24rc1"),
        ("go_version", "1.24."),
        ("go_version", "1.24.0.1"),
        ("go_version", "go1.24"),
        ("description", "two\nlines"),
        ("author", "two\nlines"),
    ],
)
def test_validators_refuse(key: str, value: str) -> None:
    spec = load_template(TEMPLATE)
    with pytest.raises(InvalidAnswerError, match=f"^{key}="):
        check_answers(spec, {key: value})


@pytest.mark.parametrize("key", LAYOUT_KEYS)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        ("../x", "no . or .. folders"),
        ("a/./b", "no . or .. folders"),
        ("..", "no . or .. folders"),
        ("/abs", "no leading or trailing /"),
        ("abs/", "no leading or trailing /"),
        ("a//b", "empty folder name"),
        ("Bad", "use lowercase letters"),
        ("a b", "use lowercase letters"),
        ("a.b", "use lowercase letters"),
        ("a\\b", "use lowercase letters"),
        ("{{x}}", "use lowercase letters"),
        ("a/b/c/d", "use at most 3 folders"),
        ("_x", "start each folder name with a lowercase letter or a digit"),
        ("x/-y", "start each folder name with a lowercase letter or a digit"),
        ("x/vendor", "vendor and testdata"),
        ("testdata", "vendor and testdata"),
        ("aux", "not allowed in Go import paths"),
        ("x/lpt1", "not allowed in Go import paths"),
        ("bin", "bin/ and dist/ hold build output"),
        ("dist/x", "bin/ and dist/ hold build output"),
    ],
)
def test_layout_validators_refuse(key: str, value: str, message: str) -> None:
    spec = load_template(TEMPLATE)
    with pytest.raises(
        InvalidAnswerError, match=f"^{re.escape(f'{key}={value!r}: ')}.*{re.escape(message)}"
    ):
        check_answers(spec, {key: value})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"internal_dir": "cmd"}, "internal_dir='cmd': must not be, hold or lie inside cmd_dir (cmd)"),
        ({"cmd_dir": "internal/cmd"}, "cmd_dir='internal/cmd': must not be, hold or lie inside internal_dir (internal)"),
        ({"pkg_dir": "internal"}, "pkg_dir='internal': must not be, hold or lie inside internal_dir (internal)"),
        ({"cmd_dir": "app", "pkg_dir": "app/lib"}, "cmd_dir='app': must not be, hold or lie inside pkg_dir (app/lib)"),
        ({"internal_dir": "app/internal"}, "internal_dir='app/internal': Go lets only code under app/ import app/internal, so cmd_dir (cmd) must be under app/ too"),
        ({"cmd_dir": "app/cmd", "internal_dir": "app/internal", "library": True}, "internal_dir='app/internal': Go lets only code under app/ import app/internal, so pkg_dir (pkg) must be under app/ too"),
        ({"library": True, "pkg_dir": "lib", "cmd_dir": "x/cmd", "internal_dir": "x/internal/y"}, "pkg_dir='lib': Go lets only code under x/ import x/internal/y, so pkg_dir (lib) must be under x/ too"),
    ],
)  # fmt: skip
def test_layout_folders_must_fit_together(answers: dict[str, Any], message: str) -> None:
    spec = load_template(TEMPLATE)
    with pytest.raises(InvalidAnswerError, match=f"^{re.escape(message)}$"):
        check_answers(spec, answers)


@pytest.mark.parametrize(
    "answers",
    [
        {"cmd_dir": "app/cmd", "internal_dir": "app/internal"},
        {"cmd_dir": "app/cmd", "internal_dir": "app/internal", "pkg_dir": "app/pkg", "library": True},
        {"cmd_dir": "app", "internal_dir": "private", "pkg_dir": "lib"},
        {"internal_dir": "internal/core", "pkg_dir": "internal-api"},
    ],
)  # fmt: skip
def test_layout_folders_that_fit_together(answers: dict[str, Any]) -> None:
    assert check_answers(load_template(TEMPLATE), answers) == answers


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("module_path", "example.com/a b"),
        ("binary_name", "a/b"),
        ("go_version", "1.2"),
        ("cmd_dir", "../x"),
        ("internal_dir", "a//b"),
        ("pkg_dir", "Bad"),
        ("cmd_dir", "internal"),  # checked against internal_dir's default, asked later
    ],
)
def test_plain_copier_refuses_the_same_answers(tmp_path: Path, key: str, value: str) -> None:
    copier_refuses(TEMPLATE, tmp_path / "out", key, value, "go.mod")


# --- slow: the generated project's own toolchain ---------------------------------------


@dataclass(frozen=True)
class GoTools:
    go: str
    gofmt: str
    golangci_lint: str
    version: tuple[int, int]
    env: dict[str, str]


@functools.cache
def go_tools() -> GoTools:
    """The Go toolchain and golangci-lint v2; the test fails (never skips) without them."""
    go = shutil.which("go")
    if go is None:
        pytest.fail("go is not on PATH: the go template's slow tests need Go 1.26 or newer")
    proc = subprocess.run(
        [go, "env", "-json", "GOROOT", "GOPATH", "GOBIN", "GOVERSION"],
        capture_output=True,
        text=True,
        check=True,
    )
    goenv = json.loads(proc.stdout)
    major, minor = goenv["GOVERSION"].removeprefix("go").split(".")[:2]
    gofmt = shutil.which("gofmt") or str(Path(goenv["GOROOT"], "bin", "gofmt"))

    candidates = [shutil.which("golangci-lint")]
    if goenv["GOBIN"]:
        candidates.append(str(Path(goenv["GOBIN"], "golangci-lint")))
    candidates += [
        str(Path(p, "bin", "golangci-lint")) for p in goenv["GOPATH"].split(os.pathsep) if p
    ]
    found = []
    for candidate in dict.fromkeys(c for c in candidates if c and os.access(c, os.X_OK)):
        proc = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False)
        version = (proc.stdout + proc.stderr).strip()
        if "version 2." in version:
            lint = candidate
            break
        found.append(f"{candidate} ({version or 'no version'})")
    else:
        where = f"; found only {', '.join(found)}" if found else ""
        pytest.fail(
            f"golangci-lint v2 is not on PATH nor in $(go env GOPATH)/bin{where}; "
            "install the pinned version with: bash .ci/install-go-tools"
        )
    env = {
        # The generated project needs nothing but the standard library: prove it builds
        # offline, with the Go installed here and no toolchain download.
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-buildvcs=false",
        "CGO_ENABLED": "1",  # for -race
        "GOLANGCI_LINT_CACHE": GOLANGCI_LINT_CACHE,
    }
    return GoTools(go, gofmt, lint, (int(major), int(minor)), env)


def exercise_the_api(base: str) -> None:
    assert http_json("GET", base + "/health") == (200, {"status": "ok"})
    assert http_json("GET", base + "/ready") == (200, {"status": "ready"})

    status, created = http_json(
        "POST", base + "/api/v1/items", {"name": "  widget  ", "description": "blue"}
    )
    assert status == 201, created
    assert set(created) == {"id", "name", "description", "created_at", "updated_at"}
    assert (created["name"], created["description"]) == ("widget", "blue")
    assert isinstance(created["id"], int)
    stamp = datetime.fromisoformat(created["created_at"])
    offset = stamp.utcoffset()
    assert offset is not None and offset.total_seconds() == 0
    status, _ = http_json("POST", base + "/api/v1/items", {"name": "gadget", "description": None})
    assert status == 201

    status, page = http_json("GET", base + "/api/v1/items")
    assert status == 200, page
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert page["items"][0] == created
    status, page = http_json("GET", base + "/api/v1/items?name=GAD&sort=-id&limit=5")
    assert status == 200, page
    assert [i["name"] for i in page["items"]] == ["gadget"]
    assert (page["total"], page["limit"]) == (1, 5)
    status, page = http_json("GET", base + "/api/v1/items?sort=-name&limit=1&offset=0")
    assert [i["name"] for i in page["items"]] == ["widget"]

    status, body = http_json("GET", base + "/api/v1/items/999")
    check_error(status, body, 404, "not_found")
    assert body["error"]["message"] == "item 999 not found"

    status, body = http_json("POST", base + "/api/v1/items", {"name": ""})
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["name"]
    status, body = http_json("POST", base + "/api/v1/items", {"description": 5})
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["name", "description"]
    status, body = http_json("GET", base + "/api/v1/items?limit=1000&sort=size")
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["limit", "sort"]

    status, body = http_json("POST", base + "/api/v1/items", {"name": "widget"})
    check_error(status, body, 409, "conflict")
    status, body = http_json("PUT", base + "/api/v1/items/1", {"name": "x"})
    check_error(status, body, 405, "method_not_allowed")

    item_url = f"{base}/api/v1/items/{created['id']}"
    status, updated = http_json("PATCH", item_url, {"description": None})
    assert status == 200, updated
    assert (updated["name"], updated["description"]) == ("widget", None)
    assert updated["updated_at"] >= updated["created_at"]
    assert http_json("DELETE", item_url) == (204, None)
    status, body = http_json("GET", item_url)
    check_error(status, body, 404, "not_found")


# A team's own layout folders, flat and nested (an internal folder below the module root
# lets only the code beside it import it, so the other folders sit there too).
TEAM_LAYOUTS: dict[str, dict[str, Any]] = {
    "team-layout": {"cmd_dir": "app", "internal_dir": "private", "pkg_dir": "lib", "library": True},
    "nested-layout": {
        "cmd_dir": "app/cmd",
        "internal_dir": "app/internal/core",
        "pkg_dir": "app/lib",
        "library": True,
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["defaults", "library", *TEAM_LAYOUTS])
def test_generated_project_passes_its_toolchain_and_serves(tmp_path: Path, variant: str) -> None:
    tools = go_tools()
    answers: dict[str, Any] = dict(TEAM_LAYOUTS.get(variant, {}))
    if variant == "library":
        # The newest language version the installed Go knows, with the public package.
        answers = {
            "library": True,
            "module_path": "github.com/acme/inventory",
            "binary_name": "inventoryd",
            "go_version": f"{tools.version[0]}.{tools.version[1]}",
        }
    project = tmp_path / "inventory"
    result = new_project("go", project, answers)
    binary = result.answers["binary_name"]
    library = result.answers["library"]
    layout = {key: result.answers[key] for key in LAYOUT_KEYS}
    assert layout == {key: answers.get(key, default) for key, default in DEFAULT_LAYOUT.items()}
    assert files_under(project) == expected_files(binary, library=library, **layout)
    if variant == "team-layout":
        assert (project / "app" / binary / "main.go").is_file()
        assert (project / "private" / "httpapi" / "api.go").is_file()
        assert (project / "lib" / "client" / "client.go").is_file()
    if variant in TEAM_LAYOUTS:
        for folder in ("cmd", "internal", "pkg"):
            assert not (project / folder).exists(), folder

    fmt = run([tools.gofmt, "-l", "."], project, tools.env)
    assert fmt.stdout == "", f"gofmt would change:\n{fmt.stdout}"
    run([tools.go, "vet", "./..."], project, tools.env)
    tested = run([tools.go, "test", "-race", "-count=1", "./..."], project, tools.env)
    module = result.answers["module_path"]
    packages = [f"{layout['internal_dir']}/{p}" for p in INTERNAL_PACKAGES]
    if library:
        packages.append(f"{layout['pkg_dir']}/client")
    for package in packages:
        assert f"ok  \t{module}/{package}\t" in tested.stdout, tested.stdout
    lint = run([tools.golangci_lint, "run", "./..."], project, tools.env)
    assert "0 issues" in lint.stdout, lint.stdout

    main_package = f"./{layout['cmd_dir']}/{binary}"
    run([tools.go, "build", "-o", f"bin/{binary}", main_package], project, tools.env)
    port = free_port()
    log = project / f".server-{port}.log"
    server_env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug"}
    with running_server([project / "bin" / binary], project, port, env=server_env) as base:
        exercise_the_api(base)

    # running_server stops the process with SIGTERM: it must have shut down gracefully,
    # logging JSON all along.
    records = [json.loads(line) for line in log.read_text().splitlines()]
    messages = [r["msg"] for r in records]
    assert messages[0] == "listening", messages
    assert messages[-2:] == ["shutting down", "stopped"], messages
    requests = [r for r in records if r["msg"] == "request"]
    assert {"method", "path", "status", "duration_ms"} <= set(requests[-1]), requests[-1]
    assert any(r["level"] == "DEBUG" and r["path"] == "/health" for r in requests)
