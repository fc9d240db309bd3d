//! Runs a page's commands in the order the page gives them against the
//! local kit ([`crate::kit`]) and compares every answer the page shows with
//! the real one ([`crate::expect`]).

use std::io::Read;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use crate::commands::{COMMAND_LANGS, Command, OUTPUT, one_line, sessions};
use crate::expect::compare;
use crate::kit::{Kit, KitEnv};
use crate::pages::{Page, code_blocks};
use crate::reader_shell::ReaderShell;
use crate::replay::{Action, Step, classify, is_app_curl};
use crate::statuses::{self, Seen};

/// The attribute of an output block that only a cluster can produce.
pub use crate::commands::EXAMPLE;

/// Languages of blocks that show output.
const OUTPUT_LANGS: &[&str] = &["text", "json", "output", "console", ""];

/// Answers where the app, not the page, is wrong: the page shows what the
/// kit intends and the app does otherwise. (page, a line only that output
/// block shows, why).
/// The run reports them every time; once the app is fixed the block
/// matches and the run fails until the entry is removed.
pub const KNOWN_APP_BUGS: &[(&str, &str, &str)] = &[];

/// What a call answers while Redis cannot be reached (the known-bug entries
/// of a Redis outage replace the first shown line with it).
const FAILED_CALL: &str = r#"{"detail":"redis is unavailable: connection failed"}"#;

/// The longest a single command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// What happened on one page.
#[derive(Debug, Default)]
pub struct PageRun {
    /// `curl` commands run against the app.
    pub ran: usize,
    /// Shown answers compared (an output block or a console command's lines).
    pub compared: usize,
    /// Cluster actions replayed locally.
    pub replayed: usize,
    /// Settings the app refused at start (a crash loop on a cluster).
    pub crash_loops: usize,
    /// `path:line: why` of every answer in [`KNOWN_APP_BUGS`] seen failing.
    pub known_bugs: Vec<String>,
    /// `path:line: reason` of every cluster experiment not replayed.
    pub not_replayed: Vec<String>,
    /// `path:line: reason` of every app `curl` not run.
    pub skipped: Vec<String>,
    /// The status of every request the page's commands made.
    pub seen: Vec<Seen>,
    /// Statuses the page states, compared with `seen`.
    pub statuses: statuses::Report,
    pub problems: Vec<String>,
}

/// Does the page have any `curl` against the app (run or skipped)?
pub fn has_app_commands(page: &Page) -> bool {
    sessions(page).is_ok_and(|s| {
        s.iter()
            .flat_map(|s| &s.commands)
            .any(|c| is_app_curl(&one_line(&c.text)))
    })
}

/// Blocks that look like the answer of an app `curl` but are not marked
/// `output` (checked) or `example` (cluster output): a block of an output
/// language right after a command block that runs a `curl` against the app.
pub fn unmarked_outputs(page: &Page) -> Vec<String> {
    let blocks = code_blocks(&page.text);
    let mut problems = Vec::new();
    for pair in blocks.windows(2) {
        let (commands, next) = (&pair[0], &pair[1]);
        if !["sh", "bash", "shell"].contains(&commands.lang.as_str())
            || !OUTPUT_LANGS.contains(&next.lang.as_str())
            || next.has(OUTPUT)
            || next.has(EXAMPLE)
            || COMMAND_LANGS.contains(&next.lang.as_str())
        {
            continue;
        }
        let runs = crate::commands::script_commands(commands)
            .iter()
            .any(|c| classify(&c.text) == Step::Run);
        if runs {
            problems.push(format!(
                "{}: this block follows `curl` commands against the app: mark it `{OUTPUT}` \
                 (```{},{OUTPUT}: checked against the real app) or `{EXAMPLE}` (output only a cluster gives)",
                page.at(next.line),
                if next.lang.is_empty() { "text" } else { &next.lang }
            ));
        }
    }
    problems
}

