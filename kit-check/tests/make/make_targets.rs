//! Every target of the deploy workflow exists, is listed by `make help`
//! and checks its prerequisites before doing anything.

use kit_check::make_targets::problems;

use crate::common::edited;

fn k8s_mk(workspace: &kit_check::kustomize::Workspace) -> String {
    std::fs::read_to_string(workspace.root().join("k8s.mk")).unwrap()
}

#[test]
fn every_workflow_target_exists_explains_itself_and_checks_first() {
    let found = problems(&k8s_mk(&edited(&[])));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_target_without_its_prerequisite_check_fails() {
    let workspace = edited(&[]);
    workspace.replace("k8s.mk", "undo: k8s-need-local-context ##", "undo: ##");
    assert_eq!(
        problems(&k8s_mk(&workspace)),
        ["undo does not check its prerequisites (no k8s-need-* target)"]
    );
}

#[test]
fn a_missing_target_fails() {
    let workspace = edited(&[]);
    workspace.replace("k8s.mk", "\nhpa-delete:", "\nhpa-remove:");
    assert_eq!(problems(&k8s_mk(&workspace)), ["no target hpa-delete"]);
}
