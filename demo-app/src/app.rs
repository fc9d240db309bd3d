//! The router: every path, its handlers, and the layers around them.
//!
//! Each API route is declared once, in [`api_routes`]: `routes!` registers
//! the handlers with the router and their `#[utoipa::path]` documentation
//! with the OpenAPI document in the same call, so a route cannot be served
//! undocumented or documented unserved.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::linger::LingerLayer;
use crate::metrics::TrackLayer;
use crate::openapi::{self, ApiDoc};
use crate::routes::{auth, chaos, fallback, general, kv, metrics, probes, visits};
use crate::state::AppState;

/// Every documented route, one declaration each.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(general::index))
        .routes(routes!(general::info))
        .routes(routes!(general::config))
        .routes(routes!(general::version))
        .routes(routes!(probes::health))
        .routes(routes!(probes::health_enable))
        .routes(routes!(probes::health_disable))
        .routes(routes!(probes::ready))
        .routes(routes!(probes::ready_enable))
        .routes(routes!(probes::ready_disable))
        .routes(routes!(chaos::crash))
        .routes(routes!(chaos::stress))
        .routes(routes!(visits::visits))
        .routes(routes!(kv::get_key, kv::put_key, kv::delete_key))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(metrics::metrics))
}

pub fn router(state: AppState) -> Router {
    let body_limit = state.config().max_body_bytes;
    let (api, document) = api_routes().split_for_parts();
    api
        // `/kv/` with no key: not an operation, only a clearer 422 than 404.
        .route("/kv/", any(kv::empty_key))
        .merge(docs(openapi::with_body_limit(document, body_limit)))
        // Must come after the routes: it applies to those registered so far.
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .fallback(fallback::not_found)
        // Layers wrap what is registered before them, the fallback included.
        .layer(TrackLayer::new(state.metrics().clone()))
        // Applies to every extractor that reads the body (JSON here).
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(LingerLayer)
        .with_state(state)
}

/// `/docs` (Swagger UI) and `/openapi.json`. Swagger UI's files are compiled
/// into the binary (utoipa-swagger-ui's `vendored` feature), so the page
/// works offline with no CDN. Its online validator badge would call
/// validator.swagger.io, so it is switched off.
fn docs(document: utoipa::openapi::OpenApi) -> SwaggerUi {
    SwaggerUi::new("/docs")
        .url("/openapi.json", document)
        .config(SwaggerConfig::new(["/openapi.json"]).validator_url("none"))
}
