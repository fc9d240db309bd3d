//! The run: refuse a cluster the kit did not deploy to, run each step of the
//! chapter's Try it in one shell, judge it, print the verdict table.
//!
//! - A step is one command block of the page with the output block after it.
//!   Its commands run one by one (without `--auto`, Enter runs the next).
//! - A command that runs until stopped (`kubectl get -w`, `port-forward`,
//!   `logs -f`, `while true` loops: what the page runs "in a second
//!   terminal") starts in the background; the next steps run meanwhile, as
//!   in the reader's first terminal, and it is stopped once the step after
//!   it has run and it has had at least `--background` seconds. What it
//!   printed is then shown and judged.
//! - Any other command is stopped after `--timeout` seconds, which fails
//!   its step.
//! - At the end: every background command is stopped; the chapter's own
//!   clean-up steps have run (each Try it cleans up after itself or says
//!   that `make reset` does); `--reset` runs `make reset`, and without
//!   `--auto` the runner offers it.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use kit_formats::commands::{Session, one_line, section_lines, sessions, strip_comment};

use crate::chapters::{self, TRY_IT};
use crate::judge::{Shown, Verdict, check_example, check_output, key_words, shows_failure};
use crate::shell::{Background, Shell};

/// The namespace `make deploy` creates and the ConfigMap `make cluster`
/// records: K8S_NAMESPACE and K8S_RECORD in k8s/k8s.mk, repeated here so
/// that the runner needs no make to read them.
const NAMESPACE: &str = "k8s-demo";
const RECORD: &str = "k8s-learning-kit";

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub chapter: String,
    pub auto: bool,
    pub reset: bool,
    pub timeout: Duration,
    pub background: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            root: PathBuf::from("."),
            chapter: String::new(),
            auto: false,
            reset: false,
            timeout: Duration::from_secs(300),
            background: Duration::from_secs(8),
        }
    }
}

/// What one step did.
struct Step<'a> {
    session: &'a Session,
    output: String,
    /// `(command, status)` of every command that exited non-zero.
    failed: Vec<(String, i32)>,
    timed_out: Vec<String>,
    background: bool,
    ran: bool,
}

impl<'a> Step<'a> {
    /// A step not run yet.
    fn new(session: &'a Session) -> Self {
        Step {
            session,
            output: String::new(),
            failed: Vec::new(),
            timed_out: Vec::new(),
            background: false,
            ran: false,
        }
    }
}

struct Paint(bool);

