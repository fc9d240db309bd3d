//! The diagrams in headless Chromium, where readers see them:
//! - at the guide's column on a desktop (1366×900) and a phone (390×844)
//!   no label is smaller than 80 % of the body text, no diagram's frame is
//!   taller than the screen, and no drawing needs its frame to scroll (taller
//!   than the frame, or on a desktop wider than the column);
//! - no label's text extends outside its shape, in the guide and in the
//!   deck's 16:9 frame (the font the layout measured is the one shown);
//! - the full-size view opens and closes from the keyboard;
//! - and each check fails on a deliberately cramped fixture.
//!
//! Skipped with a message when Chromium is missing, except with CI=true.

use crate::common;

use common::browser::{self, DECK_READY, SETTLED, Tab, WAIT};
use common::{assert_none, build_fixture, built_site, fixture};
use std::path::Path;

/// A real key press on whatever has the focus.
async fn press(tab: &Tab, key: &str, code: i64) {
    use chromiumoxide::cdp::browser_protocol::input::{
        DispatchKeyEventParams, DispatchKeyEventType,
    };
    for kind in [DispatchKeyEventType::KeyDown, DispatchKeyEventType::KeyUp] {
        let mut event = DispatchKeyEventParams::builder()
            .r#type(kind.clone())
            .key(key)
            .code(key)
            .windows_virtual_key_code(code);
        if key == "Enter" && kind == DispatchKeyEventType::KeyDown {
            event = event.text("\r");
        }
        tab.page.execute(event.build().unwrap()).await.unwrap();
    }
}

/// JavaScript: labels smaller than 80 % of the body text, and diagrams
/// taller than the viewport.
const LEGIBILITY: &str = r#"(function () {
  var p = document.querySelector('main p') || document.body;
  var body = parseFloat(getComputedStyle(p).fontSize);
  var out = [];
  document.querySelectorAll('figure.diagram').forEach(function (f, i) {
    var svg = f.querySelector('svg.dg');
    var name = 'diagram ' + (i + 1) + ' "' + (svg.getAttribute('aria-label') || '').slice(0, 50) + '"';
    var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    var smallest = Infinity;
    svg.querySelectorAll('text, foreignObject span, foreignObject p, foreignObject div').forEach(function (el) {
      if (!el.textContent.trim() || el.closest('marker, defs')) { return; }
      smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize) * scale);
    });
    if (smallest < 0.8 * body - 0.05) {
      out.push(name + ': smallest label ' + smallest.toFixed(1) + ' px, under 80 % of the body text (' + body + ' px)');
    }
    var h = f.getBoundingClientRect().height;
    if (h > window.innerHeight) {
      out.push(name + ': ' + Math.round(h) + ' px tall, taller than the viewport (' + window.innerHeight + ' px)');
    }
  });
  return JSON.stringify(out);
})()"#;

