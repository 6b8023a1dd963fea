//! Exports: event mentions as JSONL or CSV, event clusters as GDELT 2.0
//! event-table rows.

use std::io::Write;

use rusqlite::Row;

use crate::{Filter, Result, Store};

/// Export formats. `parquet` is not built (see ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One [`crate::EventRow`] per line, every event mention.
    Jsonl,
    /// The same rows as CSV with a header.
    Csv,
    /// One row per event cluster in the 61 tab-separated columns of the
    /// GDELT 2.0 event table, no header (as GDELT ships it).
    Gdelt,
}

/// The GDELT 2.0 event-table columns, in order.
///
/// Filled: ids and dates, actor codes (CAMEO-style, ISO alpha-3 country in
/// `*CountryCode`, the role such as GOV in `*Type1Code`), names, event codes
/// as strings (leading zeros kept), quad class, Goldstein, the cluster's
/// NumMentions/NumSources/NumArticles, `ActionGeo_FullName` (the location
/// entity's name), `DATEADDED` and `SOURCEURL` (the first mention's
/// article). Left empty: known-group, ethnic, religion and Type2/3 codes,
/// `AvgTone` (no tone model), and every geographic code, coordinate and
/// feature id: GDELT's `*Geo_CountryCode` and ADM codes are FIPS 10-4,
/// which marsad does not map, and it does not geocode.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

impl Store {
    /// Writes the events matching `filter` in `format` to `out`, streaming.
    /// Returns the number of rows written.
    pub fn export(&self, format: ExportFormat, filter: &Filter, out: impl Write) -> Result<u64> {
        match format {
            ExportFormat::Jsonl => {
                let mut out = out;
                let mut n = 0;
                self.for_each_event(filter, |r| {
                    serde_json::to_writer(&mut out, &r)?;
                    out.write_all(b"\n")?;
                    n += 1;
                    Ok(())
                })?;
                out.flush()?;
                Ok(n)
            }
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                let mut n = 0;
                self.for_each_event(filter, |r| {
                    w.serialize(&r)?;
                    n += 1;
                    Ok(())
                })?;
                w.flush()?;
                Ok(n)
            }
            ExportFormat::Gdelt => self.export_gdelt(out),
        }
    }

    /// One GDELT row per cluster, described by its first mention.
    fn export_gdelt(&self, mut out: impl Write) -> Result<u64> {
        let mut stmt = self.conn.prepare(
            "SELECT c.cluster, c.day, c.source_actor, s.name_en, s.name, c.target_actor,
                    t.name_en, t.name, c.cameo, e.quad_class, e.goldstein, c.num_mentions,
                    c.num_sources, c.num_articles, l.name_en, l.name, d.date, d.url, d.id,
                    e.sentence_start
             FROM event_clusters c
             JOIN events e ON e.evid = (SELECT min(evid) FROM events WHERE cluster = c.cluster)
             JOIN documents d ON d.doc = e.doc
             LEFT JOIN entities s ON s.doc = e.doc AND s.eid = e.source
             LEFT JOIN entities t ON t.doc = e.doc AND t.eid = e.target
             LEFT JOIN entities l ON l.doc = e.doc AND l.eid = e.location
             ORDER BY c.cluster",
        )?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let cols = gdelt_row(r)?;
            let line: Vec<String> = cols.into_iter().map(|c| tsv_clean(&c)).collect();
            out.write_all(line.join("\t").as_bytes())?;
            out.write_all(b"\n")?;
            n += 1;
        }
        out.flush()?;
        Ok(n)
    }
}

/// Tabs and newlines would break the row; names never need them.
fn tsv_clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Splits a CAMEO-style actor code into ISO country and first role code.
fn actor_parts(code: &Option<String>) -> (String, String) {
    let Some(c) = code.as_deref() else {
        return (String::new(), String::new());
    };
    if c.len() >= 3 && c.is_char_boundary(3) && c[..3].bytes().all(|b| b.is_ascii_uppercase()) {
        let (country, rest) = c.split_at(3);
        if country == "IGO" {
            return (String::new(), "IGO".to_string());
        }
        let role = if rest.len() >= 3 && rest.is_char_boundary(3) {
            &rest[..3]
        } else {
            rest
        };
        (country.to_string(), role.to_string())
    } else {
        (String::new(), String::new())
    }
}

fn gdelt_row(r: &Row) -> Result<Vec<String>> {
    let cluster: i64 = r.get(0)?;
    let day: Option<String> = r.get(1)?;
    let doc_date: Option<String> = r.get(16)?;
    let date = day.clone().or(doc_date.clone()).unwrap_or_default();
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    let (year, month, dom) = (
        digits.get(0..4).unwrap_or(""),
        digits.get(4..6).unwrap_or(""),
        digits.get(6..8).unwrap_or(""),
    );
    let sqldate = if dom.is_empty() {
        String::new()
    } else {
        digits.clone()
    };
    let fraction = match (
        year.parse::<f64>(),
        month.parse::<f64>(),
        dom.parse::<f64>(),
    ) {
        (Ok(y), Ok(m), Ok(d)) => format!("{:.4}", y + ((m - 1.0) * 30.0 + d) / 365.0),
        _ => String::new(),
    };
    let a1: Option<String> = r.get(2)?;
    let a2: Option<String> = r.get(5)?;
    let name = |en: Option<String>, ar: Option<String>| en.or(ar).unwrap_or_default();
    let (c1, t1) = actor_parts(&a1);
    let (c2, t2) = actor_parts(&a2);
    let cameo: String = r.get(8)?;
    let base = cameo.get(0..3).unwrap_or(&cameo).to_string();
    let root = cameo.get(0..2).unwrap_or(&cameo).to_string();
    let quad: i64 = r.get(9)?;
    let goldstein: f64 = r.get(10)?;
    let (nm, ns, na): (i64, i64, i64) = (r.get(11)?, r.get(12)?, r.get(13)?);
    let place = name(r.get(14)?, r.get(15)?);
    let url: Option<String> = r.get(17)?;
    let doc_id: String = r.get(18)?;
    let sentence_start: i64 = r.get(19)?;
    let added = doc_date
        .as_deref()
        .map(|d| d.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|d| d.len() == 8)
        .map(|d| format!("{d}000000"))
        .unwrap_or_default();
    let e = String::new;
    let mut v = vec![
        cluster.to_string(),
        sqldate,
        format!("{year}{month}"),
        year.to_string(),
        fraction,
        a1.clone().unwrap_or_default(),
        name(r.get(3)?, r.get(4)?),
        c1,
        e(),
        e(),
        e(),
        e(),
        t1,
        e(),
        e(),
        a2.clone().unwrap_or_default(),
        name(r.get(6)?, r.get(7)?),
        c2,
        e(),
        e(),
        e(),
        e(),
        t2,
        e(),
        e(),
        // GDELT: the event is in the lead paragraph; here: in the first sentence
        if sentence_start == 0 { "1" } else { "0" }.to_string(),
        cameo.clone(),
        base,
        root,
        quad.to_string(),
        format!("{goldstein:.1}"),
        nm.to_string(),
        ns.to_string(),
        na.to_string(),
        e(),
    ];
    // Actor1Geo and Actor2Geo: not geocoded
    v.extend(std::iter::repeat_with(e).take(16));
    // ActionGeo: only the name of the location entity
    v.push(e());
    v.push(place);
    v.extend(std::iter::repeat_with(e).take(6));
    v.push(added);
    v.push(url.unwrap_or(doc_id));
    debug_assert_eq!(v.len(), GDELT_COLUMNS.len());
    Ok(v)
}
