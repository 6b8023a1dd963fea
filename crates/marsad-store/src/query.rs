//! Filtered queries over events, quotes, entities and counts.
//!
//! Every filter becomes a parameterised SQL clause; user values never enter
//! SQL text. Actor filters accept an actor code prefix (`RUS`, `RUSGOV`), or
//! a name in Arabic or English matched against entity names (canonical
//! Arabic, folded by the normaliser; English, case-insensitive; both as
//! substrings, so غوتيريش and Guterres find أنطونيو غوتيريش) and against every
//! surface form the entity was mentioned by (so an alias as written in an
//! article, e.g. سيد الكرملين, finds the entity it was resolved to).

use rusqlite::types::Value;
use serde::Serialize;

use crate::{fts, Error, Result, Store};

/// Query filters; `None` means "any". Dates are `YYYY-MM-DD` (or a prefix,
/// `YYYY-MM`, `YYYY`), inclusive at both ends.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub source_actor: Option<String>,
    pub target_actor: Option<String>,
    /// ISO 3166-1 alpha-3 code.
    pub country: Option<String>,
    /// CAMEO code prefix: `04` matches 040–049 and 0411.
    pub code: Option<String>,
    pub plover: Option<String>,
    pub modality: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Full-text query over normalised text (see `fts`).
    pub text: Option<String>,
    /// Only the mentions of this event cluster (events only): the
    /// provenance of one deduplicated event.
    pub cluster: Option<i64>,
    pub limit: Option<usize>,
}

/// One event mention with its article and its cluster's counters.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct EventRow {
    pub event_id: i64,
    pub cluster: Option<i64>,
    pub doc_id: String,
    pub doc_date: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub day: Option<String>,
    pub source_actor: Option<String>,
    pub source_name: Option<String>,
    pub target_actor: Option<String>,
    pub target_name: Option<String>,
    pub cameo: String,
    pub root: String,
    pub plover: Option<String>,
    pub mode: Option<String>,
    pub quad_class: i64,
    pub goldstein: f64,
    pub modality: String,
    pub location: Option<String>,
    pub trigger: String,
    pub trigger_start: i64,
    pub trigger_end: i64,
    pub sentence_start: i64,
    pub sentence_end: i64,
    pub confidence: f64,
    pub pattern: String,
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
}

/// One quotation with its speaker resolved to a name where known.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct QuoteRow {
    pub doc_id: String,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub speaker: Option<String>,
    pub speaker_actor: Option<String>,
    pub speaker_text: Option<String>,
    pub cue: String,
    pub text: String,
    pub direct: bool,
    pub via: Option<String>,
    pub start: i64,
    pub end: i64,
}

/// One referent aggregated over the matching documents.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct EntityRow {
    pub name: String,
    pub name_en: Option<String>,
    #[serde(rename = "type")]
    pub typ: String,
    pub actor: Option<String>,
    pub country: Option<String>,
    pub documents: i64,
    pub mentions: i64,
}

/// One count (casualties, arrests, money…) with its article.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CountRow {
    pub doc_id: String,
    pub date: Option<String>,
    pub outlet: Option<String>,
    #[serde(rename = "type")]
    pub typ: String,
    pub min: i64,
    pub max: i64,
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    pub text: String,
    pub start: i64,
    pub end: i64,
}

