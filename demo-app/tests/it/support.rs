//! The harness: the app in-process or as a process, against a real Redis
//! from testkit, or a deployed app (E2E_BASE_URL); and small HTTP helpers.

#![allow(dead_code)] // not every helper is used by every build of the tests

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use demo_app::Application;
use demo_app::config::Config;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use testkit::Redis;

pub const REDIS_PASSWORD: &str = "test-redis-password";
pub const USERS: &str = "admin:s3cret,alice:pa55";

/// The running test's name, for skip messages: `api::root_greets…`.
macro_rules! this_test {
    () => {{
        fn f() {}
        let name = std::any::type_name_of_val(&f);
        let name = name.strip_suffix("::f").unwrap_or(name);
        let name = name.trim_end_matches("::{{closure}}");
        name.strip_prefix("it::").unwrap_or(name)
    }};
}

/// Returns from the test (after the skip line) unless local processes
/// can run: not against E2E_BASE_URL, and only with redis-server.
macro_rules! local_only {
    () => {
        if !$crate::support::can_run_locally(this_test!()) {
            return;
        }
    };
}

/// Where the HTTP tests send requests.
pub enum Target {
    Local,
    Remote(String),
}

pub fn target() -> Target {
    match std::env::var("E2E_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            Target::Remote(url.trim().trim_end_matches('/').to_owned())
        }
        _ => Target::Local,
    }
}

pub fn is_remote() -> bool {
    matches!(target(), Target::Remote(_))
}

/// True if this test may start local processes; otherwise the skip line is
/// printed (and a missing redis-server fails the test under CI).
pub fn can_run_locally(test: &str) -> bool {
    if let Target::Remote(url) = target() {
        testkit::skip(
            test,
            &format!("needs local processes, not possible against E2E_BASE_URL={url}"),
        );
        return false;
    }
    testkit::need(
        test,
        "redis-server",
        testkit::redis_server(),
        "install it (Debian: apt-get install redis-server)",
    )
    .is_some()
}

pub fn start_redis() -> Redis {
    Redis::start(REDIS_PASSWORD)
}