impl Paint {
    fn code(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.code("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.code("2", t)
    }
    fn verdict(&self, v: &Verdict) -> String {
        match v {
            Verdict::Ok => self.code("32", "ok  "),
            Verdict::Warn(_) => self.code("33", "warn"),
            Verdict::Fail(_) => self.code("31", "FAIL"),
        }
    }
}

/// Runs the chapter; the exit status (0 passed, 1 a step failed, 2 refused).
pub fn run(options: &Options) -> u8 {
    let paint = Paint(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none());
    let all = chapters::all(&options.root);
    if all.is_empty() {
        eprintln!(
            "make try reads the guide's pages under docs/, and there are none here: run it from the kit's repository root."
        );
        return 2;
    }
    let list = chapters::list(&all);
    if options.chapter.trim().is_empty() {
        eprintln!("Name the chapter to run: make try CHAPTER=<name>, one of: {list}.");
        return 2;
    }
    let Some(chapter) = chapters::find(&all, &options.chapter) else {
        eprintln!(
            "There is no chapter `{}` in the guide: make try CHAPTER= takes one of: {list}.",
            options.chapter
        );
        return 2;
    };
    let Some(lines) = section_lines(&chapter.text, TRY_IT) else {
        eprintln!(
            "{} has no `## {TRY_IT}` section, so there is nothing to run: make try CHAPTER= takes one of: {list}.",
            chapter.path
        );
        return 2;
    };
    let steps: Vec<Session> = match sessions(&chapter.path, &chapter.text) {
        Ok(s) => s
            .into_iter()
            .filter(|s| lines.contains(&s.block.line) && !s.commands.is_empty())
            .collect(),
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    if steps.is_empty() {
        eprintln!(
            "{}'s `## {TRY_IT}` has no command block to run: make try CHAPTER= takes one of: {list}.",
            chapter.path
        );
        return 2;
    }
    if let Err(why) = kit_cluster() {
        eprintln!("{why}");
        return 2;
    }
    let flavour = current_flavour();

    let dir = std::env::temp_dir().join(format!("kit-try-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut shell = match Shell::start(&options.root, &dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    shell.echo = true;
    let interactive = !options.auto && std::io::stdin().is_terminal();
    println!(
        "{} {} ({} steps, the commands of its {TRY_IT} as the page writes them)",
        paint.bold("make try:"),
        chapter.path,
        steps.len()
    );
    if let Some(start) = starts_from(&chapter.text, &lines) {
        println!("{}", paint.dim(&start));
    }
    if !options.auto && !interactive {
        println!("(stdin is not a terminal: running every step, as with AUTO=1)");
    }
    println!(
        "{}",
        paint.dim(&format!(
            "Commands that run until stopped (watches, port-forwards, loops) run in the background \
             while the next steps run, and are stopped after at least {} s; any other command is \
             stopped after {} s.",
            options.background.as_secs(),
            options.timeout.as_secs()
        ))
    );

    let mut done: Vec<Step> = Vec::new();
    // (step index, job, the step index after which it may stop)
    let mut jobs: Vec<(usize, Background, usize)> = Vec::new();
    let mut stopped_by_reader = false;
    'steps: for (i, session) in steps.iter().enumerate() {
        println!(
            "\n{} {}",
            paint.bold(&format!("── step {}/{}", i + 1, steps.len())),
            paint.dim(&format!("{}:{}", chapter.path, session.block.line))
        );
        let mut step = Step::new(session);
        for command in &session.commands {
            println!("{} {}", paint.code("36", "$"), command.text.trim_end());
            if interactive {
                match prompt("  [Enter] run it, s skip it, q stop here: ") {
                    Answer::Run => {}
                    Answer::Skip => continue,
                    Answer::Stop => {
                        stopped_by_reader = true;
                        done.push(step);
                        break 'steps;
                    }
                }
            }
            let flavours = flavours_of(&command.text);
            if !flavours.is_empty() && !flavour.is_some_and(|f| flavours.contains(&f)) {
                println!(
                    "{}",
                    paint.dim(&format!(
                        "  (written for {} only: not run on this cluster)",
                        flavours.join(", ")
                    ))
                );
                continue;
            }
            step.ran = true;
            if runs_until_stopped(&one_line(&command.text)) {
                match shell.start_background(&command.text) {
                    Ok(job) => {
                        println!(
                            "{}",
                            paint.dim(
                                "  (runs until stopped: started in the background; the next steps run meanwhile)"
                            )
                        );
                        step.background = true;
                        jobs.push((i, job, i + 1));
                    }
                    Err(e) => {
                        eprintln!("{e}");
                        return 1;
                    }
                }
                continue;
            }
            match shell.run(&command.text, options.timeout) {
                Ok(ran) => {
                    if !ran.output.is_empty() && !ran.output.ends_with('\n') {
                        println!();
                    }
                    step.output.push_str(&ran.output);
                    if !step.output.is_empty() && !step.output.ends_with('\n') {
                        step.output.push('\n');
                    }
                    match ran.status {
                        Some(0) => {}
                        Some(n) => step.failed.push((one_line(&command.text), n)),
                        None => {
                            println!(
                                "{}",
                                paint.code(
                                    "31",
                                    &format!(
                                        "  (stopped: it ran longer than {} s)",
                                        options.timeout.as_secs()
                                    )
                                )
                            );
                            step.timed_out.push(one_line(&command.text));
                        }
                    }
                }
                Err(e) => {
                    eprintln!("{e}: the steps after this one are not run");
                    step.failed.push((one_line(&command.text), -1));
                    done.push(step);
                    break 'steps;
                }
            }
        }
        done.push(step);
        // Background commands whose following step has run.
        let (due, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut jobs)
            .into_iter()
            .partition(|(_, _, after)| *after <= i);
        jobs = keep;
        for (at, job, _) in due {
            stop_job(&mut shell, &paint, &mut done, at, &job, options.background);
        }
    }
    for (at, job, _) in std::mem::take(&mut jobs) {
        stop_job(&mut shell, &paint, &mut done, at, &job, options.background);
    }
    // Steps not reached (stopped by the reader, or the shell was lost).
    for session in &steps[done.len()..] {
        done.push(Step::new(session));
    }

    let verdicts: Vec<Verdict> = done.iter().map(judge).collect();
    print_table(&paint, &chapter.path, &done, &verdicts);
    let failed = verdicts.iter().any(|v| matches!(v, Verdict::Fail(_)));
    println!();
    if stopped_by_reader || failed {
        println!(
            "The cluster may be halfway through this chapter: make reset brings the kit back to the \
             walkthrough's start (5 app pods, no HPA, no example objects, nodes schedulable)."
        );
    } else {
        println!(
            "The chapter's own clean-up steps have run, so the next chapter can start; make reset \
             brings the kit back to the walkthrough's start if anything else changed."
        );
    }
    let reset = options.reset || (interactive && prompt_yes("Run make reset now? [y/N] "));
    if reset {
        println!("{} make reset", paint.code("36", "$"));
        match shell.run("make reset", Duration::from_secs(600)) {
            Ok(ran) if ran.status == Some(0) => {}
            _ => {
                eprintln!(
                    "make reset did not finish: the cluster is not back at the walkthrough's start."
                );
                drop(shell);
                let _ = std::fs::remove_dir_all(&dir);
                return 1;
            }
        }
    }
    drop(shell);
    let _ = std::fs::remove_dir_all(&dir);
    u8::from(failed)
}

/// The cluster is one `make cluster` made and `make deploy` deployed to.
fn kit_cluster() -> Result<(), String> {
    let kubectl = std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into());
    let ask = |args: &[&str]| {
        std::process::Command::new(&kubectl)
            .args(["--request-timeout=10s"])
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    };
    match ask(&["--namespace", "kube-public", "get", "configmap", RECORD]) {
        Err(_) => {
            return Err(format!(
                "{kubectl} is missing: install it from https://kubernetes.io/docs/tasks/tools/ (make doctor checks what following along needs)."
            ));
        }
        Ok(s) if !s.success() => {
            return Err(format!(
                "make try runs only on a cluster the kit made and deployed to, and the current context has no ConfigMap kube-public/{RECORD} (make cluster records it): run make cluster, then make deploy."
            ));
        }
        Ok(_) => {}
    }
    match ask(&["--namespace", NAMESPACE, "get", "deployment", "demo-app"]) {
        Ok(s) if s.success() => Ok(()),
        _ => Err(format!(
            "make try runs only on a cluster the kit deployed to, and the current context has no deployment demo-app in namespace {NAMESPACE}: run make deploy."
        )),
    }
}

/// The flavour of the current context, as `make cluster` names them
/// (kind-*, k3d-*, minikube, docker-desktop), or None for another.
fn current_flavour() -> Option<&'static str> {
    let kubectl = std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into());
    let out = std::process::Command::new(kubectl)
        .args(["config", "current-context"])
        .output()
        .ok()?;
    let context = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    match context.as_str() {
        c if c.starts_with("kind-") => Some("kind"),
        c if c.starts_with("k3d-") => Some("k3d"),
        "minikube" => Some("minikube"),
        "docker-desktop" => Some("docker-desktop"),
        _ => None,
    }
}

