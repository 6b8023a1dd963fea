//! The analysis record of `shared/spec/ANALYSIS.md`: the contract every
//! consumer reads. Field names and meanings are fixed there; fields added
//! here are extras consumers may ignore.

use serde::{Deserialize, Serialize};

/// A `[start, end)` span in Unicode code points of the original text.
pub type Span = [usize; 2];

/// One input article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct InputDoc {
    pub id: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
}

/// The analysis record of one article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub id: String,
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    pub times: Vec<TimeExpr>,
    pub counts: Vec<Count>,
    /// Notes about this article's analysis (e.g. an unparseable date), never fatal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub typ: String,
    pub name: String,
    pub name_en: Option<String>,
    pub actor: Option<String>,
    pub country: Option<String>,
    pub mentions: Vec<Span>,
    /// How the entity was recognised: `lexicon`, `title`, `context`.
    #[serde(default)]
    pub source: String,
    /// 0–1; lower for titles resolved without an article date.
    pub confidence: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Quote {
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    pub cue: String,
    pub span: Span,
    pub text: String,
    pub direct: bool,
    pub via: Option<String>,
    /// Span of the cue words.
    #[serde(default)]
    pub cue_span: Option<Span>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub source: Option<String>,
    pub target: Option<String>,
    pub source_actor: Option<String>,
    pub target_actor: Option<String>,
    pub cameo: String,
    pub root: String,
    pub plover: Option<String>,
    pub mode: Option<String>,
    pub quad_class: u8,
    pub goldstein: f32,
    pub modality: String,
    pub date: Option<String>,
    pub location: Option<String>,
    pub trigger: Span,
    pub sentence: Span,
    pub confidence: f32,
    /// The id of the lexicon pattern that fired.
    #[serde(default)]
    pub pattern: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TimeExpr {
    pub span: Span,
    pub text: String,
    pub value: Option<String>,
    pub granularity: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Count {
    #[serde(rename = "type")]
    pub typ: String,
    pub min: u64,
    pub max: u64,
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    pub span: Span,
    pub text: String,
}

/// True for a full `YYYY-MM-DD` day: the dates events are placed and
/// clustered on (a month, a week or a year is not one).
pub fn is_full_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Widens an `f32` by its shortest decimal form, so 0.8 is written as 0.8
/// and not as 0.800000011920929 (in the store, JSON and Arrow alike).
pub fn f32_to_f64(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

impl Event {
    /// The event's day: its own date when the text gives a full day, else
    /// the article's, else whatever partial date it has.
    pub fn day(&self, article_date: Option<&String>) -> Option<String> {
        match (&self.date, article_date) {
            (Some(d), _) if is_full_day(d) => Some(d.clone()),
            (_, Some(d)) if is_full_day(d) => Some(d.clone()),
            (d, _) => d.clone(),
        }
    }
}
