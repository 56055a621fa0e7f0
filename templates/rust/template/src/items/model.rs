//! Items and the rules their requests must follow.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::{IntoParams, ToSchema};

use crate::error::FieldError;

/// Longest name, in characters, after trimming.
pub const NAME_MAX_CHARS: usize = 100;
/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 1000;
/// Page size when the request gives none, and the largest one allowed.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// The largest id and offset a request may name: every database's integer column holds it.
pub const MAX_INTEGER: u64 = (1 << 31) - 1;

/// A stored item, as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Item {
    #[schema(minimum = 1, maximum = 2_147_483_647)]
    pub id: u64,
    pub name: String,
    pub description: Option<String>,
    /// RFC 3339, in UTC.
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: DateTime<Utc>,
}

fn rfc3339<S: Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Micros, true))
}

/// The body of `POST /api/v1/items`, as sent. Fields are optional here so that a
/// missing one is reported with the others by [`CreateItem::validate`].
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateItem {
    /// Required; trimmed, 1 to 100 characters, unique.
    #[schema(required, value_type = String, min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    pub description: Option<String>,
}

/// A checked [`CreateItem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub name: String,
    pub description: Option<String>,
}

impl CreateItem {
    pub fn validate(self) -> Result<NewItem, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = if let Some(name) = self.name {
            check_name(&name, &mut errors)
        } else {
            errors.push(FieldError::new("name", "is required"));
            String::new()
        };
        check_description(self.description.as_deref(), &mut errors);
        if errors.is_empty() {
            Ok(NewItem {
                name,
                description: self.description,
            })
        } else {
            Err(errors)
        }
    }
}

/// The body of `PATCH /api/v1/items/{id}`: only the fields present change, and
/// `"description": null` clears the description.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateItem {
    /// Trimmed, 1 to 100 characters, unique; never null.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub name: Option<Option<String>>,
    /// At most 1000 characters; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub description: Option<Option<String>>,
}

/// A checked [`UpdateItem`]: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
}

/// Tells a field sent as `null` (`Some(None)`) from a missing one (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

impl UpdateItem {
    pub fn validate(self) -> Result<ItemChanges, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = match self.name {
            None => None,
            Some(None) => {
                errors.push(FieldError::new("name", "must not be null"));
                None
            }
            Some(Some(name)) => Some(check_name(&name, &mut errors)),
        };
        if let Some(description) = &self.description {
            check_description(description.as_deref(), &mut errors);
        }
        if errors.is_empty() {
            Ok(ItemChanges {
                name,
                description: self.description,
            })
        } else {
            Err(errors)
        }
    }
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        errors.push(FieldError::new("name", "must not be empty"));
    } else if chars > NAME_MAX_CHARS {
        errors.push(FieldError::new(
            "name",
            format!("must be at most {NAME_MAX_CHARS} characters"),
        ));
    }
    name.to_owned()
}

fn check_description(description: Option<&str>, errors: &mut Vec<FieldError>) {
    if description.is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS) {
        errors.push(FieldError::new(
            "description",
            format!("must be at most {DESCRIPTION_MAX_CHARS} characters"),
        ));
    }
}

/// The query string of `GET /api/v1/items`, as sent; see [`ListParams::validate`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// Items skipped, 0 to 2147483647 (default 0).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2_147_483_647)]
    pub offset: Option<String>,
    /// Only the items whose name contains this, whatever the case.
    pub name: Option<String>,
    /// `id`, `name` or `created_at`, `-` first for descending (default `id`).
    pub sort: Option<String>,
}

/// A checked [`ListParams`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: usize,
    pub offset: usize,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
    pub sort: Sort,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            offset: 0,
            name: None,
            sort: Sort::default(),
        }
    }
}

impl ListParams {
    pub fn validate(self) -> Result<ListQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut query = ListQuery::default();
        if let Some(raw) = self.limit {
            match raw.trim().parse::<usize>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => query.limit = limit,
                _ => errors.push(FieldError::new(
                    "limit",
                    format!("must be an integer from 1 to {MAX_LIMIT}"),
                )),
            }
        }
        if let Some(raw) = self.offset {
            let offset = raw.trim().parse::<u64>().ok();
            match offset.filter(|offset| *offset <= MAX_INTEGER) {
                Some(offset) => query.offset = usize::try_from(offset).unwrap_or(usize::MAX),
                None => errors.push(FieldError::new(
                    "offset",
                    format!("must be an integer from 0 to {MAX_INTEGER}"),
                )),
            }
        }
        query.name = self.name.filter(|name| !name.trim().is_empty());
        if let Some(raw) = self.sort {
            match raw.parse() {
                Ok(sort) => query.sort = sort,
                Err(()) => errors.push(FieldError::new(
                    "sort",
                    "must be one of id, -id, name, -name, created_at, -created_at",
                )),
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }
}

