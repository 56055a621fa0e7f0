//! `/api/v1/items`: create, list, read, update and delete items.
#![allow(
    unused_qualifications,
    reason = "the code `#[utoipa::path(params(...))]` generates names the parameters' types in full"
)]

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{Json, Path, Query};
use crate::items::model::MAX_INTEGER;
use crate::items::{CreateItem, Item, ItemStore, ListParams, Page, UpdateItem};

/// The `{id}` in `/api/v1/items/{id}`.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ItemPath {
    /// The item's id, 1 to 2147483647.
    #[param(minimum = 1, maximum = 2_147_483_647)]
    pub id: u64,
}

impl ItemPath {
    /// The id, when it is one an item can have: at most [`MAX_INTEGER`].
    pub fn checked(self) -> Result<u64, ApiError> {
        if self.id > MAX_INTEGER {
            return Err(ApiError::validation(vec![FieldError::new(
                "id",
                format!("must be at most {MAX_INTEGER}"),
            )]));
        }
        Ok(self.id)
    }
}

pub fn routes<S: ItemStore>() -> Router<AppState<S>> {
    Router::new()
        .route("/", get(list::<S>).post(create::<S>))
        .route(
            "/{id}",
            get(read::<S>).patch(update::<S>).delete(delete::<S>),
        )
}

/// Creates an item.
#[utoipa::path(
    post, path = "/api/v1/items", tag = "items", request_body = CreateItem,
    responses(
        (status = 201, description = "Created", body = Item),
        (status = 400, description = "Not JSON", body = ErrorBody<'static>),
        (status = 409, description = "The name is taken", body = ErrorBody<'static>),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody<'static>),
        (status = 422, description = "A field is wrong", body = ErrorBody<'static>),
    )
)]
pub async fn create<S: ItemStore>(
    State(state): State<AppState<S>>,
    Json(body): Json<CreateItem>,
) -> Result<(StatusCode, Json<Item>), ApiError> {
    let item = body.validate().map_err(ApiError::validation)?;
    let item = state.items.create(item).await?;
    tracing::info!(id = item.id, "item created");
    Ok((StatusCode::CREATED, Json(item)))
}

/// A page of items, filtered and sorted.
#[utoipa::path(
    get, path = "/api/v1/items", tag = "items", params(ListParams),
    responses(
        (status = 200, description = "A page of items", body = Page<Item>),
        (status = 422, description = "A parameter is wrong", body = ErrorBody<'static>),
    )
)]
pub async fn list<S: ItemStore>(
    State(state): State<AppState<S>>,
    Query(params): Query<ListParams>,
) -> Result<Json<Page<Item>>, ApiError> {
    let query = params.validate().map_err(ApiError::validation)?;
    Ok(Json(state.items.list(query).await?))
}

/// One item.
#[utoipa::path(
    get, path = "/api/v1/items/{id}", tag = "items", params(ItemPath),
    responses(
        (status = 200, description = "The item", body = Item),
        (status = 404, description = "No such item", body = ErrorBody<'static>),
        (status = 422, description = "The id is out of range", body = ErrorBody<'static>),
    )
)]
pub async fn read<S: ItemStore>(
    State(state): State<AppState<S>>,
    Path(path): Path<ItemPath>,
) -> Result<Json<Item>, ApiError> {
    Ok(Json(state.items.get(path.checked()?).await?))
}

/// Changes the fields sent, and only those.
#[utoipa::path(
    patch, path = "/api/v1/items/{id}", tag = "items", params(ItemPath), request_body = UpdateItem,
    responses(
        (status = 200, description = "The changed item", body = Item),
        (status = 404, description = "No such item", body = ErrorBody<'static>),
        (status = 409, description = "The name is taken", body = ErrorBody<'static>),
        (status = 422, description = "A field is wrong", body = ErrorBody<'static>),
    )
)]
pub async fn update<S: ItemStore>(
    State(state): State<AppState<S>>,
    Path(path): Path<ItemPath>,
    Json(body): Json<UpdateItem>,
) -> Result<Json<Item>, ApiError> {
    let id = path.checked()?;
    let changes = body.validate().map_err(ApiError::validation)?;
    Ok(Json(state.items.update(id, changes).await?))
}

/// Deletes an item.
#[utoipa::path(
    delete, path = "/api/v1/items/{id}", tag = "items", params(ItemPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such item", body = ErrorBody<'static>),
    )
)]
pub async fn delete<S: ItemStore>(
    State(state): State<AppState<S>>,
    Path(path): Path<ItemPath>,
) -> Result<StatusCode, ApiError> {
    let id = path.checked()?;
    state.items.delete(id).await?;
    tracing::info!(id, "item deleted");
    Ok(StatusCode::NO_CONTENT)
}
