//! The request latency histogram: a fixed set of atomic bucket counters per
//! (method, route), rendered in the Prometheus text format. The exporter's
//! own histogram keeps every sample until the next scrape (megabytes per
//! second under load); bucket counters cost one atomic add and constant
//! memory.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Latency buckets in seconds, from half a millisecond (a probe) to 30 s (a
/// long /stress run).
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Request latencies of one (method, route): a count per bucket (not
/// cumulative; rendering adds them up), the total count and the sum.
#[derive(Default)]
pub struct LatencyHistogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl LatencyHistogram {
    pub fn record(&self, elapsed: Duration) {
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

/// (method, route): what a histogram is kept for.
type Labels = (&'static str, String);

/// Every latency histogram of one registry, by (method, route).
#[derive(Default)]
pub struct Histograms(Mutex<Vec<(Labels, Arc<LatencyHistogram>)>>);

impl Histograms {
    /// The histogram of (method, route), made on first use.
    pub fn get(&self, method: &'static str, route: &str) -> Arc<LatencyHistogram> {
        let mut all = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, histogram)) = all.iter().find(|((m, r), _)| *m == method && r == route) {
            return histogram.clone();
        }
        let histogram = Arc::new(LatencyHistogram::default());
        all.push(((method, route.to_owned()), histogram.clone()));
        histogram
    }

    /// Appends the histograms, named `name`, in the Prometheus text format.
    pub fn render(&self, name: &str, out: &mut String) {
        let all = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if all.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "# HELP {name} HTTP request latency by method and route pattern"
        );
        let _ = writeln!(out, "# TYPE {name} histogram");
        for ((method, route), histogram) in all.iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape_label(route));
            let mut cumulative = 0;
            for (bound, bucket) in BUCKETS.iter().zip(&histogram.buckets) {
                cumulative += bucket.load(Ordering::Relaxed);
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            let count = histogram.count.load(Ordering::Relaxed);
            let sum = histogram.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {count}");
            let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
            let _ = writeln!(out, "{name}_count{{{labels}}} {count}");
        }
        out.push('\n');
    }
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
        let histograms = Histograms::default();
        let histogram = histograms.get("GET", "/test-histogram");
        histogram.record(Duration::from_micros(300));
        histogram.record(Duration::from_millis(3));
        histogram.record(Duration::from_secs(60));
        let mut text = String::new();
        histograms.render("http_request_duration_seconds", &mut text);
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
