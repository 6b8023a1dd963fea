//! The counts layer: killed, wounded, arrested … and money, with ranges.
//!
//! A count is an amount (digits of either script, number words in any gender
//! and case, a mix of both, a range, a vague amount such as عشرات, or a dual
//! noun such as شخصان) followed by the noun it counts. The noun decides what
//! is counted (قتيل → KILL, دولار → MONEY); for nouns that only name people
//! (شخص, مدني, a demonym, متظاهر), the nearest verb or topic noun before the
//! number — else after the noun — decides (اعتقلت 34 متظاهراً → ARREST).
//! A number with no noun is a count only right after such a cue (مقتل 5).
//! Every word comes from `lexicon/numbers.tsv`, `count_nouns.tsv`,
//! `count_cues.tsv`, `count_qualifiers.tsv` and `currencies.tsv`.

use foldhash::{HashMap, HashSet};

use marsad_lexicon::{alts, Lexicon, LexiconError};
use marsad_text::{normalize, Doc, TokenKind};

use crate::record::Count;

#[derive(Debug, serde::Deserialize)]
struct NumRow {
    kind: String,
    words: String,
    min: u64,
    max: u64,
}

#[derive(Debug, serde::Deserialize)]
struct NounRow {
    class: String,
    #[serde(rename = "type")]
    typ: String,
    forms: String,
    #[serde(default)]
    dual: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct CueRow {
    #[serde(rename = "type")]
    typ: String,
    words: String,
}

#[derive(Debug, serde::Deserialize)]
struct CurrencyRow {
    code: String,
    nouns: String,
    #[serde(default)]
    adjectives: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct QualifierRow {
    qualifier: String,
    position: String,
    phrases: String,
}

#[derive(Debug, serde::Deserialize)]
struct CountryRow {
    #[serde(default)]
    adj_ar: Option<String>,
    #[serde(default)]
    demonym_pl_ar: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct WordRow {
    word: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumKind {
    Unit,
    TeenUnit,
    Ten,
    Hundred,
    Fixed,
    Scale,
    ScalePl,
    ScaleAcc,
    Dual,
    Half,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NounClass {
    Outcome,
    Role,
    Person,
    Anaphor,
    Thing,
}

/// Number words and count nouns, loaded from the lexicon.
#[derive(Debug, Default)]
pub(crate) struct CountTables {
    numbers: HashMap<String, (NumKind, u64)>,
    /// Vague amounts (عشرات, عشرات الآلاف): phrase → (min, max).
    vague: HashMap<String, (u64, u64)>,
    /// The first word of every vague phrase of two words or more.
    vague_firsts: HashSet<String>,
    nouns: HashMap<String, (NounClass, &'static str)>,
    duals: HashMap<String, (NounClass, &'static str)>,
    /// Masculine singular demonyms without ال (فلسطيني) and broken plurals (أتراك).
    demonyms: HashSet<String>,
    demonym_plurals: HashSet<String>,
    cues: HashMap<String, &'static str>,
    /// Currency noun form → (adjective forms, code); empty adjectives = the default.
    currencies: HashMap<String, Vec<(Vec<String>, String)>>,
    qual_before: Vec<(Vec<String>, &'static str)>,
    qual_after: Vec<(Vec<String>, &'static str)>,
    function_words: HashSet<String>,
}

fn invalid(file: &str, message: String) -> LexiconError {
    LexiconError::Invalid {
        file: file.to_string(),
        message,
    }
}

fn count_type(s: &str) -> Option<&'static str> {
    Some(match s {
        "KILL" => "KILL",
        "WOUND" => "WOUND",
        "ARREST" => "ARREST",
        "KIDNAP" => "KIDNAP",
        "DISPLACE" => "DISPLACE",
        "PROTEST" => "PROTEST",
        "MONEY" => "MONEY",
        "OTHER" => "OTHER",
        _ => return None,
    })
}

fn qualifier(s: &str) -> Option<&'static str> {
    Some(match s {
        "about" => "about",
        "more_than" => "more_than",
        "less_than" => "less_than",
        "at_least" => "at_least",
        "up_to" => "up_to",
        "vague" => "vague",
        _ => return None,
    })
}

impl CountTables {
    pub fn load(lex: &Lexicon) -> Result<CountTables, LexiconError> {
        let mut t = CountTables::default();
        for r in lex.sources.rows::<NumRow>("numbers.tsv")? {
            let kind = match r.kind.as_str() {
                "unit" => NumKind::Unit,
                "teen_unit" => NumKind::TeenUnit,
                "ten" => NumKind::Ten,
                "hundred" => NumKind::Hundred,
                "n" => NumKind::Fixed,
                "scale" => NumKind::Scale,
                "scale_pl" => NumKind::ScalePl,
                "scale_acc" => NumKind::ScaleAcc,
                "dual" => NumKind::Dual,
                "half" => NumKind::Half,
                "vague" => {
                    for w in alts(&r.words) {
                        let n = normalize(w);
                        if let Some((first, _)) = n.split_once(' ') {
                            t.vague_firsts.insert(first.to_string());
                        }
                        t.vague.insert(n, (r.min, r.max));
                    }
                    continue;
                }
                "ordinal" => continue,
                other => return Err(invalid("numbers.tsv", format!("unknown kind {other:?}"))),
            };
            for w in alts(&r.words) {
                t.numbers.insert(normalize(w), (kind, r.min));
            }
        }
        for r in lex.sources.rows::<NounRow>("count_nouns.tsv")? {
            let class = match r.class.as_str() {
                "outcome" => NounClass::Outcome,
                "role" => NounClass::Role,
                "person" => NounClass::Person,
                "anaphor" => NounClass::Anaphor,
                "thing" => NounClass::Thing,
                other => {
                    return Err(invalid(
                        "count_nouns.tsv",
                        format!("unknown class {other:?}"),
                    ))
                }
            };
            let typ = count_type(&r.typ)
                .ok_or_else(|| invalid("count_nouns.tsv", format!("unknown type {:?}", r.typ)))?;
            for w in alts(&r.forms) {
                t.nouns.entry(normalize(w)).or_insert((class, typ));
            }
            for w in r.dual.as_deref().map(alts).into_iter().flatten() {
                t.duals.entry(normalize(w)).or_insert((class, typ));
            }
        }
        for r in lex.sources.rows::<CueRow>("count_cues.tsv")? {
            let typ = count_type(&r.typ)
                .ok_or_else(|| invalid("count_cues.tsv", format!("unknown type {:?}", r.typ)))?;
            for w in alts(&r.words) {
                t.cues.entry(normalize(w)).or_insert(typ);
            }
        }
        for r in lex.sources.rows::<CurrencyRow>("currencies.tsv")? {
            let adjectives: Vec<String> = r
                .adjectives
                .as_deref()
                .map(alts)
                .into_iter()
                .flatten()
                .map(normalize)
                .collect();
            for w in alts(&r.nouns) {
                t.currencies
                    .entry(normalize(w))
                    .or_default()
                    .push((adjectives.clone(), r.code.clone()));
            }
        }
        for r in lex.sources.rows::<QualifierRow>("count_qualifiers.tsv")? {
            let q = qualifier(&r.qualifier).ok_or_else(|| {
                invalid(
                    "count_qualifiers.tsv",
                    format!("unknown qualifier {:?}", r.qualifier),
                )
            })?;
            for p in alts(&r.phrases) {
                let words: Vec<String> = normalize(p).split(' ').map(str::to_string).collect();
                match r.position.as_str() {
                    "before" => t.qual_before.push((words, q)),
                    "after" => t.qual_after.push((words, q)),
                    other => {
                        return Err(invalid(
                            "count_qualifiers.tsv",
                            format!("unknown position {other:?}"),
                        ))
                    }
                }
            }
        }
        t.qual_before.sort_by_key(|q| std::cmp::Reverse(q.0.len()));
        t.qual_after.sort_by_key(|q| std::cmp::Reverse(q.0.len()));
        for r in lex.sources.rows::<CountryRow>("countries.tsv")? {
            if let Some(adj) = r
                .adj_ar
                .as_deref()
                .map(normalize)
                .filter(|a| !a.contains(' ') && !a.is_empty())
            {
                t.demonyms.insert(adj);
            }
            for p in r.demonym_pl_ar.as_deref().map(alts).into_iter().flatten() {
                t.demonym_plurals.insert(normalize(p));
            }
        }
        t.function_words = lex
            .sources
            .rows::<WordRow>("function_words.tsv")?
            .into_iter()
            .map(|r| normalize(&r.word))
            .collect();
        Ok(t)
    }

    /// The class and type of a counted noun form; `definite` allows ال.
    fn noun(&self, w: &str, definite: bool) -> Option<(NounClass, &'static str)> {
        let w = if definite {
            w.strip_prefix("ال").unwrap_or(w)
        } else {
            w
        };
        if let Some(&n) = self.nouns.get(w) {
            return Some(n);
        }
        if let Some(&n) = w.strip_suffix('ا').and_then(|b| self.nouns.get(b)) {
            return Some(n);
        }
        if self.demonym_plurals.contains(w) {
            return Some((NounClass::Person, "OTHER"));
        }
        for suffix in ["", "ا", "ين", "ون", "ه", "ات"] {
            if let Some(base) = w.strip_suffix(suffix) {
                if self.demonyms.contains(base) {
                    return Some((NounClass::Person, "OTHER"));
                }
            }
        }
        None
    }

    /// The type a cue word gives, with its proclitics and pronoun suffix taken off.
    fn cue(&self, w: &str) -> Option<&'static str> {
        for form in clitic_forms(w) {
            if let Some(&t) = self.cues.get(form.as_str()) {
                return Some(t);
            }
            for suffix in ["هما", "هم", "ها", "ه"] {
                if let Some(b) = form.strip_suffix(suffix) {
                    if b.chars().count() >= 3 {
                        if let Some(&t) = self.cues.get(b) {
                            return Some(t);
                        }
                    }
                }
            }
        }
        None
    }
}

/// A word and its readings without a conjunction or preposition proclitic.
fn clitic_forms(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    for (p, repl) in [
        ("وبال", "ال"),
        ("ولل", "ال"),
        ("فلل", "ال"),
        ("لل", "ال"),
        ("وب", ""),
        ("ول", ""),
        ("فب", ""),
        ("فل", ""),
        ("و", ""),
        ("ف", ""),
        ("ب", ""),
        ("ل", ""),
    ] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                out.push(format!("{repl}{rest}"));
            }
        }
    }
    out
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

/// A parsed number: its value, the token after it, and whether a scale word
/// (ألف, مليون) multiplied it, with the last scale's factor.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    next: usize,
    scale: f64,
}

/// One part of a word number (خمسة, عشرون, ثلاثمئة) with its order of magnitude.
#[derive(Debug, Clone, Copy)]
struct Small {
    value: f64,
    next: usize,
    kind: NumKind,
}

/// An amount before its noun.
#[derive(Debug, Clone, Copy)]
struct Amount {
    start_tok: usize,
    /// Where the amount's surface starts (after a proclitic on its first word).
    start_byte: usize,
    /// The first word carried a proclitic: never a bare count.
    prefixed: bool,
    next: usize,
    min: u64,
    max: u64,
    vague: bool,
    /// The amount is a dual noun (شخصان): the noun is the amount's own token.
    dual: Option<(NounClass, &'static str)>,
}

/// What the amount counts.
#[derive(Debug, Clone)]
enum Counted {
    People(NounClass, &'static str),
    Money(Option<String>),
    Nothing,
}

struct Scanner<'a> {
    t: &'a CountTables,
    doc: &'a Doc,
    n: usize,
}

/// Parses digits with thousands separators or a decimal point (14,000; 2.5;
/// 1.200.000) into a value; None for dates (20.8.2025) and other shapes.
fn parse_digits(s: &str) -> Option<f64> {
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let groups_of_three = |sep: char| s.split(sep).skip(1).all(|g| g.len() == 3);
    let cleaned: String = match (commas, dots) {
        (0, 0) => s.to_string(),
        (0, 1) => s.to_string(),
        (0, _) if groups_of_three('.') => s.replace('.', ""),
        (_, 0) if groups_of_three(',') => s.replace(',', ""),
        (1, 0) => s.replace(',', "."),
        (_, 1) if s.find(',') < s.find('.') => s.replace(',', ""),
        _ => return None,
    };
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl<'a> Scanner<'a> {
    fn tok(&self, i: usize) -> &'a str {
        self.doc.tok(i)
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.doc.tokens.get(i).map(|t| t.kind)
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    fn start(&self, i: usize) -> usize {
        self.doc.tok_start(i)
    }

    fn end(&self, i: usize) -> usize {
        self.doc.tok_end(i)
    }

    /// Token range of the sentence holding token `i`.
    fn sentence_tokens(&self, i: usize) -> (usize, usize) {
        match self
            .doc
            .sentence_of(self.start(i))
            .and_then(|s| self.doc.sentences.get(s))
        {
            Some(s) => (
                self.doc.token_at_or_after(s.start as usize),
                self.doc.token_at_or_after(s.end as usize),
            ),
            None => (i, i + 1),
        }
    }

    /// A number word at `i` once the proclitic `pre` (و، ب، ل … or none) is taken off.
    fn num_word(&self, i: usize, pre: &str) -> Option<(NumKind, u64)> {
        if !self.is_word(i) {
            return None;
        }
        let w = self.tok(i);
        self.t.numbers.get(w.strip_prefix(pre)?).copied()
    }

    /// One small part at `i`: digits, or a word number below 1000 with its
    /// و-joined parts (مئة وخمسة وعشرون).
    fn small(&self, i: usize, pre: &str) -> Option<Small> {
        if pre.is_empty() && self.kind(i) == Some(TokenKind::Number) {
            // 5ر3: the Egyptian decimal comma written ر, fraction first
            if self.tok(i + 1) == "ر"
                && self.kind(i + 2) == Some(TokenKind::Number)
                && self.end(i) == self.start(i + 1)
                && self.end(i + 1) == self.start(i + 2)
            {
                let value = format!("{}.{}", self.tok(i + 2), self.tok(i))
                    .parse::<f64>()
                    .ok()?;
                return Some(Small {
                    value,
                    next: i + 3,
                    kind: NumKind::Fixed,
                });
            }
            // 1،2 مليون: the Arabic comma as a decimal point before a scale word
            let touching = |a: usize, b: usize| self.end(a) == self.start(b);
            if self.tok(i + 1) == "،"
                && self.kind(i + 2) == Some(TokenKind::Number)
                && (1..=2).contains(&self.tok(i + 2).len())
                && touching(i, i + 1)
                && touching(i + 1, i + 2)
                && self.scale_at(i + 3).is_some()
            {
                let value = format!("{}.{}", self.tok(i), self.tok(i + 2))
                    .parse::<f64>()
                    .ok()?;
                return Some(Small {
                    value,
                    next: i + 3,
                    kind: NumKind::Fixed,
                });
            }
            // 164،781،745: the Arabic comma as a thousands separator
            let mut digits = self.tok(i).to_string();
            let mut k = i;
            if digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
                loop {
                    let group = self.tok(k + 2);
                    let joined = self.tok(k + 1) == "،"
                        && self.kind(k + 2) == Some(TokenKind::Number)
                        && group.len() == 3
                        && group.bytes().all(|b| b.is_ascii_digit())
                        && self.end(k) == self.start(k + 1)
                        && self.end(k + 1) == self.start(k + 2);
                    if !joined {
                        break;
                    }
                    digits.push_str(group);
                    k += 2;
                }
            }
            let value = parse_digits(&digits)?;
            return Some(Small {
                value,
                next: k + 1,
                kind: NumKind::Fixed,
            });
        }
        // (300) ألف: digits in brackets before a scale word
        if pre.is_empty()
            && self.tok(i) == "("
            && self.kind(i + 1) == Some(TokenKind::Number)
            && self.tok(i + 2) == ")"
            && self.scale_at(i + 3).is_some()
        {
            return Some(Small {
                value: parse_digits(self.tok(i + 1))?,
                next: i + 3,
                kind: NumKind::Fixed,
            });
        }
        let mut cur = self.small_word(i, pre)?;
        loop {
            // the next part, joined by و (as a prefix or a word of its own)
            let part = if self.tok(cur.next) == "و" {
                self.small_word(cur.next + 1, "")
            } else {
                self.small_word(cur.next, "و")
            };
            let Some(p) = part else { break };
            let magnitude = match cur.kind {
                NumKind::Hundred | NumKind::Fixed => 100.0,
                NumKind::Ten => 10.0,
                _ => 1.0,
            };
            let unit_then_ten =
                cur.kind == NumKind::Unit && p.kind == NumKind::Ten && p.value >= 20.0;
            if p.value < magnitude || unit_then_ten {
                cur = Small {
                    value: cur.value + p.value,
                    next: p.next,
                    kind: p.kind,
                };
            } else {
                break;
            }
        }
        Some(cur)
    }

    /// A single word number below 1000 at `i` (ثلاثة، خمسة عشر، ثلاث مئة، مئتان).
    fn small_word(&self, i: usize, pre: &str) -> Option<Small> {
        let (kind, v) = self.num_word(i, pre)?;
        let teen = |k: usize| matches!(self.tok(k), "عشر" | "عشره");
        let out = |value: u64, next: usize, kind: NumKind| Small {
            value: value as f64,
            next,
            kind,
        };
        match kind {
            NumKind::Unit if teen(i + 1) => Some(out(v + 10, i + 2, NumKind::Ten)),
            NumKind::Unit
                if v >= 3
                    && self
                        .num_word(i + 1, "")
                        .is_some_and(|(k, _)| k == NumKind::Hundred) =>
            {
                Some(out(v * 100, i + 2, NumKind::Hundred))
            }
            NumKind::Unit => Some(out(v, i + 1, NumKind::Unit)),
            NumKind::TeenUnit if teen(i + 1) => Some(out(v + 10, i + 2, NumKind::Ten)),
            NumKind::Ten | NumKind::Hundred | NumKind::Fixed => Some(out(v, i + 1, kind)),
            _ => None,
        }
    }

    /// A scale word at `i`: (its factor, whether it is the plural form).
    fn scale_at(&self, i: usize) -> Option<f64> {
        match self.num_word(i, "")? {
            (NumKind::Scale | NumKind::ScalePl | NumKind::ScaleAcc, s) => Some(s as f64),
            _ => None,
        }
    }

    /// A group: a small number times a scale (14 ألف، ثلاثة آلاف، 2.5 مليار), or
    /// a scale word alone (ألف، مليون، ألفي، المليون، نصف مليون).
    fn group(&self, i: usize, pre: &str, first: bool) -> Option<Num> {
        if let Some(s) = self.small(i, pre) {
            if let Some(f) = self.scale_at(s.next) {
                return Some(Num {
                    value: s.value * f,
                    next: s.next + 1,
                    scale: f,
                });
            }
            return Some(Num {
                value: s.value,
                next: s.next,
                scale: 1.0,
            });
        }
        // نصف مليون
        if let Some((NumKind::Half, _)) = self.num_word(i, pre) {
            let f = self.scale_at(i + 1)?;
            return Some(Num {
                value: f / 2.0,
                next: i + 2,
                scale: f,
            });
        }
        let w = self.tok(i);
        let w = w.strip_prefix(pre)?;
        // المليون ومئتا ألف: a leading scale word may carry the article
        let w = if first {
            w.strip_prefix("ال")
                .filter(|r| r.chars().count() >= 3)
                .unwrap_or(w)
        } else {
            w
        };
        if !self.is_word(i) {
            return None;
        }
        match self.t.numbers.get(w).copied()? {
            (NumKind::Scale, s) => Some(Num {
                value: s as f64,
                next: i + 1,
                scale: s as f64,
            }),
            // ألفا جندي, with no number before it: the dual construct
            (NumKind::ScaleAcc, s) => Some(Num {
                value: 2.0 * s as f64,
                next: i + 1,
                scale: s as f64,
            }),
            (NumKind::Dual, v) => Some(Num {
                value: v as f64,
                next: i + 1,
                scale: v as f64 / 2.0,
            }),
            _ => None,
        }
    }

    /// A whole number: groups joined by و while each is below the previous
    /// one's scale (مليون ومئتا ألف، ثلاثة آلاف وخمسمئة).
    fn number(&self, i: usize) -> Option<Num> {
        self.number_pre(i, "")
    }

    fn number_pre(&self, i: usize, pre: &str) -> Option<Num> {
        let mut total = self.group(i, pre, true)?;
        let mut last_scale = total.scale;
        loop {
            let g = if self.tok(total.next) == "و" {
                self.group(total.next + 1, "", false)
            } else {
                self.group(total.next, "و", false)
            };
            match g {
                Some(g) if last_scale > 1.0 && g.value < last_scale => {
                    total = Num {
                        value: total.value + g.value,
                        next: g.next,
                        scale: total.scale,
                    };
                    last_scale = g.scale;
                }
                _ => break,
            }
        }
        Some(total)
    }

    /// An amount at `i`: a number or a range (4 و5 آلاف، بين 10 و15، 10 إلى 15),
    /// a vague amount (عشرات، عشرات الآلاف، العشرات), or a dual noun (شخصان).
    /// The first word may carry a proclitic (وأربع نساء، لنصف مليون، بعشرات).
    fn amount(&self, i: usize) -> Option<Amount> {
        const PRE: &[&str] = &["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"];
        for pre in PRE {
            if !(pre.is_empty() || self.is_word(i) && self.tok(i).starts_with(pre)) {
                continue;
            }
            if let Some(a) = self.amount_pre(i, pre) {
                return Some(a);
            }
        }
        None
    }

    fn amount_pre(&self, i: usize, pre: &str) -> Option<Amount> {
        // the middle of 164،781،745 is not a number of its own
        if i >= 2
            && self.kind(i) == Some(TokenKind::Number)
            && self.tok(i - 1) == "،"
            && self.kind(i - 2) == Some(TokenKind::Number)
            && self.end(i - 2) == self.start(i - 1)
            && self.end(i - 1) == self.start(i)
        {
            return None;
        }
        let start_byte = self.start(i) + pre.len();
        let prefixed = !pre.is_empty();
        if let Some(a) = self.number_pre(i, pre) {
            let mut min = a.value;
            let mut max = a.value;
            let mut next = a.next;
            let conn = self.tok(a.next);
            let joined_word = self.is_word(a.next) && conn.starts_with('و') && conn != "و";
            let b = match conn {
                "و" | "او" | "الي" | "حتي" | "-" | "–" => self.number(a.next + 1),
                _ if joined_word => self.group(a.next, "و", false),
                _ => None,
            };
            if let Some(b) = b {
                let lo = if a.scale <= 1.0 && b.scale > 1.0 && a.value < b.scale {
                    a.value * b.scale
                } else {
                    a.value
                };
                if lo < b.value {
                    min = lo;
                    max = b.value;
                    next = b.next;
                }
            }
            if !(min >= 1.0 && max < 1e15) {
                return None;
            }
            return Some(Amount {
                start_tok: i,
                start_byte,
                prefixed,
                next,
                min: min.round() as u64,
                max: max.round() as u64,
                vague: false,
                dual: None,
            });
        }
        if !self.is_word(i) {
            return None;
        }
        let w = self.tok(i).strip_prefix(pre)?;
        let bare = w
            .strip_prefix("ال")
            .filter(|r| r.chars().count() >= 3)
            .unwrap_or(w);
        let make = |next: usize, min: u64, max: u64, vague: bool, dual| Amount {
            start_tok: i,
            start_byte,
            prefixed,
            next,
            min,
            max,
            vague,
            dual,
        };
        if self.is_word(i + 1) && self.t.vague_firsts.contains(bare) {
            let two = format!("{bare} {}", self.tok(i + 1));
            if let Some(&(lo, hi)) = self.t.vague.get(&two) {
                return Some(make(i + 2, lo, hi, true, None));
            }
        }
        if let Some(&(lo, hi)) = self.t.vague.get(bare) {
            return Some(make(i + 1, lo, hi, true, None));
        }
        if let Some(&d) = self.t.duals.get(w) {
            return Some(make(i + 1, 2, 2, false, Some(d)));
        }
        None
    }

    /// The noun the amount counts, and the token after it.
    fn counted(&self, a: &Amount) -> (Counted, usize) {
        if let Some((class, typ)) = a.dual {
            return (Counted::People(class, typ), a.next);
        }
        let j = a.next;
        if !self.is_word(j) {
            return (Counted::Nothing, j);
        }
        let w = self.tok(j);
        // a vague amount takes a definite noun in construct (عشرات القتلى)
        if let Some(c) = self.currency(j, a.vague) {
            return c;
        }
        if let Some((class, typ)) = self.t.noun(w, a.vague) {
            return (Counted::People(class, typ), j + 1);
        }
        // 17 من الفلسطينيين، سبعة من عناصر التنظيم
        if w == "من" && self.is_word(j + 1) {
            if let Some(c) = self.currency(j + 1, true) {
                return c;
            }
            if let Some((class, typ)) = self.t.noun(self.tok(j + 1), true) {
                return (Counted::People(class, typ), j + 2);
            }
            // 104 من الانقلابيين قتلوا: an unlisted group, counted when a cue types it
            if self.tok(j + 1).starts_with("ال") && self.tok(j + 1).chars().count() >= 5 {
                return (Counted::People(NounClass::Anaphor, "OTHER"), j + 2);
            }
        }
        (Counted::Nothing, j)
    }

    /// A currency noun at `j` with the adjective that names its country.
    fn currency(&self, j: usize, definite: bool) -> Option<(Counted, usize)> {
        let w = self.tok(j);
        let w = if definite {
            w.strip_prefix("ال").unwrap_or(w)
        } else {
            w
        };
        let rows = self
            .t
            .currencies
            .get(w)
            .or_else(|| w.strip_suffix('ا').and_then(|b| self.t.currencies.get(b)))?;
        // the adjective: one or two words, masculine, feminine or accusative
        let adj_matches = |adj: &str| -> Option<usize> {
            let parts: Vec<&str> = adj.split(' ').collect();
            for (k, p) in parts.iter().enumerate() {
                let tok = self.tok(j + 1 + k);
                let tok = if definite {
                    tok.strip_prefix("ال").unwrap_or(tok)
                } else {
                    tok
                };
                let ok = [p.to_string(), format!("{p}ه"), format!("{p}ا")]
                    .iter()
                    .any(|f| f == tok);
                if !ok || !self.is_word(j + 1 + k) {
                    return None;
                }
            }
            Some(parts.len())
        };
        let mut best: Option<(usize, &str)> = None;
        for (adjs, code) in rows {
            for adj in adjs {
                if let Some(len) = adj_matches(adj) {
                    if best.is_none_or(|(l, _)| len > l) {
                        best = Some((len, code));
                    }
                }
            }
        }
        if let Some((len, code)) = best {
            return Some((Counted::Money(Some(code.to_string())), j + 1 + len));
        }
        let default = rows
            .iter()
            .find(|(adjs, _)| adjs.is_empty())
            .map(|(_, c)| c.clone());
        Some((Counted::Money(default), j + 1))
    }

    /// A qualifier phrase ending right before token `i`: (qualifier, its first token).
    fn qualifier_before(&self, i: usize) -> Option<(&'static str, usize)> {
        // الـ48: the article written apart before digits
        let i = if i > 0 && self.tok(i - 1) == "ال" {
            i - 1
        } else {
            i
        };
        for (words, q) in &self.t.qual_before {
            let n = words.len();
            if i < n {
                continue;
            }
            let s = i - n;
            let ok = words.iter().enumerate().all(|(k, w)| {
                let tok = self.tok(s + k);
                self.is_word(s + k)
                    && (tok == w
                        || (k == 0
                            && ["ب", "و", "وب", "ف", "فب", "ل"]
                                .iter()
                                .any(|p| tok.strip_prefix(p) == Some(w.as_str()))))
            });
            if ok {
                return Some((q, s));
            }
        }
        None
    }

    fn qualifier_after(&self, j: usize) -> Option<(&'static str, usize)> {
        for (words, q) in &self.t.qual_after {
            let ok = words
                .iter()
                .enumerate()
                .all(|(k, w)| self.is_word(j + k) && self.tok(j + k) == w);
            if ok {
                return Some((q, j + words.len()));
            }
        }
        None
    }

    /// The nearest cue: first before `before` (up to 8 tokens back), then after
    /// `after` (up to 5 tokens on), inside the sentence.
    fn local_cue(&self, before: usize, after: usize) -> Option<&'static str> {
        let (s, e) = self.sentence_tokens(before);
        let mut seen = 0;
        let mut k = before;
        while k > s && seen < 8 {
            k -= 1;
            if self.kind(k) == Some(TokenKind::Punct) {
                continue;
            }
            seen += 1;
            if let Some(c) = self.cue_at(k) {
                return Some(c);
            }
        }
        let mut seen = 0;
        let mut k = after;
        while k < e.min(self.n) && seen < 5 {
            if self.kind(k) != Some(TokenKind::Punct) {
                seen += 1;
                if let Some(c) = self.cue_at(k) {
                    return Some(c);
                }
            }
            k += 1;
        }
        None
    }

