//! Every answer of the demo-app the guide and the deck show is the real one:
//! each page's commands run in order against the real binary and a real
//! redis-server with the kit's settings (see guide-check/README.md).
//! Needs `target/debug/demo-app` (`make test-guide` builds it), redis-server,
//! curl and bash.

use std::io::Write;
use std::path::PathBuf;

use guide_check::answers::{PageRun, has_app_commands, run_page, unmarked_outputs};
use guide_check::kit::{KitEnv, demo_app_binary, kit_env};
use guide_check::pages::{Page, guide_and_deck, selected_for};
use guide_check::replay::SKIPPED;
use testkit::{need_on_path, repo_root};

/// The binary and the kit's environment, or `None` (`test` skipped, said
/// why; a failure under CI).
fn setup(test: &str) -> Option<(PathBuf, KitEnv)> {
    let binary = demo_app_binary(test)?;
    need_on_path(
        test,
        "redis-server",
        "install it (Debian: apt-get install redis-server, or `make test-deps`)",
    )?;
    need_on_path(test, "curl", "install it (Debian: apt-get install curl)")?;
    need_on_path(test, "bash", "install it (Debian: apt-get install bash)")?;
    let env = kit_env(repo_root()).unwrap_or_else(|e| panic!("the kit's settings: {e}"));
    Some((binary, env))
}

fn page(rel: &str) -> Page {
    Page::read(repo_root(), rel).unwrap()
}

/// A copy of a page up to `until` (to keep the run short) with one edit,
/// which must change something.
fn edited(rel: &str, until: &str, from: &str, to: &str) -> Page {
    let mut copy = page(rel);
    let end = copy
        .text
        .find(until)
        .unwrap_or_else(|| panic!("{rel} no longer contains {until:?}"));
    copy.text.truncate(end);
    assert!(
        copy.text.contains(from),
        "{rel} no longer contains {from:?}"
    );
    copy.text = copy.text.replacen(from, to, 1);
    copy
}

