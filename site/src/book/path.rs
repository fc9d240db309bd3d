//! The `path` preprocessor: the weekend path through the guide.
//!
//! Every chapter says where it stands in a ```` ```chapter ```` fence right
//! after its `# Title`, holding TOML:
//!
//! ```toml
//! path = "core"        # "core" (the weekend path) or "deeper" (going deeper)
//! doing = 20           # minutes at the keyboard for its Try it and exercises
//! you-can = ["scale the app with `make scale N=3`", "..."]   # 1 to 4 outcomes
//! ```
//!
//! The fence becomes a box under the title ("Weekend path · 12 min reading ·
//! 20 min doing", then "After this chapter you can:" and the list). The
//! reading time is counted from the page as built (includes expanded), see
//! [`Reading`]. The core chapters are what the sidebar marks ([`mark_sidebar`],
//! after the build) and what the landing page lists in place of
//! [`LANDING_MARKER`]. A malformed block, or a chapter page without one, fails
//! the build with `docs/page.md:LINE: message`.

use crate::markdown::md_links;
use crate::markdown::repo_links;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The info string of the chapter fence.
const FENCE: &str = "chapter";
/// Folders whose every page must have a chapter block, and single pages.
const REQUIRED_DIRS: &[&str] = &["walkthrough", "under-the-hood"];
const REQUIRED_PAGES: &[&str] = &["what-we-learned.md"];
/// Most outcomes a block may list.
const MAX_OUTCOMES: usize = 4;
/// Replaced on any page by the weekend path: the core chapters in order with
/// their times. An HTML comment, so the page still reads well unbuilt.
pub const LANDING_MARKER: &str = "<!-- site: weekend-path -->";

/// Whether a page under [`REQUIRED_DIRS`] (or one of [`REQUIRED_PAGES`])
/// without a block fails the build.
pub const REQUIRE_BLOCKS: bool = true;

/// Reading speeds of [`Reading::minutes`]. Prose at 200 words a minute (the
/// usual figure for technical text read with care; skimming is faster).
const PROSE_WORDS_PER_MINUTE: f64 = 200.0;
/// Code and outputs are looked over, not read word by word: 20 lines a minute
/// (3 s a line). The prose around each block explains the lines that matter.
const CODE_LINES_PER_MINUTE: f64 = 20.0;
/// A diagram is worth half a minute of looking (the landing page promises
/// each one is worth a minute of the reader's time: half of it is reading
/// the prose that explains it, already counted).
const MINUTES_PER_DIAGRAM: f64 = 0.5;

/// The block as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Block {
    path: Track,
    doing: u32,
    #[serde(rename = "you-can")]
    you_can: Vec<String>,
}

/// Which path a chapter is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Track {
    Core,
    Deeper,
}

impl Track {
    fn label(self) -> &'static str {
        match self {
            Track::Core => "Weekend path",
            Track::Deeper => "Going deeper",
        }
    }
}

/// A chapter's place on the path, as the build found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub name: String,
    /// The page as mdBook names it (`walkthrough/scaling.md`, `index.md`).
    pub page: PathBuf,
    pub track: Track,
    pub reading: u32,
    pub doing: u32,
}

/// The preprocessor. `core` receives the core chapters' pages (`.md`,
/// site-relative), in book order, for [`mark_sidebar`] after the build.
#[derive(Default, Clone)]
pub struct WeekendPath {
    pub core: Arc<Mutex<Vec<PathBuf>>>,
}

