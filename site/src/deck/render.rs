//! Turns parsed slides into the deck's HTML: includes real files, renders
//! Markdown (pulldown-cmark), draws mermaid fences as SVG (`crate::diagrams`), rewrites
//! repository links to the built site, and fills `slides/templates/deck.html`
//! (tera). Code is highlighted in the browser by the guide's own highlight.js
//! (same colours as the guide, nothing more to download), fetched by deck.js
//! once the first slide has painted (`site/assets/after-first-paint.js`).

use super::parse::{Deck, Layout, Piece, Region, Slide};
use crate::book::includes;
use crate::diagrams::{self, Place, Stylesheet};
use crate::markdown::{md_links, repo_links};
use anyhow::{Context as _, Result, anyhow, bail};
use kit_formats::include;
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where the deck lives, relative to the repository root, and where it is built.
pub const DECK_DIR: &str = "slides";

/// What the deck needs from the rest of the site.
pub struct Context<'a> {
    /// The repository root.
    pub root: &'a Path,
    /// The guide's source folder, relative to the root (`docs`).
    pub book_src: &'a Path,
}

/// A rendered deck, ready to be written next to the built guide.
pub struct Rendered {
    title: String,
    /// The talk's planned length in minutes (front matter `duration:`).
    duration_minutes: Option<u32>,
    slides: Vec<SlideView>,
    /// The styles of the deck's diagrams, inlined in the page.
    diagrams: Stylesheet,
    /// Repository files the deck links to: the guide's source appendix must show them.
    pub linked_sources: BTreeSet<PathBuf>,
    /// Files under `slides/` the deck uses (images), copied next to it.
    pub assets: BTreeSet<PathBuf>,
}

#[derive(Serialize)]
struct SlideView {
    number: usize,
    layout: &'static str,
    classes: String,
    /// Skipped by the talk unless the presenter includes optional slides.
    optional: bool,
    steps: usize,
    body: String,
    notes: String,
}

struct Links<'a> {
    cx: &'a Context<'a>,
    sources: BTreeSet<PathBuf>,
    assets: BTreeSet<PathBuf>,
}

/// Files of the built guide the deck page uses, relative to the deck.
pub struct SharedAssets {
    /// The diagram font, relative to the deck.
    pub diagram_font: String,
    /// The guide's highlight.js, relative to the deck: named in a `data-`
    /// attribute, not a `<script>` tag, so deck.js fetches it after the first paint.
    pub highlight_js: Option<String>,
    /// The guide's code colours (1.4 KB), inlined: a stylesheet link would
    /// hold the first paint for one more request on a slow network.
    pub highlight_css: Option<String>,
    pub favicon: Option<String>,
    pub guide: String,
}

pub fn render(cx: &Context<'_>, deck: &Deck) -> Result<Rendered> {
    let mut links = Links {
        cx,
        sources: BTreeSet::new(),
        assets: BTreeSet::new(),
    };
    let mut slides = Vec::new();
    let mut drawn = DeckDiagrams::default();
    for slide in &deck.slides {
        let body = render_body(&mut links, slide, &mut drawn)?;
        let notes = if slide.notes.trim().is_empty() {
            String::new()
        } else {
            let piece = Piece {
                region: Region::Main,
                step: 0,
                markdown: slide.notes.clone(),
                line: slide.notes_line,
            };
            markdown_html(&mut links, slide, &piece, &mut drawn)?
        };
        slides.push(SlideView {
            number: slide.number,
            layout: slide.layout.name(),
            classes: slide.classes.join(" "),
            optional: slide.optional,
            steps: slide.steps,
            body,
            notes,
        });
    }
    let title = deck
        .title
        .clone()
        .or_else(|| first_heading(&deck.slides[0]))
        .unwrap_or_else(|| "Slides".to_string());

    Ok(Rendered {
        title,
        duration_minutes: deck.duration_minutes,
        slides,
        diagrams: drawn.styles,
        linked_sources: links.sources,
        assets: links.assets,
    })
}

impl Rendered {
    /// The deck's page, from the templates in `templates` (`deck.html`,
    /// with `deck.css` and `deck.js` inlined).
    pub fn page(&self, templates: &Path, shared: &SharedAssets) -> Result<String> {
        let read = |name: &str| {
            let path = templates.join(name);
            std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
        };
        let mut tera = tera::Tera::default();
        tera.add_raw_template("deck.html", &read("deck.html")?)
            .map_err(|e| anyhow!("slides/templates/deck.html: {e:?}"))?;
        let mut vars = tera::Context::new();
        vars.insert("title", &self.title);
        vars.insert("duration_minutes", &self.duration_minutes);
        vars.insert("slides", &self.slides);
        vars.insert("css", &compact_css(&read("deck.css")?));
        vars.insert(
            "js",
            &compact_js(&format!(
                "{}\n{}",
                crate::assets::AFTER_FIRST_PAINT,
                read("deck.js")?
            )),
        );
        let diagram_css = if self.diagrams.is_empty() {
            String::new()
        } else {
            self.diagrams.css(&shared.diagram_font)
        };
        vars.insert("diagram_css", &diagram_css);
        vars.insert("highlight_js", &shared.highlight_js);
        vars.insert("highlight_css", &shared.highlight_css);
        vars.insert("favicon", &shared.favicon);
        vars.insert("guide_href", &shared.guide);
        tera.render("deck.html", &vars)
            .map_err(|e| anyhow!("rendering slides/templates/deck.html: {e:?}"))
    }
}

