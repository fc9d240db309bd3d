//! The `include-check` preprocessor: fails the build on any `{{#include}}`
//! whose file is missing, whose anchor is unknown or whose line range is
//! outside the file. mdBook only logs the first case (leaving the raw
//! directive in the page) and renders the others as empty text.
//!
//! It reads each chapter's file from disk, so it sees the directives as
//! written whatever order the preprocessors run in.

use kit_formats::{anchors, include};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::path::Path;

pub struct IncludeCheck;

impl Preprocessor for IncludeCheck {
    fn name(&self) -> &str {
        "include-check"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let src_dir = ctx.root.join(&ctx.config.book.src);
        let mut problems = Vec::new();
        for item in book.iter() {
            if let BookItem::Chapter(chapter) = item
                && let Some(source) = &chapter.source_path
            {
                problems.extend(check_file(&src_dir, source));
            }
        }
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(Error::msg(format!(
                "{} broken {{{{#include}}}} directive(s):\n  {}",
                problems.len(),
                problems.join("\n  ")
            )))
        }
    }
}

/// Problems with the includes of one page (`source` relative to `src_dir`),
/// as `file:line: message` strings.
pub fn check_file(src_dir: &Path, source: &Path) -> Vec<String> {
    let file = src_dir.join(source);
    let Ok(text) = std::fs::read_to_string(&file) else {
        return vec![format!("{}: cannot read the page", file.display())];
    };
    let base = file.parent().unwrap_or(src_dir);
    check_text(&text, base)
        .into_iter()
        .map(|(line, msg)| format!("{}:{line}: {msg}", source.display()))
        .collect()
}

/// Problems with the includes in `text`, whose paths are relative to `base`.
pub fn check_text(text: &str, base: &Path) -> Vec<(usize, String)> {
    include::find(text)
        .into_iter()
        .filter_map(|d| {
            include::resolve(base, &d).err().map(|problem| {
                let mut msg = format!("{d}: {problem}");
                if let include::Problem::UnknownAnchor { file, .. } = &problem {
                    let known = std::fs::read_to_string(file)
                        .map(|t| anchors::names(&t))
                        .unwrap_or_default();
                    if !known.is_empty() {
                        msg.push_str(&format!("; anchors there: {}", known.join(", ")));
                    }
                }
                (d.line, msg)
            })
        })
        .collect()
}
