//! The watcher's state tables (`feeds.rs`).

use marsad_store::{FeedState, SeenItem, Store};

#[test]
fn feed_state_and_seen_items_survive_reopening() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("feeds.db");
    {
        let store = Store::open(&path).expect("open");
        assert_eq!(
            store.feed_state("https://a.example/rss").expect("read"),
            None
        );
        let mut state = FeedState {
            url: "https://a.example/rss".into(),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            next_poll: 1_800_000_000,
            last_poll: Some(1_799_999_100),
            last_error: None,
            failures: 0,
        };
        store.save_feed_state(&state).expect("save");
        state.failures = 2;
        state.last_error = Some("https://a.example/rss: HTTP status 503".into());
        store.save_feed_state(&state).expect("update");
        let first = SeenItem {
            url: "https://a.example/news/1".into(),
            content_hash: "00ff".into(),
            doc_id: "https://a.example/news/1".into(),
            feed: Some("https://a.example/rss".into()),
            first_seen: 100,
        };
        store.mark_seen(&first).expect("mark");
        // seen again later: the first sighting is kept
        store
            .mark_seen(&SeenItem {
                first_seen: 200,
                ..first.clone()
            })
            .expect("mark again");
        store
            .mark_seen(&SeenItem {
                url: "https://b.example/copy".into(),
                first_seen: 300,
                ..first.clone()
            })
            .expect("mark copy");
    }
    let store = Store::open(&path).expect("reopen");
    let state = store
        .feed_state("https://a.example/rss")
        .expect("read")
        .expect("stored");
    assert_eq!(state.failures, 2);
    assert_eq!(state.etag.as_deref(), Some("\"v1\""));
    assert!(state.last_error.is_some_and(|e| e.contains("503")));
    let seen = store
        .seen_url("https://a.example/news/1")
        .expect("read")
        .expect("seen");
    assert_eq!(seen.first_seen, 100);
    let by_hash = store.seen_content("00ff").expect("read").expect("seen");
    assert_eq!(by_hash.url, "https://a.example/news/1", "the first one");
    assert_eq!(store.seen_content("0000").expect("read"), None);
    assert_eq!(store.seen_count().expect("count"), 2);
}
