//! `/kv/{key}`: a tiny key-value store in Redis (keys live under `kv:`), to
//! show that data outlives any one replica.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{AppJson, AppPath};
use crate::state::AppState;

/// Longest accepted key, in bytes.
pub const MAX_KEY_BYTES: usize = 256;

#[derive(Serialize, ToSchema)]
pub struct KvEntry {
    pub key: String,
    pub value: String,
}

#[derive(Deserialize, ToSchema)]
pub struct KvValue {
    #[schema(example = "blue")]
    pub value: String,
}

#[derive(Serialize, ToSchema)]
pub struct KvDeleted {
    pub key: String,
    pub deleted: bool,
}

/// Checks a key and returns its Redis key.
fn redis_key(key: &str) -> AppResult<String> {
    if key.is_empty() {
        return Err(AppError::Unprocessable("key must not be empty".to_owned()));
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(AppError::Unprocessable(format!(
            "key is {} bytes long; the limit is {MAX_KEY_BYTES}",
            key.len()
        )));
    }
    if key.chars().any(char::is_control) {
        return Err(AppError::Unprocessable(
            "key must not contain control characters".to_owned(),
        ));
    }
    Ok(format!("kv:{key}"))
}

fn not_found(key: &str) -> AppError {
    AppError::NotFound(format!("key '{key}' not found"))
}

// ANCHOR: kv
#[utoipa::path(get, path = "/kv/{key}", tag = "redis",
    params(("key" = String, Path, description = "1 to 256 bytes, no control characters")),
    responses(
        (status = 200, description = "The stored value", body = KvEntry),
        (status = 404, description = "No such key", body = ErrorBody),
        (status = 422, description = "Key too long or malformed", body = ErrorBody),
        (status = 503, description = "Redis is unavailable", body = ErrorBody)))]
pub async fn get_key(
    State(state): State<AppState>,
    AppPath(key): AppPath<String>,
) -> AppResult<Json<KvEntry>> {
    let value = state
        .redis()
        .get(&redis_key(&key)?)
        .await?
        .ok_or_else(|| not_found(&key))?;
    Ok(Json(KvEntry { key, value }))
}

#[utoipa::path(post, path = "/kv/{key}", tag = "redis",
    params(("key" = String, Path, description = "1 to 256 bytes, no control characters")),
    request_body = KvValue,
    responses(
        (status = 200, description = "Stored", body = KvEntry),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 413, description = "Body larger than MAX_BODY_BYTES", body = ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
        (status = 422, description = "Missing or non-string value, or bad key", body = ErrorBody),
        (status = 503, description = "Redis is unavailable", body = ErrorBody)))]
pub async fn put_key(
    State(state): State<AppState>,
    AppPath(key): AppPath<String>,
    AppJson(body): AppJson<KvValue>,
) -> AppResult<Json<KvEntry>> {
    state.redis().set(&redis_key(&key)?, &body.value).await?;
    Ok(Json(KvEntry {
        key,
        value: body.value,
    }))
}

#[utoipa::path(delete, path = "/kv/{key}", tag = "redis",
    params(("key" = String, Path, description = "1 to 256 bytes, no control characters")),
    responses(
        (status = 200, description = "Deleted", body = KvDeleted),
        (status = 404, description = "No such key", body = ErrorBody),
        (status = 503, description = "Redis is unavailable", body = ErrorBody)))]
pub async fn delete_key(
    State(state): State<AppState>,
    AppPath(key): AppPath<String>,
) -> AppResult<Json<KvDeleted>> {
    if state.redis().del(&redis_key(&key)?).await? {
        Ok(Json(KvDeleted { key, deleted: true }))
    } else {
        Err(not_found(&key))
    }
}
// ANCHOR_END: kv

/// `/kv/` with no key: the route exists only to say what is wrong (422)
/// rather than a bare 404.
pub async fn empty_key() -> AppError {
    AppError::Unprocessable("key must not be empty: use /kv/{key}".to_owned())
}
