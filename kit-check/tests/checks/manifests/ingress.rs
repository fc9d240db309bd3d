//! The ingress controller `make ingress` applies (`k8s/ingress/`, Traefik):
//! the same checks as the kit's own manifests (schema, Pod Security
//! "restricted", the recommended labels, checkov), its nodePort is the one
//! `make cluster` publishes, and the guide's Ingress names its class.

use std::fs;
use std::path::PathBuf;

use kit_check::checkov;
use kit_check::flavours;
use kit_check::labels::missing;
use kit_check::objects::Objects;
use kit_check::pod_security::violations;
use kit_check::schema::check_documents;
use kit_check::tools;
use kit_check::yaml::Document;
use testkit::repo_root;

use crate::common::{Edit, assert_clean, edited};

fn documents(edits: &[Edit]) -> Vec<Document> {
    edited(edits).ingress_documents().unwrap()
}

#[test]
fn the_ingress_controller_matches_the_schema() {
    let docs = documents(&[]);
    assert!(docs.len() >= 6, "only {} objects", docs.len());
    assert_clean("schema problems", &check_documents(&docs));
}

fn pod_security(edits: &[Edit]) -> Vec<String> {
    let objects = Objects::from_documents(&documents(edits)).unwrap();
    assert_eq!(objects.workloads.len(), 1, "one Deployment");
    objects.workloads.iter().flat_map(violations).collect()
}

#[test]
fn the_ingress_controller_meets_restricted_and_its_namespace_enforces_it() {
    assert_clean("Pod Security", &pod_security(&[]));
    let found = pod_security(&[(
        "ingress/deployment.yaml",
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
    )]);
    assert!(!found.is_empty(), "a privilege escalation went unseen");
    let text = fs::read_to_string(edited(&[]).root().join("ingress/namespace.yaml")).unwrap();
    assert!(text.contains("pod-security.kubernetes.io/enforce: restricted"));
}

#[test]
fn the_ingress_controller_carries_the_recommended_labels() {
    assert_clean("objects without labels", &missing(&documents(&[])));
    let found = missing(&documents(&[(
        "ingress/ingressclass.yaml",
        "    app.kubernetes.io/component: ingress-controller\n",
        "",
    )]));
    assert_eq!(
        found,
        ["IngressClass traefik: no label app.kubernetes.io/component"]
    );
}

/// checkov on the ingress controller's manifests of a copy.
fn scan(edits: &[Edit]) -> Option<checkov::Report> {
    let checkov = tools::checkov()?;
    let copy = edited(edits);
    let files: Vec<PathBuf> = copy.ingress_paths();
    Some(checkov::run(&checkov, &files).expect("checkov runs"))
}

#[test]
fn checkov_finds_nothing_to_fail_in_the_ingress_controller() {
    let Some(report) = scan(&[]) else { return };
    assert!(
        report.failed.is_empty(),
        "checkov failed checks:\n{}",
        report.failed.join("\n")
    );
    assert_clean(
        "skips without a reason",
        &checkov::skips_without_reason(&documents(&[])),
    );
    let Some(report) = scan(&[(
        "ingress/deployment.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
    )]) else {
        return;
    };
    assert!(
        report.failed.iter().any(|f| f.starts_with("CKV_K8S_22 ")),
        "{:#?}",
        report.failed
    );
}

fn node_port(docs: &[Document]) -> String {
    docs.iter()
        .find(|d| d.value["kind"] == "Service")
        .map(|d| d.value["spec"]["ports"][0]["nodePort"].to_string())
        .expect("a Service")
}

fn ingress_class(docs: &[Document]) -> String {
    docs.iter()
        .find(|d| d.value["kind"] == "IngressClass")
        .and_then(|d| d.value["metadata"]["name"].as_str())
        .expect("an IngressClass")
        .to_owned()
}

#[test]
fn its_node_port_is_the_one_make_cluster_publishes_and_the_example_names_its_class() {
    let text = fs::read_to_string(repo_root().join("k8s/flavours.mk")).unwrap();
    let vars = flavours::read(&text).unwrap();
    assert_eq!(node_port(&documents(&[])), vars["INGRESS_NODE_PORT"]);
    let moved = documents(&[("ingress/service.yaml", "nodePort: 30443", "nodePort: 30444")]);
    assert_ne!(node_port(&moved), vars["INGRESS_NODE_PORT"]);

    let copy = edited(&[]);
    let example = fs::read_to_string(copy.root().join("examples/ingress.yaml")).unwrap();
    let class = ingress_class(&documents(&[]));
    assert!(
        example.contains(&format!("ingressClassName: {class}\n")),
        "examples/ingress.yaml does not name the class {class}"
    );
}
