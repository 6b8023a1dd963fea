//! The quotes layer: reported speech with its speaker, cue and medium.
//! (Being written: see issue 3.)

use marsad_lexicon::{Lexicon, LexiconError};
use marsad_text::Doc;

use crate::entities::EntityLayer;
use crate::record::Quote;

/// Speech cues, loaded from `lexicon/cues.tsv`.
#[derive(Debug, Default)]
pub(crate) struct CueTables {}

impl CueTables {
    pub fn load(_lex: &Lexicon) -> Result<CueTables, LexiconError> {
        Ok(CueTables {})
    }
}

/// A reported statement, in normalised byte ranges.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QuoteItem {
    /// The reported content.
    pub start: usize,
    pub end: usize,
    /// The cue words.
    pub cue_start: usize,
    pub cue_end: usize,
    /// Entity index (into the entity layer) of the speaker.
    pub speaker: Option<usize>,
    /// Normalised byte range of the words naming the speaker.
    pub speaker_text: Option<(usize, usize)>,
    pub direct: bool,
    /// Entity index of the relaying medium.
    pub via: Option<usize>,
}

impl QuoteItem {
    pub fn to_record(&self, doc: &Doc, entity_ids: &[Option<String>]) -> Quote {
        let (s, e) = doc.span(self.start, self.end);
        let (cs, ce) = doc.span(self.cue_start, self.cue_end);
        let id = |i: Option<usize>| i.and_then(|i| entity_ids.get(i).cloned().flatten());
        Quote {
            speaker: id(self.speaker),
            speaker_text: self.speaker_text.map(|(a, b)| doc.text.surface(doc.span(a, b))),
            cue: doc.text.surface((cs, ce)),
            span: [s, e],
            text: doc.text.surface((s, e)),
            direct: self.direct,
            via: id(self.via),
            cue_span: Some([cs, ce]),
        }
    }
}

pub(crate) fn find_quotes(_tables: &CueTables, _doc: &Doc, _ents: &EntityLayer) -> Vec<QuoteItem> {
    Vec::new()
}