    /// The nearest cue earlier in the sentence, up to 14 tokens back: a topic
    /// named before the figure (عدد النازحين … بلغ المليون شخص).
    fn sentence_cue(&self, before: usize) -> Option<&'static str> {
        let (s, _) = self.sentence_tokens(before);
        let mut seen = 0;
        let mut k = before;
        while k > s && seen < 14 {
            k -= 1;
            if self.kind(k) == Some(TokenKind::Punct) {
                continue;
            }
            seen += 1;
            if let Some(c) = self.cue_at(k) {
                return Some(c);
            }
        }
        None
    }

    fn cue_at(&self, k: usize) -> Option<&'static str> {
        if !self.is_word(k) {
            return None;
        }
        if self.is_word(k + 1) {
            if let Some(&c) = self
                .t
                .cues
                .get(&format!("{} {}", self.tok(k), self.tok(k + 1)))
            {
                return Some(c);
            }
        }
        self.t.cue(self.tok(k))
    }

    /// A number with no noun is a count only right after a cue (مقتل 5،
    /// ارتفع عدد القتلى إلى 50) and before a pause or a function word.
    fn bare_cue(&self, a: &Amount, qual_start: usize) -> Option<&'static str> {
        if a.dual.is_some() || a.prefixed {
            return None;
        }
        let next = a.next;
        // words that may follow a bare number: causes, times, lists
        const PAUSE: &[&str] = &[
            "اثر",
            "جراء",
            "بسبب",
            "عقب",
            "اثناء",
            "وسط",
            "بينهم",
            "منهم",
            "امس",
            "اليوم",
            "حسب",
            "بحسب",
            "وفق",
            "اخرون",
            "اخرين",
        ];
        // العشرات، المئات: a definite vague amount after its cue needs no noun
        let definite_vague = a.vague && self.tok(a.start_tok).starts_with("ال");
        match self.kind(next) {
            _ if definite_vague => {}
            None => {}
            Some(TokenKind::Punct) => {
                if matches!(self.tok(next), "%" | "٪" | ":" | "/" | "-") {
                    return None;
                }
            }
            Some(TokenKind::Number) => return None,
            Some(TokenKind::Word) => {
                let w = self.tok(next);
                let ok = clitic_forms(w).iter().any(|f| {
                    self.t.function_words.contains(f.as_str())
                        || self.t.cue(f).is_some()
                        || PAUSE.contains(&f.as_str())
                });
                // 50 في المئة, 50 بالمئة: a percentage
                let percent = |x: &str| x.ends_with("مئه") || x.ends_with("مائه");
                if !ok || percent(w) || (w == "في" && percent(self.tok(next + 1))) {
                    return None;
                }
            }
        }
        let prev = qual_start.checked_sub(1)?;
        if let Some(c) = self.cue_at(prev) {
            return Some(c);
        }
        if matches!(self.tok(prev), "الي" | "بلغ" | "بلغت" | "ب") {
            return prev.checked_sub(1).and_then(|p| self.cue_at(p));
        }
        None
    }
}

