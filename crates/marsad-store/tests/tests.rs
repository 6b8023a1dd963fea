//! Integration tests of the store on real SQLite files in a temp dir.

mod feeds;

use marsad_extract::{Count, Entity, Event, InputDoc, Quote, Record, TimeExpr};
use marsad_store::{ExportFormat, Filter, Store, GDELT_COLUMNS};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn ent(
    id: &str,
    typ: &str,
    name: &str,
    en: Option<&str>,
    actor: Option<&str>,
    mentions: Vec<[usize; 2]>,
) -> Entity {
    Entity {
        id: id.into(),
        typ: typ.into(),
        name: name.into(),
        name_en: en.map(Into::into),
        actor: actor.map(Into::into),
        country: actor.map(|a| a[..3].to_string()),
        mentions,
        source: "lexicon".into(),
        confidence: 0.9,
    }
}

fn event(
    src: &str,
    tgt: &str,
    sa: &str,
    ta: &str,
    cameo: &str,
    date: &str,
    modality: &str,
) -> Event {
    let root = cameo[..2].to_string();
    Event {
        source: Some(src.into()),
        target: Some(tgt.into()),
        source_actor: Some(sa.into()),
        target_actor: Some(ta.into()),
        plover: Some(if root == "04" { "CONSULT" } else { "THREATEN" }.into()),
        mode: None,
        quad_class: if root == "04" { 1 } else { 3 },
        goldstein: if root == "04" { 1.0 } else { -4.4 },
        cameo: cameo.into(),
        root,
        modality: modality.into(),
        date: Some(date.into()),
        location: None,
        trigger: [0, 4],
        sentence: [0, 20],
        confidence: 0.8,
        pattern: "p1".into(),
    }
}

/// A Russia–China consultation reported by one outlet, with a quote and a
/// count: the text carries harakat and a clitic (والمُتحدِّث).
fn doc_a(id: &str, source: &str, date: &str) -> (InputDoc, Record) {
    let text =
        "التقى بوتين شي في موسكو. وقال والمُتحدِّث باسم الكرملين إن «المحادثات بنّاءة». قُتل 12 شخصا.";
    let doc = InputDoc {
        id: id.into(),
        date: Some(date.into()),
        source: Some(source.into()),
        url: Some(format!("https://example.org/{id}")),
        title: Some("قمة روسية صينية".into()),
        text: text.into(),
    };
    let rec = Record {
        id: id.into(),
        date: Some(date.into()),
        source: Some(source.into()),
        entities: vec![
            ent(
                "e1",
                "PERSON",
                "فلاديمير بوتين",
                Some("Vladimir Putin"),
                Some("RUSGOV"),
                vec![[6, 11]],
            ),
            ent(
                "e2",
                "PERSON",
                "شي جين بينغ",
                Some("Xi Jinping"),
                Some("CHNGOV"),
                vec![[12, 14]],
            ),
            ent(
                "e3",
                "GPE",
                "موسكو",
                Some("Moscow"),
                Some("RUS"),
                vec![[18, 23]],
            ),
        ],
        quotes: vec![Quote {
            speaker: Some("e1".into()),
            speaker_text: Some("المتحدث باسم الكرملين".into()),
            cue: "قال".into(),
            span: [50, 66],
            text: "المحادثات بنّاءة".into(),
            direct: true,
            via: None,
            cue_span: None,
        }],
        events: vec![event(
            "e1", "e2", "RUSGOV", "CHNGOV", "040", date, "asserted",
        )],
        times: vec![TimeExpr {
            span: [0, 1],
            text: "اليوم".into(),
            value: Some(date.into()),
            granularity: "day".into(),
        }],
        counts: vec![Count {
            typ: "KILL".into(),
            min: 12,
            max: 12,
            qualifier: None,
            unit: None,
            span: [70, 80],
            text: "قتل 12 شخصا".into(),
        }],
        diagnostics: vec![],
    };
    (doc, rec)
}

