//! The `diagrams` preprocessor: every ```mermaid fence of the guide becomes
//! its drawn `<figure>` before mdBook renders the page, and the page gets the
//! styles of its own diagrams in a `<style>` before the first one (a page
//! without diagrams loads no diagram CSS at all; none is render-blocking). A
//! diagram that does not parse fails the build with its file and line.

use super::{Place, Stylesheet, draw, label};
use crate::markdown::md_links;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;
use std::path::Path;

pub struct Diagrams;

impl Preprocessor for Diagrams {
    fn name(&self) -> &str {
        "diagrams"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let src_dir = ctx.root.join(&ctx.config.book.src);
        let mut problems = Vec::new();
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item
                && let Err(problem) = draw_chapter(chapter, &src_dir)
            {
                problems.push(problem);
            }
        });
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(Error::msg(format!(
                "{} diagram(s) could not be drawn:\n  {}",
                problems.len(),
                problems.join("\n  ")
            )))
        }
    }
}

fn draw_chapter(chapter: &mut Chapter, src_dir: &Path) -> Result<(), String> {
    let fences = mermaid_fences(&chapter.content);
    if fences.is_empty() {
        return Ok(());
    }
    let path = chapter
        .source_path
        .as_ref()
        .map(|p| Path::new("docs").join(p).display().to_string())
        .unwrap_or_else(|| chapter.name.clone());
    let on_disk = chapter
        .source_path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(src_dir.join(p)).ok());
    let mut content = chapter.content.clone();
    let mut styles = Stylesheet::default();
    for (n, fence) in fences.iter().enumerate().rev() {
        let id = format!("dg{}", n + 1);
        let name = label::name(
            &fence.source,
            fence.intro.as_deref(),
            fence.heading.as_deref(),
        );
        let drawn = draw(&fence.source, &id).map_err(|e| {
            let first = first_line_in(on_disk.as_deref(), &fence.source)
                .unwrap_or_else(|| chapter.content[..fence.range.start].matches('\n').count() + 2);
            format!("{path}:{}: diagram: {}", first + e.line - 1, e.message)
        })?;
        let mut html = styles.figure(&drawn, &id, &name, Place::Guide);
        if n == 0 {
            // The fences are drawn last to first: the page's styles are
            // complete. On the figure's line (an HTML block in Markdown ends
            // at a blank line, and a fence in a list keeps its indentation).
            html = format!("<style>{}</style>{html}", styles.rules().replace('\n', ""));
        }
        content.replace_range(fence.range.clone(), &format!("{html}\n"));
    }
    chapter.content = content;
    Ok(())
}

/// The line (1-based) of `body`'s first line in `file`, when found there.
fn first_line_in(file: Option<&str>, body: &str) -> Option<usize> {
    let file = file?;
    let at = file.find(body.lines().next()?)?;
    Some(file[..at].matches('\n').count() + 1)
}

/// A ```mermaid fence of a page.
pub struct Fence {
    /// The whole block, fences included.
    pub range: Range<usize>,
    pub source: String,
    /// The plain text of the paragraph just before it.
    pub intro: Option<String>,
    /// The heading of its section.
    pub heading: Option<String>,
}

/// The mermaid fences of a Markdown text, in order.
pub fn mermaid_fences(markdown: &str) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut paragraph: Option<String> = None;
    let mut last_paragraph: Option<String> = None;
    let mut current: Option<Fence> = None;
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    for (event, range) in Parser::new_ext(markdown, md_links::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => last_paragraph = paragraph.take(),
            Event::Start(Tag::Heading { .. }) => {
                last_paragraph = None;
                heading = Some(String::new());
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(kind)) => {
                if md_links::code_lang(&kind) == "mermaid" {
                    current = Some(Fence {
                        range,
                        source: String::new(),
                        intro: last_paragraph.take(),
                        heading: heading.clone(),
                    });
                } else {
                    last_paragraph = None;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(f) = current.as_mut() {
                    f.source.push_str(&t);
                } else if in_heading {
                    if let Some(h) = heading.as_mut() {
                        h.push_str(&t);
                    }
                } else if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(f) = current.take() {
                    fences.push(f);
                }
            }
            _ => {}
        }
    }
    fences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_found_with_their_introduction() {
        let md = "# T\n\nThe flow of a **request**:\n\n```mermaid\nflowchart LR\n a-->b\n```\n\n```yaml\nx: 1\n```\n";
        let f = mermaid_fences(md);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].source, "flowchart LR\n a-->b\n");
        assert_eq!(f[0].intro.as_deref(), Some("The flow of a request:"));
        assert!(md[f[0].range.clone()].starts_with("```mermaid"));
    }
}
