//! mdBook's `{{#include path[:anchor|:start:end]}}` directive: finding it in a
//! text and resolving it strictly. mdBook itself only logs a missing file and
//! silently turns an unknown anchor into empty text; the guide's
//! [`super::include_check`] preprocessor and the deck use this module to fail
//! loudly instead.

use crate::markdown::{md_links, repo_links};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::Result as BookResult;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{Event, Parser, Tag};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Which part of the file a directive takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Whole,
    Anchor(String),
    /// 1-based, inclusive line numbers, as mdBook reads them.
    Lines {
        start: Option<usize>,
        end: Option<usize>,
    },
}

/// One `{{#include ...}}` found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Byte range of the whole `{{#include ...}}` in the text.
    pub span: Range<usize>,
    /// 1-based line of the directive in the text, for messages.
    pub line: usize,
    /// The path as written (relative to the including file's directory).
    pub path: PathBuf,
    pub part: Part,
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{#include {}", self.path.display())?;
        match &self.part {
            Part::Whole => {}
            Part::Anchor(name) => write!(f, ":{name}")?,
            Part::Lines { start, end } => {
                let show = |n: &Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
                write!(f, ":{}:{}", show(start), show(end))?
            }
        }
        write!(f, "}}}}")
    }
}

/// Finds every unescaped `{{#include ...}}` (and `{{#rustdoc_include ...}}`,
/// which takes the same argument) in `text`. `\{{#include ...}}` is mdBook's
/// escape for showing the directive itself and is skipped.
pub fn find(text: &str) -> Vec<Directive> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("{{") {
        let start = from + rel;
        from = start + 2;
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            continue;
        }
        let Some(close) = text[start..].find("}}") else {
            break;
        };
        let inner = text[start + 2..start + close].trim();
        let Some(rest) = inner.strip_prefix('#') else {
            continue;
        };
        let (kind, arg) = match rest.split_once(char::is_whitespace) {
            Some((kind, arg)) => (kind, arg.trim()),
            None => (rest, ""),
        };
        if kind != "include" && kind != "rustdoc_include" {
            continue;
        }
        let line = text[..start].matches('\n').count() + 1;
        found.push(Directive {
            span: start..start + close + 2,
            line,
            ..parse_argument(arg)
        });
        from = start + close + 2;
    }
    found
}

fn parse_argument(arg: &str) -> Directive {
    let mut pieces = arg.splitn(3, ':');
    let path = PathBuf::from(pieces.next().unwrap_or_default().trim());
    let first = pieces.next().map(str::trim);
    let second = pieces.next().map(str::trim);
    let number = |s: &str| s.parse::<usize>().ok();
    let part = match (first, second) {
        (None, _) => Part::Whole,
        (Some(a), None) if !a.is_empty() && number(a).is_none() => Part::Anchor(a.to_string()),
        // `path:7` is the single line 7, as in mdBook.
        (Some(a), None) => Part::Lines {
            start: number(a),
            end: number(a),
        },
        (Some(a), Some(b)) => Part::Lines {
            start: number(a),
            end: number(b),
        },
    };
    Directive {
        span: 0..0,
        line: 0,
        path,
        part,
    }
}

/// What went wrong with a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    MissingFile(PathBuf),
    UnknownAnchor { file: PathBuf, anchor: String },
    UnclosedAnchor { file: PathBuf, anchor: String },
    BadRange { file: PathBuf, lines: usize },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingFile(p) => write!(f, "file {} does not exist", p.display()),
            Problem::UnknownAnchor { file, anchor } => write!(
                f,
                "anchor `{anchor}` not found in {} (no `ANCHOR: {anchor}` line)",
                file.display()
            ),
            Problem::UnclosedAnchor { file, anchor } => write!(
                f,
                "anchor `{anchor}` in {} has no `ANCHOR_END: {anchor}` line",
                file.display()
            ),
            Problem::BadRange { file, lines } => {
                write!(f, "line range outside {} ({lines} lines)", file.display())
            }
        }
    }
}

/// Reads the part of the file a directive names, relative to `base_dir`.
/// Anchor marker lines inside the result are dropped, as mdBook does.
pub fn resolve(base_dir: &Path, directive: &Directive) -> Result<String, Problem> {
    let file = base_dir.join(&directive.path);
    let text = std::fs::read_to_string(&file).map_err(|_| Problem::MissingFile(file.clone()))?;
    select(&text, &directive.part).map_err(|problem| match problem {
        Problem::UnknownAnchor { anchor, .. } => Problem::UnknownAnchor { file, anchor },
        Problem::UnclosedAnchor { anchor, .. } => Problem::UnclosedAnchor { file, anchor },
        Problem::BadRange { lines, .. } => Problem::BadRange { file, lines },
        other => other,
    })
}