/// The flavours a command is written for, when the page says so: it runs
/// the flavour's own tool (`minikube ssh ...`), sets `FLAVOUR=k3d`, or its
/// comment names flavours (`# minikube only`, `# kind and k3d`); empty for
/// a command every cluster runs.
pub fn flavours_of(command: &str) -> Vec<&'static str> {
    const ALL: [&str; 4] = ["kind", "k3d", "minikube", "docker-desktop"];
    let code = strip_comment(command);
    let comment = command
        .lines()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let comment = comment
        .get(code.split_whitespace().collect::<Vec<_>>().join(" ").len()..)
        .unwrap_or("")
        .to_lowercase()
        .replace("docker desktop", "docker-desktop");
    let first = code.split_whitespace().next().unwrap_or("");
    let mut found: Vec<&'static str> = ALL
        .into_iter()
        .filter(|f| {
            first == *f
                || code.contains(&format!("FLAVOUR={f}"))
                || comment
                    .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .any(|w| w == *f)
        })
        .collect();
    found.dedup();
    found
}

/// Does the command put something in the background itself (`cmd &`,
/// `... & PF=$!`)? Then it runs as written: the page stops it itself.
fn backgrounds_itself(command: &str) -> bool {
    let code = strip_comment(command);
    let chars: Vec<char> = code.chars().collect();
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '&' => {
                let before = i.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(i + 1).copied();
                let operator = before == Some('&')
                    || after == Some('&')
                    || matches!(before, Some('>' | '<'))
                    || after == Some('>');
                if !operator {
                    return true;
                }
            }
            None => {}
        }
    }
    false
}

