//! Checks of demo-app/Dockerfile that hadolint does not make (there is no
//! Docker engine here to build it): the guide's anchors, a numeric non-root
//! user, the port, a build context that holds everything COPY needs, and a
//! dependency stage whose cut-down workspace still loads with --locked.

use std::process::Command;

use kit_formats::dockerfile::Dockerfile;
use testkit::repo_root;

fn dockerfile() -> String {
    std::fs::read_to_string(repo_root().join("demo-app/Dockerfile")).unwrap()
}

/// The Dockerfile, read by the one parser every check uses.
fn parsed() -> Dockerfile {
    Dockerfile::parse(&dockerfile()).unwrap()
}

#[test]
fn anchors_for_the_guide_are_present_and_balanced() {
    // mdBook's grammar; every anchor closed and opened once, or an error.
    let found = kit_formats::anchors::anchors(&dockerfile()).unwrap();
    for anchor in ["deps", "build", "runtime"] {
        assert_eq!(
            found.iter().filter(|name| *name == anchor).count(),
            1,
            "{anchor}"
        );
    }
}

#[test]
fn the_runtime_stage_runs_as_a_numeric_high_uid_and_exposes_8000() {
    let file = parsed();
    let runtime = file.final_stage();
    let user = runtime
        .iter()
        .rev()
        .find(|step| step.name == "USER")
        .map(|step| step.args.clone())
        .expect("the runtime stage sets USER");
    let (uid, _) = file
        .numeric_user()
        .unwrap_or_else(|| panic!("USER {user} is not numeric"));
    assert!(uid >= 10000, "UID {uid} < 10000");
    assert!(
        runtime
            .iter()
            .any(|s| s.name == "EXPOSE" && s.args == "8000")
    );
    assert!(
        runtime
            .iter()
            .any(|s| s.name == "ENTRYPOINT" && s.args.contains("demo-app"))
    );
    assert!(
        file.steps()
            .iter()
            .any(|s| s.name == "ARG" && s.args.starts_with("GIT_REVISION"))
    );
}

/// What the ignore file lets into the build context.
fn allowed_by_dockerignore(path: &str) -> bool {
    let rules =
        std::fs::read_to_string(repo_root().join("demo-app/Dockerfile.dockerignore")).unwrap();
    let mut allowed = true;
    for rule in rules
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (negated, pattern) = match rule.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, rule),
        };
        let matches = pattern == "*" || path == pattern || path.starts_with(&format!("{pattern}/"));
        if matches {
            allowed = negated;
        }
    }
    allowed
}

fn copy_sources() -> Vec<String> {
    parsed().context_sources()
}

#[test]
fn every_copied_path_exists_and_is_in_the_build_context() {
    let sources = copy_sources();
    assert!(sources.contains(&"Cargo.lock".to_owned()), "{sources:?}");
    for source in sources {
        assert!(
            repo_root().join(&source).exists(),
            "COPY {source}: no such path"
        );
        assert!(
            allowed_by_dockerignore(&source),
            "COPY {source}: excluded by Dockerfile.dockerignore"
        );
    }
    assert!(
        !allowed_by_dockerignore("target"),
        "target/ must stay out of the context"
    );
    assert!(
        !allowed_by_dockerignore(".git"),
        ".git must stay out of the context"
    );
}

fn workspace_members() -> Vec<String> {
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("members"))
        .expect("workspace members");
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_dependency_stage_copies_a_manifest_for_every_workspace_member() {
    let sources = copy_sources();
    for member in workspace_members() {
        let manifest = format!("{member}/Cargo.toml");
        assert!(
            sources.iter().any(|s| s == &manifest),
            "a new workspace member? COPY {manifest} into the deps stage, or `cargo build --locked` fails there"
        );
    }
}

/// Rebuilds the deps stage's file tree (manifests plus placeholder sources)
/// in a temporary directory and asks Cargo to load it with --locked: this
/// is what `cargo build` in that stage needs first.
#[test]
fn the_dependency_stage_workspace_loads_with_the_locked_cargo_lock() {
    let root = repo_root();
    let stage = std::env::temp_dir().join(format!("demo-app-docker-deps-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&stage);
    for source in copy_sources().iter().filter(|s| !s.ends_with("/src")) {
        let to = stage.join(source);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(source), &to).unwrap();
    }
    for member in workspace_members() {
        let src = stage.join(&member).join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("lib.rs"), "").unwrap();
    }
    std::fs::write(stage.join("demo-app/src/main.rs"), "fn main() {}").unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let metadata = |extra: &[&str]| {
        Command::new(&cargo)
            .args(["metadata", "--locked", "--format-version", "1"])
            .args(extra)
            .current_dir(&stage)
            .output()
            .unwrap()
    };
    // Offline if every crate is already downloaded (the usual case after a
    // workspace build), else from crates.io.
    let mut output = metadata(&["--offline"]);
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("--offline") {
        output = metadata(&[]);
    }
    let _ = std::fs::remove_dir_all(&stage);
    assert!(
        output.status.success(),
        "the deps stage would fail: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
