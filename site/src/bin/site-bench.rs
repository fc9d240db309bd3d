//! `site-bench` (`make bench-site`): the site's three targets, measured on
//! this machine. A binary of its own behind the `bench` feature, so the
//! shipped `site` binary carries no benchmark and `cargo test` does not link
//! it. Options: `--write BENCHMARKS.md`, `--root DIR` (default: the
//! current directory: `make bench-site` runs from the repository root).
//!
//! - full build (guide + deck + assets) after compilation: < 1 s;
//! - save-to-reload: from writing a page to the browser's reload event and
//!   the new text being served (the browser's own repaint is not included):
//!   < 1 s;
//! - the deck page itself (HTML + CSS + JS + its diagrams as SVG): < 300 KB
//!   (the budget for the whole deck; Lighthouse in `make bench-site`
//!   also counts the font and highlight.js it loads).
//!
//! The latency is measured on a copy of the site's sources in a temporary
//! folder, so nobody's working files are touched.

use anyhow::{Context, Result, bail};
use site::book;
use site::live::{self, client::ReloadEvents, client::get};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

const USAGE: &str =
    "usage: cargo run -p site --features bench --bin site-bench -- [--write FILE] [--root DIR]

  measures build time, save-to-reload latency and deck size; with --write,
  replaces the Site section of FILE (BENCHMARKS.md)";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    match parse_args().and_then(|(root, write)| run(&root, write.as_deref())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("site-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `--root DIR` (default: the current directory, as for `site`) and `--write FILE`.
fn parse_args() -> Result<(PathBuf, Option<PathBuf>)> {
    let mut root = PathBuf::from(".");
    let mut write = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--root" => root = value()?.into(),
            "--write" => write = Some(value()?.into()),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    if !root.join("book.toml").is_file() {
        bail!(
            "{} has no book.toml: run site-bench from the repository root or pass it with --root",
            root.display()
        );
    }
    Ok((root, write))
}

struct Report {
    /// The first build of a fresh process (syntax tables, caches cold).
    cold_ms: u128,
    build_ms: Vec<u128>,
    reload_ms: Vec<u128>,
    deck_bytes: u64,
    pages: usize,
    /// Load average before the run.
    load: String,
}

fn median(v: &[u128]) -> u128 {
    let mut s = v.to_vec();
    s.sort_unstable();
    s[s.len() / 2]
}

fn run(root: &Path, write: Option<&Path>) -> Result<()> {
    let report = measure(root)?;
    let text = markdown(&report);
    println!("{text}");
    if let Some(path) = write {
        update_benchmarks(path, &text)?;
        println!("Updated the Site section of {}.", path.display());
    }
    let build = median(&report.build_ms);
    let reload = median(&report.reload_ms);
    if build >= 1000 || reload >= 1000 || report.deck_bytes >= 300 * 1024 {
        // A benchmark, not a test: report, don't fail (a busy machine is slower).
        eprintln!(
            "warning: a site target is missed (build {build} ms, reload {reload} ms, deck {} bytes); load average: {}",
            report.deck_bytes, report.load
        );
    }
    Ok(())
}

/// The 1, 5 and 15 minute load averages, for context.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

fn measure(root: &Path) -> Result<Report> {
    let load = load_average();
    let tmp = tempfile::tempdir()?;
    let copy = tmp.path().join("repo");
    copy_sources(root, &copy)?;

    // Build time: the real sources, into a scratch folder; the first run warms caches.
    let out = tmp.path().join("out");
    let mut build_ms = Vec::new();
    let mut built = book::build(&copy, Some(&out))?;
    let cold_ms = built.took.as_millis();
    for _ in 0..RUNS {
        built = book::build(&copy, Some(&out))?;
        build_ms.push(built.took.as_millis());
    }
    let deck_bytes = std::fs::metadata(built.dir.join("slides/index.html"))?.len();
    let pages = walkdir::WalkDir::new(&built.dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();

    // Save-to-reload latency, through the real server and watcher.
    let runtime = tokio::runtime::Runtime::new()?;
    let site = runtime.block_on(live::start(&copy, Some(&tmp.path().join("live")), 0, true))?;
    let page = copy.join("docs/slides.md");
    let original = std::fs::read_to_string(&page).context("the bench edits docs/slides.md")?;
    let mut reload_ms = Vec::new();
    for run in 0..RUNS {
        let (mut events, build) = ReloadEvents::open(site.addr)?;
        let marker = format!("bench-marker-{run}-{}", std::process::id());
        let saved = Instant::now();
        std::fs::write(&page, format!("{original}\n{marker}\n"))?;
        let next = events.next_build()?;
        if next <= build {
            bail!("build number went from {build} to {next}");
        }
        let body = get(site.addr, "/slides.html")?;
        if !body.contains(&marker) {
            bail!("the reloaded page does not show the change");
        }
        reload_ms.push(saved.elapsed().as_millis());
        // Let the watcher settle before the next save.
        std::thread::sleep(Duration::from_millis(200));
        while site.rebuilds.try_recv().is_ok() {}
    }
    drop(site);
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(Report {
        cold_ms,
        build_ms,
        reload_ms,
        deck_bytes,
        pages,
        load,
    })
}

/// Copies the repository without build output, VCS data or virtualenvs.
fn copy_sources(root: &Path, to: &Path) -> Result<()> {
    const SKIP: &[&str] = &[
        "target",
        ".git",
        "book",
        ".venv",
        "node_modules",
        ".generated",
    ];
    let walker = walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
        let n = e.file_name().to_string_lossy();
        e.depth() == 0 || !SKIP.contains(&n.as_ref())
    });
    for entry in walker.flatten() {
        let rel = entry.path().strip_prefix(root)?;
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

fn markdown(r: &Report) -> String {
    let build = median(&r.build_ms);
    let reload = median(&r.reload_ms);
    let kb = r.deck_bytes as f64 / 1024.0;
    let ok = |pass: bool| if pass { "met" } else { "MISSED" };
    format!(
        "## Site\n\n\
         Measured by `make bench-site` (`site-bench`, the same optimised build as `make docs`), \
         median of {RUNS} runs after a warm-up, on this 2-core machine \
         (load average before the run: {load}); {pages} HTML pages.\n\n\
         | measure | target | result | |\n\
         |---|---|---|---|\n\
         | full site build (guide + deck + assets), after compilation | < 1 s | {build} ms (runs: {builds}; first build of a fresh process: {cold} ms) | {b} |\n\
         | save to reload (file written → reload event → new page served) | < 1 s | {reload} ms (runs: {reloads}) | {l} |\n\
         | deck page (HTML + CSS + JS + diagrams as SVG) | < 300 KB | {kb:.1} KB | {d} |\n\n\
         The reload latency includes the watcher's {debounce} ms debounce and a full rebuild; \
         the browser's repaint after the reload event is not included.\n",
        pages = r.pages,
        load = r.load,
        cold = r.cold_ms,
        builds = join(&r.build_ms),
        reloads = join(&r.reload_ms),
        b = ok(build < 1000),
        l = ok(reload < 1000),
        d = ok(r.deck_bytes < 300 * 1024),
        debounce = live::watch::DEBOUNCE.as_millis(),
    )
}

fn join(v: &[u128]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replaces the `## Site` section of BENCHMARKS.md (or appends it), leaving
/// every other section as it is.
fn update_benchmarks(path: &Path, section: &str) -> Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = kit_formats::markdown::replace_section(&old, "Site", section);
    std::fs::write(path, new)?;
    Ok(())
}