impl Preprocessor for WeekendPath {
    fn name(&self) -> &str {
        "path"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let src = ctx.config.book.src.clone();
        let src_dir = ctx.root.join(&src);
        let mut problems = Vec::new();
        let mut headers: BTreeMap<PathBuf, (Block, String)> = BTreeMap::new();
        for item in book.iter() {
            let BookItem::Chapter(chapter) = item else {
                continue;
            };
            let (Some(source), Some(page)) = (&chapter.source_path, &chapter.path) else {
                continue;
            };
            let shown = src.join(source).display().to_string();
            let text = match std::fs::read_to_string(src_dir.join(source)) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(format!("{shown}: cannot read the page ({e})."));
                    continue;
                }
            };
            match read_block(&text) {
                Ok(Some(block)) => {
                    headers.insert(page.clone(), (block, shown));
                }
                Ok(None) if REQUIRE_BLOCKS && required(source) => problems.push(format!(
                    "{shown}:1: no ```chapter block after the title; every page under {}/ \
                     (and {}) needs one (path, doing, you-can).",
                    REQUIRED_DIRS.join("/ and "),
                    REQUIRED_PAGES.join(", "),
                )),
                Ok(None) => {}
                Err((line, message)) => problems.push(format!("{shown}:{line}: {message}")),
            }
        }
        if !problems.is_empty() {
            return Err(Error::msg(format!(
                "{} page(s) with a chapter block problem:\n  {}",
                problems.len(),
                problems.join("\n  ")
            )));
        }
        let mut stops = Vec::new();
        book.for_each_chapter_mut(|chapter| {
            let Some(page) = chapter.path.clone() else {
                return;
            };
            let Some((block, _)) = headers.get(&page) else {
                return;
            };
            let reading = render_header(chapter, block);
            stops.push(Stop {
                name: chapter.name.clone(),
                page,
                track: block.path,
                reading,
                doing: block.doing,
            });
        });
        book.for_each_chapter_mut(|chapter| {
            if chapter.content.contains(LANDING_MARKER) {
                let dir = super::page_dir(chapter);
                chapter.content = chapter
                    .content
                    .replace(LANDING_MARKER, &landing_list(&stops, &dir));
            }
        });
        if let Ok(mut core) = self.core.lock() {
            *core = stops
                .iter()
                .filter(|s| s.track == Track::Core)
                .map(|s| s.page.clone())
                .collect();
        }
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// Whether the page (relative to the book's source) must have a block.
fn required(source: &Path) -> bool {
    REQUIRED_PAGES.iter().any(|p| source == Path::new(p))
        || REQUIRED_DIRS.iter().any(|d| source.starts_with(d))
}

/// A fenced block whose info string's first word is `chapter`.
fn is_chapter_fence(tag: &Tag) -> bool {
    matches!(tag, Tag::CodeBlock(kind) if md_links::code_lang(kind) == FENCE)
}

/// The chapter block of a page as written on disk, or `(line, message)`.
fn read_block(text: &str) -> std::result::Result<Option<Block>, (usize, String)> {
    let (fence, after_title) = find_fence(text);
    let Some((range, body)) = fence else {
        return Ok(None);
    };
    let line = kit_formats::markdown::line_of(text, range.start);
    if !after_title {
        return Err((
            line,
            "the ```chapter block must come right after the page's `# Title` line, \
             before any other text."
                .to_string(),
        ));
    }
    let body_line = line + 1;
    let block: Block = toml::from_str(&body).map_err(|e| {
        let message = e.message().trim().replace('\n', "; ");
        // A missing key is reported for the whole block: point at its fence.
        let at = e
            .span()
            .filter(|_| !message.starts_with("missing field"))
            .map_or(line, |s| body_line + body[..s.start].matches('\n').count());
        (at, format!("chapter block: {message}."))
    })?;
    let you_can_line = body
        .find("you-can")
        .map_or(line, |at| body_line + body[..at].matches('\n').count());
    if block.you_can.is_empty() || block.you_can.len() > MAX_OUTCOMES {
        return Err((
            you_can_line,
            format!(
                "chapter block: `you-can` lists {} outcome(s); give 1 to {MAX_OUTCOMES}, \
                 each completing \"After this chapter you can …\".",
                block.you_can.len()
            ),
        ));
    }
    if block.you_can.iter().any(|o| o.trim().is_empty()) {
        return Err((
            you_can_line,
            "chapter block: an outcome in `you-can` is empty.".to_string(),
        ));
    }
    Ok(Some(block))
}

