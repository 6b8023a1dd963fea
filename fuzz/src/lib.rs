//! Shared helpers of the fuzz targets: one extractor per process, and the
//! invariants every record must keep whatever the input.

use std::sync::OnceLock;

use marsad_extract::{Extractor, InputDoc, Record};

/// The embedded extractor, built once per process.
pub fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::embedded().expect("the embedded lexicon loads"))
}

/// Fuzz bytes as text: lossy UTF-8, so every input reaches the extractor.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A document with a fixed publication date, so relative times resolve.
pub fn doc(text: String) -> InputDoc {
    InputDoc {
        id: "fuzz".to_string(),
        date: Some("2015-08-10".to_string()),
        source: None,
        url: None,
        title: None,
        text,
    }
}

/// `[start, end)` is a code point span of a text of `len` code points.
pub fn check_span(what: &str, span: [usize; 2], len: usize) {
    assert!(
        span[0] <= span[1] && span[1] <= len,
        "{what} span {span:?} outside a text of {len} code points"
    );
}

/// The original text of a code point span.
pub fn surface(chars: &[char], span: [usize; 2]) -> String {
    chars[span[0]..span[1]].iter().collect()
}

/// Checks every span of a record and that it serialises.
pub fn check_record(text: &str, rec: &Record) {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    for e in &rec.entities {
        for &m in &e.mentions {
            check_span("entity mention", m, n);
        }
    }
    for q in &rec.quotes {
        check_span("quote", q.span, n);
        if let Some(c) = q.cue_span {
            check_span("quote cue", c, n);
        }
    }
    for e in &rec.events {
        check_span("event trigger", e.trigger, n);
        check_span("event sentence", e.sentence, n);
    }
    for t in &rec.times {
        check_span("time", t.span, n);
    }
    for c in &rec.counts {
        check_span("count", c.span, n);
        assert!(c.min <= c.max, "count {}..{} from {:?}", c.min, c.max, c.text);
    }
    serde_json::to_string(rec).expect("a record serialises");
}
