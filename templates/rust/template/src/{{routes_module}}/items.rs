//! `/api/v1/items`: create, list, read, update and delete items.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use crate::error::{ApiError, FieldError};
use crate::extract::{Json, Path, Query};
use crate::items::model::MAX_INTEGER;
use crate::items::{CreateItem, Item, ItemStore, ListParams, Page, UpdateItem};

/// The `{id}` in `/api/v1/items/{id}`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ItemPath {
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

pub async fn create<S: ItemStore>(
    State(state): State<AppState<S>>,
    Json(body): Json<CreateItem>,
) -> Result<(StatusCode, Json<Item>), ApiError> {
    let item = body.validate().map_err(ApiError::validation)?;
    let item = state.items.create(item).await?;
    tracing::info!(id = item.id, "item created");
    Ok((StatusCode::CREATED, Json(item)))
}

pub async fn list<S: ItemStore>(
    State(state): State<AppState<S>>,
    Query(params): Query<ListParams>,
) -> Result<Json<Page<Item>>, ApiError> {
    let query = params.validate().map_err(ApiError::validation)?;
    Ok(Json(state.items.list(query).await?))
}

pub async fn read<S: ItemStore>(
    State(state): State<AppState<S>>,
    Path(path): Path<ItemPath>,
) -> Result<Json<Item>, ApiError> {
    Ok(Json(state.items.get(path.checked()?).await?))
}

pub async fn update<S: ItemStore>(
    State(state): State<AppState<S>>,
    Path(path): Path<ItemPath>,
    Json(body): Json<UpdateItem>,
) -> Result<Json<Item>, ApiError> {
    let id = path.checked()?;
    let changes = body.validate().map_err(ApiError::validation)?;
    Ok(Json(state.items.update(id, changes).await?))
}

pub async fn delete<S: ItemStore>(
    State(state): State<AppState<S>>,
    Path(path): Path<ItemPath>,
) -> Result<StatusCode, ApiError> {
    let id = path.checked()?;
    state.items.delete(id).await?;
    tracing::info!(id, "item deleted");
    Ok(StatusCode::NO_CONTENT)
}
