//! site's integration tests, one test binary (each test binary links
//! mdBook, merman, chromiumoxide and axum, so one binary instead of twelve
//! saves most of the link time). Real parts only: the real guide and deck
//! built from the repository or from a fixture (`site/tests/fixtures/`),
//! the real server on a real socket, headless Chromium.
//!
//! - the built book: links, includes, the source appendix, diagrams,
//!   pasted copies, chapters' source links ([`links`], [`includes`],
//!   [`appendix`], [`diagrams`], [`pasted`], [`chapters`]);
//! - the self-check questions: rendered, counted, and each broken rule
//!   failing the build ([`quiz`]); answered by keyboard, remembered and
//!   counted in Chromium ([`quiz_browser`]);
//! - the weekend path and the glossary links ([`weekend_path`],
//!   [`glossary_links`]);
//! - the deck's content, on its Markdown ([`deck_content`]);
//! - the theme made for the mdBook in `Cargo.lock` ([`theme_base`]);
//! - `make docs`: the server and live reload ([`serve`]);
//! - in headless Chromium ([`browser`], [`diagrams_browser`],
//!   [`deck_presenter`], [`guide_legibility`]).
//!
//! A missing Chromium skips the browser tests with a `SKIPPED:` line, or
//! fails them with `CI=true` (testkit's skip policy).

mod common;

mod appendix;
mod browser;
mod chapters;
mod deck_content;
mod deck_presenter;
mod diagrams;
mod diagrams_browser;
mod glossary_links;
mod guide_legibility;
mod includes;
mod links;
mod pasted;
mod quiz;
mod quiz_browser;
mod serve;
mod theme_base;
mod weekend_path;
