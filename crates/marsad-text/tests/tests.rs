//! Integration tests of the text layer: offset invariants (property tests),
//! normalisation rows, sentence splitting and clitic segmentation.

use marsad_text::{normalize, segment, split_sentences, tokenize, Doc, NormText, TokenKind};
use proptest::prelude::*;

/// One normalisation row: input, expected normalised form.
fn check_norm(input: &str, expected: &str) {
    assert_eq!(normalize(input), expected, "normalize({input:?})");
}

#[test]
fn normalisation_rows() {
    for (input, expected) in [
        ("المُتحدِّث", "المتحدث"),
        ("أحمد إبراهيم آل", "احمد ابراهيم ال"),
        ("مستشفى", "مستشفي"),
        ("وزارة الخارجية", "وزاره الخارجيه"),
        ("٢٠ آب ٢٠٢٥", "20 اب 2025"),
        ("۱۲۳", "123"),
        ("بـ«المفيدة»", "ب\"المفيده\""),
        ("عـــاجل", "عاجل"),
        ("CCTV", "cctv"),
        ("a\u{200F}b\u{200B}c", "abc"),
        ("  كلمة \u{00A0} أخرى  ", "كلمه اخري"),
        ("١٤٬٠٠٠ و٢٫٥", "14,000 و2.5"),
        ("ٱلله", "الله"),
        ("ی ک", "ي ك"),
    ] {
        check_norm(input, expected);
    }
}

#[test]
fn spans_map_back_to_the_original() {
    let text = "قالَ الرئيسُ الروسيّ «فلاديمير بوتين» ١٤ ألفاً";
    let nt = NormText::new(text);
    let norm = nt.norm();
    let needle = normalize("الرئيس الروسي");
    let b = norm.find(&needle).expect("found");
    let span = nt.orig_span(b, b + needle.len());
    // the trailing shadda after the last letter belongs to the word
    assert_eq!(nt.surface(span), "الرئيسُ الروسيّ");
    let b = norm.find("14").expect("digits");
    assert_eq!(nt.surface(nt.orig_span(b, b + 2)), "١٤");
}

#[test]
fn tokens_keep_numbers_with_separators() {
    let nt = NormText::new("قتل ١٤٬٠٠٠ شخص، و2.5 مليار.");
    let toks = tokenize(nt.norm());
    let texts: Vec<(&str, TokenKind)> = toks.iter().map(|t| (t.text(nt.norm()), t.kind)).collect();
    assert_eq!(
        texts,
        vec![
            ("قتل", TokenKind::Word),
            ("14,000", TokenKind::Number),
            ("شخص", TokenKind::Word),
            ("،", TokenKind::Punct),
            ("و", TokenKind::Word),
            ("2.5", TokenKind::Number),
            ("مليار", TokenKind::Word),
            (".", TokenKind::Punct),
        ]
    );
}

fn sentences_of(text: &str) -> Vec<String> {
    let nt = NormText::new(text);
    split_sentences(nt.norm())
        .iter()
        .map(|s| nt.surface(nt.orig_span(s.start as usize, s.end as usize)))
        .collect()
}

#[test]
fn sentence_rows() {
    // a headline without a stop, then a paragraph of two sentences
    assert_eq!(
        sentences_of("لقاء بوتين وترمب\nقال الكرملين إن اللقاء تم. وأضاف أنه مثمر."),
        vec![
            "لقاء بوتين وترمب",
            "قال الكرملين إن اللقاء تم.",
            "وأضاف أنه مثمر."
        ]
    );
    // a stop inside a quotation does not end the sentence
    assert_eq!(
        sentences_of("قال: «سنفعل ما بوسعنا. والشهر الماضي كان صعباً». ثم غادر."),
        vec![
            "قال: «سنفعل ما بوسعنا. والشهر الماضي كان صعباً».",
            "ثم غادر."
        ]
    );
    // decimals and one-letter abbreviations
    assert_eq!(
        sentences_of("بلغ النمو 2.5 في المئة. وقال د. أحمد إنه جيد."),
        vec!["بلغ النمو 2.5 في المئة.", "وقال د. أحمد إنه جيد."]
    );
    assert_eq!(sentences_of("هل انتهى؟ نعم!"), vec!["هل انتهى؟", "نعم!"]);
}

#[test]
fn segmentation_is_guided_by_known_stems() {
    let known = |w: &str| ["بوتين", "واشنطن", "الامم"].contains(&w);
    fn parts(w: &str, known: impl Fn(&str) -> bool) -> (String, String, String) {
        let s = segment(w, known);
        (
            w[..s.prefix_len].to_string(),
            s.stem(w).to_string(),
            w[w.len() - s.suffix_len..].to_string(),
        )
    }
    let seg = |w: &str| {
        let (a, b, c) = parts(w, known);
        (a, b, c)
    };
    assert_eq!(seg("بوتين"), ("".into(), "بوتين".into(), "".into()));
    assert_eq!(seg("لبوتين"), ("ل".into(), "بوتين".into(), "".into()));
    assert_eq!(seg("وبوتين"), ("و".into(), "بوتين".into(), "".into()));
    assert_eq!(seg("لواشنطن"), ("ل".into(), "واشنطن".into(), "".into()));
    assert_eq!(seg("واشنطن"), ("".into(), "واشنطن".into(), "".into()));
    assert_eq!(seg("للامم"), ("ل".into(), "لامم".into(), "".into()));
    // nothing known: left whole
    assert_eq!(seg("وتين"), ("".into(), "وتين".into(), "".into()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any string: no panic, every normalised byte maps inside the original,
    /// and spans are ordered and in bounds.
    #[test]
    fn offset_map_is_total_and_monotonic(s in "\\PC{0,200}") {
        let doc = Doc::new(&s);
        let n = doc.text.orig_len();
        let norm = doc.norm();
        let mut last = 0;
        for (b, _) in norm.char_indices() {
            let p = doc.text.orig_pos(b);
            prop_assert!(p < n);
            prop_assert!(p >= last);
            last = p;
        }
        for t in &doc.tokens {
            let (a, e) = doc.span(t.start as usize, t.end as usize);
            prop_assert!(a < e && e <= n);
            // the surface folds back to the token text
            let surface = doc.text.surface((a, e));
            prop_assert_eq!(normalize(&surface).replace(' ', ""), t.text(norm).replace(' ', ""));
        }
        for s in &doc.sentences {
            let (a, e) = doc.span(s.start as usize, s.end as usize);
            prop_assert!(a <= e && e <= n);
        }
    }

    /// Arabic-heavy strings with harakat, tatweel and controls between letters.
    #[test]
    fn arabic_with_marks_round_trips(parts in proptest::collection::vec(
        prop_oneof![
            Just("ب"), Just("و"), Just("تين"), Just("\u{064E}"), Just("\u{0651}"), Just("\u{0640}"),
            Just("أ"), Just("ة"), Just("ى"), Just("٣"), Just(" "), Just("«"), Just("."), Just("\n"),
            Just("\u{200F}"), Just("ً"),
        ], 0..60)) {
        let s: String = parts.concat();
        let doc = Doc::new(&s);
        for t in &doc.tokens {
            let span = doc.span(t.start as usize, t.end as usize);
            let surface = doc.text.surface(span);
            prop_assert_eq!(normalize(&surface), t.text(doc.norm()).to_string());
        }
    }
}
