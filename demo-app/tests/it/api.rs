//! Every route of the API and every client error, over real HTTP.
//! Runs against the app in-process, or against a deployed app when
//! E2E_BASE_URL is set (see support.rs).

use std::time::Duration;

use serde_json::json;

use crate::support::{
    Env, client, get, get_with_session, login, login_credentials, post_json, send, unique,
};

macro_rules! env_or_skip {
    () => {
        match Env::http(this_test!()).await {
            Some(env) => env,
            None => return,
        }
    };
}

#[tokio::test]
async fn root_greets_and_names_the_server() {
    let env = env_or_skip!();
    let answer = get(&env.url("/")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.headers["content-type"], "application/json",
        "every answer is JSON"
    );
    let body = answer.json();
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("Hello from ") && message.ends_with('!'),
        "{message}"
    );
    assert!(!body["server"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn app_name_comes_from_the_environment() {
    let Some(env) = Env::http_with(this_test!(), &[("APP_NAME", "kit-demo")]).await else {
        return;
    };
    if env.is_remote() {
        return; // the deployed APP_NAME is whatever the ConfigMap says
    }
    assert_eq!(
        get(&env.url("/")).await.json()["message"],
        "Hello from kit-demo!"
    );
}

#[tokio::test]
async fn health_and_ready_answer_200_without_touching_redis() {
    let env = env_or_skip!();
    let health = get(&env.url("/health")).await;
    assert_eq!(
        (health.status, health.json()),
        (200, json!({"status": "healthy"}))
    );
    let ready = get(&env.url("/ready")).await;
    assert_eq!(
        (ready.status, ready.json()),
        (200, json!({"status": "ready"}))
    );
}

#[tokio::test]
async fn liveness_can_be_switched_off_and_on() {
    let env = env_or_skip!();
    if env.is_remote() {
        testkit::skip(
            this_test!(),
            "toggles would hit different replicas behind a Service",
        );
        return;
    }
    let off = send(client().post(env.url("/health/disable"))).await;
    assert_eq!(
        (off.status, off.json()),
        (200, json!({"status": "unhealthy"}))
    );
    let health = get(&env.url("/health")).await;
    assert_eq!(
        (health.status, health.json()),
        (503, json!({"status": "unhealthy"}))
    );
    // The process is alive and everything else still works.
    assert_eq!(get(&env.url("/")).await.status, 200);
    assert_eq!(get(&env.url("/ready")).await.status, 200);

    let on = send(client().post(env.url("/health/enable"))).await;
    assert_eq!((on.status, on.json()), (200, json!({"status": "healthy"})));
    assert_eq!(get(&env.url("/health")).await.status, 200);
}

#[tokio::test]
async fn readiness_can_be_switched_off_and_on() {
    let env = env_or_skip!();
    if env.is_remote() {
        testkit::skip(
            this_test!(),
            "toggles would hit different replicas behind a Service",
        );
        return;
    }
    let off = send(client().post(env.url("/ready/disable"))).await;
    assert_eq!(
        (off.status, off.json()),
        (200, json!({"status": "not ready"}))
    );
    let ready = get(&env.url("/ready")).await;
    assert_eq!(
        (ready.status, ready.json()),
        (503, json!({"status": "not ready"}))
    );
    assert_eq!(
        get(&env.url("/health")).await.status,
        200,
        "liveness is separate"
    );

    let on = send(client().post(env.url("/ready/enable"))).await;
    assert_eq!((on.status, on.json()), (200, json!({"status": "ready"})));
    assert_eq!(get(&env.url("/ready")).await.status, 200);
}

#[tokio::test]
async fn info_shows_downward_api_values_or_fallbacks() {
    let env = env_or_skip!();
    let body = get(&env.url("/info")).await.json();
    for field in [
        "pod_name",
        "pod_ip",
        "node_name",
        "namespace",
        "cpu_request",
        "cpu_limit",
        "memory_request",
        "memory_limit",
    ] {
        assert!(body[field].is_string(), "{field} missing in {body}");
    }
    if !env.is_remote() {
        assert_eq!(body["pod_ip"], "unknown");
        assert_eq!(body["cpu_limit"], "unset");
    }
}

#[tokio::test]
async fn info_reports_the_downward_api_variables() {
    let vars = [
        ("POD_NAME", "demo-app-abc"),
        ("POD_IP", "10.244.0.7"),
        ("NODE_NAME", "kind-worker"),
        ("POD_NAMESPACE", "k8s-demo"),
        ("CPU_REQUEST", "1"),
        ("CPU_LIMIT", "2"),
        ("MEMORY_REQUEST", "67108864"),
        ("MEMORY_LIMIT", "134217728"),
    ];
    let Some(env) = Env::http_with(this_test!(), &vars).await else {
        return;
    };
    if env.is_remote() {
        return;
    }
    assert_eq!(
        get(&env.url("/info")).await.json(),
        json!({
            "pod_name": "demo-app-abc", "pod_ip": "10.244.0.7", "node_name": "kind-worker",
            "namespace": "k8s-demo", "cpu_request": "1", "cpu_limit": "2",
            "memory_request": "67108864", "memory_limit": "134217728"
        })
    );
}

#[tokio::test]
async fn config_shows_settings_but_never_a_password() {
    let env = env_or_skip!();
    let answer = get(&env.url("/config")).await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    for field in [
        "app_name",
        "log_level",
        "max_stress_seconds",
        "redis_host",
        "session_ttl",
        "chaos_enabled",
    ] {
        assert!(!body[field].is_null(), "{field} missing in {body}");
    }
    let text = answer.text.to_lowercase();
    assert!(
        !text.contains(crate::support::REDIS_PASSWORD)
            && !text.contains("s3cret")
            && !text.contains("pa55")
    );
    assert!(body.get("redis_password").is_none() && body.get("demo_users").is_none());
    if !env.is_remote() {
        assert_eq!(body["redis_password_set"], true);
        assert_eq!(body["demo_user_count"], 2);
    }
}

#[tokio::test]
async fn version_names_the_crate_version_and_git_revision() {
    let env = env_or_skip!();
    let body = get(&env.url("/version")).await.json();
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    let revision = body["git_revision"].as_str().unwrap();
    assert!(body["server"].is_string());
    if env.is_remote() {
        // The image is built with GIT_REVISION (see k8s.mk `image`).
        assert!(
            revision.len() >= 7 && revision.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
            "no git revision in the deployed image: {revision:?}"
        );
        return;
    }
    // Built from a git checkout: the revision must name one of its commits,
    // not the "unknown" fallback of a build without git. (Not necessarily
    // HEAD: a build directory shared between worktrees of one repository
    // may hold a build from another worktree's HEAD.)
    let Some(_head) = testkit::need(
        this_test!(),
        "git",
        git(&["rev-parse", "--short", "HEAD"]),
        "install git and run the tests from a git checkout",
    ) else {
        return;
    };
    assert!(
        git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}")
        ])
        .is_some(),
        "GIT_REVISION {revision:?} is not a commit of this repository"
    );
}

