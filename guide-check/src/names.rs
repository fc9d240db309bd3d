//! Names the pages write in inline code exist in the kit:
//! - environment variables (`REDIS_TIMEOUT_MS`, `APP_NAME=x`): read by the
//!   app (`demo_app::config::ENV_VARS`), or named in a manifest or a
//!   Makefile;
//! - routes (`GET /visits`, `/kv/{key}`, `/ready/disable`): served by the
//!   app (its OpenAPI document, `demo_app::openapi::document`);
//! - repository paths (`k8s/app/deployment.yaml`, `demo-app/src/`): exist;
//! - ports written as `port NNNN`: appear in a manifest or a Makefile, or
//!   are the local ports the pages use for port-forwards.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::pages::{Item, Page, items};

/// Directories and files at the root whose paths the pages name.
const TOP: &[&str] = &[
    "k8s/",
    "demo-app/",
    "site/",
    "slides/",
    "docs/",
    "guide-check/",
    "Makefile",
    "Cargo.toml",
    "Cargo.lock",
    "book.toml",
    "BENCHMARKS.md",
];

/// Made at deploy time (`make secrets`, `make deploy`), not in the tree.
const GENERATED: &str = "k8s/.generated/";

/// Variables that are not the kit's: the reader's tools' own, and those
/// Kubernetes itself sets or reads (Indexed Jobs, CronJob time zones).
const TOOL_VARS: &[&str] = &[
    "KUBECONFIG",
    "CI",
    "HOME",
    "PATH",
    "REDISCLI_AUTH",
    "JOB_COMPLETION_INDEX",
    "CRON_TZ",
];

/// The variables a Service injects when service links are on
/// (`REDIS_SERVICE_HOST`), which the kit turns off and the pages explain.
static SERVICE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT|PORT_\d+_TCP.*)$").unwrap()
});

/// Routes the app serves outside its OpenAPI document: the Swagger UI and
/// the document itself (`demo-app/src/app.rs`).
const UNDOCUMENTED_ROUTES: &[&str] = &["/docs", "/openapi.json"];

/// Paths in inline code that look like routes and deliberately are not
/// (page, path, why).
pub const NOT_APP_ROUTES: &[(&str, &str, &str)] = &[
    (
        "docs/under-the-hood/ingress.md",
        "/kvx",
        "the example of a path a Prefix rule for /kv does not match",
    ),
    (
        "docs/under-the-hood/putting-it-together.md",
        "/items",
        "PostgREST's route in the three-tier example, not the demo-app's",
    ),
    (
        "docs/under-the-hood/putting-it-together.md",
        "/live",
        "PostgREST's liveness route in the three-tier example",
    ),
];

/// Local ports the pages use on the reader's machine (port-forwards, the
/// guide's own server; 8090 is the three-tier example's port-forward, kept
/// off the 8080 that `make cluster` gives the kit's app).
pub const LOCAL_PORTS: &[&str] = &["8080", "8081", "8090", "3000", "8443"];

/// First path segments that are file-system directories, not routes.
const NOT_ROUTES: &[&str] = &[
    "etc", "data", "tmp", "var", "proc", "usr", "dev", "sys", "bin", "home", "root", "run", "app",
    // The API server's paths and the image's binary.
    "api", "apis", "registry", "healthz", "livez", "readyz", "demo-app",
];

static ENV_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][A-Z0-9]*_[A-Z0-9_]+)(=.*)?$").unwrap());
static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(GET|POST|PUT|DELETE|PATCH) )?(/[a-z][a-z0-9_/{}.-]*)(?:\?.*)?$").unwrap()
});
static PORT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bport (\d{4,5})\b").unwrap());

/// Everything the kit names, to look names up in.
pub struct Known {
    /// Variable names: the app's, and every word of the manifests and
    /// Makefiles that looks like one.
    pub env: BTreeSet<String>,
    /// (method, path template) of the app's routes.
    pub routes: Vec<(String, String)>,
    /// Every number of four or five digits in the manifests and Makefiles.
    pub ports: BTreeSet<String>,
}

