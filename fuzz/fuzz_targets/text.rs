//! The text layer: normalisation, tokens, sentences, clitic segmentation and
//! the offset map back to original code points.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_fuzz::{check_span, text_of};
use marsad_text::{normalize, segment, Doc};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let doc = Doc::new(&text);
    let norm = doc.norm();
    let n = doc.text.orig_len();
    assert_eq!(n, text.chars().count());

    // normalize() is the normalised copy with whitespace runs collapsed
    let collapsed: Vec<&str> = norm.split_whitespace().collect();
    assert_eq!(normalize(&text), collapsed.join(" "));

    // tokens: non-empty, in order, on character boundaries, mapped into the text
    let mut prev = 0;
    for t in &doc.tokens {
        let (s, e) = (t.start as usize, t.end as usize);
        assert!(s < e && e <= norm.len() && s >= prev, "token {s}..{e} after {prev}");
        assert!(norm.is_char_boundary(s) && norm.is_char_boundary(e));
        prev = e;
        let (a, b) = doc.span(s, e);
        check_span("token", [a, b], n);
        assert!(a < b, "a token maps to an empty span");
        let word = t.text(norm);
        let seg = segment(word, |w| w.len() % 3 == 0);
        assert!(seg.prefix_len + seg.suffix_len <= word.len());
        let _ = seg.stem(word);
    }
    // sentences: in order, on character boundaries
    let mut prev = 0;
    for s in &doc.sentences {
        let (a, b) = (s.start as usize, s.end as usize);
        assert!(a <= b && b <= norm.len() && a >= prev, "sentence {a}..{b} after {prev}");
        assert!(norm.is_char_boundary(a) && norm.is_char_boundary(b));
        prev = b;
        let (x, y) = doc.span(a, b);
        check_span("sentence", [x, y], n);
    }
    // the offset map: monotonic, and any byte range maps inside the text
    let mut last = 0;
    for b in 0..=norm.len() {
        let p = doc.text.orig_pos(b);
        assert!(p >= last && p <= n, "orig_pos({b}) = {p} after {last}");
        last = p;
    }
    let len = norm.len();
    for w in data.chunks(2).take(32) {
        let a = w[0] as usize * (len + 2) / 255;
        let b = *w.get(1).unwrap_or(&255) as usize * (len + 2) / 255;
        let (s, e) = doc.text.orig_span(a.min(b), a.max(b));
        check_span("orig_span", [s, e], n);
        let _ = doc.text.surface((s, e));
        assert!(doc.text.norm_pos(s) <= len);
    }
});
