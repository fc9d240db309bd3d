//! The checks that need no running app: kubectl commands parse, `make`
//! targets exist, names and numbers in prose come from the kit.

use std::io::Write;

use guide_check::kubectl::{Sandbox, arguments_with, find, not_run_reason};
use guide_check::pages::{Page, guide_and_deck};
use testkit::{need_on_path, repo_root};

/// Runs the kubectl commands of `pages` for `test`; returns (parsed,
/// skipped, problems), or `None` without kubectl (skipped, said why).
fn kubectl_problems(test: &str, pages: &[Page]) -> Option<(usize, Vec<String>, Vec<String>)> {
    let kubectl = need_on_path(
        test,
        "kubectl",
        "install it (https://kubernetes.io/docs/tasks/tools/)",
    )?;
    let sandbox = Sandbox::new(&kubectl).expect("a sandbox for kubectl");
    let mut seen = std::collections::BTreeSet::new();
    let (mut to_run, mut skipped) = (Vec::new(), Vec::new());
    for found in find(pages) {
        // Inline `kubectl -l` names a flag; it is not a command to run.
        if found.inline && found.text.split_whitespace().count() < 3 {
            continue;
        }
        if let Some(reason) = not_run_reason(&found.text) {
            skipped.push(format!("{}: `{}`: {reason}", found.at, found.text));
        } else if seen.insert(found.text.clone()) {
            to_run.push(found);
        }
    }
    // kubectl takes ~0.1 s to start: four at a time.
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let chunks: Vec<_> = to_run.chunks(to_run.len().div_ceil(4).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let (sandbox, kubectl) = (&sandbox, &kubectl);
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|found| {
                            arguments_with(&found.text, &found.vars)
                                .and_then(|args| sandbox.check(kubectl, &args, found.inline))
                                .map_err(|e| format!("{}: `{}`: {e}", found.at, found.text))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let parsed = results.iter().filter(|r| r.is_ok()).count();
    let problems: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    Some((parsed, skipped, problems))
}

#[test]
fn every_kubectl_command_parses() {
    let all = guide_and_deck(repo_root());
    let every = all.len();
    let pages = guide_check::pages::selected_for("every_kubectl_command_parses", repo_root(), all);
    let Some((parsed, skipped, problems)) =
        kubectl_problems("every_kubectl_command_parses", &pages)
    else {
        return;
    };
    let _ = writeln!(
        std::io::stderr(),
        "kubectl: {parsed} distinct commands parsed, {} not run:\n  {}",
        skipped.len(),
        skipped.join("\n  ")
    );
    assert!(
        problems.is_empty(),
        "{} kubectl command(s) do not parse:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        pages.len() < every || parsed > 50,
        "only {parsed} kubectl commands found"
    );
}

/// A one-page fixture holding `commands` in a `sh` block.
fn fixture(commands: &str) -> Vec<Page> {
    vec![Page {
        path: "fixture.md".into(),
        text: format!("# Fixture\n\n```sh\n{commands}\n```\n"),
    }]
}

#[test]
fn kubectl_mistakes_are_caught_and_good_commands_pass() {
    let good = fixture(
        "kubectl -n k8s-demo get hpa,deploy,po -o wide\n\
         kubectl -n k8s-demo get pods -o jsonpath='{.items[0].metadata.name}'\n\
         kubectl -n k8s-demo get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName\n\
         kubectl -n k8s-demo logs <pod-name> --previous\n\
         kubectl apply -f k8s/examples/job.yaml\n\
         POD=$(kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -o name | head -n 1)\n\
         kubectl -n k8s-demo delete \"$POD\"\n\
         NODE=$(kubectl get nodes -o name | head -n 1)\n\
         kubectl describe \"$NODE\"",
    );
    let Some((parsed, _, problems)) =
        kubectl_problems("kubectl_mistakes_are_caught_and_good_commands_pass", &good)
    else {
        return;
    };
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(parsed, 9);
    for (broken, why) in [
        (
            "kubectl -n k8s-demo get pods --namespce k8s-demo",
            "unknown flag",
        ),
        ("kubectl -n k8s-demo get podz", "resource type"),
        (
            "kubectl -n k8s-demo rollout statuz deployment/demo-app",
            "unknown command",
        ),
        (
            "kubectl -n k8s-demo get pods -o jsonpath='{.items[0'",
            "jsonpath",
        ),
        (
            "kubectl -n k8s-demo get pods -o custom-columns=NAME",
            "custom-columns",
        ),
        (
            "kubectl apply -f k8s/examples/no-such-file.yaml",
            "does not exist",
        ),
    ] {
        let (_, _, problems) = kubectl_problems(
            "kubectl_mistakes_are_caught_and_good_commands_pass",
            &fixture(broken),
        )
        .unwrap();
        assert_eq!(problems.len(), 1, "{broken}: {problems:?}");
        assert!(
            problems[0].to_lowercase().contains(why),
            "{broken}: expected `{why}` in {problems:?}"
        );
    }
}

#[test]
fn every_make_target_the_pages_name_is_listed_by_make_help() {
    if need_on_path(
        "every_make_target_the_pages_name_is_listed_by_make_help",
        "make",
        "install it (Debian: apt-get install make)",
    )
    .is_none()
    {
        return;
    }
    let pages = guide_check::pages::with_readmes(repo_root());
    let report = guide_check::make_targets::check(&pages, repo_root()).unwrap();
    let _ = writeln!(
        std::io::stderr(),
        "make: {} `make X` mentions checked; {} known to be hidden from make help:\n  {}",
        report.named,
        report.known.len(),
        report.known.join("\n  ")
    );
    assert!(
        report.named > 50,
        "only {} make targets named",
        report.named
    );
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
}

#[test]
fn a_removed_make_target_is_caught() {
    if need_on_path(
        "a_removed_make_target_is_caught",
        "make",
        "install it (Debian: apt-get install make)",
    )
    .is_none()
    {
        return;
    }
    let root = repo_root();
    let copy = tempfile::tempdir().unwrap();
    // The Makefile and every file it includes, as kit-check reads them.
    for (file, text) in kit_check::make_targets::kit_makefiles(root).unwrap() {
        let to = copy.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, text).unwrap();
    }
    let pages = fixture("make restart\nmake scale N=2");
    let problems = guide_check::make_targets::check(&pages, copy.path())
        .unwrap()
        .problems;
    assert!(problems.is_empty(), "{problems:?}");
    let mk = copy.path().join("k8s/k8s.mk");
    let text = std::fs::read_to_string(&mk).unwrap();
    let rule = text
        .lines()
        .find(|l| l.starts_with("restart:"))
        .expect("k8s.mk has a restart rule")
        .to_owned();
    std::fs::write(&mk, text.replace(&rule, "restart-renamed:")).unwrap();
    let problems = guide_check::make_targets::check(&pages, copy.path())
        .unwrap()
        .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("make restart"), "{problems:?}");
}

