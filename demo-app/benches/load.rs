//! `make bench-app`: load test of the release binary, next to a bare axum
//! hello-world server measured in the same run, so the headline figures are
//! ratios that mean something on any machine.
//!
//! What it does:
//! 1. starts its own redis-server (password, loopback, no persistence);
//! 2. starts demo-app five times and times the first 200 on /ready;
//! 3. measures idle RSS, then loads each endpoint with wrk (a separate
//!    process: 2 threads, 50 connections, BENCH_SECONDS each, default 10)
//!    and records requests/s and p50/p99 latency, then peak RSS;
//! 4. loads the hello-world server (this same program, re-run with
//!    BENCH_HELLO_PORT set) the same way;
//! 5. prints a table and writes BENCHMARKS.md at the repository root.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECTIONS: u32 = 50;
const THREADS: u32 = 2;
const REDIS_PASSWORD: &str = "bench-password";

/// The FastAPI app this service replaces, measured the same way on a 2-core
/// machine (figures from the kit's issue).
const FASTAPI: &[(&str, f64)] = &[
    ("GET /", 8600.0),
    ("GET /visits", 3400.0),
    ("POST /kv/{key}", 2900.0),
];

fn main() {
    if let Ok(port) = std::env::var("BENCH_HELLO_PORT") {
        hello_world(port.parse().expect("BENCH_HELLO_PORT is a port"));
        return;
    }
    // `cargo bench` passes `--bench`; nothing else is accepted.
    if std::env::args().skip(1).any(|a| a != "--bench") {
        eprintln!("usage: cargo bench -p demo-app --bench load   (BENCH_SECONDS=N to shorten)");
        std::process::exit(2);
    }
    for tool in ["wrk", "redis-server"] {
        if !on_path(tool) {
            eprintln!(
                "{tool} is missing: install it (Debian: apt-get install wrk redis-server), or run `make bench-app`"
            );
            std::process::exit(1);
        }
    }
    let seconds: u32 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|s| *s > 0)
        .unwrap_or(10);
    run(seconds);
}

/// The bare server: the same stack (tokio multi-thread runtime, axum, JSON
/// response) and nothing else.
fn hello_world(port: u16) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let app = axum::Router::new().route(
            "/",
            axum::routing::get(|| async {
                axum::Json(serde_json::json!({"message": "Hello, World!"}))
            }),
        );
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind");
        axum::serve(listener, app).await.expect("serve");
    });
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed on drop.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.get(9..12)?.parse().ok()
}

fn wait_for(port: u16, path: &str, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < within {
        if http_get_status(port, path) == Some(200) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    None
}

fn start_redis(dir: &Path) -> (Proc, u16) {
    let port = free_port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--requirepass",
            REDIS_PASSWORD,
        ])
        .args(["--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server starts");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "redis-server did not listen"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    (Proc(child), port)
}

