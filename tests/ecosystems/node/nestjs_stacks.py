"""The files of a node-nestjs project."""

from __future__ import annotations

from tests.ecosystems.node.stacks import NODE_TOP_FILES

STACK = "node-nestjs"

TOP_FILES = NODE_TOP_FILES | {
    "src/app.module.ts",
    "src/app.setup.ts",
    "src/main.ts",
    "src/config/environment.spec.ts",
    "src/config/environment.ts",
    "src/health/database.health.ts",
    "src/health/health.controller.ts",
    "src/health/health.module.ts",
    "src/health/shutdown.service.ts",
    "test/cors.e2e-spec.ts",
    "test/environment.ts",
    "test/health.e2e-spec.ts",
    "test/items.e2e-spec.ts",
    "test/openapi.e2e-spec.ts",
    "test/support.ts",
}
# The files in each layout folder, under src/.
LAYOUT_FILES = {
    "items_dir": (
        "dto/create-item.dto.ts",
        "dto/item.dto.ts",
        "dto/list-items.query.ts",
        "dto/update-item.dto.ts",
        "items.controller.ts",
        "items.module.ts",
        "items.repository.ts",
        "items.service.spec.ts",
        "items.service.ts",
    ),
    "common_dir": (
        "errors.ts",
        "filters/all-exceptions.filter.ts",
        "interceptors/no-store.interceptor.ts",
        "logger.ts",
        "middleware/request-context.ts",
        "pipes/parse-id.pipe.spec.ts",
        "pipes/parse-id.pipe.ts",
        "pipes/validation.pipe.ts",
    ),
    "database_dir": (
        "database.module.ts",
        "database.ts",
        "migrate.ts",
        "migrations.ts",
        "schema.ts",
    ),
}
#: The database files only one choice of the database question has.
DATABASE_FILES = {"sqlite": ("sqlite-adapter.ts",), "postgresql": ()}
DEFAULT_LAYOUT = {"items_dir": "items", "common_dir": "common", "database_dir": "database"}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)


def expected_files(database: str = "sqlite", **layout: str) -> set[str]:
    folders = DEFAULT_LAYOUT | layout
    files = {f"src/{folders[key]}/{name}" for key, names in LAYOUT_FILES.items() for name in names}
    files |= {f"src/{folders['database_dir']}/{name}" for name in DATABASE_FILES[database]}
    return TOP_FILES | files
