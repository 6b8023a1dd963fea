//! Integration tests of the extractor, through its public API only.

mod counts;
mod times;

use std::sync::OnceLock;

use marsad_extract::{Extractor, InputDoc, Record};

/// The embedded extractor, built once for the whole test binary.
pub fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::embedded().expect("the embedded lexicon loads"))
}

/// Analyses one sentence with an optional publication date.
pub fn extract(text: &str, date: Option<&str>) -> Record {
    extractor().extract(&InputDoc {
        id: "t".to_string(),
        date: date.map(str::to_string),
        text: text.to_string(),
        ..InputDoc::default()
    })
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
