//! The number and count parser, through the extractor (crate-private).
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_fuzz::{check_span, doc, extractor, surface, text_of};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let rec = extractor().extract(&doc(text.clone()));
    let chars: Vec<char> = text.chars().collect();
    for c in &rec.counts {
        check_span("count", c.span, chars.len());
        assert_eq!(c.text, surface(&chars, c.span));
        assert!(c.min <= c.max, "count {}..{} from {:?}", c.min, c.max, c.text);
    }
});
