//! The slide deck: `slides/deck.md` (format in `slides/README.md`) rendered
//! to `book/slides/index.html`, one page with its CSS and JavaScript inlined.

pub mod parse;
pub mod render;

use anyhow::{Context, Result};
use std::path::Path;

pub use render::{DECK_DIR, Rendered};

/// Reads, parses and renders the deck of the repository at `root`.
pub fn render_deck(root: &Path, book_src: &Path) -> Result<Rendered> {
    let path = root.join(DECK_DIR).join("deck.md");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let deck = parse::parse(&text).with_context(|| format!("in {}", path.display()))?;
    let cx = render::Context { root, book_src };
    render::render(&cx, &deck).with_context(|| format!("in {}", path.display()))
}

/// The guide's file whose name starts with `stem` and ends with `ext`
/// (mdBook adds a content hash: `highlight-abc123.js`).
fn find_built(build_dir: &Path, stem: &str, ext: &str) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(build_dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.ends_with(ext)
                && (n == &format!("{stem}{ext}")
                    || n.strip_prefix(stem)
                        .is_some_and(|rest| rest.starts_with('-')))
        })
        .collect();
    names.sort();
    names.into_iter().next().map(|n| format!("../{n}"))
}

/// Writes a rendered deck and its assets into `<build_dir>/slides/`.
pub fn write(root: &Path, build_dir: &Path, deck: &Rendered) -> Result<()> {
    let out = build_dir.join(DECK_DIR);
    std::fs::create_dir_all(&out)?;
    let shared = render::SharedAssets {
        diagram_font: format!("../{}", crate::assets::diagram_font(build_dir)),
        highlight_js: find_built(build_dir, "highlight", ".js"),
        highlight_css: find_built(build_dir, "highlight", ".css").and_then(|rel| {
            std::fs::read_to_string(build_dir.join(rel.trim_start_matches("../"))).ok()
        }),
        favicon: find_built(build_dir, "favicon", ".svg"),
        guide: "../index.html".to_string(),
    };
    let html = deck
        .page(&root.join(DECK_DIR).join("templates"), &shared)
        .context("in slides/templates")?;
    std::fs::write(out.join("index.html"), html)?;
    for asset in &deck.assets {
        if let Ok(rel) = asset.strip_prefix(DECK_DIR) {
            let dest = out.join(rel);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(root.join(asset), &dest)
                .with_context(|| format!("copying {}", asset.display()))?;
        }
    }
    Ok(())
}