/// The settings every local test app gets: this Redis, chaos on, no drain
/// delay, the test users; `extra` overrides any of them.
fn settings(redis_port: u16, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars: HashMap<String, String> = [
        ("PORT", "0".to_owned()),
        ("REDIS_HOST", "127.0.0.1".to_owned()),
        ("REDIS_PORT", redis_port.to_string()),
        ("REDIS_PASSWORD", REDIS_PASSWORD.to_owned()),
        ("DEMO_USERS", USERS.to_owned()),
        ("CHAOS_ENABLED", "true".to_owned()),
        ("SHUTDOWN_DRAIN_SECONDS", "0".to_owned()),
        ("REDIS_TIMEOUT_MS", "1000".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (name, value) in extra {
        vars.insert((*name).to_owned(), (*value).to_owned());
    }
    vars
}

/// The app in this process, on a port of its own (PORT=0). Stopped when
/// dropped.
pub struct TestApp {
    pub base: String,
    pub port: u16,
    pub state: demo_app::state::AppState,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestApp {
    pub async fn spawn(redis_port: u16, extra: &[(&str, &str)]) -> TestApp {
        let vars = settings(redis_port, extra);
        let config = Config::from_lookup(|name| vars.get(name).cloned()).expect("test settings");
        let app = Application::build(config).await.expect("the app binds");
        let port = app.port();
        let state = app.state().clone();
        let task = tokio::spawn(app.run_until(std::future::pending()));
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            port,
            state,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The real demo-app binary, for what only a process shows: signals, exit
/// codes, logs. It listens on PORT=0 and the port is read from its
/// "listening" log line, so no free port has to be guessed.
pub struct ProcessApp {
    pub port: u16,
    pub base: String,
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_demo-app")
}

impl ProcessApp {
    pub fn start(redis_port: u16, extra: &[(&str, &str)]) -> ProcessApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("app.log");
        let log_file = std::fs::File::create(&log).expect("log file");
        let child = Command::new(binary())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(settings(redis_port, extra))
            .stdout(log_file.try_clone().expect("log file"))
            .stderr(log_file)
            .spawn()
            .expect("demo-app starts");
        let mut app = ProcessApp {
            port: 0,
            base: String::new(),
            child,
            log,
            _dir: dir,
        };
        app.port = app.wait_for_listening(Duration::from_secs(10));
        app.base = format!("http://127.0.0.1:{}", app.port);
        app
    }

    /// The port from the "listening" log line (text or JSON format).
    fn wait_for_listening(&mut self, within: Duration) -> u16 {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            let logs = self.logs();
            if let Some(port) = logs
                .lines()
                .find(|line| line.contains("listening"))
                .and_then(|line| line.split("0.0.0.0:").nth(1))
                .and_then(|rest| {
                    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    digits.parse().ok()
                })
            {
                return port;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("demo-app exited with {status} before listening; log:\n{logs}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!(
            "demo-app did not log its address within {within:?}; log:\n{}",
            self.logs()
        );
    }

    pub fn signal(&self, signal: Signal) {
        let _ = kill(Pid::from_raw(self.child.id() as i32), signal);
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log contains `text`, at most `within`.
    pub async fn wait_for_log(&self, text: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while !self.logs().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the log within {within:?}:\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits for the process to exit, at most `within`.
    pub async fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        None
    }
}

impl Drop for ProcessApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// For HTTP tests: a local Redis and the app in-process, or the remote app.
pub struct Env {
    pub base: String,
    pub redis: Option<Redis>,
    pub app: Option<TestApp>,
}

impl Env {
    /// `None` means skip (the line is already printed).
    pub async fn http(test: &str) -> Option<Env> {
        Self::http_with(test, &[]).await
    }

    pub async fn http_with(test: &str, extra: &[(&str, &str)]) -> Option<Env> {
        if let Target::Remote(base) = target() {
            return Some(Env {
                base,
                redis: None,
                app: None,
            });
        }
        if !can_run_locally(test) {
            return None;
        }
        let redis = start_redis();
        let app = TestApp::spawn(redis.port(), extra).await;
        Some(Env {
            base: app.base.clone(),
            redis: Some(redis),
            app: Some(app),
        })
    }

    pub fn is_remote(&self) -> bool {
        self.app.is_none()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Login credentials valid on the target: the test users locally,
/// E2E_LOGIN remotely (None: skip the login tests there).
pub fn login_credentials(env: &Env) -> Option<(String, String)> {
    if env.is_remote() {
        let login = std::env::var("E2E_LOGIN").ok()?;
        let (user, password) = login.split_once(':')?;
        return Some((user.to_owned(), password.to_owned()));
    }
    Some(("admin".to_owned(), "s3cret".to_owned()))
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A response reduced to what the tests check.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub elapsed: Duration,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The `detail` of a JSON error body (panics if there is none).
    pub fn detail(&self) -> String {
        self.json()["detail"]
            .as_str()
            .unwrap_or_else(|| panic!("no detail in {}", self.text))
            .to_owned()
    }

    /// The `session_id` value from Set-Cookie, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("session_id="))
            .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    let start = Instant::now();
    let response = request.send().await.expect("request completes");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    Answer {
        status,
        headers,
        text,
        elapsed: start.elapsed(),
    }
}

pub async fn get(url: &str) -> Answer {
    send(client().get(url)).await
}

pub async fn post_json(url: &str, body: &serde_json::Value) -> Answer {
    send(client().post(url).json(body)).await
}

/// Logs in and returns the session id.
pub async fn login(base: &str, user: &str, password: &str) -> String {
    let answer = post_json(
        &format!("{base}/login"),
        &serde_json::json!({"username": user, "password": password}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.session_cookie().expect("login sets session_id")
}

pub async fn get_with_session(url: &str, session: &str) -> Answer {
    send(
        client()
            .get(url)
            .header("cookie", format!("session_id={session}")),
    )
    .await
}

/// Polls `url` until it answers `status`, at most `within`.
pub async fn eventually_status(url: &str, status: u16, within: Duration) -> Answer {
    let deadline = Instant::now() + within;
    loop {
        let answer = get(url).await;
        if answer.status == status || Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A unique suffix for keys, so tests against a shared remote Redis do not
/// collide.
pub fn unique(label: &str) -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("random");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("test-{label}-{hex}")
}
