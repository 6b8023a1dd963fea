//! Analysis records as Arrow record batches: ONE schema per layer, used by
//! `marsad export --format parquet` (`marsad-store`, feature `parquet`), by
//! the Python bindings (`marsad-py`: `extract_batch`) and so by the Spark
//! job's Parquet output.
//!
//! Every layer is a flat table, one row per item of the analysis record,
//! keyed by the article (`doc_id`, `doc_date`, `outlet`); spans become
//! `start`/`end` columns (Unicode code points, `[start, end)`), entity ids
//! are resolved to names the way the store resolves them. The `events`
//! layer has exactly the columns of the store's `EventRow` (what
//! `query events --json` prints and the Parquet export writes); the columns
//! only the store can fill — `event_id`, `cluster`, `num_mentions`,
//! `num_sources`, `num_articles`, which need the cross-article store — are
//! null when records come straight from the extractor.
//!
//! Rows are built as JSON objects (serde) and turned into columns by name,
//! driven by the column table of the layer, so the schema and the filling
//! code cannot drift apart: a missing or mistyped value is an error naming
//! the layer, row and column.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, ListArray, RecordBatch, StringArray, StructArray};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef};
use marsad_extract::{f32_to_f64, InputDoc, Record, Span};
use serde_json::{json, Map, Value};

/// The crate's one error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("layer {layer}, row {row}, column {column}: {reason}")]
    Column {
        layer: &'static str,
        row: usize,
        column: &'static str,
        reason: String,
    },
    #[error("unknown layer {0:?}; one of documents, events, quotes, entities, times, counts")]
    UnknownLayer(String),
    #[error("input row {row}{}: {reason}", id.as_ref().map(|i| format!(" (id {i:?})")).unwrap_or_default())]
    Input {
        row: usize,
        id: Option<String>,
        reason: String,
    },
    #[error("input batch: {0}")]
    Batch(String),
    #[error("Arrow error: {0}")]
    Arrow(#[from] ArrowError),
}

pub type Result<T> = std::result::Result<T, Error>;

/// One output table of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// One row per article: its keys, how many items each layer has, diagnostics.
    Documents,
    Events,
    Quotes,
    Entities,
    Times,
    Counts,
}

