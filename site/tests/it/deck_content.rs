//! The deck's content, checked on the Markdown source with the
//! site's own deck parser:
//! (1) its numbered section slides are the fifteen takeaways of
//!     `docs/what-we-learned.md`, same numbers, same titles, same order;
//! (2) each takeaway's slides link to the guide chapter(s) the takeaway
//!     links to;
//! (3) every slide except the section dividers has speaker notes;
//! (4) the endpoint tables list exactly the routes of the demo-app's
//!     OpenAPI document (`demo_app::openapi::document()`).
//!
//! That every link and `#anchor` of the built deck resolves is checked by
//! `links.rs` on the built site (it walks `book/slides/index.html` too).
//! Each check is a function returning the problems it found, so the tests
//! below run it on the real files and, with small inline fixtures, show it
//! failing on broken input.

use serde_json::Value;
use site::deck::parse::{self, Deck, Layout, Slide};
use site::markdown::{md_links, repo_links};
use std::collections::BTreeSet;
use std::path::Path;

use testkit::repo_root;

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

fn real_deck() -> Deck {
    parse::parse(&read("slides/deck.md")).unwrap_or_else(|e| panic!("slides/deck.md: {e:#}"))
}

fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// A slide's visible Markdown (every region and reveal step, no notes).
fn body(slide: &Slide) -> String {
    slide
        .pieces
        .iter()
        .map(|p| p.markdown.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first `# ` heading of a slide, outside code blocks.
fn heading(slide: &Slide) -> Option<String> {
    let text = body(slide);
    let mut in_code = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
        } else if !in_code && let Some(h) = t.strip_prefix("# ") {
            return Some(h.trim().to_string());
        }
    }
    None
}

/// How a slide is named in messages.
fn place(slide: &Slide) -> String {
    format!(
        "slide {} (deck.md line {}, {:?})",
        slide.number,
        slide.line,
        heading(slide).unwrap_or_default()
    )
}

/// `"7. Liveness and readiness probes drive self-healing"` → `(7, "Liveness ...")`.
fn numbered(heading: &str) -> Option<(usize, String)> {
    let (number, title) = heading.split_once(". ")?;
    let number = number.trim().parse().ok()?;
    Some((number, title.trim().to_string()))
}

#[derive(Debug, PartialEq)]
struct Takeaway {
    number: usize,
    title: String,
    /// Repository paths of the chapters it links to, e.g. `docs/walkthrough/hpa.md`.
    chapters: Vec<String>,
}

/// Where a relative `.md` link written in a file of folder `base` points,
/// as a repository path; `None` for other links.
fn chapter_of(base: &str, dest: &str) -> Option<String> {
    let (path, _fragment) = repo_links::split_relative(dest)?;
    if !path.ends_with(".md") {
        return None;
    }
    let joined = repo_links::join_repo(Path::new(base), path)?;
    Some(joined.to_string_lossy().replace('\\', "/"))
}

/// The numbered `## N. Title` sections of `docs/what-we-learned.md`, with the
/// chapters each links to.
fn takeaways(doc: &str) -> Vec<Takeaway> {
    let mut found: Vec<Takeaway> = Vec::new();
    let mut section = String::new();
    let mut open = false;
    let close = |found: &mut Vec<Takeaway>, section: &str, open: bool| {
        if let (true, Some(last)) = (open, found.last_mut()) {
            last.chapters = md_links::links(section)
                .iter()
                .filter_map(|l| chapter_of("docs", &l.dest))
                .collect();
        }
    };
    for line in doc.lines() {
        if line.starts_with('#') {
            close(&mut found, &section, open);
            section.clear();
            open = false;
            if let Some((number, title)) = line.strip_prefix("## ").and_then(numbered) {
                found.push(Takeaway {
                    number,
                    title,
                    chapters: Vec::new(),
                });
                open = true;
            }
        } else if open {
            section.push_str(line);
            section.push('\n');
        }
    }
    close(&mut found, &section, open);
    found
}

