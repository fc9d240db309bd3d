//! (4) The built guide and deck in headless Chromium: every page loads with
//! no console error and no request leaving the machine, every diagram is
//! an SVG with an accessible name (tests/diagrams_browser.rs checks more), the deck's keys, URL fragment, overview,
//! presenter view and print work, and no slide overflows its frame.
//! (5) The same checks catch an overflowing slide,
//! a console error and a request to the network.
//!
//! Skipped with a message when Chromium is missing, except with CI=true.
//! The tests share one browser at a time (2 cores): a lock serialises them.

use crate::common;

use common::browser::{
    self, Chrome, DECK_READY, DIAGRAM_STATE, OVERFLOWING_SLIDES, SETTLED, Tab, WAIT, problems_of,
};
use common::{assert_none, build_fixture, built_site, fixture, scratch};
use std::path::Path;
use std::time::Duration;

/// Loads each page and returns every problem, prefixed with the page.
async fn check_pages(tab: &mut Tab, base: &str, pages: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for page in pages {
        let url = format!("{base}/{page}");
        tab.goto(&url).await;
        if !tab.wait_for(SETTLED, WAIT).await {
            problems.push(format!("{page}: did not finish loading"));
        }
        let diagrams: String = tab.eval(DIAGRAM_STATE).await;
        let diagrams: Vec<String> = serde_json::from_str(&diagrams).unwrap();
        problems.extend(
            diagrams
                .into_iter()
                .filter(|d| d != "ok")
                .map(|d| format!("{page}: {d}")),
        );
        // Late events (e.g. a failed image) still belong to this page.
        tokio::time::sleep(Duration::from_millis(50)).await;
        problems.extend(tab.problems().into_iter().map(|p| format!("{page}: {p}")));
    }
    problems
}

/// Every HTML page of a built site, but only a sample of the generated
/// source pages (they all come from one template).
fn pages_of(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(site).unwrap().display().to_string())
        .filter(|p| p != "toc.html")
        .collect();
    pages.sort();
    let mut sources_seen = 0;
    pages.retain(|p| {
        if p.starts_with("sources/") && p != "sources/index.html" {
            sources_seen += 1;
            return sources_seen <= 3;
        }
        true
    });
    pages
}

#[test]
fn every_guide_page_loads_offline_without_errors_and_diagrams_render() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-guide", site).await;
        let pages: Vec<String> = pages_of(site)
            .into_iter()
            .filter(|p| !p.starts_with("slides/"))
            .collect();
        let problems = check_pages(&mut tab, &base, &pages).await;
        // And from file://, the way a reader opens book/ without a server.
        let file_base = format!("file://{}", site.display());
        let file_problems = check_pages(&mut tab, &file_base, &["index.html".to_string()]).await;
        chrome.close().await;
        assert_none("guide pages in Chromium", &problems);
        assert_none("the guide from file://", &file_problems);
    });
}

