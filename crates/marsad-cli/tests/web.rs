//! Article pages and feeds through the binary: `extract`/`ingest` of .html
//! files and URLs, and `marsad watch` against a loopback HTTP server.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use marsad_store::Store;

use super::server::TestServer;
use super::{marsad, records, scratch};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../marsad-feeds/tests/data")
}

fn fresh(name: &str) -> PathBuf {
    let p = scratch(name);
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).expect("dir");
    p
}

fn feeds_file(dir: &Path, srv: &TestServer, paths: &[&str]) -> PathBuf {
    let mut text = String::from("host_delay = \"0s\"\ninterval = \"1h\"\nretries = 1\n");
    for p in paths {
        text.push_str(&format!("\n[[feed]]\nurl = \"{}\"\n", srv.url(p)));
    }
    let path = dir.join("FEEDS.toml");
    std::fs::write(&path, text).expect("write FEEDS.toml");
    path
}

#[test]
fn extract_reads_html_files_and_page_urls() {
    let srv = TestServer::start(&data());
    let file = data().join("article-1256.html");
    let url = srv.url("/lebanon/2026/03/parliament?utm_source=x");
    let missing = srv.url("/gone");
    let out = marsad()
        .arg("extract")
        .arg(&file)
        .arg(&url)
        .arg(&missing)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "one input failed: {err}");
    assert!(
        err.contains(&format!("{missing}: line 1: HTTP status 404")),
        "{err}"
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 2, "{err}");
    assert_eq!(
        recs[0]["id"], "article-1256",
        "a file without canonical link: its stem"
    );
    assert_eq!(recs[0]["date"], "2026-02-17");
    assert_eq!(recs[0]["source"], "الأخبار المغاربية");
    assert_eq!(recs[1]["id"], srv.url("/lebanon/2026/03/parliament"));
    assert_eq!(recs[1]["date"], "2026-03-09");
    let names: Vec<&str> = recs[1]["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter_map(|e| e["name_en"].as_str())
        .collect();
    assert!(names.contains(&"Lebanon"), "{names:?}");
}

#[test]
fn ingest_stores_pages_by_canonical_url() {
    let srv = TestServer::start(&data());
    let dir = fresh("web-ingest");
    let db = dir.join("m.db");
    let run = || {
        marsad()
            .args(["ingest", "--db"])
            .arg(&db)
            .arg(srv.url("/politics/2026/02/jordan-iraq-border?utm_medium=x"))
            .arg(data().join("article-dateline.html"))
            .output()
            .expect("runs")
    };
    for _ in 0..2 {
        let out = run();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = Store::open_read_only(&db).expect("db");
    let docs = store.documents().expect("docs");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let jordan = srv.url("/politics/2026/02/jordan-iraq-border");
    assert_eq!(ids, vec!["article-dateline", jordan.as_str()]);
    assert_eq!(docs[0].date.as_deref(), Some("2026-03-12"));
    assert_eq!(docs[1].source.as_deref(), Some("صحيفة الرصيف"));
}

#[test]
fn watch_once_twice_stores_each_item_once_and_a_failing_feed_is_reported() {
    let srv = TestServer::start(&data());
    let dir = fresh("web-watch-once");
    let db = dir.join("w.db");
    let feeds = feeds_file(
        &dir,
        &srv,
        &["/broken.xml", "/rss.xml", "/atom.xml", "/feed.json"],
    );
    let run = || {
        marsad()
            .args(["watch", "--once", "--db"])
            .arg(&db)
            .arg(&feeds)
            .output()
            .expect("runs")
    };
    let first = run();
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(1), "a feed failed: {err}");
    assert!(err.contains("/broken.xml: HTTP status 503"), "{err}");
    assert!(err.contains("4 items stored, 1 duplicates"), "{err}");
    let second = run();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("0 items stored, 0 duplicates, 2 already seen"),
        "{err}"
    );
    assert!(err.contains("2 not modified"), "{err}");
    assert_eq!(
        Store::open_read_only(&db)
            .expect("db")
            .documents()
            .expect("docs")
            .len(),
        4
    );
    assert_eq!(srv.count("/politics/2026/02/jordan-iraq-border"), 1);
    assert_eq!(srv.count("/broken.xml"), 4, "one retry per run");
}

#[test]
fn watch_runs_until_sigterm_and_exits_cleanly() {
    let srv = TestServer::start(&data());
    let dir = fresh("web-watch-term");
    let db = dir.join("w.db");
    let feeds = feeds_file(&dir, &srv, &["/rss.xml", "/atom.xml"]);
    let mut child = marsad()
        .args(["watch", "--db"])
        .arg(&db)
        .arg(&feeds)
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let stored = Store::open_read_only(&db)
            .and_then(|s| s.documents())
            .map(|d| d.len())
            .unwrap_or(0);
        if stored == 4 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the watcher stored {stored} of 4"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // the shell's own `kill`: no procps needed on a bare machine
    let killed = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .expect("kill");
    assert!(killed.success());
    let started = Instant::now();
    let out = loop {
        if let Some(_status) = child.try_wait().expect("wait") {
            break child.wait_with_output().expect("output");
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("stopped by signal"), "{err}");
    let store = Store::open_read_only(&db).expect("db");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(store.documents().expect("docs").len(), 4);
}
