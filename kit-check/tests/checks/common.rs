//! What every kit-check test does: find the tools it needs (or skip, or fail
//! under CI: testkit's one policy, through `kit_check::tools`), copy the
//! kit, edit the copy, build it, and assert on the problems found. The
//! repository root and the skip policy live in testkit; what is here is
//! kit-check's own (the kit copied and edited, `make` run on the kit).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kit_check::kustomize::Workspace;
use kit_check::objects::Objects;
use kit_check::tools;
use kit_check::yaml::Document;
use testkit::repo_root;

/// One edit of the throwaway copy: in `file` (relative to `k8s/`), replace
/// `from` by `to`. `Workspace::replace` panics when `from` is absent, so an
/// edit can never silently do nothing.
pub type Edit<'a> = (&'a str, &'a str, &'a str);

/// A throwaway copy of `k8s/` with kubectl to build it.
pub struct Kit {
    pub workspace: Workspace,
    pub kubectl: PathBuf,
}

/// The kit copied and edited, or None (after the skip notice) without kubectl.
pub fn kit(edits: &[Edit]) -> Option<Kit> {
    let kubectl = tools::kubectl()?;
    let workspace = edited(edits);
    Some(Kit { workspace, kubectl })
}

/// The kit copied and edited, for checks that need no kubectl.
pub fn edited(edits: &[Edit]) -> Workspace {
    let workspace = Workspace::new();
    for (file, from, to) in edits {
        workspace.replace(file, from, to);
    }
    workspace
}

impl Kit {
    /// The kustomize build's objects (what `make deploy` applies, minus the tag).
    pub fn build(&self) -> Vec<Document> {
        self.workspace
            .build_documents(&self.kubectl)
            .expect("the copy builds")
    }

    /// The build plus the HPA (what `make deploy` and `make hpa` apply).
    pub fn build_with_hpa(&self) -> Vec<Document> {
        let mut docs = self.build();
        docs.extend(self.workspace.hpa_documents().expect("hpa.yaml parses"));
        docs
    }

    /// The build's objects, typed and sorted by kind.
    pub fn objects(&self, with_hpa: bool) -> Objects {
        let docs = if with_hpa {
            self.build_with_hpa()
        } else {
            self.build()
        };
        Objects::from_documents(&docs).expect("every object decodes")
    }

    pub fn root(&self) -> &Path {
        self.workspace.root()
    }
}

/// Assert that a check found nothing, listing what it found otherwise.
pub fn assert_clean(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
}

/// `make -C <repo root> ARGS...` with `env` set; its output (stdout, stderr,
/// status). None (after the skip notice) when make itself is missing.
pub fn make(args: &[&str], env: &[(&str, &str)]) -> Option<Output> {
    testkit::need(
        &tools::current_test(),
        "make",
        testkit::find_on_path("make"),
        "install it (Debian: apt-get install make)",
    )?;
    let mut command = Command::new("make");
    command
        .arg("--no-print-directory")
        .arg("-C")
        .arg(repo_root())
        .args(args)
        .stdin(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    Some(command.output().expect("make runs"))
}

/// Text of a command's stdout and stderr, for assertion messages.
pub fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