#[test]
fn numbers_in_prose_agree_with_the_kit() {
    let root = repo_root();
    let report = guide_check::facts::check(root, &guide_and_deck(root));
    let stated: Vec<String> = report
        .checked
        .iter()
        .filter(|(_, places)| *places > 0)
        .map(|(v, places)| format!("{} {} = {} ({places})", v.file, v.pointer, v.value))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "facts: {} values derived from the kit, {} of them stated on the pages, in {} places; \
         {} numbers tied to an example the page names; marked not the kit's: {} in the prose, \
         {} in facts::MARKED ({} entries)\n  {}",
        report.derived,
        stated.len(),
        report.places,
        report.examples,
        report.marked_in_prose,
        report.marked_in_table,
        guide_check::facts::MARKED.len(),
        stated.join("\n  ")
    );
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    assert!(report.derived > 50 && report.places > 100, "{report:?}");
}

/// A scratch copy of the kit's manifests with one edit.
fn kit_copy(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let examples = kit_check::paths::yaml_files(&repo_root().join(guide_check::values::EXAMPLES));
    let kit = guide_check::values::kit_files(repo_root());
    for f in kit.iter().map(|f| repo_root().join(f)).chain(examples) {
        let to_path = copy.path().join(f.strip_prefix(repo_root()).unwrap());
        std::fs::create_dir_all(to_path.parent().unwrap()).unwrap();
        std::fs::copy(&f, &to_path).unwrap();
    }
    let path = copy.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    copy
}

