//! `/docs` in a real headless Chromium with every host but 127.0.0.1
//! unresolvable: Swagger UI must render the API from the binary alone.
//! Skips when Chromium is missing, except with CI=true.

mod common;

use std::process::Command;

fn chromium() -> Option<&'static str> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

#[test]
fn swagger_ui_renders_offline() {
    if let common::Target::Remote(_) = common::target() {
        eprintln!("skipped: the offline check runs against a local process only");
        return;
    }
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "chromium is missing and CI=true: install it (Debian: apt-get install chromium)"
            );
        }
        eprintln!("skipped: chromium is missing (Debian: apt-get install chromium)");
        return;
    };
    // No Redis needed: /docs and /openapi.json never touch it.
    let app = common::App::start(common::free_port(), &[]);
    let profile = common::TempDir::new("chromium");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("{}/docs/", app.base))
        .output()
        .expect("chromium runs");
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
