"""The python-fastapi template, generated and accepted by its own toolchain (slow tier).

Each combination of ``database`` and ``auth`` is generated, installed in its own virtual
environment with uv, and must pass pytest, ruff (lint and format), mypy and
``alembic upgrade head``; then the service is started with uvicorn and used over HTTP.
The PostgreSQL variants run against a real server: ``SCAFFOLD_TEST_POSTGRES_URL`` when
set (``.ci/run`` sets it), otherwise one started by ``.ci/start-postgres``.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from uv import find_uv_bin

from scaffold.commands.new import new_project
from scaffold.conventions import load_conventions
from tests.ecosystems.python.stacks import UV_CHECKS
from tests.ecosystems.servers import uv_env
from tests.ecosystems.service import free_port, http_json, psql, running_server
from tests.helpers import agents_commands, run

pytestmark = pytest.mark.slow

UV = find_uv_bin()
UV_ENV = uv_env()
# A throw-away key for the services the tests start (never a real deployment's).
SERVICE_SECRET_KEY = "test-only-service-key-" + "0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A new PostgreSQL database for the test (as a SQLAlchemy URL), dropped afterwards."""
    if request.node.callspec.params["database"] != "postgresql":
        yield None
        return
    server = request.getfixturevalue("postgres_url")
    names = [f"scaffold_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    for name in names:
        psql(server, f"CREATE DATABASE {name}")
    base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{names[0]}|{base}/{names[1]}"
    for name in names:
        psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.parametrize(
    ("database", "auth"), list(itertools.product(["sqlite", "postgresql"], ["none", "jwt"]))
)
def test_generated_service_passes_its_toolchain_and_serves_http(
    tmp_path: Path, database: str, auth: str, fresh_database: str | None
) -> None:
    project = tmp_path / "orders-service"
    new_project("python-fastapi", project, {"database": database, "auth": auth})
    check_and_serve(project, tmp_path, auth, fresh_database)


CUSTOM_AGENT = """---
name: team-agent
---
## Conventions
- **Python/FastAPI**: `orders/routers/`, `orders/schemas/`, `orders/domain/`, `orders/tables/`
"""


@pytest.mark.parametrize(("database", "auth"), [("sqlite", "jwt")])
def test_a_custom_layout_from_the_conventions_passes_the_same_checks(
    tmp_path: Path, database: str, auth: str, fresh_database: str | None
) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(CUSTOM_AGENT)
    project = tmp_path / "orders-service"
    new_project("python-fastapi", project, {"auth": auth}, conventions=load_conventions(agent))
    for folder in ("routers", "schemas", "domain", "tables"):
        assert (project / "orders" / folder / "__init__.py").is_file()
    assert not (project / "app").exists()
    assert not (project / "orders" / "api").exists()
    check_and_serve(project, tmp_path, auth, fresh_database, package="orders")


def check_and_serve(
    project: Path,
    tmp_path: Path,
    auth: str,
    fresh_database: str | None,
    package: str = "app",
) -> None:
    env = dict(UV_ENV)
    if fresh_database:
        app_url, test_url = fresh_database.split("|")
        env |= {"DATABASE_URL": app_url, "TEST_DATABASE_URL": test_url}
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'service.db'}"

    # The commands AGENTS.md gives are the project's whole check; run each as written.
    commands = agents_commands(project)
    assert [c[:3] for c in commands] == [["uv", "sync"], ["uv", "run", "alembic"], *UV_CHECKS]
    for command in commands:
        proc = run([UV, *command[1:]], cwd=project, env=env)
        if command[:3] == ["uv", "run", "pytest"]:
            assert " passed" in proc.stdout and " failed" not in proc.stdout

    port = free_port()
    server = [
        str(project / ".venv" / "bin" / "uvicorn"), f"{package}.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    served = env | {"LOG_JSON": "true"}
    if auth == "jwt":  # production, as the image runs it: a key of its own, accounts open
        served |= {"SECRET_KEY": SERVICE_SECRET_KEY, "REGISTRATION_OPEN": "true"}
    # What every stack serves is checked by tests/ecosystems/test_service_contract.py; here,
    # what only this one does: the bearer tokens, and the items kept in its database.
    with running_server(server, cwd=project, port=port, env=served) as base:
        headers: dict[str, str] = {}
        if auth == "jwt":
            credentials = {"email": "ops@example.com", "password": "a long passphrase"}
            assert http_json("POST", base + "/api/v1/auth/register", credentials)[0] == 201
            status, token = http_json(
                "POST",
                base + "/api/v1/auth/token",
                form={"username": credentials["email"], "password": credentials["password"]},
            )
            assert status == 200
            headers["Authorization"] = f"Bearer {token['access_token']}"
            assert http_json("POST", base + "/api/v1/items", {"name": "x"})[0] == 401

        status, created = http_json(
            "POST", base + "/api/v1/items", {"name": "first order"}, headers=headers
        )
        assert status == 201, created
        status, page = http_json("GET", base + "/api/v1/items")
        assert (status, page["items"]) == (200, [created])
