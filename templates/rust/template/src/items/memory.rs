//! [`ItemStore`] in memory: fine for examples and tests, gone when the process ends.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::RwLock;

use super::model::{Item, ItemChanges, ListQuery, NewItem, Page, Sort, SortKey};
use super::store::{ItemStore, StoreError};

/// Items in a map behind a lock; clones share the same items.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Arc<RwLock<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    last_id: u64,
    items: BTreeMap<u64, Item>,
}

impl Inner {
    fn name_taken(&self, name: &str, except: Option<u64>) -> bool {
        self.items
            .values()
            .any(|item| item.name == name && Some(item.id) != except)
    }
}

impl MemoryStore {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

fn compare(sort: Sort, a: &Item, b: &Item) -> Ordering {
    let by_key = match sort.key {
        SortKey::Id => Ordering::Equal,
        SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
    };
    let ordering = by_key.then(a.id.cmp(&b.id));
    if sort.descending {
        ordering.reverse()
    } else {
        ordering
    }
}

impl ItemStore for MemoryStore {
    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn create(&self, item: NewItem) -> Result<Item, StoreError> {
        let mut inner = self.inner.write().await;
        if inner.name_taken(&item.name, None) {
            return Err(StoreError::DuplicateName(item.name));
        }
        inner.last_id += 1;
        let now = Utc::now();
        let item = Item {
            id: inner.last_id,
            name: item.name,
            description: item.description,
            created_at: now,
            updated_at: now,
        };
        inner.items.insert(item.id, item.clone());
        Ok(item)
    }

    async fn get(&self, id: u64) -> Result<Item, StoreError> {
        let inner = self.inner.read().await;
        inner
            .items
            .get(&id)
            .cloned()
            .ok_or(StoreError::NotFound(id))
    }

    async fn list(&self, query: ListQuery) -> Result<Page<Item>, StoreError> {
        let inner = self.inner.read().await;
        let needle = query.name.as_deref().map(str::to_lowercase);
        let mut matching: Vec<&Item> = inner
            .items
            .values()
            .filter(|item| {
                needle
                    .as_deref()
                    .is_none_or(|needle| item.name.to_lowercase().contains(needle))
            })
            .collect();
        matching.sort_by(|a, b| compare(query.sort, a, b));
        Ok(Page {
            total: matching.len(),
            items: matching
                .into_iter()
                .skip(query.offset)
                .take(query.limit)
                .cloned()
                .collect(),
            limit: query.limit,
            offset: query.offset,
        })
    }

    async fn update(&self, id: u64, changes: ItemChanges) -> Result<Item, StoreError> {
        let mut inner = self.inner.write().await;
        if !inner.items.contains_key(&id) {
            return Err(StoreError::NotFound(id));
        }
        if let Some(name) = &changes.name {
            if inner.name_taken(name, Some(id)) {
                return Err(StoreError::DuplicateName(name.clone()));
            }
        }
        let item = inner.items.get_mut(&id).ok_or(StoreError::NotFound(id))?;
        if let Some(name) = changes.name {
            item.name = name;
        }
        if let Some(description) = changes.description {
            item.description = description;
        }
        item.updated_at = Utc::now();
        Ok(item.clone())
    }

    async fn delete(&self, id: u64) -> Result<(), StoreError> {
        let mut inner = self.inner.write().await;
        inner
            .items
            .remove(&id)
            .map(drop)
            .ok_or(StoreError::NotFound(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_item(name: &str) -> NewItem {
        NewItem {
            name: name.to_owned(),
            description: None,
        }
    }

    async fn store_with(names: &[&str]) -> MemoryStore {
        let store = MemoryStore::new();
        for name in names {
            store.create(new_item(name)).await.unwrap();
        }
        store
    }

    fn names(page: &Page<Item>) -> Vec<&str> {
        page.items.iter().map(|item| item.name.as_str()).collect()
    }

    #[tokio::test]
    async fn create_get_update_delete() {
        let store = MemoryStore::new();
        let created = store.create(new_item("widget")).await.unwrap();
        assert_eq!(created.id, 1);
        assert_eq!(store.get(1).await.unwrap(), created);

        let changes = ItemChanges {
            name: None,
            description: Some(Some("blue".into())),
        };
        let updated = store.update(1, changes).await.unwrap();
        assert_eq!(updated.name, "widget");
        assert_eq!(updated.description.as_deref(), Some("blue"));
        assert!(updated.updated_at >= created.updated_at);

        store.delete(1).await.unwrap();
        assert_eq!(store.get(1).await, Err(StoreError::NotFound(1)));
        assert_eq!(store.delete(1).await, Err(StoreError::NotFound(1)));
        assert_eq!(store.create(new_item("next")).await.unwrap().id, 2);
    }

    #[tokio::test]
    async fn names_are_unique() {
        let store = store_with(&["a", "b"]).await;
        assert_eq!(
            store.create(new_item("a")).await,
            Err(StoreError::DuplicateName("a".into()))
        );
        let rename = |name: &str| ItemChanges {
            name: Some(name.to_owned()),
            description: None,
        };
        assert!(matches!(
            store.update(2, rename("a")).await,
            Err(StoreError::DuplicateName(_))
        ));
        // Keeping its own name is not a conflict.
        assert!(store.update(2, rename("b")).await.is_ok());
        assert_eq!(
            store.update(9, rename("c")).await,
            Err(StoreError::NotFound(9))
        );
    }

    #[tokio::test]
    async fn lists_filter_sort_and_paginate() {
        let store = store_with(&["pear", "Apple", "apricot", "banana"]).await;
        let query = |name: Option<&str>, sort: &str, offset: usize, limit: usize| ListQuery {
            limit,
            offset,
            name: name.map(str::to_owned),
            sort: sort.parse().unwrap(),
        };

        let page = store.list(ListQuery::default()).await.unwrap();
        assert_eq!(names(&page), ["pear", "Apple", "apricot", "banana"]);
        assert_eq!(page.total, 4);

        let page = store.list(query(None, "name", 0, 20)).await.unwrap();
        assert_eq!(names(&page), ["Apple", "apricot", "banana", "pear"]);

        let page = store.list(query(None, "-id", 1, 2)).await.unwrap();
        assert_eq!(names(&page), ["apricot", "Apple"]);
        assert_eq!((page.total, page.offset, page.limit), (4, 1, 2));

        let page = store.list(query(Some("AP"), "-name", 0, 20)).await.unwrap();
        assert_eq!(names(&page), ["apricot", "Apple"]);
        assert_eq!(page.total, 2);

        let page = store.list(query(None, "created_at", 10, 20)).await.unwrap();
        assert!(page.items.is_empty());
        assert_eq!(page.total, 4);
    }
}
