//! JSON answers for requests that match no route (404) or use the wrong
//! method (405), instead of axum's empty bodies.

use std::time::Duration;

use axum::http::{Method, Uri};

use crate::error::AppError;

pub async fn not_found(method: Method, uri: Uri) -> AppError {
    // Unmatched requests never reach the metrics middleware (it only wraps
    // routes), so they are counted here under one label.
    crate::metrics::record_request(
        crate::metrics::method_label(&method),
        "unmatched",
        404,
        Duration::ZERO,
    );
    AppError::NotFound(format!("no route for {method} {}", uri.path()))
}

pub async fn method_not_allowed(method: Method) -> AppError {
    AppError::MethodNotAllowed(method.to_string())
}
