"""The files of a node-express project."""

from __future__ import annotations

from tests.ecosystems import EVERY_STACK_FILES

STACK = "node-express"

#: The files every Node.js stack's project has at its top, beside every stack's.
NODE_TOP_FILES = set(EVERY_STACK_FILES) | {
    ".env.example",
    ".prettierignore",
    ".prettierrc.json",
    "eslint.config.js",
    "package.json",
    "tsconfig.build.json",
    "tsconfig.json",
}

TOP_FILES = NODE_TOP_FILES | {
    "src/app.ts",
    "src/config.ts",
    "src/errors.ts",
    "src/logger.ts",
    "src/main.ts",
    "src/openapi.ts",
    "src/readiness.ts",
    "src/server.ts",
    "src/validation.ts",
    "src/middleware/errors.ts",
    "src/middleware/request-logger.ts",
    "src/storage/database.ts",
    "src/storage/database-item-store.ts",
    "src/storage/item-store.ts",
    "src/storage/migrations/0001-create-items.ts",
    "src/storage/node-sqlite.ts",
    "test/config.test.ts",
    "test/cors.test.ts",
    "test/database.test.ts",
    "test/health.test.ts",
    "test/item-service.test.ts",
    "test/items.test.ts",
    "test/openapi.test.ts",
    "test/server.test.ts",
    "test/support.ts",
}
# The files in each layout folder, under src/.
LAYOUT_FILES = {
    "routes_dir": ("health.ts", "items.ts"),
    "controllers_dir": ("health.ts", "items.ts"),
    "models_dir": ("item.ts",),
    "services_dir": ("item-service.ts",),
}
DEFAULT_LAYOUT = {
    "routes_dir": "routes",
    "controllers_dir": "controllers",
    "models_dir": "models",
    "services_dir": "services",
}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)


def expected_files(**layout: str) -> set[str]:
    folders = DEFAULT_LAYOUT | layout
    return TOP_FILES | {
        f"src/{folders[key]}/{name}" for key, names in LAYOUT_FILES.items() for name in names
    }


#: The files of a project with the defaults, by stack and project name.
FILES = {STACK: lambda _name: expected_files()}


def _nestjs_files(_name: str) -> set[str]:
    from tests.ecosystems.node.nestjs_stacks import expected_files as nestjs_files

    return nestjs_files()


FILES["node-nestjs"] = _nestjs_files
