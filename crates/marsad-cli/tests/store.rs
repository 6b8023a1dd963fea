//! `marsad ingest`, `query` and `export` end to end, including an ingest
//! killed with SIGKILL at random moments.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use marsad_store::Store;

use super::{marsad, scratch};

/// A fresh folder for one test.
fn dir(name: &str) -> PathBuf {
    let d = scratch(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("dir");
    d
}

/// A tiny deterministic generator (no rand dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

/// Synthetic articles, composed here from a few actors, verbs and
/// sentence frames: political events, a quotation and a casualty count.
fn synthetic(n: usize, seed: u64) -> String {
    let actors = [
        "الرئيس الروسي فلاديمير بوتين",
        "الرئيس الصيني شي جين بينغ",
        "الرئيس الفرنسي إيمانويل ماكرون",
        "الأمين العام للأمم المتحدة أنطونيو غوتيريش",
        "الرئيس التركي رجب طيب أردوغان",
        "رئيس الوزراء الهندي ناريندرا مودي",
    ];
    let verbs = ["التقى", "أجرى اتصالاً هاتفياً مع", "هدد", "انتقد", "استقبل"];
    let places = ["موسكو", "بكين", "باريس", "أنقرة", "نيودلهي"];
    let sources = ["وكالة أ", "صحيفة ب", "قناة ج"];
    let mut g = Lcg(seed);
    let mut out = String::new();
    for i in 0..n {
        let a = g.pick(&actors);
        let mut b = g.pick(&actors);
        if a == b {
            b = actors[(actors.iter().position(|x| *x == a).unwrap_or(0) + 1) % actors.len()];
        }
        let text = format!(
            "{a} {} {b} يوم الاثنين في {}. وقال المُتحدِّث باسم الوزارة إن «المحادثات كانت بنّاءة ومثمرة». وأسفر القصف عن مقتل {} شخصاً.",
            g.pick(&verbs),
            g.pick(&places),
            2 + g.next() % 90
        );
        let line = serde_json::json!({
            "id": format!("syn-{i:05}"),
            "date": format!("2025-08-{:02}", 1 + i % 28),
            "source": sources[i % 3],
            "text": text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

fn ingest(db: &Path, args: &[&str]) -> std::process::Output {
    marsad()
        .arg("ingest")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("runs")
}

#[test]
fn ingest_query_export_round_trip() {
    let d = dir("store-round-trip");
    let jsonl = d.join("a.jsonl");
    std::fs::write(&jsonl, synthetic(40, 7)).expect("write");
    // the same kind of articles, gzip-compressed, in a folder with a .txt
    let sub = d.join("more");
    std::fs::create_dir_all(&sub).expect("dir");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(sub.join("b.jsonl.gz")).expect("gz"),
        flate2::Compression::fast(),
    );
    gz.write_all(synthetic(60, 8).replace("syn-", "gz-").as_bytes())
        .expect("gz write");
    gz.finish().expect("gz finish");
    let zst =
        zstd::encode_all(synthetic(10, 9).replace("syn-", "zst-").as_bytes(), 3).expect("zstd");
    std::fs::write(sub.join("c.jsonl.zst"), zst).expect("zst");
    std::fs::write(
        sub.join("note.txt"),
        "زار الرئيس التركي رجب طيب أردوغان موسكو.",
    )
    .expect("txt");
    std::fs::write(sub.join("bad.jsonl"), "not json\n{\"id\": \"x\"}\n").expect("bad");
    let db = d.join("m.db");

    let out = ingest(
        &db,
        &[
            jsonl.to_str().expect("path"),
            sub.to_str().expect("path"),
            "--date",
            "2025-08-10",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "bad lines make the exit code 1: {err}"
    );
    assert!(err.contains("111 documents read"), "{err}");
    assert!(
        err.contains("111 stored, 0 unchanged, 0 replaced, 2 rejected"),
        "{err}"
    );
    assert!(err.contains("rejected 1: not JSON"), "{err}");
    assert!(err.contains("rejected 1: missing `text`"), "{err}");

    // again: nothing changes
    let out = ingest(&db, &[jsonl.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("0 stored, 40 unchanged, 0 replaced"), "{err}");

    // query through MARSAD_DB, as JSON, CSV and a table
    let q = |args: &[&str]| {
        let o = marsad()
            .arg("query")
            .args(args)
            .env("MARSAD_DB", &db)
            .output()
            .expect("query");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).expect("utf8")
    };
    let json = q(&["events", "--actor", "Putin", "--json"]);
    let rows: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert!(!rows.is_empty());
    for r in &rows {
        let names = format!("{} {}", r["source_name"], r["target_name"]);
        assert!(names.contains("بوتين"), "{r}");
    }
    let csv_text = q(&["events", "--actor", "بوتين", "--csv"]);
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(rdr.records().count(), rows.len());
    let table = q(&["events", "--actor", "RUS", "--limit", "3"]);
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(table.starts_with("day"), "{table}");
    // right-to-left cells are isolated so they do not reorder the columns
    assert!(table.contains("\u{2068}فلاديمير بوتين\u{2069}"), "{table}");
    let quotes = q(&["quotes", "--text", "بناءه", "--json"]);
    assert_eq!(
        quotes.lines().count(),
        110,
        "every synthetic article has the quote"
    );
    let ents = q(&["entities", "--country", "TUR", "--json"]);
    assert!(ents.contains("أردوغان"), "{ents}");
    let counts = q(&[
        "counts",
        "--code",
        "KILL",
        "--since",
        "2025-08-05",
        "--json",
    ]);
    assert!(counts.lines().count() > 0);
    let bad = marsad()
        .args(["query", "events", "--since", "yesterday", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));

    // exports, read back
    for (fmt, file) in [("jsonl", "e.jsonl"), ("csv", "e.csv"), ("gdelt", "e.tsv")] {
        let path = d.join(file);
        let o = marsad()
            .args(["export", "--format", fmt, "--out"])
            .arg(&path)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("export");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(&path).expect("read");
        match fmt {
            "jsonl" => {
                for l in text.lines() {
                    let v: serde_json::Value = serde_json::from_str(l).expect("json");
                    assert!(v["cameo"].is_string());
                }
            }
            "csv" => {
                let mut rdr = csv::Reader::from_reader(text.as_bytes());
                let headers = rdr.headers().expect("headers").clone();
                assert!(headers.iter().any(|h| h == "num_sources"));
                assert!(rdr.records().all(|r| r.is_ok()));
            }
            _ => {
                assert!(text.lines().count() > 0);
                for l in text.lines() {
                    assert_eq!(l.split('\t').count(), 61, "{l}");
                }
            }
        }
    }
    let o = marsad()
        .args(["export", "--format", "parquet", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "parquet is not built by default");
}

/// Kills `marsad ingest` with SIGKILL at random moments, then checks that
/// the database is sound, holds only whole documents, and that a re-run
/// finishes with exactly the rows of an uninterrupted run.
#[test]
fn sigkill_during_ingest_leaves_whole_documents_and_a_rerun_completes() {
    let d = dir("store-sigkill");
    let input = d.join("articles.jsonl");
    let n_docs = 2500;
    std::fs::write(&input, synthetic(n_docs, 42)).expect("write");
    let input_s = input.to_str().expect("path");

    // the reference: one uninterrupted run
    let reference_db = d.join("reference.db");
    let out = ingest(&reference_db, &[input_s, "--batch", "100"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = Store::open_read_only(&reference_db).expect("open");
    let ref_docs = reference.documents().expect("docs");
    let ref_totals = reference.totals().expect("totals");
    assert_eq!(ref_docs.len(), n_docs);
    let by_id: std::collections::HashMap<String, marsad_store::DocSummary> =
        ref_docs.into_iter().map(|s| (s.id.clone(), s)).collect();

    let db = d.join("killed.db");
    let mut g = Lcg(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|t| t.as_nanos() as u64)
        .unwrap_or(1));
    let mut kills = 0;
    let mut attempts = 0;
    while kills < 5 && attempts < 20 {
        attempts += 1;
        let mut child = marsad()
            .args(["ingest", input_s, "--batch", "100", "--db"])
            .arg(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // the first second is mostly start-up (lexicon); kill somewhere after
        let wait = Duration::from_millis(800 + g.next() % 1500);
        let start = Instant::now();
        let mut finished = false;
        while start.elapsed() < wait {
            if child.try_wait().expect("wait").is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if !finished {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let _ = child.wait();

        let store = Store::open(&db).expect("a killed store opens");
        assert_eq!(store.integrity_check().expect("check"), "ok");
        for s in store.documents().expect("docs") {
            let want = by_id.get(&s.id).expect("a known id");
            assert_eq!(&s, want, "document {} is whole", s.id);
        }
        if finished {
            // a run got to the end before its kill: start over, so every
            // kill interrupts real work
            drop(store);
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
            }
        }
    }
    assert!(kills >= 5, "only {kills} kills in {attempts} runs");

    let out = ingest(&db, &[input_s, "--batch", "100"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&format!("{n_docs} documents read")), "{err}");
    let store = Store::open_read_only(&db).expect("open");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(
        store.totals().expect("totals"),
        ref_totals,
        "exact counts, no duplicates"
    );
    let docs = store.documents().expect("docs");
    assert_eq!(docs.len(), n_docs);
    for s in docs {
        assert_eq!(Some(&s), by_id.get(&s.id));
    }
    // and a further run changes nothing
    let out = ingest(&db, &[input_s]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("0 stored, {n_docs} unchanged")),
        "{err}"
    );
    eprintln!("sigkill test: {kills} kills in {attempts} runs");
}
