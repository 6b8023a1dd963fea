//! State of `marsad watch`: per-feed validators and schedule, and the items
//! already seen. Kept in the store file so a restarted watcher neither
//! refetches what it has nor forgets when each feed is due.
//!
//! Times are Unix seconds (UTC); the caller supplies "now" so tests and the
//! watcher agree on one clock.

use rusqlite::{params, OptionalExtension};

use crate::{Result, Store};

/// What the watcher remembers about one feed between polls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    pub url: String,
    /// The `ETag` of the last complete poll, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last complete poll (`If-Modified-Since`).
    pub last_modified: Option<String>,
    /// When the feed is next due.
    pub next_poll: i64,
    pub last_poll: Option<i64>,
    /// Why the last poll failed; `None` after a successful one.
    pub last_error: Option<String>,
    /// Consecutive failed polls.
    pub failures: i64,
}

/// An item the watcher has already handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenItem {
    /// Canonical URL of the article.
    pub url: String,
    pub content_hash: String,
    /// The id of the stored document holding this article's text (another
    /// URL's document when the same text was seen there first).
    pub doc_id: String,
    pub feed: Option<String>,
    pub first_seen: i64,
}

impl Store {
    /// The remembered state of a feed, if it was ever polled.
    pub fn feed_state(&self, url: &str) -> Result<Option<FeedState>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT url, etag, last_modified, next_poll, last_poll, last_error, failures
                 FROM feed_state WHERE url = ?1",
            )?
            .query_row([url], |r| {
                Ok(FeedState {
                    url: r.get(0)?,
                    etag: r.get(1)?,
                    last_modified: r.get(2)?,
                    next_poll: r.get(3)?,
                    last_poll: r.get(4)?,
                    last_error: r.get(5)?,
                    failures: r.get(6)?,
                })
            })
            .optional()?)
    }

    /// Writes a feed's state, replacing what was there.
    pub fn save_feed_state(&self, s: &FeedState) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO feed_state (url, etag, last_modified, next_poll, last_poll, last_error, failures)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,
                   last_modified = excluded.last_modified, next_poll = excluded.next_poll,
                   last_poll = excluded.last_poll, last_error = excluded.last_error,
                   failures = excluded.failures",
            )?
            .execute(params![
                s.url,
                s.etag,
                s.last_modified,
                s.next_poll,
                s.last_poll,
                s.last_error,
                s.failures
            ])?;
        Ok(())
    }

    /// The seen item with this canonical URL.
    pub fn seen_url(&self, url: &str) -> Result<Option<SeenItem>> {
        self.seen_where("url", url)
    }

    /// The first seen item whose text has this hash.
    pub fn seen_content(&self, content_hash: &str) -> Result<Option<SeenItem>> {
        self.seen_where("content_hash", content_hash)
    }

    fn seen_where(&self, column: &str, value: &str) -> Result<Option<SeenItem>> {
        let sql = format!(
            "SELECT url, content_hash, doc_id, feed, first_seen FROM seen_items
             WHERE {column} = ?1 ORDER BY first_seen, rowid LIMIT 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([value], |r| {
                Ok(SeenItem {
                    url: r.get(0)?,
                    content_hash: r.get(1)?,
                    doc_id: r.get(2)?,
                    feed: r.get(3)?,
                    first_seen: r.get(4)?,
                })
            })
            .optional()?)
    }

    /// Records an item as seen; a URL already recorded keeps its first
    /// sighting.
    pub fn mark_seen(&self, item: &SeenItem) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO seen_items (url, content_hash, doc_id, feed, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                item.url,
                item.content_hash,
                item.doc_id,
                item.feed,
                item.first_seen
            ])?;
        Ok(())
    }

    /// How many items have been seen (all feeds).
    pub fn seen_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM seen_items", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
