//! The OpenAPI document, generated from the handlers' `#[utoipa::path]`
//! attributes, so it cannot drift from the code. Served at
//! `/openapi.json`, browsable at `/docs`, printed by `demo-app openapi`.

use utoipa::OpenApi;

use crate::routes::{auth, chaos, general, kv, metrics, probes, visits};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "demo-app",
        description = "The demo service of the Kubernetes learning kit: probes, chaos, \
                       Downward API info, and Redis-backed visits, key-value store and sessions. \
                       Every error is JSON {\"detail\": \"...\"}."
    ),
    paths(
        general::index, general::info, general::config, general::version,
        probes::health, probes::health_enable, probes::health_disable,
        probes::ready, probes::ready_enable, probes::ready_disable,
        chaos::crash, chaos::stress,
        visits::visits,
        kv::get_key, kv::put_key, kv::delete_key,
        auth::login, auth::logout, auth::me,
        metrics::metrics,
    ),
    tags(
        (name = "general", description = "Who answered, and how it is configured"),
        (name = "probes", description = "Liveness and readiness, with switches to make them fail"),
        (name = "chaos", description = "Crash and CPU stress; off unless CHAOS_ENABLED=true"),
        (name = "redis", description = "Routes backed by Redis; 503 when Redis is unavailable"),
        (name = "sessions", description = "Login with a session cookie stored in Redis"),
    )
)]
pub struct ApiDoc;

/// The document as a typed value (what Swagger UI is given).
pub fn api() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as JSON, for tests and the manifest checks.
pub fn document() -> serde_json::Value {
    serde_json::to_value(api()).expect("an OpenAPI document always serializes to JSON")
}
