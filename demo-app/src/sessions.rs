//! Sessions kept in Redis, so that every replica knows every session: a
//! login on one pod is valid on the next request, whichever pod answers it.
//!
//! A session id is 256 bits from the OS random number generator, sent to the
//! browser in the `session_id` cookie and stored as `session:<id>` →
//! user name with a time to live of SESSION_TTL.

use std::fmt::Write as _;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};

use crate::error::AppError;
use crate::redis_store::RedisStore;

pub const COOKIE_NAME: &str = "session_id";
const ID_BYTES: usize = 32;

/// A fresh, unguessable session id: 32 random bytes as 64 hex digits.
pub fn new_session_id() -> String {
    let mut bytes = [0u8; ID_BYTES];
    getrandom::fill(&mut bytes).expect("the OS random number generator is available");
    bytes
        .iter()
        .fold(String::with_capacity(ID_BYTES * 2), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// True for something [`new_session_id`] could have made. Anything else is
/// rejected before Redis is asked.
fn is_well_formed(id: &str) -> bool {
    id.len() == ID_BYTES * 2 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn key(id: &str) -> String {
    format!("session:{id}")
}

/// The session id from the request's `Cookie` headers, if well formed.
pub fn session_id_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|id| is_well_formed(id))
}

/// The `Set-Cookie` value that hands a session to the browser. HttpOnly:
/// page scripts cannot read it. SameSite=Lax: other sites cannot make the
/// browser send it with their POSTs. No `Secure`, because the guide serves
/// the app over plain HTTP on a local cluster; behind TLS, add it.
pub fn set_cookie(id: &str, ttl: Duration) -> HeaderValue {
    let cookie = format!(
        "{COOKIE_NAME}={id}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}",
        ttl.as_secs()
    );
    HeaderValue::from_str(&cookie).expect("hex ids make a valid header value")
}

/// The `Set-Cookie` value that makes the browser forget the session.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("session_id=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

// ANCHOR: session-store
/// Stores a new session for `username` and returns its id.
pub async fn create(redis: &RedisStore, username: &str, ttl: Duration) -> Result<String, AppError> {
    let id = new_session_id();
    redis.set_ex(&key(&id), username, ttl).await?;
    Ok(id)
}

/// The user name of a live session, or `None` if it expired or never existed.
pub async fn lookup(redis: &RedisStore, id: &str) -> Result<Option<String>, AppError> {
    redis.get(&key(id)).await
}

pub async fn destroy(redis: &RedisStore, id: &str) -> Result<(), AppError> {
    redis.del(&key(id)).await.map(|_| ())
}
// ANCHOR_END: session-store

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_random_hex() {
        let a = new_session_id();
        let b = new_session_id();
        assert_eq!(a.len(), 64);
        assert!(is_well_formed(&a) && is_well_formed(&b));
        assert_ne!(a, b);
    }

    #[test]
    fn the_cookie_is_found_among_others_and_junk_is_ignored() {
        let id = new_session_id();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("theme=dark; session_id={id}; x=1")).unwrap(),
        );
        assert_eq!(session_id_from(&headers), Some(id));

        for junk in [
            "session_id=abc",
            "session_id=",
            "other=1",
            "session_id=../../etc",
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, HeaderValue::from_static(junk));
            assert_eq!(session_id_from(&headers), None, "{junk}");
        }
    }

    #[test]
    fn cookies_carry_the_security_attributes() {
        let set = set_cookie(&new_session_id(), Duration::from_secs(60));
        let set = set.to_str().unwrap();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=60"] {
            assert!(set.contains(attribute), "{set}");
        }
        assert!(clear_cookie().to_str().unwrap().contains("Max-Age=0"));
    }
}
