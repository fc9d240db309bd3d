//! Markdown helpers shared by the guide's preprocessors and the deck.
//!
//! - [`md_links`]: finding and rewriting link destinations in Markdown
//!   source, byte for byte otherwise; the parser options mdBook uses.
//! - [`repo_links`]: links written as repository paths and where they point
//!   in the built site.

pub mod md_links;
pub mod repo_links;