/// The USA threatening Iran: a different dyad and code.
fn doc_b(id: &str) -> (InputDoc, Record) {
    let text = "هدد ترامب إيران بضربة عسكرية للمتحدث.";
    let doc = InputDoc {
        id: id.into(),
        date: Some("2025-07-01".into()),
        source: Some("Outlet B".into()),
        url: None,
        title: None,
        text: text.into(),
    };
    let rec = Record {
        id: id.into(),
        date: Some("2025-07-01".into()),
        source: None,
        entities: vec![
            ent(
                "e1",
                "PERSON",
                "دونالد ترامب",
                Some("Donald Trump"),
                Some("USAGOV"),
                vec![[4, 9]],
            ),
            ent(
                "e2",
                "GPE",
                "إيران",
                Some("Iran"),
                Some("IRN"),
                vec![[10, 15]],
            ),
        ],
        quotes: vec![],
        events: vec![event(
            "e1",
            "e2",
            "USAGOV",
            "IRN",
            "138",
            "2025-07-01",
            "threatened",
        )],
        times: vec![],
        counts: vec![],
        diagnostics: vec![],
    };
    (doc, rec)
}

fn sample(store: &mut Store) {
    store
        .ingest(&[
            doc_a("a1", "Outlet A", "2025-08-08"),
            doc_a("a2", "Outlet C", "2025-08-09"),
            doc_a("a3", "Outlet A", "2025-08-20"),
            doc_b("b1"),
        ])
        .expect("ingest");
}

#[test]
fn opens_migrates_and_uses_wal_with_fts5() {
    let dir = tmp();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).expect("open");
    assert_eq!(
        store.schema_version().expect("v"),
        marsad_store::SCHEMA_VERSION
    );
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    drop(store);
    // reopening applies nothing and keeps the version
    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.schema_version().expect("v"),
        marsad_store::SCHEMA_VERSION
    );
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tmp();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).expect("open");
    store
        .connection()
        .pragma_update(None, "user_version", 999)
        .expect("bump");
    drop(store);
    assert!(matches!(
        Store::open(&path),
        Err(marsad_store::Error::NewerSchema { found: 999, .. })
    ));
}

#[test]
fn reingest_is_idempotent() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let before = store.totals().expect("totals");
    assert_eq!(before.documents, 4);
    assert_eq!(before.events, 4);
    let stats = store
        .ingest(&[doc_a("a1", "Outlet A", "2025-08-08"), doc_b("b1")])
        .expect("again");
    assert_eq!((stats.stored, stats.unchanged, stats.replaced), (0, 2, 0));
    assert_eq!(store.totals().expect("totals"), before);
}

