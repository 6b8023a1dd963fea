//! The watcher end to end: real feeds and pages over HTTP into a real
//! SQLite store, across polls and restarts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use marsad_feeds::{FeedConfig, Fetcher, PollStats, WatchEvent, Watcher};
use marsad_store::Store;

use crate::fetch::quick_policy;
use crate::server::TestServer;
use crate::{data_dir, extractor};

fn feed(srv: &TestServer, path: &str, outlet: Option<&str>) -> FeedConfig {
    FeedConfig {
        url: srv.url(path),
        interval: Duration::from_secs(600),
        name: Some(path.trim_start_matches('/').to_string()),
        outlet: outlet.map(str::to_string),
    }
}

/// One `--once` round in a fresh watcher, as a cron run would do.
fn poll_once(store: &mut Store, feeds: &[FeedConfig]) -> (PollStats, Vec<WatchEvent>) {
    let mut events = Vec::new();
    let stop = AtomicBool::new(false);
    let stats = Watcher::new(
        store,
        extractor(),
        Fetcher::new(quick_policy()),
        feeds.to_vec(),
    )
    .poll_all(&stop, &mut |e| events.push(e))
    .expect("no store error");
    (stats, events)
}

const PAGES: [&str; 5] = [
    "/politics/2026/02/jordan-iraq-border",
    "/maghreb/2026/02/borders.html",
    "/lebanon/2026/03/parliament",
    "/sudan/2026/03/protests",
    "/syndicated/jordan-iraq",
];

#[test]
fn rss_atom_and_json_feed_items_are_stored_once_across_polls_and_restarts() {
    let srv = TestServer::start(&data_dir());
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("watch.db");
    let feeds = vec![
        feed(&srv, "/rss.xml", Some("الرصيف")),
        feed(&srv, "/atom.xml", None),
        feed(&srv, "/feed.json", None),
    ];

    let mut store = Store::open(&db).expect("store");
    let (first, events) = poll_once(&mut store, &feeds);
    assert_eq!(first.feeds_polled, 3);
    assert_eq!(first.feeds_failed, 0, "{events:?}");
    assert_eq!(first.items_stored, 4, "{events:?}");
    // the JSON Feed republishes the Jordan article under another URL, and
    // links the Lebanese one with a fragment
    assert_eq!(first.items_duplicate, 1, "{events:?}");
    assert_eq!(first.items_seen, 1, "{events:?}");
    assert_eq!(first.items_failed, 0, "{events:?}");

    let docs = store.documents().expect("documents");
    let base = &srv.base;
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let mut want = vec![
        format!("{base}/lebanon/2026/03/parliament"),
        format!("{base}/maghreb/2026/02/borders.html"),
        format!("{base}/politics/2026/02/jordan-iraq-border"),
        format!("{base}/sudan/2026/03/protests"),
    ];
    want.sort();
    assert_eq!(ids, want, "canonical URLs are the ids");
    let by_id = |suffix: &str| {
        docs.iter()
            .find(|d| d.id.ends_with(suffix))
            .expect("stored")
            .clone()
    };
    let jordan = by_id("jordan-iraq-border");
    assert_eq!(jordan.date.as_deref(), Some("2026-02-03"));
    assert_eq!(
        jordan.source.as_deref(),
        Some("الرصيف"),
        "the feed's outlet"
    );
    assert!(jordan.entities > 0, "extracted and stored with its record");
    assert_eq!(by_id("borders.html").date.as_deref(), Some("2026-02-17"));
    assert_eq!(by_id("borders.html").source.as_deref(), Some("الرصيف"));
    assert_eq!(by_id("parliament").date.as_deref(), Some("2026-03-09"));
    assert_eq!(by_id("parliament").source.as_deref(), Some("المنارة"));
    // the page's dateline, not the feed entry's later date
    assert_eq!(by_id("protests").date.as_deref(), Some("2026-03-12"));
    assert_eq!(
        by_id("protests").source.as_deref(),
        Some("127.0.0.1"),
        "no site name: the host"
    );
    let title: Option<String> = store
        .connection()
        .query_row(
            "SELECT title FROM documents WHERE id LIKE '%borders.html'",
            [],
            |r| r.get(0),
        )
        .expect("title");
    assert_eq!(
        title.as_deref(),
        Some("الجزائر والمغرب: تبادل الاتهامات حول الحدود المغلقة")
    );

    // Second --once run: the feeds answer 304 where they can; nothing new.
    let (second, events) = poll_once(&mut store, &feeds);
    assert_eq!(second.feeds_not_modified, 2, "{events:?}");
    assert_eq!(
        second.items_stored + second.items_duplicate,
        0,
        "{events:?}"
    );
    assert_eq!(second.items_seen, 2, "the JSON Feed has no validators");
    drop(store);

    // A restart: a new process opens the same file.
    let mut store = Store::open(&db).expect("reopen");
    let (third, events) = poll_once(&mut store, &feeds);
    assert_eq!(
        third.feeds_not_modified, 2,
        "validators survive: {events:?}"
    );
    assert_eq!(third.items_stored + third.items_duplicate, 0, "{events:?}");
    assert_eq!(store.documents().expect("docs").len(), 4);
    assert_eq!(store.seen_count().expect("seen"), 5);

    assert_eq!(srv.statuses("/rss.xml"), vec![200, 304, 304]);
    assert_eq!(srv.statuses("/atom.xml"), vec![200, 304, 304]);
    assert_eq!(srv.count("/feed.json"), 3);
    for page in PAGES {
        assert_eq!(srv.count(page), 1, "{page} fetched once in all");
    }
    let state = store
        .feed_state(&srv.url("/rss.xml"))
        .expect("state")
        .expect("polled");
    assert_eq!(state.etag.as_deref(), Some(crate::server::RSS_ETAG));
    assert_eq!(state.last_error, None);
}

