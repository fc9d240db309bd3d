//! Every diagram of the repository drawn on its own, for the side-by-side
//! comparison with mermaid.js (`make diagrams-compare`, `site/compare/`).

use super::{Place, Stylesheet, draw, label, preprocess::mermaid_fences};
use anyhow::{Context, Result, anyhow};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Entry {
    /// `docs/x.md:12`, also the stem of the image names.
    place: String,
    name: String,
    source: String,
    /// Our `<figure>`, styled by `diagrams.css` next to the manifest.
    figure: String,
}

/// Writes `out/diagrams.json`, `out/diagrams.css` and the font.
pub fn export(root: &Path, out: &Path) -> Result<usize> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root.join("docs"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files.push(root.join("slides/deck.md"));
    let mut styles = Stylesheet::default();
    let mut entries = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for fence in mermaid_fences(&text) {
            let line = text[..fence.range.start].matches('\n').count() + 1;
            let id = format!("dg{}", entries.len() + 1);
            let drawn = draw(&fence.source, &id)
                .map_err(|e| anyhow!("{rel}:{}: diagram: {}", line + e.line, e.message))?;
            let name = label::name(
                &fence.source,
                fence.intro.as_deref(),
                fence.heading.as_deref(),
            );
            let figure = styles.figure(&drawn, &id, &name, Place::Slide);
            entries.push(Entry {
                place: format!("{rel}:{line}"),
                name,
                source: fence.source,
                figure,
            });
        }
    }
    std::fs::create_dir_all(out.join("fonts"))?;
    std::fs::write(
        out.join("diagrams.json"),
        serde_json::to_string_pretty(&entries)?,
    )?;
    std::fs::write(out.join("diagrams.css"), styles.css(crate::assets::FONT))?;
    std::fs::write(out.join(crate::assets::FONT), super::font::WOFF2)?;
    Ok(entries.len())
}
