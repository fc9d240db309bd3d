//! Logging through `tracing`, to stdout where the container runtime
//! collects it: human-readable text, or one JSON object per line for log
//! pipelines (LOG_FORMAT=json). LOG_LEVEL sets the filter.

use std::io::IsTerminal;

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
