//! Liveness and readiness probes.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Serialize;

use super::AppState;
use crate::error::ApiError;
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

/// `200 {"status": "ready"}` when the storage answers, else `503 unavailable`.
pub async fn ready<S: ItemStore>(
    State(state): State<AppState<S>>,
) -> Result<Json<Status>, ApiError> {
    state.items.ping().await?;
    Ok(Json(Status { status: "ready" }))
}
