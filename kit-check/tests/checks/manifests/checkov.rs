//! Check 4 (`kit_check::checkov`): checkov reports no failed check on what `make deploy` and
//! `make hpa` apply, and every deliberate skip says why.

use std::path::PathBuf;

use kit_check::checkov::{self, Report};
use kit_check::tools;

use crate::common::{Edit, assert_clean, kit};

/// checkov on the edited copy's kustomize build plus the HPA.
fn scan(edits: &[Edit]) -> Option<Report> {
    let kit = kit(edits)?;
    let checkov = tools::checkov()?;
    let build = kit.root().join("kustomize-build.yaml");
    std::fs::write(&build, kit.workspace.build(&kit.kubectl).unwrap()).unwrap();
    let files: Vec<PathBuf> = vec![build, kit.workspace.hpa_path()];
    Some(checkov::run(&checkov, &files).expect("checkov runs"))
}

#[test]
fn checkov_finds_nothing_to_fail() {
    let Some(report) = scan(&[]) else {
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
    let Some(report) = scan(&[(
        "redis/deployment.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
    )]) else {
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
    let Some(report) = scan(&[(
        "app/deployment.yaml",
        "checkov.io/skip3: CKV_K8S_35=",
        "example.org/note: CKV_K8S_35=",
    )]) else {
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
    let Some(kit) = kit(&[]) else { return };
    assert_clean(
        "skips without a reason",
        &checkov::skips_without_reason(&kit.build_with_hpa()),
    );
}

#[test]
fn a_skip_without_a_reason_fails() {
    let Some(kit) = kit(&[(
        "redis/deployment.yaml",
        "checkov.io/skip1: CKV_K8S_15=A pinned version tag is pulled once and reused; Always would make every restart depend on reaching Docker Hub",
        "checkov.io/skip1: CKV_K8S_15",
    )]) else {
        return;
    };
    let problems = checkov::skips_without_reason(&kit.build());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("checkov.io/skip1"), "{problems:#?}");
}
