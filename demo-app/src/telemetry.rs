//! Logging through `tracing`, to stdout where the container runtime
//! collects it: human-readable text, or one JSON object per line for log
//! pipelines (LOG_FORMAT=json). LOG_LEVEL sets the filter. Also the one
//! place that logs requests.

use std::io::IsTerminal;
use std::time::Duration;

use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};

// ANCHOR: logging
pub fn init(config: &Config) {
    // Already validated by `Config`, so this cannot fail here.
    let filter = EnvFilter::builder()
        .parse(&config.log_level)
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
        // Colours only on a terminal: escape codes are noise in `kubectl logs`.
        LogFormat::Text => builder.with_ansi(std::io::stdout().is_terminal()).init(),
    }
}
// ANCHOR_END: logging

/// One line per answered request, at debug level: probes arrive every few
/// seconds and would drown everything else at info. LOG_LEVEL=debug shows
/// them. Called by [`crate::metrics::TrackLayer`], which times requests.
pub fn log_request(method: &'static str, route: &str, status: u16, elapsed: Duration) {
    tracing::debug!(
        method,
        route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
}
