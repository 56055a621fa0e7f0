"""Generated services, started and used over HTTP by the slow tests: the server process,
the requests, and the error format and logs every stack's service shares. The HTTP
contract itself is tests/ecosystems/contract_http.py's."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec

from tests.helpers import REPO_ROOT, run

P = ParamSpec("P")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_json(
    method: str,
    url: str,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """One HTTP request; returns the status and the decoded JSON body (or None)."""
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    elif form is not None:
        from urllib.parse import urlencode

        data = urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
    return status, (json.loads(raw) if raw else None)


@contextlib.contextmanager
def running_process(
    cmd: Sequence[str | os.PathLike[str]],
    cwd: Path,
    port: int,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/health",
    timeout: float = 60,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start a server process, wait until ``ready_path`` answers, yield its base URL and
    the process; stop it with SIGTERM afterwards (SIGKILL 15 s later)."""
    base = f"http://127.0.0.1:{port}"
    log = cwd / f".server-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited {proc.returncode}:\n{log.read_text()}")
            try:
                status, _ = http_json("GET", base + ready_path)
                if status < 500:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"server did not answer in {timeout}s:\n{log.read_text()}")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def base_url_only(
    start: Callable[P, contextlib.AbstractContextManager[tuple[str, subprocess.Popen[bytes]]]],
) -> Callable[P, contextlib.AbstractContextManager[str]]:
    """``start`` yielding only the base URL."""

    @contextlib.contextmanager
    def started(*args: P.args, **kwargs: P.kwargs) -> Iterator[str]:
        with start(*args, **kwargs) as (base, _):
            yield base

    return started


#: Start a server process, wait until its ready path answers, yield its base URL.
running_server = base_url_only(running_process)


def check_error(status: int, body: Any, want_status: int, code: str) -> list[dict[str, Any]]:
    """Assert the shared error format and return its details."""
    assert status == want_status, body
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    assert isinstance(body["error"]["details"], list), body
    return body["error"]["details"]


def postgres_server_url() -> str:
    """The PostgreSQL server the slow tests use: ``SCAFFOLD_TEST_POSTGRES_URL`` when set,
    otherwise one started by ``.ci/start-postgres``."""
    url = os.environ.get("SCAFFOLD_TEST_POSTGRES_URL")
    if not url:
        proc = subprocess.run(
            ["bash", str(REPO_ROOT / ".ci" / "start-postgres")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"could not start PostgreSQL:\n{proc.stderr}"
        url = proc.stdout.strip()
    return url


def psql(url: str, sql: str) -> None:
    run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql], cwd=Path.cwd())


def check_health(base: str) -> None:
    assert http_json("GET", base + "/health") == (200, {"status": "ok"})
    assert http_json("GET", base + "/ready") == (200, {"status": "ready"})


def logged_requests(log: Path) -> list[dict[str, Any]]:
    """The request records of a service's JSON log (``msg`` names each record), after
    checking that it listened first and shut down gracefully last."""
    records = [json.loads(line) for line in log.read_text().splitlines()]
    messages = [r["msg"] for r in records]
    assert messages[0] == "listening", messages
    assert messages[-2:] == ["shutting down", "stopped"], messages
    requests = [r for r in records if r["msg"] == "request"]
    assert {"method", "path", "status", "duration_ms"} <= set(requests[-1]), requests[-1]
    return requests


def image_environment(dockerfile: Path) -> dict[str, str]:
    """The variables the last ``ENV`` instruction of a Dockerfile sets (PATH aside): the
    settings a service runs with in its image."""
    instructions = dockerfile.read_text().replace("\\\n", " ").splitlines()
    last = [line for line in instructions if line.startswith("ENV ")][-1]
    pairs = (word.split("=", 1) for word in shlex.split(last)[1:])
    return {name: value for name, value in pairs if name != "PATH"}
