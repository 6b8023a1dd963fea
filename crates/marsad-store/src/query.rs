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
        if parts.is_empty() {
            // a value that normalises to nothing (punctuation only) names no
            // entity: an empty set, not `IN ()`, which SQLite rejects
            return "SELECT NULL AS doc, NULL AS eid WHERE 0".to_string();
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

/// The WHERE clauses of an event query (every clause refers to `e`).
fn event_where(f: &Filter) -> Result<Sql> {
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
    Ok(sql)
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
        each: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let sql = event_where(f)?;
        self.run_events(sql, "e.day, e.doc, e.ord", &limit_sql(f), each)
    }

    /// Runs an event query. The filter, sort and limit apply to `events`
    /// alone in a subquery and the joins (names, the article's text for the
    /// trigger) only to the rows kept: a page costs its rows, not the store.
    fn run_events(
        &self,
        sql: Sql,
        order: &str,
        limit: &str,
        mut each: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let q = format!(
            "SELECT e.evid, e.cluster, d.id, d.date, d.source, d.url, e.date, e.day,
                    e.source_actor, s.name, e.target_actor, t.name, e.cameo, e.root, e.plover,
                    e.mode, e.quad_class, e.goldstein, e.modality, l.name,
                    substr(d.text, e.trigger_start + 1, e.trigger_end - e.trigger_start),
                    e.trigger_start, e.trigger_end, e.sentence_start, e.sentence_end,
                    e.confidence, e.pattern,
                    coalesce(c.num_mentions, 1), coalesce(c.num_sources, 1),
                    coalesce(c.num_articles, 1)
             FROM (SELECT * FROM events e {} ORDER BY {order} {limit}) e
             JOIN documents d ON d.doc = e.doc
             LEFT JOIN entities s ON s.doc = e.doc AND s.eid = e.source
             LEFT JOIN entities t ON t.doc = e.doc AND t.eid = e.target
             LEFT JOIN entities l ON l.doc = e.doc AND l.eid = e.location
             LEFT JOIN event_clusters c ON c.cluster = e.cluster
             ORDER BY {order}",
            sql.where_sql(),
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
        let sql = quote_where(f)?;
        let rows = self.run_quotes(sql, "d.date, q.doc, q.ord", &limit_sql(f))?;
        Ok(rows.into_iter().map(|(r, _)| r).collect())
    }

    /// Quote rows with their `qid` (the pagination key). The filter, sort
    /// and limit pick quote ids first; only the kept rows are read whole.
    fn run_quotes(&self, sql: Sql, order: &str, limit: &str) -> Result<Vec<(QuoteRow, i64)>> {
        let q = format!(
            "SELECT d.id, d.date, d.source, s.name, s.actor, q.speaker_text, q.cue, q.text,
                    q.direct, v.name, q.start, q.end, q.qid
             FROM (SELECT q.qid FROM quotes q
                   JOIN documents d ON d.doc = q.doc
                   LEFT JOIN entities s ON s.doc = q.doc AND s.eid = q.speaker
                   {} ORDER BY {order} {limit}) k
             JOIN quotes q ON q.qid = k.qid
             JOIN documents d ON d.doc = q.doc
             LEFT JOIN entities s ON s.doc = q.doc AND s.eid = q.speaker
             LEFT JOIN entities v ON v.doc = q.doc AND v.eid = q.via
             ORDER BY {order}",
            sql.where_sql(),
        );
        let mut stmt = self.conn.prepare(&q)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok((
                QuoteRow {
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
                },
                r.get(12)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Entities matching the filter, one row per (name, type, actor,
    /// country), most documents first.
    pub fn entities(&self, f: &Filter) -> Result<Vec<EntityRow>> {
        let sql = entity_where(f)?;
        self.run_entities(sql, "", &limit_sql(f))
    }

    fn run_entities(&self, sql: Sql, having: &str, limit: &str) -> Result<Vec<EntityRow>> {
        let q = format!(
            "SELECT x.name, x.name_en, x.type, x.actor, x.country, count(DISTINCT x.doc),
                    sum((SELECT count(*) FROM mentions m WHERE m.doc = x.doc AND m.eid = x.eid))
             FROM entities x
             {} GROUP BY x.name, x.type, x.actor, x.country {having}
             ORDER BY 6 DESC, x.name, x.type, coalesce(x.actor, ''), coalesce(x.country, '')
             {limit}",
            sql.where_sql(),
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
        let sql = count_where(f)?;
        let rows = self.run_counts(sql, "d.date, c.doc, c.ord", &limit_sql(f))?;
        Ok(rows.into_iter().map(|(r, _)| r).collect())
    }

    /// Count rows with their rowid (the pagination key), picked first as
    /// quotes are.
    fn run_counts(&self, sql: Sql, order: &str, limit: &str) -> Result<Vec<(CountRow, i64)>> {
        let q = format!(
            "SELECT d.id, d.date, d.source, c.type, c.min, c.max, c.qualifier, c.unit, c.text,
                    c.start, c.end, c.rowid
             FROM (SELECT c.rowid AS rid FROM counts c JOIN documents d ON d.doc = c.doc
                   {} ORDER BY {order} {limit}) k
             JOIN counts c ON c.rowid = k.rid
             JOIN documents d ON d.doc = c.doc
             ORDER BY {order}",
            sql.where_sql(),
        );
        let mut stmt = self.conn.prepare(&q)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok((
                CountRow {
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
                },
                r.get(11)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn quote_where(f: &Filter) -> Result<Sql> {
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
    Ok(sql)
}

fn entity_where(f: &Filter) -> Result<Sql> {
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
    // the article's date by key lookup, only when asked: joining every
    // entity to its article doubles the cost of the grouping
    dates(
        &mut sql,
        f,
        "(SELECT dd.date FROM documents dd WHERE dd.doc = x.doc)",
    )?;
    doc_text(&mut sql, f, "x.doc")?;
    Ok(sql)
}

fn count_where(f: &Filter) -> Result<Sql> {
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
    Ok(sql)
}

// ---------------------------------------------------------------------------
// Pages, aggregates and one document with its spans (for `marsad serve`).

/// One page of rows and the cursor of the next page (`None` on the last).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Events per day in one group (quad class `1`–`4`, or a PLOVER type).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct TimelineRow {
    pub day: String,
    pub group: String,
    pub events: i64,
}

/// What a timeline groups events by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineGroup {
    QuadClass,
    Plover,
}

/// One directed actor pair of the event network.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NetworkEdge {
    pub source_actor: String,
    /// The name the source was most often written as in these events.
    pub source_name: Option<String>,
    pub target_actor: String,
    pub target_name: Option<String>,
    pub events: i64,
    pub mean_goldstein: f64,
}

/// A stored article with every span the extractor found in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentView {
    pub id: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub entities: Vec<DocEntity>,
    pub events: Vec<DocEvent>,
    pub quotes: Vec<DocQuote>,
    pub times: Vec<DocTime>,
    pub counts: Vec<DocCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocEntity {
    pub eid: String,
    #[serde(rename = "type")]
    pub typ: String,
    pub name: String,
    pub name_en: Option<String>,
    pub actor: Option<String>,
    pub country: Option<String>,
    /// `[start, end)` code-point spans.
    pub mentions: Vec<[i64; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocEvent {
    pub event_id: i64,
    pub cluster: Option<i64>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub source_actor: Option<String>,
    pub target_actor: Option<String>,
    pub cameo: String,
    pub plover: Option<String>,
    pub quad_class: i64,
    pub goldstein: f64,
    pub modality: String,
    pub date: Option<String>,
    pub trigger: String,
    pub trigger_start: i64,
    pub trigger_end: i64,
    pub sentence_start: i64,
    pub sentence_end: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocQuote {
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    pub cue: String,
    pub direct: bool,
    pub text: String,
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocTime {
    pub text: String,
    pub value: Option<String>,
    pub granularity: String,
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocCount {
    #[serde(rename = "type")]
    pub typ: String,
    pub min: i64,
    pub max: i64,
    pub text: String,
    pub start: i64,
    pub end: i64,
}

/// Cursors are the sort key of the last row served, as hex of a JSON array:
/// opaque to clients (they cannot build one by hand and expect it to mean
/// anything) yet stateless for the server, and a keyset instead of an
/// offset keeps every page as cheap as the first and stable under inserts.
fn encode_cursor(key: &serde_json::Value) -> String {
    key.to_string()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(cursor: &str, arity: usize) -> Result<Vec<serde_json::Value>> {
    let bad = || Error::Filter(format!("cursor {cursor:?} was not issued by this query"));
    if cursor.len() > 4096 {
        return Err(bad());
    }
    let bytes = cursor
        .as_bytes()
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .filter(|h| h.len() == 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)?;
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Array(a)) if a.len() == arity => Ok(a),
        _ => Err(bad()),
    }
}

fn key_str(v: &serde_json::Value, cursor: &str) -> Result<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::Filter(format!("cursor {cursor:?} was not issued by this query")))
}

fn key_int(v: &serde_json::Value, cursor: &str) -> Result<i64> {
    v.as_i64()
        .ok_or_else(|| Error::Filter(format!("cursor {cursor:?} was not issued by this query")))
}

/// Splits `limit + 1` fetched rows into a page and the next cursor.
fn into_page<T, K>(
    mut rows: Vec<(T, K)>,
    limit: usize,
    key: impl Fn(&T, &K) -> serde_json::Value,
) -> Page<T> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(|(r, k)| encode_cursor(&key(r, k)))
    } else {
        None
    };
    Page {
        rows: rows.into_iter().map(|(r, _)| r).collect(),
        next_cursor,
    }
}

impl Store {
    /// One page of event mentions, by day then event id; `f.limit` is
    /// ignored (the page size is `limit`).
    pub fn events_page(
        &self,
        f: &Filter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EventRow>> {
        let mut sql = event_where(f)?;
        if let Some(c) = cursor {
            let k = decode_cursor(c, 2)?;
            let day = sql.param(key_str(&k[0], c)?);
            let id = sql.param(key_int(&k[1], c)?);
            sql.clause(format!("(coalesce(e.day, ''), e.evid) > ({day}, {id})"));
        }
        let mut rows = Vec::new();
        self.run_events(
            sql,
            "coalesce(e.day, ''), e.evid",
            &format!("LIMIT {}", limit + 1),
            |r| {
                rows.push((r, ()));
                Ok(())
            },
        )?;
        Ok(into_page(rows, limit, |r, _| {
            serde_json::json!([r.day.clone().unwrap_or_default(), r.event_id])
        }))
    }

    /// One page of quotations, by article date then quote id.
    pub fn quotes_page(
        &self,
        f: &Filter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<QuoteRow>> {
        let mut sql = quote_where(f)?;
        if let Some(c) = cursor {
            let k = decode_cursor(c, 2)?;
            let date = sql.param(key_str(&k[0], c)?);
            let id = sql.param(key_int(&k[1], c)?);
            sql.clause(format!("(coalesce(d.date, ''), q.qid) > ({date}, {id})"));
        }
        let rows = self.run_quotes(
            sql,
            "coalesce(d.date, ''), q.qid",
            &format!("LIMIT {}", limit + 1),
        )?;
        Ok(into_page(rows, limit, |r, qid| {
            serde_json::json!([r.date.clone().unwrap_or_default(), qid])
        }))
    }

    /// One page of counts, by article date then row id.
    pub fn counts_page(
        &self,
        f: &Filter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<CountRow>> {
        let mut sql = count_where(f)?;
        if let Some(c) = cursor {
            let k = decode_cursor(c, 2)?;
            let date = sql.param(key_str(&k[0], c)?);
            let id = sql.param(key_int(&k[1], c)?);
            sql.clause(format!("(coalesce(d.date, ''), c.rowid) > ({date}, {id})"));
        }
        let rows = self.run_counts(
            sql,
            "coalesce(d.date, ''), c.rowid",
            &format!("LIMIT {}", limit + 1),
        )?;
        Ok(into_page(rows, limit, |r, rowid| {
            serde_json::json!([r.date.clone().unwrap_or_default(), rowid])
        }))
    }

    /// One page of entities, most documents first; the key is the whole
    /// group (documents, name, type, actor, country), which is unique.
    pub fn entities_page(
        &self,
        f: &Filter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EntityRow>> {
        let mut sql = entity_where(f)?;
        let mut having = String::new();
        if let Some(c) = cursor {
            let k = decode_cursor(c, 5)?;
            let docs = sql.param(-key_int(&k[0], c)?);
            let name = sql.param(key_str(&k[1], c)?);
            let typ = sql.param(key_str(&k[2], c)?);
            let actor = sql.param(key_str(&k[3], c)?);
            let country = sql.param(key_str(&k[4], c)?);
            having = format!(
                "HAVING (-count(DISTINCT x.doc), x.name, x.type, coalesce(x.actor, ''), \
                 coalesce(x.country, '')) > ({docs}, {name}, {typ}, {actor}, {country})"
            );
        }
        let rows = self.run_entities(sql, &having, &format!("LIMIT {}", limit + 1))?;
        let rows = rows.into_iter().map(|r| (r, ())).collect();
        Ok(into_page(rows, limit, |r, _| {
            serde_json::json!([
                r.documents,
                r.name,
                r.typ,
                r.actor.clone().unwrap_or_default(),
                r.country.clone().unwrap_or_default()
            ])
        }))
    }

    /// Events per day and group over the events matching the filter;
    /// events without a full day are left out (they cannot be placed).
    pub fn timeline(&self, f: &Filter, by: TimelineGroup) -> Result<Vec<TimelineRow>> {
        let mut sql = event_where(f)?;
        sql.clause("length(e.day) = 10".to_string());
        let group = match by {
            TimelineGroup::QuadClass => "CAST(e.quad_class AS TEXT)",
            TimelineGroup::Plover => "coalesce(e.plover, '')",
        };
        let q = format!(
            "SELECT e.day, {group}, count(*) FROM events e {} GROUP BY 1, 2 ORDER BY 1, 2",
            sql.where_sql()
        );
        let mut stmt = self.conn.prepare(&q)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok(TimelineRow {
                day: r.get(0)?,
                group: r.get(1)?,
                events: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Directed actor-code pairs of the matching events with their number
    /// of mentions and mean Goldstein value, most events first.
    pub fn network(&self, f: &Filter, limit: usize) -> Result<Vec<NetworkEdge>> {
        let mut sql = event_where(f)?;
        sql.clause("e.source_actor IS NOT NULL AND e.target_actor IS NOT NULL".to_string());
        let q = format!(
            "SELECT e.source_actor, e.target_actor, count(*), avg(e.goldstein) FROM events e {}
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {limit}",
            sql.where_sql()
        );
        let mut stmt = self.conn.prepare(&q)?;
        let mut edges: Vec<NetworkEdge> = stmt
            .query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
                Ok(NetworkEdge {
                    source_actor: r.get(0)?,
                    target_actor: r.get(1)?,
                    events: r.get(2)?,
                    mean_goldstein: r.get(3)?,
                    source_name: None,
                    target_name: None,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        // each actor's most frequent name over the same events, in one pass
        // (a correlated subquery per edge would rescan the events each time)
        let q = format!(
            "SELECT code, name, count(*) AS n FROM (
               SELECT e.source_actor AS code, s.name AS name FROM events e
                 JOIN entities s ON s.doc = e.doc AND s.eid = e.source {w}
               UNION ALL
               SELECT e.target_actor, t.name FROM events e
                 JOIN entities t ON t.doc = e.doc AND t.eid = e.target {w}
             ) GROUP BY code, name ORDER BY code, n DESC, name",
            w = sql.where_sql()
        );
        let mut stmt = self.conn.prepare(&q)?;
        let mut names: std::collections::HashMap<String, String> = Default::default();
        let rows = stmt.query_map(rusqlite::params_from_iter(sql.params.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (code, name) = row?;
            names.entry(code).or_insert(name);
        }
        for e in &mut edges {
            e.source_name = names.get(&e.source_actor).cloned();
            e.target_name = names.get(&e.target_actor).cloned();
        }
        Ok(edges)
    }

    /// One article by its id with every entity mention, event, quote, time
    /// and count span; `None` when no such article is stored.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>> {
        use rusqlite::OptionalExtension;
        let head = self
            .conn
            .prepare_cached(
                "SELECT doc, id, date, source, url, title, text FROM documents WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    DocumentView {
                        id: r.get(1)?,
                        date: r.get(2)?,
                        source: r.get(3)?,
                        url: r.get(4)?,
                        title: r.get(5)?,
                        text: r.get(6)?,
                        entities: Vec::new(),
                        events: Vec::new(),
                        quotes: Vec::new(),
                        times: Vec::new(),
                        counts: Vec::new(),
                    },
                ))
            })
            .optional()?;
        let Some((doc, mut view)) = head else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT eid, type, name, name_en, actor, country FROM entities WHERE doc = ?1 ORDER BY eid",
        )?;
        view.entities = stmt
            .query_map([doc], |r| {
                Ok(DocEntity {
                    eid: r.get(0)?,
                    typ: r.get(1)?,
                    name: r.get(2)?,
                    name_en: r.get(3)?,
                    actor: r.get(4)?,
                    country: r.get(5)?,
                    mentions: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT eid, start, end FROM mentions WHERE doc = ?1 ORDER BY start")?;
        let mentions = stmt.query_map([doc], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for m in mentions {
            let (eid, start, end) = m?;
            if let Some(e) = view.entities.iter_mut().find(|e| e.eid == eid) {
                e.mentions.push([start, end]);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.evid, e.cluster, e.source, e.target, e.source_actor, e.target_actor, e.cameo,
                    e.plover, e.quad_class, e.goldstein, e.modality, e.date,
                    substr(d.text, e.trigger_start + 1, e.trigger_end - e.trigger_start),
                    e.trigger_start, e.trigger_end, e.sentence_start, e.sentence_end
             FROM events e JOIN documents d ON d.doc = e.doc WHERE e.doc = ?1 ORDER BY e.ord",
        )?;
        view.events = stmt
            .query_map([doc], |r| {
                Ok(DocEvent {
                    event_id: r.get(0)?,
                    cluster: r.get(1)?,
                    source: r.get(2)?,
                    target: r.get(3)?,
                    source_actor: r.get(4)?,
                    target_actor: r.get(5)?,
                    cameo: r.get(6)?,
                    plover: r.get(7)?,
                    quad_class: r.get(8)?,
                    goldstein: r.get(9)?,
                    modality: r.get(10)?,
                    date: r.get(11)?,
                    trigger: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                    trigger_start: r.get(13)?,
                    trigger_end: r.get(14)?,
                    sentence_start: r.get(15)?,
                    sentence_end: r.get(16)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT speaker, speaker_text, cue, direct, text, start, end FROM quotes WHERE doc = ?1 ORDER BY ord",
        )?;
        view.quotes = stmt
            .query_map([doc], |r| {
                Ok(DocQuote {
                    speaker: r.get(0)?,
                    speaker_text: r.get(1)?,
                    cue: r.get(2)?,
                    direct: r.get(3)?,
                    text: r.get(4)?,
                    start: r.get(5)?,
                    end: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT text, value, granularity, start, end FROM times WHERE doc = ?1 ORDER BY ord",
        )?;
        view.times = stmt
            .query_map([doc], |r| {
                Ok(DocTime {
                    text: r.get(0)?,
                    value: r.get(1)?,
                    granularity: r.get(2)?,
                    start: r.get(3)?,
                    end: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT type, min, max, text, start, end FROM counts WHERE doc = ?1 ORDER BY ord",
        )?;
        view.counts = stmt
            .query_map([doc], |r| {
                Ok(DocCount {
                    typ: r.get(0)?,
                    min: r.get(1)?,
                    max: r.get(2)?,
                    text: r.get(3)?,
                    start: r.get(4)?,
                    end: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(view))
    }
}
