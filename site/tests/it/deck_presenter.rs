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

/// The ids (places in deck.md) of the slides the talk shows by default:
/// every slide not marked `optional: true`.
const SHOWN_IDS: &str = "Array.from(document.querySelectorAll('#frame > .slide:not(.optional)')).map(function (s) { return s.id; })";

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
            "a",
            "optional",
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

        // A number, then Enter: the number the slide has in the talk (on its
        // label), optional slides skipped; the fragment names it in deck.md.
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
        let twelfth: String = tab.eval(&format!("{SHOWN_IDS}[11]")).await;
        assert!(
            tab.wait_for(
                &format!(
                    "{CURRENT} === '{twelfth}' && location.hash === '#{twelfth}' && document.getElementById('slide-number').textContent.startsWith('12 / ')"
                ),
                WAIT
            )
            .await,
            "1 2 Enter goes to the talk's slide 12 (slide {twelfth} of deck.md)"
        );

        // The overview: every thumbnail labelled with its number in the talk
        // or, for an optional slide skipped, "optional" and a dashed edge;
        // gaps even.
        tab.key("o").await;
        assert!(
            tab.wait_for("document.body.classList.contains('overview')", WAIT)
                .await
        );
        let overview_js = r#"JSON.stringify((function () {
          var out = [];
          var thumbs = Array.from(document.querySelectorAll('#frame > .slide'));
          var n = 0;
          thumbs.forEach(function (s) {
            var label = getComputedStyle(s, '::after').content;
            var optional = s.classList.contains('optional');
            var want = optional ? '"optional"' : '"' + (++n) + '"';
            if (label !== want) { out.push('slide ' + s.id + ' is labelled ' + label + ', not ' + want); }
            var edge = getComputedStyle(s).outlineStyle;
            if (optional && !s.classList.contains('current') && edge !== 'dashed') { out.push('optional slide ' + s.id + ' has a ' + edge + ' edge'); }
          });
          if (!thumbs.some(function (s) { return s.classList.contains('optional'); })) { out.push('no optional slide in the deck'); }
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
        let mut overview = problems_of(&tab, overview_js).await;
        browser::screenshot(&tab, "deck-overview-1366x900").await;
        // With the optional slides included, every thumbnail has its number
        // in deck.md, the optional ones still marked.
        type_key(&tab, "a").await;
        let included: Vec<String> = serde_json::from_str(
            &tab.eval::<String>(
                "JSON.stringify(Array.from(document.querySelectorAll('#frame > .slide')).map(function (s) { return getComputedStyle(s, '::after').content; }).filter(function (l, i, all) { var s = document.querySelectorAll('#frame > .slide')[i]; return l !== '\"' + s.id + (s.classList.contains('optional') ? ' · optional' : '') + '\"'; }))",
            )
            .await,
        )
        .unwrap();
        overview.extend(
            included
                .into_iter()
                .map(|l| format!("optional slides included: a thumbnail labelled {l}")),
        );
        browser::screenshot(&tab, "deck-overview-optional-1366x900").await;
        type_key(&tab, "a").await;
        break_with(&tab, "body.overview .frame { grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)) !important; justify-content: normal !important; } body.overview .slide::after { content: none !important; } body.overview .slide.optional { outline-style: solid !important; }").await;
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
                && overview_broken.iter().any(|p| p.contains("solid edge"))
                && overview_broken.iter().any(|p| p.contains("uneven")),
            "the overview check missed missing numbers, an optional slide drawn like the others or uneven gaps: {overview_broken:?}"
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

/// The slides of the built deck marked optional (class `optional`).
fn optional_count(site: &std::path::Path) -> usize {
    optional_slides(site).iter().filter(|(o, _)| *o).count()
}

