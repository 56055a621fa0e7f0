"""The rust template: what only it has, through the CLI (fast), and accepted by its own
toolchain (slow tier); what every stack does is in tests/test_stack_contract.py.

The slow tests generate a project, run ``cargo fmt --check``, ``cargo clippy`` with
warnings denied and ``cargo test``, then start the built binary and use it over HTTP.
Every project shares one cargo target folder outside the clone,
``$SCAFFOLD_TEST_CACHE/cargo-target`` (else ``~/.cache/scaffold-tests/cargo-target``), so
the dependencies are compiled once per machine, not once per test or per run.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from scaffold.commands.new import new_project
from scaffold.templates import get_stack
from tests.ecosystems.contract_http import (
    ALLOWED_ORIGIN,
    SHUTDOWN_DELAY,
    SHUTDOWN_TIMEOUT,
    error_details,
    probe_draining,
    request,
)
from tests.ecosystems.rust.stacks import RUST_FILES
from tests.ecosystems.rust.toolchain import CARGO, CARGO_ENV, cargo
from tests.ecosystems.servers import build_rust
from tests.ecosystems.service import (
    free_port,
    http_json,
    image_environment,
    psql,
    running_process,
    running_server,
)
from tests.helpers import CACHE_ROOT, assert_contains, files_under, recorded_answers, rendered

TEMPLATE = get_stack("rust").template

# The same project with `module_style=self_named` and `routes_module=handlers`: each
# `src/<m>/mod.rs` becomes `src/<m>.rs`, the children stay in `src/<m>/`.
SELF_NAMED_FILES = {
    f.replace("src/routes", "src/handlers").replace("/mod.rs", ".rs") for f in RUST_FILES
}

# --- fast: through the command line ----------------------------------------------------


def test_defaults_and_data_are_rendered(tmp_path: Path) -> None:
    target = tmp_path / "billing"
    lines = rendered(
        target, "rust", RUST_FILES,
        "crate_name=billing_core", "edition=2021", "rust_version=1.88.0",
        'description=Bills "and" \\ invoices', "author=Ada <ada@example.com>",
    )  # fmt: skip
    assert "  cargo test" in lines

    cargo_toml = (target / "Cargo.toml").read_text()
    for line in [
        'name = "billing"',
        'edition = "2021"',
        'rust-version = "1.88.0"',
        'description = "Bills \\"and\\" \\\\ invoices"',
        'authors = ["Ada <ada@example.com>"]',
        'resolver = "3"',
        '[lib]\nname = "billing_core"',
        'self_named_module_files = "deny"',
        'unsafe_code = "forbid"',
    ]:
        assert line in cargo_toml, line
    assert "use billing_core::Config;" in (target / "src/main.rs").read_text()
    assert "use billing_core::router;" in (target / "tests/api/support.rs").read_text()
    assert "ARG RUST_VERSION=1.88.0" in (target / "Dockerfile").read_text()
    assert "USER nonroot" in (target / "Dockerfile").read_text()
    answers = recorded_answers(target)
    assert "crate_name: billing_core" in answers
    assert "edition: '2021'" in answers


def sqlx_features(cargo_toml: str) -> list[str]:
    """The features the project asks of sqlx, from Cargo.toml's dependency table."""
    return cast(list[str], tomllib.loads(cargo_toml)["dependencies"]["sqlx"]["features"])


def test_sqlite_is_the_default_database(tmp_path: Path) -> None:
    result = new_project("rust", tmp_path / "stock-api", {})
    project = tmp_path / "stock-api"
    assert result.answers["database"] == "sqlite"
    assert "database: sqlite\n" in recorded_answers(project)
    cargo_toml = tomllib.loads((project / "Cargo.toml").read_text())
    sqlx = cargo_toml["dependencies"]["sqlx"]
    assert sqlx["default-features"] is False
    assert sorted(sqlx["features"]) == ["chrono", "macros", "migrate", "runtime-tokio", "sqlite"]
    assert cargo_toml["dependencies"]["utoipa"]["default-features"] is False
    assert {"cors", "set-header"} <= set(cargo_toml["dependencies"]["tower-http"]["features"])
    assert_contains(
        project / "migrations/0001_create_items.sql",
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        "name TEXT NOT NULL UNIQUE",
    )
    assert_contains(
        project / "src/config.rs",
        '|| "sqlite://stock-api.db".to_owned(),',
        'assert_eq!(config.database_url, "sqlite://stock-api.db");',
    )
    assert "pub type Db = sqlx::Sqlite;" in (project / "src/db.rs").read_text()
    assert "SqlitePoolOptions::new()" in (project / "tests/api/support.rs").read_text()
    assert image_environment(project / "Dockerfile")["DATABASE_URL"] == (
        "sqlite:///tmp/stock_api.db"
    )
    assert "COPY migrations ./migrations" in (project / "Dockerfile").read_text()
    compose = (project / "compose.yaml").read_text()
    assert "DATABASE_URL: sqlite:///tmp/stock_api.db" in compose
    assert "postgres" not in compose + (project / ".github/workflows/ci.yml").read_text()
    assert_contains(project / ".gitignore", "*.db\n")


