//! JSON answers for requests that match no route (404) or use the wrong
//! method (405), instead of axum's empty bodies.

use axum::http::{Method, Uri};

use crate::error::AppError;

/// Counted and timed by the metrics layer like any route, under the
/// label `unmatched`.
pub async fn not_found(method: Method, uri: Uri) -> AppError {
    AppError::NotFound(format!("no route for {method} {}", uri.path()))
}

pub async fn method_not_allowed(method: Method) -> AppError {
    AppError::MethodNotAllowed(method.to_string())
}