/// Each slide of the built deck: whether it is optional, and its HTML.
fn optional_slides(site: &std::path::Path) -> Vec<(bool, String)> {
    let html = std::fs::read_to_string(site.join("slides/index.html")).unwrap();
    html.split("<section class=\"slide ")
        .skip(1)
        .map(|slide| {
            let optional = slide
                .split('"')
                .next()
                .is_some_and(|class| class.split(' ').any(|c| c == "optional"));
            (optional, slide.to_string())
        })
        .collect()
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
/// it, one page per slide and no notes. Every slide is printed, the
/// optional ones too; `?shown` prints only the slides the talk shows.
#[test]
fn printing_with_notes_adds_a_notes_page_after_each_slide() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    let total = slide_count(site);
    let shown = total - optional_count(site);
    let html = std::fs::read_to_string(site.join("slides/index.html")).unwrap();
    let with_notes = html.matches("<aside class=\"notes\">").count();
    assert!(with_notes > 0, "the deck has speaker notes");
    let optional_with_notes = optional_slides(site)
        .iter()
        .filter(|(optional, slide)| *optional && slide.contains("<aside class=\"notes\">"))
        .count();
    browser::run(async {
        let (chrome, tab, base) = browser::start(exe, "chrome-deck-print-notes", site).await;
        let mut pages = Vec::new();
        for query in ["", "?notes", "?shown", "?shown&notes"] {
            open_deck(&tab, &format!("{base}/slides/index.html{query}#1")).await;
            pages.push(browser::printed_pages(&tab).await);
        }
        chrome.close().await;
        assert_eq!(pages[0], total, "without ?notes: one page per slide");
        assert!(shown < total, "the deck has optional slides");
        assert_eq!(
            pages[2], shown,
            "with ?shown: one page per slide the talk shows"
        );
        // Notes pages: those of the optional slides are left out too.
        let (notes_all, notes_shown) = (pages[1] - total, pages[3].saturating_sub(shown));
        assert!(
            notes_all >= notes_shown + optional_with_notes,
            "with ?shown&notes: {notes_shown} pages of notes, with ?notes {notes_all}, though {optional_with_notes} optional slides have notes"
        );
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

// ==== Optional slides: the talk skips them, counts without them, paces by them ====

/// Presses `key` in the page until the fragment stops changing (the end of
/// the talk that way), and returns the slides met, in order, each with its
/// label and the progress bar's width when first met: `[[id, label], ...]`.
fn walk_js(key: &str) -> String {
    format!(
        r#"JSON.stringify((function () {{
  var met = [];
  for (var i = 0; i < 2000; i++) {{
    var id = document.querySelector('#frame > .slide.current').id;
    if (!met.length || met[met.length - 1][0] !== id) {{
      met.push([id, document.getElementById('slide-number').textContent + ' @ ' + document.getElementById('progress-bar').style.width]);
    }}
    var before = location.hash;
    document.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true }}));
    if (location.hash === before) {{ break; }}
  }}
  return met;
}})())"#
    )
}

const LABEL: &str = "document.getElementById('slide-number').textContent";