/// The deck's script as inlined: without its comment lines, indentation and
/// blank lines. The page carries the whole deck (its size budget is in
/// `site/src/bin/site-bench.rs`); the commented source is in `slides/templates/`.
/// Only whole-line `//` comments go: a `//` after code stays. Hand-written
/// rather than a minifier crate: this is all the deck needs, and every crate the
/// site adds is compiled by a reader's first `make docs`.
fn compact_js(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    for line in js.lines().map(str::trim) {
        if !line.is_empty() && !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The deck's stylesheet as inlined: without `/* */` comments, indentation
/// and blank lines (see [`compact_js`]).
fn compact_css(css: &str) -> String {
    let mut bare = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        bare.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    bare.push_str(rest);
    compact_js(&bare)
}

/// The slide's first heading, without its `#`s.
fn slide_title(slide: &Slide) -> Option<String> {
    slide.pieces.iter().find_map(|p| {
        p.markdown.lines().find_map(|l| {
            l.trim_start()
                .strip_prefix('#')
                .map(|t| t.trim_start_matches('#').trim().to_string())
        })
    })
}

fn first_heading(slide: &Slide) -> Option<String> {
    slide.pieces.iter().find_map(|p| {
        p.markdown
            .lines()
            .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()))
    })
}

/// The deck's diagrams so far: their styles and how many (for unique ids).
#[derive(Default)]
struct DeckDiagrams {
    styles: Stylesheet,
    count: usize,
}

fn render_body(links: &mut Links<'_>, slide: &Slide, mermaid: &mut DeckDiagrams) -> Result<String> {
    let mut region_html = |region: Region, links: &mut Links<'_>| -> Result<String> {
        let mut out = String::new();
        for piece in slide.pieces.iter().filter(|p| p.region == region) {
            let html = markdown_html(links, slide, piece, mermaid)?;
            if piece.step == 0 {
                out.push_str(&html);
            } else {
                out.push_str(&format!(
                    "<div class=\"step\" data-step=\"{}\">{html}</div>",
                    piece.step
                ));
            }
        }
        Ok(out)
    };
    let main = region_html(Region::Main, links)?;
    if slide.layout != Layout::TwoCols {
        return Ok(main);
    }
    let left = region_html(Region::Left, links)?;
    let right = region_html(Region::Right, links)?;
    Ok(format!(
        "<div class=\"cols-head\">{main}</div><div class=\"cols\"><div class=\"col col-left\">{left}</div><div class=\"col col-right\">{right}</div></div>"
    ))
}

/// Expands includes (relative to `slides/`), then renders Markdown.
fn markdown_html(
    links: &mut Links<'_>,
    slide: &Slide,
    piece: &Piece,
    mermaid: &mut DeckDiagrams,
) -> Result<String> {
    let place = |line: usize| format!("slide {} (deck.md line {line})", slide.number);
    let base = links.cx.root.join(DECK_DIR);
    let mut text = String::new();
    let mut last = 0;
    for directive in include::find(&piece.markdown) {
        let included = include::resolve(&base, &directive).map_err(|p| {
            anyhow!(
                "{}: {directive}: {p}",
                place(piece.line + directive.line - 1)
            )
        })?;
        text.push_str(&piece.markdown[last..directive.span.start]);
        // Slides are narrow: a part of a nested manifest starts at the left
        // margin (its own indentation is kept), without marker lines.
        text.push_str(&includes::excerpt(&included));
        last = directive.span.end;
    }
    text.push_str(&piece.markdown[last..]);
    // `\{{#include ...}}` shows the directive itself.
    let text = text.replace("\\{{#", "{{#");

    let mut events = Vec::new();
    let mut code: Option<(String, String, usize)> = None;
    // The text of the last heading and paragraph: a diagram's accessible name.
    let mut intro = String::new();
    let mut in_text = false;
    for (event, span) in Parser::new_ext(&text, md_links::options()).into_offset_iter() {
        let line = piece.line + text[..span.start].matches('\n').count();
        match &event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) => {
                intro.clear();
                in_text = true;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => in_text = false,
            Event::Text(t) | Event::Code(t) if in_text => intro.push_str(t),
            _ => {}
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = md_links::code_lang(&kind);
                code = Some((lang, String::new(), line));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, body, _)) = code.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, body, fence_line) = code.take().unwrap_or_default();
                let html = if lang == "mermaid" {
                    mermaid.count += 1;
                    let id = format!("dg{}", mermaid.count);
                    let drawn = diagrams::draw(&body, &id).map_err(|e| {
                        anyhow!("{}: diagram: {}", place(fence_line + e.line), e.message)
                    })?;
                    let intro = Some(intro.as_str()).filter(|t| !t.is_empty());
                    let name = diagrams::label::name(&body, intro, slide_title(slide).as_deref());
                    format!(
                        "{}\n",
                        mermaid.styles.figure(&drawn, &id, &name, Place::Slide)
                    )
                } else {
                    highlight(&lang, &body)
                };
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = links
                    .link(&dest_url)
                    .map_err(|e| anyhow!("{}: link {dest_url}: {e}", place(line)))?;
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.map(CowStr::from).unwrap_or(dest_url),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = links
                    .image(&dest_url)
                    .map_err(|e| anyhow!("{}: image {dest_url}: {e}", place(line)))?;
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.map(CowStr::from).unwrap_or(dest_url),
                    title,
                    id,
                }));
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

