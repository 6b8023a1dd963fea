//! Property tests: every span the extractor reports is code points into the
//! original text, whatever the input.

use proptest::prelude::*;

use crate::common::{extract, surface};

fn check_spans(text: &str) -> Result<(), TestCaseError> {
    let rec = extract(text, Some("2025-08-08"));
    let n = text.chars().count();
    for e in &rec.entities {
        for m in &e.mentions {
            prop_assert!(m[0] < m[1] && m[1] <= n, "mention {:?} of {}", m, e.name);
            prop_assert!(!marsad_text::normalize(&surface(text, *m)).is_empty());
        }
    }
    for q in &rec.quotes {
        prop_assert!(q.span[1] <= n);
        prop_assert_eq!(&q.text, &surface(text, q.span));
    }
    for t in &rec.times {
        prop_assert!(t.span[1] <= n);
        prop_assert_eq!(&t.text, &surface(text, t.span));
    }
    for c in &rec.counts {
        prop_assert!(c.span[1] <= n);
        prop_assert_eq!(&c.text, &surface(text, c.span));
    }
    for ev in &rec.events {
        prop_assert!(ev.trigger[0] < ev.trigger[1] && ev.trigger[1] <= n);
        prop_assert!(ev.sentence[0] <= ev.trigger[0] && ev.trigger[1] <= ev.sentence[1]);
    }
    Ok(())
}

/// Words the lexicon knows and the layers react to, mixed with marks,
/// tatweel, controls and punctuation, so that the layers actually fire.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("قال"),
        Just("الرئيس الروسي"),
        Just("وبوتين"),
        Just("لواشنطن"),
        Just("للأمم المتحدة"),
        Just("إن"),
        Just("«"),
        Just("»"),
        Just("\""),
        Just("،"),
        Just("."),
        Just("\n"),
        Just(" "),
        Just("الجمعة"),
        Just("١٤"),
        Just("ألف"),
        Just("قتيل"),
        Just("أجرى اتصالاً هاتفياً مع"),
        Just("نظيره الصيني"),
        Just("\u{064E}"),
        Just("\u{0640}"),
        Just("\u{200F}"),
        Just("ـ"),
        Just("غارات إسرائيلية على"),
        Just("غزة"),
        Just("الأخير"),
        Just("وزارة الخارجية المصرية"),
        Just("محمد"),
        Just("أحمد عبد الله"),
        Just("المتحدث باسم"),
        Just("2025/8/20"),
        Just("x"),
        Just("😀"),
        Just("\u{0301}"),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_are_code_points_of_the_original_on_news_like_text(s in newsy()) {
        check_spans(&s)?;
    }

    #[test]
    fn no_panic_and_valid_spans_on_arbitrary_unicode(s in "\\PC{0,300}") {
        check_spans(&s)?;
    }
}
