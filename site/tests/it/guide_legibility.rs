//! The guide is legible on a laptop and on a phone (the diagrams have
//! their own checks): the source appendix is one sidebar entry and is left out of
//! print and search; included excerpts are dedented and captioned with
//! their file; code lines wrap (hanging indent) instead of hiding at 1366 px;
//! on a phone (390x844) titles and inline code break only between words and
//! wide tables show that they scroll.
//!
//! Each browser check also runs once on the page broken on purpose (a style
//! injected that undoes the fix) and must then report it: the checks can
//! fail. Screenshots (1366x900, 390x844, 1280x720, 1920x1080, 1024x768) go
//! to `$CARGO_TARGET_TMPDIR/screenshots/` for a person to look at.

use crate::common;

use common::browser::{self, SETTLED, Tab, WAIT, break_with, problems_of};
use common::{assert_none, built_site};
use scraper::{Html, Selector};
use std::path::Path;

/// The guide's chapter pages (no appendix, no deck, no print/toc/404).
fn chapter_pages(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(site).unwrap().display().to_string())
        .filter(|p| {
            !p.starts_with("sources/")
                && !p.starts_with("slides/")
                && !["print.html", "toc.html", "404.html"].contains(&p.as_str())
        })
        .collect();
    pages.sort();
    pages
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_source_appendix_is_one_sidebar_entry_opening_an_index_of_every_file() {
    let site = built_site();
    let mut problems = Vec::new();
    let tocs: Vec<_> = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name == "toc.html" || (name.starts_with("toc-") && name.ends_with(".js"))
        })
        .collect();
    assert_eq!(tocs.len(), 2, "toc.html and toc-*.js: {tocs:?}");
    for toc in &tocs {
        let text = read(toc);
        let links = text.matches("href=\"sources/").count();
        if links != 1 || !text.contains("href=\"sources/index.html\"") {
            problems.push(format!(
                "{}: {links} appendix links in the sidebar (want only sources/index.html)",
                toc.display()
            ));
        }
    }
    // The index links every file page (folder pages are index.html / top-level.html).
    let index = read(&site.join("sources/index.html"));
    for entry in walkdir::WalkDir::new(site.join("sources"))
        .into_iter()
        .flatten()
    {
        let rel = entry.path().strip_prefix(site.join("sources")).unwrap();
        let name = rel.file_name().unwrap_or_default().to_string_lossy();
        if entry.file_type().is_file()
            && name.ends_with(".html")
            && name != "index.html"
            && name != "top-level.html"
            && !index.contains(&format!("href=\"{}\"", rel.display()))
        {
            problems.push(format!(
                "sources/index.html does not list {}",
                rel.display()
            ));
        }
    }
    assert_none("the appendix in the sidebar", &problems);
}

#[test]
fn printing_the_guide_leaves_the_appendix_out() {
    let print = read(&built_site().join("print.html"));
    // Every file page says "N lines, as in the repository".
    let file_pages = print.matches("lines, as in the repository").count();
    assert_eq!(
        file_pages, 0,
        "print.html holds {file_pages} source file pages"
    );
    assert!(
        print.contains("class=\"sources-left-out\""),
        "print.html should say where the appendix went"
    );
    assert!(
        print.contains("id=\"kubectl-cheatsheet\""),
        "the guide's own chapters are still printed"
    );
}

#[test]
fn search_leaves_the_appendix_out() {
    let site = built_site();
    let index = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("searchindex") && n.ends_with(".js")
        })
        .expect("a search index");
    let text = read(&index);
    assert!(text.contains("doc_urls"), "unexpected search index format");
    let hits = text.matches("\"sources/").count();
    assert_eq!(hits, 0, "{hits} appendix pages in the search index");
}

#[test]
fn included_excerpts_are_dedented_and_captioned_with_their_file() {
    let site = built_site();
    let caption = Selector::parse("div.code-caption").unwrap();
    let link = Selector::parse("a").unwrap();
    let mut problems = Vec::new();
    let mut captions = 0;
    for page in chapter_pages(site) {
        let html = Html::parse_document(&read(&site.join(&page)));
        for div in html.select(&caption) {
            captions += 1;
            let Some(a) = div.select(&link).next() else {
                problems.push(format!("{page}: a caption without a link"));
                continue;
            };
            let href = a.value().attr("href").unwrap_or_default();
            let target = site.join(&page).parent().unwrap().join(href);
            if !href.contains("sources/") || !target.is_file() {
                problems.push(format!(
                    "{page}: caption links to {href}, not an appendix page"
                ));
            }
            let pre = div
                .next_siblings()
                .filter_map(scraper::ElementRef::wrap)
                .next();
            let Some(pre) = pre.filter(|e| e.value().name() == "pre") else {
                problems.push(format!(
                    "{page}: caption {href} is not followed by a code block"
                ));
                continue;
            };
            let code: String = pre.text().collect();
            let indent = code
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            if indent > 0 {
                problems.push(format!(
                    "{page}: the excerpt of {} keeps {indent} spaces of indentation",
                    a.text().collect::<String>()
                ));
            }
        }
    }
    assert!(
        captions >= 20,
        "only {captions} captioned excerpts in the guide"
    );
    assert_none("included excerpts", &problems);
}

