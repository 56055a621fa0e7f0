//! Extractors whose rejections use the shared error format.
//!
//! axum's own `Json`, `Path` and `Query` answer a bad request with a plain-text body;
//! these wrappers turn every rejection into an [`ApiError`]. [`Json`] also serializes a
//! response, so handlers need only one `Json`.

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request, path::ErrorKind};
use axum::http::{HeaderMap, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// A JSON request body (`Content-Type: application/json`) or a JSON response.
///
/// Malformed JSON is a `400 bad_request`; well-formed JSON of the wrong shape is a
/// `422 validation_error` naming the field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::bad_request(
                "expected a JSON body with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                ApiError::from_status(rejection.status(), rejection.body_text())
            })?;
        parse_json(&bytes).map(Self)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| {
            let mime = mime.to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// Deserializes `bytes`, keeping the path of the field that failed.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() {
            let field = if path == "." { "body".to_owned() } else { path };
            ApiError::validation(vec![FieldError::new(field, without_position(&inner))])
        } else {
            ApiError::bad_request(format!("malformed JSON: {inner}"))
        }
    })?;
    deserializer
        .end()
        .map_err(|error| ApiError::bad_request(format!("malformed JSON: {error}")))?;
    Ok(value)
}

/// `serde_json`'s message without its " at line 1 column 9" suffix.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message
        .strip_suffix(&suffix)
        .map_or_else(|| message.clone(), str::to_owned)
}

/// Path parameters. Deserialize into a struct (`{ id: u64 }`) so that a value
/// that does not parse is reported against its name.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(error)) => Err(match error.kind() {
                ErrorKind::ParseErrorAtKey {
                    key,
                    value,
                    expected_type,
                } => ApiError::validation(vec![FieldError::new(
                    key.as_str(),
                    format!("{value:?} is not a valid {expected_type}"),
                )]),
                _ => ApiError::from_status(error.status(), error.body_text()),
            }),
            Err(rejection) => Err(ApiError::from_status(
                rejection.status(),
                rejection.body_text(),
            )),
        }
    }
}

/// A query string. A value that cannot be deserialized at all is a `422`; prefer
/// `Option<String>` fields and checking them, which names each bad field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(error)) => Err(ApiError {
                message: error.body_text(),
                ..ApiError::validation(Vec::new())
            }),
            Err(rejection) => Err(ApiError::from_status(
                rejection.status(),
                rejection.body_text(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderValue, StatusCode};
    use serde::Deserialize;

    use super::*;
    use crate::error::ErrorCode;

    #[derive(Debug, Deserialize)]
    struct Body {
        name: String,
    }

    #[test]
    fn parses_a_valid_body() {
        let body: Body = parse_json(b" {\"name\": \"a\"} ").unwrap();
        assert_eq!(body.name, "a");
    }

    #[test]
    fn recognises_json_content_types() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        for (value, expected) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/problem+json", true),
            ("text/plain", false),
            ("text/json+json", false),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), expected, "{value}");
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let error = parse_json::<Body>(b"{\"name\": ").unwrap_err();
        assert_eq!(error.code, ErrorCode::BadRequest);
        let error = parse_json::<Body>(b"{\"name\": \"a\"} trailing").unwrap_err();
        assert_eq!(error.code, ErrorCode::BadRequest);
    }

    #[test]
    fn wrong_types_name_the_field() {
        let error = parse_json::<Body>(b"{\"name\": 5}").unwrap_err();
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.details[0].field, "name");
        assert!(
            error.details[0]
                .message
                .starts_with("invalid type: integer `5`")
        );
        let error = parse_json::<Body>(b"[]").unwrap_err();
        assert_eq!(error.details[0].field, "body");
    }
}
