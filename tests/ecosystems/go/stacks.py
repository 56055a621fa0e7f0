"""The files of a go project."""

from __future__ import annotations

from tests.ecosystems import EVERY_STACK_FILES

GO_FILES = set(EVERY_STACK_FILES) | {
    ".golangci.yml",
    "Makefile",
    "go.mod",
    "go.sum",
}
# Under internal_dir, and under pkg_dir with the library.
INTERNAL_FILES = {
    "config/config.go",
    "config/config_test.go",
    "httpapi/api.go",
    "httpapi/api_test.go",
    "httpapi/items.go",
    "httpapi/middleware.go",
    "httpapi/openapi.go",
    "httpapi/openapi.json",
    "httpapi/openapi_test.go",
    "httpapi/request.go",
    "httpapi/response.go",
    "items/items.go",
    "items/service.go",
    "items/service_test.go",
    "server/server.go",
    "server/server_test.go",
    "storage/memory/memory.go",
    "storage/memory/memory_test.go",
    "storage/sqlstore/dialect.go",
    "storage/sqlstore/export_test.go",
    "storage/sqlstore/migrate.go",
    "storage/sqlstore/migrations/postgres/00001_create_items.sql",
    "storage/sqlstore/migrations/sqlite/00001_create_items.sql",
    "storage/sqlstore/open.go",
    "storage/sqlstore/store.go",
    "storage/sqlstore/store_test.go",
}
LIBRARY_FILES = {"client/client.go", "client/client_test.go", "client/example_test.go"}
INTERNAL_PACKAGES = ("config", "httpapi", "items", "server", "storage/memory", "storage/sqlstore")
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


#: The files of a project with the defaults, by stack and project name.
FILES = {"go": expected_files}
