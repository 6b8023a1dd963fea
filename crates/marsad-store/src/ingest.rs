//! Writing records: idempotent per document, one transaction per batch, and
//! cross-article event clustering.

use std::collections::{BTreeSet, HashMap};

use marsad_extract::{f32_to_f64, is_full_day, InputDoc, Record};
use marsad_text::normalize;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::{fts, Result, Store};

/// Two mentions of the same dyad and CAMEO code are one event when their
/// days are at most this many days apart (same day ±1): outlets date a
/// night-time event or a late report a day apart, and two meetings of the
/// same pair with the same code within 48 hours are rare.
pub const CLUSTER_WINDOW_DAYS: i64 = 1;

/// What happened to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// New id: stored.
    Stored,
    /// Same id, same text hash: nothing written.
    Unchanged,
    /// Same id, different text: its old rows removed, the new ones stored.
    Replaced,
}

/// Totals of one or more `ingest` calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    pub stored: u64,
    pub unchanged: u64,
    pub replaced: u64,
}

impl IngestStats {
    pub fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Stored => self.stored += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Replaced => self.replaced += 1,
        }
    }

    pub fn merge(&mut self, o: IngestStats) {
        self.stored += o.stored;
        self.unchanged += o.unchanged;
        self.replaced += o.replaced;
    }
}

/// The hash that decides whether a re-ingested document changed: 64-bit
/// FNV-1a of the text, as 16 hex digits. Not cryptographic; it only has to
/// tell an edited article from the same one, and is stable across builds.
pub fn text_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Code-point slicing of the original text, for mention surfaces. Spans out
/// of range (a bug upstream) give an empty string rather than a panic.
struct CharIndex<'a> {
    text: &'a str,
    bytes: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bytes.push(text.len());
        CharIndex { text, bytes }
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        match (self.bytes.get(start), self.bytes.get(end)) {
            (Some(&a), Some(&b)) if a <= b => &self.text[a..b],
            _ => "",
        }
    }
}

impl Store {
    /// Stores a batch of documents with their records in ONE transaction:
    /// either the whole batch is committed or none of it is, so a killed
    /// ingest never leaves half a document. Per document: a new id is
    /// stored; the same id with the same text hash is left alone; the same
    /// id with another text has all its rows replaced.
    pub fn ingest(&mut self, batch: &[(InputDoc, Record)]) -> Result<IngestStats> {
        let tx = self.conn.transaction()?;
        let mut stats = IngestStats::default();
        let mut touched = BTreeSet::new();
        for (doc, rec) in batch {
            stats.add(ingest_one(&tx, doc, rec, &mut touched)?);
        }
        refresh_clusters(&tx, &touched)?;
        tx.commit()?;
        Ok(stats)
    }
}

