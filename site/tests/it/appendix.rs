//! Links to repository files become pages of the source appendix.

use crate::common;
use common::{build_fixture, fixture};

#[test]
fn source_links_point_to_generated_appendix_pages() {
    let out = build_fixture(&fixture("base")).unwrap();
    let page = std::fs::read_to_string(out.join("walkthrough/probes.html")).unwrap();
    assert!(
        page.contains(r#"href="../sources/k8s/app/deployment.yaml.html""#),
        "link not rewritten"
    );
    let source = std::fs::read_to_string(out.join("sources/k8s/app/deployment.yaml.html")).unwrap();
    assert!(source.contains("language-yaml") && source.contains("readinessProbe"));
    // Each file's page lists the pages that discuss it, the deck included.
    assert!(source.contains("Discussed in"), "no back links");
    assert!(
        source.contains(r#"href="../../../walkthrough/probes.html""#),
        "back link to the chapter"
    );
    assert!(
        source.contains(r#"href="../../../slides/index.html""#),
        "back link to the deck"
    );
    // Folders, the top-level Makefile and the index are pages too.
    for page in [
        "sources/index.html",
        "sources/k8s/index.html",
        "sources/Makefile.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    // The navigation has one appendix entry, its index, which lists every file.
    let toc = std::fs::read_to_string(out.join("toc.html")).unwrap();
    assert!(toc.contains("Appendix") && toc.contains("sources/index.html"));
    assert!(!toc.contains("sources/demo-app/src/main.rs.html"));
    let index = std::fs::read_to_string(out.join("sources/index.html")).unwrap();
    assert!(
        index.contains("demo-app/src/main.rs.html"),
        "the index lists files"
    );
    // The deck's links go to the built chapter and the same appendix.
    let deck = std::fs::read_to_string(out.join("slides/index.html")).unwrap();
    assert!(
        deck.contains(r#"href="../walkthrough/probes.html#try-it""#),
        "deck chapter link"
    );
    assert!(
        deck.contains(r#"href="../sources/k8s/app/deployment.yaml.html""#),
        "deck source link"
    );
}

#[test]
fn the_static_build_has_no_live_reload_script() {
    let out = build_fixture(&fixture("base")).unwrap();
    for page in ["index.html", "slides/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            !html.contains("livereload") && !html.contains("event-stream"),
            "{page}"
        );
    }
}