// --- in the browser ------------------------------------------------------------

/// Code blocks wider than their box (they would scroll sideways), and code
/// blocks whose copy-button text differs from their text.
const CODE_PROBLEMS: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('main pre > code')).flatMap(function (c, i) {
  var out = [];
  if (c.scrollWidth > c.clientWidth + 1) { out.push('code block ' + (i + 1) + ' scrolls sideways (' + c.scrollWidth + ' > ' + c.clientWidth + ' px): ' + c.textContent.slice(0, 50)); }
  var copied = window.playground_text ? window.playground_text(c.parentElement, false) : c.textContent;
  if (copied.replace(/\n+$/, '') !== c.textContent.replace(/\n+$/, '')) { out.push('code block ' + (i + 1) + ': the copy button copies something else'); }
  return out;
}))"#;

/// Words of titles and inline code broken across lines although they would
/// fit a line of their own. A break between two letters or digits is
/// mid-word; the browser's normal breaks (after `-` in `k8s-demo`, before
/// `<` in `app:<tag>`) are not. A token wider than the line (a long path,
/// no spaces) may break anywhere: it cannot fit.
const BROKEN_WORDS: &str = r#"JSON.stringify((function () {
  var out = [];
  function lines(node, from, to) {
    var r = document.createRange();
    r.setStart(node, from); r.setEnd(node, to);
    var rects = Array.from(r.getClientRects()).filter(function (x) { return x.width > 0; });
    return {
      width: rects.reduce(function (s, x) { return s + x.width; }, 0),
      count: rects.map(function (x) { return Math.round(x.top); }).filter(function (t, i, a) { return a.indexOf(t) === i; }).length
    };
  }
  document.querySelectorAll('main h1, main h2, main h3, main h4, main :not(pre) > code').forEach(function (el) {
    var box = el.closest('p, li, td, th, h1, h2, h3, h4, blockquote, main') || el;
    var room = box.getBoundingClientRect().width;
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var tokens = /\S+/g, t;
      while ((t = tokens.exec(node.textContent)) !== null) {
        if (lines(node, t.index, t.index + t[0].length).width >= room - 2) { continue; }
        var words = /[A-Za-z0-9_]+/g, w;
        while ((w = words.exec(t[0])) !== null) {
          if (lines(node, t.index + w.index, t.index + w.index + w[0].length).count > 1) {
            out.push(el.tagName.toLowerCase() + ': "' + t[0] + '" breaks inside "' + w[0] + '"');
          }
        }
      }
    }
  });
  return out;
})())"#;

/// Tables that scroll sideways without a sign of it (the fading edge), or
/// that fade although they fit.
const TABLE_HINTS: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('main .table-wrapper')).flatMap(function (w, i) {
  var scrolls = w.scrollWidth > w.clientWidth + 1;
  var s = getComputedStyle(w);
  var mask = s.maskImage || s.webkitMaskImage || 'none';
  if (scrolls && mask === 'none') { return ['table ' + (i + 1) + ' scrolls sideways with no sign of it']; }
  if (!scrolls && mask !== 'none') { return ['table ' + (i + 1) + ' fits but fades']; }
  return [];
}))"#;

async fn settle(tab: &Tab, url: &str) {
    tab.goto(url).await;
    assert!(tab.wait_for(SETTLED, WAIT).await, "{url} never settled");
    assert!(
        tab.wait_for(
            "document.documentElement.dataset.codeLines === 'done'",
            WAIT
        )
        .await,
        "{url}: the code line script never ran"
    );
}

#[test]
fn code_wraps_instead_of_scrolling_at_1366_px_and_copies_unchanged() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-legible-code", site).await;
        browser::viewport(&tab, 1366, 900, false).await;
        let mut problems = Vec::new();
        for page in chapter_pages(site) {
            settle(&tab, &format!("{base}/{page}")).await;
            problems.extend(
                problems_of(&tab, CODE_PROBLEMS)
                    .await
                    .into_iter()
                    .map(|p| format!("{page}: {p}")),
            );
        }
        let cheatsheet = format!("{base}/reference/kubectl-cheatsheet.html");
        settle(&tab, &cheatsheet).await;
        let _: bool = tab
            .eval("document.querySelectorAll('main pre')[3].scrollIntoView(), window.scrollBy(0, -80), true")
            .await;
        browser::screenshot(&tab, "guide-cheatsheet-1366x900").await;
        for (w, h) in [(1280, 720), (1920, 1080), (1024, 768)] {
            browser::viewport(&tab, w, h, false).await;
            settle(&tab, &cheatsheet).await;
            browser::screenshot(&tab, &format!("guide-cheatsheet-{w}x{h}")).await;
        }
        // The check fails on code that does not wrap.
        browser::viewport(&tab, 1366, 900, false).await;
        settle(&tab, &cheatsheet).await;
        break_with(
            &tab,
            "main pre > code, main pre > code.wrapped-lines { white-space: pre !important; }",
        )
        .await;
        let broken = problems_of(&tab, CODE_PROBLEMS).await;
        let errors = tab.problems();
        chrome.close().await;
        assert_none("code blocks at 1366x900", &problems);
        assert!(
            !broken.is_empty(),
            "the check missed code that does not wrap"
        );
        assert_none("console", &errors);
    });
}

