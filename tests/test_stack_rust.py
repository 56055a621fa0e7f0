"""The rust template: planned and refused through the CLI (fast), and accepted by its own
toolchain (slow tier).

The slow tests generate a project, run ``cargo fmt --check``, ``cargo clippy`` with
warnings denied and ``cargo test``, then start the built binary and use it over HTTP.
Every project shares one cargo target folder outside the clone,
``$SCAFFOLD_TEST_CACHE/cargo-target`` (else ``~/.cache/scaffold-tests/cargo-target``), so
the dependencies are compiled once per machine, not once per test or per run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from tests.helpers import (
    CACHE_ROOT,
    REPO_ROOT,
    files_under,
    free_port,
    http_json,
    refused_answers,
    run,
    running_server,
    toolchain_cache_env,
    tree_digest,
)

TEMPLATE = REPO_ROOT / "templates" / "rust"

RUST_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".gitignore",
    "AGENTS.md",
    "Cargo.toml",
    "Dockerfile",
    "README.md",
    "clippy.toml",
    "rustfmt.toml",
    "src/config.rs",
    "src/error.rs",
    "src/extract.rs",
    "src/items/memory.rs",
    "src/items/mod.rs",
    "src/items/model.rs",
    "src/items/store.rs",
    "src/lib.rs",
    "src/main.rs",
    "src/routes/health.rs",
    "src/routes/items.rs",
    "src/routes/mod.rs",
    "src/server.rs",
    "src/telemetry.rs",
    "tests/api/health.rs",
    "tests/api/items.rs",
    "tests/api/main.rs",
    "tests/api/support.rs",
}

# The same project with `module_style=self_named` and `routes_module=handlers`: each
# `src/<m>/mod.rs` becomes `src/<m>.rs`, the children stay in `src/<m>/`.
SELF_NAMED_FILES = {
    f.replace("src/routes", "src/handlers").replace("/mod.rs", ".rs") for f in RUST_FILES
}

# Captured at import, before the autouse fixture swaps HOME for a temporary folder:
# cargo and rustup find the registry cache and the toolchains through these.
CARGO = shutil.which("cargo")
CARGO_ENV = {
    **{k: v for k, v in toolchain_cache_env().items() if k in ("CARGO_HOME", "RUSTUP_HOME")},
    "CARGO_TARGET_DIR": str(CACHE_ROOT / "cargo-target"),
    # Incremental data is useless for a project built once, in a folder used once.
    "CARGO_INCREMENTAL": "0",
    # No debug info: smaller, faster builds; the tests read panics, not debuggers.
    "CARGO_PROFILE_DEV_DEBUG": "0",
    "CARGO_TERM_COLOR": "never",
    "RUST_BACKTRACE": "0",
}


# --- fast: through the command line ----------------------------------------------------


def test_listed_with_its_metadata(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.split()[0] == "rust")
    assert "axum" in line

    listed = json.loads(runner.invoke(app, ["new", "--list", "--json"]).output)
    rust = next(s for s in listed["stacks"] if s["id"] == "rust")
    assert (rust["language"], rust["framework"]) == ("rust", "axum")


def test_dry_run_json_lists_the_files_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, scratch_tmp: Path
) -> None:
    target = tmp_path / "orders-api"
    before = tree_digest(tmp_path)
    result = runner.invoke(app, ["new", "rust", str(target), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert (payload["stack"], payload["dry_run"], payload["target"]) == ("rust", True, str(target))
    assert payload["answers"] == {
        "adopted": False,
        "author": "",
        "crate_name": "orders_api",
        "description": "An HTTP service built with axum",
        "edition": "2024",
        "module_style": "mod_rs",
        "project_name": "orders-api",
        "routes_module": "routes",
        "rust_version": "1.87",
    }
    assert {f["path"] for f in payload["files"]} == RUST_FILES
    assert {f["action"] for f in payload["files"]} == {"create"}
    assert payload["next_steps"][:2] == ["cd orders-api", "cargo test"]
    assert not target.exists()
    assert tree_digest(tmp_path) == before
    assert list(scratch_tmp.iterdir()) == []


def test_dry_run_text_shows_the_tree(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "rust", str(tmp_path / "svc"), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Dry run: would create {len(RUST_FILES)} files in ")
    assert "│   ├── routes/" in lines
    assert list(tmp_path.iterdir()) == []


def test_defaults_and_data_are_rendered(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "billing"
    result = runner.invoke(
        app,
        [
            "new", "rust", str(target), "--defaults",
            "--data", "crate_name=billing_core", "--data", "edition=2021",
            "--data", "rust_version=1.88.0", "--data", 'description=Bills "and" \\ invoices',
            "--data", "author=Ada <ada@example.com>",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Created {target} (rust, {len(RUST_FILES)} files)."
    assert "  cargo test" in result.output.splitlines()
    assert files_under(target) == RUST_FILES

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
    answers = (target / ".copier-answers.yml").read_text()
    assert answers.startswith("# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n")
    assert "crate_name: billing_core" in answers
    assert "edition: '2021'" in answers


def test_edition_2024_has_no_resolver_line(tmp_path: Path) -> None:
    new_project("rust", tmp_path / "svc", {})
    cargo_toml = (tmp_path / "svc" / "Cargo.toml").read_text()
    assert 'edition = "2024"' in cargo_toml
    assert "resolver" not in cargo_toml
    assert "authors" not in cargo_toml


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{dir}", "--data", "project_name=../x"], "project_name='../x': must start with a lowercase letter"),
        (["{dir}", "--data", "project_name=Bad Name"], "project_name='Bad Name': must start with a lowercase letter"),
        (["{dir}/Bad Name"], "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): must start with a lowercase letter"),
        (["{dir}/fn"], "project_name='fn' (from the folder name; pass --data project_name=NAME): is a Rust keyword"),
        (["{dir}", "--data", "crate_name=1st_service"], "crate_name='1st_service': must start with a lowercase letter"),
        (["{dir}", "--data", "crate_name=my-crate"], "crate_name='my-crate': may hold only lowercase letters, digits and underscores"),
        (["{dir}", "--data", "crate_name=self"], "crate_name='self': is a Rust keyword"),
        (["{dir}", "--data", "edition=2018"], "edition='2018': new projects use edition 2021 or 2024"),
        (["{dir}", "--data", "rust_version=1.80"], "rust_version='1.80': must be 1.85 or newer"),
        (["{dir}", "--data", "rust_version=latest"], "rust_version='latest': must be a version such as 1.85"),
        (["{dir}", "--data", "description=two\nlines"], "description='two\\nlines': must be a single line"),
        (["{dir}", "--data", "module_style=flat"], "module_style='flat': choose one of mod_rs, self_named"),
        (["{dir}", "--data", "routes_module=fn"], "routes_module='fn': is a Rust keyword"),
        (["{dir}", "--data", "routes_module=../x"], "routes_module='../x': must start with a lowercase letter"),
        (["{dir}", "--data", "routes_module=Bad"], "routes_module='Bad': must start with a lowercase letter"),
        (["{dir}", "--data", "routes_module=api-v1"], "routes_module='api-v1': may hold only lowercase letters, digits and underscores"),
        (["{dir}", "--data", "routes_module=items"], "routes_module='items': is the name of another module"),
        (["{dir}", "--data", "routes_module=health"], "routes_module='health': is the name of another module"),
        (["{dir}", "--data", "routes_module=bin"], "routes_module='bin': is a name Cargo reserves"),
        (["{dir}", "--data", "routes_module=tracing"], "routes_module='tracing': is the name of a dependency"),
        (["{dir}", "--data", "routes_module=a__b"], "routes_module='a__b': must not hold two underscores"),
        (["{dir}", "--data", "routes_module=" + "h" * 41], "routes_module='" + "h" * 41 + "': must be at most 40 characters"),
    ],
)  # fmt: skip
def test_bad_answers_are_one_line_usage_errors(
    tmp_path: Path, scratch_tmp: Path, args: list[str], message: str
) -> None:
    line = refused_answers("rust", tmp_path, args)
    assert line.startswith("scaffold: error: " + message), line
    assert list(scratch_tmp.iterdir()) == []


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
    lib = (project / "src/lib.rs").read_text()
    assert "pub mod items;\npub mod routes;\npub mod server;" in lib
    assert "pub use routes::{AppState, router};" in lib
    server = (project / "src/server.rs").read_text()
    assert "use crate::items::MemoryStore;\nuse crate::routes::{AppState, router};" in server
    assert "src/routes/mod.rs      the router" in (project / "README.md").read_text()
    answers = (project / ".copier-answers.yml").read_text()
    assert "module_style: mod_rs\n" in answers
    assert "routes_module: routes\n" in answers


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
    assert "use crate::config::Config;\nuse crate::handlers::{AppState, router};" in server
    readme = (project / "README.md").read_text()
    assert "src/handlers.rs        the router" in readme
    assert "src/items.rs           the items domain" in readme
    assert "`mod_module_files`" in readme
    assert "routes/" not in readme
    recorded = (project / ".copier-answers.yml").read_text()
    assert "module_style: self_named\n" in recorded
    assert "routes_module: handlers\n" in recorded


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


def cargo(project: Path, *args: str) -> str:
    assert CARGO, "cargo is not on PATH: install Rust (rustup, with clippy and rustfmt)"
    return run([CARGO, *args], cwd=project, env=CARGO_ENV).stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder", "answers"),
    [
        ("inventory-service", {}),
        ("inventory-2021", {"edition": "2021", "crate_name": "inventory_legacy"}),
        ("inventory-handlers", {"module_style": "self_named", "routes_module": "handlers"}),
    ],
    ids=["defaults", "edition-2021", "self-named-handlers"],
)
def test_generated_service_passes_its_toolchain_and_serves_http(
    tmp_path: Path, folder: str, answers: dict[str, str]
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

    cargo(project, "fmt", "--check")
    cargo(project, "clippy", "--all-targets", "--", "-D", "warnings")
    tests = cargo(project, "test")
    assert "test result: ok." in tests and "FAILED" not in tests
    assert "health::health_is_ok ... ok" in tests
    cargo(project, "build", "--bins")
    assert (project / "Cargo.lock").is_file()

    binary = CACHE_ROOT / "cargo-target" / "debug" / folder
    port = free_port()
    env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_FORMAT": "json", "RUST_LOG": "info"}
    with running_server([binary], cwd=project, port=port, env=env) as base:
        assert http_json("GET", base + "/health") == (200, {"status": "ok"})
        assert http_json("GET", base + "/ready") == (200, {"status": "ready"})

        status, created = http_json(
            "POST", base + "/api/v1/items", {"name": " first order ", "description": None}
        )
        assert status == 201, created
        assert (created["id"], created["name"], created["description"]) == (1, "first order", None)
        assert created["created_at"].endswith("Z")
        status, page = http_json("GET", base + "/api/v1/items?limit=10&sort=-created_at")
        assert status == 200, page
        assert page == {"items": [created], "total": 1, "limit": 10, "offset": 0}

        status, missing = http_json("GET", base + "/api/v1/items/9999")
        assert (status, missing) == (
            404,
            {"error": {"code": "not_found", "message": "item 9999 not found", "details": []}},
        )
        status, invalid = http_json("POST", base + "/api/v1/items", {"name": "   "})
        assert status == 422, invalid
        assert invalid["error"]["code"] == "validation_error"
        assert invalid["error"]["details"] == [{"field": "name", "message": "must not be empty"}]
        status, conflict = http_json("POST", base + "/api/v1/items", {"name": "first order"})
        assert (status, conflict["error"]["code"]) == (409, "conflict")
        status, wrong = http_json("PUT", base + "/api/v1/items", {"name": "x"})
        assert (status, wrong["error"]["code"]) == (405, "method_not_allowed")

    # running_server sent SIGTERM: the service logged it and shut down gracefully.
    log = (project / f".server-{port}.log").read_text()
    assert "SIGTERM received, shutting down" in log, log
    assert '"message":"stopped"' in log, log


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