/// JavaScript: labels whose text extends outside their shape (nodes,
/// states, notes, subgraphs, sequence actors and notes), by more than 1 px.
const LABELS_OUTSIDE: &str = r#"(function () {
  function union(rects) {
    var u = null;
    rects.forEach(function (r) {
      if (r.width <= 0 || r.height <= 0) { return; }
      u = u ? { left: Math.min(u.left, r.left), top: Math.min(u.top, r.top), right: Math.max(u.right, r.right), bottom: Math.max(u.bottom, r.bottom) }
            : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    return u;
  }
  // The painted text only: the boxes of the text nodes (an element's own box
  // may be wider than the words in it).
  function textBox(el) {
    var rects = [];
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) { continue; }
      var range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      rects = rects.concat(Array.from(range.getClientRects()));
    }
    return union(rects);
  }
  function outside(t, s) {
    return t.left < s.left - 1 || t.right > s.right + 1 || t.top < s.top - 1 || t.bottom > s.bottom + 1;
  }
  var out = [];
  document.querySelectorAll('figure.diagram').forEach(function (f, i) {
    var svg = f.querySelector('svg.dg');
    var name = 'diagram ' + (i + 1) + ' "' + (svg.getAttribute('aria-label') || '').slice(0, 50) + '"';
    var pairs = [];
    svg.querySelectorAll('g.node').forEach(function (node) {
      var label = node.querySelector(':scope > .label, :scope > g.label, :scope > text');
      if (!label || !label.textContent.trim()) { return; }
      var shapes = Array.from(node.children).filter(function (c) { return c !== label && !c.classList.contains('label') && c.tagName !== 'text'; });
      pairs.push([label, union(shapes.map(function (c) { return c.getBoundingClientRect(); }))]);
    });
    svg.querySelectorAll('rect.actor, rect.note').forEach(function (rect) {
      var cls = rect.classList.contains('note') ? 'text.noteText' : 'text.actor';
      Array.from(rect.parentNode.querySelectorAll(':scope > ' + cls)).forEach(function (t) {
        pairs.push([t, rect.getBoundingClientRect()]);
      });
    });
    pairs.forEach(function (p) {
      var t = textBox(p[0]);
      if (t && p[1] && outside(t, p[1])) {
        out.push(name + ': label "' + p[0].textContent.trim().slice(0, 40) + '" extends outside its shape');
      }
    });
  });
  return JSON.stringify(out);
})()"#;

/// Guide pages with at least one diagram.
fn pages_with_diagrams(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| !e.path().starts_with(site.join("slides")))
        .filter(|e| e.file_name() != "print.html")
        .filter(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("<figure class=\"diagram\""))
        })
        .map(|e| e.path().strip_prefix(site).unwrap().display().to_string())
        .collect();
    pages.sort();
    pages
}

/// Legibility, label and size problems of `pages` at each viewport (one
/// visit of each page serves every check).
async fn guide_problems(tab: &Tab, base: &str, pages: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for (width, height, device) in [(1366, 900, "desktop"), (390, 844, "phone")] {
        browser::viewport(tab, width, height, false).await;
        for page in pages {
            tab.goto(&format!("{base}/{page}")).await;
            assert!(tab.wait_for(SETTLED, WAIT).await, "{page} did not load");
            let _: bool = tab
                .eval("document.fonts.ready.then(function () { return true; })")
                .await;
            for p in browser::problems_of(tab, LEGIBILITY).await {
                problems.push(format!("{page} ({device} {width}x{height}): {p}"));
            }
            for p in browser::problems_of(tab, LABELS_OUTSIDE).await {
                problems.push(format!("{page} ({device} {width}x{height}): {p}"));
            }
            // Width only on a desktop: a phone's column is narrower than
            // most diagrams' legible width, and those scroll sideways by
            // design.
            for p in browser::problems_of(tab, &too_big_js(device == "desktop")).await {
                problems.push(format!("{page} ({device} {width}x{height}): {p}"));
            }
        }
    }
    problems
}

#[test]
fn every_guide_diagram_is_legible_fits_whole_and_its_labels_fit() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    let pages = pages_with_diagrams(site);
    assert!(
        pages.len() > 20,
        "expected the guide's diagram pages, found {pages:?}"
    );
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-diagrams-guide", site).await;
        let problems = guide_problems(&tab, &base, &pages).await;
        chrome.close().await;
        assert_none("diagrams in the guide", &problems);
    });
}

#[test]
fn every_deck_diagram_label_fits_in_the_slide_frame() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-diagrams-deck", site).await;
        browser::viewport(&tab, 1280, 720, false).await;
        tab.goto(&format!("{base}/slides/index.html")).await;
        assert!(tab.wait_for(DECK_READY, WAIT).await);
        // Every slide at once, as printing lays them out, so each is measured.
        let _: bool = tab
            .eval("document.fonts.ready.then(function () { document.body.classList.add('print-all'); document.querySelectorAll('.slide').forEach(function (s) { s.classList.add('active'); s.style.display = 'block'; s.style.position = 'static'; }); return true; })")
            .await;
        // Laid out now, the labels ask for their font: measure once it is in.
        let _: bool = tab
            .eval("document.body.offsetHeight, document.fonts.ready.then(function () { return true; })")
            .await;
        let count: usize = tab
            .eval("document.querySelectorAll('.slide figure.diagram svg.dg').length")
            .await;
        let problems = browser::problems_of(&tab, LABELS_OUTSIDE).await;
        chrome.close().await;
        assert!(count >= 10, "the deck's diagrams are missing: {count}");
        assert_none("diagram labels in the deck", &problems);
    });
}

