//! `/kv/{key}`: a tiny key-value store in Redis (keys live under `kv:`), to
//! show that data outlives any one replica.

use std::ops::RangeInclusive;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{AppJson, AppPath, JsonBodyRejections, PathRejections};
use crate::state::AppState;

/// Longest accepted key, in characters (what JSON Schema's `maxLength`
/// counts, so the document can state it exactly).
pub const MAX_KEY_CHARS: usize = 256;
/// Characters a key must not contain: the control characters (Unicode
/// category Cc, what `char::is_control` means), which would garble logs.
pub const FORBIDDEN_IN_KEYS: [RangeInclusive<char>; 2] = ['\u{0}'..='\u{1f}', '\u{7f}'..='\u{9f}'];

/// The rules above as a JSON Schema `pattern` (ECMA-262 syntax), for the
/// OpenAPI document.
pub fn key_pattern() -> String {
    let class: String = FORBIDDEN_IN_KEYS
        .iter()
        .map(|range| {
            format!(
                "\\x{:02X}-\\x{:02X}",
                *range.start() as u32,
                *range.end() as u32
            )
        })
        .collect();
    format!("^[^{class}]+$")
}

/// The `key` path parameter as the OpenAPI document describes it, built
/// from the constants [`redis_key`] enforces.
pub struct Key;

impl PartialSchema for Key {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_KEY_CHARS))
            .pattern(Some(key_pattern()))
            .description(Some(format!(
                "1 to {MAX_KEY_CHARS} characters, none of them a control character"
            )))
            .into()
    }
}

impl ToSchema for Key {}

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
    let chars = key.chars().count();
    if chars > MAX_KEY_CHARS {
        return Err(AppError::Unprocessable(format!(
            "key is {chars} characters long; the limit is {MAX_KEY_CHARS}"
        )));
    }
    let forbidden = |c: char| FORBIDDEN_IN_KEYS.iter().any(|range| range.contains(&c));
    if key.chars().any(forbidden) {
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
    params(("key" = Key, Path)),
    responses(
        (status = 200, description = "The stored value", body = KvEntry),
        PathRejections,
        (status = 404, description = "No such key", body = ErrorBody),
        (status = 422, description = "The key breaks the rules of the key parameter", body = ErrorBody),
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
    params(("key" = Key, Path)),
    request_body = KvValue,
    responses(
        (status = 200, description = "Stored", body = KvEntry),
        PathRejections,
        JsonBodyRejections,
        (status = 422, description = "The key breaks the rules of the key parameter, \
            or the JSON has no string `value`", body = ErrorBody),
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
    params(("key" = Key, Path)),
    responses(
        (status = 200, description = "Deleted", body = KvDeleted),
        PathRejections,
        (status = 404, description = "No such key", body = ErrorBody),
        (status = 422, description = "The key breaks the rules of the key parameter", body = ErrorBody),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_exactly_the_control_characters() {
        let forbidden = |c: char| FORBIDDEN_IN_KEYS.iter().any(|range| range.contains(&c));
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(forbidden(c), c.is_control(), "{:?}", c);
        }
        assert_eq!(key_pattern(), r"^[^\x00-\x1F\x7F-\x9F]+$");
    }

    #[test]
    fn keys_are_checked_by_characters() {
        assert!(redis_key(&"é".repeat(MAX_KEY_CHARS)).is_ok());
        assert!(redis_key(&"k".repeat(MAX_KEY_CHARS + 1)).is_err());
        assert!(redis_key("a\u{85}b").is_err());
        assert!(redis_key("").is_err());
    }
}
