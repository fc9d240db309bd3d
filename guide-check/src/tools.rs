//! Where things are (the repository, the demo-app binary, external tools)
//! and what happens when one is missing: the check is skipped with one
//! visible line, except under `CI=true`, where a missing tool is a failure
//! (the same policy as `kit_check::tools`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository root (this crate lives in `guide-check/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("guide-check/ is inside the repository")
        .to_path_buf()
}

/// True under CI (`CI=true`), where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says that a check cannot run because `what` is missing: one line on the
/// process's stderr (the test harness captures `eprintln!` of a passing
/// test), or a panic under CI.
pub fn missing(what: &str, how_to_get_it: &str) {
    let message = format!("{what} is missing: {how_to_get_it}");
    if in_ci() {
        panic!("CI=true and {message}");
    }
    let _ = writeln!(std::io::stderr(), "skipped: {message}");
}

/// An executable on the PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `name` from the PATH, or the skip/fail message with how to install it.
pub fn require(name: &str, how_to_get_it: &str) -> Option<PathBuf> {
    let found = on_path(name);
    if found.is_none() {
        missing(name, how_to_get_it);
    }
    found
}

/// The demo-app binary `make test-guide` builds (`cargo build -p demo-app`).
/// `DEMO_APP_BIN` overrides it.
pub fn demo_app_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DEMO_APP_BIN") {
        return Some(PathBuf::from(path));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let path = target.join("debug/demo-app");
    if path.is_file() {
        Some(path)
    } else {
        missing(
            &format!("the demo-app binary ({})", path.display()),
            "run `make test-guide`, or `cargo build -p demo-app` first",
        );
        None
    }
}
