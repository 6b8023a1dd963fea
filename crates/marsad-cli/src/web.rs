//! Article pages as inputs of `extract`, `ingest` and `explain`: `.html`
//! files and `http(s)://` URLs become one document each through
//! marsad-feeds; every other input goes to the JSONL/.txt reader unchanged.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use marsad_extract::Extractor;
use marsad_feeds::{FetchPolicy, Fetcher};

use crate::input::{Item, Reader};

/// Whether an input is an article page rather than JSONL or text.
pub fn is_page(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.ends_with(".html")
        || lower.ends_with(".htm")
}

/// What reading pages needs: the extractor (for datelines) and one HTTP
/// client for the run, so the per-host delay holds across inputs.
pub struct Pages<'a> {
    pub extractor: &'a Extractor,
    pub fetcher: Fetcher,
}

impl<'a> Pages<'a> {
    pub fn new(extractor: &'a Extractor) -> Pages<'a> {
        Pages {
            extractor,
            fetcher: Fetcher::new(FetchPolicy::default()),
        }
    }

    /// Opens any input: pages here, the rest with [`Reader::open_counted`].
    /// A page that cannot be read is one bad item naming it, like a bad
    /// JSONL line, so the run goes on.
    pub fn open(
        &self,
        path: &str,
        date: Option<&str>,
        max_bytes: usize,
        counter: Option<Arc<AtomicU64>>,
    ) -> io::Result<Reader> {
        if !is_page(path) {
            return Reader::open_counted(path, date, max_bytes, counter);
        }
        if let (Some(c), Ok(meta)) = (&counter, std::fs::metadata(path)) {
            c.fetch_add(meta.len(), Ordering::Relaxed);
        }
        let item = match marsad_feeds::read_page(path, &self.fetcher, self.extractor, date) {
            Ok(doc) if doc.text.len() > max_bytes => Item::Bad {
                line: 1,
                reason: format!(
                    "text is {} bytes, over the limit of {max_bytes}",
                    doc.text.len()
                ),
                id: Some(doc.id),
            },
            Ok(doc) => Item::Doc { doc },
            Err(e) => {
                // the error names the page; the reader's name already does
                let msg = e.to_string();
                let reason = msg.strip_prefix(&format!("{path}: ")).unwrap_or(&msg);
                Item::Bad {
                    line: 1,
                    id: None,
                    reason: reason.to_string(),
                }
            }
        };
        Ok(Reader::from_item(path, item))
    }
}