/// One value changed in a scratch copy of the kit, nothing else: the
/// fact check fails, naming a page and line, the file, and the new value.
#[test]
fn a_changed_kit_value_fails_where_the_pages_state_it() {
    let pages = guide_and_deck(repo_root());
    // The pages are read once; each copy of the kit is judged against them.
    let scan = guide_check::facts::scan(&pages, guide_check::facts::TERMS);
    let before = scan.judge(repo_root(), guide_check::facts::MARKED);
    assert!(before.problems.is_empty(), "{:#?}", before.problems);
    let mutations = [
        (
            "k8s/app/deployment.yaml",
            "replicas: 5",
            "replicas: 3",
            "replicas",
        ),
        (
            "k8s/app/deployment.yaml",
            "periodSeconds: 5",
            "periodSeconds: 7",
            "periodSeconds",
        ),
        (
            "k8s/app/deployment.yaml",
            "failureThreshold: 3",
            "failureThreshold: 4",
            "failureThreshold",
        ),
        (
            "k8s/app/deployment.yaml",
            "timeoutSeconds: 3",
            "timeoutSeconds: 4",
            "timeoutSeconds",
        ),
        (
            "k8s/app/deployment.yaml",
            "periodSeconds: 10",
            "periodSeconds: 12",
            "periodSeconds",
        ),
        (
            "k8s/app/deployment.yaml",
            "cpu: 50m",
            "cpu: 60m",
            "targetPerPod",
        ),
        (
            "k8s/app/deployment.yaml",
            "memory: 128Mi",
            "memory: 192Mi",
            "memory",
        ),
        (
            "k8s/app/deployment.yaml",
            "terminationGracePeriodSeconds: 45",
            "terminationGracePeriodSeconds: 50",
            "terminationGracePeriodSeconds",
        ),
        (
            "k8s/app/pdb.yaml",
            "maxUnavailable: 1",
            "maxUnavailable: 2",
            "maxUnavailable",
        ),
        (
            "k8s/redis/deployment.yaml",
            "memory: 256Mi",
            "memory: 384Mi",
            "memory",
        ),
        (
            "k8s/redis/deployment.yaml",
            "maxmemory 64mb",
            "maxmemory 96mb",
            "maxmemory",
        ),
        (
            "k8s/hpa/hpa.yaml",
            "maxReplicas: 10",
            "maxReplicas: 8",
            "maxReplicas",
        ),
        (
            "k8s/hpa/hpa.yaml",
            "stabilizationWindowSeconds: 60",
            "stabilizationWindowSeconds: 90",
            "stabilizationWindowSeconds",
        ),
        (
            "k8s/app/configmap.yaml",
            "SESSION_TTL: \"3600\"",
            "SESSION_TTL: \"7200\"",
            "SESSION_TTL",
        ),
        (
            "k8s/app/configmap.yaml",
            "SHUTDOWN_DRAIN_SECONDS: \"5\"",
            "SHUTDOWN_DRAIN_SECONDS: \"8\"",
            "SHUTDOWN_DRAIN_SECONDS",
        ),
    ];
    let failures: Vec<String> = mutations
        .iter()
        .filter_map(|m| unnoticed(&scan, *m))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Why the mutation (file, from, to, field) went unnoticed, if it did.
fn unnoticed(
    scan: &guide_check::facts::Scan,
    (file, from, to, field): (&str, &str, &str, &str),
) -> Option<String> {
    let copy = kit_copy(file, from, to);
    let report = scan.judge(copy.path(), guide_check::facts::MARKED);
    let new = to.rsplit([' ', '"']).find(|w| !w.is_empty()).unwrap();
    // Each names the page and the line (`docs/…/x.md:123: `), the field,
    // the kit file and its new value.
    let at = regex::Regex::new(r"^(docs/\S+|slides/deck)\.md:\d+: ").unwrap();
    let named = report.problems.iter().any(|p| {
        at.is_match(p)
            && p.contains(&format!("reads as {field} ="))
            && p.contains(file)
            && p.contains(&format!("= {new}"))
    });
    (!named).then(|| {
        format!(
            "{file}: `{from}` -> `{to}` went unnoticed:\n{}",
            report.problems.join("\n")
        )
    })
}

/// A manifest field whose name the prose has no words for is reported.
#[test]
fn a_new_field_without_words_is_reported() {
    let copy = kit_copy(
        "k8s/app/deployment.yaml",
        "minReadySeconds: 5",
        "minReadySeconds: 5\n  activeDeadlineLikeField: 7",
    );
    let report = guide_check::facts::check(copy.path(), &[]);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("`activeDeadlineLikeField` has no words")),
        "{:#?}",
        report.problems
    );
}