def test_postgresql_compiles_in_its_driver_alone(tmp_path: Path) -> None:
    new_project("rust", tmp_path / "stock-api", {"database": "postgresql"})
    project = tmp_path / "stock-api"
    assert "database: postgresql\n" in recorded_answers(project)
    cargo_toml = (project / "Cargo.toml").read_text()
    assert sorted(sqlx_features(cargo_toml)) == [
        "chrono", "macros", "migrate", "postgres", "runtime-tokio",
    ]  # fmt: skip
    assert "sqlite" not in cargo_toml
    assert_contains(
        project / "migrations/0001_create_items.sql",
        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        "created_at TIMESTAMPTZ NOT NULL",
    )
    assert "pub type Db = sqlx::Postgres;" in (project / "src/db.rs").read_text()
    # No default: the service refuses to start without DATABASE_URL.
    config = (project / "src/config.rs").read_text()
    assert "sqlite" not in config
    assert 'name: "DATABASE_URL",' in config
    assert "DATABASE_URL" not in image_environment(project / "Dockerfile")
    assert "CREATE SCHEMA" in (project / "tests/api/support.rs").read_text()
    assert_contains(
        project / ".github/workflows/ci.yml",
        "image: postgres:18",
        "DATABASE_URL: postgres://postgres:postgres@localhost:5432/stock_api",
    )
    assert_contains(
        project / "compose.yaml",
        "POSTGRES_DB: stock_api",
        "DATABASE_URL: postgres://postgres:postgres@db:5432/stock_api",
    )
    assert "(needs DATABASE_URL)" in (project / "AGENTS.md").read_text()


def test_edition_2024_has_no_resolver_line(tmp_path: Path) -> None:
    new_project("rust", tmp_path / "svc", {})
    cargo_toml = (tmp_path / "svc" / "Cargo.toml").read_text()
    assert 'edition = "2024"' in cargo_toml
    assert "resolver" not in cargo_toml
    assert "authors" not in cargo_toml


def assert_layout(project: Path, module_style: str, routes_module: str) -> None:
    """Every module with submodules is declared the one way `module_style` names."""
    src = project / "src"
    folders = [p for p in src.rglob("*") if p.is_dir()]
    assert {f.relative_to(src).as_posix() for f in folders} == {"items", routes_module}
    for folder in folders:
        if module_style == "mod_rs":
            assert (folder / "mod.rs").is_file(), folder
            assert not folder.with_suffix(".rs").exists(), folder
        else:
            assert folder.with_suffix(".rs").is_file(), folder
            assert not (folder / "mod.rs").exists(), folder
    if module_style == "self_named":
        assert not list(project.rglob("mod.rs"))


def test_default_layout_is_unchanged(tmp_path: Path) -> None:
    result = new_project("rust", tmp_path / "svc", {})
    project = tmp_path / "svc"
    assert (result.answers["module_style"], result.answers["routes_module"]) == ("mod_rs", "routes")
    assert files_under(project) == RUST_FILES
    assert_layout(project, "mod_rs", "routes")

    cargo_toml = (project / "Cargo.toml").read_text()
    assert 'self_named_module_files = "deny"' in cargo_toml
    assert "mod_module_files" not in cargo_toml.replace("self_named_module_files", "")
    assert_contains(
        project / "src/lib.rs",
        "pub mod items;\npub mod routes;\npub mod server;",
        "pub use routes::{AppState, router};",
    )
    server = (project / "src/server.rs").read_text()
    assert "use crate::items::SqlStore;\nuse crate::routes::{AppState, router};" in server
    assert "src/routes/mod.rs      the router" in (project / "README.md").read_text()
    assert_contains(
        project / ".copier-answers.yml", "module_style: mod_rs\n", "routes_module: routes\n"
    )