#[test]
fn the_deck_works_in_the_browser() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-deck", site).await;
        let deck = format!("{base}/slides/index.html");
        tab.goto(&deck).await;
        assert!(tab.wait_for(DECK_READY, WAIT).await, "deck never ready");
        let total: usize = tab
            .eval("document.querySelectorAll('#frame > .slide').length")
            .await;
        assert!(
            total >= 2,
            "the deck needs at least two slides for these checks"
        );
        let current = "document.querySelector('#frame > .slide.current').id";
        let hash = "window.location.hash";
        let first_steps: usize = tab
            .eval("+document.getElementById('1').dataset.steps")
            .await;
        // The slides the talk shows (optional ones are skipped: checked in
        // deck_presenter.rs); the fragment is a slide's place in deck.md.
        let shown: Vec<String> = serde_json::from_str(
            &tab.eval::<String>(
                "JSON.stringify(Array.from(document.querySelectorAll('#frame > .slide:not(.optional)')).map(function (s) { return s.id; }))",
            )
            .await,
        )
        .unwrap();
        assert!(
            shown.len() >= 2,
            "the deck needs at least two slides shown for these checks"
        );
        let (second, last, count) = (&shown[1], &shown[shown.len() - 1], shown.len());

        // Keyboard navigation and the URL fragment.
        tab.key("ArrowRight").await;
        let expected = if first_steps > 0 {
            "#1.1".to_string()
        } else {
            format!("#{second}")
        };
        assert!(
            tab.wait_for(&format!("{hash} === '{expected}'"), WAIT)
                .await,
            "ArrowRight did not advance"
        );
        tab.key("Home").await;
        assert!(
            tab.wait_for(&format!("{current} === '1' && {hash} === '#1'"), WAIT)
                .await,
            "Home"
        );
        tab.key("End").await;
        assert!(
            tab.wait_for(&format!("{current} === '{last}'"), WAIT).await,
            "End"
        );
        let number: String = tab
            .eval("document.getElementById('slide-number').textContent")
            .await;
        assert_eq!(number, format!("{count} / {count}"), "slide number");
        let progress: String = tab
            .eval("document.getElementById('progress-bar').style.width")
            .await;
        assert_eq!(progress, "100%", "progress bar at the last slide");
        tab.key("PageUp").await;
        tab.key("Home").await;
        for _ in 0..=first_steps {
            tab.key("PageDown").await;
        }
        assert!(
            tab.wait_for(&format!("{current} === '{second}'"), WAIT)
                .await,
            "PageDown through the steps"
        );
        tab.key(" ").await;
        // A reload stays on the slide of the fragment.
        let _: String = tab.eval("window.location.hash = '#2'").await;
        tab.page.reload().await.unwrap();
        assert!(tab.wait_for(DECK_READY, WAIT).await);
        let now: String = tab.eval(current).await;
        assert_eq!(now, "2", "a reload must stay on slide 2");

        // A swipe to the left goes forward, to the right goes back.
        swipe(&tab, 900.0, 300.0).await;
        assert!(
            tab.wait_for(&format!("{current} === '3' || {hash} === '#2.1'"), WAIT)
                .await,
            "swipe left"
        );
        swipe(&tab, 300.0, 900.0).await;
        assert!(
            tab.wait_for(&format!("{current} === '2' && {hash} === '#2'"), WAIT)
                .await,
            "swipe right"
        );

        // Overview.
        tab.key("o").await;
        assert!(
            tab.wait_for("document.body.classList.contains('overview')", WAIT)
                .await,
            "o opens the overview"
        );
        tab.key("Escape").await;
        assert!(
            tab.wait_for("!document.body.classList.contains('overview')", WAIT)
                .await,
            "Escape closes it"
        );

        // Presenter view in a second window, kept in sync both ways.
        let mut presenter = Tab::open(&chrome).await;
        presenter.goto(&format!("{deck}?presenter#2")).await;
        assert!(presenter.wait_for(DECK_READY, WAIT).await);
        let timer: String = presenter
            .eval("document.getElementById('p-timer').textContent")
            .await;
        assert!(timer.contains(':'), "elapsed time shown: {timer}");
        let next_shown: bool = presenter
            .eval("!!document.querySelector('#p-next .slide.current')")
            .await;
        assert!(next_shown, "the presenter view shows the next slide");
        tab.key("Home").await;
        assert!(
            presenter
                .wait_for(&format!("{current} === '1'"), WAIT)
                .await,
            "presenter follows the audience"
        );
        presenter.key("End").await;
        assert!(
            tab.wait_for(&format!("{current} === '{last}'"), WAIT).await,
            "audience follows the presenter"
        );
        let notes: String = presenter
            .eval("document.getElementById('p-notes').innerHTML")
            .await;
        assert!(!notes.is_empty(), "notes panel");
        let presenter_problems = presenter.problems();
        presenter.page.close().await.ok();

        // No slide overflows its frame, at 1280x720 and 1920x1080, and the
        // frame is scaled to the window.
        let mut overflow = Vec::new();
        for (w, h) in [(1280u32, 720u32), (1920, 1080)] {
            browser::viewport(&tab, w, h, false).await;
            tab.goto("about:blank").await;
            tab.goto(&format!("{deck}#1")).await;
            assert!(tab.wait_for(DECK_READY, WAIT).await);
            let width: f64 = tab
                .eval("document.getElementById('frame').getBoundingClientRect().width")
                .await;
            assert!(
                (width - w as f64).abs() < 2.0,
                "frame scaled to {w}x{h}: width {width}"
            );
            let slides: String = tab.eval(OVERFLOWING_SLIDES).await;
            let slides: Vec<String> = serde_json::from_str(&slides).unwrap();
            overflow.extend(
                slides
                    .into_iter()
                    .map(|s| format!("slide {s} overflows at {w}x{h}")),
            );
        }

        // Printing: every step shown, diagrams rendered, one slide per page.
        let diagrams: String = tab.eval(DIAGRAM_STATE).await;
        let diagrams: Vec<String> = serde_json::from_str(&diagrams).unwrap();
        let pages = browser::printed_pages(&tab).await;
        let mut problems = tab.problems();
        problems.extend(presenter_problems);
        problems.extend(diagrams.into_iter().filter(|d| d != "ok"));
        chrome.close().await;
        assert_none(
            "deck: console errors, network requests or diagrams",
            &problems,
        );
        assert_none("deck: slides overflowing the frame", &overflow);
        assert_eq!(pages, total, "printing gives one page per slide");
    });
}

