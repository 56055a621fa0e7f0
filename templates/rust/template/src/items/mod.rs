//! The example resource: items, their rules and their storage.
//!
//! [`model`] holds the data and its validation, [`store`] the storage interface the
//! routes use, and [`memory`] an in-memory implementation of it. A database-backed
//! store implements [`ItemStore`] the same way.

pub mod memory;
pub mod model;
pub mod store;

pub use memory::MemoryStore;
pub use model::{
    CreateItem, Item, ItemChanges, ListParams, ListQuery, NewItem, Page, Sort, SortKey, UpdateItem,
};
pub use store::{ItemStore, StoreError};
