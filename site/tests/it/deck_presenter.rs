//! The deck for a room and for its presenter: a size floor at
//! 1280x720 (24 px text, 20 px code), controls that can be seen before they
//! can be clicked (always on touch screens), a progress bar and a readable
//! slide number on every layout, `?` help, `b`/`.` blank screen, a number
//! then Enter, an overview with numbers and even gaps, and a presenter view
//! with a larger current slide, scrollable and resizable notes, an "End of
//! deck" panel and the time left against the front matter's `duration:`.
//!
//! Each check also runs once on the deck broken on purpose (a style injected
//! that undoes the fix) and must then report it. Screenshots at 1366x900,
//! 390x844, 1280x720, 1920x1080 and 1024x768 go to `$CARGO_TARGET_TMPDIR/screenshots/`.

use crate::common;

use common::browser::{self, Chrome, DECK_READY, Tab, WAIT, break_with, problems_of, type_key};
use common::{assert_none, built_site, scratch};

const CURRENT: &str = "document.querySelector('#frame > .slide.current').id";

/// Text under 24 px and code under 20 px on any slide (every step shown),
/// at the design size 1280x720. Diagrams are checked by the diagram tests.
const SMALL_TEXT: &str = r#"JSON.stringify((function () {
  var out = [];
  document.querySelectorAll('#frame .step.future').forEach(function (s) { s.classList.remove('future'); });
  document.querySelectorAll('#frame > .slide').forEach(function (s) {
    var walker = document.createTreeWalker(s.querySelector('.slide-content'), NodeFilter.SHOW_TEXT);
    var n;
    while ((n = walker.nextNode())) {
      if (!n.textContent.trim() || n.parentElement.closest('svg, .notes, pre.mermaid')) { continue; }
      var px = parseFloat(getComputedStyle(n.parentElement).fontSize);
      var code = !!n.parentElement.closest('pre, code');
      if (px < (code ? 20 : 24) - 0.01) {
        out.push('slide ' + s.id + ': ' + (code ? 'code' : 'text') + ' at ' + px + ' px: ' + n.textContent.trim().slice(0, 40));
      }
    }
  });
  return out;
})())"#;

/// Contrast helpers: WCAG relative luminance of a CSS colour.
const CONTRAST_JS: &str = r#"
function rgb(c) { var m = /rgba?\(([^)]+)\)/.exec(c); if (!m) { return null; } var p = m[1].split(',').map(parseFloat); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; }
function lum(c) { function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); } return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b); }
function contrast(a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
function slideBg(s) { var cs = getComputedStyle(s); var c = rgb(cs.backgroundColor); if (c && c.a > 0) { return c; } var g = rgb(cs.backgroundImage); return g || { r: 255, g: 255, b: 255, a: 1 }; }
"#;

/// For the current slide: the progress bar against the slide behind it
/// (3:1, the floor for a UI part) and the slide number against its label.
fn chrome_contrast_js() -> String {
    format!(
        r#"JSON.stringify((function () {{ {CONTRAST_JS}
  var s = document.querySelector('#frame > .slide.current');
  var out = [];
  var bar = rgb(getComputedStyle(document.getElementById('progress-bar')).backgroundColor);
  var barBox = document.getElementById('progress-bar').getBoundingClientRect();
  var slideBox = s.getBoundingClientRect();
  if (barBox.bottom > slideBox.bottom + 1 || barBox.top < slideBox.top) {{ out.push('slide ' + s.id + ': the progress bar is off the slide'); }}
  var c1 = contrast(bar, slideBg(s));
  if (c1 < 3) {{ out.push('slide ' + s.id + ' (' + s.className + '): progress bar contrast ' + c1.toFixed(2)); }}
  var num = getComputedStyle(document.getElementById('slide-number'));
  var numBg = rgb(num.backgroundColor);
  var c2 = contrast(rgb(num.color), numBg && numBg.a > 0 ? numBg : slideBg(s));
  if (c2 < 4.5) {{ out.push('slide ' + s.id + ': slide number contrast ' + c2.toFixed(2)); }}
  return out;
}})())"#
    )
}

async fn open_deck(tab: &Tab, url: &str) {
    tab.goto("about:blank").await;
    tab.goto(url).await;
    assert!(
        tab.wait_for(DECK_READY, WAIT).await,
        "{url}: deck never ready"
    );
}

