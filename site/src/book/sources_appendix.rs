//! The `sources` preprocessor: links from guide pages to repository files
//! (`../../k8s/app/deployment.yaml`) are turned into links to generated pages
//! of an appendix, one page per file showing it highlighted, so that every
//! link works in the built site, offline and from `file://`.
//!
//! The appendix holds every file a page links to, plus the kit's main sources
//! (manifests, Rust sources, Dockerfile, Makefiles) so it can be browsed as a
//! whole. It is added to the book's navigation after the last part.

use crate::markdown::md_links;
use crate::markdown::repo_links::{self, SOURCES_DIR};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders of the repository whose sources are always in the appendix.
const BROWSABLE_DIRS: &[&str] = &["k8s", "demo-app"];
/// Single files always in the appendix.
const BROWSABLE_FILES: &[&str] = &["Makefile"];
/// Folders never walked.
const SKIP_DIRS: &[&str] = &["target", "node_modules", "fixtures"];
/// The class of an empty element at the top of the appendix's index: where
/// the print page is cut ([`trim_built`]).
const START_MARKER: &str = "sources-appendix-start";
/// Files larger than this are only shown when a page links to them.
const MAX_BROWSABLE_BYTES: u64 = 256 * 1024;

/// The preprocessor; `extra` are repository files linked from elsewhere
/// (the deck) that the appendix must show too.
/// For each repository file, the pages (title, site path) that link to it.
type References = BTreeMap<PathBuf, BTreeSet<(String, PathBuf)>>;

pub struct SourcesAppendix {
    pub extra: BTreeSet<PathBuf>,
}

impl Preprocessor for SourcesAppendix {
    fn name(&self) -> &str {
        "sources"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let root = ctx.root.clone();
        let src = ctx.config.book.src.clone();
        let mut linked = BTreeSet::new();
        // Which pages link each file: its page lists them.
        let mut refs: References = BTreeMap::new();
        book.for_each_chapter_mut(|chapter| {
            let Some(path) = chapter.path.clone() else {
                return;
            };
            // Generated chapters have no source file; their links are already final.
            let Some(source_path) = chapter.source_path.clone() else {
                return;
            };
            let site_dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
            let repo_dir = src.join(source_path.parent().unwrap_or(Path::new("")));
            chapter.content = md_links::rewrite(&chapter.content, |link| {
                let (target, repo_path) = link_target(&root, &src, &repo_dir, &link.dest)?;
                if !repo_path.starts_with(&src) {
                    refs.entry(repo_path.clone())
                        .or_default()
                        .insert((chapter.name.clone(), path.clone()));
                    linked.insert(repo_path);
                }
                Some(repo_links::relative_to(&site_dir, &target))
            });
        });
        for file in &self.extra {
            refs.entry(file.clone()).or_default().insert((
                "The slide deck".to_string(),
                PathBuf::from("slides/index.html"),
            ));
            linked.insert(file.clone());
        }
        let files = appendix_files(&root, &linked);
        book.push_item(BookItem::PartTitle("Appendix".to_string()));
        book.push_item(BookItem::Chapter(appendix(&root, &files, &linked, &refs)));
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// Where a link from a page in repository folder `repo_dir` should go, when
/// it is a repository file or folder outside the book's source (its
/// appendix page) or a README.md chapter (its index page): the
/// site-relative page (with the fragment) and the repository path.
pub fn link_target(
    root: &Path,
    src: &Path,
    repo_dir: &Path,
    dest: &str,
) -> Option<(PathBuf, PathBuf)> {
    let (path, fragment) = repo_links::split_relative(dest)?;
    if path.is_empty() {
        return None;
    }
    let repo_path = repo_links::join_repo(repo_dir, path)?;
    if repo_path.starts_with(src) {
        // mdBook renders README.md chapters as index.html but leaves links
        // to README.md pointing at a README.html that does not exist.
        if repo_path.file_name().is_some_and(|n| n == "README.md")
            && root.join(&repo_path).is_file()
        {
            let index = repo_path.strip_prefix(src).ok()?.with_file_name("index.md");
            let with_fragment = match fragment {
                Some(f) => format!("{}#{f}", index.display()),
                None => index.display().to_string(),
            };
            return Some((PathBuf::from(with_fragment), repo_path));
        }
        return None;
    }
    let on_disk = root.join(&repo_path);
    let mut page = if on_disk.is_file() {
        repo_links::source_page(&repo_path)
    } else if on_disk.is_dir() {
        repo_links::source_dir_page(&repo_path)
    } else {
        log::warn!("link to {dest} from {}: no such file", repo_dir.display());
        return None;
    };
    if let Some(fragment) = fragment {
        let mut s = page.into_os_string();
        s.push("#");
        s.push(fragment);
        page = PathBuf::from(s);
    }
    Some((page, repo_path))
}

/// Every file the appendix shows: the linked ones (folders stand for the
/// files in them) and the browsable sources.
fn appendix_files(root: &Path, linked: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    for dir in BROWSABLE_DIRS {
        collect(root, Path::new(dir), &mut files);
    }
    for file in BROWSABLE_FILES {
        if root.join(file).is_file() {
            files.insert(PathBuf::from(file));
        }
    }
    for path in linked {
        if root.join(path).is_dir() {
            collect(root, path, &mut files);
        } else {
            files.insert(path.clone());
        }
    }
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeSet<PathBuf>) {
    let walker = walkdir::WalkDir::new(root.join(dir))
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref()))
        });
    for entry in walker.flatten() {
        let small = entry
            .metadata()
            .is_ok_and(|m| m.len() <= MAX_BROWSABLE_BYTES);
        if entry.file_type().is_file()
            && small
            && language(entry.path()).is_some()
            && let Ok(rel) = entry.path().strip_prefix(root)
        {
            files.insert(rel.to_path_buf());
        }
    }
}

