"""The HTTP contract every generated service keeps (docs/templates.md, "The service every
template generates"), as black-box probes: plain functions taking the base URL of a running
service that starts empty, run in the order of ``PROBES``.

tests/ecosystems/test_service_contract.py runs every probe against every stack's server.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

ITEMS = "/api/v1/items"
#: The largest id, offset and page size a request may name (2^31 - 1: every stack's storage
#: holds it), and the body size over which a request is refused.
MAX_INTEGER = 2**31 - 1
MAX_BODY_BYTES = 1024 * 1024
MAX_REQUEST_ID_LENGTH = 128
#: The one origin the suite allows (``CORS_ALLOWED_ORIGINS``); every other is refused.
ALLOWED_ORIGIN = "https://app.example"
#: The headers every answer carries, whatever its status.
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
#: What the suite gives every service, in seconds: how long it keeps serving after SIGTERM
#: while ``/ready`` says 503 (``SHUTDOWN_DELAY``), the drain timeout after that
#: (``SHUTDOWN_TIMEOUT``), and how much longer than both a process may take to exit.
SHUTDOWN_DELAY = 2
SHUTDOWN_TIMEOUT = 3
EXIT_MARGIN = 3


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: Any


def request(
    base: str,
    method: str,
    target: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """One request, sent exactly as given (``target`` is not re-encoded); the answer with its
    JSON body decoded (None when empty). Header names are lowercase in the answer."""
    parts = urlsplit(base)
    all_headers = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        all_headers.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request(method, target, body=data, headers=all_headers)
        response = connection.getresponse()
        payload = response.read()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, json.loads(payload) if payload else None)
    finally:
        connection.close()


def error_details(answer: Answer, status: int, code: str) -> list[dict[str, Any]]:
    """Assert the one error format with ``status`` and ``code``; its details."""
    body = answer.body
    assert answer.status == status, (answer.status, body)
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    assert isinstance(body["error"]["details"], list), body
    for detail in body["error"]["details"]:
        assert isinstance(detail, dict) and {"field", "message"} <= set(detail), body
    return list(body["error"]["details"])


def refused_fields(answer: Answer) -> list[str]:
    """The fields a 422 validation error names, in its order."""
    return [d["field"] for d in error_details(answer, 422, "validation_error")]


def create(base: str, name: str, description: str | None = None) -> dict[str, Any]:
    answer = request(base, "POST", ITEMS, {"name": name, "description": description})
    assert answer.status == 201, (answer.status, answer.body)
    return dict(answer.body)


def names(base: str, query: str) -> list[str]:
    answer = request(base, "GET", f"{ITEMS}?{query}")
    assert answer.status == 200, (answer.status, answer.body)
    return [item["name"] for item in answer.body["items"]]


# --- the probes -------------------------------------------------------------------------


def probe_health_and_readiness(base: str) -> None:
    assert (request(base, "GET", "/health").status, request(base, "GET", "/health").body) == (
        200,
        {"status": "ok"},
    )
    ready = request(base, "GET", "/ready")
    assert (ready.status, ready.body) == (200, {"status": "ready"})


def probe_crud(base: str) -> None:
    created = create(base, "  widget  ", "blue")
    assert set(created) == {"id", "name", "description", "created_at", "updated_at"}
    assert (created["name"], created["description"]) == ("widget", "blue")
    assert isinstance(created["id"], int) and 1 <= created["id"] <= MAX_INTEGER
    for stamp in (created["created_at"], created["updated_at"]):
        offset = datetime.fromisoformat(stamp.replace("Z", "+00:00")).utcoffset()
        assert offset is not None and offset.total_seconds() == 0, stamp
    url = f"{ITEMS}/{created['id']}"
    fetched = request(base, "GET", url)
    assert (fetched.status, fetched.body) == (200, created)

    patched = request(base, "PATCH", url, {"description": None})
    assert patched.status == 200, patched.body
    assert (patched.body["name"], patched.body["description"]) == ("widget", None)
    assert patched.body["updated_at"] >= created["updated_at"]
    renamed = request(base, "PATCH", url, {"name": " gizmo "})
    assert (renamed.status, renamed.body["name"]) == (200, "gizmo"), renamed.body
    assert renamed.body["description"] is None

    deleted = request(base, "DELETE", url)
    assert (deleted.status, deleted.body) == (204, None)
    missing = error_details(request(base, "GET", url), 404, "not_found")
    assert missing == []
    error_details(request(base, "PATCH", url, {"name": "x"}), 404, "not_found")
    error_details(request(base, "DELETE", url), 404, "not_found")
    message = request(base, "GET", f"{ITEMS}/{created['id']}").body["error"]["message"]
    assert message == f"item {created['id']} not found"


def probe_pagination_filtering_and_sorting(base: str) -> None:
    """Five items; pages of them, filtered by name and sorted every way."""
    for name in ("delta", "Alpha", "Charlie", "bravo", "echo"):
        create(base, name)
    page = request(base, "GET", ITEMS)
    assert page.status == 200, page.body
    assert set(page.body) == {"items", "total", "limit", "offset"}
    assert (page.body["total"], page.body["limit"], page.body["offset"]) == (5, 20, 0)
    ids = [item["id"] for item in page.body["items"]]
    assert ids == sorted(ids) and len(ids) == 5

    second = request(base, "GET", f"{ITEMS}?limit=2&offset=2")
    assert (second.body["total"], second.body["limit"], second.body["offset"]) == (5, 2, 2)
    assert [item["id"] for item in second.body["items"]] == ids[2:4]
    beyond = request(base, "GET", f"{ITEMS}?offset=50")
    assert (beyond.status, beyond.body["items"], beyond.body["total"]) == (200, [], 5)

    # Sorting by name ignores case; the name filter is a case-insensitive substring.
    assert names(base, "sort=name") == ["Alpha", "bravo", "Charlie", "delta", "echo"]
    assert names(base, "sort=-name&limit=2") == ["echo", "delta"]
    assert names(base, "sort=-id") == names(base, "sort=id")[::-1]
    assert names(base, "sort=-created_at")[0] == "echo"
    assert names(base, "sort=created_at")[0] == "delta"
    assert names(base, "name=HA&sort=name") == ["Alpha", "Charlie"]
    filtered = request(base, "GET", f"{ITEMS}?name=a&limit=1&sort=-name")
    assert filtered.body["total"] == 4, filtered.body
    assert [item["name"] for item in filtered.body["items"]] == ["delta"]
    assert names(base, "name=zzz") == []


def probe_malformed_bodies(base: str) -> None:
    """A body that is not JSON, or stops half-way, is a 400."""
    error_details(request(base, "POST", ITEMS, raw=b'{"name": '), 400, "bad_request")
    error_details(request(base, "POST", ITEMS, raw=b"not json"), 400, "bad_request")


def probe_conflicts(base: str) -> None:
    """Names are unique as stored: trimmed, case kept."""
    first = create(base, "Unique")
    error_details(request(base, "POST", ITEMS, {"name": "Unique"}), 409, "conflict")
    error_details(request(base, "POST", ITEMS, {"name": " Unique "}), 409, "conflict")
    second = create(base, "unique")
    answer = request(base, "PATCH", f"{ITEMS}/{second['id']}", {"name": "Unique"})
    error_details(answer, 409, "conflict")
    same = request(base, "PATCH", f"{ITEMS}/{first['id']}", {"name": "Unique"})
    assert (same.status, same.body["name"]) == (200, "Unique"), same.body


def probe_routing_errors(base: str) -> None:
    error_details(request(base, "GET", "/no/such/route"), 404, "not_found")
    error_details(request(base, "PUT", f"{ITEMS}/1", {"name": "x"}), 405, "method_not_allowed")
    error_details(request(base, "PUT", ITEMS, {"name": "x"}), 405, "method_not_allowed")


def probe_query_bounds(base: str) -> None:
    """Page sizes, offsets and sort keys out of bounds: 422, naming the parameter."""
    for query, field in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        (f"offset={MAX_INTEGER + 1}", "offset"),
        (f"offset={2**63}", "offset"),
        (f"offset={10**30}", "offset"),
        ("sort=size", "sort"),
    ]:
        assert refused_fields(request(base, "GET", f"{ITEMS}?{query}")) == [field], query
    both = request(base, "GET", f"{ITEMS}?limit=1000&sort=size")
    assert refused_fields(both) == ["limit", "sort"]
    # The bounds themselves are accepted.
    assert names(base, f"offset={MAX_INTEGER}") == []
    assert names(base, "limit=100&offset=1")[0] == names(base, "limit=2")[1]


def probe_id_bounds(base: str) -> None:
    """An id above 2^31 - 1 is a 422 on every route that takes one; an id no item has is
    a 404."""
    for value in (MAX_INTEGER + 1, 2**63, 10**30):
        for method, body in (("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)):
            answer = request(base, method, f"{ITEMS}/{value}", body)
            assert refused_fields(answer) == ["id"], (method, value)
    error_details(request(base, "GET", f"{ITEMS}/{MAX_INTEGER}"), 404, "not_found")


def probe_body_validation(base: str) -> None:
    """Each field's type, presence, length and null rules, for POST and PATCH alike."""
    for body, fields in [
        ({}, ["name"]),
        ({"name": ""}, ["name"]),
        ({"name": "   "}, ["name"]),
        ({"name": None}, ["name"]),
        ({"name": 5}, ["name"]),
        ({"name": "n" * 101}, ["name"]),
        ({"name": "ok", "description": 5}, ["description"]),
        ({"name": "ok", "description": "d" * 1001}, ["description"]),
    ]:
        assert refused_fields(request(base, "POST", ITEMS, body)) == fields, body
    assert create(base, "n" * 100, "d" * 1000)["name"] == "n" * 100

    item = create(base, "patched")
    url = f"{ITEMS}/{item['id']}"
    for body, fields in [
        ({"name": None}, ["name"]),
        ({"name": ""}, ["name"]),
        ({"name": 5}, ["name"]),
        ({"description": 5}, ["description"]),
    ]:
        assert refused_fields(request(base, "PATCH", url, body)) == fields, body
    unchanged = request(base, "PATCH", url, {})
    assert (unchanged.status, unchanged.body["name"]) == (200, "patched")


