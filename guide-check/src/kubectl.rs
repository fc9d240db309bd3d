//! Every `kubectl` command of the guide and the deck, run through kubectl's
//! own parsing with no cluster behind it.
//!
//! kubectl checks flags and sub-commands before anything else, but resource
//! names (`po`, `deploy`, `hpa`) and output templates only after API
//! discovery, and on an unknown name it asks the server again (a discovery
//! cache alone is not enough). So each run starts [`Discovery`]: a loopback
//! listener that answers the discovery requests with the built-in
//! resources of Kubernetes 1.34 ([`RESOURCES`]) and every other request
//! with a 404 carrying [`NO_CLUSTER`]. That message in kubectl's error is
//! the sign the command parsed; any other error is a mistake in the page.
//! The run has its own HOME and KUBECONFIG, whose every context points at
//! the listener: nothing can reach a real cluster.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command as Process;

use serde_json::{Value, json};

use crate::clusters::kit_clusters;
use crate::commands::{one_line, sessions};
use crate::pages::{Item, Page, items};
use crate::shell::{substitute, substitutions};

/// What the listener answers to anything but discovery.
pub const NO_CLUSTER: &str = "guide-check: no cluster here";

/// Contexts the pages may switch to (`kubectl config use-context NAME`):
/// those of the clusters `make cluster` creates, and Docker Desktop's.
fn contexts() -> Vec<String> {
    let kit = kit_clusters().unwrap_or_else(|e| panic!("{e}"));
    vec![
        format!("kind-{}", kit.cluster),
        format!("k3d-{}", kit.cluster),
        kit.minikube_profile.clone(),
        "docker-desktop".to_owned(),
    ]
}

/// A `kubectl` command found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `path:line`.
    pub at: String,
    /// The kubectl invocation alone (no pipes), placeholders as written.
    pub text: String,
    /// From inline code in prose, where `kubectl apply` may name a command
    /// rather than show one: only errors of parsing count there.
    pub inline: bool,
    /// The variables earlier commands of the page assigned, with a value
    /// that stands for theirs ([`crate::clusters::KitClusters::value_of`]):
    /// `POD` → `pod/demo-app-0` after `POD=$(kubectl … get pods -o name …)`.
    pub vars: BTreeMap<String, String>,
}

/// kubectl's messages for what it could not parse: an unknown flag,
/// sub-command, resource type or output format, a malformed template.
pub const PARSE_ERRORS: &[&str] = &[
    "unknown flag",
    "unknown shorthand flag",
    "unknown command",
    "doesn't have a resource type",
    "error parsing",
    "unable to parse",
    "unrecognized",
    "invalid argument",
    "unable to match a printer",
    "is not a valid",
];

/// Every kubectl invocation of the pages: in command blocks (each segment
/// of a pipeline or list that starts with `kubectl`) and in inline code.
pub fn find(pages: &[Page]) -> Vec<Found> {
    let mut found = Vec::new();
    let clusters = kit_clusters().unwrap_or_else(|e| panic!("{e}"));
    for page in pages {
        let mut vars = BTreeMap::new();
        for session in sessions(page).unwrap_or_default() {
            for command in &session.commands {
                let line = one_line(&command.text);
                // The kubectl commands inside `$(…)` too (`POD=$(kubectl …)`).
                let inner = substitutions(&line).into_iter().map(|(_, body)| body);
                for segment in segments(&line)
                    .into_iter()
                    .chain(inner.flat_map(|b| segments(&b)))
                {
                    found.push(Found {
                        at: page.at(command.line),
                        text: segment,
                        inline: false,
                        vars: vars.clone(),
                    });
                }
                let assigned = clusters.values_assigned(&command.text, &vars);
                vars.extend(assigned);
            }
        }
        for item in items(&page.text) {
            if let Item::InlineCode(code, line) = item {
                for segment in segments(&code) {
                    found.push(Found {
                        at: page.at(line),
                        text: segment,
                        inline: true,
                        vars: BTreeMap::new(),
                    });
                }
            }
        }
    }
    found
}

