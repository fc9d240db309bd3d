//! The kit on one machine: a real `redis-server` (testkit's, with an
//! append-only file so its data survives a restart as it does on the kit's
//! volume) and the real demo-app binary with the kit's
//! settings: the environment the Deployment gives the container, read from
//! `k8s/app/` (the ConfigMap through `envFrom`, the `env` list, the
//! Downward API values computed from the pod spec). Only what cannot be the
//! same on one machine differs, and [`Kit::stand_ins`] says what.

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Container, EnvVarSource, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kit_check::objects::Objects;

use crate::expect::StandIns;

/// Made-up facts a cluster would give the pod (the page shows placeholders).
const POD_NAME: &str = "demo-app-5f8d9c7b6a-local";
const POD_IP: &str = "10.1.0.31";
const NODE_NAME: &str = "local-node";

/// The demo-app container's environment as the kit's manifests define it,
/// with the values a cluster would fill in, plus the secrets to generate.
#[derive(Debug, Clone)]
pub struct KitEnv {
    /// Name → value, before the local stand-ins.
    pub vars: BTreeMap<String, String>,
    /// The variables whose value comes from a Secret (generated here).
    pub secrets: Vec<String>,
    /// The demo users `make deploy` generates (from `k8s/k8s.mk`).
    pub user_names: Vec<String>,
}

/// Reads the demo-app Deployment and its ConfigMap under `root/k8s/app`.
pub fn kit_env(root: &Path) -> Result<KitEnv, String> {
    let mut docs = Vec::new();
    for file in kit_check::paths::yaml_files(&root.join("k8s/app")) {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        docs.extend(kit_check::yaml::parse(&file.display().to_string(), &text)?);
    }
    let objects = Objects::from_documents(&docs)?;
    let workload = objects
        .workloads
        .iter()
        .find(|w| w.kind == "Deployment" && w.name == "demo-app")
        .ok_or("k8s/app has no Deployment demo-app")?;
    let spec = workload.template.spec.as_ref().ok_or("no pod spec")?;
    let container = spec
        .containers
        .iter()
        .find(|c| c.name == "demo-app")
        .ok_or("no container demo-app")?;
    let mut vars = BTreeMap::new();
    let mut secrets = Vec::new();
    for from in container.env_from.iter().flatten() {
        if let Some(cm) = &from.config_map_ref {
            let map = objects
                .config_map(&workload.namespace, &cm.name)
                .ok_or_else(|| format!("no ConfigMap {}", cm.name))?;
            for (k, v) in map.data.iter().flatten() {
                vars.insert(k.clone(), v.clone());
            }
        }
    }
    for env in container.env.iter().flatten() {
        let value = match (&env.value, &env.value_from) {
            (Some(v), _) => v.clone(),
            (None, Some(source)) => match downward(source, &workload.namespace, container)? {
                Some(v) => v,
                None => {
                    secrets.push(env.name.clone());
                    continue;
                }
            },
            (None, None) => String::new(),
        };
        vars.insert(env.name.clone(), value);
    }
    Ok(KitEnv {
        vars,
        secrets,
        user_names: demo_user_names(root),
    })
}

/// The value a Downward API source gives, `None` for a Secret.
fn downward(
    source: &EnvVarSource,
    namespace: &str,
    container: &Container,
) -> Result<Option<String>, String> {
    if source.secret_key_ref.is_some() {
        return Ok(None);
    }
    if let Some(field) = &source.field_ref {
        return Ok(Some(
            match field.field_path.as_str() {
                "metadata.name" => POD_NAME,
                "metadata.namespace" => namespace,
                "status.podIP" => POD_IP,
                "spec.nodeName" => NODE_NAME,
                other => return Err(format!("fieldRef {other} has no local value")),
            }
            .to_owned(),
        ));
    }
    if let Some(resource) = &source.resource_field_ref {
        let resources = container.resources.clone().unwrap_or_default();
        let divisor = resource
            .divisor
            .as_ref()
            .map(|q| q.0.as_str())
            .unwrap_or("1");
        return Ok(Some(resource_value(
            &resources,
            &resource.resource,
            divisor,
        )?));
    }
    Err("an env source this check does not know".into())
}