/// The field a list is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Id,
    Name,
    CreatedAt,
}

/// A [`SortKey`] and a direction, written `name` or `-name` (descending).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl FromStr for Sort {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let (descending, key) = match raw.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, raw),
        };
        let key = match key {
            "id" => SortKey::Id,
            "name" => SortKey::Name,
            "created_at" => SortKey::CreatedAt,
            _ => return Err(()),
        };
        Ok(Self { key, descending })
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self.key {
            SortKey::Id => "id",
            SortKey::Name => "name",
            SortKey::CreatedAt => "created_at",
        };
        write!(f, "{}{key}", if self.descending { "-" } else { "" })
    }
}

/// One page of a list, with the total count of matching entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn create_trims_the_name() {
        let item = CreateItem {
            name: Some("  widget ".into()),
            description: None,
        };
        assert_eq!(item.validate().unwrap().name, "widget");
    }

    #[test]
    fn create_reports_every_bad_field() {
        let errors = CreateItem {
            name: None,
            description: Some("x".repeat(DESCRIPTION_MAX_CHARS + 1)),
        }
        .validate()
        .unwrap_err();
        assert_eq!(fields(&errors), ["name", "description"]);
    }

    #[test]
    fn names_are_counted_in_characters() {
        let at_limit = "é".repeat(NAME_MAX_CHARS);
        let create = |name: &str| CreateItem {
            name: Some(name.to_owned()),
            description: None,
        };
        assert!(create(&at_limit).validate().is_ok());
        assert!(create(&format!("{at_limit}é")).validate().is_err());
        assert!(create("   ").validate().is_err());
    }

    #[test]
    fn update_tells_null_from_missing() {
        let update: UpdateItem = serde_json::from_str(r#"{"description": null}"#).unwrap();
        let changes = update.validate().unwrap();
        assert_eq!(changes.name, None);
        assert_eq!(changes.description, Some(None));

        let update: UpdateItem = serde_json::from_str("{}").unwrap();
        assert_eq!(update.validate().unwrap(), ItemChanges::default());

        let update: UpdateItem = serde_json::from_str(r#"{"name": null}"#).unwrap();
        assert_eq!(fields(&update.validate().unwrap_err()), ["name"]);
    }

    #[test]
    fn list_params_have_defaults() {
        let query = ListParams::default().validate().unwrap();
        assert_eq!(query, ListQuery::default());
        assert_eq!(query.limit, DEFAULT_LIMIT);
        assert_eq!(query.sort.to_string(), "id");
    }

    #[test]
    fn list_params_are_checked() {
        let params = ListParams {
            limit: Some("0".into()),
            offset: Some("-1".into()),
            name: Some(" ".into()),
            sort: Some("colour".into()),
        };
        assert_eq!(
            fields(&params.validate().unwrap_err()),
            ["limit", "offset", "sort"]
        );
        let params = ListParams {
            limit: Some("100".into()),
            offset: Some("5".into()),
            name: Some("Wid".into()),
            sort: Some("-created_at".into()),
        };
        let query = params.validate().unwrap();
        assert_eq!((query.limit, query.offset), (100, 5));
        assert_eq!(query.name.as_deref(), Some("Wid"));
        assert_eq!(
            query.sort,
            Sort {
                key: SortKey::CreatedAt,
                descending: true
            }
        );
    }

    #[test]
    fn sort_round_trips() {
        for raw in ["id", "-id", "name", "-name", "created_at", "-created_at"] {
            assert_eq!(raw.parse::<Sort>().unwrap().to_string(), raw);
        }
        assert!("--id".parse::<Sort>().is_err());
    }

    #[test]
    fn items_serialize_with_rfc3339_times() {
        let time = DateTime::parse_from_rfc3339("2024-05-06T07:08:09.5Z")
            .unwrap()
            .with_timezone(&Utc);
        let item = Item {
            id: 1,
            name: "widget".into(),
            description: None,
            created_at: time,
            updated_at: time,
        };
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(json["created_at"], "2024-05-06T07:08:09.500000Z");
        assert_eq!(json["description"], serde_json::Value::Null);
    }
}
