//! Test scaffolding shared by the kit's crates (a dev-dependency only, never
//! published). It holds what every test suite otherwise copies:
//!
//! | item | job |
//! |---|---|
//! | [`repo_root`] | the repository root, whichever crate asks |
//! | [`skip`], [`missing`], [`need`], [`need_on_path`], [`in_ci`] | the one skip policy (below) |
//! | [`redis_server`], [`chromium`], [`find_on_path`] | finding the tools the tests run for real |
//! | [`Redis`] | a real `redis-server` on its own port, in its own directory |
//!
//! # Use
//! Add `testkit = { path = "../testkit" }` under `[dev-dependencies]`, then:
//!
//! ```no_run
//! #[test]
//! fn visits_are_counted() {
//!     let Some(_) = testkit::need(
//!         "visits_are_counted",
//!         "redis-server",
//!         testkit::redis_server(),
//!         "install it (Debian: apt-get install redis-server)",
//!     ) else {
//!         return; // SKIPPED line printed, or a panic under CI=true
//!     };
//!     let mut redis = testkit::Redis::start("password");
//!     // ... point the code under test at 127.0.0.1:{redis.port()} ...
//!     redis.stop(); // an outage
//!     redis.start_again(); // same port, empty
//! }
//! ```
//!
//! # The skip policy
//! Tests use real parts (redis-server, Chromium, kubectl). When one is
//! missing:
//! - with `CI=true` the test fails, with one sentence saying what is
//!   missing and how to get it ([`missing`] panics);
//! - otherwise the test returns early and says so with a line
//!   `SKIPPED: <test>: <reason>` written straight to the process's stdout.
//!
//! Why straight to stdout: libtest captures only what `print!`/`eprint!`
//! write, and shows it only for failing tests, so an `eprintln!` skip
//! would vanish and the test would read as a plain `ok`. A direct write
//! to `std::io::stdout()` passes the capture and appears in `cargo test`'s
//! output beside the test list. (nextest captures whole processes; there
//! the line shows with `--success-output immediate`.) The same text also
//! goes through `eprintln!`, so it is kept with the test's captured output.

mod redis;
mod tools;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use redis::{Redis, unused_port};
pub use tools::{chromium, find_on_path, redis_server};

/// The repository root (the directory holding the workspace `Cargo.toml`).
pub fn repo_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("testkit/ sits at the repository root")
            .to_path_buf()
    })
}

/// True under CI (`CI=true`), where no test may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says visibly that `test` is skipped, and why. For deliberate skips that
/// hold under CI too (e.g. a test that needs local processes while the
/// suite runs against a deployed app). The caller returns afterwards.
pub fn skip(test: &str, reason: &str) {
    let line = format!("SKIPPED: {test}: {reason}");
    // Past libtest's capture (see the crate docs), then into it as well.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "\n{line}");
    let _ = stdout.flush();
    eprintln!("{line}");
}

/// `what` is missing for `test`: panics with one sentence under CI,
/// otherwise prints the skip line (see [`skip`]); the caller returns.
pub fn missing(test: &str, what: &str, how_to_get_it: &str) {
    if in_ci() {
        panic!("{what} is missing and CI=true forbids skipping {test}: {how_to_get_it}");
    }
    skip(test, &format!("{what} is missing: {how_to_get_it}"));
}

/// `found`, or the skip policy applied when it is `None`:
/// `let Some(exe) = testkit::need(module_path!(), "chromium", testkit::chromium(), "apt-get install chromium") else { return };`
pub fn need<T>(test: &str, what: &str, found: Option<T>, how_to_get_it: &str) -> Option<T> {
    if found.is_none() {
        missing(test, what, how_to_get_it);
    }
    found
}

/// `name` from `PATH`, or the skip policy applied when it is not there:
/// `let Some(make) = testkit::need_on_path(module_path!(), "make", "apt-get install make") else { return };`
pub fn need_on_path(test: &str, name: &str, how_to_get_it: &str) -> Option<PathBuf> {
    need(test, name, find_on_path(name), how_to_get_it)
}
