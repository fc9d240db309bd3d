//! `kit-try [--auto] [--reset] [--timeout SECONDS] [--background SECONDS] CHAPTER`,
//! or `kit-try --list` (the chapters with a Try it, one a line)
//! (what `make try` runs; see `kit_try::run`).

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use kit_try::run::{Options, run};

fn main() -> ExitCode {
    let mut options = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut seconds = |what: &str| -> Result<Duration, String> {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_secs)
                .ok_or(format!("{what} takes a number of seconds"))
        };
        let parsed = match arg.as_str() {
            "--auto" => {
                options.auto = true;
                Ok(())
            }
            "--list" => {
                // The chapters `make try` runs, one a line (CI loops over them).
                let all = kit_try::chapters::all(&options.root);
                let mut out = std::io::stdout().lock();
                for chapter in all.iter().filter(|c| c.has_try_it()) {
                    // A closed pipe (`| head`) ends the list quietly.
                    if writeln!(out, "{}", chapter.name).is_err() {
                        break;
                    }
                }
                return ExitCode::SUCCESS;
            }
            "--reset" => {
                options.reset = true;
                Ok(())
            }
            "--timeout" => seconds("--timeout").map(|d| options.timeout = d),
            "--background" => seconds("--background").map(|d| options.background = d),
            _ if arg.starts_with('-') => Err(format!("unknown option {arg}")),
            _ => {
                options.chapter = arg;
                Ok(())
            }
        };
        if let Err(e) = parsed {
            eprintln!(
                "kit-try: {e}: usage: kit-try [--auto] [--reset] [--timeout S] [--background S] CHAPTER"
            );
            return ExitCode::from(2);
        }
    }
    ExitCode::from(run(&options))
}
