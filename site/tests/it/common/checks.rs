//! The content checks of the book tests, on built HTML or on raw Markdown.

use kit_formats::include;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use scraper::{Html, Selector};
use site::book::sources_appendix;
use site::markdown::{md_links, repo_links};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// (1) Every internal link, script, stylesheet and image of the built site
/// resolves, and every `#anchor` exists in its target page.
pub fn link_problems(site: &Path) -> Vec<String> {
    let attrs =
        Selector::parse("a[href], link[href], script[src], img[src], iframe[src], source[src]")
            .unwrap();
    let with_id = Selector::parse("[id], a[name]").unwrap();
    let base_sel = Selector::parse("base[href]").unwrap();
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut refs: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for file in html_files(site) {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = Html::parse_document(&text);
        let file_ids = doc
            .select(&with_id)
            .filter_map(|e| e.value().attr("id").or_else(|| e.value().attr("name")))
            .map(str::to_string)
            .collect();
        ids.insert(file.clone(), file_ids);
        // mdBook's 404 page has `<base href="/">`: its links start at the site root.
        let base_dir = match doc
            .select(&base_sel)
            .next()
            .and_then(|b| b.value().attr("href"))
        {
            Some("/") => site.to_path_buf(),
            _ => file.parent().unwrap().to_path_buf(),
        };
        for element in doc.select(&attrs) {
            let value = element
                .value()
                .attr("href")
                .or_else(|| element.value().attr("src"))
                .unwrap_or_default();
            refs.push((file.clone(), base_dir.clone(), value.to_string()));
        }
    }
    let mut problems = Vec::new();
    for (file, base_dir, value) in refs {
        let shown = file
            .strip_prefix(site)
            .unwrap_or(&file)
            .display()
            .to_string();
        let (path, fragment) = if let Some(frag) = value.strip_prefix('#') {
            (String::new(), Some(frag.to_string()))
        } else if let Some((path, fragment)) = repo_links::split_relative(&value) {
            (path.to_string(), fragment.map(str::to_string))
        } else {
            continue; // a URL with a scheme (https:, mailto:), or an absolute path
        };
        let path = path.split('?').next().unwrap_or_default();
        let target = if path.is_empty() {
            file.clone()
        } else {
            let joined = base_dir.join(percent_decode(path));
            if joined.is_dir() {
                joined.join("index.html")
            } else {
                joined
            }
        };
        if !target.is_file() {
            problems.push(format!("{shown}: link `{value}`: no such file"));
            continue;
        }
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            continue;
        };
        if target.extension().is_some_and(|x| x == "html") {
            let target = target.canonicalize().unwrap_or(target);
            let known = ids
                .iter()
                .find(|(p, _)| p.canonicalize().ok().as_ref() == Some(&target))
                .map(|(_, ids)| ids);
            if !known.is_some_and(|ids| ids.contains(&percent_decode(&fragment))) {
                problems.push(format!(
                    "{shown}: link `{value}`: no element with id `{fragment}`"
                ));
            }
        }
    }
    problems
}

/// Languages whose blocks are never project files: shell sessions, program
/// output, diagrams.
const NOT_PROJECT_FILES: &[&str] = &[
    "sh",
    "bash",
    "shell",
    "console",
    "text",
    "txt",
    "output",
    "plaintext",
    "mermaid",
    "http",
    "log",
];
/// This many consecutive significant lines found in a project file make a block a pasted copy.
pub const PASTE_RUN: usize = 3;

/// Files whose content must be included, never pasted: manifests, Rust
/// sources, Dockerfiles, Makefiles, Cargo manifests.
pub fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["k8s", "demo-app", "site"] {
        let walker = walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                e.depth() == 0 || !(n == "target" || n.starts_with('.') || n == "fixtures")
            });
        for entry in walker.flatten() {
            let lang = sources_appendix::language(entry.path());
            if entry.file_type().is_file() && lang.is_some_and(|l| l != "markdown" && l != "text") {
                files.push(entry.into_path());
            }
        }
    }
    if root.join("Makefile").is_file() {
        files.push(root.join("Makefile"));
    }
    files
}

fn significant(line: &str) -> Option<String> {
    let t = line.trim();
    (t.len() >= 3 && t.chars().any(|c| c.is_alphanumeric())).then(|| t.to_string())
}

/// (2) Fenced code blocks in `markdown_files` that repeat a project file
/// instead of including it. Blocks made only of `{{#include}}` lines pass.
pub fn pasted_blocks(root: &Path, markdown_files: &[PathBuf]) -> Vec<String> {
    let sources: Vec<(PathBuf, Vec<String>)> = project_files(root)
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let lines = text.lines().filter_map(significant).collect();
            Some((p, lines))
        })
        .collect();
    let mut problems = Vec::new();
    for md in markdown_files {
        let text = std::fs::read_to_string(md).unwrap();
        let shown = md.strip_prefix(root).unwrap_or(md).display().to_string();
        let mut block: Option<(String, usize, String)> = None;
        for (event, span) in Parser::new_ext(&text, md_links::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = md_links::code_lang(&kind);
                    let line = text[..span.start].matches('\n').count() + 1;
                    block = Some((lang, line, String::new()));
                }
                Event::Text(t) => {
                    if let Some((_, _, body)) = block.as_mut() {
                        body.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    let Some((lang, line, body)) = block.take() else {
                        continue;
                    };
                    if NOT_PROJECT_FILES.contains(&lang.as_str()) {
                        continue;
                    }
                    let mut without_includes = body.clone();
                    for d in include::find(&body).iter().rev() {
                        without_includes.replace_range(d.span.clone(), "");
                    }
                    let block_lines: Vec<String> =
                        without_includes.lines().filter_map(significant).collect();
                    for (source, lines) in &sources {
                        let run = longest_common_run(&block_lines, lines);
                        if run >= PASTE_RUN {
                            problems.push(format!(
                                "{shown}:{line}: a ```{lang} block repeats {run} lines of {} — include the file (or an anchored part) with {{{{#include ...}}}} instead of pasting it",
                                source.strip_prefix(root).unwrap_or(source).display()
                            ));
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    problems
}

/// Length of the longest run of consecutive lines of `a` that also appear
/// consecutively in `b`.
fn longest_common_run(a: &[String], b: &[String]) -> usize {
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// The guide's Markdown pages and the deck.
pub fn markdown_sources(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("docs"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let deck = root.join("slides/deck.md");
    if deck.is_file() {
        files.push(deck);
    }
    files.sort();
    files
}

/// The chapters: every page under docs/walkthrough and docs/under-the-hood.
pub fn chapters(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["docs/walkthrough", "docs/under-the-hood"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(root.join(d)).into_iter().flatten())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// (3) Chapters that link to no demo-app or k8s source file.
pub fn chapters_without_source_links(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for chapter in chapters(root) {
        let text = std::fs::read_to_string(&chapter).unwrap();
        let rel = chapter.strip_prefix(root).unwrap();
        let dir = rel.parent().unwrap();
        let links_source = md_links::links(&text).iter().any(|link| {
            repo_links::split_relative(&link.dest)
                .and_then(|(path, _)| repo_links::join_repo(dir, path))
                .is_some_and(|p| {
                    (p.starts_with("demo-app") || p.starts_with("k8s")) && root.join(&p).exists()
                })
        });
        if !links_source {
            problems.push(format!(
                "{}: links to no source under demo-app/ or k8s/ (link the files the chapter discusses, e.g. [deployment.yaml](../../k8s/app/deployment.yaml))",
                rel.display()
            ));
        }
    }
    problems
}