/// The highlight.js language of a source file, `None` for files that are not
/// sources (lock files, binaries, ...).
pub fn language(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if name == "Dockerfile" || name.ends_with(".Dockerfile") {
        // mdBook's highlight.js has no Dockerfile grammar; shell is the closest.
        return Some("bash");
    }
    if name == "Makefile" {
        return Some("makefile");
    }
    Some(match Path::new(name).extension()?.to_str()? {
        "yaml" | "yml" => "yaml",
        "rs" => "rust",
        "toml" => "toml",
        "mk" => "makefile",
        "json" => "json",
        "sh" => "bash",
        "md" => "markdown",
        "txt" => "text",
        _ => return None,
    })
}

/// The appendix chapter: an index, one page per folder, one per file.
fn appendix(
    root: &Path,
    files: &BTreeSet<PathBuf>,
    linked: &BTreeSet<PathBuf>,
    refs: &References,
) -> Chapter {
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        by_dir.entry(dir).or_default().push(file.clone());
    }
    // Folders linked from a page get a page even when they hold no source.
    for path in linked {
        if root.join(path).is_dir() {
            by_dir.entry(path.clone()).or_default();
        }
    }
    let title = "Source files".to_string();
    let index_path = Path::new(SOURCES_DIR).join("index.md");
    let mut index = format!(
        "# Source files\n\n<div class=\"{START_MARKER}\"></div>\n\nEvery file of the kit the guide links to or discusses, as it is in the \
         repository. Pages link here when they name a file, so these pages are always the \
         current version.\n\n",
    );
    let mut dir_chapters = Vec::new();
    for (dir, dir_files) in &by_dir {
        let dir_name = display_dir(dir);
        let dir_page = if dir.as_os_str().is_empty() {
            Path::new(SOURCES_DIR).join("top-level.md")
        } else {
            repo_links::source_dir_page(dir)
        };
        let dir_site_dir = dir_page.parent().unwrap_or(Path::new("")).to_path_buf();
        index.push_str(&format!(
            "- [{dir_name}]({})\n",
            repo_links::relative_to(Path::new(SOURCES_DIR), &dir_page)
        ));
        let mut dir_content = format!("# {dir_name}\n\n");
        let mut file_chapters = Vec::new();
        for file in dir_files {
            let page = repo_links::source_page(file);
            // The index lists every file too: it is the appendix's only entry
            // in the sidebar (see [`trim_built`]).
            index.push_str(&format!(
                "  - [{}]({})\n",
                file.file_name().unwrap_or_default().to_string_lossy(),
                repo_links::relative_to(Path::new(SOURCES_DIR), &page)
            ));
            dir_content.push_str(&format!(
                "- [{}]({})\n",
                file.display(),
                repo_links::relative_to(&dir_site_dir, &page)
            ));
            let parents = vec![title.clone(), dir_name.clone()];
            file_chapters.push(BookItem::Chapter(generated(
                &file.display().to_string(),
                file_page(root, file, &page, refs.get(file)),
                page,
                parents,
            )));
        }
        if dir_files.is_empty() {
            dir_content.push_str("No source files in this folder.\n");
        }
        let mut chapter = generated(&dir_name, dir_content, dir_page, vec![title.clone()]);
        chapter.sub_items = file_chapters;
        dir_chapters.push(BookItem::Chapter(chapter));
    }
    let mut chapter = generated(&title, index, index_path, Vec::new());
    chapter.sub_items = dir_chapters;
    chapter
}

