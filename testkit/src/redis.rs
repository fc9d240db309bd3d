//! A real `redis-server` for one test: its own port, its own directory, no
//! persistence (or, with [`Redis::start_persistent`], an append-only file),
//! a password. Stop it, start it again on the same port, freeze it
//! (SIGSTOP) or pause its clients (`CLIENT PAUSE`) to test outages.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// A running redis-server, killed on drop.
pub struct Redis {
    port: u16,
    password: String,
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// Writes an append-only file in `dir` (see [`Redis::start_persistent`]).
    append_only: bool,
}

impl Redis {
    /// Starts redis-server on a port of its own, requiring `password`.
    /// Panics if it cannot start (check [`crate::redis_server`] first to
    /// apply the skip policy).
    ///
    /// A port from the OS (bind to port 0, read it, release it) can be
    /// taken by another process before Redis binds it, so the start is
    /// checked by asking this Redis for PONG with this password, and
    /// retried on a new port if it is not ours.
    pub fn start(password: &str) -> Redis {
        Redis::start_with(password, false)
    }

    /// Like [`Redis::start`], with an append-only file (fsync on every
    /// write) in its own directory, so the data survives
    /// [`Redis::stop`] + [`Redis::start_again`], as it does on a volume
    /// when a Redis pod is replaced.
    pub fn start_persistent(password: &str) -> Redis {
        Redis::start_with(password, true)
    }

    fn start_with(password: &str, append_only: bool) -> Redis {
        let dir = tempfile::Builder::new()
            .prefix("testkit-redis-")
            .tempdir()
            .expect("a temporary directory for redis-server");
        let mut redis = Redis {
            port: 0,
            password: password.to_owned(),
            dir,
            child: None,
            append_only,
        };
        for _ in 0..5 {
            redis.port = unused_port();
            if redis.spawn() {
                return redis;
            }
        }
        panic!("redis-server did not start on any of 5 ports");
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn password(&self) -> &str {
        &self.password
    }

    /// Kills Redis: clients see the connection drop and new ones refused.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // A frozen process must be thawed to die promptly.
            let _ = kill(pid(&child), Signal::SIGCONT);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// True between a start and a [`Redis::stop`].
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// Starts Redis again on the same port (after [`Redis::stop`]): empty,
    /// or with its data if started with [`Redis::start_persistent`].
    pub fn start_again(&mut self) {
        self.stop();
        assert!(
            self.spawn(),
            "redis-server did not start again on port {}",
            self.port
        );
    }

    /// SIGSTOP: the socket stays open and nothing answers (a hung Redis).
    pub fn pause(&self) {
        let _ = kill(pid(self.running()), Signal::SIGSTOP);
    }

    /// SIGCONT after [`Redis::pause`].
    pub fn resume(&self) {
        let _ = kill(pid(self.running()), Signal::SIGCONT);
    }

    /// `CLIENT PAUSE millis ALL`: Redis keeps every connection and answers
    /// nothing for `millis` ms, then carries on by itself (a slow Redis
    /// that recovers, unlike [`Redis::pause`], which needs a resume).
    pub fn client_pause(&self, millis: u64) -> Result<(), String> {
        let millis = millis.to_string();
        if ask(
            self.port,
            &self.password,
            &["CLIENT", "PAUSE", &millis, "ALL"],
            b"+OK\r\n",
        ) {
            Ok(())
        } else {
            Err(format!(
                "redis-server on port {} refused CLIENT PAUSE {millis} ALL",
                self.port
            ))
        }
    }

    fn running(&self) -> &Child {
        self.child.as_ref().expect("redis-server is running")
    }

    /// Spawns redis-server on `self.port`; true once it answers PING.
    fn spawn(&mut self) -> bool {
        let mut child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--requirepass", &self.password])
            .args(["--save", ""])
            .args(if self.append_only {
                ["--appendonly", "yes", "--appendfsync", "always"].as_slice()
            } else {
                ["--appendonly", "no"].as_slice()
            })
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (is it installed? apt-get install redis-server)");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_exited)) = child.try_wait() {
                return false; // e.g. the port was taken
            }
            if answers_pong(self.port, &self.password) {
                self.child = Some(child);
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn pid(child: &Child) -> Pid {
    Pid::from_raw(child.id() as i32)
}

/// A port nobody listens on right now (bind port 0, read it, let it go):
/// another process may take it before the caller binds it, so check that
/// what answers there is yours (as [`Redis::start`] does).
pub fn unused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("the OS hands out a port")
}

/// True if a Redis with this password answers on `port`.
fn answers_pong(port: u16, password: &str) -> bool {
    ask(port, password, &["PING"], b"+PONG\r\n")
}

/// Sends AUTH then `command` (RESP); true if the answers are `+OK` and
/// then `reply`.
fn ask(port: u16, password: &str, command: &[&str], reply: &[u8]) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut request = resp(&["AUTH", password]);
    request.push_str(&resp(command));
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let expected = [b"+OK\r\n".as_slice(), reply].concat();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 64];
    while answer.len() < expected.len() {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return false,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    answer.starts_with(&expected)
}

/// One command in RESP, the protocol redis-server reads.
fn resp(words: &[&str]) -> String {
    let mut text = format!("*{}\r\n", words.len());
    for word in words {
        text.push_str(&format!("${}\r\n{word}\r\n", word.len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_stops_and_starts_again_on_the_same_port() {
        if crate::need(
            module_path!(),
            "redis-server",
            crate::redis_server(),
            "apt-get install redis-server",
        )
        .is_none()
        {
            return;
        }
        let mut redis = Redis::start("pw");
        let port = redis.port();
        assert!(answers_pong(port, "pw"));
        assert!(!answers_pong(port, "wrong"), "the password is required");
        redis.stop();
        assert!(!answers_pong(port, "pw"));
        redis.start_again();
        assert_eq!(redis.port(), port);
        assert!(answers_pong(port, "pw"));
    }

    #[test]
    fn a_persistent_redis_keeps_its_data_across_a_restart_and_pauses_clients() {
        let test = module_path!();
        if crate::need_on_path(test, "redis-server", "apt-get install redis-server").is_none() {
            return;
        }
        let mut redis = Redis::start_persistent("pw");
        let port = redis.port();
        assert!(ask(port, "pw", &["SET", "k", "v"], b"+OK\r\n"));
        redis.stop();
        assert!(!redis.is_running());
        redis.start_again();
        assert!(redis.is_running());
        assert!(
            ask(port, "pw", &["GET", "k"], b"$1\r\nv\r\n"),
            "the data survived"
        );

        redis.client_pause(300).unwrap();
        let paused = std::time::Instant::now();
        assert!(answers_pong(port, "pw"), "Redis answers again by itself");
        assert!(
            paused.elapsed() >= Duration::from_millis(200),
            "PING waited for the pause"
        );
    }
}