/// The deck's takeaway sections: (slide index, number, title) of every
/// `layout: section` slide whose heading is `N. Title`.
fn deck_takeaways(deck: &Deck) -> Vec<(usize, usize, String)> {
    deck.slides
        .iter()
        .enumerate()
        .filter(|(_, s)| s.layout == Layout::Section)
        .filter_map(|(i, s)| {
            let (n, t) = numbered(&heading(s)?)?;
            Some((i, n, t))
        })
        .collect()
}

/// (1) The deck's numbered sections against the guide's takeaways.
fn takeaway_problems(deck: &Deck, doc: &str) -> Vec<String> {
    let expected = takeaways(doc);
    let found = deck_takeaways(deck);
    let mut problems = Vec::new();
    if expected.is_empty() {
        problems.push("the guide's page lists no numbered takeaway (`## N. Title`)".to_string());
    }
    for (k, want) in expected.iter().enumerate() {
        match found.get(k) {
            None => problems.push(format!(
                "takeaway {} \"{}\" has no section slide (expected after the deck's last section)",
                want.number, want.title
            )),
            Some((i, n, t)) if (*n, t) != (want.number, &want.title) => problems.push(format!(
                "{}: takeaway section {} of the deck should be \"{}. {}\" (the guide's order and words), found \"{n}. {t}\"",
                place(&deck.slides[*i]),
                k + 1,
                want.number,
                want.title
            )),
            Some(_) => {}
        }
    }
    for (i, n, t) in found.iter().skip(expected.len()) {
        problems.push(format!(
            "{}: section \"{n}. {t}\" is not one of the guide's takeaways",
            place(&deck.slides[*i])
        ));
    }
    problems
}

/// (2) The slides of each takeaway (its section slide up to the next
/// section slide of any kind) link to every chapter the takeaway links to.
fn chapter_link_problems(deck: &Deck, doc: &str) -> Vec<String> {
    let expected = takeaways(doc);
    let sections: Vec<usize> = deck
        .slides
        .iter()
        .enumerate()
        .filter(|(_, s)| s.layout == Layout::Section)
        .map(|(i, _)| i)
        .collect();
    let mut problems = Vec::new();
    for (start, number, title) in deck_takeaways(deck) {
        let Some(want) = expected.iter().find(|t| t.number == number) else {
            continue;
        };
        let end = sections
            .iter()
            .copied()
            .find(|&i| i > start)
            .unwrap_or(deck.slides.len());
        let linked: BTreeSet<String> = deck.slides[start..end]
            .iter()
            .flat_map(|s| md_links::links(&body(s)))
            .filter_map(|l| chapter_of("slides", &l.dest))
            .collect();
        if want.chapters.is_empty() {
            problems.push(format!(
                "takeaway {number} links to no chapter in the guide's page"
            ));
        }
        for chapter in &want.chapters {
            if !linked.contains(chapter) {
                problems.push(format!(
                    "takeaway {number} \"{title}\" (slides {} to {}): no link to its chapter {chapter} (write ../{chapter})",
                    start + 1,
                    end
                ));
            }
        }
    }
    problems
}

/// (3) Every slide but the section dividers has speaker notes.
fn notes_problems(deck: &Deck) -> Vec<String> {
    deck.slides
        .iter()
        .filter(|s| s.layout != Layout::Section && s.notes.trim().is_empty())
        .map(|s| format!("{}: no speaker notes (add `::notes::`)", place(s)))
        .collect()
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// Every `METHOD path` of an OpenAPI document.
fn openapi_routes(doc: &Value) -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(*method).is_some() {
                    routes.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
    }
    routes
}

