//! The anchors chapter writers include exist, are closed, and are the ones
//! k8s/README.md lists.

use std::fs;
use std::io::Write;
use std::path::Path;

use kit_check::anchors::listed_in_readme;
use kit_formats::anchors::anchors;

use crate::common::edited;

/// Every disagreement between the README's table and the files.
fn problems(root: &Path) -> Vec<String> {
    check(root).0
}

/// The problems, and the notes: anchors the README does not list yet.
/// Chapter writers add anchors as they need them; one the README does not
/// list yet breaks nothing, so it is only a note.
fn check(root: &Path) -> (Vec<String>, Vec<String>) {
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let listed = listed_in_readme(&readme);
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    for (file, names) in &listed {
        let Ok(text) = fs::read_to_string(root.join(file)) else {
            problems.push(format!("README lists {file}, which does not exist"));
            continue;
        };
        match anchors(&text) {
            Err(e) => problems.push(format!("{file}: {e}")),
            Ok(found) => {
                for name in names.iter().filter(|n| !found.contains(n)) {
                    problems.push(format!(
                        "README lists anchor {name} in {file}, which has no such anchor"
                    ));
                }
                for name in found.iter().filter(|n| !names.contains(n)) {
                    notes.push(format!(
                        "{file} has anchor {name}, which k8s/README.md does not list yet"
                    ));
                }
            }
        }
    }
    for file in [
        "kustomization.yaml",
        "namespace.yaml",
        "hpa/hpa.yaml",
        "k8s.mk",
    ] {
        if !listed.contains_key(file) {
            problems.push(format!("README does not list {file}"));
        }
    }
    (problems, notes)
}

#[test]
fn the_readme_lists_every_anchor_of_every_file() {
    let workspace = edited(&[]);
    let listed = listed_in_readme(&fs::read_to_string(workspace.root().join("README.md")).unwrap());
    assert!(listed["app/deployment.yaml"].contains(&"probes".to_owned()));
    let (found, notes) = check(workspace.root());
    for note in notes {
        let _ = writeln!(std::io::stderr(), "note: {note}");
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_manifest_file_is_in_the_readme() {
    let workspace = edited(&[]);
    let listed = listed_in_readme(&fs::read_to_string(workspace.root().join("README.md")).unwrap());
    for dir in ["app", "redis", "hpa"] {
        for file in kit_check::paths::yaml_files(&workspace.root().join(dir)) {
            let relative = file
                .strip_prefix(workspace.root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                listed.contains_key(&relative),
                "README does not list {relative}"
            );
        }
    }
}

#[test]
fn an_unclosed_anchor_fails() {
    let workspace = edited(&[]);
    workspace.replace(
        "app/deployment.yaml",
        "          # ANCHOR_END: readiness\n",
        "",
    );
    let found = problems(workspace.root());
    assert_eq!(
        found,
        ["app/deployment.yaml: anchor readiness is never closed (ANCHOR_END)"]
    );
}

#[test]
fn an_anchor_the_readme_promises_but_the_file_lacks_fails() {
    let workspace = edited(&[]);
    workspace.replace(
        "redis/deployment.yaml",
        "# ANCHOR: command",
        "# ANCHOR: commands",
    );
    workspace.replace(
        "redis/deployment.yaml",
        "# ANCHOR_END: command",
        "# ANCHOR_END: commands",
    );
    let found = problems(workspace.root());
    assert_eq!(
        found,
        ["README lists anchor command in redis/deployment.yaml, which has no such anchor"]
    );
}
