//! Prometheus metrics: requests by route and status, a latency histogram,
//! Redis errors, and the probe states.
//!
//! Counters and gauges go through the `metrics` facade, rendered by the
//! Prometheus exporter. The latency histogram is a fixed set of atomic
//! bucket counters rendered here: the exporter's histogram keeps every
//! sample until the next scrape (megabytes per second under load), while
//! bucket counters cost one atomic add and constant memory. Routes are
//! labelled by their pattern (`/kv/{key}`), never by the raw path, so a
//! client cannot create unbounded label values.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::response::Response;
use metrics::Counter;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

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
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Fails only if some other recorder was installed first; the metrics
        // then go there and /metrics renders an empty page, which is harmless.
        let _ = metrics::set_global_recorder(recorder);
        metrics::describe_counter!(
            HTTP_REQUESTS,
            "HTTP requests by method, route pattern and status"
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

/// The exporter's own upkeep (it compacts its internal state); nothing
/// guarantees a scraper calls `/metrics`, so a background task does it.
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
    let mut text = install().render();
    render_latency(&mut text);
    text
}

// ANCHOR: metrics
/// Middleware for matched routes: counts each request and times it. Added
/// with `route_layer`, so `MatchedPath` is known; unmatched paths are
/// counted by the 404 fallback through [`record_request`].
///
/// A plain tower layer rather than `axum::middleware::from_fn`: `from_fn`
/// boxes the rest of the stack and its future on every request, which cost
/// about 8% of `/health`'s throughput in `make bench-app` on 2 cores.
#[derive(Clone, Copy, Debug, Default)]
pub struct TrackLayer;

impl<S> Layer<S> for TrackLayer {
    type Service = Track<S>;

    fn layer(&self, inner: S) -> Track<S> {
        Track { inner }
    }
}

#[derive(Clone, Debug)]
pub struct Track<S> {
    inner: S,
}

impl<S> Service<Request> for Track<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = TrackFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = method_label(request.method());
        let route = request.extensions().get::<MatchedPath>().cloned();
        TrackFuture {
            inner: self.inner.call(request),
            start: Instant::now(),
            method,
            route,
        }
    }
}

pin_project! {
    /// The handler's future, plus what is needed to record it when done.
    pub struct TrackFuture<F> {
        #[pin]
        inner: F,
        start: Instant,
        method: &'static str,
        route: Option<MatchedPath>,
    }
}

impl<F, E> Future for TrackFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = ready!(this.inner.poll(cx));
        if let Ok(response) = &result {
            let route = this.route.as_ref().map_or("unmatched", MatchedPath::as_str);
            record_request(
                this.method,
                route,
                response.status().as_u16(),
                this.start.elapsed(),
            );
        }
        Poll::Ready(result)
    }
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
    with_handles(method, route, status, |(counter, histogram)| {
        counter.increment(1);
        histogram.record(elapsed);
    });
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

/// Request latencies of one (method, route): a count per bucket (not
/// cumulative; rendering adds them up), the total count and the sum.
struct LatencyHistogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl LatencyHistogram {
    fn record(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(
            elapsed.as_nanos().min(u64::MAX as u128) as u64,
            Ordering::Relaxed,
        );
    }
}

/// Every latency histogram, by (method, route), for rendering.
type Histograms = Vec<((&'static str, String), Arc<LatencyHistogram>)>;
static HISTOGRAMS: Mutex<Histograms> = Mutex::new(Vec::new());

fn histogram_for(method: &'static str, route: &str) -> Arc<LatencyHistogram> {
    let mut all = HISTOGRAMS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, histogram)) = all.iter().find(|((m, r), _)| *m == method && r == route) {
        return histogram.clone();
    }
    let histogram = Arc::new(LatencyHistogram {
        buckets: Default::default(),
        count: AtomicU64::new(0),
        sum_nanos: AtomicU64::new(0),
    });
    all.push(((method, route.to_owned()), histogram.clone()));
    histogram
}

/// The counter and histogram of one (route, method, status), looked up once
/// per worker thread and then reused: building label sets on every request
/// would cost more than the probe handlers themselves, and a cache per
/// thread needs no lock shared between cores.
type Handles = (Counter, Arc<LatencyHistogram>);
type HandleCache = HashMap<String, HashMap<(&'static str, u16), Handles>>;

thread_local! {
    static HANDLES: RefCell<HandleCache> = RefCell::new(HashMap::new());
}

fn with_handles(method: &'static str, route: &str, status: u16, use_them: impl FnOnce(&Handles)) {
    HANDLES.with_borrow_mut(|cache| {
        if let Some(handles) = cache
            .get(route)
            .and_then(|by_route| by_route.get(&(method, status)))
        {
            return use_them(handles);
        }
        let counter = metrics::counter!(
            HTTP_REQUESTS,
            "method" => method, "route" => route.to_owned(), "status" => status.to_string()
        );
        let handles = cache
            .entry(route.to_owned())
            .or_default()
            .entry((method, status))
            .or_insert_with(|| (counter, histogram_for(method, route)));
        use_them(handles);
    });
}

/// Appends the latency histograms in the Prometheus text format.
fn render_latency(out: &mut String) {
    let all = HISTOGRAMS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if all.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "# HELP {HTTP_DURATION} HTTP request latency by method and route pattern"
    );
    let _ = writeln!(out, "# TYPE {HTTP_DURATION} histogram");
    for ((method, route), histogram) in all.iter() {
        let labels = format!("method=\"{method}\",route=\"{}\"", escape_label(route));
        let mut cumulative = 0;
        for (bound, bucket) in BUCKETS.iter().zip(&histogram.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "{HTTP_DURATION}_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = histogram.count.load(Ordering::Relaxed);
        let sum = histogram.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let _ = writeln!(
            out,
            "{HTTP_DURATION}_bucket{{{labels},le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(out, "{HTTP_DURATION}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{HTTP_DURATION}_count{{{labels}}} {count}");
    }
    out.push('\n');
}

fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_buckets_are_cumulative_and_count_everything() {
        let histogram = histogram_for("GET", "/test-histogram");
        histogram.record(Duration::from_micros(300));
        histogram.record(Duration::from_millis(3));
        histogram.record(Duration::from_secs(60));
        let mut text = String::new();
        render_latency(&mut text);
        let line = |le: &str| {
            let prefix = format!(
                "http_request_duration_seconds_bucket{{method=\"GET\",route=\"/test-histogram\",le=\"{le}\"}} "
            );
            text.lines()
                .find_map(|l| l.strip_prefix(&prefix))
                .unwrap_or_else(|| panic!("no bucket {le} in {text}"))
                .to_owned()
        };
        assert_eq!(line("0.0005"), "1");
        assert_eq!(line("0.001"), "1");
        assert_eq!(line("0.005"), "2");
        assert_eq!(line("30"), "2");
        assert_eq!(line("+Inf"), "3");
        assert!(text.contains("# TYPE http_request_duration_seconds histogram"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label(r#"a"b\c"#), r#"a\"b\\c"#);
    }
}
