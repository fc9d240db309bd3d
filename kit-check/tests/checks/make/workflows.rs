//! The GitHub workflows call only make targets and scripts that exist.

use std::collections::BTreeSet;
use std::fs;

use kit_check::make_targets::{kit_makefiles, rules};
use kit_check::workflows::{problems, run_scripts};
use testkit::repo_root;

use crate::common::assert_clean;

const WORKFLOWS: &[&str] = &[".github/workflows/e2e.yml", ".github/workflows/pages.yml"];

fn targets() -> BTreeSet<String> {
    kit_makefiles(repo_root())
        .unwrap()
        .iter()
        .flat_map(|(_, text)| rules(text).into_keys())
        .collect()
}

fn read(workflow: &str) -> String {
    fs::read_to_string(repo_root().join(workflow)).unwrap()
}

#[test]
fn every_target_and_script_the_workflows_call_exists() {
    let targets = targets();
    for workflow in WORKFLOWS {
        assert_clean(
            workflow,
            &problems(workflow, &read(workflow), &targets, repo_root()),
        );
    }
}

#[test]
fn a_missing_target_or_script_fails() {
    let targets = targets();
    let broken = read(WORKFLOWS[0]).replacen("run: make test-e2e", "run: make test-e3e", 1);
    assert_eq!(
        problems("e2e", &broken, &targets, repo_root()),
        ["e2e: make test-e3e: no such target"]
    );
    let broken = read(WORKFLOWS[1]).replacen("run: make docs-build", "run: .ci/build-docs", 1);
    assert_eq!(
        problems("pages", &broken, &targets, repo_root()),
        ["pages: .ci/build-docs: no such script"]
    );
}

#[test]
fn e2e_runs_the_readers_sequence_and_reports_on_failure() {
    let text = read(WORKFLOWS[0]);
    let scripts = run_scripts(&text).unwrap().join("\n");
    for step in [
        "make cluster",
        "make deploy",
        "make test-e2e",
        "kubectl get events",
    ] {
        assert!(scripts.contains(step), "e2e.yml does not run {step}");
    }
    for flavour in ["kind", "k3d", "minikube"] {
        assert!(text.contains(flavour), "e2e.yml has no {flavour} job");
    }
    assert!(text.contains("if: failure()"));
}
