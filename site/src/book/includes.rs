//! The guide's `{{#include}}` expander ([`GuideIncludes`]) and how the guide
//! and the deck show an included part ([`excerpt`]).
//!
//! Finding a directive, reading its argument and taking the part of the file
//! it names is `kit_formats::include`'s job (exactly as mdBook 0.5 does, but
//! strict: a missing file, an unknown anchor or a range outside the file is
//! a `Problem`), shared with the kit's other checks. This module only
//! decides what the reader sees.

use crate::markdown::{md_links, repo_links};
use kit_formats::anchors;
use kit_formats::include::{self, Directive};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::Result as BookResult;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{Event, Parser, Tag};
use std::path::Path;

/// An included part as the guide and the deck show it: without anchor
/// marker lines, and without the indentation common to its lines
/// ([`dedent`]). mdBook drops marker lines only from an anchor's lines and
/// shows them in a whole-file or line-range include; in our pages they are
/// build plumbing, not part of the file a reader studies (the source
/// appendix shows each file whole, markers included).
pub fn excerpt(part: &str) -> String {
    let kept: Vec<&str> = part
        .lines()
        .filter(|line| !anchors::is_marker(line))
        .collect();
    dedent(&kept.join("\n"))
}

/// Removes the indentation common to every non-blank line: a part of a
/// nested manifest starts at the left margin (its own indentation is kept),
/// in the guide and on the slides alike, and so in what a reader copies.
pub fn dedent(text: &str) -> String {
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    if common == 0 {
        return text.to_string();
    }
    let mut out: String = text
        .lines()
        .map(|l| l.get(common..).unwrap_or("").trim_end_matches('\r'))
        .collect::<Vec<_>>()
        .join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The guide's `{{#include}}` expander. It is named `links` so that it takes
/// the place (and the position, first) of mdBook's own `links` preprocessor,
/// which only ever expands includes in our guide: ours shows each part as
/// the deck does ([`excerpt`]) and gives a code block made of one include
/// a caption with the file's path, linked to its page in the source
/// appendix. A directive that cannot be resolved is left as written:
/// [`super::include_check`] then fails the build with the page and line.
pub struct GuideIncludes;

impl Preprocessor for GuideIncludes {
    fn name(&self) -> &str {
        "links"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> BookResult<Book> {
        let src = ctx.config.book.src.clone();
        let src_dir = ctx.root.join(&src);
        book.for_each_chapter_mut(|chapter| {
            let Some(source) = chapter.source_path.clone() else {
                return;
            };
            let page_dir = source.parent().unwrap_or(Path::new(""));
            chapter.content = expand(
                &chapter.content,
                &src_dir.join(page_dir),
                &src.join(page_dir),
                &src,
            );
        });
        Ok(book)
    }
}

/// `text` with its includes replaced by the parts they name, as [`excerpt`]s.
/// `base` is the page's folder on disk, `repo_dir` the same folder relative to
/// the repository root and `book_src` the guide's source folder (files under
/// it get no caption: they have no page in the appendix).
pub fn expand(text: &str, base: &Path, repo_dir: &Path, book_src: &Path) -> String {
    let directives = include::find(text);
    // Byte offsets where a caption goes (the fenced block's first line), with
    // the caption's Markdown.
    let mut captions: Vec<(usize, String)> = Vec::new();
    for (event, range) in Parser::new_ext(text, md_links::options()).into_offset_iter() {
        if !matches!(event, Event::Start(Tag::CodeBlock(_))) {
            continue;
        }
        let inside: Vec<&Directive> = directives
            .iter()
            .filter(|d| d.span.start >= range.start && d.span.end <= range.end)
            .collect();
        let [only] = inside[..] else { continue };
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &text[line_start..range.start];
        // Only a block that starts its line (possibly indented, e.g. in a
        // list item): before a list marker a caption would break the list.
        if !indent.chars().all(|c| c == ' ') || !text[range.start..].starts_with(['`', '~']) {
            continue;
        }
        let dest = only.path.to_string_lossy().replace('\\', "/");
        let Some(repo_path) = repo_links::join_repo(repo_dir, &dest) else {
            continue;
        };
        if repo_path.starts_with(book_src) {
            continue;
        }
        captions.push((
            line_start,
            format!(
                "{indent}<div class=\"code-caption\">\n\n{indent}[{}]({dest})\n\n{indent}</div>\n\n",
                repo_path.display()
            ),
        ));
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut captions = captions.into_iter().peekable();
    for directive in &directives {
        while let Some((at, caption)) = captions.next_if(|(at, _)| *at <= directive.span.start) {
            out.push_str(&text[last..at]);
            out.push_str(&caption);
            last = at;
        }
        let Ok(part) = include::resolve(base, directive) else {
            continue;
        };
        out.push_str(&text[last..directive.span.start]);
        out.push_str(&excerpt(&part));
        last = directive.span.end;
    }
    for (at, caption) in captions {
        out.push_str(&text[last..at]);
        out.push_str(&caption);
        last = at;
    }
    out.push_str(&text[last..]);
    // `\{{#include ...}}` shows the directive itself, as in mdBook.
    out.replace("\\{{#", "{{#")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "a\n# ANCHOR: probes\nb\n# ANCHOR: inner\nc\n# ANCHOR_END: inner\n# ANCHOR_END: probes\nd\n";

    #[test]
    fn an_excerpt_shows_no_marker_lines_whatever_the_part() {
        // A whole file, as kit_formats::include takes it (markers kept, as
        // mdBook does): the excerpt drops them.
        let whole = include::select(FILE, &include::Part::Whole).unwrap();
        assert!(whole.contains("ANCHOR"), "{whole}");
        assert_eq!(excerpt(&whole), "a\nb\nc\nd");
        assert_eq!(
            excerpt("  # ANCHOR: x\n  y:\n    z\n  # ANCHOR_END: x"),
            "y:\n  z"
        );
    }

    #[test]
    fn included_parts_lose_their_common_indentation() {
        assert_eq!(
            dedent("    a:\n      b: 1\n\n    c: 2"),
            "a:\n  b: 1\n\nc: 2"
        );
        assert_eq!(dedent("x\n  y\n"), "x\n  y\n");
    }

    #[test]
    fn an_included_block_is_dedented_and_captioned_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let k8s = dir.path().join("k8s");
        std::fs::create_dir_all(&k8s).unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(
            k8s.join("a.yaml"),
            FILE.replace("\nb\n", "\n    b\n")
                .replace("\nc\n", "\n      c\n"),
        )
        .unwrap();
        let page = "Text\n\n```yaml\n{{#include ../k8s/a.yaml:probes}}\n```\n\n- item\n\n  ```yaml\n  {{#include ../k8s/a.yaml:inner}}\n  ```\n\nShown: `\\{{#include x}}`\n";
        let out = expand(
            page,
            &dir.path().join("docs"),
            Path::new("docs"),
            Path::new("docs"),
        );
        assert_eq!(
            out,
            "Text\n\n<div class=\"code-caption\">\n\n[k8s/a.yaml](../k8s/a.yaml)\n\n</div>\n\n```yaml\nb\n  c\n```\n\n- item\n\n  <div class=\"code-caption\">\n\n  [k8s/a.yaml](../k8s/a.yaml)\n\n  </div>\n\n  ```yaml\n  c\n  ```\n\nShown: `{{#include x}}`\n"
        );
    }
}