impl Layer {
    /// Every layer, in the order of the nested batch's columns.
    pub const ALL: [Layer; 6] = [
        Layer::Documents,
        Layer::Events,
        Layer::Quotes,
        Layer::Entities,
        Layer::Times,
        Layer::Counts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Documents => "documents",
            Layer::Events => "events",
            Layer::Quotes => "quotes",
            Layer::Entities => "entities",
            Layer::Times => "times",
            Layer::Counts => "counts",
        }
    }

    pub fn from_name(s: &str) -> Result<Layer> {
        Layer::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| Error::UnknownLayer(s.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Text,
    Bool,
    /// `list<utf8>`
    TextList,
    /// `list<struct<start: int64, end: int64>>`
    SpanList,
}

use Kind::*;

/// Column name, type, nullable.
type Col = (&'static str, Kind, bool);

const DOCUMENTS: &[Col] = &[
    ("doc_id", Text, false),
    ("doc_date", Text, true),
    ("outlet", Text, true),
    ("url", Text, true),
    ("title", Text, true),
    ("entities", Int, false),
    ("quotes", Int, false),
    ("events", Int, false),
    ("times", Int, false),
    ("counts", Int, false),
    ("diagnostics", TextList, false),
];

/// The store's `EventRow`, field for field, in its order.
const EVENTS: &[Col] = &[
    ("event_id", Int, true),
    ("cluster", Int, true),
    ("doc_id", Text, false),
    ("doc_date", Text, true),
    ("outlet", Text, true),
    ("url", Text, true),
    ("date", Text, true),
    ("day", Text, true),
    ("source_actor", Text, true),
    ("source_name", Text, true),
    ("target_actor", Text, true),
    ("target_name", Text, true),
    ("cameo", Text, false),
    ("root", Text, false),
    ("plover", Text, true),
    ("mode", Text, true),
    ("quad_class", Int, false),
    ("goldstein", Float, false),
    ("modality", Text, false),
    ("location", Text, true),
    ("trigger", Text, false),
    ("trigger_start", Int, false),
    ("trigger_end", Int, false),
    ("sentence_start", Int, false),
    ("sentence_end", Int, false),
    ("confidence", Float, false),
    ("pattern", Text, false),
    ("num_mentions", Int, true),
    ("num_sources", Int, true),
    ("num_articles", Int, true),
];

const QUOTES: &[Col] = &[
    ("doc_id", Text, false),
    ("doc_date", Text, true),
    ("outlet", Text, true),
    ("speaker_id", Text, true),
    ("speaker", Text, true),
    ("speaker_actor", Text, true),
    ("speaker_text", Text, true),
    ("cue", Text, false),
    ("text", Text, false),
    ("direct", Bool, false),
    ("via", Text, true),
    ("start", Int, false),
    ("end", Int, false),
    ("cue_start", Int, true),
    ("cue_end", Int, true),
];

const ENTITIES: &[Col] = &[
    ("doc_id", Text, false),
    ("doc_date", Text, true),
    ("outlet", Text, true),
    ("entity_id", Text, false),
    ("type", Text, false),
    ("name", Text, false),
    ("name_en", Text, true),
    ("actor", Text, true),
    ("country", Text, true),
    ("how", Text, false),
    ("confidence", Float, false),
    ("mentions", SpanList, false),
];

const TIMES: &[Col] = &[
    ("doc_id", Text, false),
    ("doc_date", Text, true),
    ("outlet", Text, true),
    ("text", Text, false),
    ("value", Text, true),
    ("granularity", Text, false),
    ("start", Int, false),
    ("end", Int, false),
];

const COUNTS: &[Col] = &[
    ("doc_id", Text, false),
    ("doc_date", Text, true),
    ("outlet", Text, true),
    ("type", Text, false),
    ("min", Int, false),
    ("max", Int, false),
    ("qualifier", Text, true),
    ("unit", Text, true),
    ("text", Text, false),
    ("start", Int, false),
    ("end", Int, false),
];

fn columns(layer: Layer) -> &'static [Col] {
    match layer {
        Layer::Documents => DOCUMENTS,
        Layer::Events => EVENTS,
        Layer::Quotes => QUOTES,
        Layer::Entities => ENTITIES,
        Layer::Times => TIMES,
        Layer::Counts => COUNTS,
    }
}

fn span_fields() -> Fields {
    Fields::from(vec![
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
    ])
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Int => DataType::Int64,
        Float => DataType::Float64,
        Text => DataType::Utf8,
        Bool => DataType::Boolean,
        TextList => DataType::new_list(DataType::Utf8, false),
        SpanList => DataType::new_list(DataType::Struct(span_fields()), false),
    }
}

fn fields(layer: Layer) -> Fields {
    columns(layer)
        .iter()
        .map(|(name, kind, nullable)| Field::new(*name, data_type(*kind), *nullable))
        .collect()
}

/// The Arrow schema of one layer (what the Parquet files of that layer hold).
pub fn schema(layer: Layer) -> SchemaRef {
    Arc::new(Schema::new(fields(layer)))
}

/// The schema of [`nested_batch`]: `doc_id`, then one
/// `list<struct<…layer columns…>>` column per layer, named after it.
pub fn nested_schema() -> SchemaRef {
    let mut f = vec![Field::new("doc_id", DataType::Utf8, false)];
    for layer in Layer::ALL {
        f.push(Field::new(
            layer.name(),
            DataType::new_list(DataType::Struct(fields(layer)), false),
            false,
        ));
    }
    Arc::new(Schema::new(f))
}

/// The code points `[start, end)` of `text` (empty when out of range).
fn slice_chars(text: &str, span: Span) -> String {
    text.chars()
        .skip(span[0])
        .take(span[1].saturating_sub(span[0]))
        .collect()
}