/// Does this command run until Ctrl-C (and not put itself in the background)?
pub fn runs_until_stopped(command: &str) -> bool {
    if command.starts_with("while true")
        || command.starts_with("while :")
        || command.starts_with("watch ")
    {
        return true;
    }
    if backgrounds_itself(command) {
        return false;
    }
    let words: Vec<&str> = command.split_whitespace().collect();
    let has = |w: &str| words.contains(&w);
    let kubectl = has("kubectl");
    let follows = has("-f") || has("--follow");
    let watches = has("-w") || has("--watch") || has("--watch-only");
    (kubectl && (watches || has("port-forward") || (has("logs") && follows)))
        || (has("make") && has("logs"))
        || (has("minikube") && has("tunnel"))
}

fn stop_job(
    shell: &mut Shell,
    paint: &Paint,
    done: &mut [Step],
    at: usize,
    job: &Background,
    at_least: Duration,
) {
    let ran_for = job.started.elapsed();
    if ran_for < at_least {
        std::thread::sleep(at_least - ran_for);
    }
    let printed = shell.stop_background(job);
    println!(
        "{}",
        paint.dim(&format!(
            "  (stopped the background command of step {} after {} s; it printed:)",
            at + 1,
            job.started.elapsed().as_secs()
        ))
    );
    for line in printed.lines() {
        println!("  {line}");
    }
    if let Some(step) = done.get_mut(at) {
        step.output.push_str(&printed);
    }
}

fn judge(step: &Step) -> Verdict {
    if !step.ran {
        return Verdict::Warn(
            "not run (skipped, or written for another flavour of cluster)".into(),
        );
    }
    let (shown, kind) = shown(step.session);
    if let Some(command) = step.timed_out.first() {
        return Verdict::Fail(format!(
            "`{command}` did not end by itself; check what it waits for (kubectl -n {NAMESPACE} get pods, get events)"
        ));
    }
    if let Some((command, status)) = step.failed.first()
        && !shown.is_some_and(shows_failure)
    {
        return Verdict::Fail(format!(
            "`{command}` exited with status {status}, and the page shows no failure here: read its output above"
        ));
    }
    match (shown, kind) {
        (Some(text), Some(Shown::Output)) => check_output(text, &step.output),
        (Some(text), Some(Shown::Example)) => check_example(text, &step.output),
        _ => Verdict::Ok,
    }
}

fn shown(session: &Session) -> (Option<&str>, Option<Shown>) {
    match (&session.output, &session.example) {
        (Some(b), _) => (Some(b.body.as_str()), Some(Shown::Output)),
        (None, Some(b)) => (Some(b.body.as_str()), Some(Shown::Example)),
        _ => (None, None),
    }
}

