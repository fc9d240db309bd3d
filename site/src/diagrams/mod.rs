//! Mermaid diagrams drawn at build time: every ```mermaid fence of the guide
//! and the deck becomes an inline SVG (merman, a Rust port of mermaid), so
//! the pages ship no diagram JavaScript. `site/README.md` says why merman.
//!
//! - [`render`] draws one diagram with the font the page shows ([`font`]);
//! - [`page`] turns it into an accessible `<figure>` and collects the shared
//!   stylesheet, whose colours follow the site's themes ([`theme`]);
//! - [`preprocess`] does that for every fence of the guide, [`label`] finds
//!   each diagram's accessible name.

pub mod export;
pub mod font;
pub mod label;
pub mod page;
pub mod preprocess;
pub mod prune;
pub mod render;
pub mod slim;
pub mod theme;

pub use page::{Place, Stylesheet};
pub use render::{DiagramError, Drawn, draw};
