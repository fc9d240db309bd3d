//! Headless Chromium (Debian's `chromium`) driven over the DevTools protocol
//! (chromiumoxide): page loads with their console errors, exceptions and
//! every request the page makes, so a request leaving the machine is seen.

use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::browser_protocol::network::EventRequestWillBeSent;
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures_util::{FutureExt, StreamExt};
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The Chromium binary (testkit's finder), or `None` when it is not
/// installed: testkit's skip policy then printed a `SKIPPED:` line naming
/// the test (libtest names each test's thread after it), or, with
/// `CI=true`, failed the test.
pub fn chromium() -> Option<PathBuf> {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a browser test");
    testkit::need(
        test,
        "chromium",
        testkit::chromium(),
        "apt-get install chromium",
    )
}

/// One headless browser with a fresh profile.
pub struct Chrome {
    pub browser: Browser,
    handler: tokio::task::JoinHandle<()>,
}

impl Chrome {
    pub async fn launch(exe: PathBuf, profile: PathBuf) -> Chrome {
        let config = BrowserConfig::builder()
            .chrome_executable(exe)
            .disable_default_args()
            .no_sandbox()
            .args([
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-dev-shm-usage",
                "--font-render-hinting=none",
            ])
            .user_data_dir(profile)
            .window_size(1280, 720)
            .viewport(Viewport {
                width: 1280,
                height: 720,
                ..Viewport::default()
            })
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(60))
            .build()
            .expect("browser config");
        let (browser, mut handler) = Browser::launch(config).await.expect("launching chromium");
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Chrome { browser, handler }
    }

    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }
}

/// A tab that records what its pages do.
pub struct Tab {
    pub page: Page,
    console: chromiumoxide::listeners::EventStream<EventConsoleApiCalled>,
    exceptions: chromiumoxide::listeners::EventStream<EventExceptionThrown>,
    log: chromiumoxide::listeners::EventStream<EventEntryAdded>,
    requests: chromiumoxide::listeners::EventStream<EventRequestWillBeSent>,
}

/// Whether a request stays on this machine.
pub fn is_local(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if ["data:", "blob:", "about:", "file:", "chrome:", "devtools:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return true;
    }
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .or_else(|| lower.strip_prefix("ws://"));
    rest.is_some_and(|r| {
        r.starts_with("127.0.0.1") || r.starts_with("localhost") || r.starts_with("[::1]")
    })
}

impl Tab {
    pub async fn open(chrome: &Chrome) -> Tab {
        let page = chrome
            .browser
            .new_page("about:blank")
            .await
            .expect("new tab");
        page.enable_log().await.expect("Log.enable");
        Tab {
            console: page
                .event_listener::<EventConsoleApiCalled>()
                .await
                .unwrap(),
            exceptions: page.event_listener::<EventExceptionThrown>().await.unwrap(),
            log: page.event_listener::<EventEntryAdded>().await.unwrap(),
            requests: page
                .event_listener::<EventRequestWillBeSent>()
                .await
                .unwrap(),
            page,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.page
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("loading {url}: {e}"));
    }

    /// Evaluates a JavaScript expression.
    pub async fn eval<T: DeserializeOwned>(&self, js: &str) -> T {
        self.page
            .evaluate(js)
            .await
            .unwrap_or_else(|e| panic!("evaluating {js}: {e}"))
            .into_value()
            .unwrap_or_else(|e| panic!("result of {js}: {e}"))
    }

    /// Polls `js` until it is true; false after `timeout`.
    pub async fn wait_for(&self, js: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self
                .page
                .evaluate(js)
                .await
                .ok()
                .and_then(|v| v.into_value::<bool>().ok())
                == Some(true)
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    pub async fn key(&self, key: &str) {
        self.page
            .find_element("body")
            .await
            .expect("body")
            .press_key(key)
            .await
            .unwrap_or_else(|e| panic!("pressing {key}: {e}"));
    }

    /// Console errors, uncaught exceptions, error log entries and requests
    /// leaving the machine since the last call.
    pub fn problems(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        while let Some(Some(e)) = self.console.next().now_or_never() {
            if matches!(
                e.r#type,
                ConsoleApiCalledType::Error | ConsoleApiCalledType::Assert
            ) {
                let text: Vec<String> = e
                    .args
                    .iter()
                    .map(|a| {
                        a.value
                            .as_ref()
                            .map(|v| v.to_string())
                            .or_else(|| a.description.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                problems.push(format!("console error: {}", text.join(" ")));
            }
        }
        while let Some(Some(e)) = self.exceptions.next().now_or_never() {
            let d = &e.exception_details;
            let what = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_else(|| d.text.clone());
            problems.push(format!("uncaught exception: {what}"));
        }
        while let Some(Some(e)) = self.log.next().now_or_never() {
            if e.entry.level == LogEntryLevel::Error {
                let url = e.entry.url.clone().unwrap_or_default();
                problems.push(format!("error: {} {url}", e.entry.text));
            }
        }
        while let Some(Some(e)) = self.requests.next().now_or_never() {
            if !is_local(&e.request.url) {
                problems.push(format!("request leaving the machine: {}", e.request.url));
            }
        }
        problems
    }
}

/// JavaScript: the state of every diagram on the page (`ok`, or what is wrong).
pub const DIAGRAM_STATE: &str = r#"JSON.stringify([].concat(
  Array.from(document.querySelectorAll('pre.mermaid, code.language-mermaid')).map(function (p, i) {
    return 'diagram source shown instead of a drawing: ' + p.textContent.slice(0, 40);
  }),
  Array.from(document.querySelectorAll('script[src*="mermaid"]')).map(function (s) {
    return 'mermaid script loaded: ' + s.src;
  }),
  Array.from(document.querySelectorAll('figure.diagram')).map(function (f, i) {
    var svg = f.querySelector('svg.dg');
    if (!svg) { return 'diagram ' + (i + 1) + ': no SVG'; }
    if (svg.getAttribute('role') !== 'img' || !(svg.getAttribute('aria-label') || '').trim()) {
      return 'diagram ' + (i + 1) + ': no accessible name';
    }
    if (svg.querySelectorAll('text, foreignObject').length === 0) { return 'diagram ' + (i + 1) + ': no labels'; }
    return 'ok';
  })))"#;

/// JavaScript: true once the page is loaded (diagrams arrive drawn) and, on
/// a guide page, the scripts it fetches after its first paint have run
/// (`site/theme/index.hbs` marks them on `<html data-scripts>`).
pub const SETTLED: &str =
    "document.readyState === 'complete' && document.documentElement.dataset.scripts !== 'loading'";

/// JavaScript: slides whose content does not fit the 1280x720 frame.
pub const OVERFLOWING_SLIDES: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('#frame > .slide')).filter(function (s) {
  var boxes = [s].concat(Array.from(s.querySelectorAll('pre, .col, table, .slide-content')));
  return boxes.some(function (b) {
    return b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1;
  }) || s.querySelector('.slide-content').getBoundingClientRect().bottom > s.getBoundingClientRect().bottom + 1;
}).map(function (s) { return s.id; }))"#;