def test_self_named_layout_with_another_routes_module(tmp_path: Path) -> None:
    answers = {"module_style": "self_named", "routes_module": "handlers"}
    result = new_project("rust", tmp_path / "svc", answers)
    project = tmp_path / "svc"
    assert {k: result.answers[k] for k in answers} == answers
    assert files_under(project) == SELF_NAMED_FILES
    assert_layout(project, "self_named", "handlers")

    cargo_toml = (project / "Cargo.toml").read_text()
    assert 'mod_module_files = "deny"' in cargo_toml
    assert "self_named_module_files" not in cargo_toml
    lib = (project / "src/lib.rs").read_text()
    # Sorted as rustfmt sorts them: `handlers` now comes before `items`.
    assert "pub mod extract;\npub mod handlers;\npub mod items;" in lib
    assert "pub use handlers::{AppState, router};" in lib
    assert "routes" not in lib
    server = (project / "src/server.rs").read_text()
    assert (
        "use crate::config::Config;\nuse crate::db;\nuse crate::handlers::{AppState, router};"
        in server
    )
    readme = assert_contains(
        project / "README.md",
        "src/handlers.rs        the router",
        "src/items.rs           the items domain",
        "`mod_module_files`",
    )
    assert "routes/" not in readme
    assert_contains(
        project / ".copier-answers.yml", "module_style: self_named\n", "routes_module: handlers\n"
    )


def test_both_layouts_render_the_same_module_bodies(tmp_path: Path) -> None:
    """One text per module: only the file names differ between the two styles."""
    a, b = tmp_path / "a" / "svc", tmp_path / "b" / "svc"
    new_project("rust", a, {})
    new_project("rust", b, {"module_style": "self_named"})
    for name in files_under(a) - {".copier-answers.yml", "AGENTS.md", "Cargo.toml", "README.md"}:
        other = name.replace("/mod.rs", ".rs")
        assert (a / name).read_text() == (b / other).read_text(), name
    for module in ("items", "routes"):
        # The shared body is included whole: its comment renders to nothing, no blank edges.
        text = (b / "src" / f"{module}.rs").read_text()
        assert text.startswith("//! "), text[:80]
        assert text.endswith("\n") and not text.endswith("\n\n"), text[-80:]


# --- slow: the generated project's own toolchain -----------------------------------------


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest) -> Iterator[tuple[str, str] | None]:
    """For a test of a PostgreSQL project: a new database on the tests' PostgreSQL server,
    as (server URL, database URL), dropped afterwards."""
    callspec = getattr(request.node, "callspec", None)
    answers = callspec.params["answers"] if callspec else {"database": "postgresql"}
    if answers.get("database") != "postgresql":
        yield None
        return
    server = request.getfixturevalue("postgres_url")
    name = f"scaffold_{uuid.uuid4().hex[:12]}"
    psql(server, f"CREATE DATABASE {name}")
    yield server, f"{server.rsplit('/', 1)[0]}/{name}"
    psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder", "answers"),
    [
        ("inventory-service", {}),
        ("inventory-2021", {"edition": "2021", "crate_name": "inventory_legacy"}),
        ("inventory-handlers", {"module_style": "self_named", "routes_module": "handlers"}),
        ("inventory-pg", {"database": "postgresql"}),
    ],
    ids=["defaults", "edition-2021", "self-named-handlers", "postgresql"],
)
def test_generated_service_passes_its_toolchain_and_serves_http(
    tmp_path: Path,
    folder: str,
    answers: dict[str, str],
    fresh_database: tuple[str, str] | None,
) -> None:
    project = tmp_path / folder
    result = new_project("rust", project, answers)
    assert result.answers["edition"] == answers.get("edition", "2024")
    module_style = answers.get("module_style", "mod_rs")
    routes_module = answers.get("routes_module", "routes")
    assert (result.answers["module_style"], result.answers["routes_module"]) == (
        module_style,
        routes_module,
    )
    assert_layout(project, module_style, routes_module)
    if module_style == "self_named":
        assert (project / "src" / f"{routes_module}.rs").is_file()
        assert not list(project.rglob("mod.rs"))

    # PostgreSQL: the project's tests and service use a database of their own; SQLite: the
    # tests use in-memory databases, the service its default file in the project's folder.
    database = {"DATABASE_URL": fresh_database[1]} if fresh_database else {}
    cargo(project, "fmt", "--check")
    cargo(project, "clippy", "--all-targets", "--", "-D", "warnings")
    tests = cargo(project, "test", env=database)
    assert "test result: ok." in tests and "FAILED" not in tests
    for test in [
        "health::health_is_ok",
        "health::not_ready_when_the_database_does_not_answer",
        "store::lists_filter_sort_and_paginate",
        "store::names_are_unique_as_stored",
        "http::cross_origin_access_is_closed_by_default",
        "http::cross_origin_access_is_granted_to_the_listed_origins_only",
        "http::the_openapi_document_names_every_route",
    ]:
        assert f"{test} ... ok" in tests, test
    cargo(project, "build", "--bins")
    assert (project / "Cargo.lock").is_file()

    binary = CACHE_ROOT / "cargo-target" / "debug" / folder
    port = free_port()
    env = {
        "HOST": "127.0.0.1", "PORT": str(port), "LOG_FORMAT": "json", "RUST_LOG": "info",
        **database,
    }  # fmt: skip
    # The HTTP contract is tests/ecosystems/test_service_contract.py's; here, that this
    # layout's binary serves, logs in JSON and shuts down gracefully, and that the items
    # outlive the process.
    with running_server([binary], cwd=project, port=port, env=env) as base:
        assert http_json("GET", base + "/health") == (200, {"status": "ok"})
        assert http_json("GET", base + "/ready") == (200, {"status": "ready"})
        status, created = http_json("POST", base + "/api/v1/items", {"name": "kept"})
        assert status == 201, created
    if not fresh_database:
        assert (project / f"{folder}.db").is_file()
    first_log = (project / f".server-{port}.log").read_text()
    with running_server([binary], cwd=project, port=port, env=env) as base:
        status, page = http_json("GET", base + "/api/v1/items")
        assert (status, page["items"]) == (200, [created])

    # running_server sent SIGTERM: the service logged it and shut down gracefully.
    for log in (first_log, (project / f".server-{port}.log").read_text()):
        assert "SIGTERM received, shutting down" in log, log
        assert '"message":"stopped"' in log, log