/// What `git ARGS` prints in the repository, if it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(testkit::repo_root())
        .output()
        .ok()?;
    let head = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !head.is_empty()).then_some(head)
}

#[tokio::test]
async fn visits_count_up_and_name_redis() {
    let env = env_or_skip!();
    let first = get(&env.url("/visits")).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = get(&env.url("/visits")).await.json();
    let (a, b) = (
        first.json()["visits"].as_i64().unwrap(),
        second["visits"].as_i64().unwrap(),
    );
    assert!(b > a, "{a} then {b}");
    assert!(second["redis_host"].is_string() && second["server"].is_string());
    if !env.is_remote() {
        assert_eq!((a, b), (1, 2), "a fresh Redis starts at 0");
        assert_eq!(second["redis_host"], "127.0.0.1");
    }
}

#[tokio::test]
async fn kv_stores_reads_and_deletes() {
    let env = env_or_skip!();
    let key = unique("kv");
    let url = env.url(&format!("/kv/{key}"));

    let missing = get(&url).await;
    assert_eq!(missing.status, 404);
    assert!(missing.detail().contains(&key));

    let stored = post_json(&url, &json!({"value": "blue"})).await;
    assert_eq!(
        (stored.status, stored.json()),
        (200, json!({"key": key, "value": "blue"}))
    );
    let read = get(&url).await;
    assert_eq!(
        (read.status, read.json()),
        (200, json!({"key": key, "value": "blue"}))
    );

    let overwritten = post_json(&url, &json!({"value": "green ✓"})).await;
    assert_eq!(overwritten.status, 200);
    assert_eq!(get(&url).await.json()["value"], "green ✓");

    let deleted = send(client().delete(&url)).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(get(&url).await.status, 404);
    let again = send(client().delete(&url)).await;
    assert_eq!(again.status, 404);
    assert!(again.detail().contains("not found"));
}

