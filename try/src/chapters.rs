//! Which chapters have a Try it, and which one `CHAPTER=` names.

use std::path::Path;

use kit_formats::commands::section_lines;

/// The title of the section a chapter's commands are in.
pub const TRY_IT: &str = "Try it";

/// A chapter of the guide: `docs/walkthrough/scaling.md` is `scaling`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Relative to the repository root: `docs/walkthrough/scaling.md`.
    pub path: String,
    /// The file name without `.md`: `scaling`.
    pub name: String,
    pub text: String,
}

impl Chapter {
    pub fn has_try_it(&self) -> bool {
        section_lines(&self.text, TRY_IT).is_some()
    }
}

/// Every Markdown page under `root/docs`, sorted by path.
pub fn all(root: &Path) -> Vec<Chapter> {
    let mut found = Vec::new();
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "md")
                && let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(rel) = path.strip_prefix(root)
            {
                let rel = rel.to_string_lossy().replace('\\', "/");
                let name = rel
                    .rsplit('/')
                    .next()
                    .unwrap_or(&rel)
                    .trim_end_matches(".md")
                    .to_owned();
                found.push(Chapter {
                    path: rel,
                    name,
                    text,
                });
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The chapter `wanted` names: `scaling`, `scaling.md`,
/// `walkthrough/scaling` or `docs/walkthrough/scaling.md`.
pub fn find<'a>(chapters: &'a [Chapter], wanted: &str) -> Option<&'a Chapter> {
    let wanted = wanted.trim().trim_end_matches(".md");
    let wanted = wanted.strip_prefix("docs/").unwrap_or(wanted);
    chapters.iter().find(|c| {
        let path = c.path.trim_end_matches(".md");
        c.name == wanted || path.strip_prefix("docs/") == Some(wanted)
    })
}

/// The names of the chapters that have a Try it, for messages.
pub fn list(chapters: &[Chapter]) -> String {
    chapters
        .iter()
        .filter(|c| c.has_try_it())
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
