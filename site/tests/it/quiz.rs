//! The self-check questions (`src/book/quiz.rs`): a ```` ```quiz ```` block
//! becomes fieldsets with legends, labelled options and the answers in a
//! `<details>`, its links go where the guide's go, the Learning checklist
//! counts every chapter's questions, no page names a script; and each broken
//! rule fails the build with the page and line (one mistake at a time in a
//! copy of fixture `quiz`).

use crate::common;
use common::{build_fixture, fixture};
use scraper::{Html, Selector};
use std::path::Path;

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What is wrong with the questions of a built page (empty when right).
fn structure_problems(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut problems = Vec::new();
    let questions: Vec<_> = doc.select(&sel(".quiz .quiz-question")).collect();
    if questions.is_empty() {
        problems.push("no question rendered".to_owned());
    }
    for q in questions {
        let id = q.value().attr("data-quiz-id").unwrap_or("?").to_owned();
        if q.value().name() != "fieldset" {
            problems.push(format!("{id}: not a <fieldset>"));
        }
        let legend_ok = q
            .children()
            .find_map(scraper::ElementRef::wrap)
            .is_some_and(|e| {
                e.value().name() == "legend" && !e.text().collect::<String>().trim().is_empty()
            });
        if !legend_ok {
            problems.push(format!("{id}: no <legend> first, with the prompt"));
        }
        let inputs: Vec<_> = q.select(&sel("input")).collect();
        if !(3..=4).contains(&inputs.len()) {
            problems.push(format!("{id}: {} inputs", inputs.len()));
        }
        for input in &inputs {
            let input_id = input.value().attr("id").unwrap_or("");
            let labelled = q
                .select(&sel(&format!("label[for=\"{input_id}\"]")))
                .any(|l| !l.text().collect::<String>().trim().is_empty());
            if !labelled {
                problems.push(format!("{id}: input {input_id} has no label"));
            }
        }
        if q.select(&sel("button.quiz-check")).count() != 1 {
            problems.push(format!("{id}: no Check button"));
        }
        if q.select(&sel("[aria-live]")).count() != 1 {
            problems.push(format!("{id}: no live region for the verdict"));
        }
        let whys = q.select(&sel("details.quiz-answers li .quiz-why")).count();
        if whys != inputs.len() {
            problems.push(format!(
                "{id}: {whys} whys in the <details> for {} options",
                inputs.len()
            ));
        }
    }
    if doc.select(&sel("script[src]")).count() > 0 {
        problems.push("a script is named in the HTML".to_owned());
    }
    problems
}

#[test]
fn questions_render_as_fieldsets_and_the_checklist_counts_them() {
    let out = build_fixture(&fixture("quiz")).unwrap();
    let probes = read(&out.join("walkthrough/probes.html"));
    let problems = structure_problems(&probes);
    assert!(problems.is_empty(), "{problems:#?}");
    let doc = Html::parse_document(&probes);
    let kinds: Vec<_> = doc
        .select(&sel(".quiz-question input"))
        .map(|i| i.value().attr("type").unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "radio", "radio", "radio", "checkbox", "checkbox", "checkbox", "checkbox"
        ]
    );
    // Inline Markdown as the guide renders it, links as the guide's.
    assert!(probes.contains("<strong>readiness</strong>"), "{probes}");
    assert!(
        probes.contains("href=\"scaling.html#check-yourself\""),
        "{probes}"
    );
    assert!(
        probes.contains("href=\"../sources/k8s/app/deployment.yaml.html\""),
        "{probes}"
    );
    assert!(!probes.contains("```quiz") && !probes.contains("[[question"));

    let checklist = read(&out.join("reference/checklist.html"));
    let doc = Html::parse_document(&checklist);
    let rows: Vec<(String, String)> = doc
        .select(&sel(".quiz-summary tbody tr"))
        .map(|tr| {
            let link = tr.select(&sel("a")).next().unwrap();
            (
                tr.value().attr("data-quiz-ids").unwrap().to_owned(),
                link.value().attr("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "probes-readiness-fails probes-which-paths".to_owned(),
                "../walkthrough/probes.html#check-yourself".to_owned()
            ),
            (
                "scaling-replicas".to_owned(),
                "../walkthrough/scaling.html#check-yourself".to_owned()
            ),
        ]
    );
    assert!(!checklist.contains(site::book::quiz::SUMMARY_MARKER));

    // The check fails on a page whose question lost its legend or a label.
    let broken = probes
        .replacen("<legend>", "<div>", 1)
        .replacen("</legend>", "</div>", 1);
    assert!(!structure_problems(&broken).is_empty());
    let broken = probes.replacen("<label for=", "<span data-for=", 1);
    assert!(!structure_problems(&broken).is_empty());
}