/// A number next to a kit term that no kit value explains is reported,
/// unless the sentence marks it; a stale entry of the table is an error.
#[test]
fn an_unaccounted_number_is_reported_and_a_marked_one_is_not() {
    let root = repo_root();
    let fixture = |text: &str| {
        vec![Page {
            path: "fixture.md".into(),
            text: format!("# Fixture\n\n{text}\n"),
        }]
    };
    let terms = guide_check::facts::TERMS;
    let report = guide_check::facts::check_with(
        root,
        &fixture("The readiness probe has a 9-second timeout."),
        terms,
        &[],
    );
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    assert!(
        report.problems[0].starts_with("fixture.md:3: "),
        "{:?}",
        report.problems
    );
    let report = guide_check::facts::check_with(
        root,
        &fixture("The readiness probe's timeout is 1 s (the Kubernetes 1.34 default)."),
        terms,
        &[],
    );
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let table = [("fixture.md", "pod spec of a job", "a Job's own probe")];
    let pages = fixture("The pod spec of a job probes every 9 seconds.");
    let report = guide_check::facts::check_with(root, &pages, terms, &table);
    assert!(
        report.problems.is_empty() && report.marked_in_table == 1,
        "{report:?}"
    );
    let report = guide_check::facts::check_with(root, &fixture("Nothing here."), terms, &table);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("matches nothing")),
        "{:#?}",
        report.problems
    );
}

#[test]
fn names_in_prose_exist_in_the_kit() {
    let root = repo_root();
    let known = guide_check::names::Known::read(root);
    let report = guide_check::names::check(root, &guide_and_deck(root), &known);
    let _ = writeln!(
        std::io::stderr(),
        "names: {} env vars, {} routes, {} paths, {} ports checked",
        report.env,
        report.routes,
        report.paths,
        report.ports
    );
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    assert!(report.env > 20 && report.routes > 20 && report.paths > 20);
}

#[test]
fn misspelled_names_are_caught() {
    let root = repo_root();
    let known = guide_check::names::Known::read(root);
    let good = vec![Page {
        path: "fixture.md".into(),
        text: "Set `REDIS_TIMEOUT_MS`, call `GET /visits` and `POST /kv/{key}`, read \
               `k8s/app/deployment.yaml`; the app listens on port 8000.\n"
            .into(),
    }];
    let report = guide_check::names::check(root, &good, &known);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        (report.env, report.routes, report.paths, report.ports),
        (1, 2, 1, 1)
    );
    let broken = vec![Page {
        path: "fixture.md".into(),
        text: "Set `REDIS_TIMEOUT_SECONDS`, call `GET /visit` and `DELETE /visits`, read \
               `k8s/app/deploy.yaml`; the app listens on port 8001.\n"
            .into(),
    }];
    let report = guide_check::names::check(root, &broken, &known);
    assert_eq!(report.problems.len(), 5, "{:#?}", report.problems);
}

/// A page with one question about the app's replicas.
fn quiz_page(options: &[(&str, bool)]) -> Vec<Page> {
    let mut text = String::from(
        "# Fixture\n\n## Check yourself\n\n```quiz\n[[question]]\nid = \"fixture-replicas\"\n\
         prompt = \"How many replicas does the app ask for?\"\n\
         kit = \"k8s/app/deployment.yaml Deployment /spec/replicas\"\n",
    );
    for (option, correct) in options {
        text.push_str(&format!(
            "\n[[question.option]]\ntext = \"{option}\"\ncorrect = {correct}\nwhy = \"Because.\"\n"
        ));
    }
    text.push_str("```\n");
    vec![Page {
        path: "fixture.md".into(),
        text,
    }]
}

