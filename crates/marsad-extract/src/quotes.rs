//! The quotes layer: reported speech with its speaker, cue and medium.
//!
//! Arabic news reports speech in a handful of frames:
//!
//! - a speech verb and its subject, then the content: `قال X إن ...`,
//!   `قال X: «...»`, `X قال إن ...`, `أكد X حرص ...` (an object for verbs that
//!   take one);
//! - a circumstantial participle that continues the clause: `...، مضيفاً أن ...`;
//! - a relay: `نقلت Y عن X قوله إن ...` (X speaks, Y is the medium);
//! - a source phrase: `وبحسب X، ...` before its clause or `...، وفق ما نقلت X`
//!   after it.
//!
//! Every cue word and closed word class comes from `lexicon/cues.tsv`. The
//! speaker is read from the words between the cue and the particle that opens
//! the content (إن/أن/بأن, a colon, a quotation); when the frame names nobody
//! (وأضاف أن، مشيراً إلى أن) it is carried over from the governing clause or
//! the previous quote. An indirect content ends with its clause: at the end of
//! the sentence, before the next frame, or before a comma and a connector.

use foldhash::{HashMap, HashSet, HashSetExt};

use marsad_lexicon::{alts, EntityType, Lexicon, LexiconError};
use marsad_text::{normalize, Doc, TokenKind};

use crate::entities::{EntityLayer, Mention, MentionKind};
use crate::record::Quote;

const FILE: &str = "cues.tsv";

/// The word classes of `cues.tsv` (see the file's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Verb,
    Participle,
    Relay,
    According,
    Saying,
    Noun,
    Medium,
    Stop,
    Connector,
    Unnamed,
    Intro,
    NonIntro,
    Prep,
    Pp,
    Relative,
    Source,
    Report,
    Formula,
    Adverb,
    Naming,
    Pronoun,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "verb" => Kind::Verb,
            "participle" => Kind::Participle,
            "relay" => Kind::Relay,
            "according" => Kind::According,
            "saying" => Kind::Saying,
            "noun" | "phrase" => Kind::Noun,
            "medium" => Kind::Medium,
            "stop" => Kind::Stop,
            "connector" => Kind::Connector,
            "unnamed" => Kind::Unnamed,
            "intro" => Kind::Intro,
            "nonintro" => Kind::NonIntro,
            "prep" => Kind::Prep,
            "pp" => Kind::Pp,
            "relative" => Kind::Relative,
            "source" => Kind::Source,
            "report" => Kind::Report,
            "formula" => Kind::Formula,
            "adverb" => Kind::Adverb,
            "naming" => Kind::Naming,
            "pronoun" => Kind::Pronoun,
            _ => return None,
        })
    }

    /// Kinds whose words open a frame of their own.
    fn is_frame(self) -> bool {
        matches!(
            self,
            Kind::Verb | Kind::Participle | Kind::Relay | Kind::According | Kind::Saying
        )
    }
}

#[derive(Debug, serde::Deserialize)]
struct CueRow {
    lemma: String,
    kind: String,
    #[serde(default)]
    bare: Option<String>,
    forms: String,
}

/// How a frame's content may begin when no إن/أن/colon opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bare {
    /// Only after a particle, a colon or a quotation.
    No,
    /// The verb's object is the content: أكد حرص المملكة ...
    Object,
    /// The charge or description after the object: اتهم X بارتكاب ...
    Ba,
}

#[derive(Debug)]
struct Family {
    kind: Kind,
    bare: Bare,
}

/// Speech cues and word classes, loaded from `lexicon/cues.tsv`.
#[derive(Debug, Default)]
pub(crate) struct CueTables {
    families: Vec<Family>,
    /// Normalised phrases by their first word, longest first: (words, family).
    phrases: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Normalised content particles (ان، بان).
    intros: Vec<String>,
}

/// Pronoun suffixes a content particle may carry (أنه، إنها، إننا).
const INTRO_SUFFIXES: &[&str] = &["", "ه", "ها", "هم", "هما", "هن", "ني", "نا", "ك", "كم"];

impl CueTables {
    pub fn load(lex: &Lexicon) -> Result<CueTables, LexiconError> {
        let rows = lex.sources.rows::<CueRow>(FILE)?;
        let mut t = CueTables::default();
        for row in rows {
            let kind = Kind::parse(row.kind.trim()).ok_or_else(|| LexiconError::Invalid {
                file: FILE.to_string(),
                message: format!("unknown kind {:?} (lemma {:?})", row.kind, row.lemma),
            })?;
            let bare = match row.bare.as_deref().map(str::trim) {
                None | Some("") | Some("no") => Bare::No,
                Some("yes") => Bare::Object,
                Some("ب") => Bare::Ba,
                Some(other) => {
                    return Err(LexiconError::Invalid {
                        file: FILE.to_string(),
                        message: format!(
                            "bare must be yes, ب or empty, not {other:?} (lemma {:?})",
                            row.lemma
                        ),
                    })
                }
            };
            let fam = t.families.len();
            t.families.push(Family { kind, bare });
            for form in alts(&row.forms) {
                let norm = normalize(form);
                let words: Vec<String> = norm.split(' ').map(str::to_string).collect();
                let Some(first) = words.first().cloned().filter(|w| !w.is_empty()) else {
                    continue;
                };
                if kind == Kind::Intro && words.len() == 1 {
                    t.intros.push(first.clone());
                }
                t.phrases.entry(first).or_default().push((words, fam));
            }
        }
        for v in t.phrases.values_mut() {
            v.sort_by_key(|b| std::cmp::Reverse(b.0.len()));
        }
        Ok(t)
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
            speaker_text: self
                .speaker_text
                .map(|(a, b)| doc.text.surface(doc.span(a, b))),
            cue: doc.text.surface((cs, ce)),
            span: [s, e],
            text: doc.text.surface((s, e)),
            direct: self.direct,
            via: id(self.via),
            cue_span: Some([cs, ce]),
        }
    }
}

/// Finds the reported statements of a document.
pub(crate) fn find_quotes(tables: &CueTables, doc: &Doc, ents: &EntityLayer) -> Vec<QuoteItem> {
    if doc.tokens.is_empty() || tables.families.is_empty() {
        return Vec::new();
    }
    let cx = Ctx::new(tables, doc, ents);
    let (frames, ghosts) = cx.frames();
    let mut items = cx.assemble(frames, &ghosts);
    // «في بيان نشرته على تطبيق تلغرام، قائلة إن …»: a platform carries
    // words, it says none; the speaker is the sentence's first actor (its
    // subject), not one after a preposition, and the platform is the medium
    for q in &mut items {
        let Some(sp) = q.speaker.filter(|&e| ents.entities[e].is_platform) else {
            continue;
        };
        let sent_start = doc
            .sentence_of(q.cue_start)
            .map(|s| doc.sentences[s].start as usize)
            .unwrap_or(0);
        q.speaker = ents
            .mentions
            .iter()
            .filter(|m| m.start >= sent_start && m.end <= q.cue_start)
            .filter(|m| m.kind != MentionKind::Adjective)
            .filter(|m| {
                let t = doc
                    .token_containing(m.start)
                    .unwrap_or_else(|| doc.token_at_or_after(m.start));
                let pre = doc.norm().get(doc.tok_start(t)..m.start).unwrap_or("");
                let after_prep = pre.ends_with('ل')
                    || pre.ends_with('ب')
                    || (t > 0
                        && matches!(doc.tok(t - 1), "علي" | "الي" | "من" | "في" | "عن" | "مع"));
                !after_prep
            })
            .map(|m| m.entity)
            .find(|&e| {
                let x = &ents.entities[e];
                !x.is_platform
                    && matches!(
                        x.typ,
                        EntityType::Person | EntityType::Org | EntityType::Gpe
                    )
            });
        q.via = q.via.or(Some(sp));
    }
    items
}

/// A cue phrase found at a token.
#[derive(Debug, Clone, Copy)]
struct Hit {
    kind: Kind,
    fam: usize,
    /// First token and one past the last.
    first: usize,
    end: usize,
    /// Bytes of proclitics (و، ف) before the cue proper in the first token.
    prefix: usize,
}

