//! `GET /metrics` for Prometheus (the recorder lives in `crate::metrics`).

use axum::http::header;
use axum::response::IntoResponse;

#[utoipa::path(get, path = "/metrics", tag = "general", responses(
    (status = 200, description = "Prometheus text format", content_type = "text/plain; version=0.0.4", body = String)))]
pub async fn metrics() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(),
    )
}
