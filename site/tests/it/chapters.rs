//! (3) Every chapter links to at least one demo-app or k8s source it discusses.
//! Content-dependent: fails while chapters are still title-only.

use crate::common;
use common::{assert_none, checks, fixture};

#[test]
fn every_chapter_links_a_demo_app_or_k8s_source() {
    assert_none(
        "chapters without a source link",
        &checks::chapters_without_source_links(testkit::repo_root()),
    );
}

#[test]
fn a_chapter_without_a_source_link_is_caught() {
    assert_none(
        "base fixture",
        &checks::chapters_without_source_links(&fixture("base")),
    );
    let problems = checks::chapters_without_source_links(&fixture("no-source-link"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("walkthrough/probes.md"));
}