/// `requests.cpu` with divisor `1m` → `50` for `cpu: 50m`, as the kubelet
/// computes it (rounded up).
fn resource_value(
    resources: &ResourceRequirements,
    which: &str,
    divisor: &str,
) -> Result<String, String> {
    let (group, name) = which.split_once('.').ok_or("bad resource name")?;
    let map = match group {
        "requests" => &resources.requests,
        "limits" => &resources.limits,
        _ => return Err(format!("unknown resource group {group}")),
    };
    let quantity = map
        .as_ref()
        .and_then(|m| m.get(name))
        .ok_or_else(|| format!("{which} is not set"))?;
    let value = quantity_value(quantity)?;
    let divisor = quantity_value(&Quantity(divisor.to_owned()))?;
    Ok(((value / divisor).ceil() as u64).to_string())
}

/// A Kubernetes quantity as a number (`50m` → 0.05, `64Mi` → 67108864).
pub fn quantity_value(quantity: &Quantity) -> Result<f64, String> {
    let text = quantity.0.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("quantity {text:?} is not a number"))?;
    let factor = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("quantity suffix {other:?} is not handled")),
    };
    Ok(number * factor)
}

/// The demo users `make secrets` generates: `DEMO_USERS=alice:…,bob:…` in
/// `k8s/k8s.mk`.
fn demo_user_names(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("k8s/k8s.mk")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.split_once("DEMO_USERS=").map(|(_, rest)| rest.to_owned()))
        .map(|rest| {
            rest.split(',')
                .filter_map(|pair| pair.split_once(':').map(|(name, _)| name.trim().to_owned()))
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric()))
                .collect()
        })
        .unwrap_or_default()
}

/// The demo-app binary `make test-guide` builds (`cargo build -p demo-app`),
/// or the skip policy applied for `test` (see testkit). `DEMO_APP_BIN`
/// overrides it.
pub fn demo_app_binary(test: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DEMO_APP_BIN") {
        return Some(PathBuf::from(path));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| testkit::repo_root().join("target"));
    let path = target.join("debug/demo-app");
    testkit::need(
        test,
        &format!("the demo-app binary ({})", path.display()),
        path.is_file().then_some(path.clone()),
        "run `make test-guide`, or `cargo build -p demo-app` first",
    )
}

