//! The `quiz` preprocessor: every ```` ```quiz ```` block (TOML, read by
//! `kit_formats::quiz`) becomes the self-check questions of its page, as HTML
//! written at build time; the Learning checklist's marker becomes the count
//! of every chapter's questions.
//!
//! Each question is a `<fieldset>` with its `<legend>` (the prompt), one
//! radio input (checkboxes with `multiple = true`) and `<label>` per option,
//! a Check and a Try again button, an empty feedback element per option and
//! a polite live region for the verdict, all filled by `assets/quiz.js`;
//! without JavaScript the answers and every option's why are in a
//! `<details>` under the question (the buttons stay hidden). A page with a
//! quiz loads `assets/quiz.js` after its first paint (`site/theme/index.hbs`
//! asks for it when the page has a `.quiz` or `.quiz-summary`).
//!
//! A block that breaks the format fails the build with `docs/page.md:LINE`:
//! bad TOML, an unknown key, a duplicate id anywhere in the guide, not
//! exactly one correct option (unless `multiple`), not 3 or 4 options, an
//! empty why, a block outside a `## Check yourself` section.

use super::sources_appendix;
use crate::markdown::repo_links;
use kit_formats::markdown::{CodeBlock, parser};
use kit_formats::quiz::{self, Question};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd, html};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The line a page writes where the build puts every chapter's count of
/// questions (the Learning checklist).
pub const SUMMARY_MARKER: &str = "<!-- quiz: summary -->";

pub struct Quiz;

/// A chapter's questions, for the checklist's count.
struct ChapterQuiz {
    name: String,
    /// Site path of the chapter (`walkthrough/scaling.md`).
    path: PathBuf,
    ids: Vec<String>,
}

/// Where the links of one page's quiz go: its folder in the repository and
/// in the built site.
struct Place<'a> {
    root: &'a Path,
    src: &'a Path,
    repo_dir: PathBuf,
    site_dir: PathBuf,
}

