//! Liveness and readiness probes.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::extract::Json;
use crate::items::ItemStore;

#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    pub status: &'static str,
}

pub fn routes<S: ItemStore>() -> Router<AppState<S>> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready::<S>))
}

/// `200 {"status": "ok"}` while the process serves requests; touches nothing else.
#[utoipa::path(get, path = "/health", responses((status = 200, description = "Alive", body = Status)))]
pub async fn health() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// `200 {"status": "ready"}` when the storage answers, else `503 unavailable`; `503`
/// too once the service is shutting down.
#[utoipa::path(
    get, path = "/ready",
    responses(
        (status = 200, description = "Ready to serve", body = Status),
        (status = 503, description = "The database does not answer, or shutting down", body = ErrorBody<'static>),
    )
)]
pub async fn ready<S: ItemStore>(
    State(state): State<AppState<S>>,
) -> Result<Json<Status>, ApiError> {
    if state.is_draining() {
        return Err(ApiError::new(ErrorCode::Unavailable, "shutting down"));
    }
    state.items.ping().await?;
    Ok(Json(Status { status: "ready" }))
}
