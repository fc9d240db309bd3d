//! Shared machinery of the book tests: building the real site or a fixture,
//! and the checks themselves (each returns the problems it found, so a test
//! can assert both "the real site passes" and "a broken fixture fails").
#![allow(dead_code)]

pub mod browser;
pub mod checks;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Removes the scratch folders of test processes that have ended.
fn clean_old_scratch() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(entries) = std::fs::read_dir(env!("CARGO_TARGET_TMPDIR")) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("site-tests-")
                && !Path::new("/proc").join(pid).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
}

/// A scratch folder for this test process under `target/tmp`.
pub fn scratch(name: &str) -> PathBuf {
    clean_old_scratch();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("site-tests-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The real guide and deck, built once per test binary.
pub fn built_site() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = scratch("real-site");
        site::book::build(testkit::repo_root(), Some(&out))
            .unwrap_or_else(|e| panic!("the real site does not build:\n{e:#}"));
        out
    })
}

/// A fixture repository: `site/tests/fixtures/base/` (a small, correct
/// kit) overlaid with `site/tests/fixtures/<name>/` (what breaks it), copied
/// to a scratch folder with the real theme and deck templates.
pub fn fixture(name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    // Tests run in parallel threads: each gets its own copy.
    let root = scratch(&format!("fixture-{name}-{n}"));
    let fixtures = testkit::repo_root().join("site/tests/fixtures");
    copy_dir(&fixtures.join("base"), &root);
    if name != "base" {
        copy_dir(&fixtures.join(name), &root);
    }
    copy_dir(
        &testkit::repo_root().join("site/theme"),
        &root.join("site/theme"),
    );
    copy_dir(
        &testkit::repo_root().join("slides/templates"),
        &root.join("slides/templates"),
    );
    if !root.join("book.toml").exists() {
        std::fs::write(
            root.join("book.toml"),
            "[book]\ntitle = \"Fixture\"\nsrc = \"docs\"\n\n[build]\ncreate-missing = false\n\n\
             [output.html]\ntheme = \"site/theme\"\n\n[output.html.playground]\nrunnable = false\n",
        )
        .unwrap();
    }
    let deck = root.join("slides/deck.md");
    if !deck.exists() {
        std::fs::write(deck, "# Fixture deck\n\n[Guide](../docs/README.md)\n").unwrap();
    }
    root
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Builds a fixture into `<root>/book`.
pub fn build_fixture(root: &Path) -> anyhow::Result<PathBuf> {
    let out = root.join("book");
    site::book::build(root, Some(&out))?;
    Ok(out)
}

/// Fails the test with every problem listed, one per line.
pub fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}
