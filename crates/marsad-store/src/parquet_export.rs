//! Parquet export of event mentions (cargo feature `parquet`).
//!
//! The columns are exactly the fields of [`EventRow`], by the names and
//! types `query events --json` prints: each row is serialised with serde
//! and read back by column name, so the Parquet schema cannot drift from
//! the JSON one without `COLUMNS` failing the round-trip test. Uses the
//! parquet crate's low-level writer without arrow, uncompressed, to keep
//! the build light.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{ConvertedType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use serde_json::Value;

use crate::{Error, EventRow, Filter, Result, Store};

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Float,
    Text,
}

/// Every `EventRow` field: name, type, nullable.
const COLUMNS: &[(&str, Kind, bool)] = &[
    ("event_id", Kind::Int, false),
    ("cluster", Kind::Int, true),
    ("doc_id", Kind::Text, false),
    ("doc_date", Kind::Text, true),
    ("outlet", Kind::Text, true),
    ("url", Kind::Text, true),
    ("date", Kind::Text, true),
    ("day", Kind::Text, true),
    ("source_actor", Kind::Text, true),
    ("source_name", Kind::Text, true),
    ("target_actor", Kind::Text, true),
    ("target_name", Kind::Text, true),
    ("cameo", Kind::Text, false),
    ("root", Kind::Text, false),
    ("plover", Kind::Text, true),
    ("mode", Kind::Text, true),
    ("quad_class", Kind::Int, false),
    ("goldstein", Kind::Float, false),
    ("modality", Kind::Text, false),
    ("location", Kind::Text, true),
    ("trigger", Kind::Text, false),
    ("trigger_start", Kind::Int, false),
    ("trigger_end", Kind::Int, false),
    ("sentence_start", Kind::Int, false),
    ("sentence_end", Kind::Int, false),
    ("confidence", Kind::Float, false),
    ("pattern", Kind::Text, false),
    ("num_mentions", Kind::Int, false),
    ("num_sources", Kind::Int, false),
    ("num_articles", Kind::Int, false),
];

/// Rows per row group: bounds memory while keeping groups large enough
/// for readers to scan efficiently.
const GROUP_ROWS: usize = 65_536;

fn perr(e: parquet::errors::ParquetError) -> Error {
    Error::Parquet(e.to_string())
}

fn schema() -> Result<Arc<Type>> {
    let fields = COLUMNS
        .iter()
        .map(|(name, kind, nullable)| {
            let (physical, converted) = match kind {
                Kind::Int => (PhysicalType::INT64, ConvertedType::NONE),
                Kind::Float => (PhysicalType::DOUBLE, ConvertedType::NONE),
                Kind::Text => (PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
            };
            let rep = if *nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            Type::primitive_type_builder(name, physical)
                .with_converted_type(converted)
                .with_repetition(rep)
                .build()
                .map(Arc::new)
                .map_err(perr)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(
        Type::group_type_builder("event")
            .with_fields(fields)
            .build()
            .map_err(perr)?,
    ))
}

impl Store {
    /// Writes the events matching `filter` as a Parquet file to `out`.
    /// Returns the number of rows written.
    pub fn export_parquet(&self, filter: &Filter, out: impl Write + Send) -> Result<u64> {
        let props = Arc::new(WriterProperties::builder().build());
        let mut writer = SerializedFileWriter::new(out, schema()?, props).map_err(perr)?;
        let mut group: Vec<Value> = Vec::with_capacity(GROUP_ROWS);
        let mut n = 0u64;
        self.for_each_event(filter, |r: EventRow| {
            group.push(serde_json::to_value(&r)?);
            n += 1;
            if group.len() >= GROUP_ROWS {
                write_group(&mut group, &mut writer)?;
            }
            Ok(())
        })?;
        write_group(&mut group, &mut writer)?;
        writer.close().map_err(perr)?;
        Ok(n)
    }
}

/// Writes one row group, column by column.
fn write_group<W: Write + Send>(
    group: &mut Vec<Value>,
    writer: &mut SerializedFileWriter<W>,
) -> Result<()> {
    if group.is_empty() {
        return Ok(());
    }
    let mut rg = writer.next_row_group().map_err(perr)?;
    for (name, kind, nullable) in COLUMNS {
        let Some(mut col) = rg.next_column().map_err(perr)? else {
            return Err(Error::Parquet("fewer columns than the schema".into()));
        };
        let cells: Vec<&Value> = group.iter().map(|v| &v[*name]).collect();
        let defs: Vec<i16> = cells.iter().map(|c| i16::from(!c.is_null())).collect();
        let defs = nullable.then_some(defs.as_slice());
        match kind {
            Kind::Int => {
                let vals: Vec<i64> = cells.iter().filter_map(|c| c.as_i64()).collect();
                col.typed::<Int64Type>()
                    .write_batch(&vals, defs, None)
                    .map_err(perr)?;
            }
            Kind::Float => {
                let vals: Vec<f64> = cells.iter().filter_map(|c| c.as_f64()).collect();
                col.typed::<DoubleType>()
                    .write_batch(&vals, defs, None)
                    .map_err(perr)?;
            }
            Kind::Text => {
                let vals: Vec<ByteArray> = cells
                    .iter()
                    .filter_map(|c| c.as_str())
                    .map(|s| ByteArray::from(s.as_bytes().to_vec()))
                    .collect();
                col.typed::<ByteArrayType>()
                    .write_batch(&vals, defs, None)
                    .map_err(perr)?;
            }
        }
        col.close().map_err(perr)?;
    }
    rg.close().map_err(perr)?;
    group.clear();
    Ok(())
}
