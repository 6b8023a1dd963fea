//! A real HTTP server on loopback serving the pages and feeds of
//! `tests/data`, counting requests per path and answering conditional GETs.
//! Also used by marsad-cli's tests (included there by path).

// Each of the two test binaries uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use tiny_http::{Header, Request, Response, Server};

/// The RSS feed's validator, and its Last-Modified.
pub const RSS_ETAG: &str = "\"rss-v1\"";
pub const ATOM_LAST_MODIFIED: &str = "Thu, 12 Mar 2026 10:00:00 GMT";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub at: Instant,
    pub user_agent: Option<String>,
    pub status: u16,
}

pub struct TestServer {
    pub base: String,
    server: Arc<Server>,
    log: Arc<Mutex<Vec<Seen>>>,
    /// Once set, `/rss.xml` always fails with 500 (a feed going down).
    pub rss_down: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn request_header(req: &Request, name: &'static str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

impl TestServer {
    pub fn start(data: &Path) -> TestServer {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind loopback"));
        let addr = server.server_addr().to_ip().expect("an IP address");
        let base = format!("http://{addr}");
        let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let rss_down = Arc::new(AtomicBool::new(false));
        let handle = {
            let (server, log, base, rss_down) =
                (server.clone(), log.clone(), base.clone(), rss_down.clone());
            let data = data.to_path_buf();
            std::thread::spawn(move || {
                for req in server.incoming_requests() {
                    let path = req.url().split('?').next().unwrap_or("").to_string();
                    let user_agent = request_header(&req, "User-Agent");
                    let flaky_count = log
                        .lock()
                        .expect("log")
                        .iter()
                        .filter(|s| s.path == path)
                        .count();
                    let (status, resp) = respond(&data, &base, &req, &path, flaky_count, &rss_down);
                    log.lock().expect("log").push(Seen {
                        path,
                        at: Instant::now(),
                        user_agent,
                        status,
                    });
                    let _ = req.respond(resp);
                }
            })
        };
        TestServer {
            base,
            server,
            log,
            rss_down,
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests for a path (query ignored) so far.
    pub fn count(&self, path: &str) -> usize {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|s| s.path == path)
            .count()
    }

    /// Statuses answered for a path, in order.
    pub fn statuses(&self, path: &str) -> Vec<u16> {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|s| s.path == path)
            .map(|s| s.status)
            .collect()
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn file(data: &Path, name: &str) -> Vec<u8> {
    let p: PathBuf = data.join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Serves one request: `(status, response)`.
fn respond(
    data: &Path,
    base: &str,
    req: &Request,
    path: &str,
    earlier_requests: usize,
    rss_down: &AtomicBool,
) -> (u16, Response<std::io::Cursor<Vec<u8>>>) {
    let html = |bytes: Vec<u8>, content_type: &str| {
        (
            200,
            Response::from_data(bytes).with_header(header("Content-Type", content_type)),
        )
    };
    let template = |name: &str| {
        String::from_utf8(file(data, name))
            .expect("UTF-8 template")
            .replace("{base}", base)
            .into_bytes()
    };
    let not_modified = || (304, Response::from_data(Vec::new()).with_status_code(304));
    match path {
        "/rss.xml" => {
            if rss_down.load(Ordering::Relaxed) {
                return (500, Response::from_string("down").with_status_code(500));
            }
            if request_header(req, "If-None-Match").as_deref() == Some(RSS_ETAG) {
                return not_modified();
            }
            let (s, r) = html(template("rss.xml"), "application/rss+xml; charset=utf-8");
            (s, r.with_header(header("ETag", RSS_ETAG)))
        }
        "/atom.xml" => {
            if request_header(req, "If-Modified-Since").as_deref() == Some(ATOM_LAST_MODIFIED) {
                return not_modified();
            }
            let (s, r) = html(template("atom.xml"), "application/atom+xml");
            (
                s,
                r.with_header(header("Last-Modified", ATOM_LAST_MODIFIED)),
            )
        }
        "/feed.json" => html(template("feed.json"), "application/feed+json"),
        // declared only in the XML declaration
        "/rss-1256.xml" => html(file(data, "rss-1256.xml"), "application/rss+xml"),
        "/broken.xml" => (
            503,
            Response::from_string("maintenance")
                .with_status_code(503)
                .with_header(header("Retry-After", "0")),
        ),
        "/garbage.xml" => html(
            b"<html><body>not a feed</body></html>".to_vec(),
            "text/html",
        ),
        "/politics/2026/02/jordan-iraq-border" => html(
            file(data, "article-clutter.html"),
            "text/html; charset=utf-8",
        ),
        "/syndicated/jordan-iraq" => {
            // the same article republished elsewhere, without its canonical link
            let page = String::from_utf8(file(data, "article-clutter.html")).expect("UTF-8");
            let page = page.replace(
                r#"<link rel="canonical" href="/politics/2026/02/jordan-iraq-border">"#,
                "",
            );
            html(page.into_bytes(), "text/html; charset=utf-8")
        }
        // declared only in the page's <meta>
        "/maghreb/2026/02/borders.html" => html(file(data, "article-1256.html"), "text/html"),
        "/lebanon/2026/03/parliament" => html(file(data, "article-jsonld.html"), "text/html"),
        "/sudan/2026/03/protests" => html(file(data, "article-dateline.html"), "text/html"),
        "/big.html" => html(vec![b'a'; 3 << 20], "text/html"),
        "/flaky.html" if earlier_requests == 0 => (
            503,
            Response::from_string("busy")
                .with_status_code(503)
                .with_header(header("Retry-After", "0")),
        ),
        "/flaky.html" => html(file(data, "article-dateline.html"), "text/html"),
        _ => (
            404,
            Response::from_string("not found").with_status_code(404),
        ),
    }
}
