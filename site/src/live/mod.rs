//! `make docs`: build once, serve, and rebuild + reload on every save.

pub mod client;
pub mod serve;
pub mod watch;

use crate::book;
use anyhow::Result;
use notify_debouncer_mini::Debouncer;
use notify_debouncer_mini::notify::RecommendedWatcher;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, SystemTime};

/// A running live site. Dropping it stops watching (the server task stops
/// with the runtime).
pub struct LiveSite {
    pub addr: SocketAddr,
    pub dir: PathBuf,
    /// One message per rebuild: Ok(build time) or the error.
    pub rebuilds: mpsc::Receiver<Result<std::time::Duration, String>>,
    _watcher: Debouncer<RecommendedWatcher>,
}

/// Builds the site of `root` into `dest` (default `book/`), serves it on
/// 127.0.0.1:`port` and rebuilds on changes. Must run inside a tokio runtime.
pub async fn start(root: &Path, dest: Option<&Path>, port: u16, quiet: bool) -> Result<LiveSite> {
    let listener = serve::bind(port).await?;
    let build_started = SystemTime::now();
    let built = book::build(root, dest)?;
    if !quiet {
        println!(
            "Built the guide and the deck in {} ms.",
            built.took.as_millis()
        );
    }
    let (router, reloader) = serve::app(&built.dir);
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = serve::run(listener, router).await {
            eprintln!("server stopped: {e:#}");
        }
    });
    let (tx, rebuilds) = mpsc::channel();
    // Absolute, so the changed paths the watcher reports can be shown relative to it.
    let root_buf = root.canonicalize()?;
    let dest_buf = dest.map(Path::to_path_buf);
    let watcher = watch::watch(&root_buf.clone(), build_started, move |changed| {
        let started = Instant::now();
        let what = changed
            .first()
            .and_then(|p| p.strip_prefix(&root_buf).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match book::build(&root_buf, dest_buf.as_deref()) {
            Ok(_) => {
                reloader.reload();
                if !quiet {
                    println!(
                        "Rebuilt in {} ms after a change to {what}; reloading open pages.",
                        started.elapsed().as_millis()
                    );
                }
                let _ = tx.send(Ok(started.elapsed()));
            }
            Err(e) => {
                eprintln!(
                    "Build failed after a change to {what} (the last good build is still served):\n{e:#}"
                );
                let _ = tx.send(Err(format!("{e:#}")));
            }
        }
    })?;
    Ok(LiveSite {
        addr,
        dir: built.dir,
        rebuilds,
        _watcher: watcher,
    })
}
