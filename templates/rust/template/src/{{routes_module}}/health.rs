//! Liveness and readiness probes.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Serialize;

use super::AppState;
use crate::error::{ApiError, ErrorCode};
use crate::extract::Json;
use crate::items::ItemStore;

#[derive(Debug, Serialize)]
pub struct Status {
    pub status: &'static str,
}

pub fn routes<S: ItemStore>() -> Router<AppState<S>> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready::<S>))
}

/// `200 {"status": "ok"}` while the process serves requests; touches nothing else.
pub async fn health() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// `200 {"status": "ready"}` when the storage answers, else `503 unavailable`; `503`
/// too once the service is shutting down.
pub async fn ready<S: ItemStore>(
    State(state): State<AppState<S>>,
) -> Result<Json<Status>, ApiError> {
    if state.is_draining() {
        return Err(ApiError::new(ErrorCode::Unavailable, "shutting down"));
    }
    state.items.ping().await?;
    Ok(Json(Status { status: "ready" }))
}
