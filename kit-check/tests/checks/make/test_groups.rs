//! `make test` runs every integration test target of the workspace: each one
//! `cargo metadata` lists is named (`--test NAME`) by a recipe of the
//! Makefile's TEST_GROUPS, so a new test target cannot be compiled by
//! `make test-build` and then never run.

use std::process::Command;

use serde_json::Value;
use testkit::repo_root;

/// The workspace's integration test targets, as cargo itself lists them.
fn test_targets() -> Vec<String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(repo_root())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON");
    let mut names: Vec<String> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["targets"].as_array().into_iter().flatten())
        .filter(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "test"))
        })
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// The test targets the TEST_GROUPS recipes of `makefile` do not name.
fn not_run(makefile: &str, targets: &[String]) -> Vec<String> {
    let groups: String = makefile
        .split("\ntest-group-")
        .skip(1)
        .map(|recipe| recipe.split("\n\n").next().unwrap_or(""))
        // The lines that run cargo, not the ones that echo what they run.
        .flat_map(|recipe| recipe.lines().filter(|l| l.contains("$(TEST_CARGO)")))
        .collect::<Vec<_>>()
        .join("\n");
    targets
        .iter()
        .filter(|name| {
            !groups
                .split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w[0] == "--test" && w[1] == name.as_str())
        })
        .cloned()
        .collect()
}

fn makefile() -> String {
    std::fs::read_to_string(repo_root().join("Makefile")).expect("the Makefile")
}

#[test]
fn make_test_runs_every_test_target() {
    let targets = test_targets();
    assert!(targets.len() >= 5, "only {targets:?} test targets found");
    let missing = not_run(&makefile(), &targets);
    assert!(
        missing.is_empty(),
        "make test compiles these test targets but never runs them: {missing:?}: add `--test NAME` to a test-group recipe in the Makefile"
    );
}

#[test]
fn a_test_target_left_out_of_the_groups_is_caught() {
    let targets = test_targets();
    let makefile = makefile().replace("--test guide --test try", "--test guide");
    assert_eq!(not_run(&makefile, &targets), ["try"]);
}
