//! What a command of the guide means when the kit is one redis-server and
//! one demo-app process: run it for real (a `curl` against the app), replay
//! it with its local equivalent (scaling Redis to zero stops the
//! redis-server), or nothing (it needs a cluster: its output on the page is
//! example output). A `curl` against the app that is not run is listed in
//! [`SKIPPED`] with the reason; none is left out silently.

use regex::Regex;
use std::sync::LazyLock;

use crate::commands::one_line;

/// What to do with one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A `curl` against the app: run it with bash, the URL pointed at the
    /// local app.
    Run,
    /// A cluster action with a local equivalent.
    Local(Action),
    /// A `curl` against the app that is not run, and why.
    Skip(&'static str),
    /// Only assignments (`APP=$(make url)`, `KEY=greeting`): run with
    /// local answers for their cluster parts ([`crate::reader_shell`]).
    Assign,
    /// Needs a cluster; locally it does nothing and prints nothing.
    ClusterOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `kubectl scale deployment/redis --replicas=0`.
    StopRedis,
    /// `kubectl scale deployment/redis --replicas=1`.
    StartRedis,
    /// `kubectl delete pod -l app.kubernetes.io/name=redis`: a new Redis
    /// process on the same data, as the Deployment's replacement on the claim.
    RestartRedis,
    /// `make restart`, `kubectl rollout restart deployment/demo-app`.
    RestartApp,
    /// `redis-cli CLIENT PAUSE <ms> ALL` in the Redis pod.
    PauseRedis(u64),
    /// `kubectl patch configmap demo-app-config -p '{"data":{...}}'`: the new
    /// values reach the app at its next start.
    PatchConfig(Vec<(String, String)>),
    /// `kubectl set env deploy/demo-app K=V`: a rollout with the new values.
    SetEnv(Vec<(String, String)>),
}

/// The longest Redis pause replayed: the page's `CLIENT PAUSE 10000` is
/// shortened to just past the app's 2 s timeout, so the answer is the same
/// and the run does not wait ten seconds.
pub const MAX_PAUSE_MS: u64 = 2500;

/// `curl` commands against the app that are not run, by a pattern of their
/// text, with the reason. Each must match at least one command of the pages
/// (a test checks it), so the list cannot go stale.
pub const SKIPPED: &[(&str, &str)] = &[
    (
        r"while true",
        "loops until the reader presses Ctrl-C, while they watch the cluster",
    ),
    (
        r"&\s*(done|$)",
        "runs in the background while the reader watches the cluster; it prints nothing the page shows",
    ),
    (
        r"sleep ([3-9]|[1-9][0-9]+)\b",
        "paced for a cluster's probes (seconds per request); its effect is a pod's restarts or readiness, which only a cluster shows",
    ),
];

/// Cluster experiments the pages run that have no local equivalent, by a
/// pattern of the command, with the reason. Plain observations (`kubectl
/// get`, `describe`, `logs`) are not listed: they change nothing. Each
/// pattern must match a command of the pages (a test checks it).
pub const NOT_REPLAYED: &[(&str, &str)] = &[
    (
        r"^kubectl .*delete pods?\b",
        "a replacement pod is the ReplicaSet's doing; locally one process stands for every pod",
    ),
    (
        r"^make scale\b|^kubectl .*scale (deployment/demo-app|deploy/demo-app|deployment demo-app)",
        "one local process stands for every replica",
    ),
    (
        r"^kubectl .*(apply|create) -f k8s/examples/(job|cronjob)",
        "a Job's pods call the app from inside the cluster",
    ),
    (
        r"^kubectl .*networkpolic|^kubectl apply -f k8s/examples/networkpolicy",
        "NetworkPolicies need a cluster whose network plugin enforces them",
    ),
    (
        r"^kubectl .*set resources\b",
        "requests and limits act through the scheduler and the kubelet's cgroups",
    ),
    (
        r"^kubectl .*patch service\b",
        "a Service's selector and endpoints exist only in a cluster",
    ),
];

/// Why a cluster-only command is not replayed, when it is an experiment.
pub fn not_replayed(text: &str) -> Option<&'static str> {
    let line = one_line(text);
    NOT_REPLAYED
        .iter()
        .find(|(pattern, _)| Regex::new(pattern).unwrap().is_match(&line))
        .map(|(_, reason)| *reason)
}

static LOCALHOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://localhost(:(8000|8080|8081))?\b").unwrap());

