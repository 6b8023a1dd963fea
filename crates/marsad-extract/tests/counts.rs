//! Counts, table-driven from `data/counts.tsv`.

use crate::{data_rows, extract, opt};

const DATA: &str = include_str!("data/counts.tsv");

/// Runs every row and reports all failures at once.
fn check(data: &str) -> (usize, Vec<String>) {
    let rows = data_rows(data, 7);
    let mut failures = Vec::new();
    for (line, cells) in &rows {
        let (text, expected, typ, min, max, qualifier, unit) = (
            cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6],
        );
        let record = extract(text, Some("2025-05-14"));
        let found: Vec<String> = record
            .counts
            .iter()
            .map(|c| {
                format!(
                    "{} = {} {}-{} {:?} {:?}",
                    c.text, c.typ, c.min, c.max, c.qualifier, c.unit
                )
            })
            .collect();
        if expected == "-" {
            if !record.counts.is_empty() {
                failures.push(format!(
                    "line {line}: {text}\n    expected no count, found {found:?}"
                ));
            }
            continue;
        }
        let want = format!(
            "{expected} = {typ} {min}-{max} {:?} {:?}",
            opt(qualifier).map(str::to_string),
            opt(unit).map(str::to_string)
        );
        match record.counts.iter().find(|c| c.text == expected) {
            None => failures.push(format!(
                "line {line}: {text}\n    expected {want}, found {found:?}"
            )),
            Some(c) => {
                let got = format!(
                    "{} = {} {}-{} {:?} {:?}",
                    c.text, c.typ, c.min, c.max, c.qualifier, c.unit
                );
                if got != want {
                    failures.push(format!(
                        "line {line}: {text}\n    expected {want}\n    found    {got}"
                    ));
                }
            }
        }
    }
    (rows.len(), failures)
}

#[test]
fn counts_from_the_table() {
    let (n, failures) = check(DATA);
    assert!(n >= 110, "the table should hold at least 110 rows, has {n}");
    assert!(
        failures.is_empty(),
        "{} of {n} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn count_spans_give_the_surface_back() {
    let text = "قُتل ٢٣ مدنياً على الأقل، وأصيب ٨٧ آخرون في قصفٍ طال السوق.";
    let record = extract(text, None);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(record.counts.len(), 2, "{:?}", record.counts);
    for c in &record.counts {
        let surface: String = chars[c.span[0]..c.span[1]].iter().collect();
        assert_eq!(surface, c.text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any mix of numbers, separators, month names, number words and cue words
    /// is analysed without a panic, and every span gives its text back.
    #[test]
    fn no_panic_on_number_soup(words in proptest::collection::vec(
        proptest::sample::select(vec![
            "12", "١٤٬٠٠٠", "2.5", "164،781،745", "1436", "2025", "/", "-", "،", "(", ")", "«", "»",
            "هـ", "م", "و", "و5", "آلاف", "ألفا", "المليون", "ومئتي", "مارس", "آذار", "رمضان", "الجمعة",
            "المقبل", "الماضي", "مطلع", "من", "قتل", "أصيب", "شخصاً", "آخرون", "دولار", "ليرة", "تركية",
            "عشرات", "العشرات", "نحو", "أكثر", "على", "الأقل", "اليوم", "أمس", "5ر3", "ـ", "ً", "\n",
        ]),
        0..40,
    )) {
        let text = words.join(" ");
        let record = crate::extract(&text, Some("2025-05-14"));
        let chars: Vec<char> = text.chars().collect();
        for t in &record.times {
            proptest::prop_assert!(t.span[0] <= t.span[1] && t.span[1] <= chars.len());
            let surface: String = chars[t.span[0]..t.span[1]].iter().collect();
            proptest::prop_assert_eq!(&surface, &t.text);
        }
        for c in &record.counts {
            proptest::prop_assert!(c.span[0] <= c.span[1] && c.span[1] <= chars.len());
            proptest::prop_assert!(c.min <= c.max);
            let surface: String = chars[c.span[0]..c.span[1]].iter().collect();
            proptest::prop_assert_eq!(&surface, &c.text);
        }
    }
}
