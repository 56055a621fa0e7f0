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
    Json(api_doc())
}

/// [`ApiDoc`] with its title, version and license from `Cargo.toml`, less a license
/// that `Cargo.toml` leaves empty.
#[must_use]
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    if document
        .info
        .license
        .as_ref()
        .is_some_and(|license| license.name.is_empty())
    {
        document.info.license = None;
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_no_empty_license() {
        let document = serde_json::to_value(api_doc()).unwrap();
        assert_eq!(document["info"]["title"], env!("CARGO_PKG_NAME"));
        assert_eq!(document["info"].get("license"), None);
    }
}
