"""Every stack's generated service, started with its defaults, keeps the one HTTP contract
of docs/templates.md: every probe of tests/ecosystems/contract_http.py, in order, then the
drain on SIGTERM (slow tier).

The stacks come from the template catalog; how each is built and started is in
tests/ecosystems/servers.py, so a stack added to the catalog without a way to start it
fails here instead of going unchecked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.templates import stack_ids
from tests.ecosystems.contract_http import PROBES, probe_draining
from tests.ecosystems.servers import serve

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", stack_ids())
def test_the_service_keeps_the_http_contract(tmp_path: Path, stack: str) -> None:
    with serve(stack, tmp_path / "inventory") as service:
        for probe in PROBES:
            probe(service.base)
        probe_draining(service.base, service.process)
