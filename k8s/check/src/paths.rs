//! Where the kit's files are, relative to this crate.

use std::path::{Path, PathBuf};

/// The repository root (this crate lives in `k8s/check/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// The kustomize root `k8s/`.
pub fn k8s_dir() -> PathBuf {
    repo_root().join("k8s")
}

/// Path of the HPA manifest, relative to `k8s/`.
pub const HPA: &str = "hpa/hpa.yaml";

/// The examples directory, relative to `k8s/`.
pub const EXAMPLES: &str = "examples";

/// Every `.yaml`/`.yml` file directly under `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.is_file()
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml")
                )
        })
        .collect();
    files.sort();
    files
}
