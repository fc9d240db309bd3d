//! The process as Kubernetes sees it: start-up, bad settings, crashes,
//! SIGTERM with a drain, logs, and probes that stay fast under CPU stress.
//! These run the real binary (signals and exit codes are what they test);
//! they need local processes (skip with E2E_BASE_URL).

use std::process::Command;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use crate::support::{
    ProcessApp, TestApp, binary, client, eventually_status, get, send, start_redis,
};

#[tokio::test]
async fn sigterm_drains_then_finishes_in_flight_requests_and_exits_0() {
    local_only!();
    let redis = start_redis();
    let drain = Duration::from_secs(1);
    let mut app = ProcessApp::start(
        redis.port(),
        &[("SHUTDOWN_DRAIN_SECONDS", "1"), ("LOG_LEVEL", "info")],
    );
    let base = app.base.clone();
    // A slow request: 3 s of /stress, longer than the drain.
    let slow = tokio::spawn({
        let url = format!("{base}/stress?seconds=3");
        async move { get(&url).await }
    });
    app.wait_for_log("stress: burning", Duration::from_secs(5))
        .await;
    let sent = Instant::now();
    app.signal(Signal::SIGTERM);

    // During the drain: not ready, but everything else still served.
    let ready = eventually_status(&format!("{base}/ready"), 503, Duration::from_secs(2)).await;
    assert_eq!(ready.status, 503, "{}", ready.text);
    assert_eq!(ready.json()["status"], "not ready");
    assert_eq!(get(&format!("{base}/health")).await.status, 200);
    assert_eq!(get(&format!("{base}/visits")).await.status, 200);
    let enable = send(client().post(format!("{base}/ready/enable"))).await;
    assert_eq!(
        enable.json()["status"],
        "not ready",
        "shutdown wins over the switch"
    );
    assert!(
        sent.elapsed() < drain,
        "the checks above ran within the drain"
    );

    // After the drain: the listener is closed, not before.
    let closed = loop {
        let refused = client().get(format!("{base}/health")).send().await.is_err();
        if refused || sent.elapsed() > Duration::from_secs(5) {
            break refused.then(|| sent.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let closed = closed.expect("still accepting 5 s after SIGTERM");
    assert!(
        closed >= drain,
        "listener closed after {closed:?}, before the drain was over"
    );

    // The in-flight request completes, then the process exits 0.
    let answer = slow.await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["stressed_seconds"], 3);
    let status = app.wait_exit(Duration::from_secs(5)).await.expect("exited");
    assert_eq!(status.code(), Some(0), "log:\n{}", app.logs());
    let logs = app.logs();
    assert!(logs.contains("SIGTERM") && logs.contains("drain"), "{logs}");
}

#[tokio::test]
async fn sigint_without_drain_exits_0_at_once() {
    local_only!();
    let redis = start_redis();
    let mut app = ProcessApp::start(redis.port(), &[]);
    app.signal(Signal::SIGINT);
    let status = app.wait_exit(Duration::from_secs(3)).await.expect("exited");
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn crash_exits_non_zero_after_answering() {
    local_only!();
    let redis = start_redis();
    let mut app = ProcessApp::start(redis.port(), &[]);
    let answer = send(client().post(format!("{}/crash", app.base))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let status = app.wait_exit(Duration::from_secs(3)).await.expect("exited");
    assert_eq!(status.code(), Some(1));
}

/// Median /health latency over `n` requests.
async fn health_median(base: &str, n: usize) -> Duration {
    let mut latencies = Vec::new();
    for _ in 0..n {
        let answer = get(&format!("{base}/health")).await;
        assert_eq!(answer.status, 200);
        latencies.push(answer.elapsed);
    }
    latencies.sort();
    latencies[n / 2]
}

#[tokio::test]
async fn health_stays_fast_while_stress_burns_cpu() {
    local_only!();
    let redis = start_redis();
    let app = ProcessApp::start(redis.port(), &[]);
    // The baseline is taken on the same machine under the same other load
    // (parallel tests), so only /stress differs between the two medians.
    let baseline = health_median(&app.base, 9).await;
    let stress = tokio::spawn({
        let url = format!("{}/stress?seconds=2", app.base);
        async move { get(&url).await }
    });
    app.wait_for_log("stress: burning", Duration::from_secs(5))
        .await;
    let mut latencies = Vec::new();
    while !stress.is_finished() && latencies.len() < 30 {
        let answer = get(&format!("{}/health", app.base)).await;
        assert_eq!(answer.status, 200);
        latencies.push(answer.elapsed);
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(
        latencies.len() >= 10,
        "only {} /health answers while /stress ran (stalled?): {latencies:?}",
        latencies.len()
    );
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let worst = *latencies.last().unwrap();
    // A /health stuck behind the burn would wait for the rest of the 2 s;
    // one busy core more may slow the typical answer, but only by a
    // small factor over the baseline.
    assert!(
        median <= baseline * 10 + Duration::from_millis(20),
        "median {median:?} under stress vs {baseline:?} before"
    );
    assert!(worst < Duration::from_secs(1), "worst {worst:?}");
    assert_eq!(stress.await.unwrap().status, 200);
}

/// Start-up must not wait for the password hashing: the app answers
/// /ready while the hashes are still being computed (many users make that
/// take a while), and logins work once they are done.
#[tokio::test]
async fn ready_before_the_passwords_are_hashed() {
    local_only!();
    let redis = start_redis();
    let users = (0..8)
        .map(|i| format!("user{i}:pw{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let app = TestApp::spawn(redis.port(), &[("DEMO_USERS", &users)]).await;
    assert!(
        !app.state.users().is_hashed(),
        "the passwords were hashed on the start path"
    );
    assert_eq!(get(&app.url("/ready")).await.status, 200);
    let session = crate::support::login(&app.base, "user7", "pw7").await;
    assert!(!session.is_empty());
    assert!(app.state.users().is_hashed());
}

/// The clear-text demo passwords are gone from the state once hashed.
#[tokio::test]
async fn clear_text_passwords_are_not_kept() {
    local_only!();
    let redis = start_redis();
    let app = TestApp::spawn(redis.port(), &[]).await;
    let config = app.state.config();
    assert!(config.demo_users.is_empty(), "{config:?}");
    assert_eq!(app.state.users().count(), 2, "the users themselves remain");
}

fn run_with_env(vars: &[(&str, &str)]) -> std::process::Output {
    Command::new(binary())
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .expect("binary runs")
}

#[test]
fn a_bad_setting_stops_the_process_with_one_line() {
    if crate::support::is_remote() {
        return;
    }
    let cases = [
        ("PORT", "eighty", "PORT"),
        ("REDIS_TIMEOUT_MS", "0", "REDIS_TIMEOUT_MS"),
        ("CHAOS_ENABLED", "perhaps", "CHAOS_ENABLED"),
        ("LOG_FORMAT", "yaml", "LOG_FORMAT"),
        ("DEMO_USERS", "admin-without-password", "DEMO_USERS"),
    ];
    for (name, value, expected) in cases {
        let output = run_with_env(&[(name, value)]);
        assert_eq!(output.status.code(), Some(2), "{name}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line, got: {stderr}");
        assert!(
            lines[0].contains(expected) && lines[0].contains("expected"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        if name == "DEMO_USERS" {
            assert!(
                !stderr.contains("admin-without-password"),
                "secret echoed: {stderr}"
            );
        }
    }
}

#[test]
fn openapi_subcommand_prints_the_document() {
    let output = Command::new(binary()).arg("openapi").output().unwrap();
    assert!(output.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(printed, demo_app::openapi::document());
    assert!(printed["paths"]["/visits"]["get"].is_object());

    let unknown = Command::new(binary()).arg("serve-please").output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    local_only!();
    let redis = start_redis();
    let mut app = ProcessApp::start(
        redis.port(),
        &[("LOG_FORMAT", "json"), ("LOG_LEVEL", "debug")],
    );
    get(&format!("{}/visits", app.base)).await;
    app.signal(Signal::SIGTERM);
    app.wait_exit(Duration::from_secs(3)).await.expect("exited");
    let logs = app.logs();
    let lines: Vec<&str> = logs.lines().collect();
    assert!(lines.len() >= 3, "{logs}");
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            value["level"].is_string() && value["message"].is_string(),
            "{line}"
        );
    }
    assert!(
        logs.contains(r#""route":"/visits""#),
        "debug shows requests: {logs}"
    );
}