/// Picks `part` out of `text` (the anchor/range logic of [`resolve`]).
pub fn select(text: &str, part: &Part) -> Result<String, Problem> {
    let lines: Vec<&str> = text.lines().collect();
    let picked: Vec<&str> = match part {
        Part::Whole => lines.clone(),
        Part::Lines { start, end } => {
            let first = start.unwrap_or(1).max(1);
            let last = end.unwrap_or(lines.len());
            if first > lines.len() || last > lines.len() || first > last {
                return Err(Problem::BadRange {
                    file: PathBuf::new(),
                    lines: lines.len(),
                });
            }
            lines[first - 1..last].to_vec()
        }
        Part::Anchor(name) => {
            let begin = lines
                .iter()
                .position(|l| anchor_name(l, "ANCHOR:") == Some(name.as_str()))
                .ok_or_else(|| Problem::UnknownAnchor {
                    file: PathBuf::new(),
                    anchor: name.clone(),
                })?;
            let end = lines[begin + 1..]
                .iter()
                .position(|l| anchor_name(l, "ANCHOR_END:") == Some(name.as_str()))
                .ok_or_else(|| Problem::UnclosedAnchor {
                    file: PathBuf::new(),
                    anchor: name.clone(),
                })?;
            lines[begin + 1..begin + 1 + end].to_vec()
        }
    };
    let kept: Vec<&str> = picked
        .into_iter()
        .filter(|l| anchor_name(l, "ANCHOR:").is_none() && anchor_name(l, "ANCHOR_END:").is_none())
        .collect();
    let mut out = kept.join("\n");
    if matches!(part, Part::Whole) && text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// The anchor name on an `ANCHOR:`/`ANCHOR_END:` marker line, if it is one.
pub fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let at = line.find(marker)?;
    let rest = line[at + marker.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Every anchor name defined in `text` (for messages listing what exists).
pub fn anchors(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| anchor_name(l, "ANCHOR:"))
        .map(str::to_string)
        .collect()
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
/// which only ever expands includes in our guide: ours dedents each excerpt
/// as the deck does ([`dedent`]) and gives a code block made of one include
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

/// `text` with its includes replaced by the dedented parts they name.
/// `base` is the page's folder on disk, `repo_dir` the same folder relative to
/// the repository root and `book_src` the guide's source folder (files under
/// it get no caption: they have no page in the appendix).
pub fn expand(text: &str, base: &Path, repo_dir: &Path, book_src: &Path) -> String {
    let directives = find(text);
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
        let Ok(part) = resolve(base, directive) else {
            continue;
        };
        out.push_str(&text[last..directive.span.start]);
        out.push_str(&dedent(&part));
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
    fn finds_directives_and_skips_escaped_ones() {
        let text = "x\n{{#include ../a.yaml:probes}}\n\\{{#include shown.rs}}\n{{#title T}}\n{{ #include b.rs:2:3 }}";
        let found = find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].path, PathBuf::from("../a.yaml"));
        assert_eq!(found[0].part, Part::Anchor("probes".into()));
        assert_eq!(found[0].line, 2);
        assert_eq!(
            &text[found[0].span.clone()],
            "{{#include ../a.yaml:probes}}"
        );
        assert_eq!(
            found[1].part,
            Part::Lines {
                start: Some(2),
                end: Some(3)
            }
        );
    }

    #[test]
    fn selects_anchors_without_marker_lines() {
        assert_eq!(
            select(FILE, &Part::Anchor("probes".into())).unwrap(),
            "b\nc"
        );
        assert_eq!(select(FILE, &Part::Anchor("inner".into())).unwrap(), "c");
    }

    #[test]
    fn unknown_or_unclosed_anchor_and_bad_range_are_errors() {
        assert!(matches!(
            select(FILE, &Part::Anchor("nope".into())),
            Err(Problem::UnknownAnchor { .. })
        ));
        assert!(matches!(
            select("# ANCHOR: open\nx\n", &Part::Anchor("open".into())),
            Err(Problem::UnclosedAnchor { .. })
        ));
        let range = Part::Lines {
            start: Some(20),
            end: None,
        };
        assert!(matches!(
            select(FILE, &range),
            Err(Problem::BadRange { .. })
        ));
    }

    #[test]
    fn line_ranges_are_one_based_and_inclusive() {
        let text = "1\n2\n3\n4\n";
        let part = |s, e| Part::Lines { start: s, end: e };
        assert_eq!(select(text, &part(Some(2), Some(3))).unwrap(), "2\n3");
        assert_eq!(select(text, &part(Some(3), None)).unwrap(), "3\n4");
        assert_eq!(select(text, &part(None, Some(1))).unwrap(), "1");
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

    #[test]
    fn missing_file_is_reported_with_its_path() {
        let d = &find("{{#include nowhere.yaml}}")[0];
        let err = resolve(Path::new("/nonexistent-dir"), d).unwrap_err();
        assert!(err.to_string().contains("nowhere.yaml"), "{err}");
    }
}
