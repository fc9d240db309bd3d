//! Several replicas and many clients at once: the state lives in Redis, so
//! replicas agree, and atomic INCR loses no visit.

use std::collections::BTreeSet;

use crate::support::{Env, TestApp, get, get_with_session, login, start_redis};

#[tokio::test]
async fn two_instances_share_visits_and_sessions() {
    local_only!();
    let redis = start_redis();
    let a = TestApp::spawn(redis.port(), &[]).await;
    let b = TestApp::spawn(redis.port(), &[]).await;
    assert_ne!(a.port, b.port, "each app gets its own port from PORT=0");

    let mut seen = Vec::new();
    for app in [&a, &b, &a, &b] {
        let answer = get(&format!("{}/visits", app.base)).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        seen.push(answer.json()["visits"].as_i64().unwrap());
    }
    assert_eq!(seen, [1, 2, 3, 4], "one counter for both replicas");

    let session = login(&a.base, "alice", "pa55").await;
    let me = get_with_session(&format!("{}/me", b.base), &session).await;
    assert_eq!(
        me.status, 200,
        "a session made on A is valid on B: {}",
        me.text
    );
    assert_eq!(me.json()["username"], "alice");

    let logout = crate::support::send(
        crate::support::client()
            .post(format!("{}/logout", b.base))
            .header("cookie", format!("session_id={session}")),
    )
    .await;
    assert_eq!(logout.status, 200);
    let after = get_with_session(&format!("{}/me", a.base), &session).await;
    assert_eq!(after.status, 401, "logging out on B ends the session on A");

    let key_url = |app: &TestApp| format!("{}/kv/shared", app.base);
    crate::support::post_json(&key_url(&a), &serde_json::json!({"value": "from A"})).await;
    assert_eq!(get(&key_url(&b)).await.json()["value"], "from A");

    // One process, two apps, two metrics registries: each counts its own.
    let visits = r#"http_requests_total{method="GET",route="/visits",status="200"}"#;
    for app in [&a, &b] {
        let metrics = get(&format!("{}/metrics", app.base)).await.text;
        assert!(metrics.contains(&format!("{visits} 2")), "{metrics}");
    }
}

#[tokio::test]
async fn concurrent_visits_lose_no_increment() {
    let Some(env) = Env::http(this_test!()).await else {
        return;
    };
    const REQUESTS: usize = 400;
    const CONCURRENCY: usize = 50;
    let before = get(&env.url("/visits")).await.json()["visits"]
        .as_i64()
        .unwrap();
    let client = crate::support::client();
    let url = env.url("/visits");
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let tasks: Vec<_> = (0..REQUESTS)
        .map(|_| {
            let (client, url, semaphore) = (client.clone(), url.clone(), semaphore.clone());
            tokio::spawn(async move {
                let _permit = semaphore.acquire().await.unwrap();
                let answer = crate::support::send(client.get(&url)).await;
                assert_eq!(answer.status, 200, "{}", answer.text);
                answer.json()["visits"].as_i64().unwrap()
            })
        })
        .collect();
    let mut values = BTreeSet::new();
    for task in tasks {
        values.insert(task.await.unwrap());
    }
    let after = get(&env.url("/visits")).await.json()["visits"]
        .as_i64()
        .unwrap();
    assert_eq!(values.len(), REQUESTS, "every visit got its own number");
    if env.is_remote() {
        // Others may be visiting too: only no-loss can be checked.
        assert!(after - before > REQUESTS as i64);
    } else {
        assert_eq!(after - before, REQUESTS as i64 + 1);
        assert_eq!(values.first(), Some(&(before + 1)));
        assert_eq!(values.last(), Some(&(before + REQUESTS as i64)));
    }
}
