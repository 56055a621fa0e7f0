"""The django template: what only it has, through the CLI (fast), and accepted by its own
toolchain (slow tier); what every stack does is in tests/test_stack_contract.py.

The slow tests generate a project, install it with uv into its own virtual environment and
run every command its AGENTS.md lists (migrate, pytest, ruff, mypy, ``check --deploy`` with
the production settings); then they start gunicorn with the production settings and use the
service over HTTP. The PostgreSQL variant runs against a real server:
``SCAFFOLD_TEST_POSTGRES_URL`` when set (``.ci/run`` sets it), otherwise one started by
``.ci/start-postgres``.
"""

from __future__ import annotations

import http.client
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from uv import find_uv_bin

from scaffold.commands.new import new_project
from scaffold.conventions import load_conventions
from scaffold.errors import InvalidAnswerError
from scaffold.templates import check_answers, get_stack, load_template
from tests.ecosystems.python.stacks import DJANGO_LAYOUT as DEFAULT_LAYOUT
from tests.ecosystems.python.stacks import UV_CHECKS
from tests.ecosystems.python.stacks import django_files as expected_files
from tests.ecosystems.servers import DJANGO_PRODUCTION_SECRET as PRODUCTION_SECRET
from tests.ecosystems.servers import uv_env
from tests.ecosystems.service import free_port, http_json, psql, running_server
from tests.helpers import (
    CACHE_ROOT,
    agent_file,
    agents_commands,
    assert_contains,
    files_under,
    planned,
    rendered,
    run,
)

TEMPLATE = get_stack("django").template
UV = find_uv_bin()
UV_ENV = uv_env() | {
    # One mypy cache for every generated project, outside the clone: the Django and REST
    # framework stubs are analysed once per machine, not once per test.
    "MYPY_CACHE_DIR": str(CACHE_ROOT / "mypy-django"),
}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)

CUSTOM_AGENT = """---
name: team-agent
---
## Conventions
- **Python/Django**: `orders/entities/`, `orders/api/`, `orders/schemas/`
"""
CUSTOM_LAYOUT = {
    "app_name": "orders",
    **dict(zip(LAYOUT_KEYS, ["entities", "api", "schemas"], strict=True)),
}


# --- fast: through the command line ----------------------------------------------------


def test_answers_are_rendered(tmp_path: Path) -> None:
    target = tmp_path / "billing"
    rendered(
        target, "django", expected_files("site_config", "billing_api"),
        "project_package=site_config", "app_name=billing_api", "database=postgresql",
        "python_version=3.12", 'description=Bills "and" invoices',
    )  # fmt: skip
    assert_contains(
        target / "pyproject.toml",
        'description = "Bills \\"and\\" invoices"',
        '"psycopg[binary]>=3.2"',
        'requires-python = ">=3.12"',
        'django_settings_module = "site_config.settings.test"',
    )
    assert_contains(
        target / "site_config/settings/base.py",
        '"billing_api.apps.BillingApiConfig",',
        'DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@localhost:5432/billing"',
    )
    assert "class BillingApiConfig(BaseAppConfig):" in (target / "billing_api/apps.py").read_text()
    # HSTS: this host only and no preload, unless the environment asks for them.
    assert_contains(
        target / "site_config/settings/production.py",
        'SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)',
        'SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)',
    )
    assert '"site_config.settings.development"' in (target / "manage.py").read_text()
    assert (target / "manage.py").stat().st_mode & 0o111
    assert "FROM python:3.12-slim AS runtime" in (target / "Dockerfile").read_text()
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "{{" not in text and "{%" not in text, path
    assert_contains(target / ".copier-answers.yml", "app_name: billing_api", "views_module: views")


def test_the_production_settings_check_is_one_of_the_agents_commands(tmp_path: Path) -> None:
    new_project("django", tmp_path / "svc", {"project_package": "core"})
    commands = [split_assignments(c) for c in agents_commands(tmp_path / "svc")]
    assert [c[:4] for _, c in commands] == [
        ["uv", "sync"],
        ["uv", "run", "python", "manage.py"],
        ["uv", "run", "pytest"],
        ["uv", "run", "ruff", "check"],
        ["uv", "run", "ruff", "format"],
        ["uv", "run", "mypy"],
        ["uv", "run", "python", "manage.py"],
    ]
    assert commands[1][1][4:] == ["migrate"]
    env, check = commands[-1]
    assert check[4:] == ["check", "--deploy", "--fail-level", "WARNING"]
    assert env["DJANGO_SETTINGS_MODULE"] == "core.settings.production"
    assert len(env["SECRET_KEY"]) >= 50
    assert all(env.values())


