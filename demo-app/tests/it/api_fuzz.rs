//! Property-based test of the API against its own OpenAPI document:
//! schemathesis (from PyPI, pinned in the top-level Makefile, installed
//! into .venv by `make test-app`) reads /openapi.json from the real binary
//! on a real Redis, generates requests from it, valid and invalid, and
//! fails on any 5xx, any status the document does not list for the
//! operation, any response that does not match its schema, and any request
//! the schema allows that is rejected.
//!
//! A hand-written Rust equivalent would be a fuzzer of its own; schemathesis
//! is the maintained tool for exactly this.

use std::path::PathBuf;
use std::process::Command;

use crate::support::{ProcessApp, start_redis};

/// Examples per operation and phase: enough to reach every documented
/// constraint, few enough to finish in seconds. SCHEMATHESIS_EXAMPLES
/// raises it for a longer hunt.
const EXAMPLES: &str = "15";

fn schemathesis() -> Option<PathBuf> {
    let path = testkit::repo_root().join(".venv/bin/schemathesis");
    path.is_file().then_some(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_every_promise_of_its_openapi_document() {
    local_only!();
    let Some(schemathesis) = testkit::need(
        this_test!(),
        "schemathesis (.venv/bin/schemathesis)",
        schemathesis(),
        "run `make test-app`, which installs it into .venv",
    ) else {
        return;
    };
    let redis = start_redis();
    // MAX_STRESS_SECONDS=0: /stress answers at once whatever it is asked.
    let app = ProcessApp::start(redis.port(), &[("MAX_STRESS_SECONDS", "0")]);
    let examples = std::env::var("SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| EXAMPLES.to_owned());
    let report = tempfile::tempdir().expect("report dir");
    let mut command = Command::new(schemathesis);
    command
        .args(["--no-color", "run"])
        .arg(format!("{}/openapi.json", app.base))
        .args(["--checks", "all"])
        .args(["--max-examples", &examples])
        // A fixed seed: the same requests on every run, so a failure
        // reproduces; change it to explore.
        .args(["--seed", "20260101"])
        .args(["--workers", "1"])
        .args(["--request-timeout", "10"])
        // These end the process or switch a probe off for every later
        // request; the HTTP tests cover them.
        .args(["--exclude-path", "/crash"])
        .args(["--exclude-path", "/health/disable"])
        .args(["--exclude-path", "/ready/disable"])
        .arg("--report-dir")
        .arg(report.path())
        .current_dir(report.path());
    let output = tokio::task::spawn_blocking(move || command.output().expect("schemathesis runs"))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{stdout}\n{}\napp log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        app.logs()
    );
}
