//! The kit's site generator: the guide (mdBook, from `docs/`) and the slide
//! deck (from `slides/deck.md`), built into `book/`, served with live reload
//! and checked by the tests in `site/tests/`.

pub mod assets;
pub mod bench;
pub mod book;
pub mod deck;
pub mod diagrams;
pub mod include_check;
pub mod includes;
pub mod live;
pub mod md_links;
pub mod repo_links;
pub mod serve;
pub mod sources_appendix;
pub mod watch;