pub(crate) fn find_counts(tables: &CountTables, doc: &Doc) -> Vec<CountItem> {
    let sc = Scanner {
        t: tables,
        doc,
        n: doc.tokens.len(),
    };
    let mut out = Vec::new();
    // the last count's end token and type: a list that goes on from it
    // (93 قتيلاً بينهم 24 طفلاً و10 نساء) counts the same thing
    let mut last: Option<(usize, &'static str)> = None;
    let mut i = 0;
    while i < sc.n {
        let Some(a) = sc.amount(i) else {
            i += 1;
            continue;
        };
        let (counted, noun_end) = sc.counted(&a);
        let (qual, qual_start) = match sc.qualifier_before(a.start_tok) {
            Some((q, s)) => (Some(q), s),
            None => (None, a.start_tok),
        };
        let (qual, after_end) = match sc.qualifier_after(noun_end) {
            Some((q, e)) if qual.is_none() => (Some(q), e),
            _ => (qual, noun_end),
        };
        let qual = if a.vague { Some("vague") } else { qual };
        let inherited = last.and_then(|(end, t)| {
            let gap_ok = end <= qual_start
                && qual_start - end <= 3
                && (end..qual_start).all(|k| {
                    matches!(
                        sc.tok(k),
                        "،" | ","
                            | "بينهم"
                            | "منهم"
                            | "بينهن"
                            | "منهن"
                            | "من"
                            | "و"
                            | "وبينهم"
                            | "ومنهم"
                    )
                });
            (gap_ok && !matches!(t, "MONEY" | "OTHER")).then_some(t)
        });
        let (typ, unit) = match counted {
            Counted::Money(code) => ("MONEY", code),
            Counted::People(class, own) => {
                let typ = match class {
                    NounClass::Outcome => Some(own),
                    NounClass::Role => Some(
                        inherited
                            .or_else(|| sc.local_cue(qual_start, after_end))
                            .unwrap_or(own),
                    ),
                    NounClass::Person => {
                        let cue = inherited.or_else(|| sc.local_cue(qual_start, after_end));
                        // a dual person noun alone (الرجلان) is rarely a count
                        if a.dual.is_some() {
                            cue
                        } else {
                            Some(
                                cue.or_else(|| sc.sentence_cue(qual_start))
                                    .unwrap_or("OTHER"),
                            )
                        }
                    }
                    NounClass::Anaphor => inherited.or_else(|| sc.local_cue(qual_start, after_end)),
                    NounClass::Thing => Some("OTHER"),
                };
                match typ {
                    Some(t) => (t, None),
                    None => {
                        i = a.next.max(i + 1);
                        continue;
                    }
                }
            }
            Counted::Nothing => match sc.bare_cue(&a, qual_start) {
                Some(t) => (t, None),
                None => {
                    i = a.next.max(i + 1);
                    continue;
                }
            },
        };
        let end_tok = noun_end.max(a.next);
        last = Some((after_end.max(end_tok), typ));
        out.push(CountItem {
            start: a.start_byte,
            end: sc.end(end_tok - 1),
            typ,
            min: a.min,
            max: a.max,
            qualifier: qual,
            unit,
        });
        i = end_tok.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_digits;

    #[test]
    fn digits() {
        assert_eq!(parse_digits("14,000"), Some(14000.0));
        assert_eq!(parse_digits("2.5"), Some(2.5));
        assert_eq!(parse_digits("1.200.000"), Some(1_200_000.0));
        assert_eq!(parse_digits("1,234.5"), Some(1234.5));
        assert_eq!(parse_digits("2,5"), Some(2.5));
        assert_eq!(parse_digits("20.8.2025"), None);
    }
}
