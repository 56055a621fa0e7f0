"""Fixtures of the stacks' slow tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ecosystems.servers import fresh_postgres


@pytest.fixture
def variant_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A new, empty PostgreSQL database (its URL) for a test's ``postgresql`` variant, dropped
    afterwards; None for its other variants."""
    if request.node.callspec.params.get("variant") != "postgresql":
        yield None
        return
    with fresh_postgres(request.getfixturevalue("postgres_url")) as database:
        yield database.url()
