//! The times layer: time expressions resolved against the publication date.
//! (Being written: see issue 4.)

use chrono::NaiveDate;
use marsad_lexicon::{Lexicon, LexiconError};
use marsad_text::Doc;

use crate::record::TimeExpr;

/// Month, weekday and relative-period words, loaded from `lexicon/time/`.
#[derive(Debug, Default)]
pub(crate) struct TimeTables {}

impl TimeTables {
    pub fn load(_lex: &Lexicon) -> Result<TimeTables, LexiconError> {
        Ok(TimeTables {})
    }
}

/// A time expression: a normalised byte range and its resolved value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeItem {
    pub start: usize,
    pub end: usize,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYY-Www`, or None.
    pub value: Option<String>,
    /// `day`, `week`, `month`, `year`, `vague`.
    pub granularity: &'static str,
}

impl TimeItem {
    pub fn to_record(&self, doc: &Doc) -> TimeExpr {
        let (s, e) = doc.span(self.start, self.end);
        TimeExpr {
            span: [s, e],
            text: doc.text.surface((s, e)),
            value: self.value.clone(),
            granularity: self.granularity.to_string(),
        }
    }
}

pub(crate) fn find_times(_tables: &TimeTables, _doc: &Doc, _pub_date: Option<NaiveDate>) -> Vec<TimeItem> {
    Vec::new()
}
