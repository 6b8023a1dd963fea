//! marsad's front door: article pages (HTML files and `http(s)://` URLs) and
//! RSS 2.0 / Atom / JSON Feed sources watched on a schedule.
//!
//! A page becomes an [`InputDoc`](marsad_extract::InputDoc) — canonical URL,
//! title, publication date, outlet and the main text without the site's
//! clutter — which the extractor reads like any JSONL article. The watcher
//! keeps its memory (validators, schedule, items seen) in the same SQLite
//! store as the records, through `marsad-store`, so a restart neither
//! refetches nor duplicates. Nothing here prints: progress is reported to the
//! caller as [`WatchEvent`]s.

mod config;
mod decode;
mod fetch;
mod page;
mod watch;

pub use config::{FeedConfig, WatchConfig};
pub use decode::{charset_of_content_type, decode_html};
pub use fetch::{FetchPolicy, Fetched, Fetcher, Validators};
pub use page::{canonical_url, extract_article, parse_date, Article, DateSource};
pub use watch::{read_page, PollStats, WatchEvent, Watcher};

/// Everything that can go wrong fetching, reading and watching sources.
/// Every variant names the URL or file it is about.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{url}: HTTP status {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the response is over the size cap of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: not an http(s) URL ({reason})")]
    BadUrl { url: String, reason: String },
    #[error("{url}: not a readable feed ({reason})")]
    Feed { url: String, reason: String },
    #[error("{name}: no article text found")]
    NoText { name: String },
    /// The I/O error is in the message, not a `source`, so a chain
    /// printer does not say it twice.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: {reason}")]
    Config { path: String, reason: String },
    #[error(transparent)]
    Store(#[from] marsad_store::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