/// The rows one article contributes to `layer`, as JSON objects keyed by
/// column name.
pub fn layer_rows(layer: Layer, doc: &InputDoc, rec: &Record) -> Vec<Map<String, Value>> {
    let entity = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| rec.entities.iter().find(|e| e.id == id))
    };
    let name = |id: &Option<String>| entity(id).map(|e| e.name.clone());
    let key = || {
        let mut m = Map::new();
        m.insert("doc_id".into(), json!(rec.id));
        m.insert("doc_date".into(), json!(rec.date));
        m.insert("outlet".into(), json!(rec.source));
        m
    };
    let with = |pairs: Value| {
        let mut m = key();
        if let Value::Object(o) = pairs {
            m.extend(o);
        }
        m
    };
    match layer {
        Layer::Documents => vec![with(json!({
            "url": doc.url,
            "title": doc.title,
            "entities": rec.entities.len(),
            "quotes": rec.quotes.len(),
            "events": rec.events.len(),
            "times": rec.times.len(),
            "counts": rec.counts.len(),
            "diagnostics": rec.diagnostics,
        }))],
        Layer::Events => rec
            .events
            .iter()
            .map(|ev| {
                let day = ev.day(rec.date.as_ref());
                with(json!({
                    "event_id": null,
                    "cluster": null,
                    "url": doc.url,
                    "date": ev.date,
                    "day": day,
                    "source_actor": ev.source_actor,
                    "source_name": name(&ev.source),
                    "target_actor": ev.target_actor,
                    "target_name": name(&ev.target),
                    "cameo": ev.cameo,
                    "root": ev.root,
                    "plover": ev.plover,
                    "mode": ev.mode,
                    "quad_class": ev.quad_class,
                    "goldstein": f32_to_f64(ev.goldstein),
                    "modality": ev.modality,
                    "location": name(&ev.location),
                    "trigger": slice_chars(&doc.text, ev.trigger),
                    "trigger_start": ev.trigger[0],
                    "trigger_end": ev.trigger[1],
                    "sentence_start": ev.sentence[0],
                    "sentence_end": ev.sentence[1],
                    "confidence": f32_to_f64(ev.confidence),
                    "pattern": ev.pattern,
                    "num_mentions": null,
                    "num_sources": null,
                    "num_articles": null,
                }))
            })
            .collect(),
        Layer::Quotes => rec
            .quotes
            .iter()
            .map(|q| {
                let sp = entity(&q.speaker);
                with(json!({
                    "speaker_id": q.speaker,
                    "speaker": sp.map(|e| &e.name),
                    "speaker_actor": sp.and_then(|e| e.actor.as_ref()),
                    "speaker_text": q.speaker_text,
                    "cue": q.cue,
                    "text": q.text,
                    "direct": q.direct,
                    "via": q.via,
                    "start": q.span[0],
                    "end": q.span[1],
                    "cue_start": q.cue_span.map(|s| s[0]),
                    "cue_end": q.cue_span.map(|s| s[1]),
                }))
            })
            .collect(),
        Layer::Entities => rec
            .entities
            .iter()
            .map(|e| {
                with(json!({
                    "entity_id": e.id,
                    "type": e.typ,
                    "name": e.name,
                    "name_en": e.name_en,
                    "actor": e.actor,
                    "country": e.country,
                    "how": e.source,
                    "confidence": f32_to_f64(e.confidence),
                    "mentions": e.mentions,
                }))
            })
            .collect(),
        Layer::Times => rec
            .times
            .iter()
            .map(|t| {
                with(json!({
                    "text": t.text,
                    "value": t.value,
                    "granularity": t.granularity,
                    "start": t.span[0],
                    "end": t.span[1],
                }))
            })
            .collect(),
        Layer::Counts => rec
            .counts
            .iter()
            .map(|c| {
                with(json!({
                    "type": c.typ,
                    "min": c.min,
                    "max": c.max,
                    "qualifier": c.qualifier,
                    "unit": c.unit,
                    "text": c.text,
                    "start": c.span[0],
                    "end": c.span[1],
                }))
            })
            .collect(),
    }
}

