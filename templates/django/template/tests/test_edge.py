"""What every answer carries for browsers: CORS only for the listed origins, the security
headers, and the OpenAPI document of the API."""

from collections.abc import Mapping
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

APP_ORIGIN = "https://app.example"


def preflight(client: APIClient, path: str, origin: str, method: str = "POST") -> Mapping[str, str]:
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-request-id",
    ).headers


def cors_headers(headers: Mapping[str, str]) -> list[str]:
    return [name for name in headers if name.lower().startswith("access-control-allow-")]


def test_cors_is_closed_by_default(client: APIClient) -> None:
    for origin in (APP_ORIGIN, "null"):
        assert cors_headers(preflight(client, "/api/v1/items", origin)) == []
        answer = client.get("/health", HTTP_ORIGIN=origin)
        assert answer.status_code == 200
        assert cors_headers(answer.headers) == []


@override_settings(CORS_ALLOWED_ORIGINS=[APP_ORIGIN])
def test_a_listed_origin_is_granted_by_name(client: APIClient) -> None:
    for method in ("POST", "PATCH", "DELETE"):
        headers = preflight(client, "/api/v1/items/1", APP_ORIGIN, method)
        assert headers["Access-Control-Allow-Origin"] == APP_ORIGIN
        assert method in headers["Access-Control-Allow-Methods"]
        allowed = {name.strip() for name in headers["Access-Control-Allow-Headers"].split(",")}
        assert {"content-type", "x-request-id"} <= allowed
        assert "Access-Control-Allow-Credentials" not in headers
    answer = client.get("/health", HTTP_ORIGIN=APP_ORIGIN)
    assert answer["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert answer["Access-Control-Expose-Headers"] == "x-request-id"
    assert "origin" in answer["Vary"].lower()


@override_settings(CORS_ALLOWED_ORIGINS=[APP_ORIGIN])
def test_another_origin_gets_no_grant_when_one_is_listed(client: APIClient) -> None:
    for origin in ("https://elsewhere.example", "null", APP_ORIGIN + ":8443"):
        assert cors_headers(preflight(client, "/api/v1/items", origin)) == []
        answer = client.get("/health", HTTP_ORIGIN=origin)
        assert answer.status_code == 200
        assert cors_headers(answer.headers) == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("get", "/health", None), ("get", "/no-such-route", None), ("post", "/health", None)],
)
def test_every_answer_carries_the_security_headers(
    client: APIClient, method: str, path: str, body: str | None
) -> None:
    answer = getattr(client, method)(path, body)
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["Referrer-Policy"] == "no-referrer"


def test_a_refused_host_carries_the_security_headers(client: APIClient) -> None:
    answer = client.get("/health", HTTP_HOST="evil.example.com")
    assert answer.status_code == 400
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["Referrer-Policy"] == "no-referrer"


def test_the_openapi_document_describes_the_api(client: APIClient) -> None:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/json")
    document = answer.json()
    assert document["openapi"].startswith("3.")
    paths = {path: set(operations) for path, operations in document["paths"].items()}
    assert paths == {
        "/api/v1/items": {"get", "post"},
        "/api/v1/items/{item_id}": {"get", "patch", "delete"},
        "/health": {"get"},
        "/ready": {"get"},
    }


def test_the_openapi_document_is_valid_and_complete(tmp_path: Path) -> None:
    """Fails on a view the generator cannot describe, and on a document that breaks the
    OpenAPI 3 schema."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "openapi.yml")
    )
