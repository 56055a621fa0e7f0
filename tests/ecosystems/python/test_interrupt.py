"""SIGINT (Ctrl-C) stops the Python services as SIGTERM does (slow tier): readiness off first,
serving on for SHUTDOWN_DELAY, then a drain bounded by SHUTDOWN_TIMEOUT. The contract's
drain probe (tests/ecosystems/contract_http.py) sends SIGTERM; gunicorn's own SIGINT is a
quick stop and uvicorn's a plain shutdown, so this is checked here."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.ecosystems.contract_http import (
    EXIT_MARGIN,
    SHUTDOWN_DELAY,
    SHUTDOWN_TIMEOUT,
    error_details,
    request,
)
from tests.ecosystems.servers import serve

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ["python-fastapi", "django"])
def test_sigint_turns_readiness_off_then_drains(tmp_path: Path, stack: str) -> None:
    with serve(stack, tmp_path / "inventory") as service:
        assert request(service.base, "GET", "/ready", timeout=5).status == 200
        signalled = time.monotonic()
        service.process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        error_details(request(service.base, "GET", "/ready", timeout=1), 503, "unavailable")
        assert request(service.base, "GET", "/health", timeout=1).status == 200
        assert time.monotonic() - signalled < SHUTDOWN_DELAY, "the test itself was too slow"
        service.process.wait(timeout=SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT + EXIT_MARGIN)
        took = time.monotonic() - signalled
        assert SHUTDOWN_DELAY <= took < SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT + EXIT_MARGIN, took
