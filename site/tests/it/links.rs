//! (1) Every internal link and #anchor of the built guide and deck resolves.

use crate::common;
use common::{assert_none, build_fixture, built_site, checks, fixture};

#[test]
fn every_link_and_anchor_of_the_built_guide_and_deck_resolves() {
    assert_none(
        "dead links in the built site",
        &checks::link_problems(built_site()),
    );
}

#[test]
fn a_correct_fixture_has_no_dead_link() {
    let out = build_fixture(&fixture("base")).unwrap();
    assert_none(
        "dead links in the base fixture",
        &checks::link_problems(&out),
    );
}

#[test]
fn a_dead_link_and_a_dead_anchor_are_caught() {
    let out = build_fixture(&fixture("dead-link")).unwrap();
    let problems = checks::link_problems(&out);
    let text = problems.join("\n");
    assert!(
        text.contains("missing-page.html"),
        "dead page not reported:\n{text}"
    );
    assert!(
        text.contains("no-such-heading"),
        "dead anchor not reported:\n{text}"
    );
}