def probe_unknown_fields(base: str) -> None:
    """A field the resource does not have is refused, never silently dropped."""
    answer = request(base, "POST", ITEMS, {"name": "typo", "descripton": "x"})
    assert refused_fields(answer) == ["descripton"]
    item = create(base, "typo")
    answer = request(base, "PATCH", f"{ITEMS}/{item['id']}", {"nme": "other"})
    assert refused_fields(answer) == ["nme"]


def probe_oversized_body(base: str) -> None:
    """A body over 1 MiB is refused with 413 before it is read whole."""
    big = json.dumps({"name": "big", "description": "x" * MAX_BODY_BYTES}).encode()
    error_details(refused_upload(base, "POST", ITEMS, big), 413, "payload_too_large")
    item = create(base, "small")
    answer = refused_upload(base, "PATCH", f"{ITEMS}/{item['id']}", big)
    error_details(answer, 413, "payload_too_large")


#: How many times an oversized upload is sent before a broken connection fails the probe.
UPLOAD_ATTEMPTS = 5


def refused_upload(base: str, method: str, target: str, body: bytes) -> Answer:
    """The answer to an upload the server refuses without reading it. A server that answers
    and closes while the client is still sending can break the connection before the client
    reads the answer (gunicorn does, on a busy machine): that race is tried again, a few
    times, and never taken for an answer."""
    for attempt in range(UPLOAD_ATTEMPTS):
        try:
            return request(base, method, target, raw=body)
        except (BrokenPipeError, ConnectionResetError):
            if attempt == UPLOAD_ATTEMPTS - 1:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


