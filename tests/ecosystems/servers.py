"""Each stack's service, generated and built, then started: the one place the slow tests find
how a stack's server is built and run.

``serve(stack, folder, answers, database)`` generates the project in ``folder`` with
``answers`` (defaults for the rest), builds it the quickest way its toolchain allows (the
toolchain's own checks are the ecosystem tests' business) and yields a
:class:`RunningService` while the server answers; leaving the block stops it with SIGTERM.
``database`` is a fresh PostgreSQL database (:func:`fresh_postgres`) for a project generated
with ``database=postgresql``; without it each stack uses its embedded default.
A stack of the catalog without a starter here fails, never skips.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.ecosystems.contract_http import ALLOWED_ORIGIN, SHUTDOWN_DELAY, SHUTDOWN_TIMEOUT
from tests.ecosystems.service import free_port, psql, running_process
from tests.helpers import CACHE_ROOT, run

# Throw-away production values for a Django server (never a real deployment).
DJANGO_PRODUCTION_SECRET = "test-only-production-secret-" + "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL database of its own for one service."""

    #: The server's URL (``postgresql://user:password@host:port/postgres``).
    server: str
    name: str

    def url(self, scheme: str = "postgresql") -> str:
        parts = urlsplit(self.server)
        return urlunsplit((scheme, parts.netloc, f"/{self.name}", "", ""))


