//! A client that writes its whole request body before reading the answer
//! (Python's urllib and many HTTP libraries do) must get the app's JSON
//! error, not a reset connection, even when the app answers without
//! reading the body. A raw TcpStream plays that client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::TestApp;

/// Sends `body` in full, then reads the whole answer.
fn write_all_then_read(port: u16, content_type: &str, body: &[u8]) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.set_write_timeout(Some(Duration::from_secs(20)))?;
    let head = format!(
        "POST /kv/big HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn early_answers_reach_clients_that_write_the_whole_body_first() {
    if crate::support::is_remote() {
        testkit::skip(this_test!(), "runs against a local app only");
        return;
    }
    // No Redis needed: neither answer gets that far (port 1 is never dialled).
    let app = TestApp::spawn(1, &[]).await;
    let port = app.port;
    // 8 MiB: far more than MAX_BODY_BYTES (64 KiB) and than the socket
    // buffers, so the client is still writing when the answer is ready.
    let body = vec![b'x'; 8 * 1024 * 1024];
    let cases = [
        ("application/json", "413 ", "65536"),
        ("text/plain", "415 ", "application/json"),
    ];
    for (content_type, status, detail) in cases {
        let body = body.clone();
        let answer =
            tokio::task::spawn_blocking(move || write_all_then_read(port, content_type, &body))
                .await
                .unwrap()
                .unwrap_or_else(|e| panic!("{content_type}: no answer, the connection broke: {e}"));
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{content_type}: {answer:.300}"
        );
        let json = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(json).expect("a JSON body");
        assert!(json["detail"].as_str().unwrap().contains(detail), "{json}");
    }
}
