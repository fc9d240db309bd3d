//! Static files the site serves itself, compiled into the binary so the built
//! site never needs the network: mermaid (see `site/assets/mermaid/README.md`),
//! the guide's diagram loader and a few style additions.

use anyhow::{Context, Result};
use std::path::Path;

/// Site-relative folder of these assets; `site/theme/head.hbs` and the deck refer to it.
pub const DIR: &str = "assets";
/// The mermaid release embedded below.
pub const MERMAID_VERSION: &str = "11.6.0";

const FILES: &[(&str, &[u8])] = &[
    (
        "mermaid/mermaid.min.js",
        include_bytes!("../assets/mermaid/mermaid.min.js"),
    ),
    (
        "mermaid/LICENSE",
        include_bytes!("../assets/mermaid/LICENSE"),
    ),
    (
        "mermaid/mermaid-init.js",
        include_bytes!("../assets/mermaid-init.js"),
    ),
    ("site.css", include_bytes!("../assets/site.css")),
    ("code-lines.js", include_bytes!("../assets/code-lines.js")),
];

/// Writes the assets under `<build_dir>/assets/`.
pub fn write(build_dir: &Path) -> Result<()> {
    for (name, bytes) in FILES {
        let path = build_dir.join(DIR).join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
