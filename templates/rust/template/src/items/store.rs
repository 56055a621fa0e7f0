//! The storage interface the routes depend on.

use std::future::Future;

use super::model::{Item, ItemChanges, ListQuery, NewItem, Page};
use crate::error::ApiError;

/// Why a storage operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("item {0} not found")]
    NotFound(u64),
    #[error("an item named {0:?} already exists")]
    DuplicateName(String),
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A failure the client cannot fix: logged, answered with a bare `500`.
    #[error("storage failed: {0}")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(_) => Self::not_found(error.to_string()),
            StoreError::DuplicateName(_) => Self::conflict(error.to_string()),
            StoreError::Unavailable(_) => Self::unavailable(error.to_string()),
            StoreError::Internal(_) => Self::internal(error),
        }
    }
}

/// Item storage, as the routes see it; [`super::SqlStore`] keeps the items in the
/// database. Another store (a cache in front, a fake in a test) implements the same trait.
pub trait ItemStore: Send + Sync + 'static {
    /// Succeeds when the storage answers (used by `GET /ready`).
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores a new item; names are unique.
    fn create(&self, item: NewItem) -> impl Future<Output = Result<Item, StoreError>> + Send;

    fn get(&self, id: u64) -> impl Future<Output = Result<Item, StoreError>> + Send;

    /// The page of items matching `query`, in its order.
    fn list(&self, query: ListQuery)
    -> impl Future<Output = Result<Page<Item>, StoreError>> + Send;

    /// Applies `changes`; names stay unique.
    fn update(
        &self,
        id: u64,
        changes: ItemChanges,
    ) -> impl Future<Output = Result<Item, StoreError>> + Send;

    fn delete(&self, id: u64) -> impl Future<Output = Result<(), StoreError>> + Send;
}
