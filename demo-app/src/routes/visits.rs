//! `GET /visits`: one counter in Redis shared by every replica, so the
//! number keeps growing whichever pod answers.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppResult, ErrorBody};
use crate::state::AppState;

const VISITS_KEY: &str = "visits";

#[derive(Serialize, ToSchema)]
pub struct Visits {
    /// The counter after this visit.
    pub visits: i64,
    pub server: String,
    /// Which Redis the replica talks to (REDIS_HOST).
    pub redis_host: String,
}

// ANCHOR: visits
/// INCR is atomic in Redis: concurrent visits on any number of replicas
/// never lose an increment.
#[utoipa::path(get, path = "/visits", tag = "redis", responses(
    (status = 200, description = "The shared counter, incremented", body = Visits),
    (status = 503, description = "Redis is unavailable", body = ErrorBody)))]
pub async fn visits(State(state): State<AppState>) -> AppResult<Json<Visits>> {
    let visits = state.redis().incr(VISITS_KEY).await?;
    Ok(Json(Visits {
        visits,
        server: state.hostname().to_owned(),
        redis_host: state.config().redis_host.clone(),
    }))
}
// ANCHOR_END: visits
