//! The one error type every handler returns. Each variant maps to a status
//! code and renders as `{"detail": "..."}`, so a client always gets JSON and
//! a client mistake never becomes a 500.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    #[schema(example = "key 'colour' not found")]
    pub detail: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Malformed input that could not be read at all (400).
    #[error("{0}")]
    BadRequest(String),
    /// Input that was read but has the wrong shape or value (422).
    #[error("{0}")]
    Unprocessable(String),
    /// Missing or wrong credentials (401).
    #[error("{0}")]
    Unauthorized(String),
    /// A feature switched off by configuration (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("method {0} is not allowed on this path")]
    MethodNotAllowed(String),
    #[error("request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Redis did not answer in time or failed: the caller may retry (503).
    #[error("redis is unavailable: {0}")]
    RedisUnavailable(String),
    /// Anything else, reported as it is (keeps the status of the source).
    #[error("{1}")]
    Other(StatusCode, String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RedisUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Other(status, _) => *status,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (
            status,
            Json(ErrorBody {
                detail: self.to_string(),
            }),
        )
            .into_response();
        if let AppError::RedisUnavailable(_) = self {
            // Tells well-behaved clients that a retry is worth it, and soon.
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// How an error answer appears in the OpenAPI document: the status of
/// `error` with a JSON [`ErrorBody`].
pub fn error_response(
    error: &AppError,
    description: &str,
) -> (String, RefOr<utoipa::openapi::Response>) {
    let body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    let response = ResponseBuilder::new()
        .description(description)
        .content("application/json", body)
        .build();
    (error.status().as_u16().to_string(), response.into())
}
