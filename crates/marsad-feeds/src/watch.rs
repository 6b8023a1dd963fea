//! The watcher: polls each feed when it is due, fetches the pages of items
//! not seen before, extracts and stores them.
//!
//! Each item is handled to the end (stored and marked seen) before the stop
//! flag is looked at again, so a shutdown never leaves half an item. A
//! feed's validators (ETag, Last-Modified) are saved only once all its items
//! went through; after a failed item or an interruption the next poll gets
//! the full feed again and the items already seen cost a database lookup.

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use feed_rs::model::Entry;
use marsad_extract::{Extractor, InputDoc};
use marsad_store::{text_hash, FeedState, SeenItem, Store};

use crate::config::FeedConfig;
use crate::decode::decode_html;
use crate::fetch::{Fetcher, Validators};
use crate::page::{canonical_url, extract_article};
use crate::{Error, Result};

/// What happened, for the caller to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    FeedNotModified {
        feed: String,
    },
    FeedFailed {
        feed: String,
        error: String,
    },
    FeedPolled {
        feed: String,
        items: usize,
    },
    ItemStored {
        feed: String,
        url: String,
        title: Option<String>,
    },
    /// The same text was stored earlier under another URL.
    ItemDuplicate {
        feed: String,
        url: String,
        of: String,
    },
    ItemFailed {
        feed: String,
        url: String,
        error: String,
    },
}

impl fmt::Display for WatchEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WatchEvent::FeedNotModified { feed } => write!(f, "{feed}: not modified"),
            WatchEvent::FeedFailed { feed, error } => {
                write!(f, "{feed}: poll failed, next poll as scheduled: {error}")
            }
            WatchEvent::FeedPolled { feed, items } => write!(f, "{feed}: {items} items"),
            WatchEvent::ItemStored { feed, url, title } => match title {
                Some(t) => write!(f, "{feed}: stored {url} «{t}»"),
                None => write!(f, "{feed}: stored {url}"),
            },
            WatchEvent::ItemDuplicate { feed, url, of } => {
                write!(f, "{feed}: {url} has the text of {of}; not stored again")
            }
            WatchEvent::ItemFailed { feed, url, error } => {
                write!(f, "{feed}: item {url} failed, retried next poll: {error}")
            }
        }
    }
}

/// Totals of one or more polling rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollStats {
    pub feeds_polled: u64,
    pub feeds_not_modified: u64,
    pub feeds_failed: u64,
    pub items_stored: u64,
    /// Items whose URL was seen before (not fetched again).
    pub items_seen: u64,
    pub items_duplicate: u64,
    pub items_failed: u64,
}

impl PollStats {
    fn merge(&mut self, o: PollStats) {
        self.feeds_polled += o.feeds_polled;
        self.feeds_not_modified += o.feeds_not_modified;
        self.feeds_failed += o.feeds_failed;
        self.items_stored += o.items_stored;
        self.items_seen += o.items_seen;
        self.items_duplicate += o.items_duplicate;
        self.items_failed += o.items_failed;
    }
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Reads one article page, from a file (`.html`) or a URL, into the
/// document the extractor reads. A file's id is its canonical URL when the
/// page declares one, else its file stem (as for `.txt` inputs);
/// `fallback_date` is used when the page has no date of its own.
pub fn read_page(
    input: &str,
    fetcher: &Fetcher,
    extractor: &Extractor,
    fallback_date: Option<&str>,
) -> Result<InputDoc> {
    let mut doc = if input.starts_with("http://") || input.starts_with("https://") {
        let fetched = fetcher.get(input, Validators::default())?;
        let html = decode_html(&fetched.body, fetched.content_type.as_deref());
        let article = extract_article(&html, Some(&fetched.url), input, extractor)?;
        let id = canonical_url(&fetched.url)?;
        article.into_input_doc(&id)
    } else {
        let bytes = std::fs::read(input).map_err(|e| Error::Io {
            path: input.to_string(),
            error: e,
        })?;
        let html = decode_html(&bytes, None);
        let stem = Path::new(input)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| input.to_string());
        extract_article(&html, None, input, extractor)?.into_input_doc(&stem)
    };
    if doc.date.is_none() {
        doc.date = fallback_date.map(str::to_string);
    }
    Ok(doc)
}

