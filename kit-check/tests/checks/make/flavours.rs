//! The guide's "Which cluster?" table is the one k8s/flavours.mk (which
//! make creates the clusters from) gives, and the app Service's node port is
//! the one `make cluster` publishes.

use std::fs;

use kit_check::flavours::{read, table, table_in};
use kit_check::yaml::parse;
use testkit::repo_root;

use crate::common::edited;

const CHAPTER: &str = "docs/walkthrough/deploying-and-verifying.md";

fn flavours_mk() -> String {
    fs::read_to_string(repo_root().join("k8s/flavours.mk")).unwrap()
}

/// The table `text` gives, against the one in the chapter.
fn table_problem(flavours_text: &str) -> Option<String> {
    let expected = table(&read(flavours_text).unwrap()).unwrap();
    let chapter = fs::read_to_string(repo_root().join(CHAPTER)).unwrap();
    match table_in(&chapter) {
        None => Some(format!("{CHAPTER} has no generated flavours table")),
        Some(found) if found.trim() == expected.trim() => None,
        Some(_) => Some(format!(
            "{CHAPTER}: the table differs from k8s/flavours.mk; paste this between the markers:\n{expected}"
        )),
    }
}

#[test]
fn the_guides_table_is_the_one_flavours_mk_gives() {
    if let Some(problem) = table_problem(&flavours_mk()) {
        panic!("{problem}");
    }
}

#[test]
fn a_fact_changed_only_in_flavours_mk_fails() {
    let changed = flavours_mk().replacen("APP_HOST_PORT ?= 8080", "APP_HOST_PORT ?= 8081", 1);
    assert!(table_problem(&changed).is_some_and(|p| p.contains("http://localhost:8081")));
}

#[test]
fn the_pinned_versions_are_the_taught_minor() {
    let vars = read(&flavours_mk()).unwrap();
    let minor = format!("1.{}.", vars["KUBERNETES_MINOR"]);
    for name in [
        "KIND_NODE_IMAGE",
        "K3S_IMAGE",
        "MINIKUBE_KUBERNETES_VERSION",
    ] {
        assert!(
            vars[name].contains(&format!("v{minor}")),
            "{name} = {}",
            vars[name]
        );
    }
}

/// The node port of the app Service in a copy of the kit.
fn node_port(workspace: &kit_check::kustomize::Workspace) -> String {
    let text = fs::read_to_string(workspace.root().join("app/service.yaml")).unwrap();
    let doc = parse("app/service.yaml", &text).unwrap().remove(0);
    doc.value["spec"]["ports"][0]["nodePort"].to_string()
}

#[test]
fn the_services_node_port_is_the_one_make_cluster_publishes() {
    let vars = read(&flavours_mk()).unwrap();
    assert_eq!(node_port(&edited(&[])), vars["APP_NODE_PORT"]);
    let moved = edited(&[("app/service.yaml", "nodePort: 30080", "nodePort: 30081")]);
    assert_ne!(node_port(&moved), vars["APP_NODE_PORT"]);
}
