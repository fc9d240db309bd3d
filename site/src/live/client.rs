//! A client of the live server, as a page's script and a browser are: the
//! reload events (`/_site/reload`) and plain GETs. Used by the benchmark
//! (`site-bench`) and the tests to see a save turn into a reload.

use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A client of the server's reload events (`/_site/reload`), as a page's
/// script is: it hears the build number on connect and after every build.
pub struct ReloadEvents {
    stream: TcpStream,
    text: String,
    read_up_to: usize,
}

impl ReloadEvents {
    /// Connects; returns the client and the current build number.
    pub fn open(addr: SocketAddr) -> Result<(ReloadEvents, u64)> {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        write!(
            stream,
            "GET {} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n",
            super::serve::RELOAD_PATH
        )?;
        let mut events = ReloadEvents {
            stream,
            text: String::new(),
            read_up_to: 0,
        };
        let build = events.next_build()?;
        Ok((events, build))
    }

    /// Waits for the next build number.
    pub fn next_build(&mut self) -> Result<u64> {
        let mut buf = [0u8; 1024];
        loop {
            if let Some(at) = self.text[self.read_up_to..].find("data:") {
                let start = self.read_up_to + at + "data:".len();
                if let Some(end) = self.text[start..].find('\n') {
                    self.read_up_to = start + end;
                    let value = self.text[start..start + end].trim();
                    return value.parse().context("a build number in the event");
                }
            }
            let n = self
                .stream
                .read(&mut buf)
                .context("waiting for a reload event")?;
            if n == 0 {
                bail!("the event stream closed");
            }
            self.text.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

/// The raw HTTP response (status line, headers, body) to `GET path`.
pub fn get(addr: SocketAddr, path: &str) -> Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut body = String::new();
    stream.read_to_string(&mut body)?;
    Ok(body)
}
