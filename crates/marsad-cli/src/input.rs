//! Reading input documents: JSONL (one object a line) and plain `.txt` files,
//! in bounded batches, with every unusable line reported by number and id.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use marsad_extract::InputDoc;
use serde_json::Value;

/// One input unit: a document, or a line that could not be one.
pub enum Item {
    Doc {
        doc: InputDoc,
    },
    Bad {
        line: usize,
        id: Option<String>,
        reason: String,
    },
}

enum Kind {
    Jsonl,
    /// One item read elsewhere (an article page, see `web.rs`).
    Ready(Option<Item>),
    /// A whole file is one document; `id` is the file stem.
    Txt {
        id: String,
        date: Option<String>,
        done: bool,
    },
}

/// A source of documents read in batches.
pub struct Reader {
    pub name: String,
    inner: Box<dyn BufRead + Send>,
    kind: Kind,
    line: usize,
    max_bytes: usize,
}

impl Reader {
    /// Opens a path (`-` is standard input). `.txt` files are one document each.
    pub fn open(path: &str, date: Option<&str>, max_bytes: usize) -> io::Result<Reader> {
        Reader::open_counted(path, date, max_bytes, None)
    }

    /// Like [`Reader::open`], and adds every byte read from the file (before
    /// decompression) to `counter`, for progress against the file sizes.
    /// `.gz` files are read through flate2 and `.zst` through zstd, streaming.
    pub fn open_counted(
        path: &str,
        date: Option<&str>,
        max_bytes: usize,
        counter: Option<Arc<AtomicU64>>,
    ) -> io::Result<Reader> {
        let (inner, name): (Box<dyn BufRead + Send>, String) = if path == "-" {
            (
                Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
                "<stdin>".to_string(),
            )
        } else {
            let f = Counting {
                inner: File::open(path)?,
                counter,
            };
            let raw: Box<dyn Read + Send> = if path.ends_with(".gz") {
                Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(f)))
            } else if path.ends_with(".zst") {
                Box::new(zstd::stream::read::Decoder::new(f)?)
            } else {
                Box::new(f)
            };
            (
                Box::new(BufReader::with_capacity(1 << 20, raw)),
                path.to_string(),
            )
        };
        let p = Path::new(path);
        let kind = if p.extension().is_some_and(|e| e == "txt") {
            Kind::Txt {
                id: p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                date: date.map(str::to_string),
                done: false,
            }
        } else {
            Kind::Jsonl
        };
        Ok(Reader {
            name,
            inner,
            kind,
            line: 0,
            max_bytes,
        })
    }

    /// A reader of one item already made (an article page or URL).
    pub fn from_item(name: &str, item: Item) -> Reader {
        Reader {
            name: name.to_string(),
            inner: Box::new(io::empty()),
            kind: Kind::Ready(Some(item)),
            line: 0,
            max_bytes: 0,
        }
    }

    /// Reads up to `max_docs` items or about `budget` bytes of text, whichever
    /// comes first. An empty batch means the source is exhausted.
    pub fn next_batch(&mut self, max_docs: usize, budget: usize) -> io::Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        match &mut self.kind {
            Kind::Ready(item) => out.extend(item.take()),
            Kind::Txt { id, date, done } => {
                if *done {
                    return Ok(out);
                }
                *done = true;
                let mut buf = Vec::new();
                (&mut self.inner)
                    .take(self.max_bytes as u64 + 1)
                    .read_to_end(&mut buf)?;
                let item = if buf.len() > self.max_bytes {
                    Item::Bad {
                        line: 1,
                        id: Some(id.clone()),
                        reason: format!("text is over the size limit of {} bytes", self.max_bytes),
                    }
                } else {
                    match String::from_utf8(buf) {
                        Ok(text) => Item::Doc {
                            doc: InputDoc {
                                id: id.clone(),
                                date: date.clone(),
                                text,
                                ..InputDoc::default()
                            },
                        },
                        Err(e) => Item::Bad {
                            line: 1,
                            id: Some(id.clone()),
                            reason: format!("not UTF-8 ({e})"),
                        },
                    }
                };
                out.push(item);
            }
            Kind::Jsonl => {
                // a line may hold the text (max_bytes) plus its JSON escaping and metadata
                let limit = self.max_bytes.saturating_mul(2).saturating_add(1 << 16);
                let mut buf = Vec::new();
                while out.len() < max_docs && bytes < budget {
                    buf.clear();
                    let Some(overflow) = read_line_limited(&mut self.inner, &mut buf, limit)?
                    else {
                        break;
                    };
                    self.line += 1;
                    bytes += buf.len();
                    if overflow {
                        out.push(Item::Bad {
                            line: self.line,
                            id: None,
                            reason: format!(
                                "line is over {limit} bytes (text limit {} bytes)",
                                self.max_bytes
                            ),
                        });
                        continue;
                    }
                    if buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    out.push(parse_line(&buf, self.line, self.max_bytes));
                }
            }
        }
        Ok(out)
    }
}

/// A file that counts the bytes read from it.
struct Counting {
    inner: File,
    counter: Option<Arc<AtomicU64>>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(c) = &self.counter {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Reads one line into `buf`, storing at most `limit` bytes; the rest of an
/// overlong line is consumed and dropped. `None` at end of input, else
/// whether the line was cut.
fn read_line_limited(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    let mut any = false;
    let mut overflow = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(overflow));
        }
        any = true;
        let (take, found) = match memchr_newline(chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = limit.saturating_sub(buf.len());
        if take > room {
            overflow = true;
        }
        buf.extend_from_slice(&chunk[..take.min(room)]);
        r.consume(take);
        if found {
            return Ok(Some(overflow));
        }
    }
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

fn parse_line(buf: &[u8], line: usize, max_bytes: usize) -> Item {
    let bad = |id: Option<String>, reason: String| Item::Bad { line, id, reason };
    let s = match std::str::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => return bad(None, format!("not UTF-8 ({e})")),
    };
    let v: Value = match serde_json::from_str(s) {
        Ok(v) => v,
        Err(e) => return bad(None, format!("not JSON ({e})")),
    };
    let Value::Object(obj) = v else {
        return bad(None, "not a JSON object".into());
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return bad(None, "`id` is not a non-empty string".into()),
        None => return bad(None, "missing `id`".into()),
    };
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return bad(Some(id), "`text` is not a string".into()),
        None => return bad(Some(id), "missing `text`".into()),
    };
    if text.len() > max_bytes {
        return bad(
            Some(id),
            format!(
                "text is {} bytes, over the limit of {max_bytes}",
                text.len()
            ),
        );
    }
    let opt = |k: &str| match obj.get(k) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    Item::Doc {
        doc: InputDoc {
            id,
            date: opt("date"),
            source: opt("source"),
            url: opt("url"),
            title: opt("title"),
            text,
        },
    }
}
