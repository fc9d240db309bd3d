//! The GitHub workflows call only make targets and scripts that exist.

use std::collections::BTreeSet;
use std::fs;

use kit_check::make_targets::{kit_makefiles, rules};
use kit_check::workflows::{problems, run_scripts};
use testkit::repo_root;

use crate::common::assert_clean;

const E2E: &str = ".github/workflows/e2e.yml";
const E2E_REGISTRY: &str = ".github/workflows/e2e-registry.yml";
const PAGES: &str = ".github/workflows/pages.yml";

/// Every workflow (a new one is checked without being listed here).
fn workflows() -> Vec<String> {
    let dir = repo_root().join(".github/workflows");
    let mut found: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
        .map(|name| format!(".github/workflows/{name}"))
        .collect();
    found.sort();
    found
}

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
    let workflows = workflows();
    for known in [E2E, E2E_REGISTRY, PAGES] {
        assert!(workflows.iter().any(|w| w == known), "{workflows:?}");
    }
    for workflow in &workflows {
        assert_clean(
            workflow,
            &problems(workflow, &read(workflow), &targets, repo_root()),
        );
    }
}

#[test]
fn a_missing_target_or_script_fails() {
    let targets = targets();
    let broken = read(E2E).replacen("run: make test-e2e", "run: make test-e3e", 1);
    assert_eq!(
        problems("e2e", &broken, &targets, repo_root()),
        ["e2e: make test-e3e: no such target"]
    );
    let broken = read(PAGES).replacen("run: make docs-build", "run: .ci/build-docs", 1);
    assert_eq!(
        problems("pages", &broken, &targets, repo_root()),
        ["pages: .ci/build-docs: no such script"]
    );
}

#[test]
fn e2e_runs_the_readers_sequence_and_reports_on_failure() {
    let text = read(E2E);
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

/// The registry path: a kind cluster, the image pushed for both platforms
/// to the registry beside it, the app's tests against what the nodes pulled.
#[test]
fn e2e_registry_deploys_through_the_registry_then_tests() {
    let text = read(E2E_REGISTRY);
    let scripts = run_scripts(&text).unwrap().join("\n");
    let at = |step: &str| {
        scripts
            .find(step)
            .unwrap_or_else(|| panic!("e2e-registry.yml does not run {step}"))
    };
    let order = [
        at("make cluster"),
        at("docker network connect kind"),
        at("make deploy REGISTRY="),
        at("make test-e2e"),
    ];
    assert!(order.is_sorted(), "e2e-registry.yml runs them out of order");
    for action in ["docker/setup-qemu-action@", "docker/setup-buildx-action@"] {
        assert!(text.contains(action), "e2e-registry.yml does not use {action}");
    }
    assert!(text.contains("driver-opts: network=host"));
    assert!(text.contains("FLAVOUR: kind"));
    assert!(text.contains("if: failure()"));
}
