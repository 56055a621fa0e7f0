"""The items API through HTTP, as a client sees it."""

from typing import Any

import pytest
from rest_framework.test import APIClient

URL = "/api/v1/items"


def create(api: APIClient, **body: Any) -> dict[str, Any]:
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    item: dict[str, Any] = response.json()
    return item


def test_create_then_get(api: APIClient) -> None:
    body = create(api, name="  widget ", description="A widget")
    assert set(body) == {"id", "name", "description", "created_at", "updated_at"}
    assert body["name"] == "widget"
    assert body["description"] == "A widget"
    assert body["created_at"].endswith("Z")

    fetched = api.get(f"{URL}/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body


def test_description_is_optional_and_may_be_null(api: APIClient) -> None:
    assert create(api, name="plain")["description"] is None
    assert create(api, name="explicit", description=None)["description"] is None


def test_duplicate_name_is_a_conflict(api: APIClient) -> None:
    create(api, name="widget")
    response = api.post(URL, {"name": "widget"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "an item named 'widget' already exists",
            "details": [],
        }
    }


def test_invalid_body_lists_each_problem(api: APIClient) -> None:
    response = api.post(URL, {"name": "", "colour": "red"}, format="json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {detail["field"] for detail in error["details"]} == {"name", "colour"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": ["widget"]}, "name"),
        ({"name": "ok", "description": "x" * 1001}, "description"),
        ({"name": "ok", "id": 7}, "id"),
    ],
)
def test_bad_bodies_are_validation_errors(api: APIClient, body: dict[str, Any], field: str) -> None:
    response = api.post(URL, body, format="json")
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [detail["field"] for detail in details] == [field]


def test_malformed_json_is_a_bad_request(api: APIClient) -> None:
    response = api.generic("POST", URL, '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_body_that_is_not_json_is_a_bad_request(api: APIClient) -> None:
    response = api.generic("POST", URL, "name=widget", content_type="text/plain")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_body_that_is_not_an_object_is_a_validation_error(api: APIClient) -> None:
    response = api.post(URL, ["widget"], format="json")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] is None


def test_missing_item_is_not_found(api: APIClient) -> None:
    response = api.get(f"{URL}/999")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "item 999 not found", "details": []}
    }


@pytest.mark.parametrize("item_id", [2**31, 2**63, 10**23])
def test_an_id_out_of_range_is_refused(api: APIClient, item_id: int) -> None:
    for method in (api.get, api.delete):
        response = method(f"{URL}/{item_id}")
        assert response.status_code == 422
        assert [d["field"] for d in response.json()["error"]["details"]] == ["id"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(api: APIClient) -> None:
    body = {"name": "big", "description": "x" * (1024 * 1024)}
    response = api.post(URL, body, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_number_is_not_a_name(api: APIClient) -> None:
    response = api.post(URL, {"name": 5}, format="json")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["name"]


def test_list_paginates_filters_and_sorts(api: APIClient) -> None:
    for name in ["delta", "alpha", "charlie", "bravo", "alphabet"]:
        create(api, name=name)

    response = api.get(URL, {"limit": "2", "offset": "1", "sort": "name"})
    assert response.status_code == 200
    page = response.json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert [item["name"] for item in page["items"]] == ["alphabet", "bravo"]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)

    filtered = api.get(URL, {"name": "ALPHA", "sort": "-name"}).json()
    assert [item["name"] for item in filtered["items"]] == ["alphabet", "alpha"]
    assert filtered["total"] == 2


def test_names_sort_ignoring_case_and_ties_keep_their_order(api: APIClient) -> None:
    for name in ["bravo", "Charlie", "Alpha"]:
        create(api, name=name)

    names = [item["name"] for item in api.get(URL, {"sort": "name"}).json()["items"]]
    assert names == ["Alpha", "bravo", "Charlie"]
    backwards = [item["name"] for item in api.get(URL, {"sort": "-name"}).json()["items"]]
    assert backwards == ["Charlie", "bravo", "Alpha"]


def test_list_defaults(api: APIClient) -> None:
    first, second = create(api, name="first"), create(api, name="second")
    page = api.get(URL).json()
    assert page == {"items": [first, second], "total": 2, "limit": 20, "offset": 0}
    newest_first = api.get(URL, {"sort": "-created_at"}).json()["items"]
    assert [item["id"] for item in newest_first] == [second["id"], first["id"]]
    assert api.get(URL, {"sort": "-id"}).json()["items"] == [second, first]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"limit": "many"}, {"offset": -1}, {"sort": "colour"}],
)
def test_list_rejects_bad_parameters(api: APIClient, params: dict[str, str | int]) -> None:
    response = api.get(URL, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [detail["field"] for detail in error["details"]] == list(params)


def test_patch_changes_only_what_is_sent(api: APIClient) -> None:
    item = create(api, name="widget", description="old")
    response = api.patch(f"{URL}/{item['id']}", {"description": "new"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "widget"
    assert response.json()["description"] == "new"
    renamed = api.patch(f"{URL}/{item['id']}", {"name": " gadget "}, format="json").json()
    assert (renamed["name"], renamed["description"]) == ("gadget", "new")


def test_patch_validates_what_is_sent(api: APIClient) -> None:
    item = create(api, name="widget")
    response = api.patch(f"{URL}/{item['id']}", {"name": ""}, format="json")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "name"


def test_patch_to_a_taken_name_is_a_conflict(api: APIClient) -> None:
    create(api, name="first")
    second = create(api, name="second")
    response = api.patch(f"{URL}/{second['id']}", {"name": "first"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    # Keeping its own name is no conflict.
    same = api.patch(f"{URL}/{second['id']}", {"name": "second"}, format="json")
    assert same.status_code == 200


def test_patch_of_a_missing_item_is_not_found(api: APIClient) -> None:
    response = api.patch(f"{URL}/404", {"name": "x"}, format="json")
    assert response.status_code == 404


def test_delete_removes_the_item(api: APIClient) -> None:
    item = create(api, name="widget")
    assert api.delete(f"{URL}/{item['id']}").status_code == 204
    assert api.get(f"{URL}/{item['id']}").status_code == 404
    assert api.delete(f"{URL}/{item['id']}").status_code == 404


def test_unsupported_method_is_method_not_allowed(api: APIClient) -> None:
    response = api.put(URL, {"name": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