/// The parts of a shell line that are kubectl invocations.
fn segments(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Split on |, ;, && and || outside quotes.
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '|' || c == ';' || (c == '&' && chars.get(i + 1) == Some(&'&')) => {
                out.push(std::mem::take(&mut current));
                if chars.get(i + 1) == Some(&c) {
                    i += 1;
                }
                i += 1;
                continue;
            }
            None => {}
        }
        current.push(c);
        i += 1;
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().trim_end_matches('&').trim().to_owned())
        .map(|s| s.strip_prefix("$ ").map(str::to_owned).unwrap_or(s))
        .map(|s| {
            // `watch kubectl ...`, `time kubectl ...`
            for prefix in ["watch ", "time "] {
                if let Some(rest) = s.strip_prefix(prefix) {
                    return rest.trim_start_matches("-n 1 ").to_owned();
                }
            }
            s
        })
        .filter(|s| s.starts_with("kubectl ") && s.len() > "kubectl ".len())
        .collect()
}

/// Why a kubectl command is not run, when it cannot be (shell syntax the
/// check does not evaluate). `None`: it runs.
pub fn not_run_reason(text: &str) -> Option<&'static str> {
    // `$(...)` inside single quotes runs in the pod, not in the reader's shell.
    let unquoted: String = text.split('\'').step_by(2).collect();
    if unquoted.contains("$(") || unquoted.contains('`') {
        return Some("takes part of its arguments from another command's output ($(...))");
    }
    if text.contains("...") || text.contains('…') {
        return Some("an abbreviated command (… stands for arguments the prose gives)");
    }
    if text.contains('*') && !text.contains('\'') {
        return Some("a shell glob");
    }
    if text.contains("<command>") {
        return Some("a pattern for any command");
    }
    if text.contains("tls.crt") {
        return Some("reads the certificate an earlier command of the page creates with openssl");
    }
    if text.contains(" /tmp/") {
        return Some("reads a file an earlier command of the page writes");
    }
    None
}

/// The arguments of a kubectl command with its placeholders filled in.
pub fn arguments(text: &str) -> Result<Vec<String>, String> {
    arguments_with(text, &BTreeMap::new())
}

/// [`arguments`], with `$NAME` and `${NAME}` replaced by `vars`' values
/// (see [`Found::vars`]).
pub fn arguments_with(text: &str, vars: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut args = shlex::split(text).ok_or_else(|| format!("unbalanced quotes in `{text}`"))?;
    args.remove(0);
    let placeholder = regex::Regex::new(r"<([^<>]+)>").unwrap();
    for arg in &mut args {
        *arg = placeholder
            .replace_all(arg, |c: &regex::Captures| {
                let name = c[1].to_ascii_lowercase();
                if name.contains("kind") || name.contains("resource") {
                    "deployment".to_owned()
                } else if name.contains("field") {
                    "spec".to_owned()
                } else if name.contains("node") {
                    "node-1".to_owned()
                } else if name.contains("context") {
                    contexts().swap_remove(0)
                } else {
                    "demo-app-5f8d9c7b6a-x2kqp".to_owned()
                }
            })
            .into_owned();
        *arg = substitute(arg, |name| vars.get(name).cloned());
        // `$VAR` in a page that no command of it assigns: a value the
        // reader set before.
        if arg.starts_with('$') {
            *arg = "demo-app-5f8d9c7b6a-x2kqp".into();
        }
    }
    Ok(args)
}

/// A throwaway HOME with the kubeconfig and the discovery cache.
pub struct Sandbox {
    dir: tempfile::TempDir,
    /// A copy of `k8s/` with made-up secrets and the rendered manifest
    /// (`k8s/.generated/`), which `make deploy` writes on a real machine.
    _k8s: kit_check::kustomize::Workspace,
    _discovery: Discovery,
}