fn ingest_one(
    tx: &Transaction,
    doc: &InputDoc,
    rec: &Record,
    touched: &mut BTreeSet<i64>,
) -> Result<Outcome> {
    let hash = text_hash(&doc.text);
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT doc, text_hash FROM documents WHERE id = ?1")?
        .query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let outcome = match existing {
        Some((_, h)) if h == hash => return Ok(Outcome::Unchanged),
        Some((key, _)) => {
            delete_doc(tx, key, touched)?;
            Outcome::Replaced
        }
        None => Outcome::Stored,
    };

    let date = doc.date.clone().or_else(|| rec.date.clone());
    let diagnostics = if rec.diagnostics.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&rec.diagnostics)?)
    };
    tx.prepare_cached(
        "INSERT INTO documents (id, date, source, url, title, text, text_hash, diagnostics)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        doc.id,
        date,
        doc.source.as_ref().or(rec.source.as_ref()),
        doc.url,
        doc.title,
        doc.text,
        hash,
        diagnostics
    ])?;
    let key = tx.last_insert_rowid();

    let indexed = match &doc.title {
        Some(t) => format!("{t}\n{}", doc.text),
        None => doc.text.clone(),
    };
    let (body, stems) = fts::index_columns(&indexed);
    tx.prepare_cached("INSERT INTO documents_fts (rowid, body, stems) VALUES (?1, ?2, ?3)")?
        .execute(params![key, body, stems])?;

    let chars = CharIndex::new(&doc.text);
    let mut countries: HashMap<&str, Option<&str>> = HashMap::new();
    for e in &rec.entities {
        countries.insert(e.id.as_str(), e.country.as_deref());
        tx.prepare_cached(
            "INSERT OR REPLACE INTO entities
             (doc, eid, type, name, name_norm, name_en, name_en_lc, actor, country, how, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            key,
            e.id,
            e.typ,
            e.name,
            normalize(&e.name),
            e.name_en,
            e.name_en.as_ref().map(|n| n.to_lowercase()),
            e.actor,
            e.country,
            e.source,
            f32_to_f64(e.confidence)
        ])?;
        let mut m = tx.prepare_cached(
            "INSERT INTO mentions (doc, eid, start, end, surface) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for [s, t] in &e.mentions {
            let surface = normalize(chars.slice(*s, *t));
            m.execute(params![key, e.id, *s as i64, *t as i64, surface])?;
        }
    }

    for (i, q) in rec.quotes.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO quotes (doc, ord, speaker, speaker_text, cue, start, end, text, direct, via)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            key,
            i as i64,
            q.speaker,
            q.speaker_text,
            q.cue,
            q.span[0] as i64,
            q.span[1] as i64,
            q.text,
            q.direct,
            q.via
        ])?;
        let qid = tx.last_insert_rowid();
        let (body, stems) = fts::index_columns(&q.text);
        tx.prepare_cached("INSERT INTO quotes_fts (rowid, body, stems) VALUES (?1, ?2, ?3)")?
            .execute(params![qid, body, stems])?;
    }

    let country_of = |eid: &Option<String>, actor: &Option<String>| -> Option<String> {
        eid.as_deref()
            .and_then(|id| countries.get(id).copied().flatten())
            .map(str::to_string)
            .or_else(|| {
                actor
                    .as_deref()
                    .filter(|a| a.len() >= 3 && a.is_char_boundary(3))
                    .map(|a| a[..3].to_string())
                    .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()) && c != "IGO")
            })
    };
    for (i, ev) in rec.events.iter().enumerate() {
        // The event's own day when the text gives one, else the article's.
        let day = ev.day(date.as_ref());
        let cluster = cluster_for(
            tx,
            ev.source_actor.as_deref(),
            ev.target_actor.as_deref(),
            &ev.cameo,
            day.as_deref(),
        )?;
        touched.insert(cluster);
        tx.prepare_cached(
            "INSERT INTO events (doc, ord, source, target, source_actor, target_actor,
               source_country, target_country, cameo, root, plover, mode, quad_class, goldstein,
               modality, date, day, location, trigger_start, trigger_end, sentence_start,
               sentence_end, confidence, pattern, cluster)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
               ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
        )?
        .execute(params![
            key,
            i as i64,
            ev.source,
            ev.target,
            ev.source_actor,
            ev.target_actor,
            country_of(&ev.source, &ev.source_actor),
            country_of(&ev.target, &ev.target_actor),
            ev.cameo,
            ev.root,
            ev.plover,
            ev.mode,
            i64::from(ev.quad_class),
            f32_to_f64(ev.goldstein),
            ev.modality,
            ev.date,
            day,
            ev.location,
            ev.trigger[0] as i64,
            ev.trigger[1] as i64,
            ev.sentence[0] as i64,
            ev.sentence[1] as i64,
            f32_to_f64(ev.confidence),
            ev.pattern,
            cluster
        ])?;
    }

    for (i, t) in rec.times.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO times (doc, ord, start, end, text, value, granularity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            key,
            i as i64,
            t.span[0] as i64,
            t.span[1] as i64,
            t.text,
            t.value,
            t.granularity
        ])?;
    }
    for (i, c) in rec.counts.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO counts (doc, ord, type, min, max, qualifier, unit, start, end, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            key,
            i as i64,
            c.typ,
            i64::try_from(c.min).unwrap_or(i64::MAX),
            i64::try_from(c.max).unwrap_or(i64::MAX),
            c.qualifier,
            c.unit,
            c.span[0] as i64,
            c.span[1] as i64,
            c.text
        ])?;
    }
    Ok(outcome)
}