#[test]
fn every_slide_meets_the_size_floor_and_every_layout_shows_progress_and_number() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-deck-floor", site).await;
        let deck = format!("{base}/slides/index.html");
        browser::viewport(&tab, 1280, 720, false).await;
        open_deck(&tab, &format!("{deck}#1")).await;
        let small = problems_of(&tab, SMALL_TEXT).await;
        break_with(
            &tab,
            ".slide pre.code, .slide.dense pre.code { font-size: 18px !important; }",
        )
        .await;
        let small_broken = problems_of(&tab, SMALL_TEXT).await;

        // One slide of each layout (not the first: its bar is empty), at
        // the projector's 4:3 too, where the window has a letterbox.
        let layouts: Vec<(String, usize)> = serde_json::from_str(
            &tab.eval::<String>(
                "JSON.stringify(['cover', 'section', 'default', 'two-cols', 'center'].map(function (l) {
                   var s = Array.from(document.querySelectorAll('#frame > .slide.layout-' + l)).filter(function (x) { return x.id !== '1'; })[0]
                     || document.querySelector('#frame > .slide.layout-' + l);
                   return [l, s ? +s.id : 0];
                 }))",
            )
            .await,
        )
        .unwrap();
        let mut contrast = Vec::new();
        let js = chrome_contrast_js();
        for (w, h) in [(1280u32, 720u32), (1024, 768)] {
            browser::viewport(&tab, w, h, false).await;
            for (layout, n) in &layouts {
                if *n == 0 {
                    continue;
                }
                open_deck(&tab, &format!("{deck}#{n}")).await;
                contrast.extend(
                    problems_of(&tab, &js)
                        .await
                        .into_iter()
                        .map(|p| format!("{w}x{h} {layout}: {p}")),
                );
                if *layout == "section" {
                    browser::screenshot(&tab, &format!("deck-section-{w}x{h}")).await;
                }
            }
        }
        let section = layouts
            .iter()
            .find(|(l, _)| l == "section")
            .map(|(_, n)| *n);
        let section = section.expect("the deck has a section slide");
        open_deck(&tab, &format!("{deck}#{section}")).await;
        break_with(
            &tab,
            ".progress-bar { background: #326ce5 !important; } .slide-number { background: transparent !important; color: #9aa3b5 !important; }",
        )
        .await;
        let contrast_broken = problems_of(&tab, &js).await;
        let errors = tab.problems();
        chrome.close().await;
        assert_none("text below the floor at 1280x720", &small);
        assert!(!small_broken.is_empty(), "the size check missed 18 px code");
        assert_none("progress bar and slide number", &contrast);
        assert_eq!(
            contrast_broken.len(),
            2,
            "the contrast check missed a blue bar or a grey number: {contrast_broken:?}"
        );
        assert_none("console", &errors);
    });
}