#[test]
fn every_answer_the_pages_show_is_the_real_one() {
    let Some((binary, env)) = setup("every_answer_the_pages_show_is_the_real_one") else {
        return;
    };
    let test = "every_answer_the_pages_show_is_the_real_one";
    let all = guide_and_deck(repo_root());
    let every = std::env::var_os(guide_check::pages::ONLY_PAGES).is_none_or(|v| v.is_empty());
    let pages: Vec<Page> = selected_for(test, repo_root(), all)
        .into_iter()
        .filter(has_app_commands)
        .collect();
    assert!(
        !every || pages.len() >= 10,
        "only {} pages run commands",
        pages.len()
    );
    // Two pages at a time: each has its own redis-server and app.
    let runs: Vec<(String, PageRun)> = std::thread::scope(|scope| {
        let chunks: Vec<&[Page]> = pages.chunks(pages.len().div_ceil(2).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let (binary, env) = (&binary, &env);
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| (p.path.clone(), run_page(p, binary, env)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a page run panicked"))
            .collect()
    });
    let total = |f: fn(&PageRun) -> usize| runs.iter().map(|(_, r)| f(r)).sum::<usize>();
    let skipped: Vec<&String> = runs.iter().flat_map(|(_, r)| &r.skipped).collect();
    let problems: Vec<&String> = runs.iter().flat_map(|(_, r)| &r.problems).collect();
    let known: Vec<&String> = runs.iter().flat_map(|(_, r)| &r.known_bugs).collect();
    let not_replayed: Vec<&String> = runs.iter().flat_map(|(_, r)| &r.not_replayed).collect();
    // Statuses the pages state, compared with the statuses the replay saw.
    let used: std::collections::BTreeSet<usize> = runs
        .iter()
        .flat_map(|(_, r)| r.statuses.exempt.iter().copied())
        .collect();
    let mut problems = problems;
    let stale: Vec<String> = guide_check::statuses::NOT_THESE
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        // An entry of a page GUIDE_PAGES left out is not judged.
        .filter(|(_, (page, _, _))| every || runs.iter().any(|(path, _)| path == page))
        .map(|(_, (page, phrase, _))| {
            format!("statuses::NOT_THESE entry ({page}, {phrase:?}) matches nothing: remove it")
        })
        .collect();
    problems.extend(stale.iter());
    let _ = writeln!(
        std::io::stderr(),
        "statuses: {} stated statuses compared with the replay, {} listed in statuses::NOT_THESE, \
         {} tied to no request the page runs:\n  {}",
        total(|r| r.statuses.compared),
        used.len(),
        total(|r| r.statuses.untied.len()),
        runs.iter()
            .flat_map(|(_, r)| &r.statuses.untied)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    // Visible even when the test passes (the harness captures println!).
    let _ = writeln!(
        std::io::stderr(),
        "guide answers: {} pages, {} curl commands run, {} shown answers compared, \
         {} cluster actions replayed locally, {} settings refused at start, \
         {} curl commands not run:\n  {}\n{} cluster experiments not replayed:\n  {}\n\
         {} answer(s) differ because of a known app bug:\n  {}",
        runs.len(),
        total(|r| r.ran),
        total(|r| r.compared),
        total(|r| r.replayed),
        total(|r| r.crash_loops),
        skipped.len(),
        skipped
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        not_replayed.len(),
        not_replayed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        known.len(),
        known
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    assert!(
        problems.is_empty(),
        "{} answer(s) of the pages differ from the real app:\n{}",
        problems.len(),
        problems
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        !every || total(|r| r.compared) >= 20,
        "too few answers compared"
    );
}

#[test]
fn every_not_replayed_pattern_is_used() {
    let pages = guide_and_deck(repo_root());
    for (pattern, reason) in guide_check::replay::NOT_REPLAYED {
        let re = regex::Regex::new(pattern).unwrap();
        let used = pages.iter().any(|p| {
            guide_check::commands::sessions(p)
                .unwrap_or_default()
                .iter()
                .flat_map(|s| &s.commands)
                .any(|c| re.is_match(&guide_check::commands::one_line(&c.text)))
        });
        assert!(
            used,
            "no command matches `{pattern}` ({reason}): remove it from NOT_REPLAYED"
        );
    }
}

#[test]
fn every_skip_reason_is_used() {
    let pages = guide_and_deck(repo_root());
    for (pattern, reason) in SKIPPED {
        let re = regex::Regex::new(pattern).unwrap();
        let used = pages.iter().any(|p| {
            guide_check::commands::sessions(p)
                .unwrap_or_default()
                .iter()
                .flat_map(|s| &s.commands)
                .any(|c| {
                    guide_check::replay::is_app_curl(&c.text)
                        && re.is_match(&guide_check::commands::one_line(&c.text))
                })
        });
        assert!(
            used,
            "no command is skipped for `{pattern}` ({reason}): remove it from SKIPPED"
        );
    }
}

// Failing twins: each check, run on a page with one deliberate mistake.

/// Runs [`edited`]`(rel, until, from, to)` for `test`, or `None` (skipped).
fn run_edited(test: &str, rel: &str, until: &str, from: &str, to: &str) -> Option<PageRun> {
    let (binary, env) = setup(test)?;
    Some(run_page(&edited(rel, until, from, to), &binary, &env))
}

#[test]
fn a_renamed_json_field_in_an_answer_fails() {
    let Some(run) = run_edited(
        "a_renamed_json_field_in_an_answer_fails",
        "docs/walkthrough/redis.md",
        "**2. Write through one pod",
        "{\"visits\":…,",
        "{\"count\":…,",
    ) else {
        return;
    };
    assert!(
        run.problems
            .iter()
            .any(|p| p.contains("keys differ") && p.contains("count")),
        "{:#?}",
        run.problems
    );
}

/// A status a sentence states, changed alone: the statement no longer
/// agrees with what the replay saw for its request. Tied by the route the
/// sentence names, and by the command block before it.
#[test]
fn a_changed_stated_status_fails() {
    for (rel, until, from, to) in [
        (
            "docs/walkthrough/redis.md",
            "**5. Bring it back.",
            "while `/ready` is 200:",
            "while `/ready` is 204:",
        ),
        (
            "docs/walkthrough/redis.md",
            "**3. A session that outlives its pod.",
            "not found\"}` with status 404.",
            "not found\"}` with status 410.",
        ),
    ] {
        let Some(run) = run_edited("a_changed_stated_status_fails", rel, until, from, from) else {
            return;
        };
        assert!(run.problems.is_empty(), "{rel}: {:#?}", run.problems);
        assert!(run.statuses.compared >= 1, "{rel}: {:?}", run.statuses);
        let run = run_edited("a_changed_stated_status_fails", rel, until, from, to).unwrap();
        let stated = to
            .split_whitespace()
            .last()
            .unwrap()
            .trim_end_matches(['.', ':']);
        assert!(
            run.problems
                .iter()
                .any(|p| p.starts_with(&format!("{rel}:"))
                    && p.contains(&format!("states status {stated}"))),
            "{rel}: `{from}` -> `{to}` went unnoticed: {:#?}",
            run.problems
        );
    }
}

#[test]
fn a_wrong_status_code_fails() {
    let Some(run) = run_edited(
        "a_wrong_status_code_fails",
        "docs/walkthrough/redis.md",
        "**5. Bring it back",
        "503 in 0.0",
        "500 in 0.0",
    ) else {
        return;
    };
    assert!(
        run.problems.iter().any(|p| p.contains("500 in 0.0")),
        "{:#?}",
        run.problems
    );
}

#[test]
fn a_shown_value_that_is_not_marked_as_varying_must_be_equal() {
    let Some(run) = run_edited(
        "a_shown_value_that_is_not_marked_as_varying_must_be_equal",
        "docs/walkthrough/configuration-and-secrets.md",
        "**2. Change a setting",
        "\"max_stress_seconds\":30",
        "\"max_stress_seconds\":60",
    ) else {
        return;
    };
    assert!(
        run.problems
            .iter()
            .any(|p| p.contains(".max_stress_seconds")),
        "{:#?}",
        run.problems
    );
}

#[test]
fn an_unmarked_answer_block_is_reported() {
    let mut page = page("docs/walkthrough/redis.md");
    assert!(unmarked_outputs(&page).is_empty());
    page.text = page.text.replacen("```text,output", "```text", 1);
    assert_eq!(unmarked_outputs(&page).len(), 1, "{page:?}");
}

/// A page in the follow-along style: the address from `make url`, names
/// and passwords from the cluster through variables, `curl -sS "$APP/…"`.
const FOLLOW_ALONG: &str = r#"# Fixture

```sh
APP=$(make url)
PASS=$(kubectl -n k8s-demo get secret demo-users -o jsonpath='{.data.DEMO_USERS}' \
  | base64 -d | tr ',' '\n' | sed -n 's/^alice://p')
POD=$(kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -o name | head -n 1)
# any key you like
KEY=greeting
```

```sh
curl -sS -c /tmp/jar -X POST "$APP/login" -H 'Content-Type: application/json' \
  -d "{\"username\": \"alice\", \"password\": \"$PASS\"}"; echo
curl -sS -b /tmp/jar ${APP}/me; echo
curl -sS -o /dev/null -w '%{http_code}\n' "$APP/ready"
echo "$POD"
ME=$(curl -sS -b /tmp/jar "$APP/me")
```

```text,output
{"message":"logged in","username":"alice"}
{"username":"alice","server":"<pod-name>"}
200
```

```sh
curl -sS "$APP/kv/$(echo "$ME" | grep -o 'alice')"; echo
```

```text,output
{"detail":"key 'alice' not found"}
```

In another terminal, `kubectl -n k8s-demo port-forward svc/demo-app 8081:80`, then:

```sh
APP=http://localhost:8081
curl -sS -X POST "$APP/kv/$KEY" -H 'Content-Type: application/json' -d '{"value": "hello"}'; echo
```

```text,output
{"key":"greeting","value":"hello"}
```
"#;

#[test]
fn the_follow_along_style_replays() {
    let Some((binary, env)) = setup("the_follow_along_style_replays") else {
        return;
    };
    let page = Page {
        path: "fixture.md".into(),
        text: FOLLOW_ALONG.into(),
    };
    let run = run_page(&page, &binary, &env);
    assert!(run.problems.is_empty(), "{:#?}", run.problems);
    assert_eq!((run.ran, run.compared), (6, 3), "{run:#?}");
    // Failing twin: alice's password read from the wrong user fails the login.
    let page = Page {
        path: "fixture.md".into(),
        text: FOLLOW_ALONG.replacen("s/^alice://p", "s/^bob://p", 1),
    };
    let run = run_page(&page, &binary, &env);
    assert!(
        run.problems.iter().any(|p| p.contains("logged in")),
        "{:#?}",
        run.problems
    );
}
