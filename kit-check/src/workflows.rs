//! What the GitHub workflows run: every `make <target>` of their `run:`
//! steps must be a target of the kit's Makefiles, and every script they call
//! by path must exist. (actionlint, run by `make lint-workflows`, checks the
//! rest: syntax, expressions, the shell of `run:` steps.)

use std::collections::BTreeSet;
use std::path::Path;

use yaml_rust2::YamlLoader;

/// The `run:` scripts of every step of every job of a workflow.
pub fn run_scripts(workflow: &str) -> Result<Vec<String>, String> {
    let docs = YamlLoader::load_from_str(workflow).map_err(|e| e.to_string())?;
    let mut scripts = Vec::new();
    for doc in &docs {
        let Some(jobs) = doc["jobs"].as_hash() else {
            return Err("no jobs".into());
        };
        for job in jobs.values() {
            if let Some(steps) = job["steps"].as_vec() {
                scripts.extend(
                    steps
                        .iter()
                        .filter_map(|s| s["run"].as_str().map(str::to_owned)),
                );
            }
        }
    }
    Ok(scripts)
}

/// The make targets named in a script (`make a b VAR=x` names a and b).
pub fn make_targets(script: &str) -> Vec<String> {
    let mut targets = Vec::new();
    // One command per piece: lines, and the parts of `a && b`, `a || b`,
    // `a; b`, `a | b`.
    let commands = script
        .lines()
        .flat_map(|l| l.split("&&"))
        .flat_map(|c| c.split(['|', ';']));
    for command in commands {
        let mut words = command.split_whitespace();
        if words.next() != Some("make") {
            continue;
        }
        targets.extend(
            words
                .filter(|w| !w.starts_with('-') && !w.contains('='))
                .map(str::to_owned),
        );
    }
    targets
}

/// Paths a script runs directly (`./x`, `.ci/x`, `scripts/x`).
pub fn scripts_called(script: &str) -> Vec<String> {
    script
        .split_whitespace()
        .filter(|w| w.starts_with("./") || w.starts_with(".ci/") || w.starts_with("scripts/"))
        .map(|w| w.trim_start_matches("./").to_owned())
        .collect()
}

/// Every target or script the workflow calls that does not exist.
pub fn problems(
    name: &str,
    workflow: &str,
    targets: &BTreeSet<String>,
    root: &Path,
) -> Vec<String> {
    let scripts = match run_scripts(workflow) {
        Ok(s) => s,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let mut problems = Vec::new();
    for script in &scripts {
        for target in make_targets(script) {
            if !targets.contains(&target) {
                problems.push(format!("{name}: make {target}: no such target"));
            }
        }
        for path in scripts_called(script) {
            if !root.join(&path).is_file() {
                problems.push(format!("{name}: {path}: no such script"));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_read_from_make_lines() {
        assert_eq!(
            make_targets("echo hi\nmake cluster FLAVOUR=kind && make -s deploy\n"),
            ["cluster", "deploy"]
        );
    }
}