/// Every script the open page fetched before its first contentful paint,
/// as a JSON list (the performance timeline: what was asked for when).
const SCRIPTS_BEFORE_FIRST_PAINT: &str = r#"JSON.stringify((function () {
  var paint = performance.getEntriesByName('first-contentful-paint')[0];
  if (!paint) { return ['no first-contentful-paint entry']; }
  return performance.getEntriesByType('resource')
    .filter(function (r) { return r.initiatorType === 'script' && r.startTime < paint.startTime; })
    .map(function (r) {
      return r.name + ': asked for at ' + Math.round(r.startTime) + ' ms, first paint at ' + Math.round(paint.startTime) + ' ms';
    });
})())"#;

/// The sidebar lists the open chapter's sections ("on this page", mdBook's
/// `sidebar-header-nav`, on in book.toml) and marks the one scrolled to:
/// toc.js builds both, and it now runs after the page's first paint, long
/// after `DOMContentLoaded` (site/theme/toc.js.hbs). And no script was
/// asked for before that paint.
#[test]
fn the_sidebar_lists_the_chapters_sections_and_follows_the_scroll() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-sidebar-sections", site).await;
        tab.goto(&format!("{base}/walkthrough/self-healing.html"))
            .await;
        assert!(tab.wait_for(SETTLED, WAIT).await);
        let early = problems_of(&tab, SCRIPTS_BEFORE_FIRST_PAINT).await;
        let listed: usize = tab
            .eval("document.querySelectorAll('#mdbook-sidebar .on-this-page a.header-in-summary').length")
            .await;
        let sections: usize = tab
            .eval("document.querySelectorAll('main h2[id] > a, main h3[id] > a').length")
            .await;
        let _: bool = tab
            .eval("document.getElementById('the-three-probes').scrollIntoView(), true")
            .await;
        let followed = tab
            .wait_for(
                "!!document.querySelector('#mdbook-sidebar a.current-header[href=\"#the-three-probes\"]')",
                WAIT,
            )
            .await;
        chrome.close().await;
        assert!(
            sections > 0 && listed >= sections,
            "the sidebar lists {listed} of the chapter's {sections} sections"
        );
        assert!(
            followed,
            "scrolled to a section, the sidebar does not mark it"
        );
        assert_none("a chapter's scripts", &early);
    });
}

/// Every code block of the deck that is not highlighted yet, in either
/// frame (the presenter view's copy too), as a JSON list of "slide: language".
/// (Done: marked `hljs` by deck.js, and coloured where highlight.js knows
/// the language.)
const UNHIGHLIGHTED_CODE: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('pre.code code[class^="language-"]'))
  .filter(function (c) {
    var lang = c.className.split(' ')[0].replace(/^language-/, '');
    var known = window.hljs && window.hljs.getLanguage(lang);
    return !c.classList.contains('hljs') || (known && !c.querySelector('[class^="hljs-"]'));
  })
  .map(function (c) { return (c.closest('.slide').getAttribute('data-number')) + ': ' + c.className; }))"#;

/// No page of the guide or the deck names a script file in its HTML: each
/// fetches its scripts once it has painted (`afterFirstPaint`, inlined by the
/// site generator in place of the marker `site/theme/index.hbs` leaves), so
/// on a slow phone they do not hold its first paint.
#[test]
fn no_page_fetches_a_script_before_its_first_paint() {
    let site = built_site();
    let mut problems = Vec::new();
    for page in pages_of(site) {
        let html = std::fs::read_to_string(site.join(&page)).unwrap();
        problems.extend(
            html.match_indices("<script")
                .map(|(at, _)| html[at..].split('>').next().unwrap())
                .filter(|tag| tag.contains("src="))
                .map(|tag| format!("{page}: {tag}>")),
        );
        if html.contains(site::assets::SCRIPT_MARKER) {
            problems.push(format!("{page}: afterFirstPaint was not inlined"));
        }
    }
    assert_none("scripts named in a page's HTML", &problems);
}