impl Sandbox {
    pub fn new(kubectl: &Path) -> Result<Sandbox, String> {
        let dir = tempfile::Builder::new()
            .prefix("guide-check-kubectl-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let kube = dir.path().join(".kube");
        std::fs::create_dir_all(&kube).map_err(|e| e.to_string())?;
        let discovery = Discovery::start()?;
        // The same documents as a discovery cache, so kubectl asks the
        // listener only when a name is not in it (~0.1 s saved per command).
        let port = discovery.url.rsplit(':').next().unwrap_or_default();
        write_cache(&kube.join(format!("cache/discovery/127.0.0.1_{port}")))?;
        std::fs::write(kube.join("config"), kubeconfig(&discovery.url))
            .map_err(|e| e.to_string())?;
        let k8s = kit_check::kustomize::Workspace::new();
        let rendered = k8s.build(kubectl)?;
        k8s.write(".generated/deployed.yaml", &rendered);
        std::os::unix::fs::symlink(k8s.root(), dir.path().join("k8s"))
            .map_err(|e| e.to_string())?;
        Ok(Sandbox {
            dir,
            _k8s: k8s,
            _discovery: discovery,
        })
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// Runs kubectl with `args` in the sandbox (whose `k8s/` is the kit's);
    /// `Ok` when it parsed: it succeeded offline or failed only to connect,
    /// or, for `only_parse_errors`, failed with no [`PARSE_ERRORS`] message.
    pub fn check(
        &self,
        kubectl: &Path,
        args: &[String],
        only_parse_errors: bool,
    ) -> Result<(), String> {
        let out = Process::new(kubectl)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("KUBECONFIG", self.home().join(".kube/config"))
            // A run of a fraction of a second needs neither a garbage
            // collector nor a thread per core; both cost CPU the parallel
            // runs share.
            .env("GOGC", "off")
            .env("GOMAXPROCS", "1")
            .current_dir(self.home())
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("kubectl does not run: {e}"))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success()
            || stderr.contains(NO_CLUSTER)
            // `apply` validates against the server's OpenAPI schema first.
            || stderr.contains("failed to download openapi")
            || stderr.contains("could not find the requested resource")
        {
            return Ok(());
        }
        if only_parse_errors && !PARSE_ERRORS.iter().any(|p| stderr.contains(p)) {
            return Ok(());
        }
        let message: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.contains("memcache.go") && !l.trim().is_empty())
            .take(3)
            .collect();
        Err(message.join(" / "))
    }
}

fn kubeconfig(server: &str) -> String {
    let names = contexts();
    let contexts: Vec<Value> = names
        .iter()
        .map(|name| json!({"name": name, "context": {"cluster": "nowhere", "user": "nobody"}}))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "nowhere", "cluster": {"server": server}}],
        "users": [{"name": "nobody", "user": {"token": "not-a-token"}}],
        "contexts": contexts,
        "current-context": names[0],
    })
    .to_string()
}