impl Known {
    pub fn read(root: &Path) -> Known {
        let mut env: BTreeSet<String> = demo_app::config::ENV_VARS
            .iter()
            .map(|v| v.name.to_owned())
            .collect();
        env.extend(TOOL_VARS.iter().map(|s| s.to_string()));
        let mut ports: BTreeSet<String> = LOCAL_PORTS.iter().map(|s| s.to_string()).collect();
        let word = Regex::new(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\bKUBECONFIG\b").unwrap();
        let number = Regex::new(r"\b\d{4,5}\b").unwrap();
        let texts = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                e.depth() == 0 || !(n.starts_with('.') || n == "target" || n == "book")
            })
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy();
                n.ends_with(".yaml") || n.ends_with(".mk") || n == "Makefile" || n == "Dockerfile"
            })
            .filter_map(|e| std::fs::read_to_string(e.path()).ok());
        for text in texts {
            env.extend(word.find_iter(&text).map(|m| m.as_str().to_owned()));
            ports.extend(number.find_iter(&text).map(|m| m.as_str().to_owned()));
        }
        let routes = demo_app::openapi::document()["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .iter()
                    .flat_map(|(path, methods)| {
                        methods
                            .as_object()
                            .into_iter()
                            .flat_map(|m| m.keys())
                            .map(move |method| (method.to_ascii_uppercase(), path.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Known { env, routes, ports }
    }

    /// Does the app serve `path` (with `method`)? Without a method, a
    /// prefix of a route counts (`/kv` in an Ingress rule).
    fn serves(&self, method: Option<&str>, path: &str) -> bool {
        if UNDOCUMENTED_ROUTES.contains(&path) {
            return true;
        }
        let wanted: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        self.routes.iter().any(|(m, template)| {
            let parts: Vec<&str> = template.split('/').collect();
            method.is_none_or(|method| method == m)
                && (parts.len() == wanted.len() || (method.is_none() && parts.len() > wanted.len()))
                && parts.iter().zip(&wanted).all(|(t, w)| {
                    t == w || (t.starts_with('{') && t.ends_with('}') && !w.is_empty())
                })
        })
    }
}

/// What the check looked at and what it found.
#[derive(Debug, Default)]
pub struct Report {
    pub env: usize,
    pub routes: usize,
    pub paths: usize,
    pub ports: usize,
    pub problems: Vec<String>,
}

/// Checks the names in the inline code and prose of `pages`.
pub fn check(root: &Path, pages: &[Page], known: &Known) -> Report {
    let mut report = Report::default();
    for page in pages {
        for item in items(&page.text) {
            match item {
                Item::InlineCode(code, line) => {
                    check_code(root, page, &code, line, known, &mut report)
                }
                Item::Prose(text, line) => {
                    for c in PORT.captures_iter(&text) {
                        report.ports += 1;
                        if !known.ports.contains(&c[1]) {
                            report.problems.push(format!(
                                "{}: port {} is in no manifest or Makefile",
                                page.at(line),
                                &c[1]
                            ));
                        }
                    }
                }
                Item::Code(_) => {}
            }
        }
    }
    report
}

fn check_code(
    root: &Path,
    page: &Page,
    code: &str,
    line: usize,
    known: &Known,
    report: &mut Report,
) {
    let code = code.trim();
    if let Some(c) = ENV_NAME.captures(code) {
        report.env += 1;
        if !known.env.contains(&c[1]) && !SERVICE_LINK.is_match(&c[1]) {
            report.problems.push(format!(
                "{}: `{}` is read by neither the app nor any manifest or Makefile",
                page.at(line),
                &c[1]
            ));
        }
        return;
    }
    if let Some(c) = ROUTE.captures(code) {
        let path = &c[2];
        let first = path[1..].split('/').next().unwrap_or("");
        if NOT_ROUTES.contains(&first) || first.contains('.') {
            return;
        }
        report.routes += 1;
        let method = c.get(1).map(|m| m.as_str());
        let deliberate = NOT_APP_ROUTES
            .iter()
            .any(|(p, route, _)| *p == page.path && *route == path);
        if !deliberate && !known.serves(method, path) {
            report.problems.push(format!(
                "{}: `{code}`: the app serves no such route (see /openapi.json)",
                page.at(line)
            ));
        }
        return;
    }
    if TOP.iter().any(|t| code.starts_with(t)) && !code.contains(char::is_whitespace) {
        if code.starts_with(GENERATED) || code.contains(['*', '<', '…']) {
            return;
        }
        // `file.rs:anchor`, `dir/`
        let path = code.split(':').next().unwrap_or(code).trim_end_matches('/');
        report.paths += 1;
        if !root.join(path).exists() {
            report.problems.push(format!(
                "{}: `{code}`: no such file or directory in the repository",
                page.at(line)
            ));
        }
    }
}