/// Runs every command of `page` on a fresh kit and compares the answers.
pub fn run_page(page: &Page, binary: &Path, env: &KitEnv) -> PageRun {
    let mut run = PageRun::default();
    let sessions = match sessions(page) {
        Ok(s) => s,
        Err(e) => {
            run.problems.push(e);
            return run;
        }
    };
    run.problems.extend(unmarked_outputs(page));
    // A page whose app commands are all skipped needs no kit.
    let runs_any = sessions
        .iter()
        .flat_map(|s| &s.commands)
        .any(|c| classify(&c.text) == Step::Run);
    if !runs_any {
        for c in sessions.iter().flat_map(|s| &s.commands) {
            if let Step::Skip(reason) = classify(&c.text) {
                run.skipped.push(format!("{}: {reason}", page.at(c.line)));
            }
        }
        return run;
    }
    let mut kit = match Kit::start(binary, env) {
        Ok(kit) => kit,
        Err(e) => {
            run.problems
                .push(format!("{}: the local kit does not start: {e}", page.path));
            return run;
        }
    };
    let mut shell = ReaderShell::default();
    for session in &sessions {
        let mut block_output = String::new();
        let mut block_runs = 0;
        for command in &session.commands {
            let printed = match step(
                &mut kit,
                &mut shell,
                page,
                command,
                session.block.line,
                &mut run,
            ) {
                Ok(printed) => printed,
                Err(e) => {
                    run.problems.push(format!("{}: {e}", page.at(command.line)));
                    return run;
                }
            };
            let Some(printed) = printed else { continue };
            block_runs += 1;
            block_output.push_str(&printed);
            // A console block marked `example` shows a cluster's output.
            if let Some(shown) = command
                .shown
                .as_ref()
                .filter(|s| !s.is_empty() && !session.block.has(EXAMPLE))
            {
                run.compared += 1;
                if let Err(e) = compare(shown, &printed, &kit.stand_ins()) {
                    run.problems.push(format!("{}: {e}", page.at(command.line)));
                }
            }
        }
        if let Some(output) = &session.output {
            if block_runs == 0 {
                run.problems.push(format!(
                    "{}: marked `{OUTPUT}`, but the block before it runs no `curl` against the app",
                    page.at(output.line)
                ));
                continue;
            }
            run.compared += 1;
            let shown: Vec<String> = output.body.lines().map(str::to_owned).collect();
            let known = KNOWN_APP_BUGS
                .iter()
                .find(|(path, line, _)| *path == page.path && shown.iter().any(|l| l == line));
            match (compare(&shown, &block_output, &kit.stand_ins()), known) {
                (Ok(()), None) => {}
                (Err(e), None) => run.problems.push(format!("{}: {e}", page.at(output.line))),
                (Err(_), Some((_, _, why))) => {
                    // The bug must be the only difference: the block's first
                    // answer is the failed call, the rest as shown.
                    let mut with_bug = shown.clone();
                    with_bug[0] = FAILED_CALL.to_owned();
                    match compare(&with_bug, &block_output, &kit.stand_ins()) {
                        Ok(()) => run
                            .known_bugs
                            .push(format!("{}: {why}", page.at(output.line))),
                        Err(e) => run.problems.push(format!("{}: {e}", page.at(output.line))),
                    }
                }
                (Ok(()), Some(_)) => run.problems.push(format!(
                    "{}: matches now: remove it from KNOWN_APP_BUGS",
                    page.at(output.line)
                )),
            }
        }
    }
    run.statuses = statuses::check(page, &run.seen, statuses::NOT_THESE);
    run.problems.extend(run.statuses.problems.iter().cloned());
    run
}

/// One command: `Some(what it printed)` when it ran against the app.
fn step(
    kit: &mut Kit,
    shell: &mut ReaderShell,
    page: &Page,
    command: &Command,
    block_line: usize,
    run: &mut PageRun,
) -> Result<Option<String>, String> {
    match classify(&command.text) {
        Step::ClusterOnly => {
            if let Some(reason) = crate::replay::not_replayed(&command.text) {
                run.not_replayed
                    .push(format!("{}: {reason}", page.at(command.line)));
            }
            Ok(None)
        }
        Step::Skip(reason) => {
            run.skipped
                .push(format!("{}: {reason}", page.at(command.line)));
            Ok(None)
        }
        Step::Assign => {
            if let Some(script) = shell.assign_script(&command.text, kit)? {
                // An assignment's own requests (`CODE=$(curl …)`) state
                // nothing the page shows.
                let (printed, _) = run_script(kit, shell, &script)?;
                shell.keep(&command.text, &printed);
            }
            Ok(None)
        }
        Step::Local(action) => {
            run.replayed += 1;
            match action {
                Action::StopRedis => kit.stop_redis(),
                Action::StartRedis => kit.start_redis()?,
                Action::RestartRedis => {
                    kit.stop_redis();
                    kit.start_redis()?
                }
                Action::RestartApp => kit.restart_app()?,
                Action::PauseRedis(ms) => {
                    // The page brings Redis back before pausing it (on a
                    // cluster `kubectl exec` needs the pod running).
                    kit.start_redis()?;
                    kit.pause_redis(ms)?
                }
                Action::PatchConfig(pairs) => kit.pending.extend(pairs),
                Action::SetEnv(pairs) => {
                    let before = kit.pending.clone();
                    kit.pending.extend(pairs);
                    if kit.restart_app().is_err() {
                        // A value the app refuses: it exits at start, the
                        // pod crash-loops, and the page rolls the change
                        // back (`make undo`) before going on.
                        run.crash_loops += 1;
                        kit.pending = before;
                        kit.restart_app()?;
                    }
                }
            }
            Ok(None)
        }
        Step::Run => {
            kit.restart_if_exited()?;
            run.ran += 1;
            let (printed, statuses) = run_script(kit, shell, &shell.script(&command.text, kit)?)?;
            run.seen
                .extend(statuses.into_iter().map(|(status, path)| Seen {
                    block_line,
                    path,
                    status,
                }));
            let printed = shell.keep(&command.text, &printed);
            if command.text.contains("/crash") {
                // The app answers, then exits; the next command finds it
                // restarted, as the kubelet would.
                kit.wait_for_exit(Duration::from_secs(2));
            }
            Ok(Some(printed))
        }
    }
}

/// Runs one command, made local ([`ReaderShell::script`]), with bash and
/// the variables the page set; returns its standard output and the status
/// of each request it made (`statuses::RECORDER`).
fn run_script(
    kit: &Kit,
    shell: &ReaderShell,
    script: &str,
) -> Result<(String, Vec<(u16, String)>), String> {
    let record = kit.scratch().join("statuses.d");
    std::fs::create_dir_all(&record).map_err(|e| format!("{}: {e}", record.display()))?;
    let _ = std::fs::remove_file(record.join("statuses"));
    let wrapped = format!("{}{script}", statuses::RECORDER);
    let mut child = Process::new("bash")
        .args(["-c", &wrapped])
        .envs(shell.vars())
        .env("GUIDE_CHECK_DIR", &record)
        .current_dir(kit.scratch())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("bash does not start: {e}"))?;
    // Read while it runs: a full pipe would stop it.
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`{script}` did not finish within {} s",
                COMMAND_TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = reader.join().unwrap_or_default();
    let text = std::fs::read_to_string(record.join("statuses")).unwrap_or_default();
    Ok((out, statuses::recorded(&text, &kit.url())))
}
