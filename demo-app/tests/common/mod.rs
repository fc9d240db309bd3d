//! Test harness: a real `redis-server` (with a password, on a free loopback
//! port, in a temporary directory, no persistence) and the real `demo-app`
//! binary on a free port. No mocks.
//!
//! Two ways to run:
//! - locally (default): each test starts its own Redis and app, so tests
//!   can run in parallel and stop, pause or restart their Redis freely;
//! - against a deployed app: with `E2E_BASE_URL=http://...` the HTTP-only
//!   tests talk to that URL and the tests needing process control skip.
//!   `E2E_LOGIN=name:password` enables the login tests there.
//!
//! A missing `redis-server` makes the local tests skip with a message,
//! except with `CI=true`, where it fails.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

pub const REDIS_PASSWORD: &str = "test-redis-password";
pub const USERS: &str = "admin:s3cret,alice:pa55";

/// Where the tests send requests.
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

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (returns early from) a test that needs local processes when
/// E2E_BASE_URL is set, or when redis-server is missing (outside CI).
#[macro_export]
macro_rules! local_only {
    () => {
        if !$crate::common::can_run_locally(module_path!()) {
            return;
        }
    };
}

pub fn can_run_locally(test: &str) -> bool {
    if let Target::Remote(url) = target() {
        eprintln!("skipped {test}: needs process control, not possible against E2E_BASE_URL={url}");
        return false;
    }
    if redis_server_path().is_none() {
        if ci() {
            panic!(
                "redis-server is missing and CI=true: install it (Debian: apt-get install redis-server)"
            );
        }
        eprintln!("skipped {test}: redis-server is missing (Debian: apt-get install redis-server)");
        return false;
    }
    true
}

fn redis_server_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("redis-server"))
        .find(|candidate| candidate.is_file())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("the OS hands out a free port")
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("demo-app-test-{}-{label}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn wait_for_port(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn signal(child: &Child, signal: Signal) {
    let _ = kill(Pid::from_raw(child.id() as i32), signal);
}

/// A real redis-server. Stopped (SIGKILL) on drop.
pub struct Redis {
    pub port: u16,
    dir: TempDir,
    child: Option<Child>,
}

impl Redis {
    pub fn start() -> Self {
        let mut redis = Redis {
            port: free_port(),
            dir: TempDir::new("redis"),
            child: None,
        };
        redis.spawn();
        redis
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--requirepass", REDIS_PASSWORD])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        assert!(
            wait_for_port(self.port, Duration::from_secs(5)),
            "redis-server did not listen"
        );
    }

    /// Kills Redis (the app sees the connection drop).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(&child, Signal::SIGCONT);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts Redis again on the same port, empty.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    /// SIGSTOP: the socket stays open, nothing answers.
    pub fn pause(&self) {
        signal(self.child.as_ref().expect("running"), Signal::SIGSTOP);
    }

    pub fn resume(&self) {
        signal(self.child.as_ref().expect("running"), Signal::SIGCONT);
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The real demo-app binary, with a clean environment plus the given vars.
pub struct App {
    pub port: u16,
    pub base: String,
    child: Child,
    log: PathBuf,
    _dir: TempDir,
    pub started: Instant,
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_demo-app")
}

impl App {
    /// Starts the app against `redis_port` with chaos on, no drain delay
    /// and the test users; `extra` overrides any of these.
    pub fn start(redis_port: u16, extra: &[(&str, &str)]) -> Self {
        let port = free_port();
        let dir = TempDir::new("app");
        let log = dir.path().join("app.log");
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(binary());
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PORT", port.to_string())
            .env("REDIS_HOST", "127.0.0.1")
            .env("REDIS_PORT", redis_port.to_string())
            .env("REDIS_PASSWORD", REDIS_PASSWORD)
            .env("DEMO_USERS", USERS)
            .env("CHAOS_ENABLED", "true")
            .env("SHUTDOWN_DRAIN_SECONDS", "0")
            .env("REDIS_TIMEOUT_MS", "1000");
        for (name, value) in extra {
            command.env(name, value);
        }
        let started = Instant::now();
        let child = command
            .stdout(log_file.try_clone().expect("log file"))
            .stderr(log_file)
            .spawn()
            .expect("demo-app starts");
        let app = App {
            port,
            base: format!("http://127.0.0.1:{port}"),
            child,
            log,
            _dir: dir,
            started,
        };
        app.wait_ready(Duration::from_secs(10));
        app
    }

    fn wait_ready(&self, within: Duration) {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                use std::io::{Read, Write};
                let _ = stream
                    .write_all(b"GET /ready HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!(
            "demo-app was not ready within {within:?}; log:\n{}",
            self.logs()
        );
    }

    pub fn pid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }

    pub fn signal(&self, signal: Signal) {
        let _ = kill(self.pid(), signal);
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
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

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One local Redis and one app on it, or the remote app.
pub struct Env {
    pub base: String,
    pub redis: Option<Redis>,
    pub app: Option<App>,
}

impl Env {
    /// For HTTP-only tests: local processes, or E2E_BASE_URL. `None` means
    /// skip (the message is already printed).
    pub fn http(test: &str) -> Option<Env> {
        Self::http_with(test, &[])
    }

    pub fn http_with(test: &str, extra: &[(&str, &str)]) -> Option<Env> {
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
        let redis = Redis::start();
        let app = App::start(redis.port, extra);
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
        tokio::time::sleep(Duration::from_millis(50)).await;
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
