//! The solutions of the guide's exercises (`k8s/examples/exercises/`): a
//! reader's first manifests, checked for what makes them work on the
//! cluster, not for the kit's policy (checkov is not run on them, as their
//! header says):
//! - they all live in the exercises' own namespace, which `make reset`
//!   deletes, so nothing a reader makes there outlives a reset;
//! - that namespace enforces "baseline" and warns on "restricted", so a
//!   first Deployment without a securityContext runs and the reader sees
//!   the warnings that say what the kit's securityContext is for;
//! - their pod templates meet "restricted" (the solution answers the warning);
//! - their Services, probes, ConfigMap references and NetworkPolicy reach
//!   the pods and the app's routes.

use kit_check::consistency::check_wiring;
use kit_check::kustomize::Workspace;
use kit_check::objects::Objects;
use kit_check::pod_security::violations;
use kit_check::yaml::Document;
use serde_json::Value;

use super::consistency::app_facts;
use crate::common::{Edit, assert_clean, edited};

/// The exercises' folder, relative to `k8s/`.
const EXERCISES: &str = "examples/exercises/";
/// The file that declares their namespace.
const NAMESPACE_FILE: &str = "examples/exercises/namespace.yaml";

/// Problems the wiring check reports on purpose, each with its reason;
/// one that is no longer reported fails, so the list cannot rot.
const EXPECTED: &[(&str, &str)] = &[(
    "NetworkPolicy exercises/hello-allow-client: ingress[0].from podSelector matches no pod template",
    "the pods it lets in are the client pods the NetworkPolicy page starts with kubectl run --labels=access=hello",
)];

/// The documents of every exercise solution, in a copy edited by `edits`.
fn exercise_documents(edits: &[Edit]) -> Vec<Document> {
    documents(&edited(edits))
}

fn documents(workspace: &Workspace) -> Vec<Document> {
    let docs: Vec<Document> = workspace
        .example_documents()
        .expect("the examples parse")
        .into_iter()
        .filter(|d| d.origin.starts_with(EXERCISES))
        .collect();
    assert!(!docs.is_empty(), "k8s/{EXERCISES} has no manifest");
    docs
}

fn str_at<'a>(doc: &'a Document, pointer: &str) -> Option<&'a str> {
    doc.value.pointer(pointer).and_then(Value::as_str)
}

/// Every object outside the exercises' namespace, and what is wrong with
/// the namespace's Pod Security labels.
fn namespace_problems(docs: &[Document]) -> Vec<String> {
    let namespaces: Vec<&Document> = docs
        .iter()
        .filter(|d| str_at(d, "/kind") == Some("Namespace"))
        .collect();
    let [namespace] = namespaces.as_slice() else {
        return vec![format!(
            "k8s/{EXERCISES} declares {} namespaces, not one (in {NAMESPACE_FILE})",
            namespaces.len()
        )];
    };
    let name = str_at(namespace, "/metadata/name").unwrap_or_default();
    let mut problems = Vec::new();
    for (label, wanted) in [("enforce", "baseline"), ("warn", "restricted")] {
        let pointer = format!("/metadata/labels/pod-security.kubernetes.io~1{label}");
        let got = str_at(namespace, &pointer);
        if got != Some(wanted) {
            problems.push(format!(
                "{}: pod-security.kubernetes.io/{label} is {got:?}, not {wanted:?}",
                namespace.origin
            ));
        }
    }
    for doc in docs.iter().filter(|d| d.origin != namespace.origin) {
        let got = str_at(doc, "/metadata/namespace");
        if got != Some(name) {
            problems.push(format!(
                "{}: namespace {got:?}, not the exercises' {name:?} (make reset deletes that namespace, and only its objects go with it)",
                doc.origin
            ));
        }
    }
    problems
}

/// What the wiring check finds, less the expected problems; a stale
/// expectation is a problem too.
fn wiring_problems(docs: &[Document]) -> Vec<String> {
    let objects = Objects::from_documents(docs).expect("every exercise object decodes");
    let found = check_wiring(&objects, &app_facts());
    let mut problems: Vec<String> = found
        .iter()
        .filter(|p| !EXPECTED.iter().any(|(expected, _)| p == expected))
        .cloned()
        .collect();
    for (expected, why) in EXPECTED {
        if !found.iter().any(|p| p == expected) {
            problems.push(format!(
                "no longer found, remove it from EXPECTED: {expected} ({why})"
            ));
        }
    }
    problems
}

