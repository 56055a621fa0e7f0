"""The items API every generated service serves, checked over HTTP by the slow tests: the
parts the stacks share. Each stack's test adds what only its service does."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.helpers import check_error, http_json


def check_health(base: str) -> None:
    assert http_json("GET", base + "/health") == (200, {"status": "ok"})
    assert http_json("GET", base + "/ready") == (200, {"status": "ready"})


def create_two_items(base: str, gadget: dict[str, Any]) -> dict[str, Any]:
    """Create ``widget`` (returned as the service gave it back), then ``gadget``."""
    status, created = http_json(
        "POST", base + "/api/v1/items", {"name": "  widget  ", "description": "blue"}
    )
    assert status == 201, created
    assert set(created) == {"id", "name", "description", "created_at", "updated_at"}
    assert (created["name"], created["description"]) == ("widget", "blue")
    assert isinstance(created["id"], int)
    stamp = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
    offset = stamp.utcoffset()
    assert offset is not None and offset.total_seconds() == 0
    assert http_json("POST", base + "/api/v1/items", gadget)[0] == 201
    return dict(created)


def check_pages(base: str, created: dict[str, Any]) -> None:
    """The two items, listed whole, then filtered and sorted."""
    status, page = http_json("GET", base + "/api/v1/items")
    assert status == 200, page
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert page["items"][0] == created
    status, page = http_json("GET", base + "/api/v1/items?name=GAD&sort=-id&limit=5")
    assert status == 200, page
    assert [i["name"] for i in page["items"]] == ["gadget"]
    assert (page["total"], page["limit"]) == (1, 5)


def item_names(base: str, query: str) -> list[str]:
    """The names of the items a listing with ``query`` gives."""
    status, page = http_json("GET", f"{base}/api/v1/items?{query}")
    assert status == 200, page
    return [i["name"] for i in page["items"]]


def check_missing_item(base: str) -> None:
    status, body = http_json("GET", base + "/api/v1/items/999")
    check_error(status, body, 404, "not_found")
    assert body["error"]["message"] == "item 999 not found"


def check_refused_requests(base: str) -> None:
    """A bad query, a name taken and a method the route does not have."""
    status, body = http_json("GET", base + "/api/v1/items?limit=1000&sort=size")
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["limit", "sort"]
    status, body = http_json("POST", base + "/api/v1/items", {"name": "widget"})
    check_error(status, body, 409, "conflict")
    status, body = http_json("PUT", base + "/api/v1/items/1", {"name": "x"})
    check_error(status, body, 405, "method_not_allowed")


def refused_fields(base: str, body: dict[str, Any]) -> list[str]:
    """The fields a POST of ``body`` is refused for, as a validation error."""
    status, answer = http_json("POST", base + "/api/v1/items", body)
    return [d["field"] for d in check_error(status, answer, 422, "validation_error")]


def patch_then_delete(base: str, created: dict[str, Any]) -> dict[str, Any]:
    """Clear the description of ``created``, delete it, and see it gone; the patched item."""
    item_url = f"{base}/api/v1/items/{created['id']}"
    status, updated = http_json("PATCH", item_url, {"description": None})
    assert status == 200, updated
    assert (updated["name"], updated["description"]) == ("widget", None)
    assert http_json("DELETE", item_url) == (204, None)
    check_error(*http_json("GET", item_url), 404, "not_found")
    return dict(updated)


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
