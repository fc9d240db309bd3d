//! The router: every path, its handlers, and the layers around them.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::routes::{auth, chaos, fallback, general, kv, metrics, probes, visits};
use crate::state::AppState;
use crate::{metrics as app_metrics, openapi};

pub fn router(state: AppState) -> Router {
    let body_limit = state.config().max_body_bytes;
    Router::new()
        .route("/", get(general::index))
        .route("/info", get(general::info))
        .route("/config", get(general::config))
        .route("/version", get(general::version))
        .route("/health", get(probes::health))
        .route("/health/enable", post(probes::health_enable))
        .route("/health/disable", post(probes::health_disable))
        .route("/ready", get(probes::ready))
        .route("/ready/enable", post(probes::ready_enable))
        .route("/ready/disable", post(probes::ready_disable))
        .route("/crash", post(chaos::crash))
        .route("/stress", get(chaos::stress))
        .route("/visits", get(visits::visits))
        .route("/kv/", any(kv::empty_key))
        .route(
            "/kv/{key}",
            get(kv::get_key).post(kv::put_key).delete(kv::delete_key),
        )
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/metrics", get(metrics::metrics))
        .merge(docs())
        // Must come after the routes: it applies to those registered so far.
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .route_layer(app_metrics::TrackLayer)
        .fallback(fallback::not_found)
        // Applies to every extractor that reads the body (JSON here).
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// `/docs` (Swagger UI) and `/openapi.json`. Swagger UI's files are compiled
/// into the binary (utoipa-swagger-ui's `vendored` feature), so the page
/// works offline with no CDN. Its online validator badge would call
/// validator.swagger.io, so it is switched off.
fn docs() -> SwaggerUi {
    SwaggerUi::new("/docs")
        .url("/openapi.json", openapi::api())
        .config(SwaggerConfig::new(["/openapi.json"]).validator_url("none"))
}