#[test]
fn on_a_phone_words_stay_whole_and_wide_tables_show_they_scroll() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-legible-phone", site).await;
        browser::viewport(&tab, 390, 844, true).await;
        let mut problems = Vec::new();
        let mut wide_tables = 0;
        for page in chapter_pages(site) {
            settle(&tab, &format!("{base}/{page}")).await;
            for js in [BROKEN_WORDS, TABLE_HINTS] {
                problems.extend(
                    problems_of(&tab, js)
                        .await
                        .into_iter()
                        .map(|p| format!("{page}: {p}")),
                );
            }
            let wide: usize = tab
                .eval("Array.from(document.querySelectorAll('main .table-wrapper')).filter(function (w) { return w.scrollWidth > w.clientWidth + 1; }).length")
                .await;
            wide_tables += wide;
        }
        let cheatsheet = format!("{base}/reference/kubectl-cheatsheet.html");
        settle(&tab, &cheatsheet).await;
        let _: bool = tab
            .eval("document.querySelector('main .table-wrapper').scrollIntoView(), window.scrollBy(0, -200), true")
            .await;
        browser::screenshot(&tab, "guide-cheatsheet-table-390x844").await;
        // The checks fail when the fixes are undone (on a page of prose).
        settle(&tab, &format!("{base}/what-we-learned.html")).await;
        break_with(
            &tab,
            "main h1, main h2, main h3, main p, main li, main :not(pre) > code { word-break: break-all !important; }",
        )
        .await;
        let words = problems_of(&tab, BROKEN_WORDS).await;
        settle(&tab, &cheatsheet).await;
        break_with(&tab, "main .table-wrapper { animation: none !important; }").await;
        let tables = problems_of(&tab, TABLE_HINTS).await;
        let errors = tab.problems();
        chrome.close().await;
        assert_none("the guide on a phone (390x844)", &problems);
        assert!(
            wide_tables > 0,
            "no wide table on a phone: the table check checked nothing"
        );
        assert!(!words.is_empty(), "the check missed words broken mid-word");
        assert!(
            !tables.is_empty(),
            "the check missed a table with no scroll hint"
        );
        assert_none("console", &errors);
    });
}

/// The font families Chromium drew the text of the first `selector` with
/// (DevTools' `CSS.getPlatformFontsForNode`: what was drawn, not what the CSS
/// asked for).
async fn drawn_fonts(tab: &Tab, selector: &str) -> Vec<String> {
    use chromiumoxide::cdp::browser_protocol::{css, dom};
    tab.page
        .execute(dom::EnableParams::default())
        .await
        .unwrap();
    tab.page
        .execute(css::EnableParams::default())
        .await
        .unwrap();
    let root = tab
        .page
        .execute(dom::GetDocumentParams::default())
        .await
        .unwrap();
    let node = tab
        .page
        .execute(dom::QuerySelectorParams::new(
            root.result.root.node_id,
            selector,
        ))
        .await
        .unwrap();
    let fonts = tab
        .page
        .execute(css::GetPlatformFontsForNodeParams::new(node.result.node_id))
        .await
        .unwrap();
    fonts
        .result
        .fonts
        .iter()
        .map(|f| f.family_name.clone())
        .collect()
}

/// A reader's first visit (empty cache, the site served over http) draws the
/// text in the guide's font, not a fallback. The text fonts are `font-display:
/// optional` (used only if they are in about 0.1 s after the text is ready),
/// so `site/theme/index.hbs` asks for them with the stylesheets. Without
/// that, even this local server lost the race every time: the first page was
/// drawn in the system's sans (DejaVu Sans), here and with a 10 Mbit/s, 40 ms
/// link. With it, only a machine too loaded to serve 15 KB in 0.1 s could
/// lose it: up to three first visits (three fresh browsers), one must win.
#[test]
fn a_first_visit_draws_the_text_in_the_guides_font() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let mut attempts = Vec::new();
        for attempt in 1..=3 {
            // A fresh profile: nothing cached.
            let (chrome, tab, base) = browser::start(
                exe.clone(),
                &format!("chrome-first-visit-font-{attempt}"),
                site,
            )
            .await;
            tab.goto(&format!("{base}/walkthrough/self-healing.html"))
                .await;
            assert!(tab.wait_for(SETTLED, WAIT).await);
            let mut wrong = Vec::new();
            for selector in ["main h1", "main p"] {
                let fonts = drawn_fonts(&tab, selector).await;
                if fonts.is_empty() || fonts.iter().any(|f| f != "Open Sans") {
                    wrong.push(format!("visit {attempt}, {selector}: drawn in {fonts:?}"));
                }
            }
            chrome.close().await;
            if wrong.is_empty() {
                return;
            }
            attempts.extend(wrong);
        }
        assert_none("the text of three first visits", &attempts);
    });
}
