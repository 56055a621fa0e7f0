//! `/health` and `/ready`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{app, send};

#[tokio::test]
async fn health_is_ok() {
    let (status, body) = send(&app(), Method::GET, "/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok"}));
}

#[tokio::test]
async fn ready_when_storage_answers() {
    let (status, body) = send(&app(), Method::GET, "/ready", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ready"}));
}
