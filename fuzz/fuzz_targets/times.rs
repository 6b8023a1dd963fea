//! The time parser, through the extractor (its parser is crate-private):
//! fuzzed text with a fixed publication date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_fuzz::{check_span, doc, extractor, surface, text_of};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let rec = extractor().extract(&doc(text.clone()));
    let chars: Vec<char> = text.chars().collect();
    for t in &rec.times {
        check_span("time", t.span, chars.len());
        assert_eq!(t.text, surface(&chars, t.span));
        if let Some(v) = &t.value {
            assert!(!v.is_empty(), "an empty time value");
        }
    }
});
