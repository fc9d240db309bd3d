//! Request extractors that turn axum's plain-text rejections into
//! [`AppError`]s, so malformed input gets the same `{"detail": ...}` JSON as
//! every other error.

use std::collections::BTreeMap;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use utoipa::openapi::{RefOr, Response};

use crate::error::{AppError, error_response};
use crate::state::AppState;

/// A JSON body. Bad JSON → 400, wrong fields → 422, wrong content type →
/// 415, body over MAX_BODY_BYTES → 413.
#[derive(Debug)]
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(json_error(rejection, state.config().max_body_bytes)),
        }
    }
}

fn json_error(rejection: JsonRejection, limit: usize) -> AppError {
    match rejection {
        JsonRejection::JsonDataError(e) => AppError::Unprocessable(e.body_text()),
        JsonRejection::JsonSyntaxError(e) => AppError::BadRequest(e.body_text()),
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
            "expected a JSON body with the header Content-Type: application/json".to_owned(),
        ),
        // Reading the body failed; the status tells whether it was too big.
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge(limit)
        }
        other => AppError::Other(other.status(), other.body_text()),
    }
}

/// The answers [`AppJson`] gives for a body it cannot use, for the OpenAPI
/// document of every operation that takes one. Statuses come from the
/// same [`AppError`] variants `json_error` returns.
pub struct JsonBodyRejections;

impl utoipa::IntoResponses for JsonBodyRejections {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let empty = String::new;
        [
            (AppError::BadRequest(empty()), "The body is not valid JSON"),
            (
                AppError::PayloadTooLarge(0),
                "The body is larger than MAX_BODY_BYTES (see GET /config)",
            ),
            (
                AppError::UnsupportedMediaType(empty()),
                "Content-Type is not application/json",
            ),
            (
                AppError::Unprocessable(empty()),
                "The JSON lacks a field or has one of the wrong type",
            ),
        ]
        .into_iter()
        .map(|(error, description)| error_response(&error, description))
        .collect()
    }
}

/// A query string. Anything that does not fit the target type → 422.
#[derive(Debug)]
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(AppQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(AppError::Unprocessable(e.body_text()))
            }
            Err(other) => Err(AppError::Other(other.status(), other.body_text())),
        }
    }
}

/// The answer [`AppPath`] gives for a path parameter it cannot decode, for
/// the OpenAPI document.
pub struct PathRejections;

impl utoipa::IntoResponses for PathRejections {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [error_response(
            &AppError::BadRequest(String::new()),
            "A path parameter is not UTF-8 once percent-decoded",
        )]
        .into_iter()
        .collect()
    }
}

/// A path parameter. Only undecodable percent-escapes can fail here (400).
#[derive(Debug)]
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(AppPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                Err(AppError::BadRequest(e.body_text()))
            }
            Err(other) => Err(AppError::Other(other.status(), other.body_text())),
        }
    }
}
