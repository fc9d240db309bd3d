//! `/docs` in a real headless Chromium with every host but 127.0.0.1
//! unresolvable: Swagger UI must render the API from the binary alone.

use std::process::Command;

use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_renders_offline() {
    if crate::support::is_remote() {
        testkit::skip(
            this_test!(),
            "the offline check runs against a local app only",
        );
        return;
    }
    let Some(browser) = testkit::need(
        this_test!(),
        "chromium",
        testkit::chromium(),
        "install it (Debian: apt-get install chromium) or set CHROMIUM",
    ) else {
        return;
    };
    // No Redis needed: /docs and /openapi.json never touch it (port 1 is
    // never dialled).
    let app = TestApp::spawn(1, &[]).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let url = app.url("/docs/");
    let profile_arg = format!("--user-data-dir={}", profile.path().display());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
            .arg(profile_arg)
            .args(["--virtual-time-budget=10000", "--dump-dom"])
            .arg(url)
            .output()
            .expect("chromium runs")
    })
    .await
    .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        dom.contains(r#"class="title">demo-app"#),
        "API title not rendered:\n{dom:.2000}"
    );
    for path in ["/visits", "/kv/{key}", "/login", "/stress"] {
        assert!(
            dom.contains(&format!(r#"data-path="{path}""#)),
            "{path} missing from the rendered page"
        );
    }
}
