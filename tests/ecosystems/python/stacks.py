"""The Python stacks (django, python-fastapi): their files and their contracts."""

from __future__ import annotations

from tests.ecosystems.contract import BadAnswer, StackContract

# --- django ----------------------------------------------------------------------------

DJANGO_TOP_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".gitignore",
    "AGENTS.md",
    "Dockerfile",
    "README.md",
    "gunicorn.conf.py",
    "manage.py",
    "pyproject.toml",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/test_health.py",
    "tests/test_items_api.py",
    "tests/test_logs.py",
    "tests/test_migrations.py",
    "tests/test_models.py",
    "tests/test_serializers.py",
    "tests/test_settings.py",
}
DJANGO_PROJECT_FILES = {
    "__init__.py",
    "asgi.py",
    "environment.py",
    "errors.py",
    "logs.py",
    "middleware.py",
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


DJANGO_BAD_ANSWERS: tuple[BadAnswer, ...] = tuple(
    (["{dir}", "--data", data], message)
    for data, message in [
        ("project_package=my-site", "project_package='my-site': must be a Python identifier in lowercase"),
        ("project_package=tests", "project_package='tests': is reserved"),
        ("project_package=" + "x" * 21, "must be at most 20 characters"),
        ("app_name=Orders", "app_name='Orders': must start with a lowercase letter"),
        ("app_name=config", "app_name='config': must differ from project_package"),
        ("app_name=django", "app_name='django': is reserved"),
        ("app_name=class", "app_name='class': is reserved"),
        ("models_module=../x", "models_module='../x': must be a lowercase Python identifier"),
        ("views_module=models", "models_module='models': must differ from views_module"),
        ("views_module=serializers", "views_module='serializers': must differ from serializers_module"),
        ("serializers_module=migrations", "serializers_module='migrations': is the name of another module of the app"),
        ("database=mysql", "database='mysql': choose one of sqlite, postgresql"),
        ("python_version=3.10", "python_version='3.10': choose one of 3.11, 3.12, 3.13, 3.14"),
    ]
)  # fmt: skip

DJANGO = StackContract(
    stack="django",
    summary_part="Django REST framework",
    language="python",
    framework="django",
    files=lambda _name: django_files(),
    dry_run_name="orders-service",
    dry_run_answers={
        "app_name": "app",
        "author": "",
        "database": "sqlite",
        "description": "A Django REST framework service.",
        "models_module": "models",
        "project_name": "orders-service",
        "project_package": "config",
        "python_version": "3.11",
        "serializers_module": "serializers",
        "views_module": "views",
    },
    next_steps=(
        "cd orders-service",
        "uv sync",
        "uv run python manage.py migrate",
        "uv run python manage.py runserver",
        "uv run pytest",
    ),
    tree_line="│   ├── serializers/",
    marker="manage.py",
    bad_answers=DJANGO_BAD_ANSWERS,
    default_layout=DJANGO_LAYOUT,
)

# --- python-fastapi --------------------------------------------------------------------

FASTAPI_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".env.example",
    ".gitignore",
    "AGENTS.md",
    "Dockerfile",
    "README.md",
    "alembic.ini",
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
    "tests/test_health.py",
    "tests/test_migrations.py",
}
# Below the package's folder.
FASTAPI_PACKAGE_FILES = {
    "__init__.py",
    "api/__init__.py",
    "api/deps.py",
    "api/health.py",
    "api/v1/__init__.py",
    "api/v1/items.py",
    "core/__init__.py",
    "core/config.py",
    "core/errors.py",
    "core/logging.py",
    "db/__init__.py",
    "db/session.py",
    "main.py",
    "models/__init__.py",
    "models/base.py",
    "models/item.py",
    "repositories/__init__.py",
    "repositories/item_repository.py",
    "schemas/__init__.py",
    "schemas/common.py",
    "schemas/item.py",
    "services/__init__.py",
    "services/item_service.py",
}

FASTAPI = StackContract(
    stack="python-fastapi",
    summary_part="FastAPI service with SQLAlchemy 2",
    language="python",
    framework="fastapi",
    files=lambda _name: FASTAPI_FILES | {f"app/{name}" for name in FASTAPI_PACKAGE_FILES},
    dry_run_name="orders-service",
    dry_run_answers={
        "adopted": False,
        "api_module": "api",
        "auth": "none",
        "author": "",
        "database": "sqlite",
        "description": "A FastAPI service.",
        "indent_width": 4,
        "line_length": 100,
        "models_module": "models",
        "package_name": "app",
        "project_name": "orders-service",
        "python_version": "3.11",
        "quote_style": "double",
        "schemas_module": "schemas",
        "services_module": "services",
    },
    next_steps=(
        "cd orders-service",
        "uv sync",
        "uv run alembic upgrade head",
        "uv run uvicorn app.main:create_app --factory --reload",
        "uv run pytest",
    ),
    tree_line="│   ├── repositories/",
    marker="pyproject.toml",
    default_layout={
        "api_module": "api",
        "models_module": "models",
        "services_module": "services",
        "schemas_module": "schemas",
    },
)

CONTRACTS = (DJANGO, FASTAPI)
