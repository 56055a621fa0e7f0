//! `GET /openapi.json`: the `OpenAPI` document of the service, generated from the
//! handlers' `#[utoipa::path]` and the types' `ToSchema` annotations.

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

use super::{AppState, health, items};
use crate::error::ErrorBody;
use crate::extract::Json;
use crate::items::{CreateItem, Item, ItemStore, Page, UpdateItem};

/// The document: every route with its parameters, bodies and answers.
#[derive(Debug, OpenApi)]
#[openapi(
    info(description = "Items, health and readiness."),
    paths(
        health::health,
        health::ready,
        items::list,
        items::create,
        items::read,
        items::update,
        items::delete,
    ),
    components(schemas(Item, CreateItem, UpdateItem, Page<Item>, ErrorBody<'static>, health::Status)),
    tags((name = "items", description = "The example resource"))
)]
pub struct ApiDoc;

pub fn routes<S: ItemStore>() -> Router<AppState<S>> {
    Router::new().route("/openapi.json", get(document))
}

/// `200` with the document, as JSON.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
