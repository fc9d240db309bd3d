//! The OpenAPI document, generated from the handlers' `#[utoipa::path]`
//! attributes as [`crate::app::api_routes`] registers them, so it cannot
//! drift from the code. Served at `/openapi.json`, browsable at `/docs`,
//! printed by `demo-app openapi`.

use utoipa::OpenApi;

use crate::config::Config;
use crate::error::ErrorBody;
use crate::routes::kv::Key;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "demo-app",
        description = "The demo service of the Kubernetes learning kit: probes, chaos, \
                       Downward API info, and Redis-backed visits, key-value store and sessions. \
                       Every error is JSON {\"detail\": \"...\"}."
    ),
    components(schemas(ErrorBody, Key)),
    tags(
        (name = "general", description = "Who answered, and how it is configured"),
        (name = "probes", description = "Liveness and readiness, with switches to make them fail"),
        (name = "chaos", description = "Crash and CPU stress; off unless CHAOS_ENABLED=true"),
        (name = "redis", description = "Routes backed by Redis; 503 when Redis is unavailable"),
        (name = "sessions", description = "Login with a session cookie stored in Redis"),
    )
)]
pub struct ApiDoc;

/// The document for the default settings, as a typed value.
pub fn api() -> utoipa::openapi::OpenApi {
    let (_, document) = crate::app::api_routes().split_for_parts();
    let defaults = Config::from_lookup(|_| None).expect("the defaults are valid");
    with_body_limit(document, defaults.max_body_bytes)
}

/// The document for the default settings as JSON, for tests and the
/// manifest checks.
pub fn document() -> serde_json::Value {
    serde_json::to_value(api()).expect("an OpenAPI document always serializes to JSON")
}

/// Writes the body limit in force (MAX_BODY_BYTES) into every request body's
/// description: JSON Schema has no keyword for a size in bytes.
pub fn with_body_limit(
    mut document: utoipa::openapi::OpenApi,
    limit: usize,
) -> utoipa::openapi::OpenApi {
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            if let Some(body) = operation.request_body.as_mut() {
                body.description = Some(format!(
                    "JSON, at most {limit} bytes (MAX_BODY_BYTES); a larger body gets 413"
                ));
            }
        }
    }
    document
}