/// Who said it, as far as the frame tells.
#[derive(Debug, Clone, Default)]
struct Who {
    entity: Option<usize>,
    text: Option<(usize, usize)>,
    /// The frame names no one: the speaker comes from the context.
    carry: bool,
    /// An unnamed speaker (مصدر دبلوماسي): no entity on purpose.
    unnamed: bool,
    /// A definite head that refers back (المتحدث، الوكالة), without its article.
    refers: Option<String>,
}

/// A frame: a cue with its speaker and where its content starts.
#[derive(Debug, Clone)]
struct Frame {
    kind: Kind,
    /// Cue bytes.
    cue: (usize, usize),
    /// First token of the cue.
    at: usize,
    /// First token of the content.
    content: usize,
    /// A fixed content end (exclusive token), for a source phrase after its clause.
    end: Option<usize>,
    who: Who,
    via: Option<usize>,
    /// The medium relayed the speaker's words (نقل ... عن): the clauses that
    /// continue the statement came through it too.
    relay: bool,
    /// A source phrase after its clause: when quotes of that clause exist it
    /// only names their medium.
    attach: bool,
    /// The content was opened by a particle, a colon or a quotation, not
    /// read off as the verb's object.
    explicit: bool,
}

/// A quote being assembled, with what the carry-over rules need.
#[derive(Debug, Clone)]
struct Draft {
    item: QuoteItem,
    sentence: usize,
    at: usize,
    relay: bool,
    /// Frames of speech verbs and participles outrank source phrases when two overlap.
    rank: u8,
}

struct Ctx<'a> {
    t: &'a CueTables,
    doc: &'a Doc,
    ents: &'a EntityLayer,
    n: usize,
    sent_of: Vec<usize>,
    /// Token range of each sentence.
    sent_tok: Vec<(usize, usize)>,
    /// For a token that opens a quotation, the token that closes it.
    pair_close: Vec<Option<usize>>,
    /// Tokens strictly inside a quotation.
    inside: Vec<bool>,
    /// Per token, its readings (prefix length, suffix length, word) that
    /// start some cue phrase: read once, asked for by every cue test.
    cue_readings: Vec<Vec<(usize, usize, &'a str)>>,
}

fn is_comma(w: &str) -> bool {
    matches!(w, "،" | "," | "؛" | ";")
}

fn is_stop_punct(w: &str) -> bool {
    matches!(w, "." | "!" | "?" | "؟" | "…")
}

impl<'a> Ctx<'a> {
    fn new(t: &'a CueTables, doc: &'a Doc, ents: &'a EntityLayer) -> Ctx<'a> {
        let n = doc.tokens.len();
        let mut sent_of = vec![0; n];
        let mut sent_tok = Vec::with_capacity(doc.sentences.len().max(1));
        for (si, s) in doc.sentences.iter().enumerate() {
            let a = doc.token_at_or_after(s.start as usize);
            let b = doc.token_at_or_after(s.end as usize).max(a);
            for x in sent_of.iter_mut().take(b).skip(a) {
                *x = si;
            }
            sent_tok.push((a, b));
        }
        if sent_tok.is_empty() {
            sent_tok.push((0, n));
        }
        let mut pair_close = vec![None; n];
        let mut inside = vec![false; n];
        for (o, c) in quote_pairs(doc) {
            pair_close[o] = Some(c);
            for x in inside.iter_mut().take(c).skip(o + 1) {
                *x = true;
            }
        }
        let cue_readings = (0..n)
            .map(|i| {
                let mut r = readings(doc.tok(i));
                r.retain(|(_, _, word)| t.phrases.contains_key(*word));
                r
            })
            .collect();
        Ctx {
            t,
            doc,
            ents,
            n,
            sent_of,
            sent_tok,
            pair_close,
            inside,
            cue_readings,
        }
    }

    fn tok(&self, i: usize) -> &'a str {
        self.doc.tok(i)
    }

    fn tstart(&self, i: usize) -> usize {
        self.doc.tok_start(i)
    }

    fn tend(&self, i: usize) -> usize {
        self.doc.tok_end(i)
    }

    fn is_word(&self, i: usize) -> bool {
        self.doc
            .tokens
            .get(i)
            .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
    }

    fn sent_range(&self, i: usize) -> (usize, usize) {
        let s = self.sent_of.get(i).copied().unwrap_or(0);
        self.sent_tok.get(s).copied().unwrap_or((0, self.n))
    }