#[test]
fn a_failing_feed_keeps_its_schedule_and_the_others_go_on() {
    let srv = TestServer::start(&data_dir());
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open(dir.path().join("w.db")).expect("store");
    let feeds = vec![
        feed(&srv, "/broken.xml", None),
        feed(&srv, "/garbage.xml", None),
        feed(&srv, "/missing.xml", None),
        feed(&srv, "/rss.xml", None),
    ];
    let before = chrono::Utc::now().timestamp();
    let (stats, events) = poll_once(&mut store, &feeds);
    assert_eq!(stats.feeds_failed, 3, "{events:?}");
    assert_eq!(stats.items_stored, 2, "the RSS feed still went through");
    let failures: Vec<String> = events
        .iter()
        .filter(|e| matches!(e, WatchEvent::FeedFailed { .. }))
        .map(ToString::to_string)
        .collect();
    assert_eq!(failures.len(), 3);
    assert!(failures[0].contains("HTTP status 503"), "{failures:?}");
    assert!(failures[1].contains("not a readable feed"), "{failures:?}");
    assert!(failures[2].contains("HTTP status 404"), "{failures:?}");

    let broken = store
        .feed_state(&srv.url("/broken.xml"))
        .expect("state")
        .expect("recorded");
    assert_eq!(broken.failures, 1);
    assert!(broken
        .last_error
        .as_deref()
        .is_some_and(|e| e.contains("/broken.xml")));
    assert!(
        broken.next_poll >= before + 600 && broken.next_poll <= before + 610,
        "next poll one interval on: {}",
        broken.next_poll - before
    );

    // The feed comes back: its error is cleared.
    srv.rss_down.store(true, Ordering::Relaxed);
    let (stats, _) = poll_once(&mut store, &feeds[3..]);
    assert_eq!(stats.feeds_failed, 1);
    let rss = store
        .feed_state(&srv.url("/rss.xml"))
        .expect("s")
        .expect("s");
    assert_eq!(rss.failures, 1);
    assert_eq!(
        rss.etag.as_deref(),
        Some(crate::server::RSS_ETAG),
        "kept for the next poll"
    );
    srv.rss_down.store(false, Ordering::Relaxed);
    let (stats, _) = poll_once(&mut store, &feeds[3..]);
    assert_eq!((stats.feeds_failed, stats.feeds_not_modified), (0, 1));
    let rss = store
        .feed_state(&srv.url("/rss.xml"))
        .expect("s")
        .expect("s");
    assert_eq!((rss.failures, rss.last_error), (0, None));
}

#[test]
fn a_stop_finishes_the_current_item_and_the_next_run_takes_the_rest() {
    let srv = TestServer::start(&data_dir());
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open(dir.path().join("w.db")).expect("store");
    let feeds = vec![feed(&srv, "/rss.xml", None), feed(&srv, "/atom.xml", None)];
    let stop = AtomicBool::new(false);
    let mut events = Vec::new();
    let stats = Watcher::new(
        &mut store,
        extractor(),
        Fetcher::new(quick_policy()),
        feeds.clone(),
    )
    .poll_all(&stop, &mut |e| {
        if matches!(e, WatchEvent::ItemStored { .. }) {
            stop.store(true, Ordering::Relaxed); // as the signal handler does
        }
        events.push(e);
    })
    .expect("poll");
    assert_eq!(stats.items_stored, 1, "{events:?}");
    assert_eq!(stats.feeds_polled, 1, "no feed started after the stop");
    assert_eq!(store.documents().expect("docs").len(), 1);
    let rss = store
        .feed_state(&srv.url("/rss.xml"))
        .expect("s")
        .expect("s");
    assert_eq!(
        rss.etag, None,
        "an interrupted feed is fetched whole next time"
    );

    let (stats, _) = poll_once(&mut store, &feeds);
    assert_eq!(stats.items_stored, 3);
    assert_eq!(stats.items_seen, 1);
    assert_eq!(store.documents().expect("docs").len(), 4);
    assert_eq!(srv.statuses("/rss.xml"), vec![200, 200]);
}

#[test]
fn only_due_feeds_are_polled() {
    let srv = TestServer::start(&data_dir());
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open(dir.path().join("w.db")).expect("store");
    let feeds = vec![feed(&srv, "/feed.json", None)];
    let stop = AtomicBool::new(false);
    let mut w = Watcher::new(&mut store, extractor(), Fetcher::new(quick_policy()), feeds);
    let first = w.poll_due(&stop, &mut |_| {}).expect("poll");
    assert_eq!(first.feeds_polled, 1, "never polled: due");
    let second = w.poll_due(&stop, &mut |_| {}).expect("poll");
    assert_eq!(second.feeds_polled, 0, "next poll is ten minutes away");
    assert_eq!(srv.count("/feed.json"), 1);
}

#[test]
fn a_windows_1256_feed_is_read_by_its_xml_declaration() {
    let srv = TestServer::start(&data_dir());
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open(dir.path().join("w.db")).expect("store");
    let (stats, events) = poll_once(&mut store, &[feed(&srv, "/rss-1256.xml", None)]);
    assert_eq!(
        (stats.feeds_failed, stats.items_stored),
        (0, 1),
        "{events:?}"
    );
    let docs = store.documents().expect("docs");
    assert_eq!(
        docs[0].id,
        srv.url("/sudan/2026/03/protests"),
        "relative link resolved"
    );
}
