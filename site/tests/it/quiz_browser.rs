//! The self-check questions in headless Chromium, on a phone's screen
//! (390x844): answered with the keyboard alone (Tab, arrows, Space, Enter)
//! they show every option's verdict and why, the answers come back after a
//! reload, the Learning checklist counts them, nothing is fetched from the
//! network, no question is wider than the screen, its text is legible
//! (4.5:1) in the light, navy, coal and ayu themes, and printing shows
//! every why. The same checks run on
//! a twin of the fixture with `assets/quiz.js` emptied, an image from the
//! network in a why, a question too wide for the phone, a grey question
//! number and printed answers hidden: every one fails.

use crate::common;
use common::browser::{self, SETTLED, Tab, WAIT, break_with};
use common::{assert_none, build_fixture, fixture};
use std::time::Duration;

/// JavaScript: the id of the focused element.
const FOCUSED: &str =
    "document.activeElement ? document.activeElement.id || document.activeElement.className : ''";

async fn press(tab: &Tab, key: &str) {
    tab.key(key).await;
    tokio::time::sleep(Duration::from_millis(30)).await;
}

async fn load(tab: &Tab, url: &str, problems: &mut Vec<String>) {
    tab.goto(url).await;
    if !tab.wait_for(SETTLED, WAIT).await {
        problems.push(format!("{url}: never settled"));
    }
}

/// The text of option `n`'s feedback of question `id`, if shown.
async fn feedback(tab: &Tab, id: &str, n: usize) -> Option<String> {
    let js = format!(
        "(function () {{ var f = document.getElementById('quiz-{id}-{n}-feedback'); return f && !f.hidden && f.offsetHeight > 0 ? f.textContent : ''; }})()"
    );
    let text: String = tab.eval(&js).await;
    (!text.is_empty()).then_some(text)
}

async fn verdict(tab: &Tab, id: &str) -> String {
    tab.eval(&format!(
        "document.querySelector('#quiz-{id} .quiz-verdict').textContent"
    ))
    .await
}

/// JavaScript: in theme THEME, the questions' texts whose contrast with
/// what is drawn behind them is under 4.5:1 (WCAG AA for body text).
const CONTRAST: &str = r#"(function () {
  var root = document.documentElement;
  ['light', 'rust', 'coal', 'navy', 'ayu'].forEach(function (t) { root.classList.remove(t); });
  root.classList.add('THEME');
  function rgba(c) { return c.match(/[\d.]+/g).map(Number); }
  function lum(c) {
    var a = c.slice(0, 3).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
  }
  function behind(el) {
    for (; el; el = el.parentElement) {
      var c = rgba(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) { return c; }
    }
    return [255, 255, 255];
  }
  var low = [];
  document.querySelectorAll('.quiz legend, .quiz-number, .quiz-option label, .quiz-feedback, .quiz-feedback .quiz-mark, .quiz-verdict, .quiz-actions button, .quiz-answers summary').forEach(function (el) {
    if (el.getBoundingClientRect().height === 0) { return; }
    var a = lum(rgba(getComputedStyle(el).color)), b = lum(behind(el));
    var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) { low.push((el.className || el.tagName.toLowerCase()) + ' ' + ratio.toFixed(1) + ':1'); }
  });
  return JSON.stringify(low.filter(function (x, i) { return low.indexOf(x) === i; }));
})()"#;

/// Emulates the `print` media type (`""`: the screen again).
async fn print_media(tab: &Tab, media: &str) {
    use chromiumoxide::cdp::browser_protocol::emulation::SetEmulatedMediaParams;
    tab.page
        .execute(SetEmulatedMediaParams::builder().media(media).build())
        .await
        .unwrap();
}

