//! `FEEDS.toml`: which sources to watch and how politely. Unknown keys are
//! errors, so a misspelt `intreval` does not silently fall back to the
//! default.

use std::time::Duration;

use serde::Deserialize;

use crate::fetch::FetchPolicy;
use crate::{Error, Result};

/// One watched feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedConfig {
    pub url: String,
    /// Time between polls.
    pub interval: Duration,
    /// A label for logs (default: the URL).
    pub name: Option<String>,
    /// The outlet recorded as each article's `source`, overriding the
    /// page's `og:site_name` and host.
    pub outlet: Option<String>,
}

impl FeedConfig {
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.url)
    }
}

/// The whole file: the feeds and the fetch policy they share.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    pub feeds: Vec<FeedConfig>,
    pub policy: FetchPolicy,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    interval: Option<String>,
    host_delay: Option<String>,
    timeout: Option<String>,
    max_page_bytes: Option<u64>,
    retries: Option<u32>,
    #[serde(default)]
    feed: Vec<RawFeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: String,
    interval: Option<String>,
    name: Option<String>,
    outlet: Option<String>,
}

/// Polling every quarter of an hour suits a news outlet's front feed
/// without hammering it.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);

impl WatchConfig {
    /// Parses the file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<WatchConfig> {
        let err = |reason: String| Error::Config {
            path: path.to_string(),
            reason,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let duration = |what: &str, v: &str| {
            humantime::parse_duration(v.trim()).map_err(|e| {
                err(format!(
                    "{what} {v:?}: {e} (write e.g. \"90s\", \"15m\", \"1h\")"
                ))
            })
        };
        let default_interval = match &raw.interval {
            Some(v) => duration("interval", v)?,
            None => DEFAULT_INTERVAL,
        };
        let mut policy = FetchPolicy::default();
        if let Some(v) = &raw.host_delay {
            policy.host_delay = duration("host_delay", v)?;
        }
        if let Some(v) = &raw.timeout {
            policy.timeout = duration("timeout", v)?;
        }
        if let Some(n) = raw.max_page_bytes {
            policy.max_bytes = n;
        }
        if let Some(n) = raw.retries {
            policy.retries = n;
        }
        if raw.feed.is_empty() {
            return Err(err("no [[feed]] entries".into()));
        }
        let mut feeds: Vec<FeedConfig> = Vec::with_capacity(raw.feed.len());
        for (i, f) in raw.feed.into_iter().enumerate() {
            let at = |reason: String| err(format!("feed {} ({}): {reason}", i + 1, f.url));
            let url = url::Url::parse(f.url.trim()).map_err(|e| at(e.to_string()))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(at("not an http(s) URL".into()));
            }
            let interval = match &f.interval {
                Some(v) => duration("interval", v)?,
                None => default_interval,
            };
            if interval.is_zero() {
                return Err(at("interval must be longer than zero".into()));
            }
            if feeds.iter().any(|g| g.url == url.as_str()) {
                return Err(at("listed twice".into()));
            }
            feeds.push(FeedConfig {
                url: url.to_string(),
                interval,
                name: f.name,
                outlet: f.outlet,
            });
        }
        Ok(WatchConfig { feeds, policy })
    }

    /// Reads and parses a file.
    pub fn load(path: &std::path::Path) -> Result<WatchConfig> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: name.clone(),
            error: e,
        })?;
        WatchConfig::parse(&text, &name)
    }
}
