//! Markdown as mdBook 0.5 parses it: the same pulldown-cmark parser with
//! the same extensions (`mdbook_markdown::new_cmark_parser`, with the
//! defaults `book.toml` keeps: smart punctuation, definition lists, GFM
//! admonitions). A `## ` line inside a code block is no heading here, and a
//! block is a block exactly when the rendered guide shows one.

use std::ops::Range;

pub use mdbook_markdown::pulldown_cmark;
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The parser mdBook renders the guide with, over `markdown`.
pub fn parser(markdown: &str) -> Parser<'_> {
    new_cmark_parser(markdown, &MarkdownOptions::default())
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// A code block's info string read as mdBook reads it: the language is the
/// first word (```` ```yaml,ignore ```` is `yaml`), words are separated by
/// `,` or spaces; an indented block has neither.
pub fn info_string(kind: &CodeBlockKind) -> (String, Vec<String>) {
    match kind {
        CodeBlockKind::Fenced(info) => {
            let mut words = info.split([',', ' ']).filter(|w| !w.is_empty());
            let lang = words.next().unwrap_or("").to_owned();
            (lang, words.map(str::to_owned).collect())
        }
        CodeBlockKind::Indented => (String::new(), Vec::new()),
    }
}

/// A fenced (or indented) code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The first word of the info string; empty when indented.
    pub lang: String,
    /// The other words of the info string (`output`, `ignore`...).
    pub attrs: Vec<String>,
    pub body: String,
    /// 1-based line of the opening fence (of the first line if indented).
    pub line: usize,
    /// 1-based line of the block's first content line.
    pub body_line: usize,
}

impl CodeBlock {
    /// The block that `kind` opens at byte `start` of `markdown`, its body
    /// still empty (the text events that follow fill it).
    pub fn opening(kind: &CodeBlockKind, markdown: &str, start: usize) -> CodeBlock {
        let (lang, attrs) = info_string(kind);
        let line = line_of(markdown, start);
        let body_line = match kind {
            CodeBlockKind::Fenced(_) => line + 1,
            CodeBlockKind::Indented => line,
        };
        CodeBlock {
            lang,
            attrs,
            body: String::new(),
            line,
            body_line,
        }
    }

    /// Whether the info string carries `attr` (`output` in ```` ```text,output ````).
    pub fn has(&self, attr: &str) -> bool {
        self.attrs.iter().any(|a| a == attr)
    }
}

/// Every code block of `markdown`, in order.
pub fn code_blocks(markdown: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<CodeBlock> = None;
    for (event, span) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                open = Some(CodeBlock::opening(&kind, markdown, span.start));
            }
            Event::Text(text) => {
                if let Some(block) = open.as_mut() {
                    block.body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// A heading: its level (1 for `#`), its text, and its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: usize,
    pub text: String,
    pub span: Range<usize>,
}

/// Every heading of `markdown` (ATX `#` and setext), in order.
pub fn headings(markdown: &str) -> Vec<Heading> {
    let mut found = Vec::new();
    let mut open: Option<Heading> = None;
    for (event, span) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some(Heading {
                    level: level as usize,
                    text: String::new(),
                    span,
                });
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = open.as_mut() {
                    heading.text.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => found.extend(open.take()),
            _ => {}
        }
    }
    found
}

/// The body of the first section titled `title` (after its heading, up to
/// the next heading of the same or a higher level), or None.
pub fn section<'a>(markdown: &'a str, title: &str) -> Option<&'a str> {
    let headings = headings(markdown);
    let at = headings.iter().position(|h| h.text.trim() == title)?;
    let own = &headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= own.level)
        .map_or(markdown.len(), |h| h.span.start);
    Some(&markdown[own.span.end..end])
}

/// `markdown` with the first section titled `title` (its heading and its
/// body, up to the next heading of the same or a higher level) replaced by
/// `new_section`, or with `new_section` appended after a blank line when
/// there is no such section. Everything else is kept byte for byte: how a
/// benchmark rewrites its own part of BENCHMARKS.md.
pub fn replace_section(markdown: &str, title: &str, new_section: &str) -> String {
    let headings = headings(markdown);
    let Some(at) = headings.iter().position(|h| h.text.trim() == title) else {
        let mut out = markdown.trim_end().to_string();
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(new_section);
        return out;
    };
    let own = &headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= own.level)
        .map_or(markdown.len(), |h| h.span.start);
    let mut out = markdown[..own.span.start].to_string();
    if end < markdown.len() {
        out.push_str(new_section.trim_end());
        out.push_str("\n\n");
        out.push_str(&markdown[end..]);
    } else {
        out.push_str(new_section);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Title\n\nIntro.\n\n## Configuration\n\nSet `PORT`.\n\n```sh\n## not a heading\nexport PORT=1\n```\n\n### Detail\n\nMore.\n\n## Next\n\nOther.\n";

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_not_into_a_fence() {
        let body = section(PAGE, "Configuration").unwrap();
        assert!(body.contains("export PORT=1"), "{body}");
        assert!(body.contains("### Detail"), "{body}");
        assert!(!body.contains("Other."), "{body}");
        assert_eq!(section(PAGE, "Missing"), None);
        let levels: Vec<usize> = headings(PAGE).iter().map(|h| h.level).collect();
        assert_eq!(levels, [1, 2, 3, 2]);
    }

    #[test]
    fn replacing_a_section_keeps_the_others_and_appends_a_missing_one() {
        let old = "# Benchmarks\n\n## Demo app\n\nfast\n\n## Site\n\nold\n\n```sh\n## not a heading\n```\n\n## Site in Lighthouse\n\nkeep\n";
        assert_eq!(
            replace_section(old, "Site", "## Site\n\nnew\n"),
            "# Benchmarks\n\n## Demo app\n\nfast\n\n## Site\n\nnew\n\n## Site in Lighthouse\n\nkeep\n"
        );
        assert_eq!(
            replace_section("# B\n\n## Site\n\nold\n", "Site", "## Site\n\nnew\n"),
            "# B\n\n## Site\n\nnew\n"
        );
        assert_eq!(
            replace_section("# B\n\n## Demo app\n\nx\n", "Site", "## Site\n\ny\n"),
            "# B\n\n## Demo app\n\nx\n\n## Site\n\ny\n"
        );
    }

    #[test]
    fn code_blocks_with_info_words_and_lines() {
        let md = "Text\n\n```text,output\n{}\n```\n\n    indented\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].lang, "text");
        assert_eq!(blocks[0].attrs, ["output"]);
        assert_eq!(blocks[0].body, "{}\n");
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[1].lang, "");
        assert_eq!(blocks[1].body, "indented\n");
    }

    #[test]
    fn gfm_admonitions_and_definition_lists_parse_as_mdbook_renders_them() {
        // mdBook 0.5 enables both by default; a parser without them reads
        // these as a plain quote and a plain paragraph.
        let events = |md: &str| parser(md).map(|e| format!("{e:?}")).collect::<String>();
        assert!(events("> [!NOTE]\n> Hi\n").contains("BlockQuote(Some(Note))"));
        assert!(events("Term\n: Definition\n").contains("DefinitionList"));
    }
}
