//! Finding and rewriting link destinations in Markdown source, leaving
//! everything else byte for byte as written (code blocks, spacing, titles).

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag};
use std::ops::Range;

/// The Markdown extensions mdBook enables; links are found the way mdBook sees them.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A code block's language: the first word of a fence's info string
/// (```` ```yaml,ignore ```` is `yaml`), empty for an indented block.
pub fn code_lang(kind: &CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([',', ' ']).next().unwrap_or("").to_string(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// A link destination and where it is written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// Byte range of the destination text itself.
    pub span: Range<usize>,
    /// 1-based source line.
    pub line: usize,
}

/// Every link destination in `markdown`: inline links and reference
/// definitions (images excluded).
pub fn links(markdown: &str) -> Vec<Link> {
    let mut parser = Parser::new_ext(markdown, options()).into_offset_iter();
    let mut found = Vec::new();
    for (event, span) in parser.by_ref() {
        if let Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) = event
            && matches!(link_type, LinkType::Inline | LinkType::Autolink)
            && let Some(at) = markdown[span.clone()].rfind(dest_url.as_ref())
        {
            let start = span.start + at;
            found.push(Link {
                dest: dest_url.to_string(),
                span: start..start + dest_url.len(),
                line: kit_formats::markdown::line_of(markdown, start),
            });
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        let text = &markdown[def.span.clone()];
        let after_label = text.find("]:").map(|i| i + 2).unwrap_or(0);
        if let Some(at) = text[after_label..].find(def.dest.as_ref()) {
            let start = def.span.start + after_label + at;
            found.push(Link {
                dest: def.dest.to_string(),
                span: start..start + def.dest.len(),
                line: kit_formats::markdown::line_of(markdown, start),
            });
        }
    }
    found.sort_by_key(|l| l.span.start);
    found
}

/// Replaces every link destination for which `rewrite` returns a new one.
pub fn rewrite(markdown: &str, mut rewrite: impl FnMut(&Link) -> Option<String>) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut last = 0;
    for link in links(markdown) {
        if let Some(new) = rewrite(&link) {
            out.push_str(&markdown[last..link.span.start]);
            out.push_str(&new);
            last = link.span.end;
        }
    }
    out.push_str(&markdown[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_reference_links_not_code() {
        let md = "See [the file](../k8s/a.yaml \"t\") and [ref][r].\n\n```\n[no](code.md)\n```\n\n[r]: ../Makefile\n";
        let dests: Vec<_> = links(md).into_iter().map(|l| l.dest).collect();
        assert_eq!(dests, ["../k8s/a.yaml", "../Makefile"]);
    }

    #[test]
    fn rewrites_only_the_destination() {
        let md = "[../a.md](../a.md#x) and `../a.md`";
        let out = rewrite(md, |l| Some(l.dest.replace(".md", ".html")));
        assert_eq!(out, "[../a.md](../a.html#x) and `../a.md`");
    }
}