/// The first chapter fence of `text` (its range and content) and whether it
/// is the first block after the page's first `# Title`.
fn find_fence(text: &str) -> (Option<(Range<usize>, String)>, bool) {
    let mut depth = 0usize;
    // The top-level blocks seen since the title: None before the title.
    let mut since_title: Option<usize> = None;
    let mut found: Option<(Range<usize>, String, bool)> = None;
    let mut in_fence = false;
    for (event, range) in Parser::new_ext(text, md_links::options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    if let Some(n) = since_title.as_mut() {
                        *n += 1;
                    }
                    if let Tag::Heading { level, .. } = &tag
                        && *level == pulldown_cmark::HeadingLevel::H1
                        && since_title.is_none()
                    {
                        since_title = Some(0);
                    }
                }
                if found.is_none() && is_chapter_fence(&tag) {
                    let first = depth == 0 && since_title == Some(1);
                    found = Some((range, String::new(), first));
                    in_fence = true;
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if in_fence && matches!(end, TagEnd::CodeBlock) {
                    in_fence = false;
                }
            }
            Event::Text(t) if in_fence => {
                if let Some(f) = found.as_mut() {
                    f.1.push_str(&t);
                }
            }
            // A top-level HTML block or rule counts as a block too.
            Event::Html(_) | Event::Rule if depth == 0 => {
                if let Some(n) = since_title.as_mut() {
                    *n += 1;
                }
            }
            _ => {}
        }
    }
    match found {
        Some((range, body, first)) => (Some((range, body)), first),
        None => (None, false),
    }
}

/// What a page asks of its reader, counted from its Markdown as built
/// (includes expanded, the chapter block and the self-check left out).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Reading {
    /// Words of prose: paragraphs, lists, tables, headings, inline code.
    pub words: usize,
    /// Lines of code blocks: commands, outputs, included manifests and code.
    pub code_lines: usize,
    /// Diagrams (```mermaid fences).
    pub diagrams: usize,
}

impl Reading {
    /// Counts a page. Raw HTML is not counted; the ```chapter block and the
    /// ```quiz self-check are not either (answering takes as long as the
    /// reader wants, and it comes after the reading).
    pub fn of(markdown: &str) -> Reading {
        let mut reading = Reading::default();
        let mut block: Option<String> = None;
        for event in Parser::new_ext(markdown, md_links::options()) {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = md_links::code_lang(&kind);
                    if lang == "mermaid" {
                        reading.diagrams += 1;
                    }
                    block = Some(lang);
                }
                Event::End(TagEnd::CodeBlock) => block = None,
                Event::Text(t) => match block.as_deref() {
                    None => reading.words += words(&t),
                    Some("mermaid" | "quiz" | FENCE) => {}
                    Some(_) => reading.code_lines += t.lines().count(),
                },
                Event::Code(t) => reading.words += words(&t).max(1),
                _ => {}
            }
        }
        reading
    }

    /// Minutes, unrounded.
    pub fn minutes(&self) -> f64 {
        self.words as f64 / PROSE_WORDS_PER_MINUTE
            + self.code_lines as f64 / CODE_LINES_PER_MINUTE
            + self.diagrams as f64 * MINUTES_PER_DIAGRAM
    }

    /// Minutes as shown: at least 1; to the minute under a quarter of an
    /// hour, to 5 minutes above (a reader's pace varies more than that).
    pub fn rounded(&self) -> u32 {
        round_minutes(self.minutes())
    }
}

pub fn round_minutes(minutes: f64) -> u32 {
    if minutes < 14.5 {
        (minutes.round() as u32).max(1)
    } else {
        ((minutes / 5.0).round() as u32) * 5
    }
}

/// Words: whitespace-separated tokens with a letter or digit (not `·`, `→`).
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Replaces the chapter's fence with its header box; returns the reading
/// minutes counted.
fn render_header(chapter: &mut Chapter, block: &Block) -> u32 {
    let Some(range) = Parser::new_ext(&chapter.content, md_links::options())
        .into_offset_iter()
        .find_map(|(e, r)| matches!(&e, Event::Start(t) if is_chapter_fence(t)).then_some(r))
    else {
        return Reading::of(&chapter.content).rounded();
    };
    let reading = Reading::of(&chapter.content).rounded();
    let html = header_html(block, reading);
    chapter.content.replace_range(range, &format!("{html}\n\n"));
    reading
}