/// Keeps the appendix's folder and file pages out of the built sidebar
/// (`toc.html` and mdBook's `toc-*.js`, which holds the same list) and out of
/// `print.html`. They stay chapters, so mdBook renders them with the theme and
/// search leaves them out (`[output.html.search.chapter."sources"]` in
/// book.toml); but 139 file links on every page drown the guide (mdBook nests
/// the sidebar by section number, and generated chapters have none, so its
/// folding cannot hide them), and printing them took 420 of 747 pages.
/// mdBook 0.5 has no setting for either, hence this pass over its output.
pub fn trim_built(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "toc.html" || (name.starts_with("toc-") && name.ends_with(".js")) {
            let text = std::fs::read_to_string(entry.path())?;
            std::fs::write(entry.path(), trim_sidebar(&text))?;
        }
    }
    let print = dir.join("print.html");
    if print.is_file() {
        let text = std::fs::read_to_string(&print)?;
        std::fs::write(&print, trim_print(&text))?;
    }
    Ok(())
}

/// The sidebar without entries of appendix pages other than its index, and
/// without a fold arrow on that index.
fn trim_sidebar(text: &str) -> String {
    const ITEM: &str = "<li class=\"chapter-item";
    let index_href = format!("href=\"{SOURCES_DIR}/index.html\"");
    let page_href = format!("href=\"{SOURCES_DIR}/");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(ITEM) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find("</li>").map_or(rest.len(), |e| e + "</li>".len());
        let item = &rest[..end];
        let nested = item[ITEM.len()..].contains("<li") || item.contains("<ol");
        let link = item.find("<a ").map(|a| &item[a..]).unwrap_or("");
        let link = &link[..link.find('>').unwrap_or(0)];
        if !nested && link.contains(&page_href) && !link.contains(&index_href) {
            // An appendix page: dropped.
        } else if !nested && link.contains(&index_href) {
            out.push_str(&item.replace("<a class=\"chapter-fold-toggle\"><div>❱</div></a>", ""));
        } else {
            out.push_str(&rest[..ITEM.len()]);
            rest = &rest[ITEM.len()..];
            continue;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The print page without the appendix: from the page break before its index
/// to the end of the content, replaced by one sentence.
fn trim_print(text: &str) -> String {
    const BREAK: &str = "<div style=\"break-before: page; page-break-before: always;\"></div>";
    let Some(marker) = text.find(&format!("class=\"{START_MARKER}\"")) else {
        return text.to_string();
    };
    let start = text[..marker]
        .rfind(BREAK)
        .unwrap_or_else(|| text[..marker].rfind("<h1").unwrap_or(marker));
    let Some(end) = text[marker..].find("</main>").map(|e| marker + e) else {
        return text.to_string();
    };
    let printed = format!(
        "{}<p class=\"sources-left-out\">The source files appendix is not printed: open \
         <a href=\"{SOURCES_DIR}/index.html\">Source files</a> in the guide.</p>\n{}",
        &text[..start],
        &text[end..]
    );
    // The print page links chapters as in-page anchors: those into the
    // appendix now lead to its index page instead of nowhere.
    let removed = &text[start..end];
    let gone: BTreeSet<&str> = removed
        .match_indices(" id=\"")
        .filter_map(|(at, m)| {
            let rest = &removed[at + m.len()..];
            rest.find('"').map(|e| &rest[..e])
        })
        .collect();
    let mut out = String::with_capacity(printed.len());
    let mut rest = printed.as_str();
    while let Some(at) = rest.find("href=\"#") {
        let (before, after) = rest.split_at(at + "href=\"".len());
        out.push_str(before);
        let id_end = after.find('"').unwrap_or(after.len());
        if gone.contains(&after[1..id_end]) {
            out.push_str(&format!("{SOURCES_DIR}/index.html"));
            rest = &after[id_end..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn display_dir(dir: &Path) -> String {
    if dir.as_os_str().is_empty() {
        "Top level".to_string()
    } else {
        format!("{}/", dir.display())
    }
}

fn generated(name: &str, content: String, path: PathBuf, parents: Vec<String>) -> Chapter {
    let mut chapter = Chapter::new(name, content, path, parents);
    // No file on disk: keeps mdBook from offering "edit this page" for it.
    chapter.source_path = None;
    chapter
}

/// The Markdown of one file's page: its path, size and the whole file.
fn file_page(
    root: &Path,
    file: &Path,
    page: &Path,
    refs: Option<&BTreeSet<(String, PathBuf)>>,
) -> String {
    let text = std::fs::read_to_string(root.join(file))
        .unwrap_or_else(|e| format!("(could not read {}: {e})", file.display()));
    let lines = text.lines().count();
    let lang = language(file).unwrap_or("text");
    let fence = "`".repeat(longest_backtick_run(&text).max(2) + 1);
    let page_dir = page.parent().unwrap_or(Path::new(""));
    let index = repo_links::relative_to(page_dir, &Path::new(SOURCES_DIR).join("index.md"));
    let body = text.strip_suffix('\n').unwrap_or(&text);
    let discussed = refs
        .map(|pages| {
            let links: Vec<String> = pages
                .iter()
                .map(|(name, target)| {
                    format!("[{name}]({})", repo_links::relative_to(page_dir, target))
                })
                .collect();
            format!("Discussed in: {}.\n\n", links.join(", "))
        })
        .unwrap_or_default();
    format!(
        "# {}\n\n<p class=\"source-meta\">{lines} lines, as in the repository. \
         <a href=\"{}\">All source files</a></p>\n\n{discussed}{fence}{lang}\n{body}\n{fence}\n",
        file.display(),
        index.replace(".md", ".html"),
    )
}

fn longest_backtick_run(text: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_of_project_files() {
        assert_eq!(language(Path::new("k8s/app/deployment.yaml")), Some("yaml"));
        assert_eq!(language(Path::new("demo-app/Dockerfile")), Some("bash"));
        assert_eq!(language(Path::new("Makefile")), Some("makefile"));
        assert_eq!(language(Path::new("site/site.mk")), Some("makefile"));
        assert_eq!(language(Path::new("Cargo.lock")), None);
    }

    #[test]
    fn the_sidebar_keeps_only_the_appendix_index() {
        let toc = r#"<ol><li class="chapter-item "><a href="a.html">A</a></li><li class="chapter-item "><li class="part-title">Appendix</li></li><li class="chapter-item "><span><a href="sources/index.html">Source files</a><a class="chapter-fold-toggle"><div>❱</div></a></span></li><li class="chapter-item "><span><a href="sources/k8s/index.html">k8s/</a></span></li><li class="chapter-item "><a href="sources/k8s/a.yaml.html">a.yaml</a></li></ol>"#;
        assert_eq!(
            trim_sidebar(toc),
            r#"<ol><li class="chapter-item "><a href="a.html">A</a></li><li class="chapter-item "><li class="part-title">Appendix</li></li><li class="chapter-item "><span><a href="sources/index.html">Source files</a></span></li></ol>"#
        );
    }

    #[test]
    fn print_stops_before_the_appendix() {
        let b = "<div style=\"break-before: page; page-break-before: always;\"></div>";
        let page = format!(
            "<main>one{b}<h1>Source files</h1><div class=\"sources-appendix-start\"></div>files</main>end"
        );
        let out = trim_print(&page);
        assert!(
            out.starts_with("<main>one<p class=\"sources-left-out\">"),
            "{out}"
        );
        assert!(
            out.ends_with("</main>end") && !out.contains("files</main>"),
            "{out}"
        );
    }

    #[test]
    fn fences_are_longer_than_any_backtick_run_in_the_file() {
        assert_eq!(longest_backtick_run("a ``` b ````"), 4);
    }
}
