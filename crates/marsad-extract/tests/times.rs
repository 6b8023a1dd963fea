//! Time expressions, table-driven from `data/times.tsv`.

use crate::{data_rows, extract, opt};

const DATA: &str = include_str!("data/times.tsv");

/// Runs every row and reports all failures at once.
fn check(data: &str) -> (usize, Vec<String>) {
    let rows = data_rows(data, 5);
    let mut failures = Vec::new();
    for (line, cells) in &rows {
        let (text, pub_date, expected, value, granularity) =
            (cells[0], cells[1], cells[2], cells[3], cells[4]);
        let record = extract(text, opt(pub_date));
        let found: Vec<String> = record
            .times
            .iter()
            .map(|t| format!("{} = {:?} {}", t.text, t.value, t.granularity))
            .collect();
        if expected == "-" {
            if !record.times.is_empty() {
                failures.push(format!(
                    "line {line}: {text}\n    expected no time, found {found:?}"
                ));
            }
            continue;
        }
        match record.times.iter().find(|t| t.text == expected) {
            None => failures.push(format!(
                "line {line}: {text}\n    expected {expected:?}, found {found:?}"
            )),
            Some(t) => {
                if t.value.as_deref() != opt(value) || t.granularity != granularity {
                    failures.push(format!(
                        "line {line}: {text}\n    expected {expected} = {:?} {granularity}, found {:?} {}",
                        opt(value),
                        t.value,
                        t.granularity
                    ));
                }
            }
        }
    }
    (rows.len(), failures)
}

#[test]
fn time_expressions_from_the_table() {
    let (n, failures) = check(DATA);
    assert!(n >= 160, "the table should hold at least 160 rows, has {n}");
    assert!(
        failures.is_empty(),
        "{} of {n} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn spans_give_the_surface_back() {
    let text = "قال المتحدث، صباحَ الخميس، إن الاتفاق الموقع في ١٨ مارس الماضي ما زال قائماً.";
    let record = extract(text, Some("2025-05-14"));
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(record.times.len(), 2, "{:?}", record.times);
    for t in &record.times {
        let surface: String = chars[t.span[0]..t.span[1]].iter().collect();
        assert_eq!(surface, t.text);
    }
    assert_eq!(record.times[0].text, "صباحَ الخميس");
    assert_eq!(record.times[1].value.as_deref(), Some("2025-03-18"));
}

#[test]
fn a_bad_publication_date_leaves_relative_times_unresolved() {
    let record = extract("وصل الوفد أمس إلى بغداد.", Some("14/05/2025"));
    assert_eq!(record.times.len(), 1);
    assert_eq!(record.times[0].value, None);
    assert!(!record.diagnostics.is_empty());
}