fn print_table(paint: &Paint, path: &str, done: &[Step], verdicts: &[Verdict]) {
    println!("\n{}", paint.bold(&format!("Verdict for {path}")));
    println!("{}", paint.dim(" step  line   verdict  commands"));
    for (i, (step, verdict)) in done.iter().zip(verdicts).enumerate() {
        let first = step
            .session
            .commands
            .first()
            .map(|c| one_line(&c.text))
            .unwrap_or_default();
        let more = match step.session.commands.len() {
            0 | 1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        let bg = if step.background { " [background]" } else { "" };
        println!(
            " {:>4}  {:<5}  {}     {}{more}{bg}",
            i + 1,
            step.session.block.line,
            paint.verdict(verdict),
            short(&first, 70)
        );
        if !step.ran {
            println!("        not run");
            continue;
        }
        if let Verdict::Warn(hint) | Verdict::Fail(hint) = verdict {
            let (shown, kind) = shown(step.session);
            let expected = match (shown, kind) {
                (Some(text), Some(Shown::Example)) => {
                    let words = key_words(text);
                    let header = text.lines().find(|l| crate::judge::is_header(l));
                    let mut parts = Vec::new();
                    if let Some(h) = header {
                        parts.push(format!(
                            "header `{}`",
                            h.split_whitespace().collect::<Vec<_>>().join(" ")
                        ));
                    }
                    if !words.is_empty() {
                        parts.push(format!("words {}", words.join(", ")));
                    }
                    if parts.is_empty() {
                        format!("example: {}", first_lines(text))
                    } else {
                        format!("example with {}", parts.join("; "))
                    }
                }
                (Some(text), _) => format!("output: {}", first_lines(text)),
                _ => "success (exit status 0)".into(),
            };
            println!("        expected: {expected}");
            println!("        seen:     {}", first_lines(&step.output));
            println!("        hint:     {hint}");
        }
    }
}

fn first_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return "(nothing)".into();
    }
    let shown: Vec<String> = lines.iter().take(2).map(|l| short(l.trim(), 60)).collect();
    let more = if lines.len() > 2 {
        format!(" … ({} lines)", lines.len())
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(" ⏎ "))
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// The Try it's `**Starts from:**` paragraph, on one line.
fn starts_from(text: &str, lines: &std::ops::Range<usize>) -> Option<String> {
    let body: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| lines.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect();
    let at = body
        .iter()
        .position(|l| l.starts_with("**Starts from:**"))?;
    let paragraph: Vec<&str> = body[at..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .copied()
        .collect();
    Some(paragraph.join(" ").replace("**", ""))
}

enum Answer {
    Run,
    Skip,
    Stop,
}

fn prompt(question: &str) -> Answer {
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).unwrap_or(0) == 0 {
        return Answer::Stop;
    }
    match line.trim() {
        "s" | "S" => Answer::Skip,
        "q" | "Q" => Answer::Stop,
        _ => Answer::Run,
    }
}

fn prompt_yes(question: &str) -> bool {
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).is_ok() && matches!(line.trim(), "y" | "Y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_written_for_one_flavour() {
        assert_eq!(
            flavours_of("minikube ssh -n minikube-m02 -- sudo crictl ps"),
            ["minikube"]
        );
        assert_eq!(
            flavours_of("docker stop k8s-demo-worker   # kind"),
            ["kind"]
        );
        assert_eq!(
            flavours_of("docker stop k3d-k8s-demo-agent-0   # k3d only"),
            ["k3d"]
        );
        assert_eq!(
            flavours_of("make cluster FLAVOUR=docker-desktop"),
            ["docker-desktop"]
        );
        assert_eq!(
            flavours_of("kubectl get pods   # on Docker Desktop: one node"),
            ["docker-desktop"]
        );
        assert!(flavours_of("kubectl -n k8s-demo get pods -o wide").is_empty());
        assert!(flavours_of("KEY=greeting   # any key you like").is_empty());
        assert!(flavours_of("kubectl get nodes   # three on kind, k3d and minikube").len() == 3);
    }

    #[test]
    fn what_runs_until_stopped() {
        for c in [
            "kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -w",
            "kubectl -n k8s-demo get events --watch",
            "kubectl -n k8s-demo port-forward svc/demo-app 8081:80",
            "kubectl -n k8s-demo logs -f deploy/demo-app",
            "while true; do curl -sS \"$APP/\"; echo; sleep 0.5; done",
            "make logs",
        ] {
            assert!(runs_until_stopped(c), "{c}");
        }
        for c in [
            "kubectl -n k8s-demo get pods -o wide",
            "curl -sS -o /dev/null -w '%{http_code}\\n' \"$APP/ready\"",
            "kubectl -n k8s-demo logs deploy/demo-app --tail=5",
            "for i in $(seq 1 10); do curl -sS \"$APP/\"; done",
            "kubectl -n k8s-demo port-forward \"$POD\" 8081:8000 >/dev/null 2>&1 & PF=$!",
            "for i in 1 2 3 4; do curl -sS \"$APP/stress?seconds=30\" > /dev/null & done",
        ] {
            assert!(!runs_until_stopped(c), "{c}");
        }
    }
}