@pytest.mark.slow
def test_the_postgresql_service_needs_its_database_and_says_when_it_is_gone(
    tmp_path: Path, fresh_database: tuple[str, str] | None
) -> None:
    """Generated for PostgreSQL (whose HTTP contract tests/ecosystems/test_service_contract.py
    checks), the service refuses to start without its database, saying why in one line, and
    /ready answers 503 once the database is gone while /health still answers 200."""
    assert fresh_database
    server, url = fresh_database
    project = tmp_path / "inventory-pg"
    new_project("rust", project, {"database": "postgresql"})
    command = build_rust(project, None)
    # Without a database the service does not start, and says why in one line.
    for database_url, message in [
        ("", 'inventory-pg: DATABASE_URL="": expected a URL such as postgres://'),
        (f"{server.rsplit('/', 1)[0]}/no_such_database", "cannot connect to the database"),
    ]:
        env = {**os.environ, **command.env, "DATABASE_URL": database_url, "LOG_FORMAT": "text"}
        proc = subprocess.run(
            [str(command.argv[0])], env=env, capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 1, (proc.stdout, proc.stderr)
        assert message in proc.stdout + proc.stderr, (proc.stdout, proc.stderr)
    env = {
        **command.env,
        "DATABASE_URL": url,
        "SHUTDOWN_DELAY": str(SHUTDOWN_DELAY),
        "SHUTDOWN_TIMEOUT": str(SHUTDOWN_TIMEOUT),
        "CORS_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
    }
    with running_process(command.argv, command.cwd, command.port, env=env) as (base, process):
        assert request(base, "GET", "/ready").status == 200
        psql(server, f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)")
        error_details(request(base, "GET", "/ready"), 503, "unavailable")
        assert request(base, "GET", "/health").status == 200
        probe_draining(base, process)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module_style", "lint"),
    [("mod_rs", "self_named_module_files"), ("self_named", "mod_module_files")],
)
def test_clippy_refuses_the_other_module_style(
    tmp_path: Path, module_style: str, lint: str
) -> None:
    """The style is enforced, not only generated: a module declared the other way fails."""
    project = tmp_path / f"layout-{module_style.replace('_', '-')}"
    new_project("rust", project, {"module_style": module_style})
    items = project / "src" / "items"
    if module_style == "mod_rs":
        (items / "mod.rs").rename(project / "src" / "items.rs")
    else:
        (project / "src" / "items.rs").rename(items / "mod.rs")

    assert CARGO, "cargo is not on PATH: install Rust (rustup, with clippy and rustfmt)"
    proc = subprocess.run(
        [CARGO, "clippy", "--lib", "--", "-D", "warnings"],
        cwd=project,
        env={**os.environ, **CARGO_ENV},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode != 0, proc.stderr
    assert f"#{lint}" in proc.stderr, proc.stderr
