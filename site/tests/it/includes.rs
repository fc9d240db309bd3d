//! A broken `{{#include}}` fails the build (mdBook alone would only log it or
//! render an unknown anchor as nothing), in the guide and in the deck.

use crate::common;
use common::{build_fixture, fixture};

fn build_error(name: &str) -> String {
    match build_fixture(&fixture(name)) {
        Ok(_) => panic!("fixture `{name}` built, but it should fail"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_missing_include_file_fails_the_build() {
    let err = build_error("missing-include");
    assert!(
        err.contains("no-such-file.yaml") && err.contains("does not exist"),
        "{err}"
    );
    assert!(
        err.contains("walkthrough/probes.md:15"),
        "the message names the page and line: {err}"
    );
}

#[test]
fn an_unknown_anchor_fails_the_build_and_lists_the_known_ones() {
    let err = build_error("unknown-anchor");
    assert!(err.contains("anchor `no-such-anchor` not found"), "{err}");
    assert!(err.contains("anchors there: probes"), "{err}");
}

#[test]
fn an_unknown_anchor_in_the_deck_fails_the_build() {
    let err = build_error("deck-missing-anchor");
    assert!(
        err.contains("slide 1") && err.contains("no-such-anchor"),
        "{err}"
    );
}

#[test]
fn included_parts_appear_in_the_built_pages() {
    let out = build_fixture(&fixture("base")).unwrap();
    let page = std::fs::read_to_string(out.join("walkthrough/probes.html")).unwrap();
    assert!(page.contains("readinessProbe"), "anchored part missing");
    assert!(!page.contains("ANCHOR"), "anchor lines must not be shown");
    let deck = std::fs::read_to_string(out.join("slides/index.html")).unwrap();
    assert!(deck.contains("readinessProbe") && !deck.contains("{{#include"));
}