/// The app's address as the pages give it: `$APP` (`APP=$(make url)`),
/// `${APP}`, or `$(make url)` itself.
static APP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$\{?APP\b|\$\(make url\)").unwrap());

/// Is this a `curl` against the demo-app (through `$APP`, or on
/// `localhost`: Docker Desktop's port 80, `make cluster`'s 8080 or a
/// port-forward)?
pub fn is_app_curl(text: &str) -> bool {
    text.contains("curl") && (APP.is_match(text) || LOCALHOST.is_match(text))
}

/// Points every app URL of `script` at `base` (`http://127.0.0.1:PORT`).
pub fn localise(script: &str, base: &str) -> String {
    LOCALHOST.replace_all(script, base).into_owned()
}

/// What `text` (one command, continuations and all) is locally.
pub fn classify(text: &str) -> Step {
    let line = one_line(text);
    if is_app_curl(&line) {
        for (pattern, reason) in SKIPPED {
            if Regex::new(pattern).unwrap().is_match(&line) {
                return Step::Skip(reason);
            }
        }
        return Step::Run;
    }
    if crate::shell::only_assigns(&line) {
        return Step::Assign;
    }
    local_action(&line).map_or(Step::ClusterOnly, Step::Local)
}

fn local_action(line: &str) -> Option<Action> {
    let words: Vec<String> = shlex::split(line).unwrap_or_default();
    let has = |w: &str| words.iter().any(|x| x == w);
    let first = words.first().map(String::as_str);
    if first == Some("make") && words.get(1).map(String::as_str) == Some("restart") {
        return Some(Action::RestartApp);
    }
    if first != Some("kubectl") {
        return None;
    }
    let redis =
        has("deployment/redis") || (has("deployment") && has("redis")) || has("deploy/redis");
    let app = has("deployment/demo-app") || has("deploy/demo-app");
    if has("scale") && redis {
        let replicas = words
            .iter()
            .find_map(|w| w.strip_prefix("--replicas="))?
            .parse::<u32>()
            .ok()?;
        return Some(if replicas == 0 {
            Action::StopRedis
        } else {
            Action::StartRedis
        });
    }
    if has("delete") && (has("pod") || has("pods")) && line.contains("app.kubernetes.io/name=redis")
    {
        return Some(Action::RestartRedis);
    }
    if has("rollout") && has("restart") && app {
        return Some(Action::RestartApp);
    }
    if has("exec") && redis && line.contains("CLIENT PAUSE") {
        let ms = Regex::new(r"CLIENT PAUSE (\d+)")
            .unwrap()
            .captures(line)?
            .get(1)?
            .as_str()
            .parse::<u64>()
            .ok()?;
        return Some(Action::PauseRedis(ms.min(MAX_PAUSE_MS)));
    }
    if has("patch") && has("configmap") && has("demo-app-config") {
        let patch = words
            .windows(2)
            .find(|w| w[0] == "-p" || w[0] == "--patch")
            .map(|w| w[1].clone())?;
        let value: serde_json::Value = serde_json::from_str(&patch).ok()?;
        let data = value.get("data")?.as_object()?;
        return Some(Action::PatchConfig(
            data.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect(),
        ));
    }
    if has("set") && has("env") && app {
        let pairs = words
            .iter()
            .skip_while(|w| *w != "env")
            .filter_map(|w| w.split_once('='))
            .filter(|(k, _)| k.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>();
        return (!pairs.is_empty()).then_some(Action::SetEnv(pairs));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_classified() {
        assert_eq!(classify("curl -s http://localhost/visits; echo"), Step::Run);
        assert_eq!(
            classify("curl -s http://localhost:8081/ready/enable"),
            Step::Run
        );
        assert_eq!(
            classify("curl -s --resolve demo.k8s-demo.test:80:$IP http://demo.k8s-demo.test/"),
            Step::ClusterOnly
        );
        assert!(matches!(
            classify("while true; do curl -s http://localhost/version; echo; sleep 0.5; done"),
            Step::Skip(_)
        ));
        assert!(matches!(
            classify("curl -s \"http://localhost/stress?seconds=30\" &"),
            Step::Skip(_)
        ));
        assert_eq!(
            classify("kubectl -n k8s-demo scale deployment/redis --replicas=0"),
            Step::Local(Action::StopRedis)
        );
        assert_eq!(
            classify("kubectl -n k8s-demo scale deployment redis --replicas=1"),
            Step::Local(Action::StartRedis)
        );
        assert_eq!(
            classify(
                "kubectl -n k8s-demo exec deploy/redis -- sh -c \\\n  'redis-cli CLIENT PAUSE 10000 ALL'"
            ),
            Step::Local(Action::PauseRedis(MAX_PAUSE_MS))
        );
        assert_eq!(
            classify(
                "kubectl -n k8s-demo patch configmap demo-app-config --type merge \\\n  -p '{\"data\":{\"APP_NAME\":\"hello-k8s\"}}'"
            ),
            Step::Local(Action::PatchConfig(vec![(
                "APP_NAME".into(),
                "hello-k8s".into()
            )]))
        );
        assert_eq!(
            classify("kubectl -n k8s-demo set env deploy/demo-app REDIS_HOST=redis.default"),
            Step::Local(Action::SetEnv(vec![(
                "REDIS_HOST".into(),
                "redis.default".into()
            )]))
        );
        assert_eq!(classify("make restart"), Step::Local(Action::RestartApp));
        assert_eq!(
            classify("kubectl -n k8s-demo delete pod -l app.kubernetes.io/name=redis"),
            Step::Local(Action::RestartRedis)
        );
        assert_eq!(classify("kubectl get pods"), Step::ClusterOnly);
        assert_eq!(classify("curl -sS \"$APP/visits\"; echo"), Step::Run);
        assert_eq!(
            classify("curl -sS -o /dev/null -w '%{http_code}\\n' \"${APP}/ready\""),
            Step::Run
        );
        assert_eq!(classify("curl -sS $APP/health"), Step::Run);
        assert_eq!(classify("APP=$(make url)"), Step::Assign);
        assert_eq!(classify("APP=http://localhost:8081"), Step::Assign);
        assert_eq!(
            classify("POD=$(kubectl -n k8s-demo get pods -o name | head -n 1)"),
            Step::Assign
        );
    }

    #[test]
    fn urls_point_at_the_local_app() {
        assert_eq!(
            localise(
                "curl http://localhost/a http://localhost:8080/b",
                "http://127.0.0.1:9"
            ),
            "curl http://127.0.0.1:9/a http://127.0.0.1:9/b"
        );
    }
}