/// Next and previous jump over the optional slides; the slide number and
/// the progress bar count only the slides shown ("12 / 38"); a fragment
/// naming an optional slide opens it (labelled "optional"), and next goes
/// on to the talk's following slide; `a` includes the optional slides
/// (every slide counted), which the browser remembers across a reload, and
/// `a` again skips them. The walk is re-run with the skipping undone (the
/// class that marks a slide optional removed) and must then fail.
#[test]
fn optional_slides_are_skipped_counted_out_opened_by_their_fragment_and_included_with_a() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-deck-optional", site).await;
        let deck = format!("{base}/slides/index.html");
        browser::viewport(&tab, 1280, 720, false).await;
        open_deck(&tab, &format!("{deck}#1")).await;
        let shown: Vec<String> = serde_json::from_str(
            &tab.eval::<String>(&format!("JSON.stringify({SHOWN_IDS})"))
                .await,
        )
        .unwrap();
        let total: usize = tab
            .eval("document.querySelectorAll('#frame > .slide').length")
            .await;
        let m = shown.len();
        assert!(m < total, "slides/deck.md marks no slide `optional: true`");

        // What a walk through the talk should meet, and what it met.
        let walk_problems = |met: &[(String, String)], ids: &[String]| -> Vec<String> {
            let mut out = Vec::new();
            let got: Vec<&String> = met.iter().map(|(id, _)| id).collect();
            let want: Vec<&String> = ids.iter().collect();
            if got != want {
                out.push(format!("met slides {got:?}, the talk shows {want:?}"));
            }
            for (id, label) in met {
                let Some(k) = ids.iter().position(|s| s == id) else {
                    continue;
                };
                let bar = if ids.len() > 1 {
                    100.0 * k as f64 / (ids.len() - 1) as f64
                } else {
                    100.0
                };
                let want = format!("{} / {}", k + 1, ids.len());
                let width: f64 = label
                    .rsplit(" @ ")
                    .next()
                    .and_then(|w| w.trim_end_matches('%').parse().ok())
                    .unwrap_or(-1.0);
                if !label.starts_with(&format!("{want} @")) || (width - bar).abs() > 0.01 {
                    out.push(format!(
                        "slide {id}: label and bar {label:?}, not {want:?} @ {bar:.2}%"
                    ));
                }
            }
            out
        };
        let met = |json: String| -> Vec<(String, String)> { serde_json::from_str(&json).unwrap() };
        let mut problems = walk_problems(&met(tab.eval(&walk_js("ArrowRight")).await), &shown);
        let mut back = met(tab.eval(&walk_js("ArrowLeft")).await);
        back.reverse();
        let back: Vec<(String, String)> = back;
        let mut reversed_ids = shown.clone();
        reversed_ids.reverse();
        let back_ids: Vec<String> = back.iter().map(|(id, _)| id.clone()).collect();
        if back_ids != shown {
            problems.push(format!(
                "going back met {back_ids:?}, the talk shows {reversed_ids:?} (reversed)"
            ));
        }

        // A fragment naming an optional slide opens it.
        let optional: String = tab
            .eval("document.querySelector('#frame > .slide.optional').id")
            .await;
        let o: usize = optional.parse().unwrap();
        let next_shown = shown
            .iter()
            .find(|id| id.parse::<usize>().unwrap() > o)
            .expect("a shown slide after the first optional one")
            .clone();
        let before = shown
            .iter()
            .filter(|id| id.parse::<usize>().unwrap() < o)
            .count();
        open_deck(&tab, &format!("{deck}#{optional}")).await;
        let current: String = tab.eval(CURRENT).await;
        let label: String = tab.eval(LABEL).await;
        if current != optional {
            problems.push(format!(
                "#{optional} (an optional slide) opened slide {current}"
            ));
        }
        if label != format!("optional · after {before} / {m}") {
            problems.push(format!("optional slide {optional} labelled {label:?}"));
        }
        browser::screenshot(&tab, "deck-optional-skipped-1280x720").await;
        let steps: usize = tab
            .eval(&format!(
                "+document.getElementById('{optional}').dataset.steps"
            ))
            .await;
        for _ in 0..=steps {
            tab.key("ArrowRight").await;
        }
        if !tab
            .wait_for(&format!("{CURRENT} === '{next_shown}'"), WAIT)
            .await
        {
            let at: String = tab.eval(CURRENT).await;
            problems.push(format!(
                "from optional slide {optional}, next went to {at}, not the talk's next slide {next_shown}"
            ));
        }

        // `a`: every slide in the talk, remembered across a reload; `a` again
        // skips the optional ones.
        open_deck(&tab, &format!("{deck}#{optional}")).await;
        type_key(&tab, "a").await;
        let included = format!("{LABEL} === '{o} / {total}'");
        if !tab.wait_for(&included, WAIT).await {
            let label: String = tab.eval(LABEL).await;
            problems.push(format!(
                "with `a`, optional slide {o} is labelled {label:?}, not \"{o} / {total}\""
            ));
        }
        let all: Vec<String> = (1..=total).map(|n| n.to_string()).collect();
        open_deck(&tab, &format!("{deck}#1")).await;
        problems.extend(
            walk_problems(&met(tab.eval(&walk_js("ArrowRight")).await), &all)
                .into_iter()
                .map(|p| format!("optional slides included: {p}")),
        );
        tab.page.reload().await.unwrap();
        assert!(tab.wait_for(DECK_READY, WAIT).await);
        if !tab
            .wait_for(&format!("{LABEL}.endsWith(' / {total}')"), WAIT)
            .await
        {
            problems.push("a reload forgot that the optional slides are included".into());
        }
        type_key(&tab, "a").await;
        if !tab
            .wait_for(&format!("{LABEL}.endsWith(' / {m}')"), WAIT)
            .await
        {
            problems.push("`a` again does not skip the optional slides".into());
        }
        let twelfth = &shown[11.min(m - 1)];
        open_deck(&tab, &format!("{deck}#{twelfth}")).await;
        browser::screenshot(&tab, "deck-audience-1280x720").await;

        // Broken on purpose: nothing marked optional, so nothing skipped.
        open_deck(&tab, &format!("{deck}#1")).await;
        let _: bool = tab
            .eval("document.querySelectorAll('#frame > .slide.optional').forEach(function (s) { s.classList.remove('optional'); }), true")
            .await;
        let broken = walk_problems(&met(tab.eval(&walk_js("ArrowRight")).await), &shown);
        let errors = tab.problems();
        chrome.close().await;
        assert_none("optional slides in the audience view", &problems);
        assert!(
            !broken.is_empty(),
            "the walk did not notice optional slides being shown"
        );
        assert_none("console", &errors);
    });
}