#[test]
fn changed_text_replaces_the_documents_rows() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let before = store.totals().expect("totals");
    let (mut d, mut r) = doc_a("a1", "Outlet A", "2025-08-08");
    d.text.push_str(" وأضاف أن الزيارة ناجحة.");
    r.quotes.clear();
    r.counts.clear();
    let stats = store.ingest(&[(d, r)]).expect("replace");
    assert_eq!((stats.stored, stats.unchanged, stats.replaced), (0, 0, 1));
    let after = store.totals().expect("totals");
    assert_eq!(after.documents, before.documents);
    assert_eq!(after.events, before.events);
    assert_eq!(after.quotes, before.quotes - 1);
    assert_eq!(after.counts, before.counts - 1);
    // the old quote is gone from the full-text index too
    let f = Filter {
        text: Some("بناءه".into()),
        ..Filter::default()
    };
    let q = store.quotes(&f).expect("quotes");
    assert!(q.iter().all(|q| q.doc_id != "a1"), "{q:?}");
    assert_eq!(q.len(), 2);
    let f = Filter {
        text: Some("الزيارة".into()),
        ..Filter::default()
    };
    let ev = store.events(&f).expect("events");
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].doc_id, "a1");
    // the cluster still counts the replaced mention exactly once
    let a = store
        .events(&Filter {
            code: Some("040".into()),
            ..Filter::default()
        })
        .expect("events");
    let c = a.iter().find(|e| e.doc_id == "a2").expect("a2");
    assert_eq!((c.num_mentions, c.num_articles, c.num_sources), (2, 2, 2));
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn clusters_merge_within_one_day_and_count_sources() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let ev = store
        .events(&Filter {
            code: Some("04".into()),
            ..Filter::default()
        })
        .expect("events");
    assert_eq!(ev.len(), 3);
    // a1 (08-08, Outlet A) and a2 (08-09, Outlet C) are one event; a3 (08-20) another
    assert_eq!(ev[0].cluster, ev[1].cluster);
    assert_ne!(ev[0].cluster, ev[2].cluster);
    assert_eq!(
        (ev[0].num_mentions, ev[0].num_sources, ev[0].num_articles),
        (2, 2, 2)
    );
    assert_eq!(
        (ev[2].num_mentions, ev[2].num_sources, ev[2].num_articles),
        (1, 1, 1)
    );
    assert_eq!(store.totals().expect("t").clusters, 3);
    // the provenance of one cluster: each mention with its article and span
    let m = store
        .events(&Filter {
            cluster: ev[0].cluster,
            ..Filter::default()
        })
        .expect("mentions");
    let docs: Vec<&str> = m.iter().map(|e| e.doc_id.as_str()).collect();
    assert_eq!(docs, ["a1", "a2"]);
    assert!(m
        .iter()
        .all(|e| e.trigger == "التق" && e.sentence_end == 20));
    assert!(store
        .quotes(&Filter {
            cluster: Some(1),
            ..Filter::default()
        })
        .is_err());
}

#[test]
fn full_text_search_folds_diacritics_and_clitics() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let docs_with = |q: &str| -> Vec<String> {
        let mut ids: Vec<String> = store
            .events(&Filter {
                text: Some(q.into()),
                ..Filter::default()
            })
            .expect("search")
            .into_iter()
            .map(|e| e.doc_id)
            .collect();
        ids.dedup();
        ids
    };
    // the text has والمُتحدِّث (harakat + و) and للمتحدث (لـ + الـ)
    assert_eq!(docs_with("المتحدث"), ["b1", "a1", "a2", "a3"]);
    assert_eq!(docs_with("المُتحدِّث"), ["b1", "a1", "a2", "a3"]);
    assert_eq!(docs_with("متحدث"), ["b1", "a1", "a2", "a3"]);
    assert_eq!(docs_with("والمتحدث"), ["a1", "a2", "a3"]);
    // alef variants and ta marbuta fold: إيران / ايران
    assert_eq!(docs_with("ايران"), ["b1"]);
    // words are ANDed; a prefix query with *
    assert_eq!(docs_with("المتحدث ترامب"), ["b1"]);
    assert_eq!(docs_with("الكرم*"), ["a1", "a2", "a3"]);
    // title is indexed
    assert_eq!(docs_with("قمة"), ["a1", "a2", "a3"]);
    // FTS syntax in user input is inert
    assert!(docs_with("\"OR NEAR(").is_empty());
    // quotes are indexed on their own
    let q = store
        .quotes(&Filter {
            text: Some("بنّاءة".into()),
            ..Filter::default()
        })
        .expect("quotes");
    assert_eq!(q.len(), 3);
}

