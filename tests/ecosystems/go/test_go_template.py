"""The go template: what only it has, through the CLI (fast), and accepted by its own
toolchain (slow tier); what every stack does is in tests/test_stack_contract.py.

The slow tests generate a project, check that ``gofmt -l .`` lists nothing and that
``go vet``, ``go test -race`` and ``golangci-lint run`` pass, then build the binary,
start it and use it over HTTP. Go keeps its module and build caches where it always
does (the conftest points GOPATH, GOMODCACHE and GOCACHE at the real home), and
golangci-lint v2 is expected on PATH or in ``$(go env GOPATH)/bin``, where
``bash .ci/install-go-tools`` puts it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from scaffold.commands.new import new_project
from scaffold.errors import InvalidAnswerError
from scaffold.templates import check_answers, get_stack, load_template
from tests.ecosystems import service
from tests.ecosystems.contract_http import probe_draining
from tests.ecosystems.go.stacks import (
    DEFAULT_LAYOUT,
    INTERNAL_PACKAGES,
    LAYOUT_KEYS,
    expected_files,
)
from tests.ecosystems.go.toolchain import go_tools
from tests.ecosystems.servers import fresh_postgres, serve
from tests.helpers import (
    assert_contains,
    files_under,
    planned,
    recorded_answers,
    refused_answers,
    rendered,
    run,
)

TEMPLATE = get_stack("go").template

# --- fast: through the command line ----------------------------------------------------


def test_dry_run_with_data_plans_the_library_and_the_binary(tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    payload = planned("go", str(target), data=("library=true", "binary_name=inventoryd"))
    assert payload["answers"]["library"] is True
    assert {f["path"] for f in payload["files"]} == expected_files("inventoryd", library=True)
    assert not target.exists()


def test_defaults_and_data_are_rendered(tmp_path: Path) -> None:
    target = tmp_path / "billing"
    rendered(
        target, "go", expected_files("billingd", library=True),
        "module_path=github.com/acme/billing", "binary_name=billingd", "go_version=1.25.3",
        "library=yes", 'description=Bills "and" invoices', "author=Ada <ada@example.com>",
    )  # fmt: skip

    go_mod = (target / "go.mod").read_text()
    assert go_mod.startswith("module github.com/acme/billing\n\ngo 1.25.3\n\nrequire (\n")
    for module in ("github.com/jackc/pgx/v5", "modernc.org/sqlite", "github.com/pressly/goose/v3"):
        assert f"\t{module} v" in go_mod, module
    main = (target / "cmd/billingd/main.go").read_text()
    assert '"github.com/acme/billing/internal/httpapi"' in main
    assert "{{" not in main
    assert (
        '"github.com/acme/billing/internal/items"'
        in (target / "pkg/client/client_test.go").read_text()
    )
    assert_contains(target / "Makefile", "BINARY        := billingd", "\tgo test -race ./...\n")
    assert_contains(
        target / "Dockerfile",
        "FROM golang:1.25.3 AS build",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "USER nonroot:nonroot",
    )
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
    answers = recorded_answers(target)
    assert "module_path: github.com/acme/billing" in answers
    assert "library: true" in answers
    assert "go_version: 1.25.3" in answers


def test_a_bare_minor_go_version_is_a_release_the_dependencies_accept(tmp_path: Path) -> None:
    # The modules go.mod requires need go 1.25.0, which the language version 1.25 is older
    # than: `go build` would ask for `go mod tidy`.
    new_project("go", tmp_path / "svc", {"go_version": "1.25"})
    assert "\ngo 1.25.0\n" in (tmp_path / "svc" / "go.mod").read_text()
    assert "FROM golang:1.25 AS build" in (tmp_path / "svc" / "Dockerfile").read_text()


def test_sqlite_is_the_default_database(tmp_path: Path) -> None:
    project = tmp_path / "stock-keeper"
    new_project("go", project, {})
    assert recorded_answers(project).count("database: sqlite") == 1
    config = (project / "internal/config/config.go").read_text()
    assert '\tDefaultDatabaseURL = "sqlite:stock-keeper.db"\n' in config
    compose = YAML(typ="safe", pure=True).load((project / "compose.yaml").read_text())
    assert set(compose["services"]) == {"app"}
    assert (
        compose["services"]["app"]["environment"]["DATABASE_URL"] == "sqlite:/tmp/stock_keeper.db"
    )
    assert "    DATABASE_URL=sqlite:/tmp/stock_keeper.db\n" in (project / "Dockerfile").read_text()
    workflow = YAML(typ="safe", pure=True).load((project / ".github/workflows/ci.yml").read_text())
    assert "services" not in workflow["jobs"]["check"]
    assert "*.db\n" in (project / ".gitignore").read_text()


def test_postgresql_is_the_default_database_when_chosen(tmp_path: Path) -> None:
    project = tmp_path / "stock-keeper"
    new_project("go", project, {"database": "postgresql"})
    config = (project / "internal/config/config.go").read_text()
    assert (
        '\tDefaultDatabaseURL = "postgres://postgres:postgres@127.0.0.1:5432/stock_keeper'
        '?sslmode=disable"\n'
    ) in config
    compose = YAML(typ="safe", pure=True).load((project / "compose.yaml").read_text())
    assert compose["services"]["db"]["environment"]["POSTGRES_DB"] == "stock_keeper"
    assert compose["services"]["app"]["environment"]["DATABASE_URL"] == (
        "postgres://postgres:postgres@db:5432/stock_keeper?sslmode=disable"
    )
    workflow = YAML(typ="safe", pure=True).load((project / ".github/workflows/ci.yml").read_text())
    check = workflow["jobs"]["check"]
    assert check["services"]["postgres"]["env"]["POSTGRES_DB"] == "stock_keeper"
    assert check["env"]["TEST_DATABASE_URL"].endswith("@localhost:5432/postgres?sslmode=disable")
    assert "DATABASE_URL=" not in (project / "Dockerfile").read_text()


def test_the_openapi_document_names_the_project(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    new_project("go", project, {"description": 'Keeps "stock" \\ counts'})
    document = json.loads((project / "internal/httpapi/openapi.json").read_text())
    assert document["info"] == {
        "title": "svc",
        "description": 'Keeps "stock" \\ counts',
        "version": "0.1.0",
    }


def test_without_library_there_is_no_pkg_folder(tmp_path: Path) -> None:
    new_project("go", tmp_path / "svc", {})
    assert not (tmp_path / "svc" / "pkg").exists()
    readme = (tmp_path / "svc" / "README.md").read_text()
    assert "pkg/client" not in readme
    assert "Author:" not in readme


# --- fast: the layout folders ----------------------------------------------------------


def test_the_layout_questions_come_last() -> None:
    config = YAML(typ="safe", pure=True).load((TEMPLATE / "copier.yml").read_text())
    questions = [key for key in config if not key.startswith("_")]
    assert tuple(questions[-3:]) == LAYOUT_KEYS


def test_dry_run_plans_a_team_layout(tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    options = ("library=true", "cmd_dir=app", "internal_dir=private", "pkg_dir=lib")
    payload = planned("go", str(target), data=options)
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
    assert {p.name for p in project.iterdir() if p.is_dir()} == {".github", "app"}

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

    assert_contains(
        project / "Makefile",
        "CMD_DIR       := app/cmd\n",
        "\tgo build -trimpath -o $(BIN_DIR)/$(BINARY) ./$(CMD_DIR)/$(BINARY)\n",
        "\tgo run ./$(CMD_DIR)/$(BINARY)\n",
    )
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


# --- slow: the generated project's own toolchain ---------------------------------------


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
@pytest.mark.parametrize("variant", ["defaults", "library", "postgresql", *TEAM_LAYOUTS])
def test_generated_project_passes_its_toolchain_and_serves(
    tmp_path: Path, variant: str, variant_database: str | None
) -> None:
    tools = go_tools()
    answers: dict[str, Any] = dict(TEAM_LAYOUTS.get(variant, {}))
    if variant == "postgresql":
        answers = {"database": "postgresql"}
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
    # The repository's tests use SQLite, or the database TEST_DATABASE_URL names.
    test_env = tools.env | ({"TEST_DATABASE_URL": variant_database} if variant_database else {})
    tested = run([tools.go, "test", "-race", "-count=1", "./..."], project, test_env)
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
    port = service.free_port()
    log = project / f".server-{port}.log"
    server_env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug"}
    if variant_database:
        server_env["DATABASE_URL"] = variant_database
    # The HTTP contract is tests/ecosystems/test_service_contract.py's; here, that this
    # layout's binary serves and logs.
    with service.running_server([project / "bin" / binary], project, port, env=server_env) as base:
        service.check_health(base)

    # running_server stops the process with SIGTERM: it must have shut down gracefully,
    # logging JSON all along.
    requests = service.logged_requests(log)
    assert any(r["level"] == "DEBUG" and r["path"] == "/health" for r in requests)
    if not variant_database:
        # No DATABASE_URL: the service made and migrated the default SQLite file.
        assert (project / f"{result.answers['project_name']}.db").is_file()


@pytest.mark.slow
def test_ready_answers_503_once_the_postgresql_database_is_gone(
    tmp_path: Path, postgres_url: str
) -> None:
    """The service generated for PostgreSQL, migrated by its `migrate` command (the HTTP
    contract on PostgreSQL is tests/ecosystems/test_service_contract.py's): once its
    database is gone, /ready answers 503 while /health still answers 200."""
    with (
        fresh_postgres(postgres_url) as database,
        serve("go", tmp_path / "inventory", {"database": "postgresql"}, database) as running,
    ):
        query = "SELECT version_id FROM goose_db_version ORDER BY id"
        assert run(["psql", database.url(), "-tAc", query], tmp_path).stdout.split() == ["0", "1"]
        service.check_health(running.base)
        service.psql(postgres_url, f"DROP DATABASE {database.name} WITH (FORCE)")
        assert service.http_json("GET", running.base + "/ready")[0] == 503
        assert service.http_json("GET", running.base + "/health") == (200, {"status": "ok"})
        probe_draining(running.base, running.process)
