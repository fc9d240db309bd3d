//! The Redis container's command and probes, run for real: the shell script
//! from redis/deployment.yaml starts a real redis-server (with its paths
//! mapped to a temporary directory and its port to a free one), the probe
//! commands must pass with the password and fail without it, the password
//! must not show in the process list, and SIGTERM must end it cleanly with
//! the append-only file written.

use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Container;
use kit_check::tools::current_test;
use kit_check::yaml::parse;

use crate::common::edited;

const PASSWORD: &str = "probe-test-password";

fn redis_tools_present() -> bool {
    let found = testkit::redis_server().and(testkit::find_on_path("redis-cli"));
    testkit::need(
        &current_test(),
        "redis-server/redis-cli",
        found,
        "install them (Debian: apt-get install redis-server)",
    )
    .is_some()
}

/// The Redis container as the manifest declares it.
fn redis_container(workspace: &kit_check::kustomize::Workspace) -> Container {
    let text = fs::read_to_string(workspace.root().join("redis/deployment.yaml")).unwrap();
    let doc = parse("redis/deployment.yaml", &text).unwrap().remove(0);
    let deployment: Deployment = serde_json::from_value(doc.value).unwrap();
    deployment
        .spec
        .unwrap()
        .template
        .spec
        .unwrap()
        .containers
        .remove(0)
}

/// Replace each mount path by its place under `root`, in one pass.
fn map_paths(text: &str, mounts: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (from, to) in mounts {
            if let Some(after) = rest.strip_prefix(from.as_str()) {
                out.push_str(to);
                rest = after;
                continue 'scan;
            }
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

struct Redis {
    child: Child,
    port: u16,
    mounts: Vec<(String, String)>,
    container: Container,
}

impl Redis {
    /// Start the container's command (check with `listening`).
    fn start(container: Container, root: &Path) -> Redis {
        let mut mounts: Vec<(String, String)> = container
            .volume_mounts
            .iter()
            .flatten()
            .map(|m| {
                let dir = root.join(&m.name);
                fs::create_dir_all(&dir).unwrap();
                (m.mount_path.clone(), dir.to_string_lossy().into_owned())
            })
            .collect();
        mounts.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        fs::write(root.join("auth/REDIS_PASSWORD"), PASSWORD).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let command = container
            .command
            .clone()
            .expect("the Redis container has a command");
        let script = map_paths(command.last().unwrap(), &mounts);
        // Our own port, on loopback only, as the first lines of the config.
        let script = script.replacen(
            "<<EOF\n",
            &format!("<<EOF\nport {port}\nbind 127.0.0.1\n"),
            1,
        );
        assert!(
            script.contains(&format!("port {port}")),
            "the command no longer feeds a heredoc <<EOF"
        );
        let child = Command::new(&command[0])
            .args(&command[1..command.len() - 1])
            .arg(script)
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Redis {
            child,
            port,
            mounts,
            container,
        }
    }

    fn listening(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            sleep(Duration::from_millis(50));
        }
        false
    }

    /// Run one probe's exec command; true when it passes.
    fn probe(&self, which: &str) -> bool {
        let probe = match which {
            "readiness" => &self.container.readiness_probe,
            _ => &self.container.liveness_probe,
        };
        let command = probe
            .as_ref()
            .unwrap()
            .exec
            .as_ref()
            .unwrap()
            .command
            .clone()
            .unwrap();
        let command: Vec<String> = command
            .iter()
            .map(|part| {
                map_paths(part, &self.mounts)
                    .replace("redis-cli", &format!("redis-cli -p {}", self.port))
            })
            .collect();
        Command::new(&command[0])
            .args(&command[1..])
            .output()
            .unwrap()
            .status
            .success()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_redis_command_and_probes_work_with_a_real_redis_server() {
    if !redis_tools_present() {
        return;
    }
    let workspace = edited(&[]);
    let root = tempfile::tempdir().unwrap();
    let mut redis = Redis::start(redis_container(&workspace), root.path());
    assert!(
        redis.listening(),
        "redis-server did not start from the manifest's command"
    );
    assert!(
        redis.probe("readiness"),
        "the readiness probe fails against a healthy Redis"
    );
    assert!(
        redis.probe("liveness"),
        "the liveness probe fails against a healthy Redis"
    );

    // What `ps` would show: the process's command line (`sh` has exec'd
    // redis-server, so the shell script with the password is gone too).
    let cmdline = fs::read(format!("/proc/{}/cmdline", redis.child.id())).unwrap();
    let args = String::from_utf8_lossy(&cmdline).replace('\0', " ");
    assert!(
        args.contains("redis-server") && !args.contains(PASSWORD),
        "the command line is: {args}"
    );

    fs::write(root.path().join("auth/REDIS_PASSWORD"), "wrong-password").unwrap();
    assert!(
        !redis.probe("readiness"),
        "the readiness probe passes with a wrong password"
    );
    assert!(
        !redis.probe("liveness"),
        "the liveness probe passes with a wrong password"
    );

    let term = Command::new("kill")
        .args(["-TERM", &redis.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = redis.child.wait().unwrap();
    assert!(
        status.success(),
        "redis-server did not exit cleanly on SIGTERM: {status}"
    );
    assert!(
        root.path().join("data/appendonlydir").is_dir(),
        "no append-only file in /data"
    );
}

#[test]
fn a_broken_redis_configuration_is_caught() {
    if !redis_tools_present() {
        return;
    }
    let workspace = edited(&[]);
    workspace.replace("redis/deployment.yaml", "appendonly yes", "appendonly yess");
    let root = tempfile::tempdir().unwrap();
    let mut redis = Redis::start(redis_container(&workspace), root.path());
    assert!(
        !redis.listening(),
        "redis-server started with a broken configuration"
    );
    // Redis names the bad line on its output before it exits.
    let mut output = String::new();
    if let Some(mut out) = redis.child.stdout.take() {
        let _ = out.read_to_string(&mut output);
    }
    if let Some(mut err) = redis.child.stderr.take() {
        let _ = err.read_to_string(&mut output);
    }
    assert!(
        output.contains("FATAL CONFIG") && output.contains("appendonly"),
        "redis-server said: {output}"
    );
}