#[test]
fn each_event_filter() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let n = |f: Filter| store.events(&f).expect("query").len();
    let all = Filter::default;
    assert_eq!(n(all()), 4);
    assert_eq!(
        n(Filter {
            actor: Some("RUS".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            actor: Some("CHNGOV".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            actor: Some("بوتين".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            actor: Some("putin".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            actor: Some("Iran".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            actor: Some("ايران".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            source_actor: Some("USA".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            source_actor: Some("IRN".into()),
            ..all()
        }),
        0
    );
    assert_eq!(
        n(Filter {
            target_actor: Some("IRN".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            target_actor: Some("شي".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            country: Some("chn".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            code: Some("13".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            code: Some("040".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            plover: Some("consult".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            modality: Some("threatened".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            since: Some("2025-08-09".into()),
            ..all()
        }),
        2
    );
    assert_eq!(
        n(Filter {
            until: Some("2025-08-09".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            until: Some("2025-07".into()),
            ..all()
        }),
        1
    );
    assert_eq!(
        n(Filter {
            since: Some("2025-08".into()),
            until: Some("2025-08".into()),
            ..all()
        }),
        3
    );
    assert_eq!(
        n(Filter {
            limit: Some(2),
            ..all()
        }),
        2
    );
    assert!(store
        .events(&Filter {
            since: Some("8/8/2025".into()),
            ..all()
        })
        .is_err());
    assert!(store
        .events(&Filter {
            code: Some("x".into()),
            ..all()
        })
        .is_err());
    let e = &store
        .events(&Filter {
            actor: Some("Trump".into()),
            ..all()
        })
        .expect("q")[0];
    assert_eq!(e.source_name.as_deref(), Some("دونالد ترامب"));
    assert_eq!(e.trigger, "هدد ");
    assert_eq!(e.cameo, "138");
}

#[test]
fn quote_entity_and_count_filters() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let all = Filter::default;
    let q = store
        .quotes(&Filter {
            actor: Some("Putin".into()),
            ..all()
        })
        .expect("q");
    assert_eq!(q.len(), 3);
    assert_eq!(q[0].speaker.as_deref(), Some("فلاديمير بوتين"));
    assert!(store
        .quotes(&Filter {
            actor: Some("Trump".into()),
            ..all()
        })
        .expect("q")
        .is_empty());
    assert_eq!(
        store
            .quotes(&Filter {
                country: Some("RUS".into()),
                ..all()
            })
            .expect("q")
            .len(),
        3
    );
    assert_eq!(
        store
            .quotes(&Filter {
                since: Some("2025-08-09".into()),
                ..all()
            })
            .expect("q")
            .len(),
        2
    );
    assert!(store
        .quotes(&Filter {
            code: Some("04".into()),
            ..all()
        })
        .is_err());

    let e = store.entities(&all()).expect("e");
    let putin = e.iter().find(|x| x.name == "فلاديمير بوتين").expect("putin");
    assert_eq!((putin.documents, putin.mentions), (3, 3));
    let e = store
        .entities(&Filter {
            country: Some("IRN".into()),
            ..all()
        })
        .expect("e");
    assert_eq!(e.len(), 1);
    let e = store
        .entities(&Filter {
            actor: Some("شي".into()),
            ..all()
        })
        .expect("e");
    assert_eq!(e.len(), 1);
    let e = store
        .entities(&Filter {
            text: Some("ترامب".into()),
            ..all()
        })
        .expect("e");
    assert_eq!(e.len(), 2);

    let c = store.counts(&all()).expect("c");
    assert_eq!(c.len(), 3);
    assert_eq!(c[0].min, 12);
    assert_eq!(
        store
            .counts(&Filter {
                code: Some("kill".into()),
                ..all()
            })
            .expect("c")
            .len(),
        3
    );
    assert_eq!(
        store
            .counts(&Filter {
                actor: Some("Trump".into()),
                ..all()
            })
            .expect("c")
            .len(),
        0
    );
    assert_eq!(
        store
            .counts(&Filter {
                country: Some("CHN".into()),
                until: Some("2025-08-10".into()),
                ..all()
            })
            .expect("c")
            .len(),
        2
    );
}

#[test]
fn exports_read_back() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let f = Filter::default();

    let mut buf = Vec::new();
    assert_eq!(
        store
            .export(ExportFormat::Jsonl, &f, &mut buf)
            .expect("jsonl"),
        4
    );
    let rows: Vec<marsad_store::EventRow> = String::from_utf8(buf)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert_eq!(rows, store.events(&f).expect("events"));

    let mut buf = Vec::new();
    assert_eq!(
        store.export(ExportFormat::Csv, &f, &mut buf).expect("csv"),
        4
    );
    let mut rdr = csv::Reader::from_reader(buf.as_slice());
    let back: Vec<marsad_store::EventRow> = rdr
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("csv rows");
    assert_eq!(back.len(), 4);
    assert_eq!(back, rows, "CSV round-trips every field");
    assert_eq!(back[1].cameo, "040", "codes keep leading zeros");
    assert_eq!(
        back[3].source_name.as_deref(),
        rows[3].source_name.as_deref()
    );

    let mut buf = Vec::new();
    assert_eq!(
        store
            .export(ExportFormat::Gdelt, &f, &mut buf)
            .expect("gdelt"),
        3
    );
    let text = String::from_utf8(buf).expect("utf8");
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3);
    let col = |name: &str| {
        GDELT_COLUMNS
            .iter()
            .position(|c| *c == name)
            .expect("column")
    };
    for l in &lines {
        assert_eq!(l.len(), 61);
    }
    let first = &lines[0];
    assert_eq!(first[col("SQLDATE")], "20250808");
    assert_eq!(first[col("Actor1Code")], "RUSGOV");
    assert_eq!(first[col("Actor1CountryCode")], "RUS");
    assert_eq!(first[col("Actor1Type1Code")], "GOV");
    assert_eq!(first[col("Actor2Name")], "Xi Jinping");
    assert_eq!(first[col("EventCode")], "040");
    assert_eq!(first[col("EventRootCode")], "04");
    assert_eq!(first[col("NumMentions")], "2");
    assert_eq!(first[col("NumSources")], "2");
    assert_eq!(first[col("ActionGeo_CountryCode")], "");
    assert_eq!(first[col("SOURCEURL")], "https://example.org/a1");
    let iran = &lines[2];
    assert_eq!(iran[col("Actor2CountryCode")], "IRN");
    assert_eq!(iran[col("EventCode")], "138");
    assert_eq!(iran[col("QuadClass")], "3");
    assert_eq!(iran[col("SOURCEURL")], "b1");
}

#[test]
fn filters_are_parameters_not_sql() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let f = Filter {
        actor: Some("x' OR 1=1 --".into()),
        ..Filter::default()
    };
    assert!(store.events(&f).expect("q").is_empty());
    assert_eq!(store.totals().expect("t").documents, 4);
}

/// An actor made of punctuation normalises to nothing: every query answers
/// with no rows, not an SQL error.
#[test]
fn an_actor_of_punctuation_only_matches_nothing() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    for actor in ["!!!", "،", " "] {
        let f = Filter {
            actor: Some(actor.into()),
            ..Filter::default()
        };
        assert!(store.events(&f).expect("events").is_empty(), "{actor:?}");
        assert!(store.quotes(&f).expect("quotes").is_empty(), "{actor:?}");
        assert!(store.counts(&f).expect("counts").is_empty(), "{actor:?}");
    }
}

/// A million event mentions: filtered queries must answer in under a
/// second. Ignored by default (it writes ~1 GB of SQLite and takes about a
/// minute in release mode): `cargo test --release -p marsad-store -- --ignored`.
#[test]
#[ignore]
fn a_query_over_a_million_events_answers_in_under_a_second() {
    let dir = tmp();
    let mut store = Store::open(dir.path().join("big.db")).expect("open");
    let actors = [
        "RUSGOV", "CHNGOV", "USAGOV", "IRN", "FRAGOV", "TURGOV", "INDGOV", "IGOUNO",
    ];
    let codes = ["040", "041", "042", "043", "111", "138", "190", "0311"];
    let docs = 100_000;
    let per_doc = 10;
    let mut batch = Vec::new();
    for i in 0..docs {
        let day = format!("2025-{:02}-{:02}", 1 + (i / 28) % 12, 1 + i % 28);
        let (mut d, mut r) = doc_b(&format!("big-{i}"));
        d.date = Some(day.clone());
        d.text = format!("{} {i}", d.text);
        r.events = (0..per_doc)
            .map(|k| {
                let a = actors[(i + k) % actors.len()];
                let b = actors[(i * 7 + k + 1) % actors.len()];
                let mut e = event(
                    "e1",
                    "e2",
                    a,
                    b,
                    codes[(i + 3 * k) % codes.len()],
                    &day,
                    "asserted",
                );
                e.cameo = codes[(i + 3 * k) % codes.len()].into();
                e
            })
            .collect();
        batch.push((d, r));
        if batch.len() == 5000 {
            store.ingest(&batch).expect("ingest");
            batch.clear();
        }
    }
    store.ingest(&batch).expect("ingest");
    assert_eq!(store.totals().expect("t").events, (docs * per_doc) as u64);
    let time = |f: Filter| {
        let t = std::time::Instant::now();
        let n = store.events(&f).expect("query").len();
        let secs = t.elapsed().as_secs_f64();
        eprintln!("{f:?}: {n} rows in {secs:.3} s");
        assert!(secs < 1.0, "{f:?} took {secs} s");
    };
    let all = Filter::default;
    time(Filter {
        actor: Some("RUSGOV".into()),
        code: Some("04".into()),
        since: Some("2025-06-01".into()),
        until: Some("2025-06-07".into()),
        ..all()
    });
    time(Filter {
        source_actor: Some("USA".into()),
        target_actor: Some("IRN".into()),
        limit: Some(100),
        ..all()
    });
    time(Filter {
        code: Some("190".into()),
        since: Some("2025-03".into()),
        until: Some("2025-03".into()),
        limit: Some(1000),
        ..all()
    });
    time(Filter {
        country: Some("CHN".into()),
        limit: Some(100),
        ..all()
    });
    time(Filter {
        actor: Some("Trump".into()),
        since: Some("2025-12-01".into()),
        limit: Some(1000),
        ..all()
    });
    time(Filter {
        text: Some("ترامب".into()),
        since: Some("2025-12-20".into()),
        limit: Some(1000),
        ..all()
    });
}

/// Parquet has the JSON rows' columns and values (feature `parquet`).
#[cfg(feature = "parquet")]
#[test]
fn parquet_export_reads_back() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let dir = tmp();
    let mut store = Store::open(dir.path().join("s.db")).expect("open");
    sample(&mut store);
    let path = dir.path().join("e.parquet");
    let f = Filter::default();
    let n = store
        .export_parquet(&f, std::fs::File::create(&path).expect("create"))
        .expect("parquet");
    assert_eq!(n, 4);
    // the schema is marsad-arrow's events layer, the one the Python bindings
    // and the Spark job write
    let arrow = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(&path).expect("open"),
    )
    .expect("arrow reader");
    assert_eq!(
        arrow.schema().fields(),
        marsad_arrow::schema(marsad_arrow::Layer::Events).fields()
    );
    let reader =
        SerializedFileReader::new(std::fs::File::open(&path).expect("open")).expect("reader");
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("row");
    let json: Vec<serde_json::Value> = store
        .events(&f)
        .expect("events")
        .iter()
        .map(|r| serde_json::to_value(r).expect("json"))
        .collect();
    assert_eq!(rows.len(), json.len());
    for (row, js) in rows.iter().zip(&json) {
        let obj = js.as_object().expect("object");
        let names: Vec<&String> = row.get_column_iter().map(|(n, _)| n).collect();
        let keys: Vec<&String> = obj.keys().collect();
        let mut sorted = names.clone();
        sorted.sort();
        let mut k = keys.clone();
        k.sort();
        assert_eq!(sorted, k, "same columns as the JSON");
        for (name, field) in row.get_column_iter() {
            let want = &obj[name.as_str()];
            match field {
                Field::Null => assert!(want.is_null(), "{name}"),
                Field::Str(s) => assert_eq!(want.as_str(), Some(s.as_str()), "{name}"),
                Field::Long(i) => assert_eq!(want.as_i64(), Some(*i), "{name}"),
                Field::Double(x) => assert_eq!(want.as_f64(), Some(*x), "{name}"),
                other => panic!("{name}: unexpected {other:?}"),
            }
        }
    }
}