def probe_request_ids(base: str) -> None:
    """A client's X-Request-ID is echoed when it is 1..128 printable ASCII characters;
    otherwise (and when there is none) the service makes one up and answers with it."""
    good = "req-0123456789/ABC:xyz"
    assert (
        request(base, "GET", "/health", headers={"X-Request-ID": good}).headers["x-request-id"]
        == good
    )
    longest = "r" * MAX_REQUEST_ID_LENGTH
    answer = request(base, "GET", ITEMS, headers={"X-Request-ID": longest})
    assert answer.headers["x-request-id"] == longest
    for bad in ("r" * (MAX_REQUEST_ID_LENGTH + 1), "x" * 5000, "tab\there", "caf\u00e9"):
        sent = bad.encode("utf-8").decode("latin-1")
        answer = request(base, "GET", "/health", headers={"X-Request-ID": sent})
        echoed = answer.headers["x-request-id"]
        assert echoed != sent and generated_id(echoed), (bad[:20], echoed)
    for target in ("/health", ITEMS, "/no/such/route"):
        assert generated_id(request(base, "GET", target).headers["x-request-id"]), target
    first = request(base, "GET", "/health").headers["x-request-id"]
    assert first != request(base, "GET", "/health").headers["x-request-id"]


def probe_cross_origin_requests(base: str) -> None:
    """Cross-origin access is granted to the origins ``CORS_ALLOWED_ORIGINS`` lists (the suite
    starts every service with ``ALLOWED_ORIGIN``) and to no other: a preflight from another
    origin, and the request after it, carry no Access-Control-Allow-* header; the listed
    origin is named exactly (never ``*``, never with credentials)."""
    for origin, method in (("https://elsewhere.example", "POST"), ("null", "DELETE")):
        preflight = request(base, "OPTIONS", ITEMS, headers=preflight_headers(origin, method))
        assert allow_headers(preflight) == [], (origin, preflight.status, preflight.headers)
        listing = request(base, "GET", ITEMS, headers={"Origin": origin})
        assert listing.status == 200
        assert allow_headers(listing) == [], (origin, listing.headers)

    for target, method in ((ITEMS, "POST"), (f"{ITEMS}/1", "PATCH"), (f"{ITEMS}/1", "DELETE")):
        preflight = request(
            base, "OPTIONS", target, headers=preflight_headers(ALLOWED_ORIGIN, method)
        )
        assert preflight.status in (200, 204), (target, preflight.status, preflight.body)
        assert preflight.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN, (
            target,
            preflight.headers,
        )
        allowed = tokens(preflight.headers.get("access-control-allow-methods", "")).split()
        assert method.lower() in allowed, (target, preflight.headers)
        granted = tokens(preflight.headers.get("access-control-allow-headers", ""))
        assert {"content-type", "x-request-id"} <= set(granted.split()), preflight.headers
        assert "access-control-allow-credentials" not in preflight.headers, preflight.headers
    listing = request(base, "GET", ITEMS, headers={"Origin": ALLOWED_ORIGIN})
    assert listing.status == 200
    assert listing.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN, listing.headers
    assert "origin" in tokens(listing.headers.get("vary", "")).split(), listing.headers
    exposed = tokens(listing.headers.get("access-control-expose-headers", "")).split()
    assert "x-request-id" in exposed, listing.headers