fn header_html(block: &Block, reading: u32) -> String {
    let mark = match block.path {
        Track::Core => "<span class=\"path-mark\" aria-hidden=\"true\"></span>",
        Track::Deeper => "",
    };
    let doing = if block.doing == 0 {
        "nothing to run".to_string()
    } else {
        format!("{} doing", duration(block.doing))
    };
    let outcomes: String = block
        .you_can
        .iter()
        .map(|o| format!("<li>{}</li>", inline_html(o)))
        .collect();
    // One HTML block (no blank line inside), so mdBook keeps it as written.
    format!(
        "<div class=\"chapter-header path-{track}\">\
         <p class=\"chapter-times\"><span>{mark}<strong>{label}</strong></span> · \
         <span>{reading} reading</span> · <span>{doing}</span></p>\
         <p class=\"chapter-outcomes-intro\">After this chapter you can:</p>\
         <ul class=\"chapter-outcomes\">{outcomes}</ul></div>",
        track = match block.path {
            Track::Core => "core",
            Track::Deeper => "deeper",
        },
        label = block.path.label(),
        reading = duration(reading),
    )
}

/// Inline Markdown as HTML without the paragraph around it, with mdBook's
/// smart punctuation (`smart-punctuation = true` in book.toml).
fn inline_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        md_links::options() | Options::ENABLE_SMART_PUNCTUATION,
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    let html = html.trim();
    let html = html.strip_prefix("<p>").unwrap_or(html);
    html.strip_suffix("</p>").unwrap_or(html).to_string()
}

/// `12 min`, `1 h`, `2 h 35 min`.
pub fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The landing page's list: the core chapters in order with their times,
/// split into a Saturday and a Sunday of about the same length, and the total.
/// `dir` is the folder of the page it goes on (for relative links).
pub fn landing_list(stops: &[Stop], dir: &Path) -> String {
    let core: Vec<&Stop> = stops.iter().filter(|s| s.track == Track::Core).collect();
    if core.is_empty() {
        return String::new();
    }
    let time = |s: &&Stop| s.reading + s.doing;
    let total: u32 = core.iter().map(time).sum();
    // The split that makes the two days most even, the order kept.
    let split = (1..core.len())
        .min_by_key(|&k| {
            let first: u32 = core[..k].iter().map(time).sum();
            first.abs_diff(total - first)
        })
        .unwrap_or(core.len());
    let days: Vec<(&str, &[&Stop])> = if core.len() < 4 {
        vec![("", &core[..])]
    } else {
        vec![("Saturday", &core[..split]), ("Sunday", &core[split..])]
    };
    let mut out = String::from("<div class=\"weekend-path\">\n\n");
    let mut n = 1;
    for (day, stops) in days {
        if !day.is_empty() {
            let minutes: u32 = stops.iter().map(time).sum();
            out.push_str(&format!("**{day}**, about {}:\n\n", about(minutes)));
        }
        for stop in stops {
            let link = repo_links::relative_to(dir, &stop.page);
            let doing = if stop.doing == 0 {
                String::new()
            } else {
                format!(" · <span>{} doing</span>", duration(stop.doing))
            };
            out.push_str(&format!(
                "{n}. [{}]({link}): <span>{} reading</span>{doing}\n",
                stop.name,
                duration(stop.reading)
            ));
            n += 1;
        }
        out.push('\n');
    }
    let reading: u32 = core.iter().map(|s| s.reading).sum();
    let doing: u32 = core.iter().map(|s| s.doing).sum();
    out.push_str(&format!(
        "In all about {}: {} of reading and {} at the keyboard. Reading times are counted from \
         each page (prose at {PROSE_WORDS_PER_MINUTE} words a minute, code at \
         {CODE_LINES_PER_MINUTE} lines a minute); doing is the chapter's Try it and exercises on a \
         cluster that is already up.\n\n</div>\n",
        about(total),
        about(reading),
        about(doing)
    ));
    out
}

/// A total, rounded as a chapter's reading time is.
fn about(minutes: u32) -> String {
    duration(round_minutes(f64::from(minutes)))
}

/// Marks the core chapters in the built sidebar (`toc.html` and mdBook's
/// `toc-*.js`, which holds the same list): a marker drawn by CSS (a shape,
/// not a colour) and text a screen reader reads, and a legend above the
/// list. `core` are the chapters' pages as mdBook names them (`.md`).
pub fn mark_sidebar(dir: &Path, core: &[PathBuf]) -> std::io::Result<()> {
    let hrefs: Vec<String> = core
        .iter()
        .map(|p| repo_links::chapter_html(p).display().to_string())
        .collect();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "toc.html" || (name.starts_with("toc-") && name.ends_with(".js")) {
            let text = std::fs::read_to_string(entry.path())?;
            std::fs::write(entry.path(), mark_core(&text, &hrefs))?;
        }
    }
    Ok(())
}

