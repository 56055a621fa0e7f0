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
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from scaffold.new import new_project
from tests.helpers import (
    CACHE_ROOT,
    REPO_ROOT,
    free_port,
    http_json,
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


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def scratch_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private temporary folder, to prove that failures leave no scratch files behind."""
    folder = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


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
        "author": "",
        "crate_name": "orders_api",
        "description": "An HTTP service built with axum",
        "edition": "2024",
        "project_name": "orders-api",
        "rust_version": "1.85",
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
        (["{dir}", "--data", "edition=2018"], "edition='2018': choose one of 2024, 2021"),
        (["{dir}", "--data", "rust_version=1.80"], "rust_version='1.80': must be 1.85 or newer"),
        (["{dir}", "--data", "rust_version=latest"], "rust_version='latest': must be a version such as 1.85"),
        (["{dir}", "--data", "description=two\nlines"], "description='two\\nlines': must be a single line"),
    ],
)  # fmt: skip
def test_bad_answers_are_one_line_usage_errors(
    runner: CliRunner, tmp_path: Path, scratch_tmp: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    argv = [a.replace("{dir}", str(out)) for a in args]
    result = runner.invoke(app, ["new", "rust", *argv, "--defaults"])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert len(result.output.splitlines()) == 1, result.output
    assert result.output.startswith("scaffold: error: " + message), result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert list(scratch_tmp.iterdir()) == []


def test_modules_use_mod_rs() -> None:
    """No `foo.rs` beside a `foo/` folder: the layout clippy's lint enforces in the slow tier."""
    src = TEMPLATE / "template" / "src"
    folders = [p for p in src.rglob("*") if p.is_dir()]
    assert folders
    for folder in folders:
        assert (folder / "mod.rs").is_file() or (folder / "mod.rs.jinja").is_file(), folder
        assert not folder.with_suffix(".rs").exists(), folder
        assert not folder.with_name(folder.name + ".rs.jinja").exists(), folder


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
    ],
    ids=["defaults", "edition-2021"],
)
def test_generated_service_passes_its_toolchain_and_serves_http(
    tmp_path: Path, folder: str, answers: dict[str, str]
) -> None:
    project = tmp_path / folder
    result = new_project("rust", project, answers)
    assert result.answers["edition"] == answers.get("edition", "2024")

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
