//! `make docs`: the real server on a real socket rebuilds and reloads open
//! pages when a file is saved; the reload script exists only when serving.

use crate::common;
use common::fixture;
use site::live::client::{ReloadEvents, get};
use std::time::{Duration, Instant};

#[test]
fn saving_a_page_rebuilds_and_reloads_the_open_pages() {
    let root = fixture("serve");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let live = runtime
        .block_on(site::live::start(&root, Some(&root.join("book")), 0, false))
        .unwrap();
    let page = get(live.addr, "/walkthrough/probes.html").unwrap();
    assert!(page.contains("200 OK"), "{page}");
    assert!(
        page.contains("/_site/reload"),
        "the served page carries the reload script"
    );
    assert!(
        page.contains("data-build=\"0\""),
        "tagged with its build number"
    );
    assert!(
        page.contains("no-store"),
        "pages are not cached (a cached page has an old build number)"
    );
    let missing = get(live.addr, "/no/such/page.html").unwrap();
    assert!(
        missing.starts_with("HTTP/1.1 404"),
        "{}",
        &missing[..missing.len().min(200)]
    );
    assert!(missing.contains("Document not found"), "mdBook's 404 page");
    let on_disk = std::fs::read_to_string(root.join("book/walkthrough/probes.html")).unwrap();
    assert!(
        !on_disk.contains("/_site/reload"),
        "book/ must not contain the reload script"
    );

    // Save a chapter, then a manifest it includes: each reloads the pages.
    for (file, page) in [
        ("docs/walkthrough/probes.md", "/walkthrough/probes.html"),
        ("k8s/app/deployment.yaml", "/walkthrough/probes.html"),
        ("slides/deck.md", "/slides/index.html"),
    ] {
        let (mut events, build) = ReloadEvents::open(live.addr).unwrap();
        let path = root.join(file);
        let marker = format!("saved-marker-{}", file.len());
        let mut text = std::fs::read_to_string(&path).unwrap();
        text = if file.ends_with(".yaml") {
            text.replace("path: /ready", &format!("path: /ready # {marker}"))
        } else {
            format!("{text}\n{marker}\n")
        };
        let saved = Instant::now();
        std::fs::write(&path, text).unwrap();
        let next = events.next_build().unwrap();
        assert!(next > build, "a new build number after the save");
        let took = saved.elapsed();
        let body = get(live.addr, page).unwrap();
        assert!(
            body.contains(&marker),
            "{page} does not show the change to {file}"
        );
        assert!(took < Duration::from_secs(10), "reload took {took:?}");
        std::thread::sleep(Duration::from_millis(150));
    }

    // A broken save keeps the last good site and says why.
    while live.rebuilds.try_recv().is_ok() {}
    let path = root.join("docs/walkthrough/probes.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\n{{{{#include ../../k8s/nope.yaml}}}}\n"),
    )
    .unwrap();
    let result = live.rebuilds.recv_timeout(Duration::from_secs(20)).unwrap();
    let err = result.unwrap_err();
    assert!(err.contains("nope.yaml"), "{err}");
    let body = get(live.addr, "/walkthrough/probes.html").unwrap();
    assert!(
        body.contains("200 OK"),
        "the last good build is still served"
    );
    drop(live);
    runtime.shutdown_timeout(Duration::from_secs(1));
}

#[test]
fn a_port_in_use_gets_one_clear_sentence() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let root = fixture("port-in-use");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
}
