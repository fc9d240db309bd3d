//! demo-app's integration tests, one test binary (each binary links the
//! whole dependency tree, so one binary instead of nine saves most of the
//! link time). Real parts only: a real redis-server (testkit), the app on
//! a real socket, the real binary where processes are the subject.
//!
//! - HTTP behaviour: the app is started in-process on port 0
//!   ([`support::TestApp`]), or the tests talk to a deployed app when
//!   `E2E_BASE_URL` is set (`E2E_LOGIN=name:password` for the login tests);
//! - processes (signals, exit codes, logs, the drain): the real binary
//!   ([`support::ProcessApp`]);
//! - files (anchors, README, Dockerfile): read from the repository.
//!
//! A missing redis-server, Chromium or schemathesis skips the tests that
//! need it with a `SKIPPED:` line, or fails them with `CI=true`
//! (testkit's skip policy).

#[macro_use]
mod support;

mod anchors;
mod api;
mod api_fuzz;
mod dockerfile;
mod docs_browser;
mod lifecycle;
mod linger;
mod readme;
mod redis_outages;
mod scaling;