/// Starts demo-app and returns it with the time from spawn to the first
/// 200 on /ready.
fn start_app(redis_port: u16) -> (Proc, u16, Duration) {
    let port = free_port();
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_demo-app"))
        .env_clear()
        .env("PORT", port.to_string())
        .env("REDIS_HOST", "127.0.0.1")
        .env("REDIS_PORT", redis_port.to_string())
        .env("REDIS_PASSWORD", REDIS_PASSWORD)
        .env("DEMO_USERS", "admin:bench-secret,alice:bench-secret-2")
        .env("LOG_LEVEL", "info")
        .stdout(Stdio::null())
        .spawn()
        .expect("demo-app starts");
    let proc = Proc(child);
    let mut ready = None;
    while started.elapsed() < Duration::from_secs(10) {
        if http_get_status(port, "/ready") == Some(200) {
            ready = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    (proc, port, ready.expect("demo-app became ready"))
}

/// (VmRSS, VmHWM) in KiB.
fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

struct Load {
    label: String,
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failures: u64,
}

/// wrk prints latencies as 512.00us, 1.20ms or 1.01s.
fn to_ms(value: &str) -> f64 {
    let split = value
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => f64::NAN,
    }
}

fn wrk(label: &str, url: &str, script: Option<&Path>, seconds: u32) -> Load {
    let mut command = Command::new("wrk");
    command
        .args(["-t", &THREADS.to_string(), "-c", &CONNECTIONS.to_string()])
        .args(["-d", &format!("{seconds}s"), "--latency"]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command.arg(url).output().expect("wrk runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let value_after = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l[prefix.len()..].split_whitespace().next())
            .unwrap_or("")
            .to_owned()
    };
    let non_2xx: u64 = value_after("Non-2xx or 3xx responses:")
        .parse()
        .unwrap_or(0);
    let socket_errors = text.contains("Socket errors:");
    let load = Load {
        label: label.to_owned(),
        requests_per_second: value_after("Requests/sec:").parse().unwrap_or(0.0),
        p50_ms: to_ms(&value_after("50%")),
        p99_ms: to_ms(&value_after("99%")),
        failures: non_2xx,
    };
    if socket_errors || non_2xx > 0 || load.requests_per_second == 0.0 {
        eprintln!("warning: {label}: errors during the run:\n{text}");
    }
    println!(
        "  {:<22} {:>10.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms",
        load.label, load.requests_per_second, load.p50_ms, load.p99_ms
    );
    load
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&o.stderr));
            text.lines().next().unwrap_or("").trim().to_owned()
        })
        .unwrap_or_default()
}