/// The marker put inside each core chapter's sidebar link (no single quote:
/// `toc.js` holds the list in a single-quoted string).
pub const SIDEBAR_MARK: &str = "<span class=\"path-mark\" title=\"Weekend path\" aria-hidden=\"true\"></span><span class=\"visually-hidden\"> (weekend path)</span>";
const LEGEND: &str = "<li class=\"path-legend\"><span class=\"path-mark\" aria-hidden=\"true\"></span><span class=\"visually-hidden\">A dot after a title</span> marks the weekend path</li>";

fn mark_core(text: &str, hrefs: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + hrefs.len() * SIDEBAR_MARK.len());
    let mut rest = text;
    while let Some(at) = rest.find("<a href=\"") {
        let start = at + "<a href=\"".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(quote) = rest.find('"') else {
            break;
        };
        let href = &rest[..quote];
        if hrefs.iter().any(|h| h == href)
            && let Some(close) = rest.find("</a>")
        {
            out.push_str(&rest[..close]);
            out.push_str(SIDEBAR_MARK);
            rest = &rest[close..];
        }
    }
    out.push_str(rest);
    if hrefs.is_empty() {
        return out;
    }
    out.replacen(
        "<ol class=\"chapter\">",
        &format!("<ol class=\"chapter\">{LEGEND}"),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> std::result::Result<Option<Block>, (usize, String)> {
        read_block(text)
    }

    #[test]
    fn a_block_right_after_the_title_is_read() {
        let page = "# Scaling\n\n```chapter\npath = \"core\"\ndoing = 20\nyou-can = [\"scale it\", \"say why\"]\n```\n\nText.\n";
        let b = block(page).unwrap().unwrap();
        assert_eq!(b.path, Track::Core);
        assert_eq!(b.doing, 20);
        assert_eq!(b.you_can.len(), 2);
    }

    #[test]
    fn problems_name_their_line() {
        let unknown =
            "# T\n\n```chapter\npath = \"core\"\ndoing = 1\nyou-can = [\"a\"]\ntime = 3\n```\n";
        let (line, msg) = block(unknown).unwrap_err();
        assert_eq!(line, 7, "{msg}");
        assert!(msg.contains("unknown field `time`"), "{msg}");
        let missing = "# T\n\n```chapter\npath = \"core\"\nyou-can = [\"a\"]\n```\n";
        let (line, msg) = block(missing).unwrap_err();
        assert_eq!(line, 3, "{msg}");
        assert!(msg.contains("missing field `doing`"), "{msg}");
        let late =
            "# T\n\nIntro.\n\n```chapter\npath = \"core\"\ndoing = 1\nyou-can = [\"a\"]\n```\n";
        let (line, msg) = block(late).unwrap_err();
        assert_eq!(line, 5, "{msg}");
        assert!(msg.contains("right after"), "{msg}");
    }

    #[test]
    fn reading_counts_prose_code_and_diagrams_apart() {
        let page = "# T\n\nOne two three four.\n\n```yaml\na: 1\nb: 2\n```\n\n```mermaid\nflowchart LR\n a-->b\n```\n\n```quiz\n[[question]]\nprompt = \"many words here\"\n```\n";
        let r = Reading::of(page);
        assert_eq!(
            r,
            Reading {
                words: 5,
                code_lines: 2,
                diagrams: 1
            }
        );
    }

    #[test]
    fn minutes_are_rounded_to_the_minute_then_to_five() {
        assert_eq!(round_minutes(0.2), 1);
        assert_eq!(round_minutes(7.4), 7);
        assert_eq!(round_minutes(16.0), 15);
        assert_eq!(round_minutes(18.0), 20);
        assert_eq!(duration(95), "1 h 35 min");
    }

    #[test]
    fn the_sidebar_marks_only_core_links() {
        let toc = r#"<ol class="chapter"><li><a href="a.html"><strong aria-hidden="true">1.</strong> A</a></li><li><a href="b.html">B</a></li></ol>"#;
        let out = mark_core(toc, &["a.html".to_string()]);
        assert_eq!(out.matches("(weekend path)").count(), 1, "{out}");
        assert!(out.contains(&format!("A{SIDEBAR_MARK}</a>")), "{out}");
        assert!(out.contains("path-legend"));
    }
}
