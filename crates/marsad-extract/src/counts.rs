//! The counts layer: killed, wounded, arrested … and money, with ranges.
//! (Being written: see issue 4.)

use marsad_lexicon::{Lexicon, LexiconError};
use marsad_text::Doc;

use crate::record::Count;

/// Number words and count nouns, loaded from `lexicon/numbers/`.
#[derive(Debug, Default)]
pub(crate) struct CountTables {}

impl CountTables {
    pub fn load(_lex: &Lexicon) -> Result<CountTables, LexiconError> {
        Ok(CountTables {})
    }
}

/// A count: a normalised byte range, its type and bounds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CountItem {
    pub start: usize,
    pub end: usize,
    /// KILL, WOUND, ARREST, KIDNAP, DISPLACE, PROTEST, MONEY, OTHER.
    pub typ: &'static str,
    pub min: u64,
    pub max: u64,
    pub qualifier: Option<&'static str>,
    pub unit: Option<String>,
}

impl CountItem {
    pub fn to_record(&self, doc: &Doc) -> Count {
        let (s, e) = doc.span(self.start, self.end);
        Count {
            typ: self.typ.to_string(),
            min: self.min,
            max: self.max,
            qualifier: self.qualifier.map(str::to_string),
            unit: self.unit.clone(),
            span: [s, e],
            text: doc.text.surface((s, e)),
        }
    }
}

pub(crate) fn find_counts(_tables: &CountTables, _doc: &Doc) -> Vec<CountItem> {
    Vec::new()
}