/// The built-in resources of Kubernetes 1.34 as `kubectl api-resources`
/// lists them: group/version, plural name, short names, kind, namespaced.
/// (Hand-written: no crate carries discovery data, and k8s-openapi has the
/// types but not the short names.)
pub const RESOURCES: &[(&str, &str, &[&str], &str, bool)] = &[
    ("v1", "bindings", &[], "Binding", true),
    ("v1", "componentstatuses", &["cs"], "ComponentStatus", false),
    ("v1", "configmaps", &["cm"], "ConfigMap", true),
    ("v1", "endpoints", &["ep"], "Endpoints", true),
    ("v1", "events", &["ev"], "Event", true),
    ("v1", "limitranges", &["limits"], "LimitRange", true),
    ("v1", "namespaces", &["ns"], "Namespace", false),
    ("v1", "nodes", &["no"], "Node", false),
    (
        "v1",
        "persistentvolumeclaims",
        &["pvc"],
        "PersistentVolumeClaim",
        true,
    ),
    (
        "v1",
        "persistentvolumes",
        &["pv"],
        "PersistentVolume",
        false,
    ),
    ("v1", "pods", &["po"], "Pod", true),
    ("v1", "podtemplates", &[], "PodTemplate", true),
    (
        "v1",
        "replicationcontrollers",
        &["rc"],
        "ReplicationController",
        true,
    ),
    ("v1", "resourcequotas", &["quota"], "ResourceQuota", true),
    ("v1", "secrets", &[], "Secret", true),
    ("v1", "serviceaccounts", &["sa"], "ServiceAccount", true),
    ("v1", "services", &["svc"], "Service", true),
    (
        "admissionregistration.k8s.io/v1",
        "mutatingwebhookconfigurations",
        &[],
        "MutatingWebhookConfiguration",
        false,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "validatingadmissionpolicies",
        &[],
        "ValidatingAdmissionPolicy",
        false,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "validatingadmissionpolicybindings",
        &[],
        "ValidatingAdmissionPolicyBinding",
        false,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "validatingwebhookconfigurations",
        &[],
        "ValidatingWebhookConfiguration",
        false,
    ),
    (
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        &["crd", "crds"],
        "CustomResourceDefinition",
        false,
    ),
    (
        "apiregistration.k8s.io/v1",
        "apiservices",
        &[],
        "APIService",
        false,
    ),
    (
        "apps/v1",
        "controllerrevisions",
        &[],
        "ControllerRevision",
        true,
    ),
    ("apps/v1", "daemonsets", &["ds"], "DaemonSet", true),
    ("apps/v1", "deployments", &["deploy"], "Deployment", true),
    ("apps/v1", "replicasets", &["rs"], "ReplicaSet", true),
    ("apps/v1", "statefulsets", &["sts"], "StatefulSet", true),
    (
        "authentication.k8s.io/v1",
        "selfsubjectreviews",
        &[],
        "SelfSubjectReview",
        false,
    ),
    (
        "authentication.k8s.io/v1",
        "tokenreviews",
        &[],
        "TokenReview",
        false,
    ),
    (
        "authorization.k8s.io/v1",
        "localsubjectaccessreviews",
        &[],
        "LocalSubjectAccessReview",
        true,
    ),
    (
        "authorization.k8s.io/v1",
        "selfsubjectaccessreviews",
        &[],
        "SelfSubjectAccessReview",
        false,
    ),
    (
        "authorization.k8s.io/v1",
        "selfsubjectrulesreviews",
        &[],
        "SelfSubjectRulesReview",
        false,
    ),
    (
        "authorization.k8s.io/v1",
        "subjectaccessreviews",
        &[],
        "SubjectAccessReview",
        false,
    ),
    (
        "autoscaling/v2",
        "horizontalpodautoscalers",
        &["hpa"],
        "HorizontalPodAutoscaler",
        true,
    ),
    ("batch/v1", "cronjobs", &["cj"], "CronJob", true),
    ("batch/v1", "jobs", &[], "Job", true),
    (
        "certificates.k8s.io/v1",
        "certificatesigningrequests",
        &["csr"],
        "CertificateSigningRequest",
        false,
    ),
    ("coordination.k8s.io/v1", "leases", &[], "Lease", true),
    (
        "discovery.k8s.io/v1",
        "endpointslices",
        &[],
        "EndpointSlice",
        true,
    ),
    ("events.k8s.io/v1", "events", &["ev"], "Event", true),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        "flowschemas",
        &[],
        "FlowSchema",
        false,
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        "prioritylevelconfigurations",
        &[],
        "PriorityLevelConfiguration",
        false,
    ),
    ("metrics.k8s.io/v1beta1", "nodes", &[], "NodeMetrics", false),
    ("metrics.k8s.io/v1beta1", "pods", &[], "PodMetrics", true),
    (
        "networking.k8s.io/v1",
        "ingressclasses",
        &[],
        "IngressClass",
        false,
    ),
    (
        "networking.k8s.io/v1",
        "ingresses",
        &["ing"],
        "Ingress",
        true,
    ),
    (
        "networking.k8s.io/v1",
        "ipaddresses",
        &["ip"],
        "IPAddress",
        false,
    ),
    (
        "networking.k8s.io/v1",
        "networkpolicies",
        &["netpol"],
        "NetworkPolicy",
        true,
    ),
    (
        "networking.k8s.io/v1",
        "servicecidrs",
        &[],
        "ServiceCIDR",
        false,
    ),
    (
        "node.k8s.io/v1",
        "runtimeclasses",
        &[],
        "RuntimeClass",
        false,
    ),
    (
        "policy/v1",
        "poddisruptionbudgets",
        &["pdb"],
        "PodDisruptionBudget",
        true,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "clusterrolebindings",
        &[],
        "ClusterRoleBinding",
        false,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "clusterroles",
        &[],
        "ClusterRole",
        false,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "rolebindings",
        &[],
        "RoleBinding",
        true,
    ),
    ("rbac.authorization.k8s.io/v1", "roles", &[], "Role", true),
    (
        "resource.k8s.io/v1",
        "deviceclasses",
        &[],
        "DeviceClass",
        false,
    ),
    (
        "resource.k8s.io/v1",
        "resourceclaims",
        &[],
        "ResourceClaim",
        true,
    ),
    (
        "resource.k8s.io/v1",
        "resourceclaimtemplates",
        &[],
        "ResourceClaimTemplate",
        true,
    ),
    (
        "resource.k8s.io/v1",
        "resourceslices",
        &[],
        "ResourceSlice",
        false,
    ),
    (
        "scheduling.k8s.io/v1",
        "priorityclasses",
        &["pc"],
        "PriorityClass",
        false,
    ),
    ("storage.k8s.io/v1", "csidrivers", &[], "CSIDriver", false),
    ("storage.k8s.io/v1", "csinodes", &[], "CSINode", false),
    (
        "storage.k8s.io/v1",
        "csistoragecapacities",
        &[],
        "CSIStorageCapacity",
        true,
    ),
    (
        "storage.k8s.io/v1",
        "storageclasses",
        &["sc"],
        "StorageClass",
        false,
    ),
    (
        "storage.k8s.io/v1",
        "volumeattachments",
        &[],
        "VolumeAttachment",
        false,
    ),
    (
        "storage.k8s.io/v1",
        "volumeattributesclasses",
        &["vac"],
        "VolumeAttributesClass",
        false,
    ),
];

