//! The pages the checks read and what is in them: fenced code blocks (with
//! the language and attributes of their info string), inline code spans
//! and prose text, each with its line. Parsed by `kit_formats::markdown`,
//! the parser and options mdBook renders the guide with, so a block is a
//! block exactly when the rendered guide shows one, and prose is the text a
//! reader sees: with smart punctuation, `demo-app's` reads `demo-app’s`.

use std::path::{Path, PathBuf};

use kit_formats::markdown::pulldown_cmark::{Event, Tag, TagEnd};
use kit_formats::markdown::{line_of, parser};

/// One Markdown file of the repository.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the repository root, with `/`: `docs/walkthrough/redis.md`.
    pub path: String,
    pub text: String,
}

impl Page {
    pub fn read(root: &Path, rel: &str) -> std::io::Result<Page> {
        Ok(Page {
            path: rel.to_owned(),
            text: std::fs::read_to_string(root.join(rel))?,
        })
    }

    /// `path:line`, for messages.
    pub fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.path)
    }
}

/// The guide's chapters (`docs/**/*.md`, sorted) and the deck.
pub fn guide_and_deck(root: &Path) -> Vec<Page> {
    let mut rels = markdown_under(root, "docs");
    if root.join("slides/deck.md").is_file() {
        rels.push("slides/deck.md".into());
    }
    read_all(root, rels)
}

/// The guide, the deck and every README of the repository (for `make X`).
pub fn with_readmes(root: &Path) -> Vec<Page> {
    let mut pages = guide_and_deck(root);
    let mut readmes: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "target"
                    || name == "book"
                    || name == "fixtures"
                    || name == "node_modules")
        })
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() == "README.md")
        .filter_map(|e| relative(root, e.path()))
        .filter(|rel| !rel.starts_with("docs/"))
        .collect();
    readmes.sort();
    pages.extend(read_all(root, readmes));
    pages
}

/// The environment variable that limits the answers replay, the
/// follow-along rules and the kubectl check to some pages, for quick runs
/// while writing: `GUIDE_PAGES=docs/walkthrough/scaling.md,slides/deck.md`.
pub const ONLY_PAGES: &str = "GUIDE_PAGES";

/// `pages` limited to those [`ONLY_PAGES`] names, or all when it is unset
/// or empty. Refused under CI (`CI=true`), where every page is checked, and
/// for a path that is no file of the repository.
pub fn selected(root: &Path, pages: Vec<Page>) -> Result<Vec<Page>, String> {
    let only = std::env::var(ONLY_PAGES).unwrap_or_default();
    let wanted: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if wanted.is_empty() {
        return Ok(pages);
    }
    if testkit::in_ci() {
        return Err(format!(
            "{ONLY_PAGES} is set, but CI checks every page: unset it (it is for quick local runs)"
        ));
    }
    if let Some(missing) = wanted.iter().find(|p| !root.join(p).is_file()) {
        return Err(format!(
            "{ONLY_PAGES} names `{missing}`, which is no file of the repository: give paths from \
             its root, separated by commas (docs/walkthrough/scaling.md,slides/deck.md)"
        ));
    }
    Ok(pages
        .into_iter()
        .filter(|p| wanted.contains(&p.path.as_str()))
        .collect())
}

/// [`selected`] for a test: the pages, a visible line when they are
/// limited, and a panic with the one-sentence reason when refused.
pub fn selected_for(test: &str, root: &Path, pages: Vec<Page>) -> Vec<Page> {
    let all = pages.len();
    let pages = selected(root, pages).unwrap_or_else(|e| panic!("{e}"));
    if pages.len() < all {
        let names: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        testkit::skip(
            test,
            &format!(
                "{ONLY_PAGES} limits it to {} of {all} pages: {}",
                pages.len(),
                names.join(", ")
            ),
        );
    }
    pages
}

fn markdown_under(root: &Path, dir: &str) -> Vec<String> {
    let mut rels: Vec<String> = walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| relative(root, e.path()))
        .collect();
    rels.sort();
    rels
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel: PathBuf = path.strip_prefix(root).ok()?.into();
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn read_all(root: &Path, rels: Vec<String>) -> Vec<Page> {
    rels.into_iter()
        .map(|rel| Page::read(root, &rel).unwrap_or_else(|e| panic!("reading {rel}: {e}")))
        .collect()
}

/// A fenced (or indented) code block, as kit-formats reads it.
pub use kit_formats::markdown::CodeBlock;

/// What a page holds, in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Code(CodeBlock),
    /// An inline code span and its line.
    InlineCode(String, usize),
    /// Prose text (outside code), one piece per paragraph or table cell.
    Prose(String, usize),
}

/// Every code block, inline code span and piece of prose of `markdown`.
pub fn items(markdown: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut code: Option<(CodeBlock, String)> = None;
    let mut prose: Option<(String, usize)> = None;
    let flush = |prose: &mut Option<(String, usize)>, items: &mut Vec<Item>| {
        if let Some((text, line)) = prose.take()
            && !text.trim().is_empty()
        {
            items.push(Item::Prose(text, line));
        }
    };
    for (event, span) in parser(markdown).into_offset_iter() {
        let line = line_of(markdown, span.start);
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut prose, &mut items);
                code = Some((
                    CodeBlock::opening(&kind, markdown, span.start),
                    String::new(),
                ));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((mut block, body)) = code.take() {
                    block.body = body;
                    items.push(Item::Code(block));
                }
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::Text(text) => prose
                .get_or_insert_with(|| (String::new(), line))
                .0
                .push_str(&text),
            Event::SoftBreak | Event::HardBreak => {
                if let Some((text, _)) = prose.as_mut() {
                    text.push(' ');
                }
            }
            Event::Code(text) => {
                items.push(Item::InlineCode(text.to_string(), line));
                // Keep the span in the prose too: "the `demo-app` Deployment
                // runs 5 pods" reads as one sentence for the facts.
                prose
                    .get_or_insert_with(|| (String::new(), line))
                    .0
                    .push_str(&text);
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::TableCell | TagEnd::Heading(_) | TagEnd::Item,
            ) => {
                flush(&mut prose, &mut items);
            }
            _ => {}
        }
    }
    flush(&mut prose, &mut items);
    items
}

/// The code blocks of `markdown`, in order.
pub fn code_blocks(markdown: &str) -> Vec<CodeBlock> {
    items(markdown)
        .into_iter()
        .filter_map(|item| match item {
            Item::Code(block) => Some(block),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_string_words_and_lines() {
        let md = "# T\n\nSome `code` here.\n\n```sh\ncurl -s x\n```\n\n```text,output\n{}\n```\n\n   ```console\n   $ ls\n   ```\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks.len(), 3);
        assert_eq!((blocks[0].lang.as_str(), blocks[0].line), ("sh", 5));
        assert_eq!(blocks[1].attrs, ["output"]);
        assert_eq!(blocks[1].body_line, 10);
        assert_eq!(blocks[2].body, "$ ls\n");
        let inline: Vec<_> = items(md)
            .into_iter()
            .filter_map(|i| match i {
                Item::InlineCode(c, l) => Some((c, l)),
                _ => None,
            })
            .collect();
        assert_eq!(inline, [("code".to_string(), 3)]);
    }
}
