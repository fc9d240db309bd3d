//! Login, logout and "who am I", with sessions in Redis (see `crate::sessions`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, IntoResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{AppJson, JsonBodyRejections};
use crate::sessions;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "admin")]
    pub username: String,
    #[schema(example = "s3cret")]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    #[schema(example = "logged in")]
    pub message: &'static str,
    pub username: String,
}

#[derive(Serialize, ToSchema)]
pub struct LogoutResponse {
    #[schema(example = "logged out")]
    pub message: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub server: String,
}

// ANCHOR: sessions
/// Checks the password, then starts a fresh session in Redis and hands its
/// id over in the `session_id` cookie. A session the client already had is
/// dropped first, so an id planted before login is never promoted.
#[utoipa::path(post, path = "/login", tag = "sessions", request_body = LoginRequest, responses(
    (status = 200, description = "Logged in; the response sets the session_id cookie", body = LoginResponse,
        headers(("set-cookie" = String, description = "session_id=...; HttpOnly; SameSite=Lax; Path=/; Max-Age=SESSION_TTL"))),
    JsonBodyRejections,
    (status = 401, description = "Unknown user or wrong password", body = ErrorBody),
    (status = 422, description = "username or password missing, or not a string", body = ErrorBody),
    (status = 503, description = "Redis is unavailable", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppJson(credentials): AppJson<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    if !state
        .users()
        .verify(&credentials.username, &credentials.password)
        .await
    {
        tracing::info!(username = %credentials.username, "login refused");
        return Err(AppError::Unauthorized(
            "invalid username or password".to_owned(),
        ));
    }
    let redis = state.redis();
    if let Some(old) = sessions::session_id_from(&headers) {
        sessions::destroy(redis, &old).await?;
    }
    let ttl = state.config().session_ttl;
    let id = sessions::create(redis, &credentials.username, ttl).await?;
    tracing::info!(username = %credentials.username, "logged in");
    Ok((
        AppendHeaders([(header::SET_COOKIE, sessions::set_cookie(&id, ttl))]),
        Json(LoginResponse {
            message: "logged in",
            username: credentials.username,
        }),
    ))
}
// ANCHOR_END: sessions

/// Deletes the session in Redis and tells the browser to drop the cookie.
/// Without a session it still answers 200: the client is logged out either way.
#[utoipa::path(post, path = "/logout", tag = "sessions", responses(
    (status = 200, description = "Logged out; the cookie is cleared", body = LogoutResponse),
    (status = 503, description = "Redis is unavailable (the session may still be valid)", body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<impl IntoResponse> {
    if let Some(id) = sessions::session_id_from(&headers) {
        sessions::destroy(state.redis(), &id).await?;
    }
    Ok((
        AppendHeaders([(header::SET_COOKIE, sessions::clear_cookie())]),
        Json(LogoutResponse {
            message: "logged out",
        }),
    ))
}

#[utoipa::path(get, path = "/me", tag = "sessions", responses(
    (status = 200, description = "The logged-in user", body = Me),
    (status = 401, description = "No session cookie, or the session expired", body = ErrorBody),
    (status = 503, description = "Redis is unavailable", body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Json<Me>> {
    let unauthorized = || AppError::Unauthorized("not logged in".to_owned());
    let id = sessions::session_id_from(&headers).ok_or_else(unauthorized)?;
    let username = sessions::lookup(state.redis(), &id)
        .await?
        .ok_or_else(unauthorized)?;
    Ok(Json(Me {
        username,
        server: state.hostname().to_owned(),
    }))
}
