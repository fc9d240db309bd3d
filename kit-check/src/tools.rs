//! The external tools the checks run (kubectl, checkov). When one is
//! missing, testkit's one skip policy applies: a visible `SKIPPED:` line,
//! or a failure under `CI=true`.

use std::path::PathBuf;
use std::process::Command;

/// The running test's name: libtest names each test's thread after it, so
/// the skip line says which test skipped without every caller passing it.
pub fn current_test() -> String {
    std::thread::current()
        .name()
        .unwrap_or("kit-check")
        .to_owned()
}

/// `what` is missing for the running test: testkit's policy (see
/// [`testkit::missing`]); the caller returns.
pub fn missing(what: &str, how_to_get_it: &str) {
    testkit::missing(&current_test(), what, how_to_get_it);
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
    let path = testkit::repo_root().join(".venv/bin/checkov");
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