/// The article link of a feed entry: its `alternate` link, else its first
/// link, else an id that is itself a URL (RSS `guid isPermaLink`).
fn entry_link(e: &Entry) -> Option<String> {
    e.links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())
        .map(|l| l.href.trim().to_string())
        .or_else(|| {
            (e.id.starts_with("http://") || e.id.starts_with("https://")).then(|| e.id.clone())
        })
}

/// Polls feeds into a store.
pub struct Watcher<'a> {
    store: &'a mut Store,
    extractor: &'a Extractor,
    fetcher: Fetcher,
    feeds: Vec<FeedConfig>,
}

impl<'a> Watcher<'a> {
    pub fn new(
        store: &'a mut Store,
        extractor: &'a Extractor,
        fetcher: Fetcher,
        feeds: Vec<FeedConfig>,
    ) -> Watcher<'a> {
        Watcher {
            store,
            extractor,
            fetcher,
            feeds,
        }
    }

    /// Polls every feed once now, whatever its schedule (for cron), and
    /// schedules each one's next poll.
    pub fn poll_all(
        &mut self,
        stop: &AtomicBool,
        report: &mut dyn FnMut(WatchEvent),
    ) -> Result<PollStats> {
        self.poll(true, stop, report)
    }

    /// Polls the feeds that are due.
    pub fn poll_due(
        &mut self,
        stop: &AtomicBool,
        report: &mut dyn FnMut(WatchEvent),
    ) -> Result<PollStats> {
        self.poll(false, stop, report)
    }

    fn poll(
        &mut self,
        all: bool,
        stop: &AtomicBool,
        report: &mut dyn FnMut(WatchEvent),
    ) -> Result<PollStats> {
        let mut stats = PollStats::default();
        for i in 0..self.feeds.len() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let feed = self.feeds[i].clone();
            let state = self.store.feed_state(&feed.url)?.unwrap_or(FeedState {
                url: feed.url.clone(),
                ..FeedState::default()
            });
            if all || state.next_poll <= now_secs() {
                stats.merge(self.poll_feed(&feed, state, stop, report)?);
            }
        }
        Ok(stats)
    }

    /// Runs until `stop` is set: polls what is due, then sleeps until the
    /// next feed is due (waking every quarter second to look at `stop`).
    pub fn run(
        &mut self,
        stop: &AtomicBool,
        report: &mut dyn FnMut(WatchEvent),
    ) -> Result<PollStats> {
        let mut total = PollStats::default();
        while !stop.load(Ordering::Relaxed) {
            total.merge(self.poll_due(stop, report)?);
            let mut next = i64::MAX;
            for f in &self.feeds {
                let due = self.store.feed_state(&f.url)?.map_or(0, |s| s.next_poll);
                next = next.min(due);
            }
            while !stop.load(Ordering::Relaxed) && now_secs() < next {
                std::thread::sleep(Duration::from_millis(250));
            }
        }
        Ok(total)
    }

    fn poll_feed(
        &mut self,
        feed: &FeedConfig,
        mut state: FeedState,
        stop: &AtomicBool,
        report: &mut dyn FnMut(WatchEvent),
    ) -> Result<PollStats> {
        let mut stats = PollStats {
            feeds_polled: 1,
            ..PollStats::default()
        };
        let started = now_secs();
        state.last_poll = Some(started);
        // A feed keeps its schedule whatever happens to this poll.
        state.next_poll = started.saturating_add(feed.interval.as_secs().max(1) as i64);
        let label = feed.label().to_string();
        let validators = Validators {
            etag: state.etag.as_deref(),
            last_modified: state.last_modified.as_deref(),
        };
        let parsed = self.fetcher.get(&feed.url, validators).and_then(|f| {
            if f.not_modified() {
                return Ok((f, None));
            }
            let parsed = feed_rs::parser::parse(f.body.as_slice()).map_err(|e| Error::Feed {
                url: feed.url.clone(),
                reason: e.to_string(),
            })?;
            Ok((f, Some(parsed)))
        });
        let (fetched, parsed) = match parsed {
            Ok(p) => p,
            Err(e) => {
                state.failures += 1;
                state.last_error = Some(e.to_string());
                self.store.save_feed_state(&state)?;
                stats.feeds_failed = 1;
                report(WatchEvent::FeedFailed {
                    feed: label,
                    error: e.to_string(),
                });
                return Ok(stats);
            }
        };
        state.failures = 0;
        state.last_error = None;
        let Some(parsed) = parsed else {
            self.store.save_feed_state(&state)?;
            stats.feeds_not_modified = 1;
            report(WatchEvent::FeedNotModified { feed: label });
            return Ok(stats);
        };
        report(WatchEvent::FeedPolled {
            feed: label.clone(),
            items: parsed.entries.len(),
        });
        let mut complete = true;
        for entry in &parsed.entries {
            if stop.load(Ordering::Relaxed) {
                complete = false;
                break;
            }
            let item = self.item(feed, &fetched.url, entry, &mut stats)?;
            if let Some(event) = item {
                if matches!(event, WatchEvent::ItemFailed { .. }) {
                    complete = false;
                }
                report(event);
            }
        }
        if complete {
            state.etag = fetched.etag;
            state.last_modified = fetched.last_modified;
        }
        self.store.save_feed_state(&state)?;
        Ok(stats)
    }

    /// Handles one entry. Only store errors are returned; everything about
    /// the item itself becomes an event.
    fn item(
        &mut self,
        feed: &FeedConfig,
        feed_url: &str,
        entry: &Entry,
        stats: &mut PollStats,
    ) -> Result<Option<WatchEvent>> {
        let label = feed.label().to_string();
        let failed = |stats: &mut PollStats, url: &str, error: String| {
            stats.items_failed += 1;
            Some(WatchEvent::ItemFailed {
                feed: label.clone(),
                url: url.to_string(),
                error,
            })
        };
        let Some(link) = entry_link(entry) else {
            return Ok(failed(stats, &entry.id, "the item has no link".into()));
        };
        // Relative links are resolved against the feed's own URL.
        let link = url::Url::parse(feed_url)
            .and_then(|base| base.join(&link))
            .map(|u| u.to_string())
            .unwrap_or(link);
        let item_url = match canonical_url(&link) {
            Ok(u) => u,
            Err(e) => return Ok(failed(stats, &link, e.to_string())),
        };
        if self.store.seen_url(&item_url)?.is_some() {
            stats.items_seen += 1;
            return Ok(None);
        }
        let fetched = match self.fetcher.get(&link, Validators::default()) {
            Ok(f) => f,
            Err(e) => return Ok(failed(stats, &item_url, e.to_string())),
        };
        let html = decode_html(&fetched.body, fetched.content_type.as_deref());
        let article = match extract_article(&html, Some(&fetched.url), &item_url, self.extractor) {
            Ok(a) => a,
            Err(e) => return Ok(failed(stats, &item_url, e.to_string())),
        };
        let page_url = article.url.clone().unwrap_or_else(|| item_url.clone());
        let first_seen = now_secs();
        let seen = |doc_id: &str, url: &str, hash: &str| SeenItem {
            url: url.to_string(),
            content_hash: hash.to_string(),
            doc_id: doc_id.to_string(),
            feed: Some(feed.url.clone()),
            first_seen,
        };
        if page_url != item_url {
            if let Some(prev) = self.store.seen_url(&page_url)? {
                self.store
                    .mark_seen(&seen(&prev.doc_id, &item_url, &prev.content_hash))?;
                stats.items_seen += 1;
                return Ok(None);
            }
        }
        let hash = text_hash(&article.text);
        if let Some(prev) = self.store.seen_content(&hash)? {
            for url in [&item_url, &page_url] {
                self.store.mark_seen(&seen(&prev.doc_id, url, &hash))?;
            }
            stats.items_duplicate += 1;
            return Ok(Some(WatchEvent::ItemDuplicate {
                feed: label,
                url: page_url,
                of: prev.url,
            }));
        }
        let feed_date = entry
            .published
            .or(entry.updated)
            .map(|d| d.format("%Y-%m-%d").to_string());
        let mut doc = article.into_input_doc(&page_url);
        if doc.date.is_none() {
            doc.date = feed_date;
        }
        if doc.title.is_none() {
            doc.title = entry.title.as_ref().map(|t| t.content.trim().to_string());
        }
        if let Some(outlet) = &feed.outlet {
            doc.source = Some(outlet.clone());
        }
        let record = self.extractor.extract(&doc);
        let title = doc.title.clone();
        let doc_id = doc.id.clone();
        // Stored first, then marked seen: a crash in between refetches the
        // page next time and the store finds the same text unchanged.
        self.store.ingest(&[(doc, record)])?;
        for url in [&item_url, &page_url] {
            self.store.mark_seen(&seen(&doc_id, url, &hash))?;
        }
        stats.items_stored += 1;
        Ok(Some(WatchEvent::ItemStored {
            feed: label,
            url: page_url,
            title,
        }))
    }
}
