//! Versioned schema migrations, applied in order on open.
//!
//! The version lives in `PRAGMA user_version`: no extra table, and SQLite
//! updates it inside the same transaction as the migration, so a crash
//! mid-migration leaves the previous version intact. Migrations are only
//! ever appended; a released script is never edited.

use rusqlite::Connection;

use crate::Error;

/// Migration `i` (0-based) brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
-- One row per input article. `doc` is the internal key every other table
-- refers to; `id` is the caller's stable id.
CREATE TABLE documents (
    doc        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    date       TEXT,
    source     TEXT,
    url        TEXT,
    title      TEXT,
    text       TEXT NOT NULL,
    text_hash  TEXT NOT NULL,
    diagnostics TEXT
);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_source ON documents(source);

CREATE TABLE entities (
    doc        INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    eid        TEXT NOT NULL,
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_norm  TEXT NOT NULL,
    name_en    TEXT,
    name_en_lc TEXT,
    actor      TEXT,
    country    TEXT,
    how        TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (doc, eid)
) WITHOUT ROWID;
CREATE INDEX entities_name ON entities(name_norm);
CREATE INDEX entities_name_en ON entities(name_en_lc);
CREATE INDEX entities_actor ON entities(actor);
CREATE INDEX entities_country ON entities(country);

-- Every span where an entity is mentioned, with the surface form folded by
-- the normaliser, so aliases as written in articles are searchable.
CREATE TABLE mentions (
    doc        INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    eid        TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    surface    TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc, eid);
CREATE INDEX mentions_surface ON mentions(surface);

CREATE TABLE quotes (
    qid          INTEGER PRIMARY KEY,
    doc          INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
    speaker      TEXT,
    speaker_text TEXT,
    cue          TEXT NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    direct       INTEGER NOT NULL,
    via          TEXT
);
CREATE INDEX quotes_doc ON quotes(doc);

-- Cross-article deduplication: one row per real-world event, see
-- `ingest::cluster_for`. The counters are kept equal to the mentions.
CREATE TABLE event_clusters (
    cluster      INTEGER PRIMARY KEY,
    source_actor TEXT,
    target_actor TEXT,
    cameo        TEXT NOT NULL,
    day          TEXT,
    num_mentions INTEGER NOT NULL DEFAULT 0,
    num_sources  INTEGER NOT NULL DEFAULT 0,
    num_articles INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX clusters_key ON event_clusters(cameo, source_actor, target_actor, day);

CREATE TABLE events (
    evid           INTEGER PRIMARY KEY,
    doc            INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    ord            INTEGER NOT NULL,
    source         TEXT,
    target         TEXT,
    source_actor   TEXT,
    target_actor   TEXT,
    source_country TEXT,
    target_country TEXT,
    cameo          TEXT NOT NULL,
    root           TEXT NOT NULL,
    plover         TEXT,
    mode           TEXT,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    modality       TEXT NOT NULL,
    date           TEXT,
    day            TEXT,
    location       TEXT,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    confidence     REAL NOT NULL,
    pattern        TEXT NOT NULL,
    cluster        INTEGER REFERENCES event_clusters(cluster)
);
CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_cameo ON events(cameo);
CREATE INDEX events_plover ON events(plover);
CREATE INDEX events_source_actor ON events(source_actor);
CREATE INDEX events_target_actor ON events(target_actor);
CREATE INDEX events_source_country ON events(source_country);
CREATE INDEX events_target_country ON events(target_country);
CREATE INDEX events_cluster ON events(cluster);

CREATE TABLE times (
    doc         INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       TEXT,
    granularity TEXT NOT NULL
);
CREATE INDEX times_doc ON times(doc);
CREATE INDEX times_value ON times(value);

CREATE TABLE counts (
    doc       INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    type      TEXT NOT NULL,
    min       INTEGER NOT NULL,
    max       INTEGER NOT NULL,
    qualifier TEXT,
    unit      TEXT,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX counts_doc ON counts(doc);
CREATE INDEX counts_type ON counts(type);

-- Full-text indexes over the NORMALISED text (see `fts.rs`). Contentless:
-- the text is already in `documents`/`quotes`; rowids are `doc` and `qid`.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    body, stems, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    body, stems, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 0'
);
"#,
    r#"
-- `marsad watch` (crate marsad-feeds, see `feeds.rs`): what each watched
-- feed said last time, so polls are conditional and keep their schedule
-- across restarts, and every item seen, so an article is stored once.
CREATE TABLE feed_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    next_poll     INTEGER NOT NULL DEFAULT 0,
    last_poll     INTEGER,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0
);
-- `url` is the canonical URL; `content_hash` the text hash of the extracted
-- text (`ingest::text_hash`), which catches one article under two URLs.
CREATE TABLE seen_items (
    url          TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    feed         TEXT,
    first_seen   INTEGER NOT NULL
);
CREATE INDEX seen_items_hash ON seen_items(content_hash);
"#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`], one transaction per step.
pub fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, script) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
