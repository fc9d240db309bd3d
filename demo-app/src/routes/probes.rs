//! Liveness (`/health`) and readiness (`/ready`) for the kubelet's probes,
//! with switches to make each fail on demand.
//!
//! Neither probe touches Redis, on purpose:
//! - liveness asks "is this process stuck?": restarting the app cannot fix
//!   Redis, so a Redis outage must not cause restarts;
//! - readiness asks "should this replica get traffic?": Redis is shared by
//!   all replicas, so a Redis outage would take every replica out of the
//!   Service at once and turn a partial outage (only Redis routes fail) into
//!   a total one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ProbeStatus {
    /// `healthy` / `unhealthy` for liveness, `ready` / `not ready` for readiness.
    #[schema(example = "healthy")]
    pub status: &'static str,
}

type ProbeResponse = (StatusCode, Json<ProbeStatus>);

// ANCHOR: health
fn health_response(state: &AppState) -> ProbeResponse {
    if state.is_healthy() {
        (StatusCode::OK, Json(ProbeStatus { status: "healthy" }))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ProbeStatus {
                status: "unhealthy",
            }),
        )
    }
}

/// Liveness: 200 unless switched off. After enough failures in a row the
/// kubelet restarts the container, although the process never crashed.
#[utoipa::path(get, path = "/health", tag = "probes", responses(
    (status = 200, description = "Alive", body = ProbeStatus),
    (status = 503, description = "Switched off with POST /health/disable", body = ProbeStatus)))]
pub async fn health(State(state): State<AppState>) -> ProbeResponse {
    health_response(&state)
}

#[utoipa::path(post, path = "/health/enable", tag = "probes",
    responses((status = 200, description = "Liveness answers 200 again", body = ProbeStatus)))]
pub async fn health_enable(State(state): State<AppState>) -> ProbeResponse {
    state.set_healthy(true);
    tracing::info!("liveness switched on");
    health_response(&state)
}

/// Makes `/health` fail while the process keeps running, so the reader sees
/// a liveness restart rather than a crash.
#[utoipa::path(post, path = "/health/disable", tag = "probes",
    responses((status = 200, description = "Liveness now answers 503", body = ProbeStatus)))]
pub async fn health_disable(State(state): State<AppState>) -> Json<ProbeStatus> {
    state.set_healthy(false);
    tracing::warn!("liveness switched off: GET /health answers 503 until POST /health/enable");
    Json(ProbeStatus {
        status: "unhealthy",
    })
}
// ANCHOR_END: health

// ANCHOR: readiness
fn ready_response(state: &AppState) -> ProbeResponse {
    if state.is_ready() {
        (StatusCode::OK, Json(ProbeStatus { status: "ready" }))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ProbeStatus {
                status: "not ready",
            }),
        )
    }
}

/// Readiness: 200 unless switched off or shutting down. A replica that is
/// not ready stays alive but the Service stops sending it requests.
#[utoipa::path(get, path = "/ready", tag = "probes", responses(
    (status = 200, description = "Ready for traffic", body = ProbeStatus),
    (status = 503, description = "Switched off, or draining after SIGTERM", body = ProbeStatus)))]
pub async fn ready(State(state): State<AppState>) -> ProbeResponse {
    ready_response(&state)
}

/// Switches readiness back on. During a shutdown it stays off: the answer
/// says `not ready` then.
#[utoipa::path(post, path = "/ready/enable", tag = "probes",
    responses((status = 200, description = "The readiness now in effect", body = ProbeStatus)))]
pub async fn ready_enable(State(state): State<AppState>) -> Json<ProbeStatus> {
    state.set_ready_enabled(true);
    tracing::info!("readiness switched on");
    let (_, body) = ready_response(&state);
    body
}

#[utoipa::path(post, path = "/ready/disable", tag = "probes",
    responses((status = 200, description = "Readiness now answers 503", body = ProbeStatus)))]
pub async fn ready_disable(State(state): State<AppState>) -> Json<ProbeStatus> {
    state.set_ready_enabled(false);
    tracing::warn!("readiness switched off: GET /ready answers 503 until POST /ready/enable");
    Json(ProbeStatus {
        status: "not ready",
    })
}
// ANCHOR_END: readiness