/// `m:ss` as the presenter view writes the time planned for a slide.
fn mss(seconds: f64) -> String {
    let s = seconds.round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The presenter view's verdict for 0-based place `at` in the talk, slide
/// `due` due (one slide either way is on time).
fn verdict(at: usize, due: usize) -> String {
    if at > due + 1 {
        "ahead".into()
    } else if at + 1 < due {
        format!("behind (slide {} due)", due + 1)
    } else {
        "on time".into()
    }
}

/// `a` in either window includes (or skips) the optional slides in both;
/// the presenter view says "Slide N of M shown", plans the duration over
/// the slides shown ("m:ss a slide") and judges the pace against them. The
/// clock is moved on (the page's `Date.now`) to the middle of the talk's
/// slide N, so the presenter on slide N is on time; with the optional
/// slides included the same moment and slide are judged against every
/// slide, and must then be behind.
#[test]
fn the_optional_slides_switch_in_both_windows_and_the_pace_counts_the_slides_shown() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let site = built_site();
    let total = slide_count(site);
    let m = total - optional_count(site);
    browser::run(async {
        let chrome = Chrome::launch(exe, scratch("chrome-deck-optional-sync")).await;
        let mut audience = Tab::open(&chrome).await;
        let mut presenter = Tab::open(&chrome).await;
        let base = browser::serve(site).await;
        let deck = format!("{base}/slides/index.html");
        browser::viewport(&presenter, 1366, 768, false).await;
        open_deck(&audience, &format!("{deck}#1")).await;
        open_deck(&presenter, &format!("{deck}?presenter#1")).await;
        let count = "document.getElementById('p-count').textContent";
        let mut problems = Vec::new();
        let said: String = presenter.eval(count).await;
        if !said.starts_with(&format!("Slide 1 of {m} shown")) {
            problems.push(format!("the presenter's count says {said:?}"));
        }

        // `a` in the audience window: the presenter counts every slide.
        type_key(&audience, "a").await;
        if !presenter
            .wait_for(
                &format!("{count}.includes('of {total} shown') && document.getElementById('p-optional').getAttribute('aria-pressed') === 'true'"),
                WAIT,
            )
            .await
        {
            let said: String = presenter.eval(count).await;
            problems.push(format!(
                "`a` in the audience window: the presenter still says {said:?}"
            ));
        }
        // `a` in the presenter window: the audience skips them again.
        type_key(&presenter, "a").await;
        if !audience
            .wait_for(
                &format!("{LABEL}.endsWith(' / {m}') && document.getElementById('btn-optional').getAttribute('aria-pressed') === 'false'"),
                WAIT,
            )
            .await
        {
            let label: String = audience.eval(LABEL).await;
            problems.push(format!(
                "`a` in the presenter window: the audience still shows {label:?}"
            ));
        }

        // The pace. Slide k + 1 of the talk (0-based k, half-way), at the
        // middle of its planned time.
        let duration: f64 = presenter
            .eval("+(document.body.getAttribute('data-duration') || 0)")
            .await;
        let duration = duration * 60.0;
        let per = duration / m as f64;
        let k = m / 2;
        let elapsed = (k as f64 + 0.5) * per;
        let id: String = presenter.eval(&format!("{SHOWN_IDS}[{k}]")).await;
        let _: bool = presenter
            .eval(&format!(
                "(function () {{ var real = Date.now; Date.now = function () {{ return real.call(Date) + {}; }}; return true; }})()",
                (elapsed * 1000.0).round()
            ))
            .await;
        for digit in (k + 1).to_string().chars() {
            type_key(&presenter, &digit.to_string()).await;
        }
        presenter.key("Enter").await;
        let left = "document.getElementById('p-left').textContent";
        let want = format!("{} a slide · on time", mss(per));
        if !presenter
            .wait_for(
                &format!("{CURRENT} === '{id}' && {left}.includes('{want}') && {count}.startsWith('Slide {} of {m} shown')", k + 1),
                WAIT,
            )
            .await
        {
            let (l, c): (String, String) = (presenter.eval(left).await, presenter.eval(count).await);
            problems.push(format!(
                "slide {} of {m} shown at {:.0} s: {l:?} / {c:?}, not {want:?}",
                k + 1,
                elapsed
            ));
        }
        browser::screenshot(&presenter, "presenter-pace-1366x768").await;

        // The same moment, every slide counted.
        let at = id.parse::<usize>().unwrap() - 1;
        let per_all = duration / total as f64;
        let due = ((elapsed / per_all).floor() as usize).min(total - 1);
        let judged = verdict(at, due);
        assert_ne!(
            judged, "on time",
            "the deck's optional slides before the middle of the talk are too few for this check"
        );
        type_key(&presenter, "a").await;
        let want_all = format!("{} a slide · {judged}", mss(per_all));
        if !presenter
            .wait_for(
                &format!("{left}.includes('{want_all}') && {count}.startsWith('Slide {id} of {total} shown')"),
                WAIT,
            )
            .await
        {
            let (l, c): (String, String) = (presenter.eval(left).await, presenter.eval(count).await);
            problems.push(format!(
                "optional slides included, slide {id} at {elapsed:.0} s: {l:?} / {c:?}, not {want_all:?}"
            ));
        }
        browser::screenshot(&presenter, "presenter-pace-all-1366x768").await;
        type_key(&presenter, "a").await;
        let errors: Vec<String> = audience
            .problems()
            .into_iter()
            .chain(presenter.problems())
            .collect();
        chrome.close().await;
        assert_none("optional slides in both windows and the pace", &problems);
        assert_none("console", &errors);
    });
}

