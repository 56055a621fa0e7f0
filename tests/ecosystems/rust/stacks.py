"""The rust stack: its files and its contract."""

from __future__ import annotations

from tests.ecosystems.contract import BadAnswer, StackContract

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

BAD_ANSWERS: tuple[BadAnswer, ...] = (
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
)  # fmt: skip

RUST = StackContract(
    stack="rust",
    summary_part="axum",
    language="rust",
    framework="axum",
    files=lambda _name: set(RUST_FILES),
    dry_run_name="orders-api",
    dry_run_answers={
        "adopted": False,
        "author": "",
        "crate_name": "orders_api",
        "description": "An HTTP service built with axum",
        "edition": "2024",
        "module_style": "mod_rs",
        "project_name": "orders-api",
        "routes_module": "routes",
        "rust_version": "1.85",
    },
    next_steps=(
        "cd orders-api",
        "cargo test",
        "cargo clippy --all-targets -- -D warnings",
        "cargo run   # listens on http://127.0.0.1:8080",
    ),
    tree_line="│   ├── routes/",
    marker="Cargo.toml",
    messages_are_prefixes=True,
    bad_answers=BAD_ANSWERS,
    default_layout={"routes_module": "routes"},
)

CONTRACTS = (RUST,)