    /// The longest cue phrase of a wanted kind starting at token `i`.
    fn match_at(&self, i: usize, want: impl Fn(Kind) -> bool) -> Option<Hit> {
        if i >= self.n {
            return None;
        }
        let w = self.tok(i);
        let mut best: Option<Hit> = None;
        for &(prefix, suffix, word) in &self.cue_readings[i] {
            let Some(cands) = self.t.phrases.get(word) else {
                continue;
            };
            for (words, fam) in cands {
                let kind = self.t.families[*fam].kind;
                if !want(kind) {
                    continue;
                }
                let pre = &w[..prefix];
                let prefix_ok = match pre {
                    "" => true,
                    "و" | "ف" => {
                        !matches!(kind, Kind::Intro | Kind::Prep | Kind::Pp | Kind::Connector)
                    }
                    _ => matches!(kind, Kind::Medium | Kind::Source | Kind::Naming),
                };
                if !prefix_ok || (suffix > 0 && !(kind == Kind::Verb && words.len() == 1)) {
                    continue;
                }
                // normalisation writes ة as ه: تابعة is not تابع + ه
                if suffix > 0 && self.ends_in_ta_marbuta(i) {
                    continue;
                }
                let rest_ok = words[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, x)| i + 1 + k < self.n && self.tok(i + 1 + k) == x);
                if rest_ok && best.is_none_or(|b| words.len() > b.end - b.first) {
                    best = Some(Hit {
                        kind,
                        fam: *fam,
                        first: i,
                        end: i + words.len(),
                        prefix,
                    });
                }
            }
        }
        best
    }

    /// The original character behind the last letter of token `i`.
    fn orig_last(&self, i: usize) -> Option<char> {
        let t = self.doc.tokens.get(i)?;
        self.doc.orig_char((t.end as usize).saturating_sub(1))
    }

    fn ends_in_ta_marbuta(&self, i: usize) -> bool {
        self.orig_last(i) == Some('\u{0629}')
    }

    fn is_kind(&self, i: usize, kind: Kind) -> bool {
        self.match_at(i, |k| k == kind).is_some()
    }

    /// Is token `i` the particle that opens a content (إن، أنه، بأنها)?
    fn is_intro(&self, i: usize) -> bool {
        if i >= self.n || self.inside[i] {
            return false;
        }
        let w = self.tok(i);
        let particle = self.t.intros.iter().any(|f| {
            w.strip_prefix(f.as_str())
                .is_some_and(|rest| INTRO_SUFFIXES.contains(&rest))
        });
        // بعد أن، يجب أن: a conjunction, not reported speech
        particle && !(i > 0 && self.is_kind(i - 1, Kind::NonIntro))
    }

    /// `وأن`/`وإن` after a comma: a second content of the same frame.
    fn is_split(&self, i: usize) -> bool {
        let w = self.tok(i);
        w.strip_prefix('و').is_some_and(|rest| {
            self.t.intros.iter().any(|f| {
                rest.strip_prefix(f.as_str())
                    .is_some_and(|r| INTRO_SUFFIXES.contains(&r))
            })
        })
    }

    /// A cue that opens a new clause at `i`: a participle or a verb after a
    /// comma, or a verb with و/ف. A cue word inside a noun phrase (مصدر تابع)
    /// does not.
    fn clause_cue_at(&self, i: usize) -> bool {
        if self.is_kind(i, Kind::Formula) {
            return false;
        }
        let Some(h) = self.match_at(i, |k| {
            matches!(k, Kind::Verb | Kind::Participle | Kind::Relay)
        }) else {
            return false;
        };
        let after_comma =
            i > 0 && (is_comma(self.tok(i - 1)) || self.is_kind(i - 1, Kind::Connector));
        match h.kind {
            Kind::Participle => after_comma,
            _ => after_comma || h.prefix > 0,
        }
    }

    fn is_prep(&self, i: usize) -> bool {
        // normalisation makes the name علي and the preposition على one word;
        // the original spelling tells them apart when the writer kept ى
        i < self.n
            && self.is_kind(i, Kind::Prep)
            && !(self.tok(i) == "علي" && self.orig_last(i) == Some('\u{064A}'))
    }

    /// Is a medium word at `i` (منصة، لإذاعة، قناة ...)?
    fn is_medium(&self, i: usize) -> bool {
        i < self.n && self.is_kind(i, Kind::Medium)
    }

    /// Does the speaker's noun phrase end at token `i`?
    fn ends_np(&self, i: usize) -> bool {
        let w = self.tok(i);
        if is_comma(w) || is_stop_punct(w) || matches!(w, "(" | ":" | "\"" | "ل") {
            return true;
        }
        if self.is_intro(i)
            || self.is_kind(i, Kind::Participle)
            || self.is_kind(i, Kind::Noun)
            || self.is_kind(i, Kind::According)
            || self.clause_cue_at(i)
        {
            return true;
        }
        // لإذاعة، لوكالة: an interview given to a medium
        w.starts_with('ل') && self.is_medium(i)
    }

    fn mentions_in(&self, a: usize, b: usize) -> Vec<&'a Mention> {
        if a >= b {
            return Vec::new();
        }
        let (lo, hi) = (self.tstart(a), self.tend(b - 1));
        self.ents
            .mentions
            .iter()
            .filter(|m| m.start >= lo && m.start < hi)
            .collect()
    }

    fn typ(&self, m: &Mention) -> Option<EntityType> {
        self.ents.entities.get(m.entity).map(|e| e.typ)
    }

    fn is_named_person(&self, m: &Mention) -> bool {
        self.typ(m) == Some(EntityType::Person)
            && matches!(
                m.kind,
                MentionKind::Name | MentionKind::Context | MentionKind::Reference
            )
    }

    /// The token containing normalised byte `b`, or the one after it.
    fn token_of(&self, b: usize) -> usize {
        self.doc
            .token_containing(b)
            .unwrap_or_else(|| self.doc.token_at_or_after(b))
    }

    /// The speaker among the mentions of a noun phrase starting at token
    /// `a`: its first person (the name rather than a title right before it),
    /// else its first organisation or place outside a prepositional phrase
    /// (not السودان in «منسقتها في السودان»), else a country adjective right
    /// after the head (السلطات التركية).
    fn pick(&self, ms: &[&'a Mention], a: usize) -> Option<&'a Mention> {
        if let Some(k) = ms
            .iter()
            .position(|m| self.typ(m) == Some(EntityType::Person))
        {
            let p = ms[k];
            if p.kind == MentionKind::Title {
                if let Some(next) = ms.get(k + 1) {
                    let gap = self
                        .token_of(next.start)
                        .saturating_sub(self.token_of(p.end.saturating_sub(1)));
                    if gap <= 1 && self.is_named_person(next) {
                        return Some(next);
                    }
                }
            }
            return Some(p);
        }
        ms.iter()
            .find(|m| m.kind != MentionKind::Adjective && !self.after_prep_word(m))
            .or_else(|| {
                ms.iter()
                    .find(|m| m.kind == MentionKind::Adjective && self.token_of(m.start) <= a + 1)
            })
            .copied()
    }

    /// Reads the speaker from the noun phrase in tokens `[a, b)`.
    fn analyse_np(&self, mut a: usize, mut b: usize) -> Who {
        while a < b {
            if is_comma(self.tok(a)) || self.tok(a) == "\"" {
                a += 1;
            } else if let Some(adv) = self.match_at(a, |k| k == Kind::Adverb) {
                a = adv.end;
            } else {
                break;
            }
        }
        while b > a && (is_comma(self.tok(b - 1)) || self.tok(b - 1) == "\"" || self.is_prep(b - 1))
        {
            b -= 1;
        }
        // «وشدد في مؤتمر صحفي على أن»: no subject, only circumstances
        if a >= b || self.is_prep(a) || self.is_kind(a, Kind::Pp) {
            return Who {
                carry: true,
                ..Who::default()
            };
        }
        let text = (self.tstart(a), self.tend(b - 1));
        // معاليه، سموه: someone named before
        if b - a == 1 && self.is_kind(a, Kind::Pronoun) {
            return Who {
                text: Some(text),
                carry: true,
                ..Who::default()
            };
        }
        let ms = self.mentions_in(a, b);
        let has_person = ms.iter().any(|m| self.is_named_person(m));
        if !has_person && self.is_kind(a, Kind::Unnamed) {
            return Who {
                text: Some(text),
                unnamed: true,
                ..Who::default()
            };
        }
        if let Some(m) = self.pick(&ms, a) {
            return Who {
                entity: Some(m.entity),
                text: Some((text.0, m.end.max(text.0))),
                ..Who::default()
            };
        }
        // المتحدث، الوكالة: a head that refers back to someone named before
        let first = self.tok(a);
        let first = first
            .strip_prefix('و')
            .filter(|r| r.starts_with("ال"))
            .unwrap_or(first);
        if b - a <= 2 && first.starts_with("ال") && first.chars().count() > 3 {
            return Who {
                text: Some(text),
                carry: true,
                refers: Some(first["ال".len()..].to_string()),
                ..Who::default()
            };
        }
        Who {
            text: Some(text),
            ..Who::default()
        }
    }

    /// A person named in apposition after the noun phrase: «قال مدير المجمع،
    /// الدكتور فلان، إن».
    fn apposition(&self, comma: usize, limit: usize) -> Option<&'a Mention> {
        let a = comma + 1;
        if a >= limit || self.is_kind(a, Kind::Noun) || self.is_prep(a) {
            return None;
        }
        let mut b = a;
        while b < limit && !is_comma(self.tok(b)) && !self.is_intro(b) {
            b += 1;
        }
        if b - a > 7 {
            return None;
        }
        self.mentions_in(a, b)
            .into_iter()
            .find(|m| self.is_named_person(m))
    }

    /// Does a separate preposition stand before the mention (في السودان)?
    fn after_prep_word(&self, m: &Mention) -> bool {
        let i = self.token_of(m.start);
        i > 0 && (self.is_prep(i - 1) || self.is_kind(i - 1, Kind::Pp))
    }

    /// Is the mention in a prepositional phrase (في واشنطن، لبوتين)?
    fn in_pp(&self, m: &Mention) -> bool {
        let i = self.token_of(m.start);
        let tok_start = self.tstart(i);
        if m.start > tok_start {
            let pre = &self.doc.norm()[tok_start..m.start.min(self.tend(i))];
            if pre.contains('ب') || pre.contains('ل') || pre.contains('ك') {
                return true;
            }
        }
        i > 0 && (self.is_prep(i - 1) || self.is_kind(i - 1, Kind::Pp))
    }

    /// The subject named before a verb: «X قال إن», «وكانت القناة قد نقلت».
    fn svo_subject(&self, at: usize) -> Option<&'a Mention> {
        let (s0, _) = self.sent_range(at);
        let mut k = at.checked_sub(1)?;
        if k < s0 {
            return None;
        }
        if self.tok(k) == "قد" {
            k = k.checked_sub(1)?;
        }
        if k < s0 {
            return None;
        }
        let m = self
            .ents
            .mentions
            .iter()
            .rev()
            .find(|m| m.end > self.tstart(k) && m.end <= self.tend(k))?;
        if m.kind == MentionKind::Adjective || self.in_pp(m) {
            return None;
        }
        let first = self.token_of(m.start);
        let clause_start = first <= s0 + 1 || (first > 0 && is_comma(self.tok(first - 1)));
        clause_start.then_some(m)
    }

    /// «غير أن محللين آخرين يرون أن»: an unnamed subject right before the verb.
    fn unnamed_before(&self, at: usize) -> Option<Who> {
        let (s0, _) = self.sent_range(at);
        let mut k = at;
        while k > s0 && at - k < 3 {
            k -= 1;
            if !self.is_word(k) || self.is_prep(k) || self.is_kind(k, Kind::Connector) {
                return None;
            }
            if self.is_kind(k, Kind::Unnamed) {
                return Some(Who {
                    text: Some((self.tstart(k), self.tend(at - 1))),
                    unnamed: true,
                    ..Who::default()
                });
            }
        }
        None
    }

    /// «التقى الوزيرَ الذي قال إن»: the antecedent of a relative pronoun.
    fn relative_antecedent(&self, at: usize) -> Option<&'a Mention> {
        let r = at.checked_sub(1)?;
        if !self.is_kind(r, Kind::Relative) {
            return None;
        }
        let (s0, _) = self.sent_range(at);
        let mut k = r;
        while k > s0 && is_comma(self.tok(k - 1)) {
            k -= 1;
        }
        let lo = self.tstart(k.saturating_sub(6).max(s0));
        self.ents
            .mentions
            .iter()
            .rev()
            .filter(|m| m.end <= self.tstart(k) && m.start >= lo)
            .find(|m| m.kind != MentionKind::Adjective)
    }

    /// The subject of the sentence before token `at`: its first mention that
    /// is not in a prepositional phrase, not an adjective and not quoted.
    fn sentence_subject(&self, at: usize) -> Option<&'a Mention> {
        let (s0, _) = self.sent_range(at);
        let (lo, hi) = (self.tstart(s0), self.tstart(at));
        let k = self.ents.mentions.iter().position(|m| {
            m.start >= lo
                && m.end <= hi
                && m.kind != MentionKind::Adjective
                && !self.inside[self.token_of(m.start)]
                && !self.in_pp(m)
        })?;
        let m = &self.ents.mentions[k];
        // المتحدث باسم الخارجية فلان: the name after the title
        if let Some(next) = self.ents.mentions.get(k + 1).filter(|n| n.end <= hi) {
            let gap = self
                .token_of(next.start)
                .saturating_sub(self.token_of(m.end.saturating_sub(1)));
            if gap <= 1 && self.is_named_person(next) && !self.is_named_person(m) {
                return Some(next);
            }
        }
        Some(m)
    }

    /// The medium named in tokens `[a, b)`: an organisation right after a
    /// medium word (على منصة إكس، لإذاعة «فرانس إنتر»، في تغريدة على تويتر).
    fn via_in(&self, a: usize, b: usize) -> Option<usize> {
        for m in self.mentions_in(a, b) {
            if self.typ(m) != Some(EntityType::Org) {
                continue;
            }
            let i = self.token_of(m.start);
            // the medium word is part of the name (على «منصة إكس»)
            if self.is_medium(i) && i > a && (self.is_prep(i - 1) || self.tok(i - 1) == "ل") {
                return Some(m.entity);
            }
            let mut k = i;
            let mut steps = 0;
            while k > a && steps < 4 {
                k -= 1;
                let w = self.tok(k);
                if w == "\"" {
                    continue;
                }
                steps += 1;
                if w == "ل" || self.is_medium(k) {
                    return Some(m.entity);
                }
                if !(self.is_prep(k) || self.is_kind(k, Kind::Pp)) {
                    break;
                }
            }
        }
        None
    }

    /// Number of word tokens strictly between two tokens.
    fn words_between(&self, a: usize, b: usize) -> usize {
        (a + 1..b).filter(|&k| self.is_word(k)).count()
    }

    /// A short quotation that names a medium or a platform inside a frame
    /// (لـ"السومرية نيوز"، على منصته "تروث سوشيال") rather than quoting words.
    fn quote_is_name(&self, o: usize, c: usize) -> bool {
        let words = self.words_between(o, c);
        if words == 0 || words > 4 {
            return false;
        }
        if o > 0 {
            let before = o - 1;
            if matches!(self.tok(before), "ل" | "الي" | "علي" | "عبر") || self.is_medium(before)
            {
                return true;
            }
        }
        if self.named_by(o) {
            return true;
        }
        let mut k = c + 1;
        let mut steps = 0;
        while k < self.n && steps < 5 {
            let w = self.tok(k);
            if self.is_intro(k) || w == ":" {
                return true;
            }
            if is_stop_punct(w) || w == "\"" {
                return false;
            }
            k += 1;
            steps += 1;
        }
        false
    }

    /// Does a naming noun stand right before the quotation opening at `o`
    /// (عملية «السهم الذهبي»، بعنوان «...»، بمسمى «...»)?
    fn named_by(&self, o: usize) -> bool {
        o > 0 && self.is_kind(o - 1, Kind::Naming)
    }

    /// All frames of the document, in text order, and the subjects of speech
    /// verbs that opened no content (أعلن محافظ البصرة ...، متعهداً بـ«...»):
    /// the participles after them continue their clause.
    fn frames(&self) -> (Vec<Frame>, Vec<(usize, Who)>) {
        let mut out = Vec::new();
        let mut ghosts = Vec::new();
        let mut consumed: HashSet<usize> = HashSet::new();
        let mut i = 0;
        while i < self.n {
            if self.inside[i] || consumed.contains(&i) || !self.is_word(i) {
                i += 1;
                continue;
            }
            // يذكر أن، الجدير بالذكر أن: the narrator speaking
            if let Some(f) = self.match_at(i, |k| k == Kind::Formula) {
                i = f.end;
                continue;
            }
            let Some(h) = self.match_at(i, Kind::is_frame) else {
                i += 1;
                continue;
            };
            let frame = match h.kind {
                Kind::Verb => self.verb_frame(&h),
                Kind::Participle => self.participle_frame(&h),
                Kind::Relay => self.relay_frame(&h, &mut consumed),
                Kind::According => self.according_frame(&h),
                Kind::Saying => self.saying_frame(&h),
                _ => None,
            };
            // «وفق ما أعلنه X»: the verb after ما belongs to the source phrase
            let skip_to = if h.kind == Kind::According {
                self.source_start(&h).0
            } else {
                h.end
            };
            match frame {
                Some(f) => out.push(f),
                None if h.kind == Kind::Verb => {
                    if let Some(who) = self.ghost_subject(&h) {
                        ghosts.push((h.first, who));
                    }
                }
                None => {}
            }
            i = skip_to.max(h.end).max(i + 1);
        }
        (out, ghosts)
    }

    /// The subject right after a speech verb that opened no content: up to a
    /// comma or a preposition, named or not.
    fn ghost_subject(&self, h: &Hit) -> Option<Who> {
        let (_, s_end) = self.sent_range(h.first);
        let mut b = h.end;
        while b < s_end.min(h.end + 8)
            && !self.ends_np(b)
            && !self.is_prep(b)
            && !self.is_kind(b, Kind::Pp)
        {
            b += 1;
        }
        let who = self.analyse_np(h.end, b);
        (!who.carry && (who.entity.is_some() || who.text.is_some())).then_some(who)
    }

    fn cue_bytes(&self, h: &Hit) -> (usize, usize) {
        (self.tstart(h.first) + h.prefix, self.tend(h.end - 1))
    }

    /// Where the content of a frame starts, scanning from token `j`: after
    /// إن/أن or a colon, or at a quotation that is not a name. Returns the
    /// token that ends the frame and the first content token.
    fn find_opening(&self, from: usize, limit: usize) -> Option<(usize, usize)> {
        let mut j = from;
        while j < limit {
            let w = self.tok(j);
            // a participle takes the content over (ورد X على ... قائلاً إن)
            if is_stop_punct(w)
                || self.is_kind(j, Kind::Participle)
                || (j > from && self.clause_cue_at(j))
            {
                return None;
            }
            if w == ":" {
                return Some((j, j + 1));
            }
            if self.is_intro(j) {
                return Some((j, j + 1));
            }
            // «يوضح ما إذا»: a question, not a statement; «، لكن ...»: another clause
            if self.is_kind(j, Kind::Formula)
                || (is_comma(w)
                    && j + 1 < limit
                    && (self.is_kind(j + 1, Kind::Connector) || self.is_kind(j + 1, Kind::Stop)))
            {
                return None;
            }
            if let Some(c) = self.pair_close[j] {
                // a quotation right after the frame; a short one only after بـ
                // (وصفها بـ«...»), since «X» inside an object phrase is a name
                let words = self.words_between(j, c);
                let after_ba = j > 0 && self.tok(j - 1) == "ب";
                let name = self.quote_is_name(j, c) || self.named_by(j);
                if !name && (words >= 3 || (after_ba && words >= 2)) {
                    return Some((j, j));
                }
                j = c + 1;
                continue;
            }
            j += 1;
        }
        None
    }

    /// قال X إن ... / X قال إن ... / أكد X حرص ...
    fn verb_frame(&self, h: &Hit) -> Option<Frame> {
        let fam = &self.t.families[h.fam];
        let (_, s_end) = self.sent_range(h.first);
        let limit = s_end.min(h.end + 30);
        let opening = self.find_opening(h.end, limit);
        let np_limit = opening.map(|o| o.0).unwrap_or(limit);
        let mut b = h.end;
        while b < np_limit {
            // a quoted name inside the frame belongs to it (قال "آل مرعي" في ...)
            if let Some(c) = self.pair_close[b].filter(|&c| c < np_limit) {
                if b == h.end || self.quote_is_name(b, c) {
                    b = c + 1;
                    continue;
                }
            }
            if self.ends_np(b) {
                break;
            }
            b += 1;
        }
        let ba = match fam.bare {
            // بأنه after the object is the particle itself; a ب-phrase wins over
            // a later quotation only (اتهم X بارتكاب «...»)
            Bare::Ba => self
                .ba_start(h.end, limit)
                .filter(|&k| opening.is_none_or(|o| o.0 == o.1 && k < o.0)),
            _ => None,
        };
        let (frame_end, content, who, explicit) = match (ba, opening) {
            (Some(k), _) => {
                let content = if self.tok(k) == "ب"
                    && self.pair_close.get(k + 1).is_some_and(Option::is_some)
                {
                    k + 1
                } else {
                    k
                };
                (k, content, self.subject_after(h, k), false)
            }
            (None, Some((fe, c))) => {
                let who = self.verb_speaker(h, b, fe);
                (fe, c, who, true)
            }
            (None, None) if fam.bare == Bare::Object => {
                let (fe, c, who) = self.bare_object(h, s_end)?;
                (fe, c, who, false)
            }
            (None, None) => return None,
        };
        let via = self.via_in(b, frame_end.max(b));
        Some(Frame {
            kind: Kind::Verb,
            cue: self.cue_bytes(h),
            at: h.first,
            content,
            end: None,
            who,
            via,
            relay: false,
            attach: false,
            explicit,
        })
    }

    /// The first ب-phrase after a cue, before the clause ends: the charge in
    /// «اتهم X بارتكاب ...» or the description in «وصف X بـ«...»».
    fn ba_start(&self, from: usize, limit: usize) -> Option<usize> {
        for k in from..limit {
            let w = self.tok(k);
            if is_stop_punct(w) || self.is_intro(k) || (k > from && self.clause_cue_at(k)) {
                return None;
            }
            if let Some(c) = self.pair_close[k] {
                if k > from && self.tok(k - 1) == "ب" {
                    return Some(k - 1);
                }
                let _ = c;
                continue;
            }
            let covered = self
                .ents
                .mentions
                .iter()
                .any(|m| m.start < self.tend(k) && m.end > self.tstart(k));
            if covered || self.is_kind(k, Kind::Pp) {
                continue;
            }
            if self.is_word(k) && looks_like_ba_masdar(w) {
                return Some(k);
            }
        }
        None
    }

    /// The subject of a verb whose object follows it: the mention right
    /// after the verb (اتهم زيلينسكي موسكو بـ...), else the clause's subject
    /// from the context (واتهمت حكومةَ نتنياهو بـ...: حماس, named before).
    fn subject_after(&self, h: &Hit, end: usize) -> Who {
        let lo = self.tstart(h.end);
        let hi = self.tend(h.end);
        match self.ents.mentions.iter().find(|m| {
            m.start >= lo
                && m.start < hi
                && m.kind != MentionKind::Adjective
                && m.end <= self.tstart(end)
        }) {
            Some(m) => Who {
                entity: Some(m.entity),
                text: Some((lo, m.end.max(lo))),
                ..Who::default()
            },
            None if self.is_kind(h.end, Kind::Unnamed) => self.analyse_np(h.end, end),
            None => Who {
                carry: true,
                ..Who::default()
            },
        }
    }

    /// The speaker of a verb frame whose noun phrase is tokens `[h.end, b)`
    /// and whose frame ends at `fe`.
    fn verb_speaker(&self, h: &Hit, b: usize, fe: usize) -> Who {
        if let Some(m) = self.relative_antecedent(h.first) {
            return Who {
                entity: Some(m.entity),
                text: Some((m.start, m.end)),
                ..Who::default()
            };
        }
        let mut who = self.analyse_np(h.end, b);
        if who.carry && who.refers.is_none() {
            // أما X، الذي ...، فكتب: the topic is the subject
            let (s0, _) = self.sent_range(h.first);
            if self.tok(s0) == "اما" && self.tok(h.first).starts_with('ف') {
                let mut e = s0 + 1;
                while e < h.first && !is_comma(self.tok(e)) {
                    e += 1;
                }
                let topic = self.analyse_np(s0 + 1, e);
                if !topic.carry {
                    return topic;
                }
            }
            if let Some(m) = self.svo_subject(h.first) {
                return Who {
                    entity: Some(m.entity),
                    text: Some((m.start, m.end)),
                    ..Who::default()
                };
            }
            if let Some(unnamed) = self.unnamed_before(h.first) {
                return unnamed;
            }
            return who;
        }
        let np_has_person = who
            .entity
            .and_then(|e| self.ents.entities.get(e))
            .is_some_and(|e| e.typ == EntityType::Person);
        if !np_has_person && !who.unnamed && b < fe && is_comma(self.tok(b)) {
            if let Some(m) = self.apposition(b, fe) {
                who.entity = Some(m.entity);
                who.text = Some((m.start, m.end));
                who.refers = None;
                who.carry = false;
            }
        }
        who
    }

    /// أكد ولي العهد حرص المملكة ...: the subject right after the verb, then
    /// the object as content. Only when the subject is a known entity, so that
    /// the object is not mistaken for it.
    fn bare_object(&self, h: &Hit, s_end: usize) -> Option<(usize, usize, Who)> {
        let lo = self.tstart(h.end);
        let hi = self.tend(h.end);
        let subj = self
            .ents
            .mentions
            .iter()
            .find(|m| m.start >= lo && m.start < hi)?;
        if subj.kind == MentionKind::Adjective {
            return None;
        }
        let mut speaker = subj;
        let mut k = self.token_of(subj.end.saturating_sub(1)) + 1;
        // a name in apposition right after a title: وزير الخارجية فلان
        while let Some(m) = self
            .ents
            .mentions
            .iter()
            .find(|m| m.start >= self.tstart(k) && m.start < self.tend(k))
        {
            if self.typ(m) == Some(EntityType::Person)
                && self.typ(speaker) == Some(EntityType::Person)
            {
                speaker = m;
            }
            k = self.token_of(m.end.saturating_sub(1)) + 1;
        }
        while k < s_end && self.is_kind(k, Kind::Adverb) {
            k += 1;
        }
        // «، الثلاثاء،» «، في بيان،»: parentheticals between subject and object
        while k < s_end && is_comma(self.tok(k)) {
            let mut c = k + 1;
            while c < s_end && c < k + 7 && !is_comma(self.tok(c)) {
                c += 1;
            }
            if c < s_end && is_comma(self.tok(c)) {
                if let Some(m) = self.apposition(k, c + 1) {
                    speaker = m;
                }
                k = c + 1;
            } else {
                break;
            }
        }
        if self.is_prep(k) && self.tok(k) != "ب" {
            k += 1;
        }
        if k >= s_end
            || !(self.is_word(k) || self.pair_close[k].is_some() || self.tok(k) == "ب")
            || self.clause_cue_at(k)
        {
            return None;
        }
        let text = (self.tstart(h.end), speaker.end.max(self.tstart(h.end)));
        Some((
            k,
            k,
            Who {
                entity: Some(speaker.entity),
                text: Some(text),
                ..Who::default()
            },
        ))
    }

    /// ...، مضيفاً أن ... / ...، مشيراً إلى ضبط ...
    fn participle_frame(&self, h: &Hit) -> Option<Frame> {
        let fam = &self.t.families[h.fam];
        let (s0, s_end) = self.sent_range(h.first);
        let after_comma = h.first > s0 && is_comma(self.tok(h.first - 1));
        let mut content = None;
        let mut explicit = true;
        let mut k = h.end;
        while k < s_end.min(h.end + 5) {
            let w = self.tok(k);
            if is_comma(w) || is_stop_punct(w) || self.clause_cue_at(k) {
                break;
            }
            if w == ":" || self.is_intro(k) {
                content = Some(k + 1);
                break;
            }
            if self.pair_close[k].is_some() && (k == h.end || self.is_prep(k - 1)) {
                content = Some(k);
                break;
            }
            k += 1;
        }
        if content.is_none() && fam.bare == Bare::Ba {
            let mut c = h.end;
            while c < s_end.min(h.end + 8) && !is_comma(self.tok(c)) {
                c += 1;
            }
            if let Some(k) = self.ba_start(h.end, c) {
                let pair_next =
                    self.tok(k) == "ب" && self.pair_close.get(k + 1).is_some_and(Option::is_some);
                content = Some(if pair_next { k + 1 } else { k });
                explicit = false;
            }
        }
        if content.is_none() && after_comma && fam.bare == Bare::Object {
            let mut c = h.end;
            if self.is_prep(c) && self.tok(c) != "ب" {
                c += 1;
            }
            if c < s_end && (self.is_word(c) || self.pair_close[c].is_some() || self.tok(c) == "ب")
            {
                content = Some(c);
                explicit = false;
            }
        }
        let content = content?;
        Some(Frame {
            kind: Kind::Participle,
            cue: self.cue_bytes(h),
            at: h.first,
            content,
            end: None,
            who: Who {
                carry: true,
                ..Who::default()
            },
            via: None,
            relay: false,
            attach: false,
            explicit,
        })
    }

    /// نقلت وكالة Y عن X قوله إن ... / نقلت Y عن مصادر أن ...
    fn relay_frame(&self, h: &Hit, consumed: &mut HashSet<usize>) -> Option<Frame> {
        let (_, s_end) = self.sent_range(h.first);
        let mut k = h.end;
        let an = loop {
            if k >= s_end.min(h.end + 12) {
                return None;
            }
            let w = self.tok(k);
            if w == "عن" {
                break k;
            }
            if is_stop_punct(w) || w == ":" || self.is_intro(k) || self.clause_cue_at(k) {
                return None;
            }
            k += 1;
        };
        let via = {
            let ms = self.mentions_in(h.end, an);
            ms.iter()
                .find(|m| self.typ(m) == Some(EntityType::Org))
                .or_else(|| ms.iter().find(|m| m.kind != MentionKind::Adjective))
                .map(|m| m.entity)
                .or_else(|| self.svo_subject(h.first).map(|m| m.entity))
        };
        // the source: up to قوله, the particle, a colon or a quotation
        let mut m = an + 1;
        while m < s_end.min(an + 12) {
            let w = self.tok(m);
            if self.is_kind(m, Kind::Saying)
                || self.is_intro(m)
                || w == ":"
                || self.pair_close[m].is_some()
                || is_comma(w)
                || is_stop_punct(w)
            {
                break;
            }
            m += 1;
        }
        let who = self.analyse_np(an + 1, m);
        let mut cue = self.cue_bytes(h);
        let (content, at) = if m < s_end && self.is_kind(m, Kind::Saying) {
            consumed.insert(m);
            cue = (self.tstart(m), self.tend(m));
            (self.find_opening(m + 1, s_end.min(m + 10))?.1, h.first)
        } else if m < s_end {
            (self.find_opening(m, s_end.min(m + 3))?.1, h.first)
        } else {
            return None;
        };
        Some(Frame {
            kind: Kind::Relay,
            cue,
            at,
            content,
            end: None,
            who,
            via,
            relay: true,
            attach: false,
            explicit: true,
        })
    }

    /// قوله without a relay verb before it (ونسبت الصحيفة إلى الوزير قوله ...).
    fn saying_frame(&self, h: &Hit) -> Option<Frame> {
        let (s0, s_end) = self.sent_range(h.first);
        let content = self.find_opening(h.end, s_end.min(h.end + 10))?.1;
        let mut a = h.first;
        while a > s0 && h.first - a < 8 && !matches!(self.tok(a - 1), "عن" | "الي") {
            a -= 1;
        }
        let who = if a > s0 && matches!(self.tok(a - 1), "عن" | "الي") {
            self.analyse_np(a, h.first)
        } else {
            Who {
                carry: true,
                ..Who::default()
            }
        };
        Some(Frame {
            kind: Kind::Saying,
            cue: self.cue_bytes(h),
            at: h.first,
            content,
            end: None,
            who,
            via: None,
            relay: false,
            attach: false,
            explicit: true,
        })
    }

    /// The first token of the source named by a source phrase, past «ما»,
    /// its verb and «به» (وفق ما أفادت به مصادر ...); and whether ما was there.
    fn source_start(&self, h: &Hit) -> (usize, bool) {
        let (_, s_end) = self.sent_range(h.first);
        let mut a = h.end;
        let mut has_ma = self.tok(h.end - 1) == "ما";
        if !has_ma && a < s_end && self.tok(a) == "ما" {
            a += 1;
            has_ma = true;
        }
        if has_ma {
            if a < s_end && self.mentions_in(a, a + 1).is_empty() {
                a += 1;
            }
            while a < s_end && matches!(self.tok(a), "به" | "بها" | "عنه" | "عنها" | "فيه")
            {
                a += 1;
            }
        }
        (a, has_ma)
    }

    /// وبحسب X، ... / ...، وفق ما نقلت X / ...، بحسب ما أعلنته X
    fn according_frame(&self, h: &Hit) -> Option<Frame> {
        let (s0, s_end) = self.sent_range(h.first);
        let (a, _) = self.source_start(h);
        let mut b = a;
        while b < s_end
            && !is_comma(self.tok(b))
            && !is_stop_punct(self.tok(b))
            && self.tok(b) != ":"
        {
            b += 1;
        }
        if b == a || b - a > 12 {
            return None;
        }
        let mut who = self.analyse_np(a, b);
        // the source must head the phrase: «وفقاً لتوجيهات الحكومة» names none
        let mut f = a;
        while f + 1 < b && matches!(self.tok(f), "اخر" | "احدث") {
            f += 1;
        }
        let report = self.is_kind(f, Kind::Report);
        let any_source = (a..b).any(|k| self.is_kind(k, Kind::Source));
        let named_head = self
            .mentions_in(a, (a + 2).min(b))
            .iter()
            .any(|m| m.kind != MentionKind::Adjective);
        let accepted = who.unnamed
            || named_head
            || self.is_kind(a, Kind::Source)
            || (report && (who.entity.is_some() || any_source));
        if !accepted {
            return None;
        }
        // وفقاً لوزارة ...: the لـ belongs to the phrase, not to the source's name
        if let Some((ts, te)) = who.text {
            let governs_la = matches!(self.tok(h.end - 1), "وفقا" | "طبقا" | "ووفقا");
            if governs_la
                && ts == self.tstart(a)
                && self.tok(a).starts_with('ل')
                && self.tok(a).chars().count() > 2
            {
                who.text = Some((ts + 'ل'.len_utf8(), te));
            }
        }
        // the medium, when the phrase follows quotes of its clause; a source
        // that speaks for itself (بحسب وزارة الصحة) is their speaker, not a medium
        let via = self
            .via_in(a, b)
            .or_else(|| {
                self.mentions_in(a, b)
                    .into_iter()
                    .find(|m| self.typ(m) == Some(EntityType::Org))
                    .map(|m| m.entity)
            })
            .filter(|&v| Some(v) != who.entity);
        let front = h.first == s0;
        let (content, end, attach) = if front {
            if b >= s_end || !is_comma(self.tok(b)) {
                return None;
            }
            (b + 1, None, false)
        } else {
            if h.first < s0 + 3 {
                return None;
            }
            (s0, Some(h.first), true)
        };
        Some(Frame {
            kind: Kind::According,
            cue: self.cue_bytes(h),
            at: h.first,
            content,
            end,
            who,
            via,
            relay: false,
            attach,
            explicit: true,
        })
    }

    /// The end (exclusive token) of a content starting at token `c`, and the
    /// token of a second particle (`، وأن`) that starts another content.
    fn content_end(&self, c: usize, starts: &HashMap<usize, bool>) -> (usize, Option<usize>) {
        let (_, mut hard) = self.sent_range(c);
        let mut k = c;
        while k < hard {
            if let Some(cl) = self.pair_close[k] {
                // a quotation runs on over sentence stops
                if cl >= hard {
                    hard = self.sent_range(cl).1.max(cl + 1);
                }
                // «عزمهما رفع مستوى الشراكة»، واتفقا على …: words that open
                // with a quotation end with it when a new clause follows
                // (not «…»، وأن …, which goes on reporting)
                if k == c
                    && cl + 2 < hard
                    && is_comma(self.tok(cl + 1))
                    && self.tok(cl + 2).starts_with('و')
                    && !self.is_intro(cl + 2)
                    && !self.tok(cl + 2).starts_with("وان")
                {
                    return (cl + 1, None);
                }
                k = cl + 1;
                continue;
            }
            if k > c && self.starts_clause(k, starts) {
                return (k, None);
            }
            if is_comma(self.tok(k)) && k + 1 < hard {
                if self.is_split(k + 1) && self.continuation_is_quoted(k + 1, starts) {
                    return (k, Some(k + 1));
                }
                if self.is_kind(k + 1, Kind::Stop)
                    || self.is_kind(k + 1, Kind::According)
                    || is_circumstantial_participle(self.tok(k + 1))
                {
                    return (k, None);
                }
            }
            k += 1;
        }
        (hard.min(self.n), None)
    }

    /// Does a new clause of the narrator start at `k`, ending the content
    /// before it? A frame or a cue after a comma or a connector does; so does
    /// a frame whose verb stands alone (منشآت قالت إنها ...). A verb with و
    /// and no comma is coordinated inside the reported clause (أنها استدعت
    /// ... وأبلغته).
    fn starts_clause(&self, k: usize, starts: &HashMap<usize, bool>) -> bool {
        let after_comma =
            k > 0 && (is_comma(self.tok(k - 1)) || self.is_kind(k - 1, Kind::Connector));
        if after_comma && (starts.contains_key(&k) || self.clause_cue_at(k)) {
            return true;
        }
        // a verb standing in the reported clause cuts it only when it opens
        // speech of its own (منشآت قالت إنها ...), not with an object
        // (أن الحكومة طالبت الوزارة بزيادة ...)
        // (منشآت قالت إنها ...: the particle's pronoun takes up the noun before);
        // «الحادث يؤكد للجميع أن» is the reported clause's own predicate
        let Some(h) = self.match_at(k, Kind::is_frame) else {
            return false;
        };
        let resumptive = h.end < self.n
            && self.is_intro(h.end)
            && self.t.intros.iter().all(|f| self.tok(h.end) != f.as_str());
        starts.get(&k).is_some_and(|&explicit| explicit)
            && (h.kind != Kind::Verb || (h.prefix == 0 && resumptive))
    }

    /// `، وأن ...` opens a second quote when it brings quoted words of its
    /// own (بلاده «لن تتخلى ...»، وأن الجسر سيستمر «طالما ...»); coordinated
    /// indirect clauses stay one statement.
    fn continuation_is_quoted(&self, k: usize, starts: &HashMap<usize, bool>) -> bool {
        let (e, _) = self.content_end(k + 1, starts);
        (k + 1..e).any(|x| self.tok(x) == "\"")
    }

    /// Trims punctuation and dangling connectors off a content `[c, e)`,
    /// strips the marks of a content that is one whole quotation, and says
    /// whether it quotes words directly.
    fn shape(&self, mut c: usize, mut e: usize) -> Option<(usize, usize, bool)> {
        let trim = |c: &mut usize, e: &mut usize| {
            while *c < *e && (is_comma(self.tok(*c)) || matches!(self.tok(*c), ":" | "-" | "–")) {
                *c += 1;
            }
            while *e > *c {
                let w = self.tok(*e - 1);
                let dangling = is_comma(w)
                    || is_stop_punct(w)
                    || matches!(w, ":" | "-" | "–" | "(")
                    || self.is_kind(*e - 1, Kind::Connector)
                    || self.is_kind(*e - 1, Kind::Relative);
                if !dangling {
                    break;
                }
                *e -= 1;
            }
        };
        trim(&mut c, &mut e);
        // «قال: إن ...»: the particle after a colon
        if c < e && self.is_intro(c) {
            c += 1;
        }
        if c >= e {
            return None;
        }
        let direct = (c..e).any(|k| self.tok(k) == "\"");
        if self.pair_close[c] == Some(e - 1) {
            c += 1;
            e -= 1;
            trim(&mut c, &mut e);
        }
        let words = (c..e).filter(|&k| self.is_word(k)).count();
        (words >= 2).then_some((c, e, direct))
    }

    /// Resolves the carried-over speakers and builds the quotes.
    fn assemble(&self, frames: Vec<Frame>, ghosts: &[(usize, Who)]) -> Vec<QuoteItem> {
        let starts: HashMap<usize, bool> = frames.iter().map(|f| (f.at, f.explicit)).collect();
        let mut ghosts: Vec<(usize, Who)> = ghosts.to_vec();
        let mut drafts: Vec<Draft> = Vec::new();
        for f in &frames {
            let sentence = self.sent_of[f.at];
            // a cue inside an earlier content is part of that statement
            // (أن الحكومة طالبت الوزارة بزيادة ...): not a quote of its own
            let at_b = self.tstart(f.at);
            if drafts
                .iter()
                .any(|d| d.item.start <= at_b && at_b < d.item.end)
            {
                continue;
            }
            if f.attach {
                let earlier: Vec<usize> = (0..drafts.len())
                    .filter(|&d| drafts[d].sentence == sentence && drafts[d].at < f.at)
                    .collect();
                if !earlier.is_empty() {
                    // «...، وفق ما نقلت رويترز»: the source relayed those quotes
                    let source_org = f.who.entity.filter(|&e| {
                        self.ents
                            .entities
                            .get(e)
                            .is_some_and(|x| x.typ == EntityType::Org)
                    });
                    if let Some(v) = f.via.or(source_org) {
                        for d in earlier {
                            if drafts[d].item.via.is_none() {
                                drafts[d].item.via = Some(v);
                            }
                        }
                    }
                    continue;
                }
            }
            let (who, via, relay) = self.resolve(f, &drafts, &ghosts);
            let before = drafts.len();
            let mut c = f.content;
            let mut cue = f.cue;
            loop {
                let (e, split) = match f.end {
                    Some(e) => (e, None),
                    None => self.content_end(c, &starts),
                };
                if let Some((a, b, direct)) = self.shape(c, e) {
                    drafts.push(Draft {
                        item: QuoteItem {
                            start: self.tstart(a),
                            end: self.tend(b - 1),
                            cue_start: cue.0,
                            cue_end: cue.1,
                            speaker: who.entity,
                            speaker_text: who.text,
                            direct,
                            via,
                        },
                        sentence,
                        at: f.at,
                        relay,
                        rank: if f.kind == Kind::According { 1 } else { 2 },
                    });
                }
                match split {
                    Some(k) => {
                        cue = (self.tstart(k), self.tend(k));
                        c = k + 1;
                    }
                    None => break,
                }
            }
            if drafts.len() == before {
                // a frame too short to keep (أجاب ترمب: «لا»، مشيراً ...) still
                // governs the participles after it
                ghosts.push((f.at, who));
                ghosts.sort_by_key(|g| g.0);
            }
        }
        dedup(drafts)
    }

    /// The speaker, medium and relay flag of a frame, taking what the frame
    /// does not name from the context.
    fn resolve(
        &self,
        f: &Frame,
        drafts: &[Draft],
        ghosts: &[(usize, Who)],
    ) -> (Who, Option<usize>, bool) {
        let who = f.who.clone();
        if !who.carry {
            return (who, f.via, f.relay);
        }
        let sentence = self.sent_of[f.at];
        let inherit = |d: &Draft, local: &Who| -> (Who, Option<usize>, bool) {
            let w = Who {
                entity: d.item.speaker,
                text: local.text.or(d.item.speaker_text),
                ..Who::default()
            };
            let via = f.via.or(if d.relay { d.item.via } else { None });
            (w, via, d.relay && f.kind == Kind::Participle)
        };
        if let Some(stem) = &who.refers {
            for d in drafts.iter().rev().take(6) {
                if let Some(e) = d.item.speaker.filter(|&e| self.entity_has(e, stem)) {
                    let mut w = inherit(d, &who);
                    w.0.entity = Some(e);
                    return w;
                }
                if d.item.speaker_text.is_some_and(|(a, b)| {
                    self.doc
                        .norm()
                        .get(a..b)
                        .is_some_and(|s| s.contains(stem.as_str()))
                }) {
                    return inherit(d, &who);
                }
                if let Some(v) = d.item.via.filter(|&v| self.entity_has(v, stem)) {
                    let w = Who {
                        entity: Some(v),
                        text: who.text,
                        ..Who::default()
                    };
                    return (w, f.via, false);
                }
            }
        }
        let earlier = drafts
            .iter()
            .rev()
            .find(|d| d.sentence == sentence && d.at < f.at);
        // a verb inside an earlier content is the reported clause's own
        let inside_content = |at: usize| {
            let b = self.tstart(at);
            drafts.iter().any(|d| d.item.start <= b && b < d.item.end)
        };
        let ghost = ghosts
            .iter()
            .rev()
            .find(|(at, _)| *at < f.at && self.sent_of[*at] == sentence && !inside_content(*at))
            .filter(|(at, _)| earlier.is_none_or(|d| d.at < *at));
        if let Some((_, g)) = ghost {
            let w = Who {
                entity: g.entity,
                text: who.text.or(g.text),
                ..Who::default()
            };
            return (w, f.via, false);
        }
        if let Some(d) = earlier {
            return inherit(d, &who);
        }
        if who.refers.is_none() {
            if let Some(m) = self.sentence_subject(f.at) {
                let w = Who {
                    entity: Some(m.entity),
                    text: Some((m.start, m.end)),
                    ..Who::default()
                };
                return (w, f.via, f.relay);
            }
        }
        if let Some(d) = drafts.last() {
            return inherit(d, &who);
        }
        (who, f.via, f.relay)
    }

    /// Does the entity's name contain this normalised word?
    fn entity_has(&self, e: usize, stem: &str) -> bool {
        self.ents.entities.get(e).is_some_and(|x| {
            normalize(&x.name)
                .split(' ')
                .any(|w| w == stem || w.strip_prefix("ال") == Some(stem))
        })
    }
}

