//! Shared test helpers: one extractor per test binary.

use std::sync::OnceLock;

use marsad_extract::{Extractor, InputDoc, Record};

pub fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::embedded().expect("the embedded extractor builds"))
}

pub fn extract(text: &str, date: Option<&str>) -> Record {
    extractor().extract(&InputDoc {
        id: "t".into(),
        date: date.map(str::to_string),
        text: text.into(),
        ..InputDoc::default()
    })
}

/// The surface string of a code point span of `text`.
pub fn surface(text: &str, span: [usize; 2]) -> String {
    text.chars()
        .skip(span[0])
        .take(span[1].saturating_sub(span[0]))
        .collect()
}

/// A compact, reviewable rendering of a record's entities: one line each,
/// `TYPE actor name: mention | mention`.
pub fn entity_lines(text: &str, rec: &Record) -> String {
    let mut lines: Vec<String> = rec
        .entities
        .iter()
        .map(|e| {
            let ms: Vec<String> = e.mentions.iter().map(|&m| surface(text, m)).collect();
            format!(
                "{} {} {}: {}",
                e.typ,
                e.actor.as_deref().unwrap_or("-"),
                e.name,
                ms.join(" | ")
            )
        })
        .collect();
    lines.sort();
    lines.join("\n")
}
/// The data rows of a test TSV (header skipped, `#` comments and blank lines
/// ignored), each with its line number and cells; empty trailing cells kept.
pub fn data_rows(tsv: &str, columns: usize) -> Vec<(usize, Vec<&str>)> {
    let mut out = Vec::new();
    let mut header = true;
    for (n, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if header {
            header = false;
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cells.len(),
            columns,
            "line {}: expected {columns} cells: {line:?}",
            n + 1
        );
        out.push((n + 1, cells));
    }
    out
}

/// An empty cell is null.
pub fn opt(cell: &str) -> Option<&str> {
    Some(cell.trim()).filter(|c| !c.is_empty())
}