def preflight_headers(origin: str, method: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type,x-request-id",
    }


def allow_headers(answer: Answer) -> list[str]:
    return [name for name in answer.headers if name.startswith("access-control-allow-")]


def tokens(value: str) -> str:
    """A comma-separated header value as lowercase words separated by single spaces."""
    return " ".join(part.strip().lower() for part in value.split(",") if part.strip())


def probe_security_headers(base: str) -> None:
    """Every answer, errors included, tells browsers not to sniff types, frame it or send a
    referrer on."""
    for method, target in (("GET", "/health"), ("GET", ITEMS), ("GET", "/no/such/route")):
        headers = request(base, method, target).headers
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name, "").lower() == value.lower(), (target, name, headers)
    refused = request(base, "POST", ITEMS, raw=b"not json")
    for name, value in SECURITY_HEADERS.items():
        assert refused.headers.get(name, "").lower() == value.lower(), (name, refused.headers)


def probe_openapi_document(base: str) -> None:
    """``GET /openapi.json``: a valid OpenAPI 3 document describing the items API."""
    from openapi_spec_validator import validate

    answer = request(base, "GET", "/openapi.json")
    assert answer.status == 200, answer.status
    assert answer.headers.get("content-type", "").startswith("application/json"), answer.headers
    document = answer.body
    assert isinstance(document, dict) and str(document.get("openapi", "")).startswith("3."), (
        document
    )
    validate(document)
    paths = document["paths"]
    assert {"get", "post"} <= set(paths.get(ITEMS, {})), sorted(paths)
    by_id = [path for path in paths if re.fullmatch(re.escape(ITEMS) + r"/\{\w+\}", path)]
    assert len(by_id) == 1, sorted(paths)
    assert {"get", "patch", "delete"} <= set(paths[by_id[0]]), paths[by_id[0]]
    for path in ("/health", "/ready"):
        assert "get" in paths.get(path, {}), (path, sorted(paths))