#[test]
fn quiz_answers_about_the_kit_agree_with_it() {
    let root = repo_root();
    let report = guide_check::quiz::check(root, &guide_and_deck(root));
    let _ = writeln!(
        std::io::stderr(),
        "quiz: {} questions, {} of them about the kit, compared with it",
        report.questions,
        report.checked
    );
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
}

/// The kit's replicas changed in a scratch copy: every question that asks
/// for them fails, naming the page, the line, the file and the new value;
/// so does an answer that does not state the value, a wrong option that
/// does, and a pointer that names nothing.
#[test]
fn a_changed_kit_value_fails_the_question_that_asks_for_it() {
    let root = repo_root();
    let mut pages = guide_and_deck(root);
    pages.extend(quiz_page(&[
        ("3", false),
        ("5", true),
        ("10 replicas", false),
    ]));
    let before = guide_check::quiz::check(root, &pages);
    assert!(before.problems.is_empty(), "{:#?}", before.problems);
    let copy = kit_copy("k8s/app/deployment.yaml", "replicas: 5", "replicas: 3");
    let after = guide_check::quiz::check(copy.path(), &pages);
    let replicas = "k8s/app/deployment.yaml Deployment /spec/replicas = 3";
    // The correct option (line 17) no longer states it, the wrong one
    // (line 12) now does.
    for line in ["fixture.md:17: ", "fixture.md:12: "] {
        assert!(
            after
                .problems
                .iter()
                .any(|p| p.starts_with(line) && p.contains(replicas)),
            "{line}: {:#?}",
            after.problems
        );
    }
    // Every page of the guide that asks for the replicas fails too.
    for page in &pages {
        let asks = page
            .text
            .contains("kit = \"k8s/app/deployment.yaml Deployment /spec/replicas\"");
        let failed = after
            .problems
            .iter()
            .any(|p| p.starts_with(&format!("{}:", page.path)) && p.contains(replicas));
        assert_eq!(asks, failed, "{}: {:#?}", page.path, after.problems);
    }
    let wrong =
        guide_check::quiz::check(root, &quiz_page(&[("3", true), ("5", false), ("4", false)]));
    assert_eq!(wrong.problems.len(), 2, "{:#?}", wrong.problems);
    let mut nothing = quiz_page(&[("3", false), ("5", true), ("4", false)]);
    nothing[0].text = nothing[0].text.replace("/spec/replicas", "/spec/replicaz");
    let nothing = guide_check::quiz::check(root, &nothing);
    assert!(
        nothing.problems.len() == 1 && nothing.problems[0].starts_with("fixture.md:9: "),
        "{:#?}",
        nothing.problems
    );
}

/// A quiz's why, prompt and correct options are prose for the number
/// check; a wrong option (false on purpose) is not.
#[test]
fn numbers_in_a_quiz_are_read_like_prose_but_wrong_options_are_not() {
    let root = repo_root();
    let page = |why: &str, wrong: &str| {
        vec![Page {
            path: "fixture.md".into(),
            text: format!(
                "# Fixture\n\n## Check yourself\n\n```quiz\n[[question]]\nid = \"fixture-ready\"\n\
                 prompt = \"What does the readiness probe do?\"\n\n\
                 [[question.option]]\ntext = \"{wrong}\"\nwhy = \"No.\"\n\n\
                 [[question.option]]\ntext = \"It takes the pod out of its Service\"\ncorrect = true\nwhy = \"{why}\"\n\n\
                 [[question.option]]\ntext = \"Nothing\"\nwhy = \"No.\"\n```\n"
            ),
        }]
    };
    let terms = guide_check::facts::TERMS;
    let good = page(
        "The readiness probe asks every 5 seconds.",
        "The readiness probe restarts the container every 9 seconds",
    );
    let report = guide_check::facts::check_with(root, &good, terms, &[]);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let bad = page(
        "The readiness probe asks every 9 seconds.",
        "It restarts the container",
    );
    let report = guide_check::facts::check_with(root, &bad, terms, &[]);
    assert!(
        report.problems.len() == 1 && report.problems[0].starts_with("fixture.md:17: "),
        "{:#?}",
        report.problems
    );
}
