//! Chaos endpoints for the self-healing and autoscaling chapters. They are
//! off unless CHAOS_ENABLED=true (then 403), because a public endpoint that
//! kills the process or burns CPU is a gift to anyone who finds it. The
//! kit's ConfigMap switches them on for the local cluster.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::AppQuery;
use crate::state::AppState;

fn ensure_enabled(state: &AppState) -> AppResult<()> {
    if state.config().chaos_enabled {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "chaos endpoints are disabled; set CHAOS_ENABLED=true to enable them".to_owned(),
        ))
    }
}

#[derive(Serialize, ToSchema)]
pub struct CrashNotice {
    #[schema(example = "exiting with status 1")]
    pub message: String,
    pub server: String,
}

// ANCHOR: crash
/// Exits the process with status 1, a moment after answering so the client
/// sees why the connection goes away. Kubernetes then restarts the
/// container (restartPolicy: Always) and counts a restart.
#[utoipa::path(post, path = "/crash", tag = "chaos", responses(
    (status = 200, description = "The process exits right after this answer", body = CrashNotice),
    (status = 403, description = "CHAOS_ENABLED is false", body = ErrorBody)))]
pub async fn crash(State(state): State<AppState>) -> AppResult<Json<CrashNotice>> {
    ensure_enabled(&state)?;
    tracing::error!("POST /crash: exiting with status 1");
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        std::process::exit(1);
    });
    Ok(Json(CrashNotice {
        message: "exiting with status 1".to_owned(),
        server: state.hostname().to_owned(),
    }))
}
// ANCHOR_END: crash

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StressParams {
    /// Seconds of CPU to burn; capped at MAX_STRESS_SECONDS.
    #[param(schema_with = seconds_schema)]
    pub seconds: Option<u64>,
}

/// `seconds` as the handler reads it: any `u64`. Written out because
/// utoipa gives `u64` the format `int64`, whose range ends at 2^63 - 1, and
/// a value the document forbids must not be accepted.
fn seconds_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .description(Some(
            "Seconds of CPU to burn; capped at MAX_STRESS_SECONDS.",
        ))
        .minimum(Some(u64::MIN))
        .maximum(Some(u64::MAX))
        .default(Some(DEFAULT_STRESS_SECONDS.into()))
        .build()
}

/// Seconds of stress when the request does not say.
const DEFAULT_STRESS_SECONDS: u64 = 10;

#[derive(Serialize, ToSchema)]
pub struct StressResult {
    /// Seconds actually burned (the request, capped at MAX_STRESS_SECONDS).
    pub stressed_seconds: u64,
    pub server: String,
}

// ANCHOR: stress
/// Keeps one CPU core busy for min(seconds, MAX_STRESS_SECONDS): enough to
/// push CPU use over an HPA target. The loop runs on Tokio's blocking
/// thread pool, never on the async workers, so probes and other requests
/// are served as usual while it runs.
#[utoipa::path(get, path = "/stress", tag = "chaos", params(StressParams), responses(
    (status = 200, description = "Burned CPU for the given time", body = StressResult),
    (status = 403, description = "CHAOS_ENABLED is false", body = ErrorBody),
    (status = 422, description = "seconds is not a non-negative integer", body = ErrorBody)))]
pub async fn stress(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<StressParams>,
) -> AppResult<Json<StressResult>> {
    ensure_enabled(&state)?;
    let seconds = params
        .seconds
        .unwrap_or(DEFAULT_STRESS_SECONDS)
        .min(state.config().max_stress_seconds);
    tracing::info!(seconds, "stress: burning one CPU core");
    tokio::task::spawn_blocking(move || burn_cpu(Duration::from_secs(seconds)))
        .await
        .map_err(|e| {
            AppError::Other(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        })?;
    Ok(Json(StressResult {
        stressed_seconds: seconds,
        server: state.hostname().to_owned(),
    }))
}

fn burn_cpu(duration: Duration) {
    let deadline = Instant::now() + duration;
    let mut x: u64 = 1;
    while Instant::now() < deadline {
        // Pointless arithmetic the optimiser may not remove.
        for _ in 0..10_000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }
}
// ANCHOR_END: stress
