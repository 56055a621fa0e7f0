"""The files of the Python stacks' projects (django, python-fastapi)."""

from __future__ import annotations

from tests.ecosystems import EVERY_STACK_FILES

# --- django ----------------------------------------------------------------------------

DJANGO_TOP_FILES = set(EVERY_STACK_FILES) | {
    "gunicorn.conf.py",
    "manage.py",
    "pyproject.toml",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/test_edge.py",
    "tests/test_health.py",
    "tests/test_items_api.py",
    "tests/test_logs.py",
    "tests/test_migrations.py",
    "tests/test_models.py",
    "tests/test_serializers.py",
    "tests/test_settings.py",
    "tests/test_shutdown.py",
}
DJANGO_PROJECT_FILES = {
    "__init__.py",
    "asgi.py",
    "environment.py",
    "errors.py",
    "logs.py",
    "middleware.py",
    "readiness.py",
    "settings/__init__.py",
    "settings/base.py",
    "settings/development.py",
    "settings/production.py",
    "settings/test.py",
    "urls.py",
    "wsgi.py",
}
DJANGO_APP_FILES = {
    "__init__.py",
    "apps.py",
    "migrations/__init__.py",
    "migrations/0001_initial.py",
    "services.py",
    "urls.py",
    "{models}/__init__.py",
    "{models}/item.py",
    "{views}/__init__.py",
    "{views}/health.py",
    "{views}/items.py",
    "{serializers}/__init__.py",
    "{serializers}/base.py",
    "{serializers}/item.py",
}
DJANGO_LAYOUT = {
    "models_module": "models",
    "views_module": "views",
    "serializers_module": "serializers",
}


def django_files(
    project_package: str = "config",
    app_name: str = "app",
    models_module: str = "models",
    views_module: str = "views",
    serializers_module: str = "serializers",
) -> set[str]:
    folders = {"models": models_module, "views": views_module, "serializers": serializers_module}
    return (
        DJANGO_TOP_FILES
        | {f"{project_package}/{name}" for name in DJANGO_PROJECT_FILES}
        | {f"{app_name}/{name.format(**folders)}" for name in DJANGO_APP_FILES}
    )


# --- python-fastapi --------------------------------------------------------------------

FASTAPI_DEFAULT_FILES = set(EVERY_STACK_FILES) | {
    ".env.example",
    "alembic.ini",
    "app/__init__.py",
    "app/__main__.py",
    "app/api/__init__.py",
    "app/api/deps.py",
    "app/api/health.py",
    "app/api/v1/__init__.py",
    "app/api/v1/items.py",
    "app/core/__init__.py",
    "app/core/config.py",
    "app/core/cors.py",
    "app/core/errors.py",
    "app/core/limits.py",
    "app/core/logging.py",
    "app/core/readiness.py",
    "app/core/security_headers.py",
    "app/core/server.py",
    "app/db/__init__.py",
    "app/db/session.py",
    "app/main.py",
    "app/models/__init__.py",
    "app/models/base.py",
    "app/models/item.py",
    "app/repositories/__init__.py",
    "app/repositories/item_repository.py",
    "app/schemas/__init__.py",
    "app/schemas/common.py",
    "app/schemas/item.py",
    "app/services/__init__.py",
    "app/services/item_service.py",
    "migrations/README.md",
    "migrations/env.py",
    "migrations/script.py.mako",
    "migrations/versions/initial_schema.py",
    "pyproject.toml",
    "tests/__init__.py",
    "tests/api/__init__.py",
    "tests/api/test_items.py",
    "tests/conftest.py",
    "tests/services/__init__.py",
    "tests/services/test_item_service.py",
    "tests/test_cors.py",
    "tests/test_health.py",
    "tests/test_migrations.py",
    "tests/test_shutdown.py",
}


# What auth=jwt adds to them.
JWT_EXTRA_FILES = {
    "app/api/v1/auth.py",
    "app/core/security.py",
    "app/models/user.py",
    "app/repositories/user_repository.py",
    "app/schemas/user.py",
    "app/services/auth_service.py",
    "tests/api/test_auth.py",
}


#: The files of a project with the defaults, by stack and project name.
FILES = {
    "django": lambda _name: django_files(),
    "python-fastapi": lambda _name: set(FASTAPI_DEFAULT_FILES),
}


#: The commands (their first three words) that check a generated Python project after
#: ``uv sync`` and its database step, as both stacks' AGENTS.md list them.
UV_CHECKS = [
    ["uv", "run", "pytest"],
    ["uv", "run", "ruff"],
    ["uv", "run", "ruff"],
    ["uv", "run", "mypy"],
]
