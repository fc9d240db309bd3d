//! The kit's site generator: the guide (mdBook, from `docs/`) and the slide
//! deck (from `slides/deck.md`), built into `book/`, served with live reload
//! and checked by the tests in `site/tests/`.
//!
//! | module | job |
//! |---|---|
//! | [`book`] | one full build: the guide through mdBook and our preprocessors (includes, include check, source appendix, diagrams), then the deck and the assets |
//! | [`deck`] | the slide deck: `slides/deck.md` parsed into slides, rendered into one HTML page |
//! | [`diagrams`] | mermaid fences drawn as inline SVG at build time |
//! | [`markdown`] | Markdown helpers shared by the guide and the deck: link destinations, repository paths |
//! | [`assets`] | the files the built site serves itself (diagram font and styles, scripts) |
//! | [`live`] | `make docs`: the server, the watcher, live reload, and a client of its reload events |
//!
//! The `site` binary (`src/main.rs`) builds and serves; the benchmark behind
//! `make bench-site` is a binary of its own behind the `bench` feature
//! (`src/bin/site-bench.rs`), so the `site` binary carries no benchmark.

pub mod assets;
pub mod book;
pub mod deck;
pub mod diagrams;
pub mod live;
pub mod markdown;
