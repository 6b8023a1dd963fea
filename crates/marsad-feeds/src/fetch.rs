//! HTTP fetching as a polite client: one identifying user agent, timeouts,
//! a size cap, a minimum delay between requests to the same host, retries
//! with exponential backoff on transient failures (connection errors, 5xx,
//! 429 with its `Retry-After`), and conditional GET for feeds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::DateTime;
use ureq::http::Response;
use ureq::{Body, ResponseExt};

use crate::{Error, Result};

/// The user agent names marsad so site operators can see who polls them.
pub const USER_AGENT: &str = concat!(
    "marsad/",
    env!("CARGO_PKG_VERSION"),
    " (Arabic news event observatory; feed reader)"
);

/// How hard and how often to knock.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    pub user_agent: String,
    /// Whole request, connection to last byte.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Largest accepted response body (after decompression).
    pub max_bytes: u64,
    /// Least time between two requests to one host.
    pub host_delay: Duration,
    /// Further attempts after a transient failure.
    pub retries: u32,
    /// First backoff; doubled on each retry.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets
    /// the failure reported and the feed's next scheduled poll instead.
    pub max_retry_after: Duration,
}

impl Default for FetchPolicy {
    fn default() -> FetchPolicy {
        FetchPolicy {
            user_agent: USER_AGENT.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 5 << 20,
            host_delay: Duration::from_secs(2),
            retries: 3,
            backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// Validators from the previous response, for a conditional GET.
#[derive(Debug, Clone, Copy, Default)]
pub struct Validators<'a> {
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// A response: `status` 304 has an empty body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

impl Fetched {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// A blocking HTTP client that remembers when it last asked each host.
pub struct Fetcher {
    agent: ureq::Agent,
    policy: FetchPolicy,
    last_request: Mutex<HashMap<String, Instant>>,
    stop: Option<Arc<AtomicBool>>,
}

enum Attempt {
    Done(Fetched),
    /// Worth another try after the given pause (`None`: the backoff).
    Retry(Error, Option<Duration>),
    Fail(Error),
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .user_agent(policy.user_agent.as_str())
            .timeout_global(Some(policy.timeout))
            .timeout_connect(Some(policy.connect_timeout))
            .max_redirects(5)
            .http_status_as_error(false)
            .build();
        Fetcher {
            agent: config.into(),
            policy,
            last_request: Mutex::new(HashMap::new()),
            stop: None,
        }
    }

    /// Pauses (politeness, backoff) end early once `stop` is set, so a
    /// shutdown is not held up by a sleeping fetcher.
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Fetcher {
        self.stop = Some(stop);
        self
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    fn pause(&self, d: Duration) {
        let until = Instant::now() + d;
        while !self.stopped() {
            let now = Instant::now();
            if now >= until {
                break;
            }
            std::thread::sleep((until - now).min(Duration::from_millis(100)));
        }
    }

    /// Waits until `host` may be asked again, and books the slot.
    fn wait_for_host(&self, host: &str) {
        let wait = {
            let map = self.last_request.lock().unwrap_or_else(|p| p.into_inner());
            map.get(host)
                .map(|t| self.policy.host_delay.saturating_sub(t.elapsed()))
                .unwrap_or_default()
        };
        if !wait.is_zero() {
            self.pause(wait);
        }
    }

    fn booked(&self, host: &str) {
        self.last_request
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(host.to_string(), Instant::now());
    }

    /// GETs a URL, conditionally when validators are given. Statuses other
    /// than 2xx and 304 are errors (after retries for 429 and 5xx).
    pub fn get(&self, url: &str, validators: Validators<'_>) -> Result<Fetched> {
        let parsed = url::Url::parse(url).map_err(|e| Error::BadUrl {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::BadUrl {
                url: url.to_string(),
                reason: format!("scheme {}", parsed.scheme()),
            });
        }
        let host = parsed.host_str().unwrap_or_default().to_string();
        let mut attempt = 0;
        loop {
            self.wait_for_host(&host);
            let outcome = self.attempt(url, validators);
            self.booked(&host);
            match outcome {
                Attempt::Done(f) => return Ok(f),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(e, after) => {
                    if attempt >= self.policy.retries || self.stopped() {
                        return Err(e);
                    }
                    let backoff = self.policy.backoff.saturating_mul(1 << attempt.min(16));
                    self.pause(after.unwrap_or(backoff));
                    attempt += 1;
                }
            }
        }
    }

    fn attempt(&self, url: &str, v: Validators<'_>) -> Attempt {
        let mut req = self.agent.get(url);
        if let Some(etag) = v.etag {
            req = req.header("If-None-Match", etag);
        }
        if let Some(lm) = v.last_modified {
            req = req.header("If-Modified-Since", lm);
        }
        let fail = |reason: String| Error::Fetch {
            url: url.to_string(),
            reason,
        };
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => {
                let transient = matches!(
                    e,
                    ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed
                );
                let err = fail(e.to_string());
                return if transient {
                    Attempt::Retry(err, None)
                } else {
                    Attempt::Fail(err)
                };
            }
        };
        let status = resp.status().as_u16();
        let header = |r: &Response<Body>, name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if status == 429 || (500..600).contains(&status) {
            let after = header(&resp, "retry-after").and_then(|v| retry_after(&v));
            let err = Error::Status {
                url: url.to_string(),
                status,
            };
            return match after {
                Some(d) if d > self.policy.max_retry_after => Attempt::Fail(err),
                _ => Attempt::Retry(err, after),
            };
        }
        if status != 304 && !(200..300).contains(&status) {
            return Attempt::Fail(Error::Status {
                url: url.to_string(),
                status,
            });
        }
        let mut fetched = Fetched {
            url: resp.get_uri().to_string(),
            status,
            content_type: header(&resp, "content-type"),
            etag: header(&resp, "etag"),
            last_modified: header(&resp, "last-modified"),
            body: Vec::new(),
        };
        if status == 304 {
            return Attempt::Done(fetched);
        }
        match resp
            .body_mut()
            .with_config()
            .limit(self.policy.max_bytes)
            .read_to_vec()
        {
            Ok(body) => {
                fetched.body = body;
                Attempt::Done(fetched)
            }
            Err(ureq::Error::BodyExceedsLimit(_)) => Attempt::Fail(Error::TooLarge {
                url: url.to_string(),
                limit: self.policy.max_bytes,
            }),
            Err(e @ (ureq::Error::Io(_) | ureq::Error::Timeout(_))) => {
                Attempt::Retry(fail(e.to_string()), None)
            }
            Err(e) => Attempt::Fail(fail(e.to_string())),
        }
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = DateTime::parse_from_rfc2822(v.trim()).ok()?;
    let secs = when.timestamp() - chrono::Utc::now().timestamp();
    Some(Duration::from_secs(secs.max(0) as u64))
}