/// The rows of the tables on the slides headed `Endpoints...`, as
/// (`METHOD path`, where). A row's first cell holds one or more methods
/// (`` `GET` `POST` ``), its second cell the path.
fn deck_routes(deck: &Deck) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for slide in &deck.slides {
        if !heading(slide).is_some_and(|h| h.starts_with("Endpoints")) {
            continue;
        }
        let text = body(slide);
        let mut header_seen = false;
        for (k, line) in text.lines().enumerate() {
            let line = line.trim();
            if !line.starts_with('|') {
                header_seen = false;
                continue;
            }
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|c| c.replace('`', "").trim().to_string())
                .collect();
            let rule = cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|x| matches!(x, '-' | ':')));
            if !header_seen {
                header_seen = true; // the header row
                continue;
            }
            if rule {
                continue;
            }
            let at = format!("{}, table line {}", place(slide), k + 1);
            let path = cells.get(1).cloned().unwrap_or_default();
            let methods: Vec<&str> = cells[0]
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|m| !m.is_empty())
                .collect();
            if methods.is_empty() || path.is_empty() {
                rows.push((format!("? {}", cells.join(" | ")), at));
                continue;
            }
            for method in methods {
                rows.push((format!("{} {path}", method.to_uppercase()), at.clone()));
            }
        }
    }
    rows
}

/// (4) The endpoint tables against the OpenAPI document, both ways.
fn endpoint_problems(deck: &Deck, openapi: &Value) -> Vec<String> {
    let documented = openapi_routes(openapi);
    let rows = deck_routes(deck);
    let mut problems = Vec::new();
    if documented.is_empty() {
        problems.push("the OpenAPI document lists no routes".to_string());
    }
    if rows.is_empty() {
        problems.push("no endpoint table found (slides headed `# Endpoints...`)".to_string());
    }
    let mut seen = BTreeSet::new();
    for (route, at) in &rows {
        if !documented.contains(route) {
            problems.push(format!(
                "{at}: `{route}` is not in the app's OpenAPI document"
            ));
        }
        if !seen.insert(route.clone()) {
            problems.push(format!("{at}: `{route}` is listed twice"));
        }
    }
    for route in documented.difference(&seen) {
        problems.push(format!(
            "`{route}` is in the app's OpenAPI document but in no endpoint table of the deck"
        ));
    }
    problems
}

// The real deck, the real guide page, the real app.

#[test]
fn the_fifteen_takeaways_are_the_decks_sections_in_order() {
    let doc = read("docs/what-we-learned.md");
    let numbers: Vec<usize> = takeaways(&doc).iter().map(|t| t.number).collect();
    assert_eq!(
        numbers,
        (1..=15).collect::<Vec<_>>(),
        "docs/what-we-learned.md: the fifteen takeaways, numbered 1 to 15"
    );
    assert_none(
        "slides/deck.md: takeaway sections",
        &takeaway_problems(&real_deck(), &doc),
    );
}

#[test]
fn each_takeaway_links_to_its_guide_chapter() {
    let doc = read("docs/what-we-learned.md");
    assert_none(
        "slides/deck.md: links to the chapters",
        &chapter_link_problems(&real_deck(), &doc),
    );
}

#[test]
fn every_content_slide_has_speaker_notes() {
    assert_none(
        "slides/deck.md: speaker notes",
        &notes_problems(&real_deck()),
    );
}

#[test]
fn the_endpoint_tables_match_the_apps_openapi_document() {
    assert_none(
        "slides/deck.md: endpoint tables vs demo_app::openapi::document()",
        &endpoint_problems(&real_deck(), &demo_app::openapi::document()),
    );
}

// Each check on a small broken input: it must fail, and name the problem.

const DOC: &str = "\
# What We Learned

Intro with a [link](walkthrough/intro.md).

## 1. Pods come first

Text.

→ [Core concepts](walkthrough/core-concepts.md)

## 2. Services give pods an address

