//! Watches the sources of the site and rebuilds it on every save; the caller
//! reloads the open pages after each successful build.

use anyhow::Result;
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

/// Folders and files whose changes show in the site: the guide, the deck, and
/// everything pages include or link (manifests, the app's sources, Makefiles).
pub const WATCHED: &[&str] = &[
    "docs",
    "slides",
    "k8s",
    "demo-app",
    "book.toml",
    "Makefile",
    "site/theme",
];

/// How long a burst of file events is collected before one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Calls `on_change` (from a background thread) after each burst of changes
/// to the watched files made since `built_at` (when the build being served
/// started). The returned guard stops watching when dropped.
///
/// `built_at` matters for the first events: the kernel can still deliver
/// events of files written before that build (a fresh checkout, a copied
/// fixture), and a rebuild for those would take the served pages away for
/// its duration while a browser is loading them.
pub fn watch(
    root: &Path,
    built_at: SystemTime,
    mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> Result<Debouncer<RecommendedWatcher>> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, tx)?;
    for name in WATCHED {
        let path = root.join(name);
        if path.exists() {
            debouncer.watcher().watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let mut last_build = built_at;
        while let Ok(first) = rx.recv() {
            let mut changed = Vec::new();
            let mut add = |result: DebounceEventResult| {
                if let Ok(events) = result {
                    changed.extend(
                        events
                            .into_iter()
                            .map(|e| e.path)
                            .filter(|p| relevant(&root, p)),
                    );
                }
            };
            add(first);
            // Changes that arrived while the last build ran join this one.
            while let Ok(more) = rx.try_recv() {
                add(more);
            }
            // One save can yield several batches (the file, then its folder);
            // those older than the last build are already in it.
            let fresh =
                changed
                    .iter()
                    .any(|p| match std::fs::metadata(p).and_then(|m| m.modified()) {
                        Ok(modified) => modified >= last_build,
                        Err(_) => true, // removed or renamed
                    });
            if fresh {
                last_build = SystemTime::now();
                on_change(changed);
            }
        }
    });
    Ok(debouncer)
}

/// Ignores build output, editor backups and VCS internals (judged on the
/// path inside the repository: the repository itself may sit in a `target/`).
fn relevant(root: &Path, path: &Path) -> bool {
    let inside = path.strip_prefix(root).unwrap_or(path);
    let ignored_dir = inside.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name == "target" || name == ".git" || name == ".generated" || name == "node_modules"
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let backup = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#");
    !ignored_dir && !backup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_build_output_and_editor_files() {
        let root = Path::new("/x/target/r");
        assert!(relevant(
            root,
            Path::new("/x/target/r/docs/walkthrough/scaling.md")
        ));
        assert!(!relevant(
            root,
            Path::new("/x/target/r/demo-app/target/debug/x")
        ));
        assert!(!relevant(
            root,
            Path::new("/x/target/r/docs/.scaling.md.swp")
        ));
        assert!(!relevant(root, Path::new("/x/target/r/docs/scaling.md~")));
    }
}
