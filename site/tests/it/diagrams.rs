//! Diagrams are drawn at build time: a syntax error fails the build with the
//! file and line (guide and deck), no page ships mermaid source or script,
//! and the search index holds no diagram source.

use crate::common;

use common::{build_fixture, built_site, fixture};

#[test]
fn a_syntax_error_in_a_guide_diagram_fails_the_build_with_file_and_line() {
    let err =
        build_fixture(&fixture("mermaid-error")).expect_err("a broken diagram must fail the build");
    let text = format!("{err:#}");
    assert!(
        text.contains("docs/README.md:7: diagram:"),
        "no file and line:\n{text}"
    );
}

#[test]
fn a_syntax_error_in_a_deck_diagram_fails_the_build_with_slide_and_line() {
    let err = build_fixture(&fixture("deck-diagram-error"))
        .expect_err("a broken diagram must fail the build");
    let text = format!("{err:#}");
    assert!(
        text.contains("(deck.md line 9): diagram:"),
        "no slide and line:\n{text}"
    );
}

#[test]
fn the_built_site_has_no_mermaid_source_script_or_br_in_search() {
    let site = built_site();
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(site).into_iter().flatten() {
        let path = entry.path();
        let name = path.display().to_string();
        if name.contains("mermaid") {
            problems.push(format!("{name}: a mermaid file is shipped"));
        }
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(path).unwrap();
            if html.contains("class=\"mermaid\"")
                || html.contains("language-mermaid")
                || html.contains("mermaid.min.js")
            {
                problems.push(format!("{name}: mermaid source or script in the page"));
            }
        }
    }
    let index = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .find(|e| {
            e.file_name().to_string_lossy().starts_with("searchindex")
                && e.file_name().to_string_lossy().ends_with(".js")
        })
        .expect("a search index");
    let index = std::fs::read_to_string(index.path()).unwrap();
    for source_marker in [
        "flowchart",
        "sequenceDiagram",
        "stateDiagram",
        "-->",
        "<br",
        "&lt;br",
    ] {
        if index.contains(source_marker) {
            problems.push(format!(
                "the search index contains diagram source: {source_marker}"
            ));
        }
    }
    common::assert_none("mermaid leftovers", &problems);
}