/// The talk fits its `duration:`: at least a minute for each slide it
/// shows, the cover and the last slide shown, and every takeaway (a
/// numbered section slide) shown with at least one shown slide of its own
/// after it.
fn talk_problems(deck: &site::deck::parse::Deck) -> Vec<String> {
    use site::deck::parse::Layout;
    let mut out = Vec::new();
    let shown: Vec<_> = deck.slides.iter().filter(|s| !s.optional).collect();
    let Some(minutes) = deck.duration_minutes else {
        return vec!["the deck declares no `duration:`".into()];
    };
    let per = f64::from(minutes) * 60.0 / shown.len() as f64;
    if per < 60.0 {
        out.push(format!(
            "{} slides shown in {minutes} min: {per:.0} s a slide (at least 60)",
            shown.len()
        ));
    }
    if deck.slides.last().is_some_and(|s| s.optional) {
        out.push("the last slide is optional".into());
    }
    let takeaway = |s: &site::deck::parse::Slide| {
        s.layout == Layout::Section
            && s.pieces.iter().any(|p| {
                p.markdown.lines().any(|l| {
                    l.strip_prefix("# ")
                        .and_then(|h| h.split_once(". "))
                        .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
                })
            })
    };
    for (i, slide) in deck.slides.iter().enumerate() {
        if !takeaway(slide) {
            continue;
        }
        if slide.optional {
            out.push(format!("takeaway slide {} is optional", slide.number));
        }
        let own = deck.slides[i + 1..]
            .iter()
            .take_while(|s| s.layout != Layout::Section)
            .filter(|s| !s.optional)
            .count();
        if own == 0 {
            out.push(format!(
                "takeaway slide {}: none of its slides is shown",
                slide.number
            ));
        }
    }
    out
}