#[test]
fn help_blank_screen_number_then_enter_overview_and_controls() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-deck-keys", site).await;
        let deck = format!("{base}/slides/index.html");
        browser::viewport(&tab, 1366, 900, false).await;
        open_deck(&tab, &format!("{deck}#1")).await;

        // ? opens the help, listing the keys; Escape closes it.
        type_key(&tab, "?").await;
        assert!(
            tab.wait_for("!document.getElementById('help').hidden", WAIT)
                .await,
            "? opens the help"
        );
        let help: String = tab
            .eval("document.getElementById('help').textContent")
            .await;
        for key in [
            "b or .",
            "a number, then Enter",
            "o",
            "p",
            "j / k",
            "+ / −",
            "?",
        ] {
            assert!(help.contains(key), "the help lists {key}: {help}");
        }
        browser::screenshot(&tab, "deck-help-1366x900").await;
        tab.key("Escape").await;
        assert!(
            tab.wait_for("document.getElementById('help').hidden", WAIT)
                .await,
            "Escape closes the help"
        );

        // b blanks the screen: black over everything; any key brings it back.
        let covered = "(function () { var e = document.elementFromPoint(innerWidth / 2, innerHeight / 2); return !!e && e.id === 'blank' && getComputedStyle(e).backgroundColor === 'rgb(0, 0, 0)'; })()";
        type_key(&tab, "b").await;
        assert!(tab.wait_for(covered, WAIT).await, "b blanks the screen");
        tab.key("ArrowRight").await;
        assert!(
            tab.wait_for(&format!("!{covered} && {CURRENT} === '1'"), WAIT)
                .await,
            "a key unblanks (and does not also advance)"
        );
        type_key(&tab, ".").await;
        assert!(tab.wait_for(covered, WAIT).await, ". blanks the screen");
        type_key(&tab, "x").await;
        assert!(tab.wait_for(&format!("!{covered}"), WAIT).await);

        // A number, then Enter.
        for k in ["1", "2"] {
            type_key(&tab, k).await;
        }
        assert!(
            tab.wait_for(
                "document.getElementById('goto').textContent.includes('12')",
                WAIT
            )
            .await,
            "the typed number shows"
        );
        tab.key("Enter").await;
        assert!(
            tab.wait_for(
                &format!("{CURRENT} === '12' && location.hash === '#12'"),
                WAIT
            )
            .await,
            "1 2 Enter goes to slide 12"
        );

        // The overview: every thumbnail numbered, gaps even.
        tab.key("o").await;
        assert!(
            tab.wait_for("document.body.classList.contains('overview')", WAIT)
                .await
        );
        let overview_js = r#"JSON.stringify((function () {
          var out = [];
          var thumbs = Array.from(document.querySelectorAll('#frame > .slide'));
          thumbs.forEach(function (s) {
            var label = getComputedStyle(s, '::after').content;
            if (label !== '"' + s.id + '"') { out.push('slide ' + s.id + ' is labelled ' + label); }
          });
          var rects = thumbs.map(function (s) { return s.getBoundingClientRect(); });
          var gapsX = [], gapsY = [];
          for (var i = 1; i < rects.length; i++) {
            if (Math.abs(rects[i].top - rects[i - 1].top) < 1) { gapsX.push(Math.round(rects[i].left - rects[i - 1].right)); }
            else if (rects[i].top > rects[i - 1].top) { gapsY.push(Math.round(rects[i].top - rects[i - 1].bottom)); }
          }
          var spread = function (a) { return a.length ? Math.max.apply(null, a) - Math.min.apply(null, a) : 0; };
          if (spread(gapsX) > 1) { out.push('uneven gaps between columns: ' + gapsX.join(',')); }
          if (spread(gapsY) > 1) { out.push('uneven gaps between rows: ' + gapsY.join(',')); }
          // The grid is centred: the gaps at the window's edges match.
          var frame = document.getElementById('frame').getBoundingClientRect();
          var firstRow = rects.filter(function (r) { return Math.abs(r.top - rects[0].top) < 1; });
          var left = rects[0].left - frame.left, right = frame.right - firstRow[firstRow.length - 1].right;
          if (Math.abs(left - right) > 1.5) { out.push('uneven margins: ' + Math.round(left) + ' px left, ' + Math.round(right) + ' px right'); }
          return out;
        })())"#;
        let overview = problems_of(&tab, overview_js).await;
        browser::screenshot(&tab, "deck-overview-1366x900").await;
        break_with(&tab, "body.overview .frame { grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)) !important; justify-content: normal !important; } body.overview .slide::after { content: none !important; }").await;
        let overview_broken = problems_of(&tab, overview_js).await;
        let _: bool = tab
            .eval("document.getElementById('broken').remove(), true")
            .await;
        tab.key("Escape").await;

        // Controls: nothing clickable that cannot be seen, with a mouse or
        // a finger; on a touch screen they show without hovering.
        let hidden_but_clickable = r#"JSON.stringify(Array.from(document.querySelectorAll('.deck-menu a, .deck-menu button')).filter(function (b) {
          var menu = getComputedStyle(document.getElementById('deck-menu'));
          return parseFloat(menu.opacity) < 0.5 && getComputedStyle(b).pointerEvents !== 'none';
        }).map(function (b) { return b.textContent; }))"#;
        let shown = "parseFloat(getComputedStyle(document.getElementById('deck-menu')).opacity) === 1 && getComputedStyle(document.querySelector('#deck-menu button')).pointerEvents !== 'none'";
        let mut controls = problems_of(&tab, hidden_but_clickable).await;
        let _: bool = tab
            .eval("document.dispatchEvent(new MouseEvent('mousemove', { bubbles: true })), true")
            .await;
        if !tab.wait_for(shown, WAIT).await {
            controls.push("moving the mouse does not show the controls".into());
        }
        browser::viewport(&tab, 390, 844, true).await;
        open_deck(&tab, &format!("{deck}#12")).await;
        if !tab.wait_for(shown, WAIT).await {
            controls.push("on a touch screen the controls are not shown".into());
        }
        controls.extend(problems_of(&tab, hidden_but_clickable).await);
        browser::screenshot(&tab, "deck-phone-390x844").await;
        break_with(&tab, ".deck-menu { opacity: 0 !important; pointer-events: auto !important; transition: none !important; }").await;
        let controls_broken = problems_of(&tab, hidden_but_clickable).await;
        for (w, h) in [(1280u32, 720u32), (1920, 1080), (1024, 768), (1366, 900)] {
            browser::viewport(&tab, w, h, false).await;
            open_deck(&tab, &format!("{deck}#12")).await;
            browser::screenshot(&tab, &format!("deck-slide12-{w}x{h}")).await;
        }
        let errors = tab.problems();
        chrome.close().await;
        assert_none("the overview", &overview);
        assert!(
            overview_broken.iter().any(|p| p.contains("labelled none"))
                && overview_broken.iter().any(|p| p.contains("uneven")),
            "the overview check missed missing numbers or uneven gaps: {overview_broken:?}"
        );
        assert_none("the deck's controls", &controls);
        assert!(
            !controls_broken.is_empty(),
            "the check missed invisible clickable controls"
        );
        assert_none("console", &errors);
    });
}