@contextlib.contextmanager
def fresh_postgres(server: str) -> Iterator[Postgres]:
    """A new database on the PostgreSQL ``server``, dropped afterwards with the ``test_``
    database a project's own tests may have made beside it."""
    name = f"scaffold_{uuid.uuid4().hex[:12]}"
    psql(server, f"CREATE DATABASE {name}")
    try:
        yield Postgres(server, name)
    finally:
        for database in (name, f"test_{name}"):
            psql(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@dataclass(frozen=True)
class ServerCommand:
    """How to start a built project: the command, its folder, its environment, the port."""

    argv: Sequence[str | os.PathLike[str]]
    cwd: Path
    port: int
    env: Mapping[str, str] = field(default_factory=dict)
    #: Seconds the first answer may take (a JVM starts slower than the rest).
    timeout: float = 60


@dataclass(frozen=True)
class RunningService:
    stack: str
    base: str
    project: Path
    #: The server's combined output, the JSON log of the stacks that write one.
    log: Path
    #: The server's process, for the probes that signal it.
    process: subprocess.Popen[bytes]


def uv_env() -> dict[str, str]:
    """uv with the Python running the tests, never a downloaded one, outside any venv."""
    return {"UV_PYTHON_DOWNLOADS": "never", "UV_PYTHON": sys.executable, "VIRTUAL_ENV": ""}


def build_fastapi(project: Path, database: Postgres | None) -> ServerCommand:
    """Installed and migrated, then served as its image serves it: ``python -m <package>``,
    on HOST and PORT."""
    from uv import find_uv_bin

    from scaffold.render import read_answers

    uv = find_uv_bin()
    url = database.url("postgresql+psycopg") if database else f"sqlite:///{project / 'service.db'}"
    port = free_port()
    env = uv_env() | {
        "DATABASE_URL": url, "LOG_JSON": "true", "HOST": "127.0.0.1", "PORT": str(port),
    }  # fmt: skip
    run([uv, "sync"], cwd=project, env=env)
    run([uv, "run", "alembic", "upgrade", "head"], cwd=project, env=env)
    package = str(read_answers(project)["package_name"])
    argv: list[str | os.PathLike[str]] = [project / ".venv" / "bin" / "python", "-m", package]
    return ServerCommand(argv, project, port, env)


def build_django(project: Path, database: Postgres | None) -> ServerCommand:
    from uv import find_uv_bin

    uv = find_uv_bin()
    port = free_port()
    env = uv_env() | {
        "DATABASE_URL": database.url() if database else f"sqlite:///{project / 'service.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": DJANGO_PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: nothing in front to terminate TLS.
        "SECURE_SSL_REDIRECT": "false",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    run([uv, "sync"], cwd=project, env=env)
    run([project / ".venv" / "bin" / "python", "manage.py", "migrate"], cwd=project, env=env)
    return ServerCommand(
        [project / ".venv" / "bin" / "gunicorn", "config.wsgi"], project, port, env
    )


def build_go(project: Path, database: Postgres | None) -> ServerCommand:
    """Build the binary and migrate its database with its ``migrate`` command: a SQLite
    file in the project, or ``database``."""
    from scaffold.render import read_answers
    from tests.ecosystems.go.toolchain import go_tools

    tools = go_tools()
    answers = read_answers(project)
    binary = answers["binary_name"]
    main = f"./{answers['cmd_dir']}/{binary}"
    run([tools.go, "build", "-o", f"bin/{binary}", main], project, tools.env)
    url = database.url() if database else f"sqlite:{project / 'service.db'}"
    migrated = run([project / "bin" / binary, "migrate"], project, {"DATABASE_URL": url})
    assert '"msg":"migrated"' in migrated.stdout, migrated.stdout
    port = free_port()
    env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug", "DATABASE_URL": url}
    return ServerCommand([project / "bin" / binary], project, port, env)


def build_rust(project: Path, database: Postgres | None) -> ServerCommand:
    from tests.ecosystems.rust.toolchain import cargo

    cargo(project, "build", "--bins")
    port = free_port()
    env = {
        "HOST": "127.0.0.1", "PORT": str(port), "LOG_FORMAT": "json", "RUST_LOG": "info",
        "DATABASE_URL": database.url() if database else f"sqlite://{project / 'service.db'}",
    }  # fmt: skip
    binary = CACHE_ROOT / "cargo-target" / "debug" / project.name
    return ServerCommand([binary], project, port, env)


def build_node(project: Path, database: Postgres | None) -> ServerCommand:
    return build_npm_service(project, database, project / "service.db")


def build_nest(project: Path, database: Postgres | None) -> ServerCommand:
    return build_npm_service(project, database, project / "data" / "service.db")


def build_npm_service(project: Path, database: Postgres | None, sqlite: Path) -> ServerCommand:
    """A Node.js service: installed, built, and run from ``dist/main.js`` on ``database`` or
    the SQLite file ``sqlite`` (it applies its migrations when it starts)."""
    from tests.ecosystems.node.toolchain import node_tools

    tools = node_tools()
    run([tools.npm, "install"], cwd=project, env=tools.env)
    run([tools.npm, "run", "build"], cwd=project, env=tools.env)
    port = free_port()
    env = {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "debug",
        "DATABASE_URL": database.url() if database else f"sqlite:{sqlite}",
    }
    return ServerCommand([tools.node, "dist/main.js"], project, port, env)


def build_java_spring(project: Path, database: Postgres | None) -> ServerCommand:
    from tests.ecosystems.jvm.toolchain import java_toolchain

    java = java_toolchain()
    run(["./mvnw", "-q", "package", "-DskipTests", "-Dspotless.check.skip=true"], project, java.env)
    port = free_port()
    argv: list[str | os.PathLike[str]] = [
        java.java, "-jar", project / "target" / f"{project.name}.jar",
        f"--server.port={port}", "--server.address=127.0.0.1",
    ]  # fmt: skip
    env = {"LOG_LEVEL": "INFO"}
    if database is not None:  # the postgresql profile's settings
        server = urlsplit(database.server)
        env |= {
            "DATABASE_URL": f"jdbc:postgresql://{server.hostname}:{server.port or 5432}/{database.name}",
            "DATABASE_USERNAME": server.username or "postgres",
            "DATABASE_PASSWORD": server.password or "",
        }
    return ServerCommand(argv, project, port, env, timeout=180)


#: How each stack's generated project is built into a server, by stack.
BUILDERS: dict[str, Callable[[Path, Postgres | None], ServerCommand]] = {
    "python-fastapi": build_fastapi,
    "django": build_django,
    "go": build_go,
    "rust": build_rust,
    "node-express": build_node,
    "node-nestjs": build_nest,
    "java-spring": build_java_spring,
}


@contextlib.contextmanager
def serve(
    stack: str,
    project: Path,
    answers: Mapping[str, str] | None = None,
    database: Postgres | None = None,
) -> Iterator[RunningService]:
    """Generate ``stack`` in ``project`` with ``answers`` (defaults for the rest), build it,
    and run it, on ``database`` when given."""
    from scaffold.commands.new import new_project

    if stack not in BUILDERS:
        raise AssertionError(f"no way to start a {stack} service: add it to BUILDERS in {__file__}")
    new_project(stack, project, dict(answers or {}))
    command = BUILDERS[stack](project, database)
    log = project / f".server-{command.port}.log"
    env = {
        "SHUTDOWN_DELAY": str(SHUTDOWN_DELAY),
        "SHUTDOWN_TIMEOUT": str(SHUTDOWN_TIMEOUT),
        "CORS_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
        **command.env,
    }
    with running_process(
        command.argv, command.cwd, command.port, env=env, timeout=command.timeout
    ) as (base, process):
        yield RunningService(stack, base, project, log, process)