fn run(seconds: u32) {
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("demo-app-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_redis, redis_port) = start_redis(&dir);

    println!("start-up: time from spawn to the first 200 on /ready (5 starts)");
    let mut ready_times: Vec<Duration> = (0..5).map(|_| start_app(redis_port).2).collect();
    ready_times.sort();
    let ready_median = ready_times[2];
    let ready_max = ready_times[4];
    println!(
        "  median {:.1} ms, slowest {:.1} ms",
        ms(ready_median),
        ms(ready_max)
    );

    let (app, port, _) = start_app(redis_port);
    // Let the background password hashing finish before measuring idle memory.
    std::thread::sleep(Duration::from_secs(2));
    let (idle_rss, _) = rss_kib(app.0.id());
    println!("idle RSS: {:.1} MiB", idle_rss as f64 / 1024.0);

    let post = dir.join("post.lua");
    std::fs::write(
        &post,
        "wrk.method = \"POST\"\nwrk.body = '{\"value\": \"benchmark\"}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
    )
    .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let seeded = Command::new("wrk")
        .args(["-t1", "-c1", "-d1s", "-s"])
        .arg(&post)
        .arg(format!("{base}/kv/bench"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(seeded, "seeding /kv/bench failed");

    println!("load: wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s --latency");
    let hello_port = free_port();
    let hello = Proc(
        Command::new(std::env::current_exe().unwrap())
            .env("BENCH_HELLO_PORT", hello_port.to_string())
            .spawn()
            .expect("hello-world server starts"),
    );
    wait_for(hello_port, "/", Duration::from_secs(5)).expect("hello-world server ready");
    let hello_url = format!("http://127.0.0.1:{hello_port}/");
    let health_url = format!("{base}/health");
    wrk("warm-up", &hello_url, None, 1);
    wrk("warm-up", &health_url, None, 1);
    // The headline ratio compares these two. They run back to back in three
    // pairs, and the pair with the median ratio is reported, so that a burst
    // of other work on the machine during one run does not decide it.
    let mut pairs: Vec<(Load, Load)> = (0..3)
        .map(|_| {
            let bare = wrk("bare axum: GET /", &hello_url, None, seconds);
            let health = wrk("GET /health", &health_url, None, seconds);
            (bare, health)
        })
        .collect();
    let ratio =
        |(bare, health): &(Load, Load)| health.requests_per_second / bare.requests_per_second;
    pairs.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
    let pair_ratios: Vec<f64> = pairs.iter().map(ratio).collect();
    let (bare, median_health) = pairs.swap_remove(1);
    let hello_rss = rss_kib(hello.0.id());
    drop(hello);

    let mut loads = vec![median_health];
    for (label, path, script) in [
        ("GET /", "/", None),
        ("GET /visits", "/visits", None),
        ("GET /kv/{key}", "/kv/bench", None),
        ("POST /kv/{key}", "/kv/bench", Some(post.as_path())),
    ] {
        wrk("warm-up", &format!("{base}{path}"), script, 1);
        loads.push(wrk(label, &format!("{base}{path}"), script, seconds));
    }
    let (_, peak_rss) = rss_kib(app.0.id());
    println!("peak RSS: {:.1} MiB", peak_rss as f64 / 1024.0);
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);

    let report = report(
        &pair_ratios,
        &load_before,
        seconds,
        &bare,
        hello_rss.1,
        &loads,
        idle_rss,
        peak_rss,
        ready_median,
        ready_max,
    );
    let path = testkit::repo_root().join("BENCHMARKS.md");
    let others = std::fs::read_to_string(&path)
        .map(|old| sections_of_others(&old))
        .unwrap_or_default();
    std::fs::write(&path, report + &others).expect("write BENCHMARKS.md");
    println!("wrote {}", path.display());
}

/// The `## ` sections of BENCHMARKS.md this harness does not write (e.g.
/// `## Site`, written by `make bench-site`), kept as they are.
const OUR_SECTIONS: [&str; 4] = [
    "Setup",
    "Throughput and latency",
    "Memory and start-up",
    "Targets",
];

fn sections_of_others(old: &str) -> String {
    let mut kept = String::new();
    let mut keeping = false;
    for line in old.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            keeping = !OUR_SECTIONS.contains(&heading.trim());
        }
        if keeping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if kept.is_empty() {
        kept
    } else {
        format!("\n{kept}")
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[allow(clippy::too_many_arguments)]
fn report(
    pair_ratios: &[f64],
    load_before: &str,
    seconds: u32,
    bare: &Load,
    bare_peak_rss: u64,
    loads: &[Load],
    idle_rss: u64,
    peak_rss: u64,
    ready_median: Duration,
    ready_max: Duration,
) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("unknown CPU")
        .trim()
        .to_owned();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let rps = |label: &str| {
        loads
            .iter()
            .find(|l| l.label == label)
            .map_or(0.0, |l| l.requests_per_second)
    };
    let health_ratio = rps("GET /health") / bare.requests_per_second;
    let mib = |kib: u64| kib as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };

    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Latest figures for the demo service, written by `make bench-app` \
         (`cargo bench -p demo-app --bench load`, harness in \
         [demo-app/benches/load.rs](demo-app/benches/load.rs)). Run it again to \
         refresh this file; `BENCH_SECONDS=3 make bench-app` gives a quick, noisier run.\n"
    );
    let _ = writeln!(out, "## Setup\n");
    let _ = writeln!(
        out,
        "- Machine: {cores} cores ({cpu}); the load generator shares the cores with the server. \
         Load average before the run: {}.",
        load_before
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let _ = writeln!(
        out,
        "- Load: `wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s --latency` per endpoint, after a 1 s warm-up \
         (bare axum and `/health` in three back-to-back pairs; the pair with the median ratio is shown); {} / {}.",
        command_output("wrk", &["-v"])
            .split(" Copyright")
            .next()
            .unwrap_or(""),
        command_output("redis-server", &["--version"])
            .split(" sha=")
            .next()
            .unwrap_or("")
    );
    let _ = writeln!(
        out,
        "- Server: the release build of `demo-app` with LOG_LEVEL=info, a local redis-server with a password. \
         Baseline: a bare axum hello-world server (same runtime and JSON response, no middleware), measured in the same run.\n"
    );
    let _ = writeln!(out, "## Throughput and latency\n");
    let _ = writeln!(
        out,
        "| endpoint | requests/s | p50 | p99 | vs bare axum | vs FastAPI |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| bare axum hello-world `GET /` | {:.0} | {:.2} ms | {:.2} ms | 100% | |",
        bare.requests_per_second, bare.p50_ms, bare.p99_ms
    );
    for load in loads {
        let fastapi = FASTAPI
            .iter()
            .find(|(label, _)| *label == load.label)
            .map_or(String::new(), |(_, f)| {
                format!("{:.1}×", load.requests_per_second / f)
            });
        let failures = if load.failures > 0 {
            format!(" ({} non-2xx)", load.failures)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| `{}`{} | {:.0} | {:.2} ms | {:.2} ms | {:.0}% | {} |",
            load.label,
            failures,
            load.requests_per_second,
            load.p50_ms,
            load.p99_ms,
            100.0 * load.requests_per_second / bare.requests_per_second,
            fastapi
        );
    }
    let _ = writeln!(out, "\n## Memory and start-up\n");
    let _ = writeln!(out, "| measure | demo-app | FastAPI app |");
    let _ = writeln!(out, "|---|---:|---:|");
    let _ = writeln!(
        out,
        "| idle RSS (after start-up) | {:.1} MiB | 53 MiB |",
        mib(idle_rss)
    );
    let _ = writeln!(
        out,
        "| peak RSS (after all runs) | {:.1} MiB (bare axum: {:.1} MiB) | |",
        mib(peak_rss),
        mib(bare_peak_rss)
    );
    let _ = writeln!(
        out,
        "| start to first 200 on `/ready` (median of 5; slowest) | {:.1} ms; {:.1} ms | 480 ms |",
        ms(ready_median),
        ms(ready_max)
    );
    let _ = writeln!(out, "\n## Targets\n");
    let _ = writeln!(out, "| target | figure | |");
    let _ = writeln!(out, "|---|---:|---|");
    let _ = writeln!(
        out,
        "| `/health` ≥ 85% of bare axum (ratios of the three pairs: {}) | {:.1}% | {} |",
        pair_ratios
            .iter()
            .map(|r| format!("{:.1}%", 100.0 * r))
            .collect::<Vec<_>>()
            .join(", "),
        100.0 * health_ratio,
        verdict(health_ratio >= 0.85)
    );
    for (label, factor) in [
        ("GET /", 10.0),
        ("GET /visits", 5.0),
        ("POST /kv/{key}", 5.0),
    ] {
        let fastapi = FASTAPI
            .iter()
            .find(|(l, _)| *l == label)
            .map_or(1.0, |(_, f)| *f);
        let ratio = rps(label) / fastapi;
        let _ = writeln!(
            out,
            "| `{label}` ≥ {factor:.0}× FastAPI | {ratio:.1}× | {} |",
            verdict(ratio >= factor)
        );
    }
    let health_vs_fastapi = rps("GET /health") / 8600.0;
    let _ = writeln!(
        out,
        "| `GET /health` ≥ 10× FastAPI's `GET /` | {health_vs_fastapi:.1}× | {} |",
        verdict(health_vs_fastapi >= 10.0)
    );
    let _ = writeln!(
        out,
        "| idle RSS < 10 MiB | {:.1} MiB | {} |",
        mib(idle_rss),
        verdict(idle_rss < 10 * 1024)
    );
    let _ = writeln!(
        out,
        "| ready within 100 ms of start | {:.1} ms | {} |",
        ms(ready_median),
        verdict(ready_median < Duration::from_millis(100))
    );
    let _ = writeln!(
        out,
        "\nThe FastAPI figures come from the same measurement of the app this service replaces \
         (2-core machine, wrk sharing the cores). Absolute numbers depend on the machine; the ratio to \
         the bare server measured in the same run is the figure to compare between runs."
    );
    out
}
