//! marsad's event store: analysis records in one SQLite file, with
//! full-text search over normalised Arabic, cross-article event clusters,
//! filtered queries and exports (JSONL, CSV, GDELT 2.0 event table).
//!
//! This crate is the only one that knows SQL. It takes extracted records
//! (`marsad_extract::Record`) and never runs the extractor itself, so the
//! caller decides how to parallelise extraction; the store is written by one
//! connection, one transaction per batch, which is what makes an interrupted
//! ingest leave only whole documents behind.

mod export;
mod feeds;
mod fts;
mod ingest;
#[cfg(feature = "parquet")]
mod parquet_export;
mod query;
mod schema;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

pub use export::{ExportFormat, GDELT_COLUMNS};
pub use feeds::{FeedState, SeenItem};
pub use fts::{index_columns, match_expr};
pub use ingest::{text_hash, IngestStats, Outcome, CLUSTER_WINDOW_DAYS};
pub use query::{
    CountRow, DocCount, DocEntity, DocEvent, DocQuote, DocTime, DocumentView, EntityRow, EventRow,
    Filter, NetworkEdge, Page, QuoteRow, TimelineGroup, TimelineRow,
};
pub use schema::SCHEMA_VERSION;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database has schema version {found}, newer than this build's {supported}; upgrade marsad")]
    NewerSchema { found: i64, supported: i64 },
    #[error("invalid filter: {0}")]
    Filter(String),
    #[error("write error: {0}")]
    Io(#[from] std::io::Error),
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    #[error("Parquet error: {0}")]
    Parquet(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// How many rows of each kind the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub documents: u64,
    pub entities: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub events: u64,
    pub clusters: u64,
    pub times: u64,
    pub counts: u64,
}

/// One stored document and how many rows of each kind it has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocSummary {
    pub id: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub entities: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub events: u64,
    pub times: u64,
    pub counts: u64,
}

/// An open store: one SQLite connection.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) a store file and applies pending
    /// migrations. WAL mode lets queries read while an ingest writes, and
    /// with `synchronous=NORMAL` a killed process loses at most the batch in
    /// flight, never the consistency of what was committed.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// Opens an existing store for reading only (queries, exports, or the
    /// ingest's look-ahead for unchanged documents next to the writer).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if v > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found: v,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(Store { conn })
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound file.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.join("\n"))
    }

    /// Row counts of every table.
    pub fn totals(&self) -> Result<Totals> {
        let c = |t: &str| -> Result<u64> {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
            Ok(n as u64)
        };
        Ok(Totals {
            documents: c("documents")?,
            entities: c("entities")?,
            mentions: c("mentions")?,
            quotes: c("quotes")?,
            events: c("events")?,
            clusters: c("event_clusters")?,
            times: c("times")?,
            counts: c("counts")?,
        })
    }

    /// Every stored document with its row counts, by id: what an audit
    /// compares against the records (e.g. after an interrupted ingest).
    pub fn documents(&self) -> Result<Vec<DocSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.date, d.source,
               (SELECT count(*) FROM entities x WHERE x.doc = d.doc),
               (SELECT count(*) FROM mentions x WHERE x.doc = d.doc),
               (SELECT count(*) FROM quotes x WHERE x.doc = d.doc),
               (SELECT count(*) FROM events x WHERE x.doc = d.doc),
               (SELECT count(*) FROM times x WHERE x.doc = d.doc),
               (SELECT count(*) FROM counts x WHERE x.doc = d.doc)
             FROM documents d ORDER BY d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DocSummary {
                id: r.get(0)?,
                date: r.get(1)?,
                source: r.get(2)?,
                entities: r.get::<_, i64>(3)? as u64,
                mentions: r.get::<_, i64>(4)? as u64,
                quotes: r.get::<_, i64>(5)? as u64,
                events: r.get::<_, i64>(6)? as u64,
                times: r.get::<_, i64>(7)? as u64,
                counts: r.get::<_, i64>(8)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored text hash of a document id, if the document is stored.
    pub fn stored_hash(&self, id: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT text_hash FROM documents WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Raw access for tests and diagnostics in this crate's test suite.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