fn slide_count(site: &std::path::Path) -> usize {
    let html = std::fs::read_to_string(site.join("slides/index.html")).unwrap();
    html.matches("<section class=\"slide ").count()
}

#[test]
fn the_presenter_view_has_a_large_slide_scrollable_resizable_notes_an_end_and_time_left() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    let total = slide_count(site);
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-deck-presenter", site).await;
        let deck = format!("{base}/slides/index.html");
        browser::viewport(&tab, 1280, 800, false).await;
        open_deck(&tab, &format!("{deck}?presenter#3")).await;

        // The current slide: at least 60 % of the window's width, filling its box.
        let (slide_w, box_w, box_h, slide_h): (f64, f64, f64, f64) = serde_json::from_str(
            &tab.eval::<String>(
                "JSON.stringify((function () { var f = document.querySelector('#p-current .frame').getBoundingClientRect(); var b = document.getElementById('p-current').getBoundingClientRect(); return [f.width, b.width, b.height, f.height]; })())",
            )
            .await,
        )
        .unwrap();
        let mut problems = Vec::new();
        if slide_w < 0.6 * 1280.0 {
            problems.push(format!(
                "current slide {slide_w:.0} px wide in a 1280 px window"
            ));
        }
        if slide_w * slide_h < 0.95 * box_w * box_h {
            problems.push(format!(
                "current slide fills {:.0} % of its box",
                100.0 * slide_w * slide_h / (box_w * box_h)
            ));
        }

        // Time left against the front matter's duration.
        let duration: u32 = tab
            .eval("+(document.body.getAttribute('data-duration') || 0)")
            .await;
        assert!(
            duration > 0,
            "slides/deck.md sets `duration:` in its front matter"
        );
        let left = format!(
            "document.getElementById('p-left').textContent.includes('left of {duration} min')"
        );
        if !tab.wait_for(&left, WAIT).await {
            let shown: String = tab
                .eval("document.getElementById('p-left').textContent")
                .await;
            problems.push(format!(
                "time left not shown against {duration} min: {shown:?}"
            ));
        }

        // Notes: larger with +, smaller with -, scrolled with j / k, with a
        // sign while there is more below.
        let size = "parseFloat(getComputedStyle(document.getElementById('p-notes')).fontSize)";
        let before: f64 = tab.eval(size).await;
        type_key(&tab, "+").await;
        type_key(&tab, "+").await;
        let larger: f64 = tab.eval(size).await;
        if larger <= before {
            problems.push(format!(
                "+ did not enlarge the notes ({before} -> {larger} px)"
            ));
        }
        // Make the notes overflow (large type), then scroll them from the keyboard.
        for _ in 0..6 {
            type_key(&tab, "+").await;
        }
        let overflow = "(function () { var n = document.getElementById('p-notes'); return n.scrollHeight > n.clientHeight + 4; })()";
        let scrollable: bool = tab.eval(overflow).await;
        if scrollable {
            let more: bool = tab.eval("!document.getElementById('p-more').hidden").await;
            if !more {
                problems.push("long notes give no sign of more below".into());
            }
            type_key(&tab, "j").await;
            let top: f64 = tab
                .eval("document.getElementById('p-notes').scrollTop")
                .await;
            if top <= 0.0 {
                problems.push("j does not scroll the notes".into());
            }
            type_key(&tab, "k").await;
            let back: f64 = tab
                .eval("document.getElementById('p-notes').scrollTop")
                .await;
            if back >= top {
                problems.push("k does not scroll the notes back".into());
            }
        } else {
            problems.push(
                "slide 3's notes do not overflow even at the largest size: pick a longer one"
                    .into(),
            );
        }
        browser::screenshot(&tab, "presenter-notes-1280x800").await;
        type_key(&tab, "-").await;
        let smaller: f64 = tab.eval(size).await;
        let biggest: f64 = 42.0;
        if smaller >= biggest {
            problems.push(format!("- did not shrink the notes ({smaller} px)"));
        }
        for _ in 0..8 {
            type_key(&tab, "-").await;
        }

        // The last slide: the next panel says the deck ends.
        let end_shown = "(function () { var e = document.getElementById('p-end'); return !e.hidden && e.getBoundingClientRect().height > 50 && e.textContent.includes('End of deck'); })()";
        let end_before: bool = tab.eval(end_shown).await;
        if end_before {
            problems.push("'End of deck' shows before the last slide".into());
        }
        tab.key("End").await;
        assert!(
            tab.wait_for(&format!("{CURRENT} === '{total}'"), WAIT)
                .await
        );
        if !tab.wait_for(end_shown, WAIT).await {
            problems.push("the next panel is blank on the last slide".into());
        }
        for (w, h) in [(1366u32, 900u32), (1920, 1080), (1024, 768)] {
            browser::viewport(&tab, w, h, false).await;
            open_deck(&tab, &format!("{deck}?presenter#3")).await;
            browser::screenshot(&tab, &format!("presenter-{w}x{h}")).await;
        }
        let errors = tab.problems();
        chrome.close().await;
        assert_none("the presenter view", &problems);
        assert_none("console", &errors);
    });
}