fn restricted_problems(docs: &[Document]) -> Vec<String> {
    let objects = Objects::from_documents(docs).expect("every exercise object decodes");
    assert!(!objects.workloads.is_empty(), "no exercise runs a pod");
    objects.workloads.iter().flat_map(violations).collect()
}

#[test]
fn every_exercise_lives_in_the_exercises_namespace() {
    assert_clean(
        "exercise namespace problems",
        &namespace_problems(&exercise_documents(&[])),
    );
}

#[test]
fn an_exercise_outside_its_namespace_fails() {
    let problems = namespace_problems(&exercise_documents(&[(
        "examples/exercises/hello-networkpolicy.yaml",
        "namespace: exercises",
        "namespace: default",
    )]));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(
            "examples/exercises/hello-networkpolicy.yaml#1: namespace Some(\"default\"), not the exercises'"
        ),
        "{problems:#?}"
    );
}

#[test]
fn an_exercise_namespace_that_enforces_restricted_fails() {
    let problems = namespace_problems(&exercise_documents(&[(
        NAMESPACE_FILE,
        "pod-security.kubernetes.io/enforce: baseline",
        "pod-security.kubernetes.io/enforce: restricted",
    )]));
    assert_eq!(
        problems,
        [
            "examples/exercises/namespace.yaml#1: pod-security.kubernetes.io/enforce is Some(\"restricted\"), not \"baseline\""
        ]
    );
}

#[test]
fn every_exercise_pod_template_meets_restricted() {
    assert_clean(
        "exercise pod templates below \"restricted\"",
        &restricted_problems(&exercise_documents(&[])),
    );
}

#[test]
fn an_exercise_without_run_as_non_root_fails() {
    let problems = restricted_problems(&exercise_documents(&[(
        "examples/exercises/hello.yaml",
        "            runAsNonRoot: true\n",
        "",
    )]));
    assert_eq!(
        problems,
        [
            "Deployment exercises/hello: container demo-app: runAsNonRoot must be true (pod or container)"
        ]
    );
}

#[test]
fn every_exercise_is_wired() {
    assert_clean(
        "exercise wiring problems",
        &wiring_problems(&exercise_documents(&[])),
    );
}

#[test]
fn an_exercise_service_on_an_unnamed_port_fails() {
    let problems = wiring_problems(&exercise_documents(&[(
        "examples/exercises/hello.yaml",
        "targetPort: http",
        "targetPort: web",
    )]));
    assert!(
        problems.len() == 3
            && problems.iter().all(|p| p.starts_with(
                "Service exercises/hello: targetPort \"web\" is not a containerPort of Deployment exercises/hello"
            )),
        "{problems:#?}"
    );
}

#[test]
fn an_exercise_probe_on_a_route_the_app_lacks_fails() {
    let problems = wiring_problems(&exercise_documents(&[(
        "examples/exercises/hello-probes.yaml",
        "path: /ready",
        "path: /readyz",
    )]));
    assert_eq!(
        problems,
        [
            "Deployment exercises/hello: container demo-app readiness probe path /readyz is not a GET route of the app"
        ]
    );
}

#[test]
fn an_exercise_configmap_reference_that_resolves_nowhere_fails() {
    let problems = wiring_problems(&exercise_documents(&[(
        "examples/exercises/hello-config.yaml",
        "                name: hello-config",
        "                name: hello-settings",
    )]));
    assert_eq!(
        problems,
        ["Deployment exercises/hello: envFrom ConfigMap hello-settings does not exist"]
    );
}

#[test]
fn a_stale_expected_problem_fails() {
    let problems = wiring_problems(&exercise_documents(&[(
        "examples/exercises/hello-networkpolicy.yaml",
        "              access: hello",
        "              app: hello",
    )]));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("no longer found, remove it from EXPECTED"),
        "{problems:#?}"
    );
}
