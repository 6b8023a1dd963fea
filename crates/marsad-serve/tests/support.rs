//! A store built from the test articles and a server on 127.0.0.1:0.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::thread::JoinHandle;

use marsad_extract::{Extractor, InputDoc};
use marsad_serve::{Config, IngestConfig};
use marsad_store::Store;

pub const ARTICLES: &str = include_str!("data/articles.jsonl");

pub fn extractor() -> Extractor {
    Extractor::embedded().expect("embedded lexicon")
}

pub fn docs(jsonl: &str) -> Vec<InputDoc> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("test article"))
        .collect()
}

/// Writes the test articles (and `copies` renamed copies, for paging) into
/// a fresh store.
pub fn build_store(dir: &Path, copies: usize) -> PathBuf {
    let path = dir.join("marsad.db");
    let ex = extractor();
    let mut store = Store::open(&path).expect("open store");
    let mut batch = Vec::new();
    for copy in 0..=copies {
        for mut d in docs(ARTICLES) {
            if copy > 0 {
                d.id = format!("{}-copy{copy}", d.id);
            }
            let r = ex.extract(&d);
            batch.push((d, r));
        }
    }
    store.ingest(&batch).expect("ingest");
    path
}

/// A running server; stopped (gracefully) when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    pub agent: ureq::Agent,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    pub fn start(config: Config) -> Server {
        let (tx_addr, rx_addr) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let app = marsad_serve::router(config).expect("router");
                let listener = marsad_serve::bind("127.0.0.1:0".parse().expect("addr"))
                    .await
                    .expect("bind");
                tx_addr
                    .send(listener.local_addr().expect("addr"))
                    .expect("send");
                marsad_serve::serve(listener, app, async {
                    let _ = stopped.await;
                })
                .await
                .expect("serve");
            });
        });
        let addr = rx_addr.recv().expect("server address");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
            agent,
            _dir: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// GET with query pairs; status and parsed JSON body.
    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let mut req = self.agent.get(self.url(path));
        for (k, v) in query {
            req = req.query(*k, *v);
        }
        let mut resp = req.call().expect("request");
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().expect("body");
        let json = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{path} {query:?}: body is not JSON ({e}): {body}"));
        (status, json)
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &[u8]) -> (u16, serde_json::Value) {
        let mut req = self.agent.post(self.url(path));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let mut resp = req.send(body).expect("request");
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().expect("body");
        (
            status,
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}")),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A read-only server over the test articles plus `copies` copies.
pub fn read_only(copies: usize, max_limit: usize) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = build_store(dir.path(), copies);
    let mut config = Config::new(db);
    config.max_limit = max_limit;
    let mut s = Server::start(config);
    s._dir = Some(dir);
    s
}

pub const TOKEN: &str = "s3cret-test-token";

/// A server that accepts ingest with [`TOKEN`], over an empty store.
pub fn ingesting(max_body: usize) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = Config::new(dir.path().join("fresh.db"));
    config.max_body = max_body;
    config.ingest = Some(IngestConfig {
        token: TOKEN.to_string(),
        extractor: extractor(),
    });
    let mut s = Server::start(config);
    s._dir = Some(dir);
    s
}

/// The test articles' store, shared by tests that only read (built once).
pub fn shared() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| read_only(0, 1000))
}
