//! Static files the site serves itself, compiled into the binary so the built
//! site never needs the network: the full-size view of diagrams, the code
//! line wrapper, a few style additions and the fonts' licence. (The fonts
//! themselves are theme files, `site/theme/fonts/`, copied by mdBook; each
//! page carries its own diagrams' styles, `diagrams::preprocess`.)

use crate::diagrams;
use anyhow::{Context, Result};
use std::path::Path;

/// Site-relative folder of these assets; `site/theme/head.hbs` refers to it.
pub const DIR: &str = "assets";
/// Where the diagram font is written when mdBook's copy is missing (the
/// diagram comparison, a theme without it), relative to [`DIR`].
pub const FONT: &str = "fonts/open-sans-regular.woff2";

const FILES: &[(&str, &[u8])] = &[
    ("diagrams.js", include_bytes!("../assets/diagrams.js")),
    ("site.css", include_bytes!("../assets/site.css")),
    ("code-lines.js", include_bytes!("../assets/code-lines.js")),
    (
        "book-adapter.js",
        include_bytes!("../assets/book-adapter.js"),
    ),
    ("quiz.js", include_bytes!("../assets/quiz.js")),
];

/// `afterFirstPaint(fn)`, inlined into every guide page (at [`SCRIPT_MARKER`],
/// which `site/theme/index.hbs` leaves) and into the deck: inline, because a
/// script file would be one more request before the first paint it waits for.
pub const AFTER_FIRST_PAINT: &str = include_str!("../assets/after-first-paint.js");
/// The comment in `site/theme/index.hbs` replaced by [`AFTER_FIRST_PAINT`].
pub const SCRIPT_MARKER: &str = "<!-- site: after-first-paint.js -->";

/// Replaces [`SCRIPT_MARKER`] in the built guide's pages with
/// [`AFTER_FIRST_PAINT`] in a `<script>`. (mdBook's templates cannot include
/// a file, and the deck, which is not an mdBook page, inlines it too.) A
/// front page without the marker fails the build: every page would then
/// throw on `afterFirstPaint` and load none of its scripts.
pub fn inline_after_first_paint(build_dir: &Path) -> Result<()> {
    let front = std::fs::read_to_string(build_dir.join("index.html"))
        .with_context(|| format!("reading {}", build_dir.join("index.html").display()))?;
    if !front.contains(SCRIPT_MARKER) {
        anyhow::bail!(
            "the built index.html has no `{SCRIPT_MARKER}`: site/theme/index.hbs must keep it, where afterFirstPaint goes"
        );
    }
    let script = format!("<script>\n{AFTER_FIRST_PAINT}</script>");
    for entry in walkdir::WalkDir::new(build_dir) {
        let entry = entry?;
        if entry.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path())
            .with_context(|| format!("reading {}", entry.path().display()))?;
        if html.contains(SCRIPT_MARKER) {
            std::fs::write(entry.path(), html.replacen(SCRIPT_MARKER, &script, 1))
                .with_context(|| format!("writing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The diagram font's path relative to the site's root: the guide's own body
/// font, which mdBook copied from `site/theme/fonts/` under a hashed name (so a
/// page downloads it once for text and diagrams).
pub fn diagram_font(build_dir: &Path) -> String {
    let fonts = build_dir.join("fonts");
    let same = std::fs::read_dir(&fonts).ok().and_then(|entries| {
        entries.flatten().find(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("open-sans-regular")
                && name.ends_with(".woff2")
                && std::fs::read(e.path()).is_ok_and(|b| b == diagrams::font::WOFF2)
        })
    });
    match same {
        Some(e) => format!("fonts/{}", e.file_name().to_string_lossy()),
        None => format!("{DIR}/{FONT}"),
    }
}

/// Writes the assets under `<build_dir>/assets/` and the fonts' licence next
/// to the fonts (mdBook would give it a hashed name).
pub fn write(build_dir: &Path) -> Result<()> {
    let mut files: Vec<(String, &[u8])> = FILES
        .iter()
        .map(|(name, bytes)| (format!("{DIR}/{name}"), *bytes))
        .collect();
    files.push((
        "fonts/OPEN-SANS-LICENSE.txt".to_string(),
        diagrams::font::LICENSE,
    ));
    if diagram_font(build_dir).starts_with(DIR) {
        files.push((format!("{DIR}/{FONT}"), diagrams::font::WOFF2));
    }
    for (name, bytes) in files {
        let path = build_dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helper_goes_where_the_marker_is_and_a_lost_marker_fails_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let page = format!(
            "<head></head><body>{SCRIPT_MARKER}<script>afterFirstPaint(load);</script></body>"
        );
        std::fs::create_dir_all(dir.path().join("walkthrough")).unwrap();
        std::fs::write(dir.path().join("index.html"), &page).unwrap();
        std::fs::write(dir.path().join("walkthrough/a.html"), &page).unwrap();
        inline_after_first_paint(dir.path()).unwrap();
        for name in ["index.html", "walkthrough/a.html"] {
            let html = std::fs::read_to_string(dir.path().join(name)).unwrap();
            assert!(!html.contains(SCRIPT_MARKER), "{name}: marker left");
            let defined = html.find("function afterFirstPaint");
            let used = html.find("afterFirstPaint(load)");
            assert!(
                defined.is_some() && defined < used,
                "{name}: the helper is not defined before its use"
            );
        }

        std::fs::write(dir.path().join("index.html"), "<body></body>").unwrap();
        let err = inline_after_first_paint(dir.path()).unwrap_err();
        assert!(err.to_string().contains("site/theme/index.hbs"), "{err}");
    }
}
