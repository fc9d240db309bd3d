//! Lingering close: the rest of a request body that no handler read is
//! read and thrown away (a bounded amount, for a bounded time) before the
//! answer goes out.
//!
//! Why: when the app answers early, say 413 for a body over MAX_BODY_BYTES,
//! and the connection is then closed with unread bytes in the socket, the
//! kernel resets the connection. A client that writes the whole body before
//! reading (Python's urllib and many other HTTP libraries) then gets a
//! broken pipe instead of the JSON answer; curl, which reads while it
//! sends, sees the answer. nginx solves this the same way
//! (`lingering_close`). After the drain the connection can even be reused.
//!
//! Requests without a body (most of them: probes, GETs) pass through
//! untouched, at no cost.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header;
use axum::response::Response;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

/// At most this many unread body bytes are drained: the largest
/// MAX_BODY_BYTES allowed (16 MiB), i.e. any body a client could send in
/// good faith. Past it the connection is closed.
pub const LINGER_BYTES: u64 = 16 * 1024 * 1024;
/// ...and for at most this long, so a slow client cannot hold a worker.
pub const LINGER_TIME: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, Default)]
pub struct LingerLayer;

impl<S> Layer<S> for LingerLayer {
    type Service = Linger<S>;

    fn layer(&self, inner: S) -> Linger<S> {
        Linger { inner }
    }
}

#[derive(Clone, Debug)]
pub struct Linger<S> {
    inner: S,
}

/// The request body, shared between the handler (which may read part of
/// it, or none) and the layer (which drains what is left afterwards).
type Slot = Arc<Mutex<Option<Body>>>;

fn lock(slot: &Slot) -> MutexGuard<'_, Option<Body>> {
    slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<S> Service<Request> for Linger<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = LingerFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if !has_body(&request) {
            return LingerFuture {
                inner: self.inner.call(request),
                slot: None,
                draining: None,
            };
        }
        let (parts, body) = request.into_parts();
        let slot: Slot = Arc::new(Mutex::new(Some(body)));
        let request = Request::from_parts(parts, Body::new(SharedBody(slot.clone())));
        LingerFuture {
            inner: self.inner.call(request),
            slot: Some(slot),
            draining: None,
        }
    }
}

/// A body is announced by Content-Length > 0 or Transfer-Encoding.
fn has_body(request: &Request) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

type Drain = Pin<Box<dyn Future<Output = ()> + Send>>;

pin_project! {
    /// The handler's future; then, if body bytes are left unread, the
    /// drain, with the response held until it is over.
    pub struct LingerFuture<F> {
        #[pin]
        inner: F,
        slot: Option<Slot>,
        draining: Option<(Option<Response>, Drain)>,
    }
}

impl<F, E> Future for LingerFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if this.draining.is_none() {
            let response = ready!(this.inner.as_mut().poll(cx))?;
            let rest = this.slot.take().and_then(|slot| lock(&slot).take());
            match rest {
                Some(body) if !body.is_end_stream() => {
                    *this.draining = Some((Some(response), Box::pin(drain(body))));
                }
                _ => return Poll::Ready(Ok(response)),
            }
        }
        let (response, drain) = this.draining.as_mut().expect("set above");
        ready!(drain.as_mut().poll(cx));
        Poll::Ready(Ok(response.take().expect("polled once after completion")))
    }
}

/// Reads and discards `body` until it ends, or [`LINGER_BYTES`] or
/// [`LINGER_TIME`] are used up.
async fn drain(mut body: Body) {
    let deadline = tokio::time::Instant::now() + LINGER_TIME;
    let mut drained: u64 = 0;
    while drained < LINGER_BYTES {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                drained += frame.data_ref().map_or(0, |data| data.len() as u64);
            }
            _ => break,
        }
    }
    tracing::debug!(drained, "discarded the unread rest of a request body");
}

/// The body as the handler sees it: reads go to the shared slot.
struct SharedBody(Slot);

impl HttpBody for SharedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match lock(&self.0).as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        lock(&self.0).as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        lock(&self.0)
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}