/// Subresources kubectl looks up for some verbs.
const SUBRESOURCES: &[(&str, &str, &str)] = &[
    ("v1", "pods/log", "Pod"),
    ("v1", "pods/exec", "PodExecOptions"),
    ("v1", "pods/portforward", "PodPortForwardOptions"),
    ("v1", "pods/eviction", "Eviction"),
    ("apps/v1", "deployments/scale", "Scale"),
    ("apps/v1", "statefulsets/scale", "Scale"),
    ("apps/v1", "replicasets/scale", "Scale"),
];

/// The resources `kubectl get all` lists (their `all` category).
const IN_ALL: &[&str] = &[
    "pods",
    "services",
    "daemonsets",
    "deployments",
    "replicasets",
    "statefulsets",
    "horizontalpodautoscalers",
    "cronjobs",
    "jobs",
    "replicationcontrollers",
];

const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// The discovery documents by path: `/api`, `/apis`, `/api/v1`,
/// `/apis/<group>/<version>`.
fn discovery_documents() -> Vec<(String, String)> {
    let mut versions: Vec<&str> = RESOURCES.iter().map(|r| r.0).collect();
    versions.dedup();
    let mut documents = Vec::new();
    let mut groups = Vec::new();
    for gv in &versions {
        let mut resources: Vec<Value> = RESOURCES
            .iter()
            .filter(|r| r.0 == *gv)
            .map(|(_, name, short, kind, namespaced)| {
                json!({"name": name, "singularName": kind.to_ascii_lowercase(),
                       "namespaced": namespaced, "kind": kind, "verbs": VERBS,
                       "shortNames": short,
                       "categories": if IN_ALL.contains(name) && !gv.contains("metrics") { vec!["all"] } else { vec![] }})
            })
            .collect();
        resources.extend(
            SUBRESOURCES
                .iter()
                .filter(|s| s.0 == *gv)
                .map(|(_, name, kind)| {
                    json!({"name": name, "singularName": "", "namespaced": true, "kind": kind,
                   "verbs": ["get", "create", "update", "patch"]})
                }),
        );
        let list = json!({"kind": "APIResourceList", "apiVersion": "v1",
                          "groupVersion": gv, "resources": resources});
        match gv.split_once('/') {
            Some((group, version)) => {
                documents.push((format!("/apis/{gv}"), list.to_string()));
                groups.push(json!({"name": group,
                    "versions": [{"groupVersion": gv, "version": version}],
                    "preferredVersion": {"groupVersion": gv, "version": version}}));
            }
            None => documents.push((format!("/api/{gv}"), list.to_string())),
        }
    }
    documents.push((
        "/api".into(),
        json!({"kind": "APIVersions", "versions": ["v1"],
               "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        .to_string(),
    ));
    documents.push((
        "/apis".into(),
        json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}).to_string(),
    ));
    documents
}

