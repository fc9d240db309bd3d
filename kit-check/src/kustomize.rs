//! A throwaway copy of `k8s/` that kustomize can build.
//!
//! The real Secret values live in git-ignored files that `make deploy`
//! creates; a fresh checkout has none, and tests must never touch a reader's
//! real ones. So each check works on a copy of `k8s/` in a temporary
//! directory, with made-up values in `.generated/`. Tests that must see a
//! check fail break the copy with [`Workspace::replace`].

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::paths::{EXAMPLES, HPA, INGRESS, k8s_dir, yaml_files};
use crate::yaml::{Document, parse};

/// Made-up Secret files, as `make secrets` would write them.
pub const THROWAWAY_SECRETS: &[(&str, &str)] = &[
    (
        ".generated/redis-auth.env",
        "REDIS_PASSWORD=throwaway-test-password\n",
    ),
    (
        ".generated/demo-users.env",
        "DEMO_USERS=alice:throwaway1,bob:throwaway2\n",
    ),
];

pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// Copy `k8s/` (without the real secrets).
    pub fn new() -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("k8s-check-")
            .tempdir()
            .expect("a temporary directory");
        copy_tree(&k8s_dir(), dir.path());
        for (path, contents) in THROWAWAY_SECRETS {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        Workspace { dir }
    }

    /// The copy's root (the kustomization's directory).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Break the copy on purpose: replace `from` by `to` in `file` (relative
    /// to `k8s/`). Panics if `from` is not there, so a test can never pass
    /// because its mutation silently did nothing.
    pub fn replace(&self, file: &str, from: &str, to: &str) {
        let path = self.root().join(file);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Add a file to the copy (relative to `k8s/`).
    pub fn write(&self, file: &str, contents: &str) {
        let path = self.root().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// `kubectl kustomize` of the copy: the YAML stream, or kubectl's error.
    pub fn build(&self, kubectl: &Path) -> Result<String, String> {
        let out = Command::new(kubectl)
            .arg("kustomize")
            .arg(self.root())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", kubectl.display()))?;
        if out.status.success() {
            String::from_utf8(out.stdout).map_err(|e| e.to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }

    /// The objects of the kustomize build.
    pub fn build_documents(&self, kubectl: &Path) -> Result<Vec<Document>, String> {
        parse("kustomize build", &self.build(kubectl)?)
    }

    /// Path of the HPA manifest in the copy.
    pub fn hpa_path(&self) -> PathBuf {
        self.root().join(HPA)
    }

    /// The objects of the HPA manifest.
    pub fn hpa_documents(&self) -> Result<Vec<Document>, String> {
        read_documents(self.root(), HPA)
    }

    /// The objects of every file under `examples/`.
    pub fn example_documents(&self) -> Result<Vec<Document>, String> {
        self.documents_under(EXAMPLES)
    }

    /// Paths of the ingress controller's manifests (`make ingress`).
    pub fn ingress_paths(&self) -> Vec<PathBuf> {
        yaml_files(&self.root().join(INGRESS))
    }

    /// The objects of the ingress controller's manifests.
    pub fn ingress_documents(&self) -> Result<Vec<Document>, String> {
        self.documents_under(INGRESS)
    }

    fn documents_under(&self, dir: &str) -> Result<Vec<Document>, String> {
        let mut all = Vec::new();
        for path in yaml_files(&self.root().join(dir)) {
            let relative = path.strip_prefix(self.root()).unwrap().to_string_lossy();
            all.extend(read_documents(self.root(), &relative)?);
        }
        Ok(all)
    }
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}

fn read_documents(root: &Path, file: &str) -> Result<Vec<Document>, String> {
    let text = fs::read_to_string(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
    parse(file, &text)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".generated" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
