//! End-to-end tests of the `marsad` binary: real files, real processes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn marsad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(name)
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

#[test]
fn bad_lines_are_reported_and_skipped_and_valid_ones_kept() {
    let path = scratch("mixed.jsonl");
    let mut f = std::fs::File::create(&path).expect("create");
    let big = "ب".repeat(600);
    writeln!(f, r#"{{"id": "a1", "date": "2025-08-08", "text": "قال الكرملين إن بوتين التقى شي في موسكو."}}"#).expect("w");
    writeln!(f, "this is not json").expect("w");
    writeln!(f, r#"{{"date": "2025-08-08", "text": "لا معرف"}}"#).expect("w");
    writeln!(f, r#"{{"id": "a4", "date": "2025-08-08"}}"#).expect("w");
    f.write_all(b"{\"id\": \"a5\", \"text\": \"\xff\xfe\"}\n")
        .expect("w");
    writeln!(f, r#"{{"id": "a6", "text": "{big}"}}"#).expect("w");
    writeln!(f).expect("w");
    writeln!(
        f,
        r#"{{"id": "a8", "date": null, "text": "زار الرئيس المصري الرياض.", "author": "ignored"}}"#
    )
    .expect("w");
    drop(f);
    let out = marsad()
        .args(["extract", "--max-bytes", "1000"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code is non-zero when inputs were rejected"
    );
    let recs = records(&out);
    let ids: Vec<&str> = recs
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, vec!["a1", "a8"], "valid records, in input order");
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "line 2: not JSON",
        "line 3: missing `id`",
        "line 4: id a4: missing `text`",
        "line 5: not UTF-8",
        "line 6: id a6: text is 1200 bytes, over the limit of 1000",
        "2 records written, 5 inputs rejected",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    // every record has the five layers of the spec
    for r in &recs {
        for layer in ["entities", "quotes", "events", "times", "counts"] {
            assert!(r[layer].is_array(), "{layer} missing in {r}");
        }
    }
}

#[test]
fn txt_files_and_stdin() {
    let path = scratch("note-1.txt");
    std::fs::write(&path, "قال وزير الخارجية الروسي إن موسكو مستعدة للحوار.\n").expect("write");
    let out = marsad()
        .args(["extract", "--date", "2023-05-01"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], "note-1");
    assert_eq!(recs[0]["date"], "2023-05-01");

    let mut child = marsad()
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("{\"id\":\"s1\",\"text\":\"زار ماكرون الجزائر.\"}\n".as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    assert_eq!(records(&out)[0]["id"], "s1");

    let out = marsad()
        .args(["extract", "--date", "8/8/2025"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "a bad --date is a usage error");
}

#[test]
fn many_documents_keep_their_input_order() {
    let path = scratch("many.jsonl");
    let mut f = std::fs::File::create(&path).expect("create");
    for i in 0..5000 {
        writeln!(f, r#"{{"id": "d{i}", "date": "2024-01-0{}", "text": "استقبل الملك الأردني وزير الخارجية الفرنسي في عمّان يوم {i}."}}"#, 1 + i % 9)
            .expect("w");
    }
    drop(f);
    let out = marsad()
        .args(["extract", "--threads", "2"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(recs.len(), 5000);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], format!("d{i}"));
    }
}

#[test]
fn lexicon_command_reports_its_size() {
    let out = marsad().arg("lexicon").output().expect("runs");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("countries 19"), "{s}");
}
#[path = "../../marsad-feeds/tests/server.rs"]
mod server;
mod store;
mod web;
