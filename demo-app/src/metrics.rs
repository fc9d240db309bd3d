//! Prometheus metrics: requests by route and status, a latency histogram,
//! Redis errors, and the probe states. One [`Metrics`] registry per app
//! (no process-wide recorder), so several apps can run in one process, as
//! the tests do.
//!
//! - this module: the registry and what is recorded in it;
//! - [`layer`]: the tower layer that times and counts every request;
//! - [`histogram`]: the latency histogram.
//!
//! Counters and gauges live in a Prometheus exporter recorder owned by the
//! registry. Routes are labelled by their pattern (`/kv/{key}`), never by
//! the raw path, so a client cannot create unbounded label values.

pub mod histogram;
pub mod layer;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::Method;
use metrics::{Counter, Gauge, Key, Label, Level, Metadata, Recorder, SharedString, Unit};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use histogram::{Histograms, LatencyHistogram};
pub use layer::TrackLayer;

// ANCHOR: metric-names
const HTTP_REQUESTS: &str = "http_requests_total";
const HTTP_DURATION: &str = "http_request_duration_seconds";
const REDIS_ERRORS: &str = "redis_errors_total";
const READY: &str = "demo_app_ready";
const HEALTHY: &str = "demo_app_healthy";
// ANCHOR_END: metric-names

/// What the exporter is told about the metrics' origin.
static METADATA: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, None);

/// The metrics of one app. Cloning is cheap (one `Arc`).
#[derive(Clone)]
pub struct Metrics(Arc<Registry>);

struct Registry {
    /// Tells this registry's entries apart in the per-thread handle cache.
    id: u64,
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    latency: Histograms,
    healthy: Gauge,
    ready: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let describe = |name: &'static str, help: &'static str| {
            recorder.describe_counter(name.into(), None::<Unit>, SharedString::const_str(help));
        };
        describe(
            HTTP_REQUESTS,
            "HTTP requests by method, route pattern and status",
        );
        describe(
            REDIS_ERRORS,
            "Redis calls that failed or timed out, by operation and kind",
        );
        recorder.describe_gauge(
            READY.into(),
            None,
            SharedString::const_str("1 while GET /ready answers 200"),
        );
        recorder.describe_gauge(
            HEALTHY.into(),
            None,
            SharedString::const_str("1 while GET /health answers 200"),
        );
        let healthy = recorder.register_gauge(&Key::from_static_name(HEALTHY), &METADATA);
        let ready = recorder.register_gauge(&Key::from_static_name(READY), &METADATA);
        Metrics(Arc::new(Registry {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            recorder,
            handle,
            latency: Histograms::default(),
            healthy,
            ready,
        }))
    }

    /// Every metric in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut text = self.0.handle.render();
        self.0.latency.render(HTTP_DURATION, &mut text);
        text
    }

    /// The exporter's own upkeep (it compacts its internal state); nothing
    /// guarantees a scraper calls `/metrics`, so the app runs it on a timer.
    pub fn run_upkeep(&self) {
        self.0.handle.run_upkeep();
    }

    // ANCHOR: metrics
    /// Counts and times one answered request (see [`TrackLayer`]).
    pub fn record_request(
        &self,
        method: &'static str,
        route: &str,
        status: u16,
        elapsed: Duration,
    ) {
        self.with_handles(method, route, status, |(counter, histogram)| {
            counter.increment(1);
            histogram.record(elapsed);
        });
    }

    /// `kind` is `timeout` (no answer within REDIS_TIMEOUT_MS) or `error`.
    pub fn record_redis_error(&self, operation: &'static str, kind: &'static str) {
        let key = Key::from_parts(
            REDIS_ERRORS,
            vec![Label::new("operation", operation), Label::new("kind", kind)],
        );
        self.0
            .recorder
            .register_counter(&key, &METADATA)
            .increment(1);
    }

    pub fn set_probe_gauges(&self, healthy: bool, ready: bool) {
        self.0.healthy.set(if healthy { 1.0 } else { 0.0 });
        self.0.ready.set(if ready { 1.0 } else { 0.0 });
    }
    // ANCHOR_END: metrics

    /// The counter and histogram of one (route, method, status), looked up
    /// once per worker thread and then reused: building label sets on every
    /// request would cost more than the probe handlers themselves, and a
    /// cache per thread needs no lock shared between cores.
    fn with_handles(
        &self,
        method: &'static str,
        route: &str,
        status: u16,
        use_them: impl FnOnce(&Handles),
    ) {
        HANDLES.with_borrow_mut(|cache| {
            let by_route = cache.entry(self.0.id).or_default();
            if let Some(handles) = by_route
                .get(route)
                .and_then(|by_status| by_status.get(&(method, status)))
            {
                return use_them(handles);
            }
            let key = Key::from_parts(
                HTTP_REQUESTS,
                vec![
                    Label::new("method", method),
                    Label::new("route", route.to_owned()),
                    Label::new("status", status.to_string()),
                ],
            );
            let counter = self.0.recorder.register_counter(&key, &METADATA);
            let histogram = self.0.latency.get(method, route);
            let handles = by_route
                .entry(route.to_owned())
                .or_default()
                .entry((method, status))
                .or_insert((counter, histogram));
            use_them(handles);
        });
    }
}

type Handles = (Counter, Arc<LatencyHistogram>);
/// registry id → route → (method, status) → handles. Entries of a dropped
/// registry stay until their thread ends: a few handles per app, and only
/// processes that make many apps (the tests) ever drop one.
type HandleCache = HashMap<u64, HashMap<String, HashMap<(&'static str, u16), Handles>>>;

thread_local! {
    static HANDLES: RefCell<HandleCache> = RefCell::new(HashMap::new());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_registries_keep_their_own_counts() {
        let (a, b) = (Metrics::new(), Metrics::new());
        a.record_request("GET", "/x", 200, Duration::from_millis(1));
        a.record_request("GET", "/x", 200, Duration::from_millis(1));
        b.record_request("GET", "/x", 200, Duration::from_millis(1));
        let line = r#"http_requests_total{method="GET",route="/x",status="200"}"#;
        assert!(a.render().contains(&format!("{line} 2")), "{}", a.render());
        assert!(b.render().contains(&format!("{line} 1")), "{}", b.render());
    }
}
