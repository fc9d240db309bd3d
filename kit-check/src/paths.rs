//! Where the kit's files are, relative to this crate.

//! The repository root itself is testkit's [`testkit::repo_root`].

use std::path::{Path, PathBuf};

/// The kustomize root `k8s/`.
pub fn k8s_dir() -> PathBuf {
    testkit::repo_root().join("k8s")
}

/// Path of the HPA manifest, relative to `k8s/`.
pub const HPA: &str = "hpa/hpa.yaml";

/// The ingress controller `make ingress` applies, relative to `k8s/`.
pub const INGRESS: &str = "ingress";

/// The examples directory, relative to `k8s/`.
pub const EXAMPLES: &str = "examples";

/// Every `.yaml`/`.yml` file under `dir`, in subdirectories too, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    files
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
        if path.is_dir() {
            collect(&path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            files.push(path);
        }
    }
}
