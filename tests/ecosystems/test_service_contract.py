"""Every stack's generated service keeps the one HTTP contract of docs/templates.md: every
probe of tests/ecosystems/contract_http.py, in order, then the drain on SIGTERM (slow tier).

Each stack runs three ways: with its defaults (its embedded database), generated for
PostgreSQL and served on a database of its own, and laid out as its contract file's
``custom_layout`` answers say (a custom agent definition's folders).

The stacks come from the template catalog; how each is built and started is in
tests/ecosystems/servers.py, so a stack added to the catalog without a way to start it
fails here instead of going unchecked.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from scaffold.templates import stack_ids
from tests.ecosystems.contract import contract_for
from tests.ecosystems.contract_http import PROBES, probe_draining
from tests.ecosystems.servers import fresh_postgres, serve

pytestmark = pytest.mark.slow

VARIANTS = ("defaults", "postgresql", "custom-layout")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("stack", stack_ids())
def test_the_service_keeps_the_http_contract(
    request: pytest.FixtureRequest, tmp_path: Path, stack: str, variant: str
) -> None:
    with contextlib.ExitStack() as resources:
        answers: dict[str, str] = {}
        database = None
        if variant == "postgresql":
            answers["database"] = "postgresql"
            server = request.getfixturevalue("postgres_url")
            database = resources.enter_context(fresh_postgres(server))
        elif variant == "custom-layout":
            answers.update(contract_for(stack).custom_layout)
        service = resources.enter_context(serve(stack, tmp_path / "inventory", answers, database))
        for probe in PROBES:
            probe(service.base)
        probe_draining(service.base, service.process)
