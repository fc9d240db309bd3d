//! Redis down, restarted, or hung: the app keeps serving what does not need
//! Redis at full speed, answers 503 on Redis routes within REDIS_TIMEOUT_MS,
//! and recovers by itself. Needs local processes (skips with E2E_BASE_URL).

use std::time::{Duration, Instant};

use testkit::Redis;

use crate::support::{TestApp, eventually_status, get, start_redis};

/// The timeout the tests configure; the bound they check adds a margin for
/// a loaded CI machine.
const TIMEOUT_MS: u64 = 500;
const BOUND: Duration = Duration::from_millis(TIMEOUT_MS + 700);
/// "Does not wait for Redis": a probe that waited would take the whole
/// REDIS_TIMEOUT_MS every time, so the median must stay well under half
/// of it. (A bound in milliseconds would depend on how busy the machine
/// is; this one depends only on the timeout the test sets.)
const FAST: Duration = Duration::from_millis(TIMEOUT_MS / 2);

async fn start_app(redis: &Redis) -> TestApp {
    TestApp::spawn(
        redis.port(),
        &[("REDIS_TIMEOUT_MS", &TIMEOUT_MS.to_string())],
    )
    .await
}

async fn assert_fast_probes(app: &TestApp) {
    for path in ["/health", "/ready", "/"] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let answer = get(&format!("{}{path}", app.base)).await;
            assert_eq!(answer.status, 200, "{path}");
            times.push(answer.elapsed);
        }
        times.sort();
        assert!(
            times[2] < FAST,
            "{path}: median {:?} of {times:?}",
            times[2]
        );
    }
}

#[tokio::test]
async fn redis_stopped_then_restarted_gives_503_then_recovers() {
    local_only!();
    let mut redis = start_redis();
    let app = start_app(&redis).await;
    let visits = format!("{}/visits", app.base);
    assert_eq!(get(&visits).await.status, 200);

    redis.stop();
    for path in ["/visits", "/kv/some-key"] {
        let answer = get(&format!("{}{path}", app.base)).await;
        assert_eq!(answer.status, 503, "{path}: {}", answer.text);
        assert!(
            answer.detail().starts_with("redis is unavailable"),
            "{}",
            answer.text
        );
        assert_eq!(answer.headers["retry-after"], "1");
        assert!(answer.elapsed < BOUND, "{path} took {:?}", answer.elapsed);
    }
    assert_fast_probes(&app).await;

    // start_again returns once Redis answers PING: the very next call must
    // succeed (no stale failed reconnection handed out after the outage).
    redis.start_again();
    let recovered = get(&visits).await;
    assert_eq!(
        recovered.status, 200,
        "the first call after Redis returned failed: {}",
        recovered.text
    );
    assert_eq!(
        recovered.json()["visits"],
        1,
        "the restarted Redis is empty"
    );

    let metrics = get(&format!("{}/metrics", app.base)).await.text;
    assert!(metrics.contains("redis_errors_total{"), "{metrics}");
}

#[tokio::test]
async fn redis_down_at_start_does_not_stop_the_app() {
    local_only!();
    let mut redis = start_redis();
    redis.stop();
    let app = start_app(&redis).await;
    assert_fast_probes(&app).await;
    let answer = get(&format!("{}/visits", app.base)).await;
    assert_eq!(answer.status, 503);
    assert!(answer.elapsed < BOUND);

    redis.start_again();
    let recovered = get(&format!("{}/visits", app.base)).await;
    assert_eq!(
        recovered.status, 200,
        "the first call after Redis came up failed: {}",
        recovered.text
    );
}

#[tokio::test]
async fn hung_redis_gives_503_within_the_bound_while_health_stays_fast() {
    local_only!();
    let redis = start_redis();
    let app = start_app(&redis).await;
    assert_eq!(get(&format!("{}/visits", app.base)).await.status, 200);

    redis.pause();
    // Requests in flight while Redis is hung: all fail within the bound…
    let in_flight: Vec<_> = (0..10)
        .map(|i| {
            let url = if i % 2 == 0 {
                format!("{}/visits", app.base)
            } else {
                format!("{}/kv/k{i}", app.base)
            };
            tokio::spawn(async move { get(&url).await })
        })
        .collect();
    // …and meanwhile the probes answer at once.
    assert_fast_probes(&app).await;
    for task in in_flight {
        let answer = task.await.unwrap();
        assert_eq!(answer.status, 503, "{}", answer.text);
        assert!(answer.elapsed < BOUND, "took {:?}", answer.elapsed);
    }
    // Still hung: later requests are not stuck behind the earlier ones.
    let later = get(&format!("{}/visits", app.base)).await;
    assert_eq!(later.status, 503);
    assert!(later.elapsed < BOUND, "took {:?}", later.elapsed);

    redis.resume();
    let recovered =
        eventually_status(&format!("{}/visits", app.base), 200, Duration::from_secs(5)).await;
    assert_eq!(recovered.status, 200, "{}", recovered.text);
    let started = Instant::now();
    for _ in 0..5 {
        assert_eq!(get(&format!("{}/visits", app.base)).await.status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "slow after recovery"
    );
}

#[tokio::test]
async fn login_and_sessions_need_redis_and_say_so() {
    local_only!();
    let mut redis = start_redis();
    let app = start_app(&redis).await;
    let session = crate::support::login(&app.base, "admin", "s3cret").await;
    redis.stop();
    let me = crate::support::get_with_session(&format!("{}/me", app.base), &session).await;
    assert_eq!(me.status, 503, "{}", me.text);
    let login = crate::support::post_json(
        &format!("{}/login", app.base),
        &serde_json::json!({"username": "admin", "password": "s3cret"}),
    )
    .await;
    assert_eq!(login.status, 503, "{}", login.text);
    // Bad credentials are still refused before Redis is needed.
    let bad = crate::support::post_json(
        &format!("{}/login", app.base),
        &serde_json::json!({"username": "admin", "password": "nope"}),
    )
    .await;
    assert_eq!(bad.status, 401);
}
