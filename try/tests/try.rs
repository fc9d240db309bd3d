//! The runner on fixture pages and on real chapters, offline: kubectl and
//! make are stand-ins (tests/standin/standin.sh) answering with kubectl's
//! recorded outputs (tests/fixtures/recorded/), and the page's requests to
//! the app go to the real demo-app binary with a real redis-server (the
//! guide's checks' local kit). Each check is also shown failing: a page
//! copy with a wrong expected output, a command that fails, a cluster the
//! kit did not deploy to.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use guide_check::kit::{Kit, demo_app_binary, kit_env};
use kit_try::judge::STAND_INS;

const RUNNER: &str = env!("CARGO_BIN_EXE_kit-try");

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Stand-in tools on PATH, their state and log.
struct Cluster {
    dir: tempfile::TempDir,
    /// The local kit's values the app prints for the kit's (`127.0.0.1=redis`).
    stand_ins: String,
}

impl Cluster {
    fn new(app_url: &str) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(dir.path().join("state")).unwrap();
        // docker and the cluster tools too: a page's `docker pause "$NODE"`
        // must never reach a real Docker engine or cluster on this machine.
        for tool in ["kubectl", "make", "docker", "kind", "k3d", "minikube"] {
            std::os::unix::fs::symlink(here().join("standin/standin.sh"), bin.join(tool)).unwrap();
        }
        std::fs::write(dir.path().join("state/app-url"), format!("{app_url}\n")).unwrap();
        Cluster {
            dir,
            stand_ins: String::new(),
        }
    }

    fn with_kit(kit: &Kit) -> Cluster {
        let mut cluster = Cluster::new(&kit.url());
        // A page's `sleep`s wait for a real cluster; here they are recorded
        // and shortened (tests/standin/sleep.sh).
        std::os::unix::fs::symlink(
            here().join("standin/sleep.sh"),
            cluster.dir.path().join("bin/sleep"),
        )
        .unwrap();
        let s = kit.stand_ins();
        let pairs: Vec<String> = s
            .strings
            .iter()
            .map(|(local, kit)| format!("{local}={kit}"))
            .chain(
                s.numbers
                    .iter()
                    .map(|(local, kit)| format!("{local}={kit}")),
            )
            .collect();
        cluster.stand_ins = pairs.join(",");
        cluster
    }

    fn set(&self, state: &str) {
        std::fs::write(self.dir.path().join("state").join(state), "").unwrap();
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// `kit-try ARGS` in `root`, with the stand-ins first on PATH.
    fn run_try(&self, root: &Path, args: &[&str]) -> (Output, String) {
        let path = format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new(RUNNER)
            .args(args)
            .current_dir(root)
            .env("PATH", path)
            .env("STANDIN_LOG", self.dir.path().join("log"))
            .env("STANDIN_STATE", self.dir.path().join("state"))
            .env("STANDIN_ANSWERS", here().join("fixtures/recorded"))
            .env_remove("KUBECTL")
            .env(STAND_INS, &self.stand_ins)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out, text)
    }
}

/// The local kit (real redis-server and demo-app), or None (skipped).
fn kit(test: &str) -> Option<Kit> {
    let binary = demo_app_binary(test)?;
    testkit::need_on_path(test, "redis-server", "apt-get install redis-server")?;
    let env = kit_env(testkit::repo_root()).unwrap();
    Some(Kit::start(&binary, &env).unwrap())
}

/// A copy of the fixture guide with `from` replaced by `to` in sample.md.
fn guide_with(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs/walkthrough");
    std::fs::create_dir_all(&docs).unwrap();
    for page in ["sample.md", "intro.md"] {
        let text =
            std::fs::read_to_string(here().join("fixtures/guide/docs/walkthrough").join(page))
                .unwrap();
        if page == "sample.md" {
            assert!(text.contains(from), "sample.md has no `{from}`");
        }
        std::fs::write(docs.join(page), text.replace(from, to)).unwrap();
    }
    dir
}