#[test]
fn a_diagram_opens_full_size_from_the_keyboard_and_closes_with_escape() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-diagrams-zoom", site).await;
        browser::viewport(&tab, 390, 844, false).await;
        tab.goto(&format!("{base}/under-the-hood/control-plane.html"))
            .await;
        assert!(tab.wait_for(SETTLED, WAIT).await);
        let _: bool = tab
            .eval("document.querySelector('.diagram-zoom').focus(), true")
            .await;
        press(&tab, "Enter", 13).await;
        let open: bool = tab
            .eval("(function () { var f = document.querySelector('figure.diagram'); var r = f.getBoundingClientRect(); return f.classList.contains('zoomed') && r.width >= window.innerWidth - 1 && getComputedStyle(f).position === 'fixed'; })()")
            .await;
        press(&tab, "Escape", 27).await;
        let closed: bool = tab
            .eval("!document.querySelector('figure.diagram.zoomed')")
            .await;
        chrome.close().await;
        assert!(
            open,
            "Enter on the full-size button did not open the diagram over the page"
        );
        assert!(closed, "Escape did not close the full-size diagram");
    });
}

#[test]
fn a_cramped_diagram_is_caught() {
    let Some((exe, _one_browser)) = browser::chromium_alone() else {
        return;
    };
    let out = build_fixture(&fixture("diagram-cramped")).unwrap();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-diagrams-cramped", &out).await;
        let problems = guide_problems(&tab, &base, &["index.html".to_string()]).await;
        chrome.close().await;
        let text = problems.join("\n");
        assert!(
            text.contains("under 80 % of the body text"),
            "small labels not caught:\n{text}"
        );
        assert!(
            text.contains("taller than the viewport"),
            "a tall diagram not caught:\n{text}"
        );
        assert!(
            text.contains("extends outside its shape"),
            "overflowing labels not caught:\n{text}"
        );
        assert!(
            text.contains("it scrolls up and down"),
            "the fixture's long chain was not caught:\n{text}"
        );
        assert!(
            text.contains("it scrolls sideways"),
            "the fixture's wide chain was not caught:\n{text}"
        );
    });
}

// Diagrams too big to see whole: the frame lets a big diagram scroll, but
// none has to: each guide diagram is drawn (split or redrawn where needed)
// to fit the screen's height on a desktop and on a phone, and the column's
// width on a desktop. Checked in guide_problems.

/// JavaScript: diagrams whose drawing is taller than the frame's cap
/// (85 % of the viewport, site.css) or, when `wide` is true, wider than the
/// column, so the reader has to scroll to see them whole.
fn too_big_js(wide: bool) -> String {
    format!(
        r#"(function () {{
  var out = [];
  document.querySelectorAll('figure.diagram').forEach(function (f, i) {{
    var svg = f.querySelector('svg.dg');
    var frame = f.querySelector('.diagram-frame') || f;
    var name = 'diagram ' + (i + 1) + ' "' + (svg.getAttribute('aria-label') || '').slice(0, 50) + '"';
    var r = svg.getBoundingClientRect();
    var cap = 0.85 * window.innerHeight;
    if (r.height > cap + 1) {{
      out.push(name + ': drawn ' + Math.round(r.height) + ' px tall, more than the ' + Math.round(cap) + ' px its frame shows: it scrolls up and down');
    }}
    if ({wide} && r.width > frame.clientWidth + 1) {{
      out.push(name + ': drawn ' + Math.round(r.width) + ' px wide in a ' + frame.clientWidth + ' px column: it scrolls sideways');
    }}
  }});
  return JSON.stringify(out);
}})()"#
    )
}
