//! The `demo-app` binary: `demo-app` serves, `demo-app openapi` prints the
//! OpenAPI document. Everything else is in the library (`src/lib.rs`).

use std::process::ExitCode;

use demo_app::config::Config;

const USAGE: &str = "usage: demo-app            serve HTTP (settings from env vars, see /config)
       demo-app openapi    print the OpenAPI document as JSON";

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        None => serve(),
        Some("openapi") => {
            let document = demo_app::openapi::document();
            println!(
                "{}",
                serde_json::to_string_pretty(&document).expect("JSON values serialize")
            );
            ExitCode::SUCCESS
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("demo-app: unknown argument {other:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn serve() -> ExitCode {
    return_freed_memory_to_the_os();
    // A bad setting stops the process with one line naming the variable,
    // before anything else happens (the pod goes into CrashLoopBackOff and
    // `kubectl logs` shows the line).
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("demo-app: {error}");
            return ExitCode::from(2);
        }
    };
    demo_app::telemetry::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("demo-app: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        demo_app::Application::build(config)
            .await?
            .run_until_stopped()
            .await
    });
    // Every request has been answered by now. Dropping the runtime would
    // wait for leftover blocking work (password hashing still running right
    // after start); nothing there is worth delaying the exit for.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server failed");
            eprintln!("demo-app: {error}");
            ExitCode::FAILURE
        }
    }
}

/// glibc serves large allocations with mmap and gives them back on free,
/// but after the first such free it raises the size limit for mmap to that
/// size, so the next ones (argon2's 7 MiB per password check) come from the
/// heap and stay resident: 15 MiB of idle RSS for nothing. Pinning the limit
/// at 1 MiB keeps those buffers on mmap, so idle RSS stays at a few MiB.
/// Pinning it also freezes the heap trim threshold at 128 KiB, which would
/// trim (a system call) far too often under load, so that is set to twice
/// the mmap limit, the ratio glibc itself keeps.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory_to_the_os() {
    const MMAP_THRESHOLD: libc::c_int = 1024 * 1024;
    // SAFETY: mallopt only changes allocator tuning; it runs before any
    // other thread exists, as glibc recommends.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_memory_to_the_os() {}
