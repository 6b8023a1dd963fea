//! Every file under `tests/data/regressions/` goes through the extractor
//! without a panic, with every span inside the text and a record that
//! serialises. A file is one article's text as raw bytes (read as lossy
//! UTF-8); inputs that once crashed a fuzz target (`fuzz/`) are added here.
//! For the `extract` fuzz target, drop the input's first byte (it picks the
//! date) before saving it.

use std::path::Path;

use marsad_extract::{InputDoc, Record};

use crate::common::extractor;

fn check(name: &str, text: &str, rec: &Record) {
    let n = text.chars().count();
    let ok = |s: [usize; 2]| s[0] <= s[1] && s[1] <= n;
    let mut spans: Vec<[usize; 2]> = Vec::new();
    for e in &rec.entities {
        spans.extend(&e.mentions);
    }
    for q in &rec.quotes {
        spans.push(q.span);
        spans.extend(q.cue_span);
    }
    for e in &rec.events {
        spans.push(e.trigger);
        spans.push(e.sentence);
    }
    spans.extend(rec.times.iter().map(|t| t.span));
    spans.extend(rec.counts.iter().map(|c| c.span));
    for s in spans {
        assert!(
            ok(s),
            "{name}: span {s:?} outside a text of {n} code points"
        );
    }
    for c in &rec.counts {
        assert!(c.min <= c.max, "{name}: count {}..{}", c.min, c.max);
    }
    serde_json::to_string(rec).unwrap_or_else(|e| panic!("{name}: {e}"));
}

#[test]
fn every_regression_input_extracts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/regressions exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        for date in [Some("2015-08-10"), None, Some("2015-02-30")] {
            let rec = extractor().extract(&InputDoc {
                id: name.clone(),
                date: date.map(str::to_string),
                text: text.clone(),
                ..InputDoc::default()
            });
            check(&name, &text, &rec);
        }
    }
}
