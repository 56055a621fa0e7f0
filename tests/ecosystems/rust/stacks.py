"""The files of a rust project."""

from __future__ import annotations

from tests.ecosystems import EVERY_STACK_FILES

RUST_FILES = set(EVERY_STACK_FILES) | {
    "Cargo.toml",
    "clippy.toml",
    "migrations/0001_create_items.sql",
    "rustfmt.toml",
    "src/config.rs",
    "src/db.rs",
    "src/error.rs",
    "src/extract.rs",
    "src/items/mod.rs",
    "src/items/model.rs",
    "src/items/sql.rs",
    "src/items/store.rs",
    "src/lib.rs",
    "src/main.rs",
    "src/routes/health.rs",
    "src/routes/items.rs",
    "src/routes/mod.rs",
    "src/routes/openapi.rs",
    "src/server.rs",
    "src/telemetry.rs",
    "tests/api/health.rs",
    "tests/api/http.rs",
    "tests/api/items.rs",
    "tests/api/main.rs",
    "tests/api/store.rs",
    "tests/api/support.rs",
}


#: The files of a project with the defaults, by stack and project name.
FILES = {"rust": lambda _name: set(RUST_FILES)}
