"""A python-fastapi service with ``auth=jwt``, started as its image starts it (slow tier).

The image's command and environment are read from the generated Dockerfile, so the service
runs as the README's ``docker run`` runs it, with production defaults: without a SECRET_KEY
of its own, or with any key the template ever shipped as a default, it refuses to start;
with a key of its own, it refuses every token it did not sign (one signed with a shipped
default, ``alg=none``, expired), keeps registration closed and limits logins per client.
Tokens are forged with PyJWT from the generated project's own environment.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from uv import find_uv_bin

from scaffold.commands.new import new_project
from tests.ecosystems.service import (
    check_error,
    free_port,
    http_json,
    image_environment,
    running_server,
)
from tests.helpers import run

UV = find_uv_bin()
UV_ENV = {"UV_PYTHON_DOWNLOADS": "never", "UV_PYTHON": sys.executable, "VIRTUAL_ENV": ""}
# Every SECRET_KEY the template ever shipped as a default (git log -p -- templates/python-fastapi).
SHIPPED_SECRET_KEYS = ("development-only-secret-key-do-not-use-in-production",)
# A throw-away key of the service's own (never a real deployment's).
OWN_SECRET_KEY = "test-only-own-key-" + "0123456789abcdefghijklmnopqrstuvwxyz"
CREDENTIALS = {"email": "ops@example.com", "password": "a long passphrase"}
# The README's default: logins and registrations per client address and minute.
AUTH_RATE_LIMIT = 10


# --- fast: what the template renders ---------------------------------------------------


@pytest.mark.parametrize("auth", ["none", "jwt"])
def test_the_settings_and_the_image_default_to_production(tmp_path: Path, auth: str) -> None:
    project = tmp_path / "orders-service"
    new_project("python-fastapi", project, {"auth": auth})
    assert image_environment(project / "Dockerfile")["ENVIRONMENT"] == "production"
    settings = settings_defaults(project / "app" / "core" / "config.py")
    assert settings["environment"] == "'production'"
    if auth == "jwt":
        assert {name: settings[name] for name in JWT_DEFAULTS} == JWT_DEFAULTS
    assert (project / ".env.example").read_text().splitlines()[2] == "ENVIRONMENT=development"


def test_the_image_and_compose_serve_with_the_settings_drain(tmp_path: Path) -> None:
    """``python -m <package>`` reads HOST, PORT, SHUTDOWN_DELAY and SHUTDOWN_TIMEOUT; the
    image listens on every address and leaves the drain to those settings."""
    project = tmp_path / "orders-service"
    new_project("python-fastapi", project, {"package_name": "orders"})
    dockerfile = project / "Dockerfile"
    assert image_command(dockerfile.read_text()) == ["python", "-m", "orders"]
    environment = image_environment(dockerfile)
    assert (environment["HOST"], environment["PORT"]) == ("0.0.0.0", "8000")
    assert "SHUTDOWN_TIMEOUT" not in environment
    compose = (project / "compose.yaml").read_text()
    assert "alembic upgrade head && exec python -m orders\n" in compose


def test_the_settings_list_every_shipped_key(tmp_path: Path) -> None:
    project = tmp_path / "orders-service"
    new_project("python-fastapi", project, {"auth": "jwt"})
    tree = ast.parse((project / "app" / "core" / "config.py").read_text())
    [listed] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [ast.unparse(target) for target in node.targets] == ["PUBLISHED_SECRET_KEYS"]
    ]
    assert sorted(ast.literal_eval(ast.unparse(listed).removeprefix("frozenset"))) == sorted(
        SHIPPED_SECRET_KEYS
    )


JWT_DEFAULTS = {"secret_key": "None", "registration_open": "False"}


def settings_defaults(config: Path) -> dict[str, str]:
    """Each field of the ``Settings`` class in ``config`` and its default, as source text."""
    tree = ast.parse(config.read_text())
    [settings] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Settings"]
    return {
        ast.unparse(node.target): ast.unparse(node.value)
        for node in settings.body
        if isinstance(node, ast.AnnAssign) and node.value is not None
    }


# --- slow: the service, started as its image starts it ----------------------------------


@dataclass(frozen=True)
class Service:
    project: Path
    command: list[str]  # the image's CMD
    port: int  # a free port of 127.0.0.1, where the command listens with ``env``
    env: dict[str, str]  # the process environment with the image's ENV (no SECRET_KEY)
    python: Path

    def refusal(self, env: dict[str, str]) -> list[str]:
        """Start the service with ``env`` added; it must exit 1: the lines it wrote."""
        proc = subprocess.run(
            self.command,
            cwd=self.project,
            env=self.env | env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        return (proc.stdout + proc.stderr).splitlines()


def image_command(dockerfile: str) -> list[str]:
    """The Dockerfile's ``CMD``."""
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    return [str(word) for word in json.loads(cmd.removeprefix("CMD "))]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    """One generated project with auth=jwt, installed and migrated, and how its image runs."""
    project = tmp_path_factory.mktemp("fastapi-jwt") / "orders-service"
    new_project("python-fastapi", project, {"auth": "jwt"})
    database = {"DATABASE_URL": f"sqlite:///{project.parent / 'service.db'}"}
    run([UV, "sync"], cwd=project, env=UV_ENV)
    # Migrations are a release step of their own: they need no SECRET_KEY.
    run([UV, "run", "alembic", "upgrade", "head"], cwd=project, env=UV_ENV | database)
    dockerfile = (project / "Dockerfile").read_text()
    venv = project / ".venv" / "bin"
    command = image_command(dockerfile)
    command[0] = str(venv / command[0])
    inherited = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ENVIRONMENT"}}
    port = free_port()
    listen = {"HOST": "127.0.0.1", "PORT": str(port)}
    env = inherited | database | image_environment(project / "Dockerfile") | listen
    return Service(project, command, port, env, venv / "python")