#[tokio::test]
async fn kv_rejects_malformed_input_with_json_details() {
    let env = env_or_skip!();
    let url = env.url(&format!("/kv/{}", unique("bad")));
    let post = |body: &'static str, content_type: &'static str| {
        send(
            client()
                .post(&url)
                .header("content-type", content_type)
                .body(body),
        )
    };

    let bad_json = post("{\"value\": ", "application/json").await;
    assert_eq!(bad_json.status, 400, "{}", bad_json.text);
    assert!(bad_json.detail().contains("JSON"));

    let missing_field = post("{\"val\": \"x\"}", "application/json").await;
    assert_eq!(missing_field.status, 422);
    assert!(missing_field.detail().contains("value"));

    let not_a_string = post("{\"value\": 42}", "application/json").await;
    assert_eq!(not_a_string.status, 422);

    let not_json = post("value=x", "application/x-www-form-urlencoded").await;
    assert_eq!(not_json.status, 415);
    assert!(not_json.detail().contains("application/json"));

    let long_key = env.url(&format!("/kv/{}", "k".repeat(257)));
    let too_long = get(&long_key).await;
    assert_eq!(too_long.status, 422);
    assert!(too_long.detail().contains("256"));
    assert_eq!(
        get(&env.url(&format!("/kv/{}", "k".repeat(256))))
            .await
            .status,
        404
    );

    for method in [
        reqwest::Method::GET,
        reqwest::Method::POST,
        reqwest::Method::DELETE,
    ] {
        let empty = send(client().request(method, env.url("/kv/"))).await;
        assert_eq!(empty.status, 422);
        assert!(empty.detail().contains("empty"));
    }

    let control = get(&env.url("/kv/a%0Ab")).await;
    assert_eq!(control.status, 422, "{}", control.text);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let env = env_or_skip!();
    let url = env.url(&format!("/kv/{}", unique("big")));
    // The default MAX_BODY_BYTES is 65536.
    let body = json!({"value": "x".repeat(70_000)});
    let answer = post_json(&url, &body).await;
    assert_eq!(answer.status, 413, "{}", answer.text);
    assert!(answer.detail().contains("65536"));
    assert_eq!(get(&url).await.status, 404, "nothing was stored");
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_get_json_errors() {
    let env = env_or_skip!();
    let missing = get(&env.url("/no/such/path")).await;
    assert_eq!(missing.status, 404);
    assert!(missing.detail().contains("/no/such/path"));

    let wrong = send(client().delete(env.url("/health"))).await;
    assert_eq!(wrong.status, 405);
    assert!(wrong.detail().contains("DELETE"));
    assert!(
        wrong.headers.contains_key("allow"),
        "405 keeps the Allow header"
    );

    let get_login = get(&env.url("/login")).await;
    assert_eq!(get_login.status, 405);
}

#[tokio::test]
async fn stress_burns_for_the_capped_time_and_validates_seconds() {
    let Some(env) = Env::http_with(this_test!(), &[("MAX_STRESS_SECONDS", "1")]).await else {
        return;
    };
    let zero = get(&env.url("/stress?seconds=0")).await;
    assert_eq!(zero.status, 200, "{}", zero.text);
    assert_eq!(zero.json()["stressed_seconds"], 0);
    assert!(zero.json()["server"].is_string());

    for bad in ["-1", "abc", "1.5", "99999999999999999999999"] {
        let answer = get(&env.url(&format!("/stress?seconds={bad}"))).await;
        assert_eq!(answer.status, 422, "seconds={bad}: {}", answer.text);
        assert!(answer.detail().contains("seconds"));
    }
    if env.is_remote() {
        return;
    }
    let capped = get(&env.url("/stress?seconds=5")).await;
    assert_eq!(
        capped.json()["stressed_seconds"],
        1,
        "capped at MAX_STRESS_SECONDS"
    );
    assert!(
        capped.elapsed >= Duration::from_millis(950) && capped.elapsed < Duration::from_secs(4)
    );
}

#[tokio::test]
async fn chaos_endpoints_answer_403_when_disabled() {
    let Some(env) = Env::http_with(this_test!(), &[("CHAOS_ENABLED", "false")]).await else {
        return;
    };
    if env.is_remote() {
        return; // the cluster's ConfigMap enables chaos
    }
    let stress = get(&env.url("/stress?seconds=1")).await;
    assert_eq!(stress.status, 403);
    assert!(stress.detail().contains("CHAOS_ENABLED"));
    let crash = send(client().post(env.url("/crash"))).await;
    assert_eq!(crash.status, 403);
    assert_eq!(get(&env.url("/health")).await.status, 200, "still running");
}

#[tokio::test]
async fn login_me_logout_round_trip() {
    let env = env_or_skip!();
    let Some((user, password)) = login_credentials(&env) else {
        testkit::skip(
            this_test!(),
            "set E2E_LOGIN=name:password to test logins against E2E_BASE_URL",
        );
        return;
    };
    let answer = post_json(
        &env.url("/login"),
        &json!({"username": user, "password": password}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json(),
        json!({"message": "logged in", "username": user})
    );
    let cookie = answer
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let session = answer.session_cookie().unwrap();
    assert!(session.len() >= 32, "at least 128 bits as hex");

    let me = get_with_session(&env.url("/me"), &session).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["username"], user.as_str());
    assert!(me.json()["server"].is_string());

    let logout = send(
        client()
            .post(env.url("/logout"))
            .header("cookie", format!("session_id={session}")),
    )
    .await;
    assert_eq!(logout.status, 200);
    let cleared = logout.headers["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("session_id=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );

    let after = get_with_session(&env.url("/me"), &session).await;
    assert_eq!(after.status, 401);

    // Logging out without a session is fine too.
    assert_eq!(send(client().post(env.url("/logout"))).await.status, 200);
}

#[tokio::test]
async fn a_new_login_replaces_the_old_session() {
    let env = env_or_skip!();
    let Some((user, password)) = login_credentials(&env) else {
        return;
    };
    let first = login(&env.base, &user, &password).await;
    let answer = send(
        client()
            .post(env.url("/login"))
            .header("cookie", format!("session_id={first}"))
            .json(&json!({"username": user, "password": password})),
    )
    .await;
    let second = answer.session_cookie().unwrap();
    assert_ne!(first, second);
    assert_eq!(get_with_session(&env.url("/me"), &first).await.status, 401);
    assert_eq!(get_with_session(&env.url("/me"), &second).await.status, 200);
}

#[tokio::test]
async fn bad_logins_and_missing_sessions_get_401() {
    let env = env_or_skip!();
    for (user, password) in [("admin", "wrong"), ("nobody", "s3cret"), ("", "")] {
        let answer = post_json(
            &env.url("/login"),
            &json!({"username": user, "password": password}),
        )
        .await;
        assert_eq!(answer.status, 401, "{user}: {}", answer.text);
        assert_eq!(answer.detail(), "invalid username or password");
        assert!(answer.session_cookie().is_none());
    }
    let missing = post_json(&env.url("/login"), &json!({"username": "admin"})).await;
    assert_eq!(missing.status, 422);

    let no_cookie = get(&env.url("/me")).await;
    assert_eq!(no_cookie.status, 401);
    assert_eq!(no_cookie.detail(), "not logged in");
    let forged = get_with_session(&env.url("/me"), &"0".repeat(64)).await;
    assert_eq!(forged.status, 401);
    let junk = get_with_session(&env.url("/me"), "not-a-session").await;
    assert_eq!(junk.status, 401);
}

/// Timing attacks: an unknown user must cost one argon2 computation, like
/// a wrong password, or response times tell which user names exist.
/// Counted as events rather than timed, so a busy machine cannot make it
/// flake.
#[tokio::test]
async fn unknown_users_cost_as_much_as_wrong_passwords() {
    let env = env_or_skip!();
    let Some(app) = &env.app else {
        testkit::skip(this_test!(), "counts hash computations inside the app");
        return;
    };
    let users = app.state.users();
    let attempt = |user: &'static str| {
        let url = env.url("/login");
        async move {
            let answer = post_json(&url, &json!({"username": user, "password": "wrong"})).await;
            assert_eq!(answer.status, 401, "{}", answer.text);
        }
    };
    for user in ["admin", "mallory", "admin", "mallory"] {
        let before = users.password_checks();
        attempt(user).await;
        assert_eq!(
            users.password_checks() - before,
            1,
            "{user}: one argon2 computation per login attempt"
        );
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_readiness() {
    let env = env_or_skip!();
    get(&env.url(&format!("/kv/{}", unique("metrics")))).await;
    get(&env.url("/no-such-page")).await;
    let answer = get(&env.url("/metrics")).await;
    assert_eq!(answer.status, 200);
    assert!(
        answer.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = answer.text;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/kv/{key}",status="404"}"#),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    // Unmatched paths are timed like routes: a real latency, never zero.
    let unmatched_seconds: f64 = text
        .lines()
        .find_map(|l| {
            l.strip_prefix(r#"http_request_duration_seconds_sum{method="GET",route="unmatched"} "#)
        })
        .unwrap_or_else(|| panic!("no latency for unmatched paths in {text}"))
        .parse()
        .unwrap();
    assert!(unmatched_seconds > 0.0, "404s recorded with zero latency");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("demo_app_ready 1"), "{text}");
    assert!(text.contains("demo_app_healthy 1"), "{text}");
    assert!(
        !text.contains("test-metrics-"),
        "raw paths must not become labels"
    );

    if !env.is_remote() {
        send(client().post(env.url("/ready/disable"))).await;
        assert!(
            get(&env.url("/metrics"))
                .await
                .text
                .contains("demo_app_ready 0")
        );
    }
}

/// The document lists exactly the operations the router serves: each
/// route is declared once (`app::api_routes`), and here every documented
/// operation is called to see that it is routed (no 404 "no route", no 405).
#[tokio::test]
async fn openapi_documents_every_route_it_serves() {
    let env = env_or_skip!();
    let answer = get(&env.url("/openapi.json")).await;
    assert_eq!(answer.status, 200);
    let document = answer.json();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = document["paths"].as_object().unwrap();
    let operations: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    assert!(operations.len() >= 20, "{operations:?}");
    if env.is_remote() {
        return; // the switches below would flip probes of a deployed replica
    }
    for (path, method) in &operations {
        if (path.as_str(), method.as_str()) == ("/crash", "post") {
            continue; // would end the app; routed, as lifecycle tests show
        }
        let path_and_query = match path.as_str() {
            "/stress" => "/stress?seconds=0".to_owned(),
            other => other.replace("{key}", &unique("routed")),
        };
        let url = env.url(&path_and_query);
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let answer = send(client().request(method.clone(), &url)).await;
        let unrouted =
            answer.status == 405 || (answer.status == 404 && answer.text.contains("no route"));
        assert!(
            !unrouted,
            "{method} {path} is documented but not served: {answer:?}"
        );
    }
    assert_eq!(
        document,
        demo_app::openapi::document(),
        "served = generated"
    );
}

#[tokio::test]
async fn docs_page_is_served_from_the_binary_without_external_urls() {
    let env = env_or_skip!();
    let redirect = get(&env.url("/docs")).await;
    assert!(
        matches!(redirect.status, 301 | 303 | 308),
        "{}",
        redirect.status
    );
    let page = get(&env.url("/docs/")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"));
    // Every asset the page loads is local and present.
    let assets: Vec<&str> = page
        .text
        .split(['"', '\''])
        .filter(|s| s.ends_with(".js") || s.ends_with(".css") || s.ends_with(".png"))
        .collect();
    assert!(assets.len() >= 4, "{assets:?}");
    for asset in assets {
        assert!(!asset.contains("//"), "external asset {asset}");
        let name = asset.trim_start_matches("./");
        let answer = get(&env.url(&format!("/docs/{name}"))).await;
        assert_eq!(answer.status, 200, "{asset}");
    }
    let init = get(&env.url("/docs/swagger-initializer.js")).await.text;
    assert!(init.contains("/openapi.json"), "{init}");
    assert!(
        init.contains(r#""validatorUrl": "none""#),
        "no call to validator.swagger.io: {init}"
    );
}