/// Writes [`discovery_documents`] as client-go's disk cache lays them out.
fn write_cache(dir: &Path) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    let mut groups: Vec<Value> = vec![json!({"name": "",
        "versions": [{"groupVersion": "v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "v1", "version": "v1"}})];
    for (path, body) in discovery_documents() {
        let gv = match path
            .strip_prefix("/apis/")
            .or_else(|| path.strip_prefix("/api/"))
        {
            Some(gv) => gv.to_owned(),
            None if path == "/apis" => {
                let list: Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
                groups.extend(list["groups"].as_array().cloned().unwrap_or_default());
                continue;
            }
            None => continue,
        };
        let file = dir.join(&gv).join("serverresources.json");
        std::fs::create_dir_all(file.parent().unwrap()).map_err(io)?;
        std::fs::write(file, body).map_err(io)?;
    }
    let list = json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups});
    std::fs::write(dir.join("servergroups.json"), list.to_string()).map_err(io)
}

/// The loopback listener that answers discovery and nothing else (see the
/// module comment). Hand-written on std's TcpListener: it answers one
/// GET per connection with a fixed document, which needs no HTTP stack.
pub struct Discovery {
    pub url: String,
}

impl Discovery {
    pub fn start() -> Result<Discovery, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let url = format!(
            "http://{}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let documents = discovery_documents();
        // Serves until the test process ends (the thread holds the socket).
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let documents = documents.clone();
                std::thread::spawn(move || answer(stream, &documents));
            }
        });
        Ok(Discovery { url })
    }
}

fn answer(mut stream: TcpStream, documents: &[(String, String)]) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Read the headers (and ignore them); a body, if any, is not needed.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/");
    let (status, body) = match documents.iter().find(|(p, _)| p == path) {
        Some((_, body)) => ("200 OK", body.clone()),
        None => (
            "404 Not Found",
            json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                   "message": NO_CLUSTER, "reason": "NotFound", "code": 404})
            .to_string(),
        ),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_segments_of_a_line() {
        assert_eq!(
            segments("kubectl -n x get pods -o yaml | grep -A2 conditions"),
            ["kubectl -n x get pods -o yaml"]
        );
        assert_eq!(
            segments("kubectl get svc a && kubectl get svc b; echo 'kubectl | no'"),
            ["kubectl get svc a", "kubectl get svc b"]
        );
        assert_eq!(segments("watch kubectl get pods"), ["kubectl get pods"]);
    }

    #[test]
    fn variables_take_the_value_their_assignment_stands_for() {
        let page = Page {
            path: "p.md".into(),
            text: "```sh\nPOD=$(kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -o name | head -n 1)\nNODE=$(kubectl get nodes -o name | head -n 1)\nkubectl -n k8s-demo delete \"$POD\"\nkubectl cordon \"${NODE}\"\n```\n".into(),
        };
        let found = find(&[page]);
        let args: Vec<Vec<String>> = found
            .iter()
            .map(|f| arguments_with(&f.text, &f.vars).unwrap())
            .collect();
        assert_eq!(args.len(), 4, "{found:#?}");
        assert_eq!(args[0][..3], ["-n", "k8s-demo", "get"]);
        assert_eq!(args[2], ["-n", "k8s-demo", "delete", "pod/demo-app-0"]);
        assert_eq!(args[3], ["cordon", "node/k8s-demo-worker"]);
    }

    #[test]
    fn placeholders_are_filled_in() {
        let args = arguments("kubectl describe pod <pod-name> -n k8s-demo").unwrap();
        assert_eq!(
            args,
            [
                "describe",
                "pod",
                "demo-app-5f8d9c7b6a-x2kqp",
                "-n",
                "k8s-demo"
            ]
        );
    }
}
