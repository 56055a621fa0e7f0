//! The one error type handlers return, rendered in the shared JSON error format:
//!
//! ```json
//! {"error": {"code": "not_found", "message": "item 42 not found", "details": []}}
//! ```

use std::fmt;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The machine-readable `error.code`; each maps to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    ValidationError,
    BadRequest,
    Unauthorized,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    InternalError,
    Unavailable,
}

impl ErrorCode {
    /// The code as it appears in a response body.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ValidationError => "validation_error",
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::InternalError => "internal_error",
            Self::Unavailable => "unavailable",
        }
    }

    #[must_use]
    pub const fn status(self) -> StatusCode {
        match self {
            Self::ValidationError => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The code for a status that has no constructor of its own (any other 4xx is a
    /// bad request, any other 5xx an internal error).
    #[must_use]
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => Self::ValidationError,
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::CONFLICT => Self::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::SERVICE_UNAVAILABLE => Self::Unavailable,
            status if status.is_server_error() => Self::InternalError,
            _ => Self::BadRequest,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with one field of a request (`error.details[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An error response: a status, a code, a message for people and field details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub details: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status: code.status(),
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// An error for any status, e.g. one passed on from a framework rejection.
    pub fn from_status(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code: ErrorCode::for_status(status),
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// `422 validation_error` listing every field that is wrong.
    #[must_use]
    pub fn validation(details: Vec<FieldError>) -> Self {
        Self {
            details,
            ..Self::new(ErrorCode::ValidationError, "the request is not valid")
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unavailable, message)
    }

    /// `500 internal_error`. The cause goes to the log, never to the client.
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::InternalError, "internal server error")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    pub error: ErrorObject<'a>,
}

/// `error` in an [`ErrorBody`].
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorObject<'a> {
    /// Machine-readable, e.g. `not_found`, `validation_error`, `conflict`.
    pub code: &'static str,
    /// For people.
    pub message: &'a str,
    /// The fields that are wrong (a `validation_error`), else empty.
    pub details: &'a [FieldError],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorObject {
                code: self.code.as_str(),
                message: &self.message,
                details: &self.details,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;
    use serde_json::{Value, json};

    use super::*;

    async fn render(error: ApiError) -> (StatusCode, Value) {
        let response = error.into_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn renders_the_shared_format() {
        let (status, body) = render(ApiError::not_found("item 42 not found")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            body,
            json!({"error": {"code": "not_found", "message": "item 42 not found", "details": []}})
        );
    }

    #[tokio::test]
    async fn validation_errors_list_their_fields() {
        let error = ApiError::validation(vec![FieldError::new("name", "must not be empty")]);
        let (status, body) = render(error).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "validation_error");
        assert_eq!(
            body["error"]["details"],
            json!([{"field": "name", "message": "must not be empty"}])
        );
    }

    #[tokio::test]
    async fn internal_errors_hide_their_cause() {
        let (status, body) = render(ApiError::internal("disk on fire")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "internal_error");
        assert_eq!(body["error"]["message"], "internal server error");
    }

    #[test]
    fn every_status_gets_a_code() {
        assert_eq!(
            ErrorCode::for_status(StatusCode::PAYLOAD_TOO_LARGE),
            ErrorCode::PayloadTooLarge
        );
        assert_eq!(
            ErrorCode::for_status(StatusCode::URI_TOO_LONG),
            ErrorCode::BadRequest
        );
        assert_eq!(
            ErrorCode::for_status(StatusCode::BAD_GATEWAY),
            ErrorCode::InternalError
        );
        assert_eq!(
            ErrorCode::for_status(StatusCode::NOT_FOUND),
            ErrorCode::NotFound
        );
        for code in [
            ErrorCode::Conflict,
            ErrorCode::Unavailable,
            ErrorCode::ValidationError,
        ] {
            assert_eq!(ErrorCode::for_status(code.status()), code);
        }
    }

    #[test]
    fn displays_status_code_and_message() {
        let error = ApiError::conflict("taken");
        assert_eq!(error.to_string(), "409 (conflict): taken");
    }
}
