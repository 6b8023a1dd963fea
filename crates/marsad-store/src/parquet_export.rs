//! Parquet export of event mentions (cargo feature `parquet`).
//!
//! The schema is `marsad_arrow::schema(Layer::Events)` — the one schema of
//! the events layer, shared with the Python bindings and so with the Spark
//! job's `events` output. Its columns are exactly the fields of
//! [`EventRow`], by the names and types `query events --json` prints: each
//! row is serialised with serde and its columns filled by name, so a field
//! the schema lacks or mistypes fails the export (and the round-trip
//! test). Written with the parquet crate's Arrow writer, uncompressed (no
//! codec crates to build).

use std::io::Write;
use std::sync::Arc;

use marsad_arrow::Layer;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

use crate::{Error, EventRow, Filter, Result, Store};

/// Rows per row group (and per Arrow batch): bounds memory while keeping
/// groups large enough for readers to scan efficiently.
const GROUP_ROWS: usize = 65_536;

fn perr(e: impl std::fmt::Display) -> Error {
    Error::Parquet(e.to_string())
}

impl Store {
    /// Writes the events matching `filter` as a Parquet file to `out`.
    /// Returns the number of rows written.
    pub fn export_parquet(&self, filter: &Filter, out: impl Write + Send) -> Result<u64> {
        let props = WriterProperties::builder()
            .set_max_row_group_size(GROUP_ROWS)
            .build();
        let schema = marsad_arrow::schema(Layer::Events);
        let mut writer =
            ArrowWriter::try_new(out, Arc::clone(&schema), Some(props)).map_err(perr)?;
        let mut group: Vec<Map<String, Value>> = Vec::with_capacity(GROUP_ROWS);
        let mut n = 0u64;
        let flush =
            |group: &mut Vec<Map<String, Value>>, writer: &mut ArrowWriter<_>| -> Result<()> {
                if !group.is_empty() {
                    let batch = marsad_arrow::rows_batch(Layer::Events, group).map_err(perr)?;
                    writer.write(&batch).map_err(perr)?;
                    group.clear();
                }
                Ok(())
            };
        self.for_each_event(filter, |r: EventRow| {
            match serde_json::to_value(&r)? {
                Value::Object(m) => group.push(m),
                _ => return Err(Error::Parquet("an event row is not a JSON object".into())),
            }
            n += 1;
            if group.len() >= GROUP_ROWS {
                flush(&mut group, &mut writer)?;
            }
            Ok(())
        })?;
        flush(&mut group, &mut writer)?;
        writer.close().map_err(perr)?;
        Ok(n)
    }
}