@pytest.mark.slow
def test_without_a_secret_key_the_service_refuses_to_start(service: Service) -> None:
    [line] = service.refusal({})
    record = json.loads(line)
    assert (record["level"], record["message"]) == (
        "CRITICAL",
        "refusing to start: SECRET_KEY is not set; ENVIRONMENT=production needs 32+ random"
        " characters (ENVIRONMENT=development for a local run)",
    )


@pytest.mark.slow
@pytest.mark.parametrize("key", SHIPPED_SECRET_KEYS)
def test_with_a_shipped_key_the_service_refuses_to_start(service: Service, key: str) -> None:
    [line] = service.refusal({"SECRET_KEY": key})
    assert json.loads(line)["message"] == (
        "refusing to start: SECRET_KEY is a value published with the project's template;"
        " generate one"
    )


FORGE = """
import json, sys
from datetime import UTC, datetime, timedelta
import jwt

own_key, shipped = sys.argv[1], json.loads(sys.argv[2])
now = datetime.now(UTC)
claims = {"sub": "1", "iat": now, "exp": now + timedelta(days=3650)}
expired = {"sub": "1", "iat": now - timedelta(hours=2), "exp": now - timedelta(hours=1)}
print(json.dumps({
    **{f"signed with {key!r}": jwt.encode(claims, key) for key in shipped},
    "alg=none": jwt.encode(claims, None, algorithm="none"),
    "expired": jwt.encode(expired, own_key),
    "signed with the key, for an hour": jwt.encode(
        {**claims, "exp": now + timedelta(hours=1)}, own_key
    ),
}))
"""


def forged_tokens(service: Service) -> dict[str, str]:
    """Tokens for account 1 made with PyJWT: by name, what makes each one."""
    args = [str(service.python), "-c", FORGE, OWN_SECRET_KEY, json.dumps(SHIPPED_SECRET_KEYS)]
    tokens: dict[str, str] = json.loads(run(args, cwd=service.project).stdout)
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login_attempt(base: str) -> tuple[int, Any, str | None]:
    """A login with a wrong password: the status, the body and the Retry-After header."""
    form = {"username": CREDENTIALS["email"], "password": "not the password"}
    request = urllib.request.Request(
        base + "/api/v1/auth/token",
        data=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers.get("Retry-After")


@pytest.mark.slow
def test_with_a_key_of_its_own_only_its_tokens_pass(service: Service) -> None:
    own = {"SECRET_KEY": OWN_SECRET_KEY, "LOG_JSON": "true"}
    # The first account is made with registration opened for the time it takes.
    port = service.port
    opened = own | {"REGISTRATION_OPEN": "true"}
    with running_server(service.command, service.project, port, service.env | opened) as base:
        assert http_json("POST", base + "/api/v1/auth/register", CREDENTIALS)[0] == 201

    tokens = forged_tokens(service)
    genuine = tokens.pop("signed with the key, for an hour")
    assert len(tokens) == len(SHIPPED_SECRET_KEYS) + 2
    with running_server(service.command, service.project, port, service.env | own) as base:
        status, me = http_json("GET", base + "/api/v1/auth/me", headers=bearer(genuine))
        assert (status, me["id"], me["email"]) == (200, 1, CREDENTIALS["email"])
        for made, token in tokens.items():
            status, body = http_json("GET", base + "/api/v1/auth/me", headers=bearer(token))
            check_error(status, body, 401, "unauthorized")
            status, body = http_json(
                "POST", base + "/api/v1/items", {"name": made}, headers=bearer(token)
            )
            check_error(status, body, 401, "unauthorized")
        assert http_json("GET", base + "/api/v1/items")[1]["total"] == 0

        # Registration is closed by default; the attempt counts against the limit.
        status, body = http_json("POST", base + "/api/v1/auth/register", CREDENTIALS)
        check_error(status, body, 403, "forbidden")
        assert body["error"]["message"] == "registration is closed"
        for _ in range(AUTH_RATE_LIMIT - 1):
            status, body, _retry = login_attempt(base)
            check_error(status, body, 401, "unauthorized")
        status, body, retry_after = login_attempt(base)
        check_error(status, body, 429, "too_many_requests")
        assert retry_after is not None and 1 <= int(retry_after) <= 60, retry_after
