//! The HTTP interface: every route, the fallbacks and the middleware.

pub mod health;
pub mod items;

use std::any::Any;
use std::sync::Arc;

use axum::Router;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::{ApiError, ErrorCode};
use crate::items::ItemStore;

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState<S> {
    pub items: Arc<S>,
}

impl<S: ItemStore> AppState<S> {
    pub fn new(items: S) -> Self {
        Self {
            items: Arc::new(items),
        }
    }
}

// By hand: a derive would require `S: Clone`, but only the `Arc` is cloned.
impl<S> Clone for AppState<S> {
    fn clone(&self) -> Self {
        Self {
            items: Arc::clone(&self.items),
        }
    }
}

/// The whole application, ready for `axum::serve` or, in tests, `oneshot`.
pub fn router<S: ItemStore>(state: AppState<S>) -> Router {
    Router::new()
        .merge(health::routes())
        .nest("/api/v1/items", items::routes())
        .fallback(not_found)
        // After every route is added: it applies to the routes already there.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{method} is not allowed on {}", uri.path()),
    )
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "the signature `CatchPanicLayer::custom` expects"
)]
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    ApiError::internal(format!("handler panicked: {message}")).into_response()
}
