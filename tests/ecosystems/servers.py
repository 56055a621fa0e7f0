"""Each stack's service, generated with its defaults, built and started: the one place the
slow tests find how a stack's server is built and run.

``serve(stack, folder)`` generates the project in ``folder``, builds it the quickest way its
toolchain allows (the toolchain's own checks are the ecosystem tests' business) and yields a
:class:`RunningService` while the server answers; leaving the block stops it with SIGTERM.
A stack of the catalog without a starter here fails, never skips.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.ecosystems.contract_http import ALLOWED_ORIGIN, SHUTDOWN_TIMEOUT
from tests.ecosystems.service import free_port, running_process
from tests.helpers import CACHE_ROOT, run

# Throw-away production values for a Django server (never a real deployment).
DJANGO_PRODUCTION_SECRET = "test-only-production-secret-" + "0123456789abcdefghijklmnopqrstuvwxyz"


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


def build_fastapi(project: Path) -> ServerCommand:
    from uv import find_uv_bin

    uv = find_uv_bin()
    env = uv_env() | {"DATABASE_URL": f"sqlite:///{project / 'service.db'}", "LOG_JSON": "true"}
    run([uv, "sync"], cwd=project, env=env)
    run([uv, "run", "alembic", "upgrade", "head"], cwd=project, env=env)
    port = free_port()
    argv: list[str | os.PathLike[str]] = [
        project / ".venv" / "bin" / "uvicorn", "app.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    return ServerCommand(argv, project, port, env)


def build_django(project: Path) -> ServerCommand:
    from uv import find_uv_bin

    uv = find_uv_bin()
    port = free_port()
    env = uv_env() | {
        "DATABASE_URL": f"sqlite:///{project / 'service.sqlite3'}",
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


def build_go(project: Path) -> ServerCommand:
    from tests.ecosystems.go.toolchain import go_tools

    tools = go_tools()
    binary = project.name
    run([tools.go, "build", "-o", f"bin/{binary}", f"./cmd/{binary}"], project, tools.env)
    port = free_port()
    env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug"}
    return ServerCommand([project / "bin" / binary], project, port, env)


def build_rust(project: Path) -> ServerCommand:
    from tests.ecosystems.rust.toolchain import cargo

    cargo(project, "build", "--bins")
    port = free_port()
    env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_FORMAT": "json", "RUST_LOG": "info"}
    binary = CACHE_ROOT / "cargo-target" / "debug" / project.name
    return ServerCommand([binary], project, port, env)


def build_node(project: Path) -> ServerCommand:
    from tests.ecosystems.node.toolchain import node_tools

    tools = node_tools()
    run([tools.npm, "install"], cwd=project, env=tools.env)
    run([tools.npm, "run", "build"], cwd=project, env=tools.env)
    port = free_port()
    env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug"}
    return ServerCommand([tools.node, "dist/main.js"], project, port, env)


def build_nest(project: Path) -> ServerCommand:
    from tests.ecosystems.node.toolchain import node_tools

    tools = node_tools()
    run([tools.npm, "install"], cwd=project, env=tools.env)
    run([tools.npm, "run", "build"], cwd=project, env=tools.env)
    port = free_port()
    env = {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "debug",
        "DATABASE_URL": f"sqlite:{project / 'data' / 'service.db'}",
    }
    return ServerCommand([tools.node, "dist/main.js"], project, port, env)


def build_java_spring(project: Path) -> ServerCommand:
    from tests.ecosystems.jvm.toolchain import java_toolchain

    java = java_toolchain()
    run(["./mvnw", "-q", "package", "-DskipTests", "-Dspotless.check.skip=true"], project, java.env)
    port = free_port()
    argv: list[str | os.PathLike[str]] = [
        java.java, "-jar", project / "target" / f"{project.name}.jar",
        f"--server.port={port}", "--server.address=127.0.0.1",
    ]  # fmt: skip
    return ServerCommand(argv, project, port, {"LOG_LEVEL": "INFO"}, timeout=180)


#: How each stack's generated project is built into a server, by stack.
BUILDERS: dict[str, Callable[[Path], ServerCommand]] = {
    "python-fastapi": build_fastapi,
    "django": build_django,
    "go": build_go,
    "rust": build_rust,
    "node-express": build_node,
    "node-nestjs": build_nest,
    "java-spring": build_java_spring,
}


@contextlib.contextmanager
def serve(stack: str, project: Path) -> Iterator[RunningService]:
    """Generate ``stack`` with its defaults in ``project``, build it, and run it."""
    from scaffold.commands.new import new_project

    if stack not in BUILDERS:
        raise AssertionError(f"no way to start a {stack} service: add it to BUILDERS in {__file__}")
    new_project(stack, project, {})
    command = BUILDERS[stack](project)
    log = project / f".server-{command.port}.log"
    env = {
        "SHUTDOWN_TIMEOUT": str(SHUTDOWN_TIMEOUT),
        "CORS_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
        **command.env,
    }
    with running_process(
        command.argv, command.cwd, command.port, env=env, timeout=command.timeout
    ) as (base, process):
        yield RunningService(stack, base, project, log, process)
