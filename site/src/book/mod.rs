//! One full build of the site: the deck is rendered first (so the files it
//! links to join the guide's source appendix), then the guide with mdBook and
//! our preprocessors, then the shared assets and the deck are written into the
//! guide's output folder.

pub mod glossary;
pub mod include_check;
pub mod includes;
pub mod path;
pub mod quiz;
pub mod sources_appendix;

use crate::{assets, deck, diagrams};
use anyhow::{Context, Result, anyhow};
use glossary::Glossary;
use include_check::IncludeCheck;
use includes::GuideIncludes;
use mdbook_driver::MDBook;
use path::WeekendPath;
use quiz::Quiz;
use sources_appendix::SourcesAppendix;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a build produced.
#[derive(Debug)]
pub struct Built {
    pub dir: PathBuf,
    pub took: Duration,
}

/// Builds guide and deck of the repository at `root` into `dest` (default:
/// `build-dir` of `book.toml`, i.e. `book/`).
pub fn build(root: &Path, dest: Option<&Path>) -> Result<Built> {
    let started = Instant::now();
    let mut book = MDBook::load(root)
        .map_err(|e| anyhow!("{e:#}"))
        .with_context(|| format!("loading the book at {}", root.display()))?;
    if let Some(dest) = dest {
        book.config.build.build_dir = dest.to_path_buf();
    }
    let src = book.config.book.src.clone();
    log::info!("loaded the book in {:?}", started.elapsed());
    let deck = deck::render_deck(root, &src).context("building the slide deck")?;
    log::info!("rendered the deck at {:?}", started.elapsed());
    let weekend = WeekendPath::default();
    // Replaces mdBook's own `links` (includes), in its place: first. The
    // chapter headers before the glossary links (their reading time is
    // counted on the page as written); both before the source appendix
    // exists (not linked, not counted) and before diagrams are drawn.
    book.with_preprocessor(Timed(GuideIncludes))
        .with_preprocessor(Timed(IncludeCheck))
        .with_preprocessor(Timed(weekend.clone()))
        .with_preprocessor(Timed(Glossary))
        .with_preprocessor(Timed(SourcesAppendix {
            extra: deck.linked_sources.clone(),
        }))
        .with_preprocessor(Timed(Quiz))
        .with_preprocessor(Timed(diagrams::preprocess::Diagrams));
    book.build()
        .map_err(|e| anyhow!("{e:#}"))
        .context("building the guide")?;
    log::info!("built the guide at {:?}", started.elapsed());
    let dir = book.build_dir_for("html");
    sources_appendix::trim_built(&dir)
        .context("keeping the source appendix out of the sidebar and print")?;
    let core = weekend.core.lock().map(|c| c.clone()).unwrap_or_default();
    path::mark_sidebar(&dir, &core).context("marking the weekend path in the sidebar")?;
    assets::write(&dir)?;
    assets::inline_after_first_paint(&dir)?;
    deck::write(root, &dir, &deck)?;
    Ok(Built {
        dir,
        took: started.elapsed(),
    })
}

/// The folder of a chapter's page in the built site (`walkthrough` for
/// `walkthrough/scaling.md`, empty at the top or for a draft): where the
/// relative links a preprocessor writes into the page start from.
pub(crate) fn page_dir(chapter: &mdbook_preprocessor::book::Chapter) -> PathBuf {
    chapter
        .path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""))
        .to_path_buf()
}

/// One of our preprocessors, its run time logged (`RUST_LOG=info make docs`):
/// where a build's time goes, preprocessor by preprocessor, for the 1 s build
/// and reload budgets (`BENCHMARKS.md`).
struct Timed<P>(P);

impl<P: mdbook_preprocessor::Preprocessor> mdbook_preprocessor::Preprocessor for Timed<P> {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn run(
        &self,
        ctx: &mdbook_preprocessor::PreprocessorContext,
        book: mdbook_preprocessor::book::Book,
    ) -> mdbook_preprocessor::errors::Result<mdbook_preprocessor::book::Book> {
        let started = Instant::now();
        let book = self.0.run(ctx, book);
        log::info!("preprocessor {}: {:?}", self.0.name(), started.elapsed());
        book
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        self.0.supports_renderer(renderer)
    }
}