→ [Networking](walkthrough/networking.md) and [DNS](walkthrough/dns.md#names)

## 3. Probes heal

→ [Self-healing](walkthrough/self-healing.md)
";

/// A deck with sections for `order` (takeaway numbers of DOC), each with a
/// content slide linking to the takeaway's chapters and carrying notes.
fn deck_with(order: &[usize]) -> String {
    let titles = [
        "Pods come first",
        "Services give pods an address",
        "Probes heal",
    ];
    let links = [
        "[Core concepts](../docs/walkthrough/core-concepts.md)",
        "[Networking](../docs/walkthrough/networking.md#types) · [DNS](../docs/walkthrough/dns.md)",
        "[Self-healing](../docs/walkthrough/self-healing.md#try-it)",
    ];
    let mut deck = String::from("---\nlayout: cover\n---\n\n# Talk\n\n::notes::\nHello.\n");
    for &n in order {
        deck.push_str(&format!(
            "\n---\nlayout: section\n---\n\n# {n}. {}\n\n→ {}\n\n---\n\n# About {n}\n\n- a point\n\n::notes::\nSay it.\n",
            titles[n - 1],
            links[n - 1]
        ));
    }
    deck
}

#[test]
fn the_takeaway_fixture_parses_as_expected() {
    let found = takeaways(DOC);
    assert_eq!(
        found,
        [
            Takeaway {
                number: 1,
                title: "Pods come first".into(),
                chapters: vec!["docs/walkthrough/core-concepts.md".into()],
            },
            Takeaway {
                number: 2,
                title: "Services give pods an address".into(),
                chapters: vec![
                    "docs/walkthrough/networking.md".into(),
                    "docs/walkthrough/dns.md".into()
                ],
            },
            Takeaway {
                number: 3,
                title: "Probes heal".into(),
                chapters: vec!["docs/walkthrough/self-healing.md".into()],
            },
        ]
    );
    let good = parse::parse(&deck_with(&[1, 2, 3])).unwrap();
    assert_none("good deck", &takeaway_problems(&good, DOC));
    assert_none("good deck", &chapter_link_problems(&good, DOC));
    assert_none("good deck", &notes_problems(&good));
}

#[test]
fn takeaways_out_of_order_are_caught() {
    let deck = parse::parse(&deck_with(&[1, 3, 2])).unwrap();
    let problems = takeaway_problems(&deck, DOC).join("\n");
    assert!(
        problems.contains("should be \"2. Services give pods an address\"")
            && problems.contains("found \"3. Probes heal\""),
        "{problems}"
    );
}

#[test]
fn a_missing_or_reworded_takeaway_is_caught() {
    let deck = parse::parse(&deck_with(&[1, 2])).unwrap();
    let problems = takeaway_problems(&deck, DOC).join("\n");
    assert!(
        problems.contains("takeaway 3 \"Probes heal\" has no section slide"),
        "{problems}"
    );
    let reworded = deck_with(&[1, 2, 3]).replace("# 3. Probes heal", "# 3. Probes help");
    let problems = takeaway_problems(&parse::parse(&reworded).unwrap(), DOC).join("\n");
    assert!(problems.contains("found \"3. Probes help\""), "{problems}");
}

#[test]
fn a_takeaway_without_its_chapter_link_is_caught() {
    // Takeaway 2's DNS link dropped; a link to the chapter from another
    // takeaway's slides does not count.
    let text = deck_with(&[1, 2, 3])
        .replace(" · [DNS](../docs/walkthrough/dns.md)", "")
        .replace(
            "→ [Self-healing](../docs/walkthrough/self-healing.md#try-it)",
            "→ [Self-healing](../docs/walkthrough/self-healing.md) [DNS](../docs/walkthrough/dns.md)",
        );
    let problems = chapter_link_problems(&parse::parse(&text).unwrap(), DOC);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("takeaway 2") && problems[0].contains("docs/walkthrough/dns.md"),
        "{problems:?}"
    );
}

