//! `site serve`: serves the built site on 127.0.0.1 with live reload.
//!
//! Every HTML response gets a small script (added by the server only, so the
//! files in `book/` never contain it) carrying the number of the build it
//! was served from. The script listens to `/_site/reload` (server-sent
//! events), which sends the current build number on connect and after every
//! build; the page reloads when the number differs from its own. A save that
//! lands while a page is reloading is therefore never missed: the new page
//! connects, hears a newer number and reloads again.

use anyhow::{Result, anyhow};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};

/// Path of the reload event stream.
pub const RELOAD_PATH: &str = "/_site/reload";

const RELOAD_JS: &str = r#"(function () {
  'use strict';
  var build = document.currentScript.getAttribute('data-build');
  if (!window.EventSource) { return; }
  var events = new EventSource('/_site/reload');
  events.onmessage = function (e) {
    if (e.data !== build) { events.close(); window.location.reload(); }
  };
  window.addEventListener('pagehide', function () { events.close(); });
})();"#;

/// Tells open pages that a new build is ready.
#[derive(Clone)]
pub struct Reloader {
    builds: watch::Sender<u64>,
}

impl Reloader {
    /// Announces a new build: every open page reloads.
    pub fn reload(&self) {
        self.builds.send_modify(|n| *n += 1);
    }
}

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

/// The app: static files from `dir`, the reload script and its events.
pub fn app(dir: &Path) -> (Router, Reloader) {
    let (builds, _) = watch::channel(0u64);
    let reloader = Reloader { builds };
    let router = Router::new()
        .route(RELOAD_PATH, get(events))
        .fallback_service(
            ServeDir::new(dir)
                .append_index_html_on_directories(true)
                // mdBook's own "page not found" page, with a 404 status.
                .not_found_service(ServeFile::new(dir.join("404.html"))),
        )
        .layer(middleware::from_fn_with_state(reloader.clone(), inject))
        .with_state(reloader.clone());
    (router, reloader)
}

/// The build number now, then after every build.
async fn events(State(reloader): State<Reloader>) -> impl IntoResponse {
    let rx = reloader.builds.subscribe();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let build = *rx.borrow_and_update();
        let event = Event::default().data(build.to_string());
        Some((Ok::<_, Infallible>(event), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Adds the reload script to HTML pages. Pages are never served from the
/// browser's cache (no 304): a cached page would carry an old build number.
async fn inject(State(reloader): State<Reloader>, mut req: Request, next: Next) -> Response {
    req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let build = *reloader.builds.borrow();
    let response = next.run(req).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "could not read the page",
        )
            .into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let script = format!("<script data-build=\"{build}\">{RELOAD_JS}</script>");
    let page = match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.remove(header::ETAG);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(page))
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