def test_leading_assignments_are_split_from_the_command() -> None:
    assert split_assignments(["A=1", "B=x=y", "uv", "run", "C=2"]) == (
        {"A": "1", "B": "x=y"},
        ["uv", "run", "C=2"],
    )
    assert split_assignments(["uv", "sync"]) == ({}, ["uv", "sync"])


def test_a_layout_folder_named_models_is_only_for_the_models() -> None:
    spec = load_template(TEMPLATE)
    answers = {"models_module": "entities", "views_module": "models"}
    with pytest.raises(InvalidAnswerError, match="is the module Django imports the models from"):
        check_answers(spec, answers)
    assert check_answers(spec, {"models_module": "entities", "views_module": "api"})


def test_the_layout_folders_are_below_the_app_and_asked_after_the_shared_questions() -> None:
    spec = load_template(TEMPLATE)
    assert list(spec.questions)[:3] == ["project_name", "description", "author"]
    layout = spec.metadata["layout"]
    assert (layout["root"], layout["root_is_question"]) == ("app_name", True)


def test_layout_answers_come_from_the_agent_definition(tmp_path: Path, scratch_tmp: Path) -> None:
    agent = write_agent(tmp_path)
    target = tmp_path / "orders-service"
    payload = planned("django", str(target), "--agent", str(agent))
    assert {key: payload["answers"][key] for key in CUSTOM_LAYOUT} == CUSTOM_LAYOUT
    assert {f["path"] for f in payload["files"]} == expected_files("config", **CUSTOM_LAYOUT)
    assert not target.exists()

    # --data still wins over the conventions.
    options = ["--agent", str(agent), "--data", "views_module=endpoints"]
    assert planned("django", str(target), *options)["answers"]["views_module"] == "endpoints"


def test_the_default_conventions_give_the_default_layout(tmp_path: Path) -> None:
    result = new_project("django", tmp_path / "svc", dry_run=True)
    assert {key: result.answers[key] for key in LAYOUT_KEYS} == DEFAULT_LAYOUT
    assert result.answers["app_name"] == "app"


def test_a_custom_layout_moves_every_import(tmp_path: Path) -> None:
    project = tmp_path / "orders-service"
    new_project("django", project, {}, conventions=load_conventions(write_agent(tmp_path)))
    assert files_under(project) == expected_files("config", **CUSTOM_LAYOUT)
    apps = (project / "orders/apps.py").read_text()
    assert 'import_module(f"{self.name}.entities")' in apps
    default_names = re.compile(r"\b(app|orders)\.(models|views|serializers)\b|\bfrom app\b")
    for path in project.rglob("*.py"):
        assert not default_names.search(path.read_text()), path
    agents = (project / "AGENTS.md").read_text()
    assert "`orders/entities/`" in agents and "`orders/api/`" in agents
    assert "`orders/schemas/`" in agents


@pytest.mark.parametrize(
    "answers",
    [
        # The longest names the validators allow: every line still fits ruff's limit.
        {
            "project_package": "p" * 20,
            "app_name": "a" * 20,
            "models_module": "m" * 20,
            "views_module": "v" * 20,
            "serializers_module": "s" * 20,
        },
        # The project package sorts after the app, and the folders in reverse order.
        {
            "project_package": "zeta",
            "app_name": "alpha",
            "models_module": "zz_models",
            "views_module": "mm_views",
            "serializers_module": "aa_bodies",
            "database": "postgresql",
        },
        {
            "project_package": "app_config",
            "app_name": "app",
            "models_module": "models",
            "views_module": "views",
            "serializers_module": "serializers",
        },
    ],
    ids=["longest", "reversed", "prefixes"],
)
def test_any_names_give_code_that_ruff_accepts(tmp_path: Path, answers: dict[str, str]) -> None:
    project = tmp_path / "svc"
    new_project("django", project, answers)
    ruff = Path(sys.executable).parent / "ruff"
    run([ruff, "check", "--no-cache", "."], cwd=project)
    run([ruff, "format", "--no-cache", "--check", "."], cwd=project)


# --- slow: the generated project's own toolchain ---------------------------------------

# Settings the calling shell may have that would change what the generated project does.
DJANGO_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DEBUG",
)


