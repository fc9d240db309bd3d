//! (2) Code blocks showing a project file include it; a pasted copy fails.

use crate::common;
use common::{assert_none, checks, fixture};

#[test]
fn no_page_or_slide_pastes_a_project_file() {
    let root = testkit::repo_root();
    let files = checks::markdown_sources(root);
    assert_none(
        "pasted copies of project files",
        &checks::pasted_blocks(root, &files),
    );
}

#[test]
fn included_blocks_and_shell_output_pass() {
    let root = fixture("base");
    let files = checks::markdown_sources(&root);
    assert_none("base fixture", &checks::pasted_blocks(&root, &files));
}

#[test]
fn a_pasted_manifest_is_caught() {
    let root = fixture("pasted");
    let problems = checks::pasted_blocks(&root, &checks::markdown_sources(&root));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("docs/walkthrough/probes.md:14"),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("k8s/app/deployment.yaml"),
        "{problems:?}"
    );
}
