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
    let report = guide_check::facts::check(root, &guide_and_deck(root), guide_check::facts::FACTS);
    let _ = writeln!(
        std::io::stderr(),
        "facts: {}",
        report
            .checked
            .iter()
            .map(|(name, value, places)| format!("{name} = {value} ({places} places)"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
}

/// A copy of the manifests the facts read, with one edit.
fn kit_copy(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for fact in guide_check::facts::FACTS {
        let to_path = copy.path().join(fact.file);
        std::fs::create_dir_all(to_path.parent().unwrap()).unwrap();
        std::fs::copy(repo_root().join(fact.file), &to_path).unwrap();
    }
    let path = copy.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    copy
}

#[test]
fn a_changed_replica_count_or_hpa_bound_fails() {
    let pages = guide_and_deck(repo_root());
    let copy = kit_copy("k8s/app/deployment.yaml", "replicas: 5", "replicas: 3");
    let report = guide_check::facts::check(copy.path(), &pages, guide_check::facts::FACTS);
    let replicas = report
        .problems
        .iter()
        .filter(|p| p.contains("says demo-app replicas") && p.contains("has 3"))
        .count();
    assert!(replicas >= 10, "{:#?}", report.problems);
    let copy = kit_copy("k8s/hpa/hpa.yaml", "maxReplicas: 10", "maxReplicas: 8");
    let report = guide_check::facts::check(copy.path(), &pages, guide_check::facts::FACTS);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("HPA maxReplicas")),
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