/// SQL clauses and their parameters, built up filter by filter.
#[derive(Default)]
struct Sql {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Sql {
    fn param(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    /// A subquery of `(doc, eid)` pairs of entities matching an actor value.
    ///
    /// `by_code` adds entities whose actor code starts with the value; event
    /// queries pass false because events carry their own actor codes, and
    /// materialising every entity of a common country would be slow.
    fn entity_set(&mut self, value: &str, by_code: bool) -> String {
        let mut parts = Vec::new();
        if let Some(code) = as_code(value).filter(|_| by_code) {
            let p = self.param(format!("{code}*"));
            parts.push(format!(
                "SELECT doc, eid FROM entities WHERE actor GLOB {p}"
            ));
        }
        let norm = marsad_text::normalize(value);
        if as_code(value).is_some() {
            // a code-like value (USA, NATO) is matched whole against names:
            // as a substring, USA would find Jerusalem
            let n = self.param(norm.clone());
            parts.push(format!(
                "SELECT doc, eid FROM entities WHERE name_en_lc = {n}"
            ));
            parts.push(format!("SELECT doc, eid FROM mentions WHERE surface = {n}"));
        } else if !norm.is_empty() {
            let n = self.param(format!("%{}%", escape_like(&norm)));
            let s = self.param(norm.clone());
            parts.push(format!(
                "SELECT doc, eid FROM entities WHERE name_norm LIKE {n} ESCAPE '\\' \
                 OR name_en_lc LIKE {n} ESCAPE '\\'"
            ));
            parts.push(format!("SELECT doc, eid FROM mentions WHERE surface = {s}"));
        }
        parts.join(" UNION ")
    }

    fn clause(&mut self, c: String) {
        self.clauses.push(c);
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// An actor code if the value looks like one (upper-case letters and digits).
fn as_code(v: &str) -> Option<String> {
    let v = v.trim();
    (v.len() >= 3
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    .then(|| v.to_string())
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn check_date(what: &str, d: &str) -> Result<()> {
    let ok = matches!(d.len(), 4 | 7 | 10)
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Filter(format!(
            "--{what} {d:?} is not YYYY-MM-DD, YYYY-MM or YYYY"
        )))
    }
}

/// Adds since/until clauses on a date column. `until` is inclusive of a
/// whole month or year when given as a prefix.
fn dates(sql: &mut Sql, f: &Filter, col: &str) -> Result<()> {
    if let Some(s) = &f.since {
        check_date("since", s)?;
        let p = sql.param(s.clone());
        sql.clause(format!("{col} >= {p}"));
    }
    if let Some(u) = &f.until {
        check_date("until", u)?;
        let p = sql.param(format!("{u}~"));
        sql.clause(format!("{col} <= {p}"));
    }
    Ok(())
}

fn doc_text(sql: &mut Sql, f: &Filter, doc_col: &str) -> Result<()> {
    if let Some(t) = &f.text {
        let expr = fts::match_expr(t)
            .ok_or_else(|| Error::Filter(format!("--text {t:?} has no word to search")))?;
        let p = sql.param(expr);
        sql.clause(format!(
            "{doc_col} IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH {p})"
        ));
    }
    Ok(())
}

fn unsupported(kind: &str, f: &Filter, names: &[(&str, bool)]) -> Result<()> {
    let _ = f;
    for (n, set) in names {
        if *set {
            return Err(Error::Filter(format!("--{n} does not apply to {kind}")));
        }
    }
    Ok(())
}

fn limit_sql(f: &Filter) -> String {
    match f.limit {
        Some(n) => format!("LIMIT {n}"),
        None => String::new(),
    }
}

impl Store {
    /// Event mentions matching the filter, by day then article.
    pub fn events(&self, f: &Filter) -> Result<Vec<EventRow>> {
        let mut out = Vec::new();
        self.for_each_event(f, |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams event mentions matching the filter (exports use this so
    /// memory does not grow with the store).
    pub fn for_each_event(
        &self,
        f: &Filter,
        mut each: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let mut sql = Sql::default();
        if let Some(a) = &f.actor {
            let set = sql.entity_set(a, false);
            let mut c = format!("(e.doc, e.source) IN ({set}) OR (e.doc, e.target) IN ({set})");
            if let Some(code) = as_code(a) {
                let p = sql.param(format!("{code}*"));
                c.push_str(&format!(
                    " OR e.source_actor GLOB {p} OR e.target_actor GLOB {p}"
                ));
            }
            sql.clause(format!("({c})"));
        }
        for (val, ent, actor) in [
            (&f.source_actor, "e.source", "e.source_actor"),
            (&f.target_actor, "e.target", "e.target_actor"),
        ] {
            if let Some(a) = val {
                let set = sql.entity_set(a, false);
                let mut c = format!("(e.doc, {ent}) IN ({set})");
                if let Some(code) = as_code(a) {
                    let p = sql.param(format!("{code}*"));
                    c.push_str(&format!(" OR {actor} GLOB {p}"));
                }
                sql.clause(format!("({c})"));
            }
        }
        if let Some(c) = &f.country {
            let p = sql.param(c.trim().to_uppercase());
            sql.clause(format!(
                "(e.source_country = {p} OR e.target_country = {p})"
            ));
        }
        if let Some(code) = &f.code {
            let code = code.trim();
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::Filter(format!(
                    "--code {code:?} is not a CAMEO code prefix (digits)"
                )));
            }
            let p = sql.param(format!("{code}*"));
            sql.clause(format!("e.cameo GLOB {p}"));
        }
        if let Some(p) = &f.plover {
            let p = sql.param(p.trim().to_uppercase());
            sql.clause(format!("e.plover = {p}"));
        }
        if let Some(m) = &f.modality {
            let p = sql.param(m.trim().to_lowercase());
            sql.clause(format!("e.modality = {p}"));
        }
        if let Some(c) = f.cluster {
            let p = sql.param(c);
            sql.clause(format!("e.cluster = {p}"));
        }
        dates(&mut sql, f, "e.day")?;
        doc_text(&mut sql, f, "e.doc")?;
        let q = format!(
            "SELECT e.evid, e.cluster, d.id, d.date, d.source, d.url, e.date, e.day,
                    e.source_actor, s.name, e.target_actor, t.name, e.cameo, e.root, e.plover,
                    e.mode, e.quad_class, e.goldstein, e.modality, l.name,
                    substr(d.text, e.trigger_start + 1, e.trigger_end - e.trigger_start),
                    e.trigger_start, e.trigger_end, e.sentence_start, e.sentence_end,
                    e.confidence, e.pattern,
                    coalesce(c.num_mentions, 1), coalesce(c.num_sources, 1),
                    coalesce(c.num_articles, 1)
             FROM events e
             JOIN documents d ON d.doc = e.doc
             LEFT JOIN entities s ON s.doc = e.doc AND s.eid = e.source
             LEFT JOIN entities t ON t.doc = e.doc AND t.eid = e.target
             LEFT JOIN entities l ON l.doc = e.doc AND l.eid = e.location
             LEFT JOIN event_clusters c ON c.cluster = e.cluster
             {}
             ORDER BY e.day, e.doc, e.ord {}",
            sql.where_sql(),
            limit_sql(f)
        );
        let mut stmt = self.conn.prepare(&q)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(sql.params.iter()))?;
        while let Some(r) = rows.next()? {
            each(EventRow {
                event_id: r.get(0)?,
                cluster: r.get(1)?,
                doc_id: r.get(2)?,
                doc_date: r.get(3)?,
                outlet: r.get(4)?,
                url: r.get(5)?,
                date: r.get(6)?,
                day: r.get(7)?,
                source_actor: r.get(8)?,
                source_name: r.get(9)?,
                target_actor: r.get(10)?,
                target_name: r.get(11)?,
                cameo: r.get(12)?,
                root: r.get(13)?,
                plover: r.get(14)?,
                mode: r.get(15)?,
                quad_class: r.get(16)?,
                goldstein: r.get(17)?,
                modality: r.get(18)?,
                location: r.get(19)?,
                trigger: r.get::<_, Option<String>>(20)?.unwrap_or_default(),
                trigger_start: r.get(21)?,
                trigger_end: r.get(22)?,
                sentence_start: r.get(23)?,
                sentence_end: r.get(24)?,
                confidence: r.get(25)?,
                pattern: r.get(26)?,
                num_mentions: r.get(27)?,
                num_sources: r.get(28)?,
                num_articles: r.get(29)?,
            })?;
        }
        Ok(())
    }

    /// Quotations matching the filter. `--actor`/`--source-actor` match the
    /// speaker, `--country` the speaker's country, `--text` the quoted words.
    pub fn quotes(&self, f: &Filter) -> Result<Vec<QuoteRow>> {
        unsupported(
            "quotes",
            f,
            &[
                ("target-actor", f.target_actor.is_some()),
                ("code", f.code.is_some()),
                ("plover", f.plover.is_some()),
                ("modality", f.modality.is_some()),
                ("cluster", f.cluster.is_some()),
            ],
        )?;
        let mut sql = Sql::default();
        for a in [&f.actor, &f.source_actor].into_iter().flatten() {
            let set = sql.entity_set(a, true);
            sql.clause(format!("(q.doc, q.speaker) IN ({set})"));
        }
        if let Some(c) = &f.country {
            let p = sql.param(c.trim().to_uppercase());
            sql.clause(format!("s.country = {p}"));
        }
        dates(&mut sql, f, "d.date")?;
        if let Some(t) = &f.text {
            let expr = fts::match_expr(t)
                .ok_or_else(|| Error::Filter(format!("--text {t:?} has no word to search")))?;
            let p = sql.param(expr);
            sql.clause(format!(
                "q.qid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH {p})"
            ));
        }
        let q = format!(
            "SELECT d.id, d.date, d.source, s.name, s.actor, q.speaker_text, q.cue, q.text,
                    q.direct, v.name, q.start, q.end
             FROM quotes q
             JOIN documents d ON d.doc = q.doc
             LEFT JOIN entities s ON s.doc = q.doc AND s.eid = q.speaker
             LEFT JOIN entities v ON v.doc = q.doc AND v.eid = q.via
             {} ORDER BY d.date, q.doc, q.ord {}",
            sql.where_sql(),
            limit_sql(f)
        );
        let mut stmt = self.conn.prepare(&q)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok(QuoteRow {
                doc_id: r.get(0)?,
                date: r.get(1)?,
                outlet: r.get(2)?,
                speaker: r.get(3)?,
                speaker_actor: r.get(4)?,
                speaker_text: r.get(5)?,
                cue: r.get(6)?,
                text: r.get(7)?,
                direct: r.get(8)?,
                via: r.get(9)?,
                start: r.get(10)?,
                end: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Entities matching the filter, one row per (name, type, actor,
    /// country), most documents first.
    pub fn entities(&self, f: &Filter) -> Result<Vec<EntityRow>> {
        unsupported(
            "entities",
            f,
            &[
                ("source-actor", f.source_actor.is_some()),
                ("target-actor", f.target_actor.is_some()),
                ("code", f.code.is_some()),
                ("plover", f.plover.is_some()),
                ("modality", f.modality.is_some()),
                ("cluster", f.cluster.is_some()),
            ],
        )?;
        let mut sql = Sql::default();
        if let Some(a) = &f.actor {
            let set = sql.entity_set(a, true);
            sql.clause(format!("(x.doc, x.eid) IN ({set})"));
        }
        if let Some(c) = &f.country {
            let p = sql.param(c.trim().to_uppercase());
            sql.clause(format!("x.country = {p}"));
        }
        dates(&mut sql, f, "d.date")?;
        doc_text(&mut sql, f, "x.doc")?;
        let q = format!(
            "SELECT x.name, x.name_en, x.type, x.actor, x.country, count(DISTINCT x.doc),
                    sum((SELECT count(*) FROM mentions m WHERE m.doc = x.doc AND m.eid = x.eid))
             FROM entities x JOIN documents d ON d.doc = x.doc
             {} GROUP BY x.name, x.type, x.actor, x.country
             ORDER BY 6 DESC, x.name {}",
            sql.where_sql(),
            limit_sql(f)
        );
        let mut stmt = self.conn.prepare(&q)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok(EntityRow {
                name: r.get(0)?,
                name_en: r.get(1)?,
                typ: r.get(2)?,
                actor: r.get(3)?,
                country: r.get(4)?,
                documents: r.get(5)?,
                mentions: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Counts matching the filter. `--actor`/`--country` select articles
    /// that mention a matching entity; `--code` is the count type (KILL…).
    pub fn counts(&self, f: &Filter) -> Result<Vec<CountRow>> {
        unsupported(
            "counts",
            f,
            &[
                ("source-actor", f.source_actor.is_some()),
                ("target-actor", f.target_actor.is_some()),
                ("plover", f.plover.is_some()),
                ("modality", f.modality.is_some()),
                ("cluster", f.cluster.is_some()),
            ],
        )?;
        let mut sql = Sql::default();
        if let Some(a) = &f.actor {
            let set = sql.entity_set(a, true);
            sql.clause(format!("c.doc IN (SELECT doc FROM ({set}))"));
        }
        if let Some(cn) = &f.country {
            let p = sql.param(cn.trim().to_uppercase());
            sql.clause(format!(
                "c.doc IN (SELECT doc FROM entities WHERE country = {p})"
            ));
        }
        if let Some(t) = &f.code {
            let p = sql.param(t.trim().to_uppercase());
            sql.clause(format!("c.type = {p}"));
        }
        dates(&mut sql, f, "d.date")?;
        doc_text(&mut sql, f, "c.doc")?;
        let q = format!(
            "SELECT d.id, d.date, d.source, c.type, c.min, c.max, c.qualifier, c.unit, c.text,
                    c.start, c.end
             FROM counts c JOIN documents d ON d.doc = c.doc
             {} ORDER BY d.date, c.doc, c.ord {}",
            sql.where_sql(),
            limit_sql(f)
        );
        let mut stmt = self.conn.prepare(&q)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok(CountRow {
                doc_id: r.get(0)?,
                date: r.get(1)?,
                outlet: r.get(2)?,
                typ: r.get(3)?,
                min: r.get(4)?,
                max: r.get(5)?,
                qualifier: r.get(6)?,
                unit: r.get(7)?,
                text: r.get(8)?,
                start: r.get(9)?,
                end: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
