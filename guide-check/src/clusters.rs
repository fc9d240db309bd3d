//! The names of the clusters `make cluster` creates, derived from
//! `k8s/flavours.mk` (their one home, read with kit-check's reader), the
//! default names of other clusters a page must not show, and what a
//! cluster lookup a page assigns to a variable gives
//! (`POD=$(kubectl … -o name | head -n 1)` → `pod/demo-app-0`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use crate::shell::{assignments, substitute, substitutions};

/// `${NAME#prefix}` and `${NAME%suffix}`.
static TRIM: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\$\{(\w+)(#|%)([^}#%]*)\}").unwrap());

static KIT: LazyLock<Result<KitClusters, String>> =
    LazyLock::new(|| KitClusters::read(testkit::repo_root()));

/// The repository's [`KitClusters`], read once.
pub fn kit_clusters() -> Result<&'static KitClusters, String> {
    KIT.as_ref().map_err(Clone::clone)
}

/// The kit's own cluster names.
#[derive(Debug, Clone)]
pub struct KitClusters {
    /// `CLUSTER_NAME`: kind's and k3d's cluster.
    pub cluster: String,
    /// `MINIKUBE_PROFILE`: minikube's profile, context and first node.
    pub minikube_profile: String,
    /// `APP_HOST_PORT`: where `make url` says the app answers.
    pub app_host_port: String,
}

impl KitClusters {
    pub fn read(root: &Path) -> Result<KitClusters, String> {
        let path = root.join("k8s/flavours.mk");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (the kit's cluster facts)", path.display()))?;
        let vars = kit_check::flavours::read(&text).map_err(|e| format!("k8s/flavours.mk: {e}"))?;
        let get = |name: &str| {
            vars.get(name)
                .cloned()
                .ok_or_else(|| format!("k8s/flavours.mk does not set {name}"))
        };
        Ok(KitClusters {
            cluster: get("CLUSTER_NAME")?,
            minikube_profile: get("MINIKUBE_PROFILE")?,
            app_host_port: get("APP_HOST_PORT")?,
        })
    }

    /// kind's nodes: `k8s-demo-control-plane`, `k8s-demo-worker`, …
    pub fn kind_control_plane(&self) -> String {
        format!("{}-control-plane", self.cluster)
    }

    /// The worker the app's pods run on (kind's first worker).
    pub fn kind_worker(&self) -> String {
        format!("{}-worker", self.cluster)
    }

    /// `make url` on kind, k3d and minikube.
    pub fn app_url(&self) -> String {
        format!("http://localhost:{}", self.app_host_port)
    }

    /// Other clusters' default names (a pattern, what it is, what the kit's
    /// clusters call it instead). The kit's own names never match.
    pub fn foreign_names(&self) -> Vec<(regex::Regex, String, String)> {
        let kind_plane = self.kind_control_plane();
        let candidates = [
            (
                r"\b(etcd-|kube-apiserver-|kube-scheduler-|kube-controller-manager-)?kind-control-plane\b",
                "kind's default cluster `kind`",
                format!(
                    "the kit's kind node is `{kind_plane}` (static pods `etcd-{kind_plane}`, …); on k3d and minikube the names differ, so take it from a command"
                ),
            ),
            (
                r"\bkind-worker\d*\b",
                "kind's default cluster `kind`",
                format!(
                    "the kit's kind workers are `{}`, `{}2`",
                    self.kind_worker(),
                    self.kind_worker()
                ),
            ),
            (
                r"\bkind-kind\b",
                "the context of kind's default cluster `kind`",
                format!("the kit's context on kind is `kind-{}`", self.cluster),
            ),
            (
                r"\bk3d-k3s-default(-server-\d+|-agent-\d+|-serverlb)?\b",
                "k3d's default cluster `k3s-default`",
                format!(
                    "the kit's k3d cluster is `{0}` (context `k3d-{0}`, nodes `k3d-{0}-server-0`, `k3d-{0}-agent-0`)",
                    self.cluster
                ),
            ),
            (
                r"\bdesktop-(control-plane|worker\d*)\b",
                "Docker Desktop's kind mode",
                format!(
                    "show the kit's kind nodes (`{kind_plane}`, `{}`)",
                    self.kind_worker()
                ),
            ),
        ];
        let own = [
            kind_plane.clone(),
            self.kind_worker(),
            format!("kind-{}", self.cluster),
            format!("k3d-{}", self.cluster),
        ];
        candidates
            .into_iter()
            .map(|(pattern, what, instead)| {
                (
                    regex::Regex::new(pattern).unwrap(),
                    what.to_owned(),
                    instead,
                )
            })
            .filter(|(re, _, _)| !own.iter().any(|name| re.is_match(name)))
            .collect()
    }

    /// What a kubectl lookup prints on the kit's kind cluster, near enough
    /// to stand for it: a name of the kind asked for, in the form asked
    /// for (`-o name` → `pod/demo-app-0`, a jsonpath name → `demo-app-0`).
    /// Not for Secrets: a page's secret lookups get the local values.
    pub fn lookup_output(&self, kubectl: &str) -> String {
        let words: Vec<String> = shlex::split(kubectl).unwrap_or_default();
        let after_get = words
            .iter()
            .skip_while(|w| *w != "get")
            .nth(1)
            .map(String::as_str)
            .unwrap_or_default();
        let resource = after_get.split(['/', ',']).next().unwrap_or_default();
        let label = crate::shell::flag_value(&words, &["-l", "--selector"])
            .and_then(|l| {
                l.split(',')
                    .find_map(|p| p.split_once('=').map(|(_, v)| v.to_owned()))
            })
            .unwrap_or_else(|| "demo-app".to_owned());
        if words.iter().any(|w| w == "current-context") {
            return format!("kind-{}", self.cluster);
        }
        let (prefix, name) = match resource {
            "nodes" | "node" | "no" => ("node", self.kind_worker()),
            "pods" | "pod" | "po" => ("pod", format!("{label}-0")),
            "" => ("", label),
            other => (other.trim_end_matches('s'), label),
        };
        let jsonpath = words
            .iter()
            .find_map(|w| w.strip_prefix("jsonpath="))
            .or_else(|| {
                words
                    .iter()
                    .position(|w| w == "-o" || w == "--output")
                    .and_then(|i| words.get(i + 1))
                    .and_then(|w| w.strip_prefix("jsonpath="))
            })
            .unwrap_or_default();
        if jsonpath.contains("nodeName") {
            return self.kind_worker();
        }
        if jsonpath.contains("podIP") {
            return "10.244.1.5".into();
        }
        if jsonpath.contains("clusterIP") {
            return "10.96.120.15".into();
        }
        if words
            .iter()
            .any(|w| w == "name" || w == "-oname" || w == "--output=name")
        {
            return format!("{prefix}/{name}");
        }
        name
    }

    /// The value a variable holds after `NAME=value`, near enough to stand
    /// for it in a parse: each `$(…)` replaced by `make url`'s address, a
    /// lookup's output ([`KitClusters::lookup_output`]), a decoded secret's
    /// stand-in, or (another command's output, `$(echo "$ANSWER" | sed …)`)
    /// a pod's name; quotes removed.
    pub fn value_of(&self, value: &str, known: &BTreeMap<String, String>) -> String {
        // `${NAME#prefix}`, `${NAME%suffix}` (literal patterns), then
        // `$NAME`, `${NAME}`, from the values known so far.
        let trimmed = TRIM.replace_all(value, |c: &regex::Captures| {
            let Some(v) = known.get(&c[1]) else {
                return c[0].to_owned();
            };
            match &c[2] {
                "#" => v.strip_prefix(&c[3]).unwrap_or(v).to_owned(),
                _ => v.strip_suffix(&c[3]).unwrap_or(v).to_owned(),
            }
        });
        let value = &substitute(&trimmed, |name| known.get(name).cloned());
        let mut text = value.to_owned();
        for (range, body) in substitutions(value).into_iter().rev() {
            text.replace_range(range, &self.output_of(&body));
        }
        shlex::split(&text)
            .and_then(|w| w.into_iter().next())
            .unwrap_or(text)
    }

    fn output_of(&self, command: &str) -> String {
        if command.trim() == "make url" {
            return self.app_url();
        }
        if command.contains("base64") {
            return "guide-check-secret".into();
        }
        match command
            .split('|')
            .map(str::trim)
            .find(|s| s.starts_with("kubectl "))
        {
            Some(kubectl) => self.lookup_output(kubectl),
            None => "demo-app-0".into(),
        }
    }

    /// The variables `command` assigns, with [`KitClusters::value_of`].
    /// `known` holds the values of earlier assignments.
    pub fn values_assigned(
        &self,
        command: &str,
        known: &BTreeMap<String, String>,
    ) -> Vec<(String, String)> {
        let mut known = known.clone();
        let mut out = Vec::new();
        for a in assignments(command) {
            let value = self.value_of(&a.value, &known);
            known.insert(a.name.clone(), value.clone());
            out.push((a.name, value));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kit() -> KitClusters {
        KitClusters {
            cluster: "k8s-demo".into(),
            minikube_profile: "minikube".into(),
            app_host_port: "8080".into(),
        }
    }

    #[test]
    fn lookups_stand_for_the_kits_names() {
        let kit = kit();
        let v = |cmd: &str| kit.values_assigned(cmd, &BTreeMap::new());
        assert_eq!(
            v(
                "POD=$(kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -o name | head -n 1)"
            ),
            [("POD".into(), "pod/demo-app-0".into())]
        );
        assert_eq!(
            v("NODE=$(kubectl get nodes -o name | head -n 1)"),
            [("NODE".into(), "node/k8s-demo-worker".into())]
        );
        assert_eq!(
            v("NODE=$(kubectl -n k8s-demo get pod redis-0 -o jsonpath='{.spec.nodeName}')"),
            [("NODE".into(), "k8s-demo-worker".into())]
        );
        assert_eq!(
            v(
                "REDIS=$(kubectl -n k8s-demo get pods -l app.kubernetes.io/name=redis -o jsonpath='{.items[0].metadata.name}')"
            ),
            [("REDIS".into(), "redis-0".into())]
        );
        assert_eq!(
            v("APP=$(make url)"),
            [("APP".into(), "http://localhost:8080".into())]
        );
        assert_eq!(
            v("CRASHED=pod/$(echo \"$ANSWER\" | sed 's/.*\"server\":\"\\([^\"]*\\)\".*/\\1/')"),
            [("CRASHED".into(), "pod/demo-app-0".into())]
        );
        assert_eq!(
            v("CONTEXT=$(kubectl config current-context)"),
            [("CONTEXT".into(), "kind-k8s-demo".into())]
        );
        assert_eq!(
            v("NODE=$(kubectl get nodes -o name | head -n 1); NODE=${NODE#node/}; N=\"$NODE\""),
            [
                ("NODE".into(), "node/k8s-demo-worker".into()),
                ("NODE".into(), "k8s-demo-worker".into()),
                ("N".into(), "k8s-demo-worker".into())
            ]
        );
        assert_eq!(
            v("KEY=greeting   # any key you like"),
            [("KEY".into(), "greeting".into())]
        );
    }

    #[test]
    fn the_kits_own_names_are_not_foreign() {
        let foreign = kit().foreign_names();
        assert_eq!(foreign.len(), 5);
        for own in [
            "k8s-demo-control-plane",
            "kind-k8s-demo",
            "k3d-k8s-demo-server-0",
        ] {
            assert!(!foreign.iter().any(|(re, _, _)| re.is_match(own)), "{own}");
        }
        for other in [
            "etcd-kind-control-plane",
            "kind-worker2",
            "k3d-k3s-default-agent-0",
        ] {
            assert!(
                foreign.iter().any(|(re, _, _)| re.is_match(other)),
                "{other}"
            );
        }
    }
}
