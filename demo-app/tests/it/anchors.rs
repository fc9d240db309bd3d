//! The guide pulls code into its pages with `{{#include file:anchor}}`, and
//! an unknown anchor silently becomes empty text. These checks keep the
//! anchors the guide's chapters include, and keep every anchor balanced.
//! Markers are read by `kit_formats::anchors`, with mdBook's own grammar.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Anchors the guide's chapters include from demo-app/src: renaming or
/// removing one would leave an empty listing in the book.
const CONTRACT: &[&str] = &[
    "config-env",
    "health",
    "readiness",
    "crash",
    "stress",
    "downward-api",
    "visits",
    "kv",
    "sessions",
    "graceful-shutdown",
    "redis-client",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// anchor name → files defining it; panics on an unbalanced anchor.
fn anchors() -> BTreeMap<String, Vec<PathBuf>> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut found: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // mdBook's marker grammar (any comment syntax, `#ANCHOR:x` too),
        // balanced: an ANCHOR_END without ANCHOR or an ANCHOR without
        // ANCHOR_END fails here.
        let names = kit_formats::anchors::anchors(&text)
            .unwrap_or_else(|problem| panic!("{}: {problem}", file.display()));
        for name in names {
            found.entry(name).or_default().push(file.clone());
        }
    }
    found
}

#[test]
fn every_contract_anchor_exists_once() {
    let found = anchors();
    for name in CONTRACT {
        let files = found.get(*name).map(Vec::len).unwrap_or(0);
        assert_eq!(
            files, 1,
            "anchor {name} defined {files} times in demo-app/src"
        );
    }
}

#[test]
fn anchor_names_are_unique() {
    for (name, files) in anchors() {
        assert_eq!(files.len(), 1, "anchor {name} is defined in {files:?}");
    }
}