fn verdict_lines(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("Verdict for"))
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_fixture_chapter_runs_step_by_step_in_one_shell() {
    let Some(kit) = kit("a_fixture_chapter_runs_step_by_step_in_one_shell") else {
        return;
    };
    let cluster = Cluster::with_kit(&kit);
    let (out, text) = cluster.run_try(
        &here().join("fixtures/guide"),
        &["--auto", "--background", "1", "sample"],
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
    // Six command blocks, six steps: all pass.
    assert_eq!(
        verdict_lines(&text),
        [
            "1 9 ok", "2 15 ok", "3 21 ok", "4 33 ok", "5 44 ok", "6 54 ok"
        ]
        .map(String::from),
        "{text}"
    );
    // The watch ran in the background while the scale ran, and was stopped.
    assert!(text.contains("started in the background"), "{text}");
    assert!(text.contains("ContainerCreating"), "{text}");
    assert!(
        cluster
            .log()
            .contains("get pods -l app.kubernetes.io/name=demo-app -w")
    );
    let scale = text.find("$ make scale N=3").unwrap();
    let stopped = text
        .find("stopped the background command of step 2")
        .unwrap();
    assert!(scale < stopped, "{text}");
    // APP, set by the first step, was there for the fourth: the real app answered.
    assert!(
        text.contains("\"message\":\"Hello from demo-app!\""),
        "{text}"
    );
    assert!(text.contains("make reset brings the kit back"), "{text}");
    // The context is kind's: the minikube-only command was left out.
    assert!(
        text.contains("(written for minikube only: not run on this cluster)"),
        "{text}"
    );
    assert!(!cluster.log().contains("minikube"), "{}", cluster.log());
}

#[test]
fn a_wrong_expected_output_fails_its_step() {
    let Some(kit) = kit("a_wrong_expected_output_fails_its_step") else {
        return;
    };
    let cluster = Cluster::with_kit(&kit);
    let guide = guide_with("Hello from demo-app!", "Hello from nobody!");
    let (out, text) = cluster.run_try(guide.path(), &["--auto", "--background", "1", "sample"]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        verdict_lines(&text).contains(&"4 33 FAIL".to_string()),
        "{text}"
    );
    assert!(
        text.contains("expected: output: {\"message\":\"Hello from nobody!\""),
        "{text}"
    );
    assert!(
        text.contains("hint:     the page checks this output line by line"),
        "{text}"
    );
}

#[test]
fn a_failing_command_fails_its_step_and_a_loose_mismatch_warns() {
    let cluster = Cluster::new("http://127.0.0.1:9");
    // `get pods` without -w answers a table; the page's copy expects
    // `Pending`, which it does not show: a warning. `kubectl auth can-i
    // get pods` exits 1 (no) where the page shows `yes`: a failure.
    let guide = guide_with(
        "```text,example\nNAME                        READY   STATUS    RESTARTS   AGE\ndemo-app-7c9d5b6f4d-9xbtr   1/1     Running",
        "```text,example\nNAME                        READY   STATUS    RESTARTS   AGE\ndemo-app-7c9d5b6f4d-9xbtr   0/1     Pending",
    );
    let page = guide.path().join("docs/walkthrough/sample.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("```text,example\nno\n", "```text,example\nyes\n");
    std::fs::write(&page, text).unwrap();
    let (out, text) = cluster.run_try(guide.path(), &["--auto", "--background", "1", "sample"]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let verdicts = verdict_lines(&text);
    assert!(verdicts.contains(&"3 21 warn".to_string()), "{text}");
    assert!(text.contains("`Pending`"), "{text}");
    assert!(verdicts.contains(&"5 44 FAIL".to_string()), "{text}");
    assert!(
        text.contains("exited with status 1, and the page shows no failure here"),
        "{text}"
    );
}

#[test]
fn a_cluster_the_kit_did_not_deploy_to_is_refused() {
    let guide = here().join("fixtures/guide");
    let cluster = Cluster::new("http://127.0.0.1:9");
    cluster.set("no-record");
    let (out, text) = cluster.run_try(&guide, &["--auto", "sample"]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("no ConfigMap kube-public/k8s-learning-kit"),
        "{text}"
    );
    let cluster = Cluster::new("http://127.0.0.1:9");
    cluster.set("not-deployed");
    let (out, text) = cluster.run_try(&guide, &["--auto", "sample"]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("no deployment demo-app in namespace k8s-demo: run make deploy"),
        "{text}"
    );
    // Nothing of the page ran.
    assert!(!cluster.log().contains("make "), "{}", cluster.log());
}

#[test]
fn an_unknown_chapter_or_one_without_a_try_it_is_named_with_the_list() {
    let guide = here().join("fixtures/guide");
    let cluster = Cluster::new("http://127.0.0.1:9");
    for (chapter, says) in [
        ("nothing", "There is no chapter `nothing` in the guide"),
        (
            "intro",
            "docs/walkthrough/intro.md has no `## Try it` section",
        ),
        ("", "Name the chapter to run: make try CHAPTER=<name>"),
    ] {
        let (out, text) = cluster.run_try(&guide, &["--auto", chapter]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.contains(says) && text.trim_end().ends_with("one of: sample."),
            "{text}"
        );
    }
    assert_eq!(
        cluster.log(),
        "",
        "no tool is asked before the chapter is known"
    );
}

/// The command blocks of `chapter`'s Try it: the steps the runner must show.
fn try_it_blocks(root: &Path, chapter: &str) -> Vec<kit_formats::commands::Session> {
    let text = std::fs::read_to_string(root.join(chapter)).unwrap();
    let lines = kit_formats::commands::section_lines(&text, "Try it").unwrap();
    kit_formats::commands::sessions(chapter, &text)
        .unwrap()
        .into_iter()
        .filter(|s| lines.contains(&s.block.line) && !s.commands.is_empty())
        .collect()
}

#[test]
fn every_chapter_s_try_it_runs_to_its_verdict() {
    // Every chapter with a Try it, on the stand-ins and the local app: the
    // runner reaches the verdict with one step per command block (outputs
    // that need a real cluster may fail here: only the run is checked).
    let Some(kit) = kit("every_chapter_s_try_it_runs_to_its_verdict") else {
        return;
    };
    let root = testkit::repo_root();
    let out = Command::new(RUNNER)
        .arg("--list")
        .current_dir(root)
        .output()
        .unwrap();
    let chapters: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(chapters.len() > 10, "{chapters:?}");
    // Two chapters at a time (each run waits on its steps much of the
    // time): every chapter has its own stand-ins; the app is shared, and
    // only the run, not the app's answers, is checked here.
    let run = |name: &String| -> Option<String> {
        let path = kit_try::chapters::all(root)
            .into_iter()
            .find(|c| &c.name == name)
            .unwrap()
            .path;
        let cluster = Cluster::with_kit(&kit);
        let (out, printed) = cluster.run_try(
            root,
            &["--auto", "--background", "1", "--timeout", "20", name],
        );
        if !matches!(out.status.code(), Some(0 | 1)) {
            return Some(format!("{name}: exit status {:?}:\n{printed}", out.status));
        }
        let lines_run: Vec<String> = verdict_lines(&printed)
            .iter()
            .map(|v| v.split(' ').nth(1).unwrap().to_owned())
            .collect();
        let lines_shown: Vec<String> = try_it_blocks(root, &path)
            .iter()
            .map(|b| b.block.line.to_string())
            .collect();
        (lines_run != lines_shown).then(|| {
            format!("{name}: steps run at lines {lines_run:?}, the page's blocks at {lines_shown:?}:\n{printed}")
        })
    };
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|first| {
                let (chapters, run) = (&chapters, &run);
                scope.spawn(move || {
                    chapters
                        .iter()
                        .skip(first)
                        .step_by(2)
                        .filter_map(run)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a chapter's run panicked"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_real_chapter_runs_every_command_block_of_its_try_it() {
    let Some(kit) = kit("a_real_chapter_runs_every_command_block_of_its_try_it") else {
        return;
    };
    let root = testkit::repo_root();
    for chapter in ["docs/walkthrough/scaling.md"] {
        let cluster = Cluster::with_kit(&kit);
        let text = std::fs::read_to_string(root.join(chapter)).unwrap();
        let lines = kit_formats::commands::section_lines(&text, "Try it").unwrap();
        let blocks: Vec<_> = kit_formats::commands::sessions(chapter, &text)
            .unwrap()
            .into_iter()
            .filter(|s| lines.contains(&s.block.line) && !s.commands.is_empty())
            .collect();
        let (out, printed) = cluster.run_try(root, &["--auto", "--background", "1", chapter]);
        // The page's own blocks, in order, are the steps; every app answer
        // the page checks is the real app's; no command failed (the
        // stand-in's tables may differ from the examples: warnings).
        assert_eq!(out.status.code(), Some(0), "{chapter}:\n{printed}");
        let verdicts = verdict_lines(&printed);
        let lines_run: Vec<String> = verdicts
            .iter()
            .map(|v| v.split(' ').nth(1).unwrap().to_owned())
            .collect();
        let lines_shown: Vec<String> = blocks.iter().map(|b| b.block.line.to_string()).collect();
        assert_eq!(lines_run, lines_shown, "{chapter}:\n{printed}");
        for (block, verdict) in blocks.iter().zip(&verdicts) {
            if block.output.is_some() {
                assert!(verdict.ends_with(" ok"), "{chapter}: {verdict}\n{printed}");
            }
        }
        assert!(
            blocks.iter().any(|b| b.output.is_some()),
            "{chapter} checks no answer"
        );
        // Every kubectl and make command of the page reached the stand-ins as written.
        let log = cluster.log();
        assert!(log.contains("make scale N=8"), "{log}");
        assert!(
            log.contains("kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -w"),
            "{log}"
        );
    }
}

#[test]
fn a_command_that_does_not_end_is_stopped_at_its_timeout_and_fails() {
    let cluster = Cluster::new("http://127.0.0.1:9");
    let guide = guide_with("make scale N=5\n", "make scale N=5\nsleep 60\n");
    let started = std::time::Instant::now();
    let (out, text) = cluster.run_try(
        guide.path(),
        &["--auto", "--background", "1", "--timeout", "2", "sample"],
    );
    assert!(started.elapsed().as_secs() < 30, "not stopped: {text}");
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        verdict_lines(&text).contains(&"6 54 FAIL".to_string()),
        "{text}"
    );
    assert!(text.contains("(stopped: it ran longer than 2 s)"), "{text}");
    assert!(text.contains("`sleep 60` did not end by itself"), "{text}");
}
