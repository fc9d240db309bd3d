//! The `make` targets the guide tells readers to type exist, say what they
//! do (`## help` for `make help`, under a `##@ Group` header), and check
//! their prerequisites first (a `k8s-need-*` target: kubectl, a reachable
//! cluster, a local context, Docker), directly or through the target they
//! build on.

use std::collections::BTreeMap;
use std::path::Path;

/// Every target the guide and the README tell readers to type.
pub const REQUIRED: &[&str] = &[
    "deploy",
    "status",
    "logs",
    "scale",
    "restart",
    "rollout-status",
    "undo",
    "redis-deploy",
    "redis-status",
    "metrics-server",
    "hpa",
    "hpa-status",
    "hpa-delete",
    "load",
    "test-e2e",
    "undeploy",
    "clean",
    "cluster",
    "cluster-delete",
    "doctor",
    "url",
    "reset",
    "ingress",
];

/// Targets that check what they need inline instead of through a
/// prerequisite (`clean` works with or without a cluster and Docker).
const CHECKS_INLINE: &[&str] = &["clean"];

/// A rule: its prerequisites and its `## help` text.
#[derive(Debug)]
pub struct Rule {
    pub prerequisites: Vec<String>,
    pub help: Option<String>,
}

/// The rules of a makefile (`target: prerequisites ## help` lines).
pub fn rules(makefile: &str) -> BTreeMap<String, Rule> {
    let mut rules = BTreeMap::new();
    for line in makefile.lines() {
        if line.starts_with(['\t', '#', ' ', '.']) || line.contains(":=") || line.contains("?=") {
            continue;
        }
        let Some((target, rest)) = line.split_once(':') else {
            continue;
        };
        if target.contains(char::is_whitespace) || target.contains('$') {
            continue;
        }
        let (prerequisites, help) = match rest.split_once("##") {
            Some((p, h)) => (p, Some(h.trim().to_owned())),
            None => (rest, None),
        };
        rules.insert(
            target.to_owned(),
            Rule {
                prerequisites: prerequisites
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                help,
            },
        );
    }
    rules
}

/// The text of `file` and of every makefile it includes (`include a b`),
/// depth first, each as (path, text); `read` maps a path relative to the
/// repository root to its text (so a test can serve a changed copy).
pub fn with_includes(
    file: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Vec<(String, String)>, String> {
    let text = read(file)?;
    let mut all = vec![(file.to_owned(), text.clone())];
    for line in text.lines() {
        if let Some(names) = line.strip_prefix("include ") {
            for name in names.split_whitespace() {
                all.extend(with_includes(name, read)?);
            }
        }
    }
    Ok(all)
}

/// The repository's Makefile and its includes, read from `root`.
pub fn kit_makefiles(root: &Path) -> Result<Vec<(String, String)>, String> {
    with_includes("Makefile", &|path| {
        std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))
    })
}

/// Help groups: every target with `## help` text sits under a `##@ Group`
/// line of its file, and every group is one of `groups` (HELP_GROUPS), so
/// `make help` shows it where the reader looks.
pub fn group_problems(files: &[(String, String)], groups: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        let mut group: Option<&str> = None;
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("##@ ") {
                if !groups.contains(&name.trim()) {
                    problems.push(format!("{path}: group {name:?} is not in HELP_GROUPS"));
                }
                group = Some(name);
            } else if let Some((target, rule)) = rules(line).into_iter().next()
                && rule.help.is_some()
                && group.is_none()
            {
                problems.push(format!(
                    "{path}: {target} has help text but no ##@ group above it"
                ));
            }
        }
    }
    problems
}

/// What is wrong with the required targets of `makefile`.
pub fn problems(makefile: &str) -> Vec<String> {
    let rules = rules(makefile);
    let checks_first = |target: &str| {
        let direct = |t: &str| {
            rules
                .get(t)
                .is_some_and(|r| r.prerequisites.iter().any(|p| p.starts_with("k8s-need-")))
        };
        direct(target)
            || rules
                .get(target)
                .is_some_and(|r| r.prerequisites.iter().any(|p| direct(p)))
    };
    let mut problems = Vec::new();
    for target in REQUIRED {
        match rules.get(*target) {
            None => problems.push(format!("no target {target}")),
            Some(rule) => {
                if rule.help.as_deref().is_none_or(str::is_empty) {
                    problems.push(format!("{target} has no `## help` text for make help"));
                }
                if !CHECKS_INLINE.contains(target) && !checks_first(target) {
                    problems.push(format!(
                        "{target} does not check its prerequisites (no k8s-need-* target)"
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_read_with_prerequisites_and_help() {
        let text = "X := 1\nall: a b ## Build all\n\techo hi\nb:\n";
        let rules = rules(text);
        assert_eq!(rules["all"].prerequisites, ["a", "b"]);
        assert_eq!(rules["all"].help.as_deref(), Some("Build all"));
        assert!(rules["b"].help.is_none());
        assert!(!rules.contains_key("X "));
    }
}