/// `?notes` prints each slide's speaker notes on the page after it; without
/// it, one page per slide and no notes.
#[test]
fn printing_with_notes_adds_a_notes_page_after_each_slide() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    let total = slide_count(site);
    let html = std::fs::read_to_string(site.join("slides/index.html")).unwrap();
    let with_notes = html.matches("<aside class=\"notes\">").count();
    assert!(with_notes > 0, "the deck has speaker notes");
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-deck-print-notes", site).await;
        let mut pages = Vec::new();
        for query in ["", "?notes"] {
            open_deck(&tab, &format!("{base}/slides/index.html{query}#1")).await;
            pages.push(browser::printed_pages(&tab).await);
        }
        chrome.close().await;
        assert_eq!(pages[0], total, "without ?notes: one page per slide");
        // Long notes may run onto a second page.
        assert!(
            pages[1] >= total + with_notes,
            "with ?notes: {} pages for {total} slides and {with_notes} notes",
            pages[1]
        );
    });
}

/// `b` in the presenter window blanks the audience window (and not the
/// presenter's notes); a key there brings the slide back in both.
#[test]
fn blanking_from_the_presenter_window_blanks_the_audience() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let chrome = Chrome::launch(exe, scratch("chrome-deck-blank-sync")).await;
        let mut audience = Tab::open(&chrome).await;
        let presenter = Tab::open(&chrome).await;
        let base = browser::serve(site).await;
        let deck = format!("{base}/slides/index.html");
        open_deck(&audience, &format!("{deck}#4")).await;
        open_deck(&presenter, &format!("{deck}?presenter#4")).await;
        let blank_shown = "getComputedStyle(document.getElementById('blank')).display !== 'none'";
        type_key(&presenter, "b").await;
        assert!(
            audience.wait_for(blank_shown, WAIT).await,
            "the audience window did not go black"
        );
        let presenter_covered: bool = presenter.eval(blank_shown).await;
        assert!(!presenter_covered, "the presenter's own view went black");
        let said: String = presenter
            .eval("document.getElementById('p-count').textContent")
            .await;
        assert!(said.contains("blanked"), "the presenter is told: {said}");
        type_key(&presenter, "x").await;
        assert!(
            audience.wait_for(&format!("!({blank_shown})"), WAIT).await,
            "the slide did not come back"
        );
        let errors = audience.problems();
        chrome.close().await;
        assert_none("console", &errors);
    });
}

