//! One bash for the whole Try it, started in the repository root, so what a
//! step sets (`APP=$(make url)`, `POD=...`) is there for the next, as in the
//! reader's terminal. Each command runs in it with stdin from /dev/null;
//! what it prints (stdout and stderr, in order) is shown as it comes and
//! kept for the verdict.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// What one command did.
#[derive(Debug, Clone)]
pub struct Ran {
    pub output: String,
    /// The exit status; None when it was stopped at its timeout.
    pub status: Option<i32>,
}

/// A command started in the background (a watch, a port-forward, a loop).
#[derive(Debug)]
pub struct Background {
    pub pid: u32,
    pub log: PathBuf,
    pub started: Instant,
}

pub struct Shell {
    child: Child,
    stdin: ChildStdin,
    out: Receiver<Vec<u8>>,
    pending: Vec<u8>,
    marker: String,
    dir: PathBuf,
    count: usize,
    /// Background commands still running (kept when a foreground one is stopped).
    background: Vec<u32>,
    /// How much of `pending` has been shown already.
    shown: usize,
    /// Live copy of everything a foreground command prints.
    pub echo: bool,
}

impl Shell {
    /// bash in `root`, its logs in `dir`.
    pub fn start(root: &Path, dir: &Path) -> Result<Shell, String> {
        let mut child = Command::new("bash")
            .args(["--noprofile", "--norc"])
            .current_dir(root)
            // The page's `make url` must run as the reader's does, not as a
            // sub-make of `make try` (which would print "Entering directory").
            .env_remove("MAKEFLAGS")
            .env_remove("MFLAGS")
            .env_remove("MAKELEVEL")
            .env_remove("MAKEOVERRIDES")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("bash does not start ({e}): install bash"))?;
        let stdin = child.stdin.take().ok_or("bash has no stdin")?;
        let mut stdout = child.stdout.take().ok_or("bash has no stdout")?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let marker = format!("__kit_try_{}_{}__", std::process::id(), nanos());
        let mut shell = Shell {
            child,
            stdin,
            out: rx,
            pending: Vec::new(),
            marker,
            dir: dir.to_owned(),
            count: 0,
            background: Vec::new(),
            shown: 0,
            echo: false,
        };
        // stderr with stdout, in order, as a terminal shows them.
        shell.send("exec 2>&1\n")?;
        Ok(shell)
    }

    fn send(&mut self, script: &str) -> Result<(), String> {
        self.stdin
            .write_all(script.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|_| "the shell has ended (a command ran `exit`?)".to_string())
    }

    /// Runs `command` in the foreground; stopped (with every process it
    /// started) after `timeout`.
    pub fn run(&mut self, command: &str, timeout: Duration) -> Result<Ran, String> {
        let script = format!(
            "{{ {command}\n}} </dev/null; printf '\\n%s %d\\n' {m} \"$?\"\n",
            m = self.marker
        );
        self.send(&script)?;
        let deadline = Instant::now() + timeout;
        match self.read_until_marker(Some(deadline))? {
            Some((output, status)) => Ok(Ran {
                output,
                status: Some(status),
            }),
            None => {
                // Timed out: stop what bash started, then take what it printed.
                self.stop_children();
                let (output, _) = self
                    .read_until_marker(Some(Instant::now() + Duration::from_secs(10)))?
                    .ok_or(
                        "the shell did not come back after the command was stopped (a loop that never ends by itself?)",
                    )?;
                Ok(Ran {
                    output,
                    status: None,
                })
            }
        }
    }

    /// Starts `command` in the background, its output to a file.
    pub fn start_background(&mut self, command: &str) -> Result<Background, String> {
        self.count += 1;
        let log = self.dir.join(format!("background-{}.log", self.count));
        let script = format!(
            "{{ {command}\n}} </dev/null >'{log}' 2>&1 & printf '\\n%s %d\\n' {m} \"$!\"\n",
            log = log.display(),
            m = self.marker
        );
        self.send(&script)?;
        let (_, pid) = self
            .read_until_marker(Some(Instant::now() + Duration::from_secs(10)))?
            .ok_or("the shell does not answer")?;
        self.background.push(pid as u32);
        Ok(Background {
            pid: pid as u32,
            log,
            started: Instant::now(),
        })
    }

    /// Stops a background command (and what it started); what it printed.
    pub fn stop_background(&mut self, job: &Background) -> String {
        kill_tree(job.pid);
        self.background.retain(|p| *p != job.pid);
        // Let bash reap it (it alone: the other background jobs run on).
        let _ = self.run(
            &format!("wait {} 2>/dev/null; :", job.pid),
            Duration::from_secs(10),
        );
        std::fs::read_to_string(&job.log).unwrap_or_default()
    }

    /// Every process bash started in the foreground.
    fn stop_children(&self) {
        let table = process_table();
        for (pid, ppid) in &table {
            if *ppid == self.child.id() && !self.background.contains(pid) {
                kill_tree_in(&table, *pid);
            }
        }
    }

    /// Reads until the marker line; `(output before it, its number)`, or
    /// None at the deadline.
    fn read_until_marker(
        &mut self,
        deadline: Option<Instant>,
    ) -> Result<Option<(String, i32)>, String> {
        let needle = format!("\n{} ", self.marker);
        loop {
            let shown = self.shown;
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            if let Some(at) = text.find(&needle)
                && let Some(end) = text[at + needle.len()..].find('\n')
            {
                let number = text[at + needle.len()..at + needle.len() + end]
                    .trim()
                    .parse()
                    .unwrap_or(-1);
                if self.echo && shown < at {
                    print_live(&text[shown..at]);
                }
                let output = text[..at].to_owned();
                let rest = at + needle.len() + end + 1;
                self.pending = text.as_bytes()[rest..].to_vec();
                self.shown = 0;
                return Ok(Some((output, number)));
            }
            // Show what came, but not a partial marker.
            if self.echo {
                let safe = text.rfind('\n').unwrap_or(0);
                if safe > shown {
                    print_live(&text[shown..safe]);
                    self.shown = safe;
                }
            }
            let wait = match deadline {
                Some(d) => d.saturating_duration_since(Instant::now()),
                None => Duration::from_secs(3600),
            };
            if wait.is_zero() {
                return Ok(None);
            }
            match self.out.recv_timeout(wait.min(Duration::from_millis(200))) {
                Ok(chunk) => self.pending.extend(chunk),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the shell has ended (a command ran `exit`?)".into());
                }
            }
        }
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        self.stop_children();
        for pid in std::mem::take(&mut self.background) {
            kill_tree(pid);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn print_live(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// `(pid, parent pid)` of every process, from `ps` (Linux and macOS).
fn process_table() -> Vec<(u32, u32)> {
    let Ok(out) = Command::new("ps")
        .args(["-A", "-o", "pid=", "-o", "ppid="])
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.parse().ok()?, w.next()?.parse().ok()?))
        })
        .collect()
}

/// Stops `pid` and every process under it.
pub fn kill_tree(pid: u32) {
    kill_tree_in(&process_table(), pid);
}

fn kill_tree_in(table: &[(u32, u32)], pid: u32) {
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(table.iter().filter(|(_, p)| *p == parent).map(|(c, _)| *c));
        i += 1;
    }
    let pids: Vec<String> = tree.iter().map(u32::to_string).collect();
    let _ = Command::new("kill")
        .arg("-TERM")
        .args(&pids)
        .stderr(Stdio::null())
        .status();
}
