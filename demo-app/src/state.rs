//! The state every handler shares: configuration, the probe switches, the
//! Redis client, the login users and the metrics registry. Cloning it is
//! cheap (one `Arc`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::Config;
use crate::metrics::Metrics;
use crate::redis_store::RedisStore;
use crate::users::Users;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    /// The settings, without the clear-text demo passwords (see `new`).
    config: Config,
    hostname: String,
    /// Liveness switch (`POST /health/enable|disable`).
    healthy: AtomicBool,
    /// Readiness switch (`POST /ready/enable|disable`).
    ready_enabled: AtomicBool,
    /// Set once by the SIGTERM/SIGINT handler; never cleared.
    shutting_down: AtomicBool,
    redis: RedisStore,
    users: Users,
    metrics: Metrics,
}

impl AppState {
    /// Builds the state without any I/O: Redis is connected lazily and the
    /// passwords are hashed in the background, so the app is ready at once.
    /// The clear-text passwords move into the hashing task and are dropped
    /// there; the config kept here no longer holds them. Needs a Tokio
    /// runtime.
    pub fn new(mut config: Config) -> Self {
        let metrics = Metrics::new();
        let redis = RedisStore::new(&config, metrics.clone());
        let users = Users::hash_in_background(std::mem::take(&mut config.demo_users));
        let hostname = gethostname::gethostname().to_string_lossy().into_owned();
        let state = AppState(Arc::new(Inner {
            config,
            hostname,
            healthy: AtomicBool::new(true),
            ready_enabled: AtomicBool::new(true),
            shutting_down: AtomicBool::new(false),
            redis,
            users,
            metrics,
        }));
        state.publish_probe_gauges();
        state
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The host name, which in a pod is the pod name: responses carry it so
    /// a reader can see which replica answered.
    pub fn hostname(&self) -> &str {
        &self.0.hostname
    }

    pub fn redis(&self) -> &RedisStore {
        &self.0.redis
    }

    pub fn users(&self) -> &Users {
        &self.0.users
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn is_healthy(&self) -> bool {
        self.0.healthy.load(Ordering::Relaxed)
    }

    pub fn set_healthy(&self, healthy: bool) {
        self.0.healthy.store(healthy, Ordering::Relaxed);
        self.publish_probe_gauges();
    }

    /// Ready = switched on and not shutting down. Redis plays no part: see
    /// `routes::probes`.
    pub fn is_ready(&self) -> bool {
        self.0.ready_enabled.load(Ordering::Relaxed) && !self.is_shutting_down()
    }

    pub fn set_ready_enabled(&self, enabled: bool) {
        self.0.ready_enabled.store(enabled, Ordering::Relaxed);
        self.publish_probe_gauges();
    }

    pub fn is_shutting_down(&self) -> bool {
        self.0.shutting_down.load(Ordering::Relaxed)
    }

    pub fn begin_shutdown(&self) {
        self.0.shutting_down.store(true, Ordering::Relaxed);
        self.publish_probe_gauges();
    }

    fn publish_probe_gauges(&self) {
        self.0
            .metrics
            .set_probe_gauges(self.is_healthy(), self.is_ready());
    }
}
