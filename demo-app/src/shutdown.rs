//! Graceful shutdown, in the order a Kubernetes rollout needs it:
//!
//! 1. SIGTERM (or SIGINT) arrives: `/ready` answers 503 at once.
//! 2. For SHUTDOWN_DRAIN_SECONDS the app keeps serving normally. Endpoints
//!    and kube-proxy take a moment to notice the pod is going away; requests
//!    routed to it in that window still succeed.
//! 3. The listener closes; requests in flight run to completion, idle
//!    keep-alive connections are closed.
//! 4. The process exits 0. (If the whole thing outlasts the pod's
//!    terminationGracePeriodSeconds, the kubelet sends SIGKILL.)

use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::state::AppState;

/// The signal handlers, installed before the server starts so that an
/// early SIGTERM is handled rather than killing the process outright.
pub struct Signals {
    terminate: Signal,
    interrupt: Signal,
}

impl Signals {
    pub fn install() -> io::Result<Self> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        }
    }
}

// ANCHOR: graceful-shutdown
/// Resolves when the server should stop accepting connections: after the
/// first signal and the drain delay. Passed to `with_graceful_shutdown`.
pub async fn drain_after_signal(state: AppState, mut signals: Signals) {
    let signal = signals.recv().await;
    // A second signal means "stop now", e.g. a second Ctrl-C.
    tokio::spawn(async move {
        let signal = signals.recv().await;
        tracing::warn!(signal, "second signal: exiting at once");
        std::process::exit(1);
    });
    drain(state, signal).await;
}

/// Readiness off, then keep serving for SHUTDOWN_DRAIN_SECONDS.
pub async fn drain(state: AppState, reason: &'static str) {
    state.begin_shutdown();
    let drain = state.config().shutdown_drain;
    tracing::info!(
        signal = reason,
        drain_seconds = drain.as_secs(),
        "shutting down: /ready answers 503; still serving during the drain"
    );
    tokio::time::sleep(drain).await;
    tracing::info!("drain over: closing the listener and finishing requests in flight");
}
// ANCHOR_END: graceful-shutdown
