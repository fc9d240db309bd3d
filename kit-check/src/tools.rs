//! External tools (kubectl, checkov) and the policy when one is missing:
//! skip with a one-line message, except under `CI=true`, where a missing
//! tool is a failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use crate::paths::repo_root;

/// True when running under CI (`CI=true`), where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Report that a check cannot run because `what` is missing.
/// Prints one line and returns under a developer's `cargo test`;
/// panics under CI.
pub fn missing(what: &str, how_to_get_it: &str) {
    let message = format!("{what} is missing: {how_to_get_it}");
    if in_ci() {
        panic!("CI=true and {message}");
    }
    // Straight to the process's stderr: `eprintln!` would be captured by
    // the test harness and never shown for a passing (skipped) test.
    let _ = writeln!(std::io::stderr(), "skipped: {message}");
}

/// The `kubectl` binary (it bundles kustomize), if it runs.
pub fn kubectl() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("KUBECTL").unwrap_or_else(|| "kubectl".into()));
    let runs = Command::new(&path)
        .args(["version", "--client"])
        .output()
        .is_ok_and(|out| out.status.success());
    if runs {
        Some(path)
    } else {
        missing(
            "kubectl",
            "install it (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL",
        );
        None
    }
}

/// checkov from the project's virtualenv (made by `make .venv/.installed`).
pub fn checkov() -> Option<PathBuf> {
    let path = repo_root().join(".venv/bin/checkov");
    if path.is_file() {
        Some(path)
    } else {
        missing(
            "checkov (.venv/bin/checkov)",
            "run `make test-k8s`, which installs it into .venv first",
        );
        None
    }
}
