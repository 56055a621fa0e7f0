//! `/api/v1/items` and the error format of every failure.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{app, assert_error, send, send_request};

async fn create(app: &axum::Router, name: &str) -> Value {
    let (status, body) = send(
        app,
        Method::POST,
        "/api/v1/items",
        Some(json!({"name": name})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("a page has items")
        .iter()
        .map(|item| item["name"].as_str().expect("an item has a name"))
        .collect()
}

#[tokio::test]
async fn create_then_read() {
    let app = app().await;
    let body = json!({"name": "  widget ", "description": "blue"});
    let (status, item) = send(&app, Method::POST, "/api/v1/items", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(item["id"], 1);
    assert_eq!(item["name"], "widget");
    assert_eq!(item["description"], "blue");
    assert!(item["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(item["created_at"], item["updated_at"]);

    let (status, read) = send(&app, Method::GET, "/api/v1/items/1", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, item);
}

#[tokio::test]
async fn list_filters_sorts_and_paginates() {
    let app = app().await;
    for name in ["pear", "Apple", "apricot", "banana"] {
        create(&app, name).await;
    }

    let (status, page) = send(&app, Method::GET, "/api/v1/items", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&page), ["pear", "Apple", "apricot", "banana"]);
    assert_eq!(
        (
            page["total"].clone(),
            page["limit"].clone(),
            page["offset"].clone()
        ),
        (json!(4), json!(20), json!(0))
    );

    let (_, page) = send(
        &app,
        Method::GET,
        "/api/v1/items?sort=-name&limit=2&offset=1",
        None,
    )
    .await;
    assert_eq!(names(&page), ["banana", "apricot"]);
    assert_eq!(page["total"], 4);

    let (_, page) = send(&app, Method::GET, "/api/v1/items?name=AP&sort=name", None).await;
    assert_eq!(names(&page), ["Apple", "apricot"]);
    assert_eq!(page["total"], 2);
}

#[tokio::test]
async fn bad_list_parameters_are_422() {
    let (status, body) = send(
        &app().await,
        Method::GET,
        "/api/v1/items?limit=0&offset=x&sort=size",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<Value> = assert_error(&body, "validation_error")
        .iter()
        .map(|detail| detail["field"].clone())
        .collect();
    assert_eq!(fields, [json!("limit"), json!("offset"), json!("sort")]);

    let (status, body) = send(
        &app().await,
        Method::GET,
        "/api/v1/items?limit=1&limit=2",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&body, "validation_error");
}

#[tokio::test]
async fn patch_changes_only_what_is_sent() {
    let app = app().await;
    create(&app, "widget").await;
    let patch = json!({"description": "blue"});
    let (status, item) = send(&app, Method::PATCH, "/api/v1/items/1", Some(patch)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (item["name"].as_str(), item["description"].as_str()),
        (Some("widget"), Some("blue"))
    );

    let patch = json!({"name": "gadget", "description": null});
    let (_, item) = send(&app, Method::PATCH, "/api/v1/items/1", Some(patch)).await;
    assert_eq!(item["name"], "gadget");
    assert_eq!(item["description"], Value::Null);
}

#[tokio::test]
async fn delete_then_404() {
    let app = app().await;
    create(&app, "widget").await;
    let (status, body) = send(&app, Method::DELETE, "/api/v1/items/1", None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = send(&app, method, "/api/v1/items/1", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error(&body, "not_found");
        assert_eq!(body["error"]["message"], "item 1 not found");
    }
    let patch = json!({"name": "x"});
    let (status, _) = send(&app, Method::PATCH, "/api/v1/items/1", Some(patch)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn duplicate_names_are_409() {
    let app = app().await;
    create(&app, "widget").await;
    create(&app, "gadget").await;
    let body = json!({"name": "widget"});
    let (status, body) = send(&app, Method::POST, "/api/v1/items", Some(body)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_error(&body, "conflict");

    let patch = json!({"name": "widget"});
    let (status, _) = send(&app, Method::PATCH, "/api/v1/items/2", Some(patch)).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn invalid_bodies_are_422_with_details() {
    let app = app().await;
    let cases = [
        (json!({}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({"name": 5}), "name"),
        (
            json!({"name": "ok", "description": "x".repeat(1001)}),
            "description",
        ),
        (json!([]), "body"),
    ];
    for (body, field) in cases {
        let (status, response) =
            send(&app, Method::POST, "/api/v1/items", Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let details = assert_error(&response, "validation_error");
        assert_eq!(details[0]["field"], field, "{body}");
    }
}

#[tokio::test]
async fn malformed_requests_are_400() {
    let app = app().await;
    let request = Request::post("/api/v1/items")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\": "))
        .unwrap();
    let (status, body) = send_request(&app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&body, "bad_request");

    let request = Request::post("/api/v1/items")
        .body(Body::from(r#"{"name": "widget"}"#))
        .unwrap();
    let (status, body) = send_request(&app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&body, "bad_request");
}

#[tokio::test]
async fn bad_ids_are_422() {
    let (status, body) = send(&app().await, Method::GET, "/api/v1/items/abc", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let details = assert_error(&body, "validation_error");
    assert_eq!(details[0]["field"], "id");
}

#[tokio::test]
async fn ids_and_offsets_no_database_holds_are_422() {
    let app = app().await;
    for (uri, field) in [
        ("/api/v1/items/2147483648", "id"),
        ("/api/v1/items?offset=2147483648", "offset"),
        ("/api/v1/items?offset=9223372036854775808", "offset"),
    ] {
        let (status, body) = send(&app, Method::GET, uri, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        let details = assert_error(&body, "validation_error");
        assert_eq!(details[0]["field"], field, "{uri}");
    }
}

#[tokio::test]
async fn unknown_fields_are_422() {
    let body = json!({"name": "fig", "weight": 2});
    let (status, body) = send(&app().await, Method::POST, "/api/v1/items", Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let details = assert_error(&body, "validation_error");
    assert_eq!(details[0]["field"], "weight");
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let body = json!({"name": "big", "description": "x".repeat(1024 * 1024)});
    let (status, body) = send(&app().await, Method::POST, "/api/v1/items", Some(body)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&body, "payload_too_large");
}

#[tokio::test]
async fn request_ids_are_kept_only_when_short_and_printable() {
    let app = app().await;
    for (sent, kept) in [
        ("req-42/a:b".to_owned(), true),
        ("r".repeat(128), true),
        ("r".repeat(129), false),
        ("tab\there".to_owned(), false),
    ] {
        let request = Request::builder()
            .uri("/health")
            .header("x-request-id", &sent)
            .body(Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.clone(), request)
            .await
            .unwrap();
        let answered = response.headers()["x-request-id"].to_str().unwrap();
        assert_eq!(answered == sent, kept, "{sent:?} gave {answered:?}");
        assert!((1..=128).contains(&answered.len()), "{answered:?}");
    }
}

#[tokio::test]
async fn unknown_routes_are_404() {
    let (status, body) = send(&app().await, Method::GET, "/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, "not_found");
}

#[tokio::test]
async fn wrong_methods_are_405() {
    let app = app().await;
    for (method, uri) in [
        (Method::PUT, "/api/v1/items"),
        (Method::POST, "/api/v1/items/1"),
        (Method::DELETE, "/health"),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.clone(), request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{uri}");
        assert!(response.headers().contains_key(header::ALLOW), "{uri}");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_error(&body, "method_not_allowed");
    }
}
