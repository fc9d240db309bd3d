//! The weekend path (`src/book/path.rs`): each chapter's ```chapter block
//! becomes its header, a malformed or missing block fails the build with
//! the page and line, the sidebar marks exactly the core chapters and the
//! landing page lists them with the times their headers show.

use crate::common;
use common::{build_fixture, built_site, fixture};
use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};

#[test]
fn every_chapter_block_problem_fails_the_build_with_page_and_line() {
    let cases = [
        ("chapter-malformed", 4, "string values must be quoted"),
        ("chapter-unknown-key", 6, "unknown field `reading`"),
        ("chapter-missing-key", 3, "missing field `doing`"),
        (
            "chapter-bad-path",
            4,
            "unknown variant `basic`, expected `core` or `deeper`",
        ),
        ("chapter-no-outcomes", 6, "`you-can` lists 0 outcome(s)"),
        (
            "chapter-too-many-outcomes",
            6,
            "`you-can` lists 5 outcome(s)",
        ),
        ("chapter-missing", 1, "no ```chapter block after the title"),
        (
            "chapter-not-after-title",
            5,
            "must come right after the page's `# Title`",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, line, message) in cases {
        let err = match build_fixture(&fixture(name)) {
            Ok(_) => {
                wrong.push(format!("{name}: built, but it should fail"));
                continue;
            }
            Err(e) => format!("{e:#}"),
        };
        let at = format!("docs/walkthrough/probes.md:{line}: ");
        if !err.contains(&at) || !err.contains(message) {
            wrong.push(format!("{name}: expected `{at}…{message}`, got:\n{err}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header line of a built chapter ("Weekend path · 12 min reading · ...").
fn header_times(page: &Path) -> Option<String> {
    let html = Html::parse_document(&read(page));
    html.select(&sel("main .chapter-header .chapter-times"))
        .next()
        .map(text)
}

#[test]
fn the_header_shows_the_reading_time_counted_from_the_page() {
    let base = build_fixture(&fixture("base")).unwrap();
    assert_eq!(
        header_times(&base.join("walkthrough/probes.html")).as_deref(),
        Some("Weekend path · 1 min reading · 10 min doing")
    );
    assert_eq!(
        header_times(&base.join("walkthrough/volumes.html")).as_deref(),
        Some("Going deeper · 1 min reading · nothing to run")
    );
    // The same page with 2,000 more words of prose (10 min at 200 a minute)
    // and a 40-line code block (2 min at 20 lines a minute).
    let long = build_fixture(&fixture("chapter-reading")).unwrap();
    assert_eq!(
        header_times(&long.join("walkthrough/probes.html")).as_deref(),
        Some("Weekend path · 13 min reading · 10 min doing")
    );
    let page = Html::parse_document(&read(base.join("walkthrough/probes.html")));
    let header = page.select(&sel("main .chapter-header")).next().unwrap();
    assert_eq!(
        text(
            header
                .select(&sel(".chapter-outcomes-intro"))
                .next()
                .unwrap()
        ),
        "After this chapter you can:"
    );
    let outcomes: Vec<String> = header
        .select(&sel("li"))
        .map(|li| li.inner_html())
        .collect();
    assert_eq!(
        outcomes,
        [
            "say what a <code>readinessProbe</code> decides",
            "watch a pod leave its Service while it is not ready"
        ]
    );
    // Right under the title: the header is the element after the h1.
    let after_title = page
        .select(&sel("main h1"))
        .next()
        .and_then(|h1| h1.next_siblings().find_map(ElementRef::wrap))
        .map(|e| e.value().classes().collect::<Vec<_>>());
    assert_eq!(after_title, Some(vec!["chapter-header", "path-core"]));
}

/// The chapter pages (`.html`, site-relative) whose block says `core`, in
/// SUMMARY order, read from the Markdown.
fn core_pages(root: &Path) -> Vec<PathBuf> {
    let summary = read(root.join("docs/SUMMARY.md"));
    summary
        .lines()
        .filter_map(|l| l.split("](").nth(1)?.split(')').next())
        .filter(|page| {
            let md = read(root.join("docs").join(page));
            let block = md
                .split("```chapter\n")
                .nth(1)
                .and_then(|b| b.split("\n```").next());
            block.is_some_and(|b| {
                let value: toml::Table = toml::from_str(b).unwrap();
                value["path"].as_str() == Some("core")
            })
        })
        .map(|page| PathBuf::from(page).with_extension("html"))
        .collect()
}

/// The sidebar's links marked as the weekend path, from `toc.html` and from
/// mdBook's `toc-*.js` (the same list as a string), and all its links.
fn marked_in_sidebar(site: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, usize) {
    let toc = read(site.join("toc.html"));
    let html = Html::parse_document(&toc);
    let marked = |html: &Html| -> (Vec<PathBuf>, usize) {
        let mut found = Vec::new();
        let mut all = 0;
        for a in html.select(&sel("ol.chapter a[href]")) {
            all += 1;
            let visible = a.select(&sel(".path-mark")).next().is_some();
            let spoken = a
                .select(&sel(".visually-hidden"))
                .any(|s| text(s) == "(weekend path)");
            if visible != spoken {
                panic!("a sidebar link has a marker without its words or words without the marker");
            }
            if visible {
                found.push(PathBuf::from(a.value().attr("href").unwrap()));
            }
        }
        (found, all)
    };
    let (from_html, all) = marked(&html);
    let js = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .find(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with("toc-") && n.ends_with(".js")
        })
        .map(|e| read(e.path()))
        .unwrap();
    let list = js
        .split("this.innerHTML = '")
        .nth(1)
        .and_then(|s| s.split("';").next())
        .unwrap();
    let (from_js, _) = marked(&Html::parse_fragment(list));
    (from_html, from_js, all)
}

#[test]
fn the_sidebar_marks_exactly_the_core_chapters() {
    let root = testkit::repo_root();
    let expected = core_pages(root);
    assert!(expected.len() > 5, "core chapters found: {expected:?}");
    let (html, js, all) = marked_in_sidebar(built_site());
    assert_eq!(html, expected, "toc.html");
    assert_eq!(js, expected, "toc-*.js");
    assert!(
        all > expected.len() + 5,
        "deeper chapters are listed unmarked"
    );
    let toc = read(built_site().join("toc.html"));
    assert_eq!(
        toc.matches("class=\"path-legend\"").count(),
        1,
        "one legend"
    );
}

#[test]
fn the_landing_page_lists_the_core_chapters_with_their_headers_times() {
    let site = built_site();
    let root = testkit::repo_root();
    let index = Html::parse_document(&read(site.join("index.html")));
    let items: Vec<ElementRef> = index.select(&sel("main .weekend-path li")).collect();
    let listed: Vec<PathBuf> = items
        .iter()
        .filter_map(|li| li.select(&sel("a")).next()?.value().attr("href"))
        .map(PathBuf::from)
        .collect();
    assert_eq!(listed, core_pages(root), "the landing page's weekend path");
    let mut wrong = Vec::new();
    for (li, page) in items.iter().zip(&listed) {
        let times = header_times(&site.join(page)).unwrap_or_default();
        // "Weekend path · 12 min reading · 20 min doing" on the page;
        // "Title: 12 min reading · 20 min doing" on the landing page.
        let header = times
            .trim_start_matches("Weekend path · ")
            .replace(" · nothing to run", "");
        let line = text(*li);
        if !line.ends_with(&format!(": {header}")) {
            wrong.push(format!(
                "{}: the list says `{line}`, the page `{times}`",
                page.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let total = index
        .select(&sel("main .weekend-path p"))
        .map(text)
        .collect::<Vec<_>>();
    assert!(
        total.iter().any(|p| p.starts_with("In all about")),
        "no total: {total:?}"
    );
}