def generated_id(value: str) -> bool:
    return 0 < len(value) <= MAX_REQUEST_ID_LENGTH and value.isascii() and value.isprintable()


#: Every probe, in the order they run against one service.
PROBES: tuple[Callable[[str], None], ...] = (
    probe_health_and_readiness,
    probe_crud,
    probe_pagination_filtering_and_sorting,
    probe_query_bounds,
    probe_id_bounds,
    probe_body_validation,
    probe_unknown_fields,
    probe_malformed_bodies,
    probe_oversized_body,
    probe_conflicts,
    probe_routing_errors,
    probe_request_ids,
    probe_cross_origin_requests,
    probe_security_headers,
    probe_openapi_document,
)


def probe_draining(base: str, process: subprocess.Popen[bytes]) -> None:
    """SIGTERM with a client holding a connection open on half a request. Readiness goes off
    first: for ``SHUTDOWN_DELAY`` seconds the service still serves (``/health`` is 200) while
    ``/ready`` answers 503, so a load balancer stops sending before anything is refused. Then
    it drains: no new request gets a 200 from ``/ready`` (503, or the port takes no
    connections), and the process exits within its drain timeout, the client's connection
    notwithstanding. Run last: it stops the service."""
    parts = urlsplit(base)
    address = (parts.hostname or "", parts.port or 80)
    with socket.create_connection(address, timeout=10) as stalled:
        stalled.sendall(b"GET /health HTTP/1.1\r\nHost: service\r\n")
        time.sleep(0.2)
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        error_details(request(base, "GET", "/ready", timeout=1), 503, "unavailable")
        health = request(base, "GET", "/health", timeout=1)
        assert health.status == 200, health
        assert time.monotonic() - signalled < SHUTDOWN_DELAY, "the probe itself was too slow"
        time.sleep(max(0.0, signalled + SHUTDOWN_DELAY + 0.5 - time.monotonic()))
        try:
            ready = request(base, "GET", "/ready", timeout=1)
        except OSError:
            pass  # refused or unanswered: no new request reaches a draining service
        else:
            error_details(ready, 503, "unavailable")
        limit = SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT + EXIT_MARGIN
        try:
            process.wait(timeout=max(0.0, signalled + limit - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"still running {limit}s after SIGTERM, with a delay of {SHUTDOWN_DELAY}s "
                f"and a drain timeout of {SHUTDOWN_TIMEOUT}s"
            ) from None
        took = time.monotonic() - signalled
        assert took < limit, f"exited {took:.1f}s after SIGTERM"