/// The deck's code is highlighted without holding its first paint (its
/// page names no script file: the test above; deck.js fetches the guide's
/// highlight.js once the first slide has painted), yet every code block ends
/// up highlighted, the presenter view's copies too, and a code slide opened
/// by its link shows coloured code.
#[test]
fn the_decks_code_is_highlighted_after_its_first_paint() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-deck-code", site).await;
        let deck = format!("{base}/slides/index.html");
        let mut unhighlighted = Vec::new();
        let mut early = Vec::new();
        for query in ["", "?presenter"] {
            tab.goto("about:blank").await;
            tab.goto(&format!("{deck}{query}#1")).await;
            assert!(tab.wait_for(DECK_READY, WAIT).await, "deck never ready");
            assert!(
                tab.wait_for(
                    "document.documentElement.dataset.highlighted === 'done'",
                    WAIT
                )
                .await,
                "deck{query}: the code was never highlighted"
            );
            // (Highlighting starts after the first paint: its entry is in.)
            early.extend(
                problems_of(&tab, SCRIPTS_BEFORE_FIRST_PAINT)
                    .await
                    .into_iter()
                    .map(|p| format!("deck{query}: {p}")),
            );
            let left: String = tab.eval(UNHIGHLIGHTED_CODE).await;
            let left: Vec<String> = serde_json::from_str(&left).unwrap();
            unhighlighted.extend(left.into_iter().map(|c| format!("deck{query}: slide {c}")));
        }
        let code_slide: String = tab
            .eval("document.querySelector('#frame > .slide pre.code code.language-yaml').closest('.slide').id")
            .await;
        tab.goto("about:blank").await;
        tab.goto(&format!("{deck}#{code_slide}")).await;
        let coloured = tab
            .wait_for(
                "!!document.querySelector('#frame > .slide.current pre.code code.language-yaml [class^=\"hljs-\"]')",
                WAIT,
            )
            .await;
        chrome.close().await;
        assert_none("deck: code left unhighlighted", &unhighlighted);
        assert_none("deck: scripts asked for before the first paint", &early);
        assert!(
            coloured,
            "slide {code_slide}, opened by its link: its YAML is not coloured"
        );
    });
}

/// The deck opened from file://, presenter window opened with `p`: the
/// windows stay in sync without a server.
#[test]
fn the_deck_and_its_presenter_view_work_from_file() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let chrome = Chrome::launch(exe, scratch("chrome-file")).await;
        let mut tab = Tab::open(&chrome).await;
        let deck = format!("file://{}", site.join("slides/index.html").display());
        tab.goto(&format!("{deck}#1")).await;
        assert!(tab.wait_for(DECK_READY, WAIT).await);
        let before = chrome.browser.pages().await.unwrap().len();
        tab.key("p").await;
        let mut presenter = None;
        for _ in 0..100 {
            let pages = chrome.browser.pages().await.unwrap();
            if pages.len() > before {
                for page in pages {
                    let url = page.url().await.ok().flatten().unwrap_or_default();
                    if url.contains("?presenter") {
                        presenter = Some(page);
                    }
                }
            }
            if presenter.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let presenter = presenter.expect("`p` opens the presenter window");
        let ready = DECK_READY;
        let current = "document.querySelector('#frame > .slide.current').id";
        let mut ok = false;
        for _ in 0..200 {
            if presenter
                .evaluate(ready)
                .await
                .ok()
                .and_then(|v| v.into_value::<bool>().ok())
                == Some(true)
            {
                ok = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(ok, "presenter window ready");
        tab.key("End").await;
        let mut followed = false;
        for _ in 0..200 {
            let id: String = presenter
                .evaluate(current)
                .await
                .unwrap()
                .into_value()
                .unwrap();
            let total: usize = presenter
                .evaluate("document.querySelectorAll('#frame > .slide').length")
                .await
                .unwrap()
                .into_value()
                .unwrap();
            if id == total.to_string() {
                followed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let problems = tab.problems();
        chrome.close().await;
        assert!(
            followed,
            "the presenter window follows the deck from file://"
        );
        assert_none("deck from file://", &problems);
    });
}

/// A one-finger horizontal swipe from x `from` to x `to` (touch events as
/// a touch screen sends them).
async fn swipe(tab: &Tab, from: f64, to: f64) {
    let js = format!(
        "(function () {{
           function touch(x) {{ return new Touch({{ identifier: 1, target: document.body, clientX: x, clientY: 360 }}); }}
           var start = touch({from}), end = touch({to});
           document.body.dispatchEvent(new TouchEvent('touchstart', {{ bubbles: true, touches: [start], changedTouches: [start] }}));
           document.body.dispatchEvent(new TouchEvent('touchend', {{ bubbles: true, touches: [], changedTouches: [end] }}));
           return true;
         }})()"
    );
    let _: bool = tab.eval(&js).await;
}

