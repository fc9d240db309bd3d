//! Check 4: checkov reports no failed check on what `make deploy` and
//! `make hpa` apply, and every deliberate skip says why.

use std::path::PathBuf;

use manifest_check::checkov::{self, Report};
use manifest_check::kustomize::Workspace;
use manifest_check::tools;

/// checkov on the workspace's kustomize build plus the HPA.
fn scan(workspace: &Workspace) -> Option<Report> {
    let kubectl = tools::kubectl()?;
    let checkov = tools::checkov()?;
    let build = workspace.root().join("kustomize-build.yaml");
    std::fs::write(&build, workspace.build(&kubectl).unwrap()).unwrap();
    let files: Vec<PathBuf> = vec![build, workspace.hpa_path()];
    Some(checkov::run(&checkov, &files).expect("checkov runs"))
}

#[test]
fn checkov_finds_nothing_to_fail() {
    let Some(report) = scan(&Workspace::new()) else {
        return;
    };
    assert!(
        report.failed.is_empty(),
        "checkov failed checks:\n{}",
        report.failed.join("\n")
    );
    assert!(
        report.passed > 100,
        "checkov passed only {} checks",
        report.passed
    );
}

#[test]
fn a_writable_root_filesystem_fails_checkov() {
    let workspace = Workspace::new();
    workspace.replace(
        "redis/deployment.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
    );
    let Some(report) = scan(&workspace) else {
        return;
    };
    assert_eq!(report.failed.len(), 1, "{:#?}", report.failed);
    assert!(
        report.failed[0].starts_with("CKV_K8S_22 "),
        "{:#?}",
        report.failed
    );
}

#[test]
fn removing_a_skip_annotation_makes_its_check_fail() {
    let workspace = Workspace::new();
    workspace.replace(
        "app/deployment.yaml",
        "checkov.io/skip3: CKV_K8S_35=",
        "example.org/note: CKV_K8S_35=",
    );
    let Some(report) = scan(&workspace) else {
        return;
    };
    assert!(
        report.failed.iter().any(|f| f.starts_with("CKV_K8S_35 ")),
        "{:#?}",
        report.failed
    );
}

#[test]
fn every_skip_annotation_gives_its_reason() {
    let Some(kubectl) = tools::kubectl() else {
        return;
    };
    let workspace = Workspace::new();
    let mut docs = workspace.build_documents(&kubectl).unwrap();
    docs.extend(workspace.hpa_documents().unwrap());
    let problems = checkov::skips_without_reason(&docs);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_skip_without_a_reason_fails() {
    let Some(kubectl) = tools::kubectl() else {
        return;
    };
    let workspace = Workspace::new();
    workspace.replace(
        "redis/deployment.yaml",
        "checkov.io/skip1: CKV_K8S_15=A pinned version tag is pulled once and reused; Always would make every restart depend on reaching Docker Hub",
        "checkov.io/skip1: CKV_K8S_15",
    );
    let problems = checkov::skips_without_reason(&workspace.build_documents(&kubectl).unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("checkov.io/skip1"), "{problems:#?}");
}
