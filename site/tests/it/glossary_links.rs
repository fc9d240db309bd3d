//! Glossary links (`src/book/glossary.rs`): every entry of the glossary has
//! an anchor, and the first use of a term in a page's prose links it, once;
//! a term in a heading, in code or in a link is never linked. (That every
//! link resolves, on the pages and on the print page, is `links.rs`.)

use crate::common;
use common::{build_fixture, built_site, fixture};
use scraper::{ElementRef, Html, Selector};
use std::path::Path;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(path: &Path) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// (anchor, text) of each glossary link in a page's content, in order.
fn glossary_links(html: &Html) -> Vec<(String, String)> {
    html.select(&sel("main a.glossary-term"))
        .map(|a| {
            let href = a.value().attr("href").unwrap_or("");
            let anchor = href.split('#').nth(1).unwrap_or("").to_string();
            (anchor, a.text().collect())
        })
        .collect()
}

#[test]
fn the_first_use_of_a_term_is_linked_and_no_other() {
    let out = build_fixture(&fixture("base")).unwrap();
    let html = page(&out.join("walkthrough/volumes.html"));
    let links = glossary_links(&html);
    // The page uses "Pods" in its heading, "Pod" in `code` and in a YAML block
    // before its prose does; "PVC" twice; "headless Service" before
    // "Service"; "kind of storage" is English, not the tool.
    assert_eq!(
        links,
        [
            ("pod".to_string(), "Pod".to_string()),
            ("persistentvolumeclaim".into(), "PVC".into()),
            ("headless-service".into(), "headless Service".into()),
            ("service".into(), "Service".into()),
        ]
    );
    assert_eq!(misplaced(&html), Vec::<String>::new());
    let first = html.select(&sel("main a.glossary-term")).next().unwrap();
    assert_eq!(
        first.value().attr("href"),
        Some("../reference/glossary.html#pod")
    );
    assert_eq!(
        first.value().attr("title"),
        Some(
            "The smallest thing Kubernetes runs: one or more containers that share a network \
             namespace, e.g. the app and a sidecar."
        ),
        "the title is the entry's first sentence"
    );
    let glossary = page(&out.join("reference/glossary.html"));
    let ids: Vec<&str> = glossary
        .select(&sel("main dfn[id]"))
        .filter_map(|d| d.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "headless-service",
            "kind",
            "pod",
            "persistentvolumeclaim",
            "readiness-probe",
            "service"
        ]
    );
    assert!(
        glossary_links(&glossary).is_empty(),
        "the glossary links itself"
    );
}

/// Glossary links inside a heading, code, a link or the chapter header.
fn misplaced(html: &Html) -> Vec<String> {
    let mut found = Vec::new();
    for a in html.select(&sel("main a.glossary-term")) {
        let inside = a.ancestors().filter_map(ElementRef::wrap).find(|e| {
            matches!(
                e.value().name(),
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "code" | "pre" | "a" | "figure"
            ) || e
                .value()
                .classes()
                .any(|c| c == "chapter-header" || c == "quiz")
        });
        if let Some(parent) = inside {
            found.push(format!(
                "`{}` inside <{}>",
                a.text().collect::<String>(),
                parent.value().name()
            ));
        }
    }
    found
}

#[test]
fn terms_in_headings_code_and_links_are_not_linked_on_any_page() {
    let site = built_site();
    let mut problems = Vec::new();
    let mut pages_with_links = 0;
    for entry in walkdir::WalkDir::new(site).into_iter().flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(site).unwrap();
        if path.extension().is_none_or(|e| e != "html")
            || rel.starts_with("sources")
            || rel.starts_with("slides")
            || rel == Path::new("print.html")
            || rel == Path::new("toc.html")
        {
            continue;
        }
        let html = page(path);
        let links = glossary_links(&html);
        if !links.is_empty() {
            pages_with_links += 1;
        }
        for m in misplaced(&html) {
            problems.push(format!("{}: {m}", rel.display()));
        }
        let mut seen = std::collections::HashSet::new();
        for (anchor, text) in &links {
            if !seen.insert(anchor) {
                problems.push(format!(
                    "{}: `{anchor}` linked twice ({text})",
                    rel.display()
                ));
            }
        }
        if rel == Path::new("reference/glossary.html") && !links.is_empty() {
            problems.push("the glossary links its own entries".to_string());
        }
    }
    assert!(
        pages_with_links > 20,
        "only {pages_with_links} pages link the glossary"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The source appendix and the search index carry none.
    let source =
        std::fs::read_to_string(site.join("sources/k8s/app/deployment.yaml.html")).unwrap();
    assert!(!source.contains("glossary-term"));
    let index = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("searchindex-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .unwrap();
    assert!(
        !index.contains("glossary-term"),
        "markup in the search index"
    );
}

#[test]
fn every_glossary_entry_has_an_anchor() {
    let site = built_site();
    let md =
        std::fs::read_to_string(testkit::repo_root().join("docs/reference/glossary.md")).unwrap();
    let entries = md.lines().filter(|l| l.starts_with("**")).count();
    let html = page(&site.join("reference/glossary.html"));
    let ids: Vec<&str> = html
        .select(&sel("main dfn[id]"))
        .filter_map(|d| d.value().attr("id"))
        .collect();
    assert_eq!(ids.len(), entries, "one anchor per `**Term.**` entry");
    for id in [
        "pod",
        "service",
        "persistentvolumeclaim",
        "api-server",
        "control-plane",
    ] {
        assert!(ids.contains(&id), "no #{id}: {ids:?}");
    }
}