// ==== Diagram labels at the deck's 20 px floor ====
// A separate block: the size floor above skips SVGs (their text is scaled
// with the drawing, so its computed font size is not what the room sees).

/// Diagram labels rendered under 20 px on the current slide at 1280x720:
/// each label's font size times the scale its SVG is drawn at (the box's
/// width over the viewBox's), measured on the shown slide (every step shown).
const SMALL_DIAGRAM_LABELS: &str = r#"JSON.stringify((function () {
  var s = document.querySelector('#frame > .slide.current');
  s.querySelectorAll('.step.future').forEach(function (x) { x.classList.remove('future'); });
  var out = [];
  s.querySelectorAll('figure.diagram svg.dg').forEach(function (svg) {
    var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    var smallest = Infinity, which = '';
    svg.querySelectorAll('text, foreignObject span, foreignObject p, foreignObject div').forEach(function (el) {
      if (!el.textContent.trim() || el.closest('marker, defs')) { return; }
      var px = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (px < smallest) { smallest = px; which = el.textContent.trim().slice(0, 30); }
    });
    if (smallest < 20 - 0.05) {
      out.push('slide ' + s.id + ' "' + (svg.getAttribute('aria-label') || '').slice(0, 40) + '": label "' + which + '" at ' + smallest.toFixed(1) + ' px');
    }
  });
  return out;
})())"#;

/// Every diagram label on every slide is at least 20 px at 1280x720 (the
/// floor for code and diagram labels), and the check catches a diagram
/// squeezed to half its width.
#[test]
fn every_deck_diagram_label_meets_the_20px_floor_at_1280x720() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let chrome = Chrome::launch(exe, scratch("chrome-deck-diagram-floor")).await;
        let mut tab = Tab::open(&chrome).await;
        let base = browser::serve(site).await;
        let deck = format!("{base}/slides/index.html");
        browser::viewport(&tab, 1280, 720, false).await;
        open_deck(&tab, &format!("{deck}#1")).await;
        let slides: Vec<String> = serde_json::from_str(
            &tab.eval::<String>(
                "JSON.stringify(Array.from(document.querySelectorAll('#frame > .slide')).filter(function (s) { return s.querySelector('figure.diagram svg.dg'); }).map(function (s) { return s.id; }))",
            )
            .await,
        )
        .unwrap();
        let mut small = Vec::new();
        for id in &slides {
            open_deck(&tab, &format!("{deck}#{id}")).await;
            small.extend(problems_of(&tab, SMALL_DIAGRAM_LABELS).await);
            browser::screenshot(&tab, &format!("deck-diagram-{id}-1280x720")).await;
        }
        // Broken on purpose: the first diagram's slide with its drawing at
        // half the width it is given.
        let first = slides.first().expect("the deck has diagrams");
        open_deck(&tab, &format!("{deck}#{first}")).await;
        break_with(&tab, ".slide figure.diagram svg.dg { max-width: 50% !important; max-height: 270px !important; }").await;
        let small_broken = problems_of(&tab, SMALL_DIAGRAM_LABELS).await;
        let errors = tab.problems();
        chrome.close().await;
        assert!(
            slides.len() >= 10,
            "the deck's diagram slides are missing: {slides:?}"
        );
        assert_none("diagram labels under 20 px at 1280x720", &small);
        assert!(
            !small_broken.is_empty(),
            "the diagram label check missed a diagram squeezed to half its width"
        );
        assert_none("console", &errors);
    });
}