impl Links<'_> {
    /// The built-site link for a link written as a repository path from
    /// `slides/`; `None` to keep it as written (URLs, `#fragments`).
    fn link(&mut self, dest: &str) -> Result<Option<String>> {
        let Some((path, fragment)) = repo_links::split_relative(dest) else {
            return Ok(None);
        };
        let repo_path = repo_links::join_repo(Path::new(DECK_DIR), path)
            .ok_or_else(|| anyhow!("climbs above the repository"))?;
        let on_disk = self.cx.root.join(&repo_path);
        if !on_disk.exists() {
            bail!("{} does not exist", repo_path.display());
        }
        let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        let site_path = if let Ok(page) = repo_path.strip_prefix(self.cx.book_src) {
            if page.extension().is_some_and(|e| e == "md") {
                repo_links::chapter_html(page)
            } else {
                page.to_path_buf()
            }
        } else if repo_path.starts_with(DECK_DIR) {
            self.assets.insert(repo_path.clone());
            return Ok(None);
        } else if on_disk.is_dir() {
            self.sources.insert(repo_path.clone());
            repo_links::source_dir_page(&repo_path).with_extension("html")
        } else {
            self.sources.insert(repo_path.clone());
            repo_links::source_page(&repo_path).with_extension("html")
        };
        Ok(Some(format!(
            "{}{frag}",
            repo_links::relative_to(Path::new(DECK_DIR), &site_path)
        )))
    }

    fn image(&mut self, dest: &str) -> Result<Option<String>> {
        let Some((path, _)) = repo_links::split_relative(dest) else {
            return Ok(None);
        };
        let repo_path = repo_links::join_repo(Path::new(DECK_DIR), path)
            .ok_or_else(|| anyhow!("climbs above the repository"))?;
        if !self.cx.root.join(&repo_path).is_file() {
            bail!("{} does not exist", repo_path.display());
        }
        if let Ok(in_book) = repo_path.strip_prefix(self.cx.book_src) {
            return Ok(Some(repo_links::relative_to(Path::new(DECK_DIR), in_book)));
        }
        if repo_path.starts_with(DECK_DIR) {
            self.assets.insert(repo_path);
            return Ok(None);
        }
        bail!("images must be under slides/ or docs/")
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A code block, marked with its language for highlight.js.
fn highlight(lang: &str, code: &str) -> String {
    let class = match lang {
        "" => String::new(),
        lang => format!(" class=\"language-{}\"", escape(lang)),
    };
    format!(
        "<pre class=\"code\"><code{class}>{}</code></pre>\n",
        escape(code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inlined_script_and_styles_lose_comments_not_code() {
        let js = "// a comment\n  var a = 1; // kept\n\n  /* inline */ f();\n";
        assert_eq!(compact_js(js), "var a = 1; // kept\n/* inline */ f();\n");
        let css = "/* one\n   two */\n.a { b: c; } /* x */\n\n  .d { e: url(\"//f\"); }\n";
        assert_eq!(compact_css(css), ".a { b: c; }\n.d { e: url(\"//f\"); }\n");
    }

    #[test]
    fn code_is_escaped_and_marked_with_its_language() {
        let plain = highlight("dockerfile", "FROM x <y>\n");
        assert!(plain.contains("FROM x &lt;y&gt;"), "{plain}");
        assert!(plain.contains("language-dockerfile"));
    }
}