@pytest.fixture(autouse=True)
def no_django_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DJANGO_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The service's database: a SQLite file, or a new PostgreSQL database dropped afterwards
    (with the ``test_`` database the project's own tests create beside it)."""
    database = getattr(request, "param", "sqlite")
    if database != "postgresql":
        yield f"sqlite:///{tmp_path / 'service.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"scaffold_{uuid.uuid4().hex[:12]}"
    psql(server, f"CREATE DATABASE {name}")
    yield f"{server.rsplit('/', 1)[0]}/{name}"
    for database_name in (name, f"test_{name}"):
        psql(server, f"DROP DATABASE IF EXISTS {database_name} WITH (FORCE)")


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_generated_service_passes_its_toolchain_and_serves_http(
    tmp_path: Path, database_url: str
) -> None:
    database = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    project = tmp_path / "orders-service"
    new_project("django", project, {"database": database})
    check_and_serve(project, database_url)


@pytest.mark.slow
def test_a_custom_layout_from_the_conventions_passes_the_same_checks(
    tmp_path: Path, database_url: str
) -> None:
    project = tmp_path / "orders-service"
    conventions = load_conventions(write_agent(tmp_path))
    new_project("django", project, {"project_package": "core"}, conventions=conventions)
    for folder in ("entities", "api", "schemas"):
        assert (project / "orders" / folder / "__init__.py").is_file()
    assert not (project / "app").exists()
    assert not (project / "orders" / "models").exists()
    check_and_serve(project, database_url, project_package="core", app_name="orders")


def check_and_serve(
    project: Path, database_url: str, project_package: str = "config", app_name: str = "app"
) -> None:
    env = UV_ENV | {"DATABASE_URL": database_url}

    # The commands AGENTS.md gives are the project's whole check; run each as written.
    commands = [split_assignments(command) for command in agents_commands(project)]
    assert [command[:3] for _, command in commands] == [
        ["uv", "sync"],
        ["uv", "run", "python"],
        *UV_CHECKS,
        ["uv", "run", "python"],
    ]
    for assignments, command in commands:
        proc = run([UV, *command[1:]], cwd=project, env=env | assignments)
        if command[:3] == ["uv", "run", "pytest"]:
            assert " passed" in proc.stdout and " failed" not in proc.stdout
            assert " skipped" not in proc.stdout
        if "--deploy" in command:
            assert "System check identified no issues" in proc.stdout + proc.stderr

    python = project / ".venv" / "bin" / "python"
    production = env | {
        "DJANGO_SETTINGS_MODULE": f"{project_package}.settings.production",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_HTTPS_PROXY": "true",
    }
    proc = run(
        [python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=project,
        env=production,
    )
    # The two HSTS warnings left off by default (subdomains, preload) are silenced.
    assert "System check identified no issues (2 silenced)." in proc.stdout
    proc = run([python, "manage.py", "migrate", "--no-input"], cwd=project, env=production)
    assert "No migrations to apply." in proc.stdout
    code = "from django.db import connection; print(connection.introspection.table_names())"
    tables = run([python, "manage.py", "shell", "-c", code], cwd=project, env=production).stdout
    assert f"'{app_name}_item'" in tables

    port = free_port()
    server = [str(project / ".venv" / "bin" / "gunicorn"), f"{project_package}.wsgi"]
    served = production | {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2"}
    # What every stack serves is checked by tests/ecosystems/test_service_contract.py; here,
    # what only the production settings do, and the items kept in the database.
    with running_server(server, cwd=project, port=port, env=served) as base:
        assert http_json("GET", base + "/ready") == (200, {"status": "ready"})
        # Production redirects plain HTTP to HTTPS; the proxy in front says it was HTTPS.
        assert plain_status(port, "/api/v1/items") == 301
        https = {"X-Forwarded-Proto": "https"}
        status, created = http_json(
            "POST", base + "/api/v1/items", {"name": " first order "}, headers=https
        )
        assert status == 201, created
        status, page = http_json("GET", base + "/api/v1/items?limit=5", headers=https)
        assert (status, page) == (200, {"items": [created], "total": 1, "limit": 5, "offset": 0})
        # HSTS for this host only, and no preload, unless the environment asks for them.
        assert response_header(port, "/health", https, "Strict-Transport-Security") == (
            "max-age=31536000"
        )


# --- helpers ---------------------------------------------------------------------------

ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def split_assignments(command: list[str]) -> tuple[dict[str, str], list[str]]:
    """``VAR=value ... uv run ...`` as the shell reads it: the variables, then the command."""
    env: dict[str, str] = {}
    words = list(command)
    while words and ASSIGNMENT.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    return env, words


def plain_status(port: int, path: str) -> int:
    """The status of a plain HTTP GET, without following a redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def response_header(port: int, path: str, headers: dict[str, str], name: str) -> str | None:
    """One header of the answer to a plain HTTP GET with ``headers``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().getheader(name)
    finally:
        connection.close()


def write_agent(folder: Path) -> Path:
    return agent_file(folder, CUSTOM_AGENT)
