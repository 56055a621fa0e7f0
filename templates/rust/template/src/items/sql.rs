//! [`ItemStore`] in the database (see [`crate::db`]), with sqlx's runtime query API.

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::QueryBuilder;

use super::model::{Item, ItemChanges, ListQuery, NewItem, Page, SortKey};
use super::store::{ItemStore, StoreError};
use crate::db::{Db, DbPool};

const COLUMNS: &str = "id, name, description, created_at, updated_at";

/// Items in the `items` table; clones share the same pool.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: DbPool,
}

impl SqlStore {
    /// A store on `pool`, whose database has been migrated ([`crate::db::migrate`]).
    #[must_use]
    pub const fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    #[must_use]
    pub const fn pool(&self) -> &DbPool {
        &self.pool
    }
}

/// One row of `items`.
#[derive(Debug, sqlx::FromRow)]
struct ItemRow {
    id: i64,
    name: String,
    description: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ItemRow> for Item {
    type Error = StoreError;

    fn try_from(row: ItemRow) -> Result<Self, Self::Error> {
        Ok(Self {
            id: u64::try_from(row.id)
                .map_err(|_| StoreError::Internal(format!("negative item id {}", row.id)))?,
            name: row.name,
            description: row.description,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The time stored for a change: now, to the microsecond (what every database keeps).
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The database's id for `id`, or `None` when no row can have it.
fn row_id(id: u64) -> Option<i64> {
    i64::try_from(id).ok()
}

/// A `LIKE` pattern matching names that contain `needle`, whatever their case: `%`, `_`
/// and `\` in it match themselves.
fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::from("%");
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Why a query failed, in the store's terms: a name taken is a conflict, a database that
/// cannot be reached is unavailable, anything else is an internal error.
fn store_error(error: &sqlx::Error, name: Option<&str>) -> StoreError {
    match error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::DuplicateName(name.unwrap_or_default().to_owned())
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(error.to_string()),
        _ => StoreError::Internal(error.to_string()),
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        store_error(&error, None)
    }
}

impl ItemStore for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        // Whatever the failure (no connection, no database, a server shutting down), the
        // database does not answer.
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(|error| StoreError::Unavailable(error.to_string()))?;
        Ok(())
    }

    async fn create(&self, item: NewItem) -> Result<Item, StoreError> {
        let sql = format!(
            "INSERT INTO items (name, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $3) RETURNING {COLUMNS}"
        );
        sqlx::query_as::<_, ItemRow>(&sql)
            .bind(&item.name)
            .bind(&item.description)
            .bind(now())
            .fetch_one(&self.pool)
            .await
            .map_err(|error| store_error(&error, Some(&item.name)))?
            .try_into()
    }

    async fn get(&self, id: u64) -> Result<Item, StoreError> {
        let Some(row_id) = row_id(id) else {
            return Err(StoreError::NotFound(id));
        };
        let sql = format!("SELECT {COLUMNS} FROM items WHERE id = $1");
        sqlx::query_as::<_, ItemRow>(&sql)
            .bind(row_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound(id))?
            .try_into()
    }

    async fn list(&self, query: ListQuery) -> Result<Page<Item>, StoreError> {
        let pattern = query.name.as_deref().map(contains_pattern);
        let filter = |sql: &mut QueryBuilder<'_, Db>| {
            if let Some(pattern) = &pattern {
                sql.push(" WHERE lower(name) LIKE ")
                    .push_bind(pattern.clone())
                    .push(" ESCAPE '\\'");
            }
        };

        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM items");
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;

        let order = match query.sort.key {
            SortKey::Id => "id",
            SortKey::Name => "lower(name)",
            SortKey::CreatedAt => "created_at",
        };
        let direction = if query.sort.descending { "DESC" } else { "ASC" };
        let mut select = QueryBuilder::<Db>::new(format!("SELECT {COLUMNS} FROM items"));
        filter(&mut select);
        select.push(format!(" ORDER BY {order} {direction}"));
        if query.sort.key != SortKey::Id {
            // Ties in id order, in the same direction.
            select.push(format!(", id {direction}"));
        }
        select
            .push(" LIMIT ")
            .push_bind(i64::try_from(query.limit).unwrap_or(i64::MAX))
            .push(" OFFSET ")
            .push_bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
        let rows: Vec<ItemRow> = select.build_query_as().fetch_all(&self.pool).await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(Item::try_from)
                .collect::<Result<_, _>>()?,
            total: usize::try_from(total).unwrap_or_default(),
            limit: query.limit,
            offset: query.offset,
        })
    }

    async fn update(&self, id: u64, changes: ItemChanges) -> Result<Item, StoreError> {
        let Some(row_id) = row_id(id) else {
            return Err(StoreError::NotFound(id));
        };
        // One statement: a field not sent keeps its value, `description: null` clears it.
        let sql = format!(
            "UPDATE items SET name = COALESCE($1, name), \
             description = CASE WHEN $2 THEN $3 ELSE description END, updated_at = $4 \
             WHERE id = $5 RETURNING {COLUMNS}"
        );
        let (set_description, description) = match changes.description {
            Some(description) => (true, description),
            None => (false, None),
        };
        sqlx::query_as::<_, ItemRow>(&sql)
            .bind(&changes.name)
            .bind(set_description)
            .bind(description)
            .bind(now())
            .bind(row_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|error| store_error(&error, changes.name.as_deref()))?
            .ok_or(StoreError::NotFound(id))?
            .try_into()
    }

    async fn delete(&self, id: u64) -> Result<(), StoreError> {
        let Some(row_id) = row_id(id) else {
            return Err(StoreError::NotFound(id));
        };
        let deleted = sqlx::query("DELETE FROM items WHERE id = $1")
            .bind(row_id)
            .execute(&self.pool)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound(id));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(contains_pattern("Ap"), "%ap%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn ids_beyond_the_database_are_never_found() {
        assert_eq!(row_id(7), Some(7));
        assert_eq!(row_id(u64::MAX), None);
    }
}
