//! demo-app: the service every chapter of the Kubernetes learning kit
//! deploys. `main.rs` only parses arguments and configuration; everything
//! else lives here, one module per job:
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
//! | [`metrics`] | Prometheus metrics |
//! | [`openapi`] | the OpenAPI document |
//! | [`shutdown`] | SIGTERM handling and the drain |
//! | [`telemetry`] | logging |

pub mod app;
pub mod config;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod redis_store;
pub mod routes;
pub mod sessions;
pub mod shutdown;
pub mod state;
pub mod telemetry;
pub mod users;

use std::net::{Ipv4Addr, SocketAddr};

use axum::serve::ListenerExt;

use crate::config::Config;
use crate::state::AppState;

/// Serves until SIGTERM/SIGINT and the drain are over. Must run inside a
/// Tokio runtime.
pub async fn run(config: Config) -> std::io::Result<()> {
    let signals = shutdown::Signals::install()?;
    let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, config.port));
    let state = AppState::new(config);
    metrics::spawn_upkeep();

    let listener = tokio::net::TcpListener::bind(addr)
        .await?
        // Small JSON answers go out at once instead of waiting for Nagle.
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!(
        %addr,
        version = env!("CARGO_PKG_VERSION"),
        git_revision = env!("GIT_REVISION"),
        "listening"
    );
    // ANCHOR: serve
    axum::serve(listener, app::router(state.clone()))
        .with_graceful_shutdown(shutdown::drain_after_signal(state, signals))
        .await?;
    // ANCHOR_END: serve
    tracing::info!("stopped");
    Ok(())
}
