//! `site`: build or serve the guide and the slide deck, or draw its
//! diagrams for the comparison with mermaid.js. Run from the repository root
//! (the Makefile does): `make docs`, `make docs-build`, `make diagrams-compare`.
//! The benchmark is `src/bin/site-bench.rs` (`make bench-site`).

use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: site <build [--dest DIR] | serve [--port N] | diagrams --dest DIR> [--root DIR]

  build   write the guide and the deck to book/ (or DIR)
  serve   build, serve on http://127.0.0.1:PORT (default 3000, or $PORT) and
          rebuild + reload the open pages on every save
  diagrams  draw every diagram on its own into DIR (diagrams.json), for
          the comparison with mermaid.js (make diagrams-compare)";

struct Args {
    command: String,
    root: PathBuf,
    dest: Option<PathBuf>,
    port: u16,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let mut parsed = Args {
        command,
        root: PathBuf::from("."),
        dest: None,
        port: match std::env::var("PORT") {
            Ok(p) if !p.is_empty() => p.parse().context("PORT must be a port number")?,
            _ => 3000,
        },
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--root" => parsed.root = value()?.into(),
            "--dest" => parsed.dest = Some(value()?.into()),
            "--port" => parsed.port = value()?.parse().context("--port must be a port number")?,
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    if !parsed.root.join("book.toml").is_file() {
        bail!(
            "{} has no book.toml: run `site` from the repository root",
            parsed.root.display()
        );
    }
    Ok(parsed)
}

fn run() -> Result<()> {
    let args = parse_args()?;
    match args.command.as_str() {
        "build" => {
            let built = site::book::build(&args.root, args.dest.as_deref())?;
            println!(
                "Built the guide and the deck into {} in {} ms; open {}/index.html or {}/slides/index.html.",
                built.dir.display(),
                built.took.as_millis(),
                built.dir.display(),
                built.dir.display()
            );
            Ok(())
        }
        "serve" => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let live =
                    site::live::start(&args.root, args.dest.as_deref(), args.port, false).await?;
                println!(
                    "Serving the guide on http://{}/ and the deck on http://{}/slides/ (Ctrl+C stops).",
                    live.addr, live.addr
                );
                println!("Watching docs/, slides/, k8s/ and demo-app/: saving a file rebuilds and reloads the page.");
                tokio::signal::ctrl_c().await?;
                Ok(())
            })
        }
        "diagrams" => {
            let dest = args.dest.context("diagrams needs --dest DIR")?;
            let n = site::diagrams::export::export(&args.root, &dest)?;
            println!("Drew {n} diagrams into {}.", dest.display());
            Ok(())
        }
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("site: {e:#}");
            ExitCode::FAILURE
        }
    }
}
