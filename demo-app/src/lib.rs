//! demo-app: the service every chapter of the Kubernetes learning kit
//! deploys. `main.rs` only parses arguments and configuration and calls
//! [`Application`]; everything else lives here, one module per job:
//!
//! | module | job |
//! |---|---|
//! | [`config`] | env vars → [`config::Config`]; [`config::ENV_VARS`] lists them all |
//! | [`app`] | the router: paths → handlers, fallbacks, layers |
//! | [`routes`] | the handlers |
//! | [`state`] | shared state: config, probe switches, Redis, users |
//! | [`redis_store`] | Redis client with reconnects and a time bound |
//! | [`sessions`] / [`users`] | session ids and cookies / password hashes |
//! | [`error`] / [`extract`] | one error type and JSON rejections |
//! | [`linger`] | reading what is left of a request body before answering |
//! | [`metrics`] | Prometheus metrics: registry, request layer, histogram |
//! | [`openapi`] | the OpenAPI document |
//! | [`shutdown`] | SIGTERM handling and the drain |
//! | [`telemetry`] | logging, requests included |

pub mod app;
pub mod config;
pub mod error;
pub mod extract;
pub mod linger;
pub mod metrics;
pub mod openapi;
pub mod redis_store;
pub mod routes;
pub mod sessions;
pub mod shutdown;
pub mod state;
pub mod telemetry;
pub mod users;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::state::AppState;

/// The app, bound to its port and ready to serve: [`Application::build`]
/// binds (PORT=0 takes any free port), then `run_until_stopped` installs
/// the signal handlers, logs the address and serves. Tests build it in-process on port 0 and
/// read the port back, with no race for a free port.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    state: AppState,
}

impl Application {
    /// Binds the port and builds the state (no other I/O: Redis is
    /// connected lazily, passwords are hashed in the background). Must run
    /// inside a Tokio runtime.
    pub async fn build(config: Config) -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::UNSPECIFIED, config.port)).await?;
        let address = listener.local_addr()?;
        let state = AppState::new(config);
        Ok(Application {
            listener,
            address,
            state,
        })
    }

    /// The address bound, with the port the OS chose for PORT=0.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The state the handlers will share (the tests watch it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM/SIGINT and the drain are over (see
    /// [`shutdown`]). The signal handlers are installed here, before the
    /// first request is served.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let signals = shutdown::Signals::install()?;
        let state = self.state.clone();
        self.serve(shutdown::drain_after_signal(state, signals))
            .await
    }

    /// Serves until `stop` resolves, then drains as after a signal. For
    /// running the app inside another program (the tests).
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = self.state.clone();
        self.serve(async move {
            stop.await;
            shutdown::drain(state, "stop requested").await;
        })
        .await
    }

    async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Application {
            listener,
            address,
            state,
        } = self;
        // Logged only now, once `run_until_stopped` has installed the
        // signal handlers: whoever waits for this line (a test, a person)
        // and then sends SIGINT or SIGTERM gets the drain, not the default
        // action that kills the process.
        tracing::info!(
            %address,
            version = env!("CARGO_PKG_VERSION"),
            git_revision = env!("GIT_REVISION"),
            "listening"
        );
        let upkeep = tokio::spawn(metrics_upkeep(state.metrics().clone()));
        // Small JSON answers go out at once instead of waiting for Nagle.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        // ANCHOR: serve
        axum::serve(listener, app::router(state))
            .with_graceful_shutdown(shutdown)
            .await?;
        // ANCHOR_END: serve
        upkeep.abort();
        tracing::info!("stopped");
        Ok(())
    }
}

async fn metrics_upkeep(metrics: metrics::Metrics) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        metrics.run_upkeep();
    }
}