impl Preprocessor for Quiz {
    fn name(&self) -> &str {
        "quiz"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let root = ctx.root.clone();
        let src = ctx.config.book.src.clone();
        let mut problems = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut chapters: Vec<ChapterQuiz> = Vec::new();
        book.for_each_chapter_mut(|chapter| {
            let (Some(path), Some(source)) = (chapter.path.clone(), chapter.source_path.clone())
            else {
                return;
            };
            let page = src.join(&source).display().to_string();
            let on_disk = std::fs::read_to_string(root.join(&src).join(&source))
                .unwrap_or_else(|_| chapter.content.clone());
            let found = quiz_blocks(&on_disk);
            if found.is_empty() {
                return;
            }
            let place = Place {
                root: &root,
                src: &src,
                repo_dir: src.join(source.parent().unwrap_or(Path::new(""))),
                site_dir: path.parent().unwrap_or(Path::new("")).to_path_buf(),
            };
            let mut rendered = Vec::new();
            let mut ids = Vec::new();
            for block in &found {
                let at = |line: usize| format!("{page}:{}", block.code.body_line + line - 1);
                if !block.in_section {
                    problems.push(format!(
                        "{page}:{}: quiz: a quiz block belongs in the page's `## {}` section, at its end",
                        block.code.line,
                        quiz::SECTION
                    ));
                }
                let questions = match quiz::parse(&block.code.body) {
                    Ok(questions) => questions,
                    Err(p) => {
                        problems.push(format!("{}: {}", at(p.line), p.message));
                        rendered.push(String::new());
                        continue;
                    }
                };
                for p in quiz::problems(&questions) {
                    problems.push(format!("{}: {}", at(p.line), p.message));
                }
                for q in &questions {
                    if let Some(first) = seen.get(&q.id) {
                        problems.push(format!(
                            "{}: quiz: the id `{}` is already used at {first}; ids are unique in the guide (the browser remembers answers by them)",
                            at(q.line),
                            q.id
                        ));
                    } else {
                        seen.insert(q.id.clone(), at(q.line));
                    }
                    ids.push(q.id.clone());
                }
                rendered.push(render(&questions, &place));
            }
            // The page as mdBook has it now (includes expanded): its quiz
            // blocks, in the same order, replaced last to first.
            let mut content = chapter.content.clone();
            for (block, html) in quiz_blocks(&chapter.content).iter().zip(&rendered).rev() {
                content.replace_range(block.range.clone(), &format!("{html}\n"));
            }
            chapter.content = content;
            chapters.push(ChapterQuiz {
                name: chapter.name.clone(),
                path,
                ids,
            });
        });
        if !problems.is_empty() {
            return Err(Error::msg(format!(
                "{} problem(s) with the quiz blocks:\n  {}",
                problems.len(),
                problems.join("\n  ")
            )));
        }
        book.for_each_chapter_mut(|chapter| {
            if chapter.content.contains(SUMMARY_MARKER) {
                let dir = super::page_dir(chapter);
                chapter.content = chapter
                    .content
                    .replace(SUMMARY_MARKER, &summary(&chapters, &dir));
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// A quiz block of a page.
struct Block {
    code: CodeBlock,
    /// The whole block, fences included.
    range: Range<usize>,
    /// Under a level-2 heading `Check yourself`.
    in_section: bool,
}

/// The quiz blocks of `markdown`, in order, read as mdBook reads the page.
fn quiz_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut section = String::new();
    let mut heading: Option<(usize, String)> = None;
    for (event, span) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as usize, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take()
                    && level <= 2
                {
                    section = if level == 2 {
                        text.trim().to_owned()
                    } else {
                        String::new()
                    };
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let code = CodeBlock::opening(&kind, markdown, span.start);
                if matches!(kind, CodeBlockKind::Fenced(_)) && code.lang == quiz::LANG {
                    open = Some(Block {
                        code,
                        range: span,
                        in_section: section == quiz::SECTION,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                } else if let Some(block) = open.as_mut() {
                    block.code.body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// The anchor mdBook gives the section's heading.
fn section_anchor() -> String {
    quiz::SECTION.to_lowercase().replace(' ', "-")
}

/// Escapes text for an attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline Markdown as the guide renders it (mdBook's parser, its smart
/// punctuation), with the links the guide's pages get: a repository file
/// goes to its page in the source appendix, a README.md chapter to its
/// index, a `.md` page to its `.html`. A single paragraph loses its `<p>`
/// (`inline`: in a legend or a label, where only phrasing content goes;
/// several paragraphs are joined by line breaks there).
fn markdown(text: &str, place: &Place, inline: bool) -> String {
    let events = parser(text).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: link(place, &dest_url).into(),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    let out = out.trim();
    let out = if inline {
        out.strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
            .unwrap_or(out)
            .replace("</p>\n<p>", "<br><br>")
    } else {
        out.to_owned()
    };
    // One HTML block in the page's Markdown: no blank line may end it.
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a link written in a quiz goes in the built site.
fn link(place: &Place, dest: &str) -> String {
    let dest = match sources_appendix::link_target(place.root, place.src, &place.repo_dir, dest) {
        Some((target, _)) => repo_links::relative_to(&place.site_dir, &target),
        None => dest.to_owned(),
    };
    match repo_links::split_relative(&dest) {
        Some((path, fragment)) if path.ends_with(".md") => {
            let page = format!("{}.html", path.trim_end_matches(".md"));
            match fragment {
                Some(f) => format!("{page}#{f}"),
                None => page,
            }
        }
        _ => dest,
    }
}

/// One block's questions as HTML.
fn render(questions: &[Question], place: &Place) -> String {
    let mut out = String::from("<div class=\"quiz\">\n");
    let total = questions.len();
    for (n, q) in questions.iter().enumerate() {
        let id = escape(&q.id);
        let kind = if q.multiple { "checkbox" } else { "radio" };
        let multiple = if q.multiple { " data-multiple" } else { "" };
        out.push_str(&format!(
            "<fieldset class=\"quiz-question\" id=\"quiz-{id}\" data-quiz-id=\"{id}\"{multiple}>\n\
             <legend><span class=\"quiz-number\">Question {} of {total}{}.</span> {}</legend>\n\
             <div class=\"quiz-options\">\n",
            n + 1,
            if q.multiple {
                " (one or more answers)"
            } else {
                ""
            },
            markdown(&q.prompt, place, true)
        ));
        for (i, o) in q.options.iter().enumerate() {
            let input = format!("quiz-{id}-{}", i + 1);
            out.push_str(&format!(
                "<div class=\"quiz-option\"><input type=\"{kind}\" name=\"quiz-{id}\" id=\"{input}\" value=\"{}\"><label for=\"{input}\">{}</label><div class=\"quiz-feedback\" id=\"{input}-feedback\" hidden></div></div>\n",
                i + 1,
                markdown(&o.text, place, true)
            ));
        }
        out.push_str(
            "</div>\n<div class=\"quiz-actions\"><button type=\"button\" class=\"quiz-check\" hidden>Check</button><button type=\"button\" class=\"quiz-retry\" hidden>Try again</button></div>\n\
             <p class=\"quiz-verdict\" role=\"status\" aria-live=\"polite\"></p>\n\
             <details class=\"quiz-answers\"><summary>Answers, and why</summary>\n<ul>\n",
        );
        for o in &q.options {
            let (class, mark) = if o.correct {
                ("quiz-right", "Right")
            } else {
                ("quiz-wrong", "Wrong")
            };
            out.push_str(&format!(
                "<li class=\"{class}\" data-correct=\"{}\"><span class=\"quiz-mark\">{mark}:</span> <span class=\"quiz-text\">{}</span><div class=\"quiz-why\">{}</div></li>\n",
                o.correct,
                markdown(&o.text, place, true),
                markdown(&o.why, place, false)
            ));
        }
        out.push_str("</ul>\n</details>\n</fieldset>\n");
    }
    out.push_str("</div>");
    out
}

/// The Learning checklist's count: one row per chapter with questions (its
/// ids in `data-quiz-ids`, a link to its section), answered and right
/// filled in by `assets/quiz.js` from what this browser remembers.
fn summary(chapters: &[ChapterQuiz], dir: &Path) -> String {
    let total: usize = chapters.iter().map(|c| c.ids.len()).sum();
    let mut out = format!(
        "<div class=\"quiz-summary\">\n<p class=\"quiz-summary-total\" aria-live=\"polite\">{total} questions in {} chapters; answers are counted here as you check them.</p>\n\
         <table>\n<thead><tr><th scope=\"col\">Chapter</th><th scope=\"col\">Questions</th><th scope=\"col\">Answered</th><th scope=\"col\">Right</th></tr></thead>\n<tbody>\n",
        chapters.len()
    );
    for c in chapters {
        let page = repo_links::chapter_html(&c.path);
        let href = format!(
            "{}#{}",
            repo_links::relative_to(dir, &page),
            section_anchor()
        );
        out.push_str(&format!(
            "<tr data-quiz-ids=\"{}\"><td><a href=\"{}\">{}</a></td><td>{}</td><td class=\"quiz-answered\">–</td><td class=\"quiz-right-count\">–</td></tr>\n",
            escape(&c.ids.join(" ")),
            escape(&href),
            escape(&c.name),
            c.ids.len()
        ));
    }
    out.push_str(&format!(
        "</tbody>\n<tfoot><tr data-quiz-total><th scope=\"row\">All chapters</th><td>{total}</td><td class=\"quiz-answered\">–</td><td class=\"quiz-right-count\">–</td></tr></tfoot>\n</table>\n</div>"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_in_its_section_only_under_the_level_two_heading() {
        let page = "# T\n\n## Check yourself\n\n### More\n\n```quiz\na\n```\n\n## Next\n\n```quiz\nb\n```\n\n```quiz-like\n```\n";
        let found = quiz_blocks(page);
        assert_eq!(found.len(), 2);
        assert!(found[0].in_section && !found[1].in_section);
        assert_eq!(
            (found[0].code.body.as_str(), found[0].code.body_line),
            ("a\n", 8)
        );
    }

    #[test]
    fn links_go_where_the_guide_sends_them() {
        let root = Path::new("/nonexistent");
        let place = Place {
            root,
            src: Path::new("docs"),
            repo_dir: PathBuf::from("docs/walkthrough"),
            site_dir: PathBuf::from("walkthrough"),
        };
        assert_eq!(link(&place, "scaling.md#try-it"), "scaling.html#try-it");
        assert_eq!(link(&place, "#here"), "#here");
        assert_eq!(
            link(&place, "https://kubernetes.io/x.md"),
            "https://kubernetes.io/x.md"
        );
        let html = markdown("See [Scaling](scaling.md), `x`", &place, true);
        assert_eq!(
            html,
            "See <a href=\"scaling.html\">Scaling</a>, <code>x</code>"
        );
    }
}