/// Builds `layer`'s columns from rows keyed by column name (extra keys are
/// ignored; a missing key is null).
fn build_columns(layer: Layer, rows: &[&Map<String, Value>]) -> Result<Vec<ArrayRef>> {
    let null = Value::Null;
    let mut out: Vec<ArrayRef> = Vec::new();
    for &(column, kind, nullable) in columns(layer) {
        let err = |row: usize, reason: &str| Error::Column {
            layer: layer.name(),
            row,
            column,
            reason: reason.to_string(),
        };
        let cells = rows.iter().map(|r| r.get(column).unwrap_or(&null));
        let bad_null = |row: usize| err(row, "null in a column that cannot be null");
        macro_rules! scalar {
            ($builder:expr, $get:expr, $what:literal) => {{
                let mut b = $builder;
                for (i, c) in cells.enumerate() {
                    if c.is_null() {
                        if !nullable {
                            return Err(bad_null(i));
                        }
                        b.append_null();
                    } else {
                        let v = $get(c).ok_or_else(|| err(i, concat!("not ", $what)))?;
                        b.append_value(v);
                    }
                }
                Arc::new(b.finish()) as ArrayRef
            }};
        }
        let array = match kind {
            Int => scalar!(
                Int64Builder::with_capacity(rows.len()),
                Value::as_i64,
                "an integer"
            ),
            Float => scalar!(
                Float64Builder::with_capacity(rows.len()),
                Value::as_f64,
                "a number"
            ),
            Bool => scalar!(
                BooleanBuilder::with_capacity(rows.len()),
                Value::as_bool,
                "a boolean"
            ),
            Text => scalar!(StringBuilder::new(), Value::as_str, "a string"),
            TextList => {
                let item = Arc::new(Field::new("item", DataType::Utf8, false));
                let mut b = ListBuilder::new(StringBuilder::new()).with_field(item);
                for (i, c) in cells.enumerate() {
                    if c.is_null() {
                        if !nullable {
                            return Err(bad_null(i));
                        }
                        b.append_null();
                        continue;
                    }
                    let items = c.as_array().ok_or_else(|| err(i, "not a list"))?;
                    for s in items {
                        let s = s.as_str().ok_or_else(|| err(i, "not a list of strings"))?;
                        b.values().append_value(s);
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
            SpanList => {
                let item = Arc::new(Field::new("item", DataType::Struct(span_fields()), false));
                let sb = StructBuilder::from_fields(span_fields(), 0);
                let mut b = ListBuilder::new(sb).with_field(item);
                for (i, c) in cells.enumerate() {
                    if c.is_null() {
                        if !nullable {
                            return Err(bad_null(i));
                        }
                        b.append_null();
                        continue;
                    }
                    let spans = c.as_array().ok_or_else(|| err(i, "not a list"))?;
                    for s in spans {
                        let (Some(a), Some(z)) = (
                            s.get(0).and_then(Value::as_i64),
                            s.get(1).and_then(Value::as_i64),
                        ) else {
                            return Err(err(i, "not a list of [start, end] spans"));
                        };
                        let st = b.values();
                        st.field_builder::<Int64Builder>(0)
                            .ok_or_else(|| err(i, "span builder"))?
                            .append_value(a);
                        st.field_builder::<Int64Builder>(1)
                            .ok_or_else(|| err(i, "span builder"))?
                            .append_value(z);
                        st.append(true);
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
        };
        out.push(array);
    }
    Ok(out)
}

/// A batch of `layer` from rows keyed by column name (e.g. the store's
/// `EventRow`s serialised with serde).
pub fn rows_batch(layer: Layer, rows: &[Map<String, Value>]) -> Result<RecordBatch> {
    let refs: Vec<&Map<String, Value>> = rows.iter().collect();
    Ok(RecordBatch::try_new(
        schema(layer),
        build_columns(layer, &refs)?,
    )?)
}

/// One layer of the given articles' records, rows in article order.
pub fn layer_batch(layer: Layer, docs: &[(&InputDoc, &Record)]) -> Result<RecordBatch> {
    let rows: Vec<Map<String, Value>> = docs
        .iter()
        .flat_map(|(d, r)| layer_rows(layer, d, r))
        .collect();
    rows_batch(layer, &rows)
}

/// Every layer of the given articles' records in ONE batch, one row per
/// article: `doc_id` and a `list<struct>` column per layer whose structs
/// have exactly that layer's [`schema`] (so exploding a column gives the
/// layer's table).
pub fn nested_batch(docs: &[(&InputDoc, &Record)]) -> Result<RecordBatch> {
    let mut cols: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(
        docs.iter().map(|(_, r)| r.id.as_str()),
    ))];
    for layer in Layer::ALL {
        let mut lens = Vec::with_capacity(docs.len());
        let mut rows = Vec::new();
        for (d, r) in docs {
            let rs = layer_rows(layer, d, r);
            lens.push(rs.len());
            rows.extend(rs);
        }
        let refs: Vec<&Map<String, Value>> = rows.iter().collect();
        let values = StructArray::try_new(fields(layer), build_columns(layer, &refs)?, None)?;
        let item = Arc::new(Field::new("item", values.data_type().clone(), false));
        cols.push(Arc::new(ListArray::try_new(
            item,
            OffsetBuffer::from_lengths(lens),
            Arc::new(values),
            None,
        )?));
    }
    Ok(RecordBatch::try_new(nested_schema(), cols)?)
}

/// One input column, whatever string-like type the engine handed over.
enum InCol<'a> {
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    Int64(&'a arrow_array::Int64Array),
    Int32(&'a arrow_array::Int32Array),
    Date32(&'a arrow_array::Date32Array),
    /// A column of type null (e.g. pyarrow's type for an all-None column).
    Null,
}

impl InCol<'_> {
    fn get(&self, i: usize) -> Option<String> {
        macro_rules! v {
            ($a:expr, $f:expr) => {
                if $a.is_null(i) {
                    None
                } else {
                    Some($f($a.value(i)))
                }
            };
        }
        match self {
            InCol::Utf8(a) => v!(a, str::to_string),
            InCol::LargeUtf8(a) => v!(a, str::to_string),
            InCol::View(a) => v!(a, str::to_string),
            InCol::Int64(a) => v!(a, |x: i64| x.to_string()),
            InCol::Int32(a) => v!(a, |x: i32| x.to_string()),
            InCol::Null => None,
            InCol::Date32(a) => {
                if a.is_null(i) {
                    None
                } else {
                    arrow_array::temporal_conversions::as_date::<Date32Type>(i64::from(a.value(i)))
                        .map(|d| d.to_string())
                }
            }
        }
    }
}

/// The column `name` of an input batch: `None` when absent; an error when
/// its type cannot hold what the column means.
fn in_col<'a>(
    batch: &'a RecordBatch,
    name: &str,
    ints: bool,
    dates: bool,
) -> Result<Option<InCol<'a>>> {
    let Some(c) = batch.column_by_name(name) else {
        return Ok(None);
    };
    let col = match c.data_type() {
        DataType::Utf8 => InCol::Utf8(c.as_string::<i32>()),
        DataType::LargeUtf8 => InCol::LargeUtf8(c.as_string::<i64>()),
        DataType::Utf8View => InCol::View(c.as_string_view()),
        DataType::Int64 if ints => InCol::Int64(c.as_primitive::<Int64Type>()),
        DataType::Int32 if ints => InCol::Int32(c.as_primitive::<Int32Type>()),
        DataType::Date32 if dates => InCol::Date32(c.as_primitive::<Date32Type>()),
        DataType::Null => InCol::Null,
        t => {
            return Err(Error::Batch(format!(
                "column `{name}` has type {t}, expected a string"
            )))
        }
    };
    Ok(Some(col))
}

/// The articles of an input batch: columns `id` (string or integer, as the
/// CLI accepts in JSONL) and `text` (string) are required; `date` (string
/// or date), `source`, `url`, `title` (strings) are optional, and other
/// columns are ignored. A null or empty `id`, a null `text` or a text over
/// `max_bytes` is an error naming the row and id.
pub fn input_docs(batch: &RecordBatch, max_bytes: usize) -> Result<Vec<InputDoc>> {
    let missing = |name: &str| {
        Error::Batch(format!(
            "the batch has no `{name}` column (columns: {})",
            batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    };
    let ids = in_col(batch, "id", true, false)?.ok_or_else(|| missing("id"))?;
    let texts = in_col(batch, "text", false, false)?.ok_or_else(|| missing("text"))?;
    let date = in_col(batch, "date", false, true)?;
    let source = in_col(batch, "source", false, false)?;
    let url = in_col(batch, "url", false, false)?;
    let title = in_col(batch, "title", false, false)?;
    let opt = |c: &Option<InCol>, i: usize| c.as_ref().and_then(|c| c.get(i));
    (0..batch.num_rows())
        .map(|row| {
            let id = ids.get(row).filter(|s| !s.is_empty()).ok_or(Error::Input {
                row,
                id: None,
                reason: "`id` is null or empty".into(),
            })?;
            let Some(text) = texts.get(row) else {
                return Err(Error::Input {
                    row,
                    id: Some(id),
                    reason: "`text` is null".into(),
                });
            };
            if text.len() > max_bytes {
                return Err(Error::Input {
                    row,
                    id: Some(id),
                    reason: format!(
                        "text is {} bytes, over the limit of {max_bytes}",
                        text.len()
                    ),
                });
            }
            Ok(InputDoc {
                id,
                date: opt(&date, row),
                source: opt(&source, row),
                url: opt(&url, row),
                title: opt(&title, row),
                text,
            })
        })
        .collect()
}