/// Runs an async browser test on a fresh runtime.
pub fn run<F: std::future::Future<Output = ()>>(f: F) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

// --- the setup every browser test shares -----------------------------------

/// How long a page may take to settle in a test.
pub const WAIT: Duration = Duration::from_secs(20);

/// JavaScript: true once the deck has laid out its slides.
pub const DECK_READY: &str = "document.documentElement.dataset.deck === 'ready'";

static ONE_BROWSER_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Chromium's path and a lock that keeps this test the only one of the
/// test binary with a browser open (two would starve each other on 2 cores).
/// `None` when Chromium is missing: [`chromium`] then printed the skip (or
/// failed, CI=true).
pub fn chromium_alone() -> Option<(PathBuf, std::sync::MutexGuard<'static, ()>)> {
    let exe = chromium()?;
    let lock = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    Some((exe, lock))
}

/// Chromium started with a fresh profile (`scratch(profile)`), one tab
/// open, and `site` served by the real server: what every browser test
/// begins with. Returns the browser (to close), the tab and the base URL.
pub async fn start(exe: PathBuf, profile: &str, site: &std::path::Path) -> (Chrome, Tab, String) {
    let chrome = Chrome::launch(exe, super::scratch(profile)).await;
    let tab = Tab::open(&chrome).await;
    let base = serve(site).await;
    (chrome, tab, base)
}

/// Evaluates `js`, an expression returning a JSON list of strings (the
/// problems a check found).
pub async fn problems_of(tab: &Tab, js: &str) -> Vec<String> {
    let found: String = tab.eval(js).await;
    serde_json::from_str(&found).unwrap()
}

/// Injects CSS that undoes a fix (a `<style id="broken">`), so a check can
/// be seen to fail.
pub async fn break_with(tab: &Tab, css: &str) {
    let js = format!(
        "(function () {{ var s = document.createElement('style'); s.id = 'broken'; s.textContent = {}; document.head.appendChild(s); return true; }})()",
        serde_json::to_string(css).unwrap()
    );
    let _: bool = tab.eval(&js).await;
}

/// Prints the open page to PDF as a reader would (the page's own size,
/// backgrounds on) and returns how many pages came out.
pub async fn printed_pages(tab: &Tab) -> usize {
    let pdf = tab
        .page
        .pdf(
            chromiumoxide::cdp::browser_protocol::page::PrintToPdfParams::builder()
                .prefer_css_page_size(true)
                .print_background(true)
                .build(),
        )
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// Serves `dir` with the real server on a free port; returns its base URL.
pub async fn serve(dir: &std::path::Path) -> String {
    let listener = site::live::serve::bind(0).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (router, _reloader) = site::live::serve::app(dir);
    tokio::spawn(site::live::serve::run(listener, router));
    format!("http://{addr}")
}

/// Sets the window's size; `touch` emulates a phone or tablet (touch
/// events, no hover).
pub async fn viewport(tab: &Tab, width: u32, height: u32, touch: bool) {
    use chromiumoxide::cdp::browser_protocol::emulation::{
        SetDeviceMetricsOverrideParams, SetTouchEmulationEnabledParams,
    };
    tab.page
        .execute(
            SetDeviceMetricsOverrideParams::builder()
                .width(width as i64)
                .height(height as i64)
                .device_scale_factor(1.0)
                .mobile(touch)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    tab.page
        .execute(SetTouchEmulationEnabledParams::new(touch))
        .await
        .unwrap();
}

/// Saves a screenshot of the viewport under `$CARGO_TARGET_TMPDIR/screenshots/`
/// (to look at; the tests do not compare pixels). Returns its path.
pub async fn screenshot(tab: &Tab, name: &str) -> PathBuf {
    use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
    use chromiumoxide::page::ScreenshotParams;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    tab.page
        .save_screenshot(
            ScreenshotParams::builder()
                .format(CaptureScreenshotFormat::Png)
                .build(),
            &path,
        )
        .await
        .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    path
}

/// Dispatches a key press the way the deck listens for it (`keydown` on
/// the document), for keys CDP's key table lacks (`?`, `+`, `.`).
pub async fn type_key(tab: &Tab, key: &str) {
    let js = format!(
        "document.dispatchEvent(new KeyboardEvent('keydown', {{ key: {}, bubbles: true }})), true",
        serde_json::to_string(key).unwrap()
    );
    let _: bool = tab.eval(&js).await;
}