/// «…، مقدّراً عدد …»، «…"، محمّلاً الدولة …»، «…، شاكراً الإمارات»: after
/// a comma, a participle in the accusative (مُفعِّلاً and فاعلاً shapes, with
/// and without و) turns back to the narrator: the reported words end before
/// it, even when it is no speech cue. Adverbs of the same shape are not.
fn is_circumstantial_participle(w: &str) -> bool {
    const ADVERBS: &[&str] = &[
        "مجددا",
        "مؤخرا",
        "موخرا",
        "مسبقا",
        "مطلقا",
        "مثلا",
        "مبكرا",
        "متاخرا",
        "مجانا",
        "مستقبلا",
        "مباشره",
        "حاليا",
        "سابقا",
        "لاحقا",
        "تاليا",
        "ثانيا",
        "ثالثا",
        "رابعا",
        "خامسا",
        "عاجلا",
        "كاملا",
        "دائما",
        "قاطعا",
        "جازما",
    ];
    let w = w
        .strip_prefix('و')
        .filter(|r| r.chars().count() >= 4)
        .unwrap_or(w);
    if !w.ends_with('ا') || ADVERBS.contains(&w) {
        return false;
    }
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    let mufaila = chars[0] == 'م' && n >= 5;
    let faila = n == 5 && chars[1] == 'ا';
    mufaila || faila
}