/// Removes a document and everything derived from it (the foreign keys
/// cascade; the contentless FTS rows are deleted by rowid), remembering the
/// clusters whose counters must be recomputed.
fn delete_doc(tx: &Transaction, key: i64, touched: &mut BTreeSet<i64>) -> Result<()> {
    {
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT cluster FROM events WHERE doc = ?1 AND cluster IS NOT NULL",
        )?;
        let rows = stmt.query_map([key], |r| r.get::<_, i64>(0))?;
        for c in rows {
            touched.insert(c?);
        }
    }
    tx.execute(
        "DELETE FROM quotes_fts WHERE rowid IN (SELECT qid FROM quotes WHERE doc = ?1)",
        [key],
    )?;
    tx.execute("DELETE FROM documents_fts WHERE rowid = ?1", [key])?;
    tx.execute("DELETE FROM documents WHERE doc = ?1", [key])?;
    Ok(())
}

/// The cluster an event mention belongs to, created if none matches.
///
/// Mentions join a cluster when they have the same CAMEO code, the same
/// source and target actor codes, and days at most [`CLUSTER_WINDOW_DAYS`]
/// apart (the nearest cluster wins, then the oldest). A cluster's day is its
/// first mention's. Mentions with neither actor code, or without a full day,
/// are not merged with anything: "someone condemned something" in two
/// articles is no evidence of one event.
fn cluster_for(
    tx: &Transaction,
    source_actor: Option<&str>,
    target_actor: Option<&str>,
    cameo: &str,
    day: Option<&str>,
) -> Result<i64> {
    if let Some(d) = day.filter(|d| is_full_day(d)) {
        if source_actor.is_some() || target_actor.is_some() {
            let found: Option<i64> = tx
                .prepare_cached(
                    "SELECT cluster FROM event_clusters
                     WHERE cameo = ?1 AND source_actor IS ?2 AND target_actor IS ?3
                       AND day BETWEEN date(?4, ?5) AND date(?4, ?6)
                     ORDER BY abs(julianday(day) - julianday(?4)), cluster LIMIT 1",
                )?
                .query_row(
                    params![
                        cameo,
                        source_actor,
                        target_actor,
                        d,
                        format!("-{CLUSTER_WINDOW_DAYS} day"),
                        format!("+{CLUSTER_WINDOW_DAYS} day")
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(c) = found {
                return Ok(c);
            }
        }
    }
    tx.prepare_cached(
        "INSERT INTO event_clusters (source_actor, target_actor, cameo, day) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![source_actor, target_actor, cameo, day])?;
    Ok(tx.last_insert_rowid())
}

/// Recomputes the GDELT-style counters of clusters whose mentions changed
/// and drops clusters left without mentions. Sources are outlets (the
/// document's `source`, or its id when the outlet is unknown).
fn refresh_clusters(tx: &Transaction, touched: &BTreeSet<i64>) -> Result<()> {
    let mut upd = tx.prepare_cached(
        "UPDATE event_clusters SET
           num_mentions = (SELECT count(*) FROM events WHERE cluster = ?1),
           num_articles = (SELECT count(DISTINCT doc) FROM events WHERE cluster = ?1),
           num_sources = (SELECT count(DISTINCT coalesce(d.source, d.id))
                          FROM events e JOIN documents d ON d.doc = e.doc WHERE e.cluster = ?1)
         WHERE cluster = ?1",
    )?;
    let mut del =
        tx.prepare_cached("DELETE FROM event_clusters WHERE cluster = ?1 AND num_mentions = 0")?;
    for c in touched {
        upd.execute([c])?;
        del.execute([c])?;
    }
    Ok(())
}