/// Builds fixture `quiz` with `from` replaced by `to` in `page`; returns the
/// build's error and the 1-based line of `at` in the changed page.
fn build_error(page: &str, from: &str, to: &str, at: &str) -> (String, usize) {
    let root = fixture("quiz");
    let path = root.join("docs").join(page);
    let text = read(&path);
    assert!(text.contains(from), "{page} has no {from:?}");
    let changed = text.replacen(from, to, 1);
    let line = changed
        .find(at)
        .map(|i| changed[..i].matches('\n').count() + 1)
        .unwrap_or_else(|| panic!("{at:?} not in the changed {page}"));
    std::fs::write(&path, changed).unwrap();
    match build_fixture(&root) {
        Ok(_) => panic!("{page}: `{from}` -> `{to}` built, but it should fail"),
        Err(e) => (format!("{e:#}"), line),
    }
}

#[test]
fn each_broken_rule_fails_the_build_with_page_and_line() {
    const PROBES: &str = "walkthrough/probes.md";
    let q1 = "id = \"probes-readiness-fails\"";
    let q2 = "id = \"probes-which-paths\"";
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // (page, from, to, the line the message names, what it says)
        (
            PROBES,
            "[[question.option]]\ntext = \"The kubelet",
            "[[question.option]\ntext = \"The kubelet",
            "[[question.option]\n",
            "quiz: ",
        ),
        (
            PROBES,
            "correct = true\nwhy = \"A pod",
            "right = true\nwhy = \"A pod",
            "right = true",
            "unknown field `right`",
        ),
        (
            PROBES,
            "text = \"The kubelet restarts its container\"\n",
            "text = \"The kubelet restarts its container\"\ncorrect = true\n",
            q1,
            "2 options with `correct = true`",
        ),
        (
            PROBES,
            "correct = true\nwhy = \"A pod",
            "why = \"A pod",
            q1,
            "0 options with `correct = true`",
        ),
        (
            PROBES,
            "[[question.option]]\ntext = \"The Deployment deletes it and makes a new one\"\nwhy = \"Nothing deletes the pod: it only stops getting traffic.\"\n",
            "",
            q1,
            "has 2 option(s); a question has 3 to 4",
        ),
        (
            PROBES,
            "why = \"The app's front page; no probe asks it.\"\n",
            "why = \"The app's front page; no probe asks it.\"\n\n[[question.option]]\ntext = \"`/kv`\"\nwhy = \"No.\"\n",
            q2,
            "has 5 option(s)",
        ),
        (
            PROBES,
            "why = \"Nothing deletes the pod: it only stops getting traffic.\"",
            "why = \"  \"",
            "why = \"  \"",
            "empty `why`",
        ),
        (
            PROBES,
            "## Check yourself",
            "## Questions",
            "```quiz",
            "belongs in the page's `## Check yourself` section",
        ),
        (
            "walkthrough/scaling.md",
            "id = \"scaling-replicas\"",
            "id = \"probes-readiness-fails\"",
            "id = \"probes-readiness-fails\"",
            "is already used at docs/walkthrough/probes.md:",
        ),
    ];
    let mut missed = Vec::new();
    for (page, from, to, at, says) in cases {
        let (err, line) = build_error(page, from, to, at);
        let place = format!("docs/{page}:{line}: ");
        if !(err.contains(&place) && err.contains(says)) {
            missed.push(format!(
                "`{from}` -> `{to}`: expected `{place}` and `{says}` in:\n{err}"
            ));
        }
        // One sentence: no TOML excerpt, no caret line.
        if err.contains(" |") || err.contains('^') {
            missed.push(format!("`{from}` -> `{to}`: not one sentence:\n{err}"));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n\n"));
}