/// Is this ب + a verbal noun (بالمماطلة، بارتكاب، بتسميم، بمحاولة)? Names
/// that begin with ب (بوتين، بارو، بزشكيان) must not be taken for the charge
/// of «اتهم X بـ...», so only the shapes of verbal nouns pass: the article,
/// the أفعال/افتعال/استفعال patterns (ا…), تفعيل (ت…), مفاعلة (م…), and
/// a few short ones.
fn looks_like_ba_masdar(w: &str) -> bool {
    let Some(rest) = w.strip_prefix('ب') else {
        return false;
    };
    let n = rest.chars().count();
    rest.starts_with("ال")
        || (rest.starts_with('ا') && n >= 5)
        || (rest.starts_with('ت') && n >= 4)
        || (rest.starts_with('م') && n >= 5)
        || matches!(rest, "عدم" | "دعم" | "شن" | "خرق" | "قتل" | "نشر" | "تهديد")
}

/// Drops a quote that repeats most of an earlier one: the same statement
/// found by two frames (a verb and a source phrase).
fn dedup(mut drafts: Vec<Draft>) -> Vec<QuoteItem> {
    drafts.sort_by_key(|d| (d.item.start, std::cmp::Reverse(d.rank)));
    let mut kept: Vec<Draft> = Vec::new();
    for d in drafts {
        let len = d.item.end - d.item.start;
        let clash = kept.iter().position(|k| {
            let ov = d
                .item
                .end
                .min(k.item.end)
                .saturating_sub(d.item.start.max(k.item.start));
            let klen = k.item.end - k.item.start;
            ov * 2 > len.min(klen)
        });
        match clash {
            Some(p) if kept[p].rank < d.rank => kept[p] = d,
            Some(_) => {}
            None => kept.push(d),
        }
    }
    kept.sort_by_key(|d| d.item.start);
    kept.into_iter().map(|d| d.item).collect()
}

