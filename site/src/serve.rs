//! `site serve`: serves the built site on 127.0.0.1 with live reload. The
//! reload script is injected into HTML responses by the server only
//! (tower-livereload), so the files in `book/` never contain it.

use anyhow::{Result, anyhow};
use axum::Router;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;
use tower_livereload::{LiveReloadLayer, Reloader};

/// Binds `127.0.0.1:port` (0 picks a free port), with one clear sentence when
/// the port is taken.
pub async fn bind(port: u16) -> Result<TcpListener> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow!(
            "port {port} is already in use (another `make docs`?): stop that server or choose another port, e.g. `make docs PORT={}`",
            port.saturating_add(1)
        ),
        _ => anyhow!("cannot listen on {addr}: {e}"),
    })
}

/// The app: static files from `dir`, and the live-reload script and events.
pub fn app(dir: &Path) -> (Router, Reloader) {
    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let router = Router::new()
        .fallback_service(ServeDir::new(dir).append_index_html_on_directories(true))
        .layer(livereload);
    (router, reloader)
}

/// Serves until the process is stopped.
pub async fn run(listener: TcpListener, router: Router) -> Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
