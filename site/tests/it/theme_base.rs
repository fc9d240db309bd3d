//! The theme knows the mdBook it was made for. `site/theme/index.hbs` is a
//! fork of mdBook's template, and a few files are written against mdBook's
//! own scripts and styles (`site/assets/book-adapter.js` adapts its
//! `book.js` and `toc.js`; `site/theme/fonts/fonts.css` replaces its fonts).
//! Each says which mdBook release in its header (`Forked from mdBook X.Y.Z`
//! or `Written against mdBook X.Y.Z`); when `Cargo.lock` moves mdBook
//! (`mdbook-html`, which carries the theme) to another release, this test
//! fails and says what to re-apply, instead of the site serving the old
//! scripts with the new renderer.

use crate::common::{assert_none, scratch};
use std::path::Path;

/// The files checked, relative to the repository root: every file under
/// these folders that names an mdBook release in its header.
const DIRS: &[&str] = &["site/theme", "site/assets"];
/// The forks that must say their base (so the check cannot pass on none).
const FORKS: &[&str] = &["site/theme/index.hbs"];

/// The version of `name` pinned by `Cargo.lock`.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{name}\"") {
            return lines
                .next()
                .and_then(|v| v.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}

/// The files under `root` that name an mdBook release, with the kind of
/// dependency ("Forked from" or "Written against") and the release.
fn declared_bases(root: &Path) -> Vec<(String, &'static str, String)> {
    let mut found = Vec::new();
    for dir in DIRS {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue; // fonts and other binary files
            };
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            for kind in ["Forked from", "Written against"] {
                let marker = format!("{kind} mdBook ");
                if let Some(at) = text.find(&marker) {
                    let version: String = text[at + marker.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.')
                        .collect();
                    found.push((rel.clone(), kind, version.trim_end_matches('.').to_owned()));
                }
            }
        }
    }
    found
}

/// What is wrong between the theme's declared mdBook and `Cargo.lock`'s.
fn theme_base_problems(root: &Path) -> Vec<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let Some(locked) = locked_version(&lock, "mdbook-html") else {
        return vec!["Cargo.lock has no mdbook-html".to_owned()];
    };
    let declared = declared_bases(root);
    let mut problems: Vec<String> = FORKS
        .iter()
        .filter(|fork| !declared.iter().any(|(file, _, _)| file == *fork))
        .map(|fork| format!("{fork}: its header must say `Forked from mdBook X.Y.Z`, the release it was copied from"))
        .collect();
    for (file, kind, base) in declared {
        if base == locked {
            continue;
        }
        problems.push(if kind == "Forked from" {
            format!(
                "{file} is forked from mdBook {base} but Cargo.lock has mdBook {locked}: start again from {locked}'s \
                 file (mdbook-html's front-end/), re-apply the changes listed in this file's header and \
                 site/README.md (\"Theme overrides\"), and set its header to `Forked from mdBook {locked}`."
            )
        } else {
            format!(
                "{file} is written against mdBook {base} but Cargo.lock has mdBook {locked}: check what its header \
                 says it relies on against {locked}'s front-end/ (diff it with {base}'s), adapt it, and set its \
                 header to `Written against mdBook {locked}`."
            )
        });
    }
    problems
}

#[test]
fn the_theme_is_made_for_the_locked_mdbook() {
    assert_none(
        "theme files made for another mdBook",
        &theme_base_problems(testkit::repo_root()),
    );
}

/// The failing twin: the same theme with `Cargo.lock` moved to another
/// mdBook release must be reported, file by file, and a fork that lost its
/// header too.
#[test]
fn a_theme_made_for_another_mdbook_is_reported() {
    let root = testkit::repo_root();
    let copy = scratch("theme-base");
    for dir in DIRS {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.unwrap();
            let to = copy.join(entry.path().strip_prefix(root).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let locked = locked_version(&lock, "mdbook-html").unwrap();
    let moved = lock.replace(
        &format!("name = \"mdbook-html\"\nversion = \"{locked}\""),
        "name = \"mdbook-html\"\nversion = \"0.99.0\"",
    );
    std::fs::write(copy.join("Cargo.lock"), moved).unwrap();

    let problems = theme_base_problems(&copy);
    let declared = declared_bases(root);
    assert!(
        declared.len() >= 3,
        "expected index.hbs, book-adapter.js and fonts.css: {declared:?}"
    );
    assert_eq!(problems.len(), declared.len(), "{problems:#?}");
    assert!(
        problems.iter().any(
            |p| p.starts_with("site/theme/index.hbs is forked from mdBook")
                && p.contains("Cargo.lock has mdBook 0.99.0")
                && p.contains("re-apply")
        ),
        "{problems:#?}"
    );

    let index = copy.join("site/theme/index.hbs");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replace("Forked from mdBook", "From mdBook")).unwrap();
    std::fs::write(copy.join("Cargo.lock"), &lock).unwrap();
    let problems = theme_base_problems(&copy);
    assert!(
        problems
            == [
                "site/theme/index.hbs: its header must say `Forked from mdBook X.Y.Z`, the release it was copied from"
            ],
        "{problems:#?}"
    );
}