/// The readings of a token for cue matching: (proclitic bytes, pronoun
/// suffix bytes, the word in between).
fn readings(w: &str) -> Vec<(usize, usize, &str)> {
    let mut out = vec![(0, 0, w)];
    let long_enough = |s: &str| s.chars().count() >= 2;
    for p in ["و", "ف", "ل", "ب", "لل", "ول", "وب"] {
        if let Some(rest) = w.strip_prefix(p).filter(|r| long_enough(r)) {
            out.push((p.len(), 0, rest));
        }
    }
    let bases: Vec<(usize, &str)> = std::iter::once((0, w))
        .chain(
            ["و", "ف"]
                .iter()
                .filter_map(|p| w.strip_prefix(p).map(|r| (p.len(), r))),
        )
        .collect();
    for (plen, base) in bases {
        for s in ["هما", "هم", "ها", "ه"] {
            if let Some(stem) = base.strip_suffix(s).filter(|r| long_enough(r)) {
                out.push((plen, s.len(), stem));
            }
        }
    }
    out
}

/// Quotation pairs as (opening token, closing token). Guillemets pair by
/// direction; straight and curly marks, which normalisation and careless
/// typing make ambiguous, alternate within a paragraph. Each style pairs on
/// its own track, so «... "..." ...» nests.
fn quote_pairs(doc: &Doc) -> Vec<(usize, usize)> {
    let norm = doc.norm();
    let orig = doc.text.orig();
    let mut pairs = Vec::new();
    let mut open: [Option<usize>; 3] = [None; 3];
    let mut prev_end = 0usize;
    for (i, t) in doc.tokens.iter().enumerate() {
        let (s, e) = (t.start as usize, t.end as usize);
        if norm.get(prev_end..s).is_some_and(|gap| gap.contains('\n')) {
            open = [None; 3];
        }
        prev_end = e;
        if t.text(norm) != "\"" {
            continue;
        }
        let c = orig.get(doc.text.orig_pos(s)).copied().unwrap_or('"');
        let (track, dir) = match c {
            '«' | '‹' => (0, Some(true)),
            '»' | '›' => (0, Some(false)),
            '“' | '”' | '„' | '‟' => (1, None),
            _ => (2, None),
        };
        // a guillemet's direction is only a hint: some copy opens with »
        // (قال:»...»); an opening « while one is open restarts the quotation
        let opens = open[track].is_none() || dir == Some(true);
        if opens {
            open[track] = Some(i);
        } else if let Some(o) = open[track].take() {
            pairs.push((o, i));
        }
    }
    pairs.sort_unstable();
    pairs
}