/// A shown slide's notes that speak of the next or previous slide, when
/// that slide is optional (the talk skips it): "next slide" then means a
/// slide the audience does not see.
fn notes_problems(deck: &site::deck::parse::Deck) -> Vec<String> {
    let mut out = Vec::new();
    for (i, slide) in deck.slides.iter().enumerate() {
        if slide.optional {
            continue;
        }
        let notes = slide.notes.to_lowercase().replace('\n', " ");
        let neighbours = [
            ("next slide", deck.slides.get(i + 1)),
            (
                "previous slide",
                i.checked_sub(1).and_then(|j| deck.slides.get(j)),
            ),
        ];
        for (phrase, neighbour) in neighbours {
            if notes.contains(phrase) && neighbour.is_some_and(|n| n.optional) {
                out.push(format!(
                    "slide {}: its notes speak of the {phrase}, an optional one the talk skips",
                    slide.number
                ));
            }
        }
    }
    out
}

fn real_deck() -> site::deck::parse::Deck {
    let text = std::fs::read_to_string(testkit::repo_root().join("slides/deck.md")).unwrap();
    site::deck::parse::parse(&text).unwrap_or_else(|e| panic!("slides/deck.md: {e:#}"))
}

/// The real deck passes; copies with every slide shown and with a
/// takeaway's own slides all optional must fail.
#[test]
fn the_talk_fits_its_duration_and_shows_every_takeaway() {
    let deck = real_deck();
    assert_none("the talk's slides", &talk_problems(&deck));

    let mut everything = deck.clone();
    everything
        .slides
        .iter_mut()
        .for_each(|s| s.optional = false);
    let too_long = talk_problems(&everything);
    assert!(
        too_long.iter().any(|p| p.contains("s a slide")),
        "every slide shown, the check passed: {too_long:?}"
    );
    let mut bare = deck.clone();
    let section = bare
        .slides
        .iter()
        .position(|s| s.layout == site::deck::parse::Layout::Section)
        .unwrap();
    for s in bare.slides[section + 1..]
        .iter_mut()
        .take_while(|s| s.layout != site::deck::parse::Layout::Section)
    {
        s.optional = true;
    }
    let bare = talk_problems(&bare);
    assert!(
        bare.iter()
            .any(|p| p.contains("none of its slides is shown")),
        "a takeaway without a shown slide passed: {bare:?}"
    );
}

/// The real deck passes; a small deck whose notes speak of a skipped next
/// and previous slide must fail twice.
#[test]
fn no_shown_slides_notes_speak_of_a_skipped_neighbour() {
    assert_none("speaker notes", &notes_problems(&real_deck()));
    let twin = site::deck::parse::parse(
        "# a\n\n::notes::\nThe next slide has the numbers.\n---\noptional: true\n---\n# b\n\n::notes::\nb\n---\n# c\n\n::notes::\nAs on the previous slide.\n",
    )
    .unwrap();
    let found = notes_problems(&twin);
    assert_eq!(found.len(), 2, "{found:?}");
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
