//! Prometheus metrics: requests by route and status, a latency histogram,
//! Redis errors, and the probe states.
//!
//! The `metrics` facade keeps call sites one line long; the Prometheus
//! exporter renders the text format for `GET /metrics`. Routes are labelled
//! by their pattern (`/kv/{key}`), never by the raw path, so a client cannot
//! create unbounded label values.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

// ANCHOR: metric-names
const HTTP_REQUESTS: &str = "http_requests_total";
const HTTP_DURATION: &str = "http_request_duration_seconds";
const REDIS_ERRORS: &str = "redis_errors_total";
const READY: &str = "demo_app_ready";
const HEALTHY: &str = "demo_app_healthy";
// ANCHOR_END: metric-names

/// Latency buckets in seconds, from half a millisecond (a probe) to 30 s (a
/// long /stress run).
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once and returns the handle that
/// renders it. Later calls return the same handle.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_owned()), BUCKETS)
            .expect("the bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Fails only if some other recorder was installed first; the metrics
        // then go there and /metrics renders an empty page, which is harmless.
        let _ = metrics::set_global_recorder(recorder);
        metrics::describe_counter!(
            HTTP_REQUESTS,
            "HTTP requests by method, route pattern and status"
        );
        metrics::describe_histogram!(
            HTTP_DURATION,
            metrics::Unit::Seconds,
            "HTTP request latency by method and route pattern"
        );
        metrics::describe_counter!(
            REDIS_ERRORS,
            "Redis calls that failed or timed out, by operation and kind"
        );
        metrics::describe_gauge!(READY, "1 while GET /ready answers 200");
        metrics::describe_gauge!(HEALTHY, "1 while GET /health answers 200");
        handle
    })
}

/// Histograms keep raw samples until they are drained. `/metrics` drains
/// them, but nothing guarantees a scraper, so a background task does too.
pub fn spawn_upkeep() {
    let handle = install();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Renders every metric in the Prometheus text format.
pub fn render() -> String {
    install().render()
}

// ANCHOR: metrics
/// Middleware for matched routes: counts the request and times it. Added
/// with `route_layer`, so `MatchedPath` is known; unmatched paths are
/// counted by the 404 fallback through [`record_request`].
pub async fn track(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    record_request(method, route, response.status().as_u16(), start.elapsed());
    response
}

/// A label for the method. Clients may send any token as a method, and
/// each distinct label value is a new time series, so anything unusual
/// becomes `OTHER`.
pub fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "PATCH" => "PATCH",
        _ => "OTHER",
    }
}

/// The counter and histogram of one (route, method, status), looked up once
/// and then reused: building label sets on every request would cost more
/// than the probe handlers themselves.
type Handles = (Counter, Histogram);
type HandleCache = HashMap<String, HashMap<(&'static str, u16), Handles>>;
static HANDLES: LazyLock<RwLock<HandleCache>> = LazyLock::new(Default::default);

fn handles(method: &'static str, route: &str, status: u16) -> Handles {
    let cached = HANDLES
        .read()
        .ok()
        .and_then(|cache| cache.get(route)?.get(&(method, status)).cloned());
    if let Some(handles) = cached {
        return handles;
    }
    let counter = metrics::counter!(
        HTTP_REQUESTS,
        "method" => method, "route" => route.to_owned(), "status" => status.to_string()
    );
    let histogram =
        metrics::histogram!(HTTP_DURATION, "method" => method, "route" => route.to_owned());
    if let Ok(mut cache) = HANDLES.write() {
        cache
            .entry(route.to_owned())
            .or_default()
            .insert((method, status), (counter.clone(), histogram.clone()));
    }
    (counter, histogram)
}

pub fn record_request(method: &'static str, route: &str, status: u16, elapsed: Duration) {
    // Probes arrive every few seconds, so requests are logged at debug
    // level only: LOG_LEVEL=debug shows each one.
    tracing::debug!(
        method,
        route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    let (counter, histogram) = handles(method, route, status);
    counter.increment(1);
    histogram.record(elapsed.as_secs_f64());
}

/// `kind` is `timeout` (no answer within REDIS_TIMEOUT_MS) or `error`.
pub fn record_redis_error(operation: &'static str, kind: &'static str) {
    metrics::counter!(REDIS_ERRORS, "operation" => operation, "kind" => kind).increment(1);
}

pub fn set_probe_gauges(healthy: bool, ready: bool) {
    install();
    metrics::gauge!(HEALTHY).set(if healthy { 1.0 } else { 0.0 });
    metrics::gauge!(READY).set(if ready { 1.0 } else { 0.0 });
}
// ANCHOR_END: metrics
