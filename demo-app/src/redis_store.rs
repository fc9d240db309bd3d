//! The Redis client: one multiplexed connection shared by all requests,
//! re-established automatically, and a hard time bound on every call.
//!
//! Failure modes this handles, each covered by `tests/redis_outages.rs`:
//! - Redis down at start: the app still starts; the connection is made on
//!   first use, and Redis endpoints answer 503.
//! - Redis restarted: the dropped connection is noticed and replaced in the
//!   background; requests work again without restarting the app.
//! - Redis hung (e.g. `kill -STOP`): the TCP connection stays open but no
//!   answer comes. Every call gives up after REDIS_TIMEOUT_MS and the
//!   endpoint answers 503, instead of waiting for ever.

use std::future::Future;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, ConnectionAddr, ConnectionInfo, IntoConnectionInfo, RedisResult};

use crate::config::Config;
use crate::error::AppError;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    timeout: Duration,
    metrics: Metrics,
}

impl RedisStore {
    // ANCHOR: redis-client
    /// Creates the client without connecting: a Redis outage at start must
    /// not keep the app from starting (and from passing its probes).
    pub fn new(config: &Config, metrics: Metrics) -> Self {
        let timeout = config.redis_timeout;
        // ANCHOR: redis-address
        let mut info: ConnectionInfo =
            ConnectionAddr::Tcp(config.redis_host.clone(), config.redis_port)
                .into_connection_info()
                .expect("a TCP address is always a valid connection info");
        // ANCHOR_END: redis-address
        if !config.redis_password.is_empty() {
            let settings = info
                .redis_settings()
                .clone()
                .set_password(config.redis_password.expose());
            info = info.set_redis_settings(settings);
        }
        let client = redis::Client::open(info).expect("a TCP connection info is always accepted");

        let manager_config = ConnectionManagerConfig::new()
            // Connecting and answering are each bounded by the same timeout.
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            // One attempt per reconnection, no retry loop: while Redis is
            // down a request fails fast with 503 instead of sitting through
            // a back-off, and the next request starts a fresh attempt.
            .set_number_of_retries(0);
        let connection = ConnectionManager::new_lazy_with_config(client, manager_config)
            .expect("a lazy connection manager without push settings always builds");
        RedisStore {
            connection,
            timeout,
            metrics,
        }
    }

    /// Runs one Redis call with the time bound. A timeout or error becomes
    /// [`AppError::RedisUnavailable`] (503) and is counted in /metrics.
    ///
    /// A failed *connection* is tried once more at once: after an outage the
    /// connection manager still holds the reconnection that failed while
    /// Redis was away and hands it to the next call, which starts a fresh
    /// one. Without the second try the first request after Redis returns
    /// would get a 503 from each app process. A timeout is not retried.
    async fn call<T, F, Fut>(&self, operation: &'static str, command: F) -> Result<T, AppError>
    where
        F: Fn(ConnectionManager) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        let attempts = async {
            match command(self.connection.clone()).await {
                Err(error) if is_connection_failure(&error) => {
                    command(self.connection.clone()).await
                }
                result => result,
            }
        };
        // The connection's own timeouts cover a hung server; this outer bound
        // also covers waiting for a reconnection (and the second try), so no
        // request ever waits longer than REDIS_TIMEOUT_MS for Redis.
        match tokio::time::timeout(self.timeout, attempts).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                let kind = if error.is_timeout() {
                    "timeout"
                } else {
                    "error"
                };
                self.metrics.record_redis_error(operation, kind);
                tracing::warn!(operation, %error, "redis call failed");
                Err(AppError::RedisUnavailable(kind_message(kind)))
            }
            Err(_elapsed) => {
                self.metrics.record_redis_error(operation, "timeout");
                tracing::warn!(
                    operation,
                    timeout_ms = self.timeout.as_millis() as u64,
                    "redis call timed out"
                );
                Err(AppError::RedisUnavailable(kind_message("timeout")))
            }
        }
    }
    // ANCHOR_END: redis-client

    pub async fn incr(&self, key: &str) -> Result<i64, AppError> {
        self.call("incr", |mut c| async move { c.incr(key, 1).await })
            .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>, AppError> {
        self.call("get", |mut c| async move { c.get(key).await })
            .await
    }

    pub async fn set(&self, key: &str, value: &str) -> Result<(), AppError> {
        self.call("set", |mut c| async move { c.set(key, value).await })
            .await
    }

    pub async fn set_ex(&self, key: &str, value: &str, ttl: Duration) -> Result<(), AppError> {
        self.call("set_ex", |mut c| async move {
            c.set_ex(key, value, ttl.as_secs()).await
        })
        .await
    }

    /// Deletes `key`; true if it existed.
    pub async fn del(&self, key: &str) -> Result<bool, AppError> {
        let removed: i64 = self
            .call("del", |mut c| async move { c.del(key).await })
            .await?;
        Ok(removed > 0)
    }
}

/// A connection that could not be made or broke: worth one immediate retry.
fn is_connection_failure(error: &redis::RedisError) -> bool {
    !error.is_timeout()
        && (error.is_io_error() || error.is_connection_refusal() || error.is_connection_dropped())
}

fn kind_message(kind: &str) -> String {
    match kind {
        "timeout" => "no answer in time".to_owned(),
        _ => "connection failed".to_owned(),
    }
}