// --- (5) the same checks on broken fixtures ---------------------------------

#[test]
fn a_console_error_and_a_request_to_the_network_are_caught() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let out = build_fixture(&fixture("external-request")).unwrap();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-external", &out).await;
        let problems = check_pages(&mut tab, &base, &["index.html".to_string()]).await;
        // The base fixture itself is clean: the checks do not just always fail.
        let clean = build_fixture(&fixture("base")).unwrap();
        let clean_base = browser::serve(&clean).await;
        let clean_problems = check_pages(&mut tab, &clean_base, &pages_of(&clean)).await;
        chrome.close().await;
        let text = problems.join("\n");
        assert!(
            text.contains("request leaving the machine: https://example.com/logo.png"),
            "{text}"
        );
        assert!(text.contains("fixture: an error on purpose"), "{text}");
        assert_none("the base fixture in Chromium", &clean_problems);
    });
}

#[test]
fn an_overflowing_slide_is_caught() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let out = build_fixture(&fixture("overflow")).unwrap();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-overflow", &out).await;
        tab.goto(&format!("{base}/slides/index.html")).await;
        assert!(tab.wait_for(DECK_READY, WAIT).await);
        let slides: String = tab.eval(OVERFLOWING_SLIDES).await;
        chrome.close().await;
        assert_eq!(slides, r#"["2"]"#, "only slide 2 overflows");
    });
}

/// `make docs` in a real browser: the injected script reloads the open pages
/// after a save, the deck stays on its slide, and a second save made while
/// the pages are still reloading from the first is not missed.
#[test]
fn a_save_reloads_the_open_pages_in_the_browser() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let root = fixture("base");
    browser::run(async {
        let live = site::live::start(&root, Some(&root.join("book")), 0, true)
            .await
            .unwrap();
        let chrome = Chrome::launch(exe, scratch("chrome-live")).await;
        let page = Tab::open(&chrome).await;
        let deck = Tab::open(&chrome).await;
        page.goto(&format!("http://{}/walkthrough/probes.html", live.addr))
            .await;
        deck.goto(&format!("http://{}/slides/index.html#3", live.addr))
            .await;
        assert!(page.wait_for(SETTLED, WAIT).await);
        assert!(deck.wait_for(DECK_READY, WAIT).await);
        // The event stream must be open before saving.
        tokio::time::sleep(Duration::from_millis(300)).await;

        let chapter = root.join("docs/walkthrough/probes.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        let saved = std::time::Instant::now();
        std::fs::write(
            &chapter,
            format!("{text}\nA sentence saved a moment ago.\n"),
        )
        .unwrap();
        let shown = page
            .wait_for(
                "document.body.textContent.includes('saved a moment ago')",
                WAIT,
            )
            .await;
        let took = saved.elapsed();
        assert!(shown, "the open chapter did not reload");
        println!(
            "save to visible in Chromium (debug build): {} ms",
            took.as_millis()
        );

        let slides = root.join("slides/deck.md");
        let text = std::fs::read_to_string(&slides).unwrap();
        std::fs::write(
            &slides,
            format!("{text}\nA late addition to the last slide.\n"),
        )
        .unwrap();
        let reloaded = deck
            .wait_for(
                "document.body.textContent.includes('A late addition') && document.documentElement.dataset.deck === 'ready'",
                WAIT,
            )
            .await;
        assert!(reloaded, "the open deck did not reload");
        let current: String = deck
            .eval("document.querySelector('#frame > .slide.current').id")
            .await;
        assert_eq!(current, "3", "the reloaded deck stays on its slide");
        chrome.close().await;
        drop(live);
    });
}