fn wait_for_port(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// The redis-server and the demo-app of one page's run, stopped on drop.
pub struct Kit {
    binary: PathBuf,
    dir: tempfile::TempDir,
    env: KitEnv,
    /// ConfigMap changes made by the page (`kubectl patch configmap`), read
    /// by the app at its next start, as in the cluster.
    pub pending: BTreeMap<String, String>,
    /// Values the running app was started with (after `pending`).
    current: BTreeMap<String, String>,
    /// Demo user → password.
    pub passwords: BTreeMap<String, String>,
    pub app_port: u16,
    redis: testkit::Redis,
    app: Option<Child>,
}

impl Kit {
    pub fn start(binary: &Path, env: &KitEnv) -> Result<Kit, String> {
        let dir = tempfile::Builder::new()
            .prefix("guide-check-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let passwords: BTreeMap<String, String> = env
            .user_names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), format!("guide-check-pw-{i}")))
            .collect();
        let mut kit = Kit {
            binary: binary.to_owned(),
            dir,
            env: env.clone(),
            pending: BTreeMap::new(),
            current: BTreeMap::new(),
            passwords,
            app_port: testkit::unused_port(),
            redis: testkit::Redis::start_persistent("guide-check-redis"),
            app: None,
        };
        kit.start_app()?;
        Ok(kit)
    }

    /// A scratch directory of this run (the page's `/tmp/` files go here).
    pub fn scratch(&self) -> &Path {
        self.dir.path()
    }

    /// The base URL of the app.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.app_port)
    }

    /// The local values that stand in for the kit's.
    pub fn stand_ins(&self) -> StandIns {
        let kit = |name: &str| self.env.vars.get(name).cloned().unwrap_or_default();
        let mut stand_ins = StandIns::default();
        if self.current.get("REDIS_HOST").map(String::as_str) == Some("127.0.0.1") {
            stand_ins
                .strings
                .push(("127.0.0.1".into(), kit("REDIS_HOST")));
        }
        for (local, name) in [(self.app_port, "PORT"), (self.redis.port(), "REDIS_PORT")] {
            if let Ok(n) = kit(name).parse() {
                stand_ins.numbers.push((u64::from(local), n));
            }
        }
        stand_ins
    }

    /// The local value of a Secret key the app reads (`REDIS_PASSWORD`,
    /// `DEMO_USERS`), as a page's `kubectl get secret` would decode it.
    pub fn secret(&self, key: &str) -> Option<String> {
        if !self.env.secrets.iter().any(|s| s == key) {
            return None;
        }
        self.app_env().remove(key)
    }

    pub fn redis_running(&self) -> bool {
        self.redis.is_running()
    }

    /// Redis back (after [`Kit::stop_redis`]) with its data.
    pub fn start_redis(&mut self) -> Result<(), String> {
        if !self.redis.is_running() {
            self.redis.start_again();
        }
        Ok(())
    }

    /// Scaling Redis to zero: the process goes away, its data stays.
    pub fn stop_redis(&mut self) {
        self.redis.stop();
    }

    /// `CLIENT PAUSE ms ALL`: Redis keeps the connection and answers nothing.
    pub fn pause_redis(&self, millis: u64) -> Result<(), String> {
        self.redis.client_pause(millis)
    }

    /// The environment the app starts with: the kit's, the page's pending
    /// changes, then what must be local (ports, Redis address, secrets).
    fn app_env(&self) -> BTreeMap<String, String> {
        let mut vars = self.env.vars.clone();
        vars.extend(self.pending.clone());
        if vars.get("REDIS_HOST") == self.env.vars.get("REDIS_HOST") {
            vars.insert("REDIS_HOST".into(), "127.0.0.1".into());
        }
        vars.insert("REDIS_PORT".into(), self.redis.port().to_string());
        vars.insert("PORT".into(), self.app_port.to_string());
        for secret in &self.env.secrets {
            let value = match secret.as_str() {
                "REDIS_PASSWORD" => self.redis.password().to_owned(),
                "DEMO_USERS" => self
                    .passwords
                    .iter()
                    .map(|(n, p)| format!("{n}:{p}"))
                    .collect::<Vec<_>>()
                    .join(","),
                _ => String::new(),
            };
            vars.insert(secret.clone(), value);
        }
        vars
    }

    pub fn start_app(&mut self) -> Result<(), String> {
        let vars = self.app_env();
        let log =
            std::fs::File::create(self.dir.path().join("app.log")).map_err(|e| e.to_string())?;
        let child = Command::new(&self.binary)
            .env_clear()
            .envs(&vars)
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("{} does not start: {e}", self.binary.display()))?;
        self.app = Some(child);
        self.current = vars;
        if wait_for_port(self.app_port, Duration::from_secs(10)) {
            Ok(())
        } else {
            Err(format!(
                "the demo-app did not listen within 10 s; its log:\n{}",
                self.app_log()
            ))
        }
    }

    /// Replacing the pod: the process is killed and a new one starts,
    /// reading the environment again.
    pub fn restart_app(&mut self) -> Result<(), String> {
        if let Some(mut child) = self.app.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.start_app()
    }

    /// What the kubelet does after a crash: start the container again.
    pub fn restart_if_exited(&mut self) -> Result<bool, String> {
        let exited = match self.app.as_mut() {
            Some(child) => child.try_wait().map_err(|e| e.to_string())?.is_some(),
            None => true,
        };
        if exited {
            self.app = None;
            // The old socket may linger for a moment after an exit.
            std::thread::sleep(Duration::from_millis(20));
            self.start_app()?;
        }
        Ok(exited)
    }

    /// Waits (briefly) for the app to exit after a `/crash`.
    pub fn wait_for_exit(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(child) = self.app.as_mut()
                && !matches!(child.try_wait(), Ok(None))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn app_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("app.log")).unwrap_or_default()
    }
}

impl Drop for Kit {
    fn drop(&mut self) {
        // Redis stops when `self.redis` drops.
        if let Some(mut child) = self.app.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(quantity_value(&Quantity("50m".into())).unwrap(), 0.05);
        assert_eq!(
            quantity_value(&Quantity("64Mi".into())).unwrap(),
            64.0 * 1024.0 * 1024.0
        );
        assert_eq!(quantity_value(&Quantity("2".into())).unwrap(), 2.0);
    }
}
