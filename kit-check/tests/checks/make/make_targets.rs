//! Every target of the deploy workflow exists, is listed by `make help`
//! under a group, and checks its prerequisites before doing anything.

use kit_check::make_targets::{group_problems, kit_makefiles, problems, with_includes};
use testkit::repo_root;

use crate::common::{Edit, assert_clean};

/// The kit's makefiles, with `edits` applied (file paths relative to the
/// repository root).
fn makefiles(edits: &[Edit]) -> Vec<(String, String)> {
    let root = repo_root();
    let files = with_includes("Makefile", &|path| {
        let mut text =
            std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
        for (file, from, to) in edits.iter().filter(|(file, _, _)| *file == path) {
            assert!(text.contains(from), "{file} does not contain {from:?}");
            text = text.replacen(from, to, 1);
        }
        Ok(text)
    })
    .unwrap();
    for (file, _, _) in edits {
        assert!(
            files.iter().any(|(p, _)| p == file),
            "{file} is not included"
        );
    }
    files
}

fn joined(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// HELP_GROUPS of the top-level Makefile.
fn help_groups(files: &[(String, String)]) -> Vec<String> {
    let line = files[0]
        .1
        .lines()
        .find_map(|l| l.strip_prefix("HELP_GROUPS := "))
        .expect("the Makefile sets HELP_GROUPS");
    line.split('|').map(str::to_owned).collect()
}

fn groups_of(edits: &[Edit]) -> Vec<String> {
    let files = makefiles(edits);
    let groups = help_groups(&files);
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    group_problems(&files, &groups)
}

#[test]
fn every_workflow_target_exists_explains_itself_and_checks_first() {
    let files = kit_makefiles(repo_root()).unwrap();
    assert!(files.iter().any(|(p, _)| p == "k8s/cluster.mk"));
    assert_clean("make targets", &problems(&joined(&files)));
}

#[test]
fn a_target_without_its_prerequisite_check_fails() {
    let files = makefiles(&[("k8s/k8s.mk", "undo: k8s-need-local-context ##", "undo: ##")]);
    assert_eq!(
        problems(&joined(&files)),
        ["undo does not check its prerequisites (no k8s-need-* target)"]
    );
}

#[test]
fn a_missing_target_fails() {
    let files = makefiles(&[("k8s/k8s.mk", "\nhpa-delete:", "\nhpa-remove:")]);
    assert_eq!(problems(&joined(&files)), ["no target hpa-delete"]);
}

#[test]
fn every_listed_target_is_in_a_help_group() {
    assert_clean("help groups", &groups_of(&[]));
}

#[test]
fn a_target_outside_any_group_or_in_an_unknown_group_fails() {
    assert_eq!(
        groups_of(&[("site/site.mk", "##@ Read\n", "")]),
        [
            "site/site.mk: docs has help text but no ##@ group above it",
            "site/site.mk: docs-build has help text but no ##@ group above it"
        ]
    );
    assert_eq!(
        groups_of(&[("k8s/cluster.mk", "##@ Get a cluster", "##@ Clusters")]),
        ["k8s/cluster.mk: group \"Clusters\" is not in HELP_GROUPS"]
    );
}

#[test]
fn make_help_prints_the_groups_in_order() {
    let Some(out) = crate::common::make(&["help"], &[]) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.starts_with("Usage"))
        .collect();
    let files = kit_makefiles(repo_root()).unwrap();
    assert_eq!(headings, help_groups(&files), "{text}");
}

/// What `make -n clean` would run, with the Makefile's text edited by
/// `edit` (from, to) first (in a temporary copy, read with -f).
fn clean_commands(edit: Option<(&str, &str)>) -> Option<String> {
    let copy = tempfile::NamedTempFile::new().unwrap();
    let mut text = std::fs::read_to_string(repo_root().join("Makefile")).unwrap();
    if let Some((from, to)) = edit {
        assert!(text.contains(from), "the Makefile lacks {from:?}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(copy.path(), text).unwrap();
    let makefile = copy.path().display().to_string();
    let out = crate::common::make(
        &[
            "-f",
            &makefile,
            "-n",
            "clean",
            "K8S_GENERATED=k8s/.generated",
        ],
        &[],
    )?;
    assert!(out.status.success(), "{}", crate::common::said(&out));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cluster_tools_in(commands: &str) -> Vec<&'static str> {
    ["kubectl", "docker", "kind ", "k3d ", "minikube "]
        .into_iter()
        .filter(|tool| commands.contains(tool))
        .collect()
}

/// `make clean` removes build outputs only; the targets that touch a
/// cluster say so in their names (undeploy, cluster-delete).
#[test]
fn clean_removes_build_outputs_and_touches_no_cluster() {
    let Some(commands) = clean_commands(None) else {
        return;
    };
    assert!(
        commands.contains("rm -rf target book .venv k8s/.generated"),
        "{commands}"
    );
    assert_eq!(
        cluster_tools_in(&commands),
        Vec::<&str>::new(),
        "{commands}"
    );
    // The check sees a cluster command slipped into the recipe.
    let Some(commands) = clean_commands(Some((
        "\trm -rf target book",
        "\tkubectl delete namespace k8s-demo\n\trm -rf target book",
    ))) else {
        return;
    };
    assert_eq!(cluster_tools_in(&commands), ["kubectl"]);
}
