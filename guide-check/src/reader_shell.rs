//! The reader's shell during a page's replay: the variables the page's
//! commands have set so far (`APP=$(make url)`, `KEY=greeting`,
//! `PASS=$(kubectl … get secret … | base64 -d)`), with the local kit's
//! values, and the script a command becomes on this machine.
//!
//! An assignment runs in bash with its cluster parts given local answers:
//! `$(make url)` is the local app's URL (the real `make url` is never
//! called), a `kubectl` Secret lookup prints the local secret (base64, as
//! the cluster's does, so the page's own `| base64 -d | …` runs), any other
//! `kubectl` lookup prints a name of the kind asked for
//! ([`crate::clusters::KitClusters::lookup_output`]). No `kubectl` or `make` reaches a real
//! cluster from here.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::clusters::kit_clusters;
use crate::kit::Kit;
use crate::replay::localise;
use crate::shell::{assignments, substitutions};

/// Tools that reach a cluster (or build one): an assignment that would
/// still run one after the local answers is not run.
const CLUSTER_TOOLS: &[&str] = &[
    "kubectl", "make", "kind", "k3d", "minikube", "docker", "helm",
];

/// Separates an assignment's own output from the values it set.
const MARK: &str = "\u{1}guide-check-values\u{1}";

/// `{.data.KEY}` in a Secret lookup's jsonpath.
static DATA_KEY: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\{\.data\.([A-Za-z0-9_.-]+)\}").unwrap());

/// The variables set so far on one page.
#[derive(Debug, Default, Clone)]
pub struct ReaderShell {
    vars: BTreeMap<String, String>,
}

impl ReaderShell {
    /// The variables, for the environment of the next command.
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// `text` as it runs on this machine: app URLs and `/tmp/` files made
    /// local, `$(make url)` and `kubectl` lookups in `$(…)` answered
    /// locally; when it assigns variables, it prints their values after its
    /// own output (read back by [`ReaderShell::keep`]).
    pub fn script(&self, text: &str, kit: &Kit) -> Result<String, String> {
        // Continuation lines joined, as bash joins them.
        let mut script = localise(&text.replace("\\\n", " "), &kit.url());
        script = script.replace("/tmp/", &format!("{}/", kit.scratch().display()));
        // Innermost last: replace from the end so ranges stay valid.
        for (range, body) in substitutions(&script).into_iter().rev() {
            if let Some(local) = local_lookup(&body, kit)? {
                script.replace_range(range, &format!("$({local})"));
            }
        }
        let names: Vec<String> = assignments(text)
            .into_iter()
            .map(|a| format!("\"${{{}-}}\"", a.name))
            .collect();
        if !names.is_empty() {
            script = format!(
                "{script}\nprintf '%s' '{MARK}'; printf '%s\\0' {}",
                names.join(" ")
            );
        }
        Ok(script)
    }

    /// [`ReaderShell::script`] for a command that only assigns, or `None`
    /// when a cluster tool would be left to run for real
    /// (`IP=$(minikube ip)`): a cluster step, which sets nothing locally.
    pub fn assign_script(&self, text: &str, kit: &Kit) -> Result<Option<String>, String> {
        let script = self.script(text, kit)?;
        let left = script
            .split(['\n', ';', '(', '|', '&', ' ', '`'])
            .any(|w| CLUSTER_TOOLS.contains(&w));
        Ok((!left).then_some(script))
    }

    /// Keeps the values a [`ReaderShell::script`] printed; returns what the
    /// command itself printed.
    pub fn keep(&mut self, text: &str, printed: &str) -> String {
        let Some((own, values)) = printed.split_once(MARK) else {
            return printed.to_owned();
        };
        for (a, value) in assignments(text).into_iter().zip(values.split('\0')) {
            self.vars.insert(a.name, value.to_owned());
        }
        own.to_owned()
    }
}

/// The local stand-in for the body of a `$(…)`, or `None` to leave it.
fn local_lookup(body: &str, kit: &Kit) -> Result<Option<String>, String> {
    if body.trim() == "make url" {
        return Ok(Some(format!("printf '%s' '{}'", kit.url())));
    }
    let mut segments: Vec<String> = body.split('|').map(str::to_owned).collect();
    let mut changed = false;
    for segment in &mut segments {
        let words = shlex::split(segment.trim()).unwrap_or_default();
        if words.first().map(String::as_str) != Some("kubectl") {
            continue;
        }
        let output = if words
            .iter()
            .any(|w| w == "secret" || w.starts_with("secret/"))
        {
            let key = DATA_KEY
                .captures(segment)
                .map(|c| c[1].to_owned())
                .ok_or_else(|| {
                    format!(
                        "`{segment}`: the replay reads Secrets by `-o jsonpath='{{.data.KEY}}'`"
                    )
                })?;
            let value = kit
                .secret(&key)
                .ok_or_else(|| format!("`{segment}`: the app has no Secret key {key}"))?;
            format!("printf '%s' '{value}' | base64")
        } else {
            let clusters = kit_clusters()?;
            format!("printf '%s\\n' '{}'", clusters.lookup_output(segment))
        };
        *segment = format!(" {output} ");
        changed = true;
    }
    Ok(changed.then(|| segments.join("|").trim().to_owned()))
}
