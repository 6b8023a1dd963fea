//! Layer batches from real extractions: schemas, row counts, values, and
//! the nested batch's lists holding exactly the flat layers' rows.

use arrow_array::{Array, Int64Array, ListArray, StringArray, StructArray};
use marsad_arrow::{layer_batch, nested_batch, nested_schema, rows_batch, schema, Layer};
use marsad_extract::{Extractor, InputDoc, Record};

fn docs() -> Vec<InputDoc> {
    let raw = include_str!("../../../examples/articles.jsonl");
    let mut v: Vec<InputDoc> = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("example line"))
        .collect();
    v.push(InputDoc {
        id: "no-date".into(),
        date: Some("أمس".into()),
        source: None,
        url: Some("https://example.org/x".into()),
        title: None,
        text: "أعلن وزير الخارجية الفرنسي أن باريس ستستضيف مؤتمراً للسلام.".into(),
    });
    v
}

fn extracted() -> Vec<(InputDoc, Record)> {
    let ex = Extractor::embedded().expect("extractor");
    docs()
        .into_iter()
        .map(|d| {
            let r = ex.extract(&d);
            (d, r)
        })
        .collect()
}

#[test]
fn layers_have_one_row_per_item() {
    let ex = extracted();
    let pairs: Vec<(&InputDoc, &Record)> = ex.iter().map(|(d, r)| (d, r)).collect();
    for layer in Layer::ALL {
        let b = layer_batch(layer, &pairs).expect("batch");
        assert_eq!(b.schema(), schema(layer), "{layer:?}");
        let want: usize = ex
            .iter()
            .map(|(_, r)| match layer {
                Layer::Documents => 1,
                Layer::Events => r.events.len(),
                Layer::Quotes => r.quotes.len(),
                Layer::Entities => r.entities.len(),
                Layer::Times => r.times.len(),
                Layer::Counts => r.counts.len(),
            })
            .sum();
        assert_eq!(b.num_rows(), want, "{layer:?}");
    }
    let events = layer_batch(Layer::Events, &pairs).expect("events");
    assert!(events.num_rows() > 0, "the examples have events");
    // the trigger column is the text at the trigger span, in code points
    let trig = events
        .column_by_name("trigger")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .expect("trigger");
    let start = events
        .column_by_name("trigger_start")
        .and_then(|c| c.as_any().downcast_ref::<Int64Array>())
        .expect("trigger_start");
    let ids = events
        .column_by_name("doc_id")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .expect("doc_id");
    for i in 0..events.num_rows() {
        let (d, _) = ex.iter().find(|(d, _)| d.id == ids.value(i)).expect("doc");
        let first: String = d
            .text
            .chars()
            .skip(start.value(i) as usize)
            .take(1)
            .collect();
        assert!(trig.value(i).starts_with(&first), "row {i}");
        assert!(!trig.value(i).is_empty(), "row {i}");
    }
    // store-only columns are null outside the store
    assert_eq!(
        events
            .column_by_name("cluster")
            .expect("cluster")
            .null_count(),
        events.num_rows()
    );
}

#[test]
fn nested_lists_hold_the_flat_layers() {
    let ex = extracted();
    let pairs: Vec<(&InputDoc, &Record)> = ex.iter().map(|(d, r)| (d, r)).collect();
    let nested = nested_batch(&pairs).expect("nested");
    assert_eq!(nested.schema(), nested_schema());
    assert_eq!(nested.num_rows(), ex.len());
    for layer in Layer::ALL {
        let flat = layer_batch(layer, &pairs).expect("flat");
        let list = nested
            .column_by_name(layer.name())
            .and_then(|c| c.as_any().downcast_ref::<ListArray>())
            .expect("list column");
        let values = list
            .values()
            .as_any()
            .downcast_ref::<StructArray>()
            .expect("structs");
        assert_eq!(values.fields(), flat.schema().fields(), "{layer:?}");
        assert_eq!(values.columns(), flat.columns(), "{layer:?}");
        for (i, (_, r)) in ex.iter().enumerate() {
            let n = list.value_length(i) as usize;
            let want = match layer {
                Layer::Documents => 1,
                Layer::Events => r.events.len(),
                Layer::Quotes => r.quotes.len(),
                Layer::Entities => r.entities.len(),
                Layer::Times => r.times.len(),
                Layer::Counts => r.counts.len(),
            };
            assert_eq!(n, want, "{layer:?} of article {i}");
        }
    }
}

#[test]
fn bad_rows_are_errors_naming_row_and_column() {
    let mut row = serde_json::Map::new();
    row.insert("doc_id".into(), serde_json::json!("d1"));
    row.insert("type".into(), serde_json::json!("killed"));
    row.insert("min".into(), serde_json::json!("three"));
    let e = rows_batch(Layer::Counts, &[row]).expect_err("bad row");
    let msg = e.to_string();
    assert!(
        msg.contains("counts") && msg.contains("row 0") && msg.contains("min"),
        "{msg}"
    );
    assert!(Layer::from_name("tweets").is_err());
    assert_eq!(Layer::from_name("quotes").expect("quotes"), Layer::Quotes);
}

#[test]
fn input_batches_become_articles_or_errors_naming_the_row() {
    use arrow_array::{Date32Array, Int64Array, RecordBatch, StringArray};
    use marsad_arrow::input_docs;
    use std::sync::Arc;

    let ok = RecordBatch::try_from_iter(vec![
        ("id", Arc::new(Int64Array::from(vec![7, 8])) as _),
        (
            "text",
            Arc::new(StringArray::from(vec!["نص أول", "نص ثان"])) as _,
        ),
        (
            "date",
            Arc::new(Date32Array::from(vec![Some(20_000), None])) as _,
        ),
        ("extra", Arc::new(Int64Array::from(vec![1, 2])) as _),
    ])
    .expect("batch");
    let docs = input_docs(&ok, 1 << 20).expect("docs");
    assert_eq!(docs[0].id, "7");
    assert_eq!(docs[0].date.as_deref(), Some("2024-10-04"));
    assert_eq!(docs[1].date, None);
    assert_eq!(docs[1].text, "نص ثان");

    let null_text = RecordBatch::try_from_iter(vec![
        ("id", Arc::new(StringArray::from(vec!["a", "b"])) as _),
        (
            "text",
            Arc::new(StringArray::from(vec![Some("نص"), None])) as _,
        ),
    ])
    .expect("batch");
    let msg = input_docs(&null_text, 1 << 20)
        .expect_err("null text")
        .to_string();
    assert!(
        msg.contains("row 1") && msg.contains("\"b\"") && msg.contains("text"),
        "{msg}"
    );

    let too_long = input_docs(&null_text.slice(0, 1), 2)
        .expect_err("limit")
        .to_string();
    assert!(
        too_long.contains("\"a\"") && too_long.contains("limit"),
        "{too_long}"
    );

    let no_text =
        RecordBatch::try_from_iter(vec![("id", Arc::new(StringArray::from(vec!["a"])) as _)])
            .expect("batch");
    let msg = input_docs(&no_text, 1 << 20)
        .expect_err("no text")
        .to_string();
    assert!(msg.contains("no `text` column"), "{msg}");
}