/// Every check on the site at `base`; the problems found.
async fn check(tab: &mut Tab, base: &str, widen: bool) -> Vec<String> {
    let mut problems = Vec::new();
    browser::viewport(tab, 390, 844, true).await;
    let probes = format!("{base}/walkthrough/probes.html");
    load(tab, &probes, &mut problems).await;

    // Keyboard: from the section's heading link, Tab into the first
    // question, ArrowDown picks its second option, Enter checks.
    let q1 = "probes-readiness-fails";
    let _: bool = tab
        .eval("document.querySelector('main a[href=\"#check-yourself\"]').focus(), true")
        .await;
    press(tab, "Tab").await;
    press(tab, "ArrowDown").await;
    press(tab, "Enter").await;
    match (feedback(tab, q1, 1).await, feedback(tab, q1, 2).await) {
        (Some(wrong), Some(right))
            if wrong.starts_with("Wrong") && wrong.contains("liveness")
                && right.starts_with("Right (your answer)") && right.contains("endpoints") => {}
        other => problems.push(format!(
            "keyboard: Tab, ArrowDown, Enter on {q1} showed no feedback and why for each option: {other:?}"
        )),
    }
    if verdict(tab, q1).await != "Right." {
        problems.push(format!("keyboard: no verdict for {q1} in its live region"));
    }
    // The second question (checkboxes): Space ticks, Tab moves, Space on
    // the Check button checks.
    let q2 = "probes-which-paths";
    for key in ["Tab", " ", "Tab", "Tab", " ", "Tab", "Tab", " "] {
        press(tab, key).await;
    }
    if verdict(tab, q2).await != "Right." || feedback(tab, q2, 2).await.is_none() {
        let at: String = tab.eval(FOCUSED).await;
        problems.push(format!(
            "keyboard: Tab and Space through {q2} and its Check button gave no verdict (focus on `{at}`)"
        ));
    }
    if !widen {
        let _: bool = tab
            .eval("document.querySelector('#quiz-probes-readiness-fails').scrollIntoView(), true")
            .await;
        browser::screenshot(tab, "quiz-390x844").await;
        let _: bool = tab
            .eval("document.documentElement.classList.remove('light'), document.documentElement.classList.add('navy'), true")
            .await;
        browser::screenshot(tab, "quiz-390x844-navy").await;
    }

    // Legible in the light theme and the dark ones: text at 4.5:1.
    if widen {
        break_with(tab, ".quiz-number { color: #aaa !important; }").await;
    }
    for theme in ["light", "navy", "coal", "ayu"] {
        let js = CONTRAST.replace("THEME", theme);
        let low: Vec<String> = serde_json::from_str(&tab.eval::<String>(&js).await).unwrap();
        if !low.is_empty() {
            problems.push(format!(
                "contrast: in the {theme} theme, under 4.5:1: {low:?}"
            ));
        }
    }
    let _: String = tab.eval(&CONTRAST.replace("THEME", "light")).await;

    // Remembered: a reload shows both answers checked.
    load(tab, &probes, &mut problems).await;
    let restored: bool = tab
        .eval(&format!(
            "document.getElementById('quiz-{q1}-2').checked && document.getElementById('quiz-{q2}-3').checked"
        ))
        .await;
    if !restored || feedback(tab, q1, 2).await.is_none() {
        problems.push("persist: the answers were not restored after a reload".to_owned());
    }

    // Phone: no question wider than the screen.
    if widen {
        break_with(tab, ".quiz-question { min-width: 600px !important; }").await;
    }
    let wide: Vec<String> = serde_json::from_str(
        &tab.eval::<String>(
            "JSON.stringify(Array.from(document.querySelectorAll('.quiz-question')).filter(function (q) { \
               return q.getBoundingClientRect().right > window.innerWidth + 1 || q.scrollWidth > q.clientWidth + 1; \
             }).map(function (q) { return q.id; }))",
        )
        .await,
    )
    .unwrap();
    if !wide.is_empty() {
        problems.push(format!("390 px: wider than the screen: {wide:?}"));
    }

    // Printed: every option's why is on paper, the buttons are not.
    if widen {
        break_with(
            tab,
            "@media print { .quiz-answers { display: none !important; } }",
        )
        .await;
    }
    print_media(tab, "print").await;
    let printed: bool = tab
        .eval(
            "Array.from(document.querySelectorAll('.quiz-answers .quiz-why')).every(function (w) { return w.getBoundingClientRect().height > 0; }) \
             && Array.from(document.querySelectorAll('.quiz-check, .quiz-retry')).every(function (b) { return b.getBoundingClientRect().height === 0; })",
        )
        .await;
    print_media(tab, "").await;
    if !printed {
        problems.push("print: not every why is printed, or a button is".to_owned());
    }

    // Counted on the checklist: 2 of 2 in Probes, 0 of 1 in Scaling.
    load(
        tab,
        &format!("{base}/reference/checklist.html"),
        &mut problems,
    )
    .await;
    let counts: String = tab
        .eval(
            "JSON.stringify(Array.from(document.querySelectorAll('.quiz-summary tr[data-quiz-ids], .quiz-summary tr[data-quiz-total]')).map(function (tr) { \
               return tr.querySelector('.quiz-answered').textContent + '/' + tr.querySelector('.quiz-right-count').textContent; }))",
        )
        .await;
    if counts != r#"["2/2","0/0","2/2"]"# {
        problems.push(format!(
            "count: the checklist shows answered/right {counts} instead of probes 2/2, scaling 0/0, all 2/2"
        ));
    }
    let ticks: bool = tab
        .eval("(function () { var b = document.querySelector('label.kit-check input'); b.click(); return document.getElementById('kit-checklist-progress').textContent.indexOf('1 of ') === 0; })()")
        .await;
    if !ticks {
        problems.push("the checklist's own ticks stopped working".to_owned());
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    problems.extend(tab.problems());
    problems
}

/// Fixture `quiz` with the guide's own Learning checklist (its ticks, its
/// script, its count's marker), built.
fn quiz_site(root: &std::path::Path) -> std::path::PathBuf {
    std::fs::copy(
        testkit::repo_root().join("docs/reference/checklist.md"),
        root.join("docs/reference/checklist.md"),
    )
    .unwrap();
    build_fixture(root).unwrap()
}

#[test]
fn questions_answer_by_keyboard_persist_and_count_on_a_phone() {
    let Some((exe, _alone)) = browser::chromium_alone() else {
        return;
    };
    let good = quiz_site(&fixture("quiz"));
    // The twin: no quiz script, a why that fetches from the network.
    let root = fixture("quiz");
    let page = root.join("docs/walkthrough/probes.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace(
            "Prometheus reads it; no probe does.",
            "Prometheus reads it; no probe does. ![logo](https://example.com/logo.png)",
        ),
    )
    .unwrap();
    let broken = quiz_site(&root);
    std::fs::write(broken.join("assets/quiz.js"), "").unwrap();
    browser::run(async {
        let (chrome, mut tab, base) = browser::start(exe, "chrome-quiz", &good).await;
        let problems = check(&mut tab, &base, false).await;
        let broken_base = browser::serve(&broken).await;
        let failed = check(&mut tab, &broken_base, true).await;
        chrome.close().await;
        assert_none("the questions in Chromium", &problems);
        let missed: Vec<&str> = [
            "keyboard: Tab, ArrowDown",
            "keyboard: Tab and Space",
            "persist:",
            "390 px:",
            "print:",
            "contrast:",
            "count:",
            "request leaving the machine",
        ]
        .into_iter()
        .filter(|what| !failed.iter().any(|p| p.contains(what)))
        .collect();
        assert!(
            missed.is_empty(),
            "checks that did not fail on the broken twin: {missed:?}\nit found:\n{}",
            failed.join("\n")
        );
    });
}