#[test]
fn a_slide_without_notes_is_caught() {
    let text = deck_with(&[1, 2, 3]).replacen("\n::notes::\nSay it.\n", "\n", 2);
    let problems = notes_problems(&parse::parse(&text).unwrap());
    // The cover keeps its notes; the first two content slides lost theirs.
    // Section slides need none.
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("\"About 1\"") && problems[1].contains("\"About 2\""),
        "{problems:?}"
    );
    let empty = deck_with(&[1]).replace("::notes::\nSay it.\n", "::notes::\n\n");
    let problems = notes_problems(&parse::parse(&empty).unwrap());
    assert!(
        problems.len() == 1 && problems[0].contains("\"About 1\""),
        "empty notes count as none: {problems:?}"
    );
}

const ENDPOINTS: &str = "\
# Cover

::notes::
Hi.

---

# Endpoints: probes

| method | path | what |
|---|---|---|
| `GET` | `/health` | liveness |
| `GET` `POST` `DELETE` | `/kv/{key}` | values |

Not a row: | GET | /outside-the-table |

::notes::
Say it.

---

# Other

| method | path |
|---|---|
| `GET` | `/not-an-endpoint-slide` |

::notes::
Tables on other slides are not endpoint tables.
";

fn openapi() -> Value {
    serde_json::json!({
        "openapi": "3.1.0",
        "paths": {
            "/health": { "get": {} },
            "/kv/{key}": { "get": {}, "post": {}, "delete": {}, "parameters": [] },
        }
    })
}

#[test]
fn matching_endpoint_tables_pass() {
    let deck = parse::parse(ENDPOINTS).unwrap();
    assert_none("endpoint fixture", &endpoint_problems(&deck, &openapi()));
}

#[test]
fn a_row_for_a_route_that_does_not_exist_is_caught() {
    let text = ENDPOINTS.replace(
        "| `GET` | `/health` | liveness |",
        "| `GET` | `/health` | liveness |\n| `POST` | `/reboot` | no such route |\n| `PUT` | `/health` | wrong method |",
    );
    let problems = endpoint_problems(&parse::parse(&text).unwrap(), &openapi()).join("\n");
    assert!(
        problems.contains("`POST /reboot` is not in the app's OpenAPI document")
            && problems.contains("`PUT /health` is not in the app's OpenAPI document"),
        "{problems}"
    );
}

#[test]
fn a_route_missing_from_the_tables_is_caught() {
    let text = ENDPOINTS.replace(
        "`GET` `POST` `DELETE` | `/kv/{key}`",
        "`GET` `POST` | `/kv/{key}`",
    );
    let problems = endpoint_problems(&parse::parse(&text).unwrap(), &openapi());
    assert_eq!(
        problems,
        [
            "`DELETE /kv/{key}` is in the app's OpenAPI document but in no endpoint table of the deck"
        ]
    );
    let mut more = openapi();
    more["paths"]["/ready"] = serde_json::json!({ "get": {} });
    let problems = endpoint_problems(&parse::parse(ENDPOINTS).unwrap(), &more);
    assert_eq!(
        problems,
        ["`GET /ready` is in the app's OpenAPI document but in no endpoint table of the deck"]
    );
}

#[test]
fn a_duplicated_row_and_a_deck_without_tables_are_caught() {
    let text = ENDPOINTS.replace(
        "| `GET` | `/health` | liveness |",
        "| `GET` | `/health` | liveness |\n| `GET` | `/health` | again |",
    );
    let problems = endpoint_problems(&parse::parse(&text).unwrap(), &openapi()).join("\n");
    assert!(
        problems.contains("`GET /health` is listed twice"),
        "{problems}"
    );
    let none = parse::parse("# Just a slide\n\n::notes::\nHi.\n").unwrap();
    let problems = endpoint_problems(&none, &openapi()).join("\n");
    assert!(problems.contains("no endpoint table found"), "{problems}");
}
