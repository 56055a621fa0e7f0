"""Fixtures shared by the tests; pytest-django gives each test a clean database."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client() -> APIClient:
    """A client of the HTTP API, without database access (pytest-django's, for the API)."""
    return APIClient()


@pytest.fixture
def api(db: None, client: APIClient) -> APIClient:
    """A client of the HTTP API, with database access for the test."""
    return client
