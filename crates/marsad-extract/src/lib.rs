//! The extractor: one article in, one analysis record out.
//!
//! Layers run in a fixed order over one [`marsad_text::Doc`] and read each
//! other's output, never the reverse: entities → times, counts → quotes →
//! events. Extraction of an article never fails; problems become
//! `diagnostics` in its record. The [`Extractor`] is built once (it owns the
//! compiled lexicon) and shared by reference across threads.

mod counts;
mod entities;
mod events;
mod explain;
mod quotes;
pub mod record;
mod tables;
mod times;

use chrono::NaiveDate;
use marsad_lexicon::{Lexicon, LexiconError};
use marsad_text::Doc;

pub use record::*;

/// The extractor crate's one error type: only building can fail.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
}

/// A compiled extractor, shared read-only by all threads.
pub struct Extractor {
    lex: Lexicon,
    tables: tables::Tables,
    time_tables: times::TimeTables,
    count_tables: counts::CountTables,
    cue_tables: quotes::CueTables,
    event_tables: events::EventTables,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("lexicon", &self.lex)
            .finish()
    }
}

/// Parses a publication date; `None` (with a diagnostic) when it is not `YYYY-MM-DD`.
pub fn parse_pub_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl Extractor {
    /// Builds an extractor over a loaded lexicon.
    pub fn new(lex: Lexicon) -> Result<Extractor, ExtractError> {
        let tables = tables::Tables::load(&lex)?;
        let time_tables = times::TimeTables::load(&lex)?;
        let count_tables = counts::CountTables::load(&lex)?;
        let cue_tables = quotes::CueTables::load(&lex)?;
        let event_tables = events::EventTables::load(&lex)?;
        Ok(Extractor {
            lex,
            tables,
            time_tables,
            count_tables,
            cue_tables,
            event_tables,
        })
    }

    /// The default extractor on the embedded lexicon.
    pub fn embedded() -> Result<Extractor, ExtractError> {
        Extractor::new(Lexicon::embedded()?)
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    /// Every normalised event trigger form (`lexicon/events/patterns.tsv`),
    /// once each, in file order (for `marsad lexicon --dump-patterns`).
    pub fn trigger_forms(&self) -> impl Iterator<Item = &str> {
        self.event_tables.trigger_forms()
    }

    /// Analyses one article.
    pub fn extract(&self, input: &InputDoc) -> Record {
        self.analyse(input, false).0
    }

    /// Analyses one article and says how: each stage's output, for `marsad explain`.
    pub fn explain(&self, input: &InputDoc) -> String {
        let (record, trace) = self.analyse(input, true);
        trace.render(self, &record)
    }

    /// `trace`: also collect what only `explain` shows (the raw lexicon hits).
    fn analyse(&self, input: &InputDoc, trace: bool) -> (Record, explain::Trace) {
        let mut diagnostics = Vec::new();
        let date = match input.date.as_deref() {
            Some(d) if !d.trim().is_empty() => {
                let parsed = parse_pub_date(d);
                if parsed.is_none() {
                    diagnostics.push(format!(
                        "date {d:?} is not YYYY-MM-DD; relative expressions left unresolved"
                    ));
                }
                parsed
            }
            _ => None,
        };
        let doc = Doc::new(&input.text);
        let ents = entities::recognise(&self.lex, &self.tables, &doc, date);
        let times = times::find_times(&self.time_tables, &doc, date);
        let counts = counts::find_counts(&self.count_tables, &doc);
        let quotes = quotes::find_quotes(&self.cue_tables, &doc, &ents);
        let entity_ids = entity_ids(&ents);
        let ctx = events::Context {
            tables: &self.tables,
            doc: &doc,
            ents: &ents,
            times: &times,
            quotes: &quotes,
            pub_date: date.map(|d| d.format("%Y-%m-%d").to_string()),
            own_country: events::own_country_refs(&doc, &ents, &quotes),
        };
        let mut rejected = Vec::new();
        let events = events::find_events(&self.event_tables, &ctx, &mut rejected);
        let hits = if trace {
            self.lex.find(&doc)
        } else {
            Vec::new()
        };
        let record = Record {
            id: input.id.clone(),
            date: input.date.clone(),
            source: input.source.clone(),
            entities: entity_records(&doc, &ents, &entity_ids),
            quotes: quotes
                .iter()
                .map(|q| q.to_record(&doc, &entity_ids))
                .collect(),
            events: events
                .iter()
                .map(|e| e.to_record(&self.event_tables, &doc, &ents, &entity_ids))
                .collect(),
            times: times.iter().map(|t| t.to_record(&doc)).collect(),
            counts: counts.iter().map(|c| c.to_record(&doc)).collect(),
            diagnostics,
        };
        let trace = explain::Trace {
            doc,
            hits,
            events,
            rejected,
        };
        (record, trace)
    }
}

/// Record ids of the layer's entities: `e1`, `e2` … in order of first
/// mention; `None` for an entity with no mention.
fn entity_ids(layer: &entities::EntityLayer) -> Vec<Option<String>> {
    let mut ids = vec![None; layer.entities.len()];
    let mut next = 1;
    for m in &layer.mentions {
        if ids[m.entity].is_none() {
            ids[m.entity] = Some(format!("e{next}"));
            next += 1;
        }
    }
    ids
}

fn entity_records(doc: &Doc, layer: &entities::EntityLayer, ids: &[Option<String>]) -> Vec<Entity> {
    let mut order: Vec<usize> = Vec::new();
    for m in &layer.mentions {
        if !order.contains(&m.entity) {
            order.push(m.entity);
        }
    }
    order
        .iter()
        .map(|&e| {
            let info = &layer.entities[e];
            let mut mentions: Vec<Span> = layer
                .mentions
                .iter()
                .filter(|m| m.entity == e)
                .map(|m| {
                    let (s, t) = doc.span(m.start, m.end);
                    [s, t]
                })
                .collect();
            mentions.dedup();
            Entity {
                id: ids[e].clone().unwrap_or_default(),
                typ: info.typ.as_str().to_string(),
                name: info.name.clone(),
                name_en: info.name_en.clone(),
                actor: info.actor.clone(),
                country: info.country.clone(),
                mentions,
                source: info.source.to_string(),
                confidence: info.confidence,
            }
        })
        .collect()
}
