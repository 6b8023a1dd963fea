//! The times layer: time expressions resolved against the publication date.
//!
//! The layer walks the tokens of the normalised text once and, at each token,
//! tries the expression shapes from the most specific to the least: vague
//! phrases, numeric dates, period edges (مطلع العام الجاري), day words and
//! weekdays (أمس الثلاثاء، فجر الجمعة), day-month dates (١٨ مارس الماضي), month
//! names (يناير الماضي), relative periods (الأسبوع الماضي) and years (عام 2019).
//! Every word it knows comes from `lexicon/time/*.tsv` and `lexicon/numbers.tsv`.
//!
//! Year-less dates take the year that puts them nearest the publication date,
//! a future candidate counting double: news reports mostly look back, so "في
//! يناير" written in August is the past January, while "في سبتمبر" written in
//! August is the coming one. الماضي/المقبل/الجاري, a preceding منذ and a future
//! marker in the clause (سـ verbs, من المقرر) override that.

use std::cell::RefCell;

use foldhash::{HashMap, HashMapExt, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use icu_calendar::cal::Hijri;
use icu_calendar::{Date, Iso};
use marsad_lexicon::{alts, Lexicon, LexiconError};
use marsad_text::{normalize, Doc, TokenKind};

use crate::record::TimeExpr;

#[derive(Debug, serde::Deserialize)]
struct MonthRow {
    month: u32,
    names: String,
    #[serde(default)]
    needs_context: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct HijriRow {
    month: u32,
    names: String,
}

#[derive(Debug, serde::Deserialize)]
struct WeekdayRow {
    weekday: u32,
    names: String,
}

#[derive(Debug, serde::Deserialize)]
struct RelRow {
    kind: String,
    words: String,
    #[serde(default)]
    value: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct NumRow {
    kind: String,
    words: String,
    min: u64,
}

#[derive(Debug, serde::Deserialize)]
struct NounRow {
    forms: String,
    #[serde(default)]
    dual: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Week,
    Month,
    Year,
}

/// What a known word or phrase is, for the time grammar.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tag {
    /// Gregorian month 1–12; true when the name is also an ordinary word.
    Month(u32, bool),
    Hijri(u32),
    Weekday(Weekday),
    Day(i64),
    Part,
    Unit(Unit),
    Direction(i32),
    This,
    Edge(u8),
    Vague,
    Trigger,
    YearWord,
    MonthWord,
    GregSuffix,
    HijriSuffix,
    Future,
    NotBefore,
    NotToday,
    NotTodayBefore,
    NotWeekday,
    Title,
    Ordinal(u32),
}

/// Month, weekday and relative-period words, loaded from `lexicon/time/`.
#[derive(Debug, Default)]
pub(crate) struct TimeTables {
    /// Normalised phrase (words joined by one space) → what it can be.
    phrases: HashMap<String, Vec<Tag>>,
    max_words: usize,
    /// The first word of every phrase: a token whose readings are none of
    /// these starts no phrase (checked before any key is built).
    first_words: HashSet<String>,
    /// Forms of nouns a number counts: a year-like number before one is a count.
    count_nouns: HashSet<String>,
}

fn weekday_of(n: u32) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

fn invalid(file: &str, message: String) -> LexiconError {
    LexiconError::Invalid {
        file: file.to_string(),
        message,
    }
}

impl TimeTables {
    pub fn load(lex: &Lexicon) -> Result<TimeTables, LexiconError> {
        let mut t = TimeTables::default();
        for r in lex.sources.rows::<MonthRow>("time/months.tsv")? {
            if !(1..=12).contains(&r.month) {
                return Err(invalid(
                    "time/months.tsv",
                    format!("month {} out of range", r.month),
                ));
            }
            let ambiguous = r
                .needs_context
                .as_deref()
                .is_some_and(|s| s.trim() == "yes");
            for w in alts(&r.names) {
                t.add(w, Tag::Month(r.month, ambiguous));
            }
        }
        for r in lex.sources.rows::<HijriRow>("time/hijri_months.tsv")? {
            if !(1..=12).contains(&r.month) {
                return Err(invalid(
                    "time/hijri_months.tsv",
                    format!("month {} out of range", r.month),
                ));
            }
            for w in alts(&r.names) {
                t.add(w, Tag::Hijri(r.month));
            }
        }
        for r in lex.sources.rows::<WeekdayRow>("time/weekdays.tsv")? {
            let wd = weekday_of(r.weekday).ok_or_else(|| {
                invalid(
                    "time/weekdays.tsv",
                    format!("weekday {} is not 1–7", r.weekday),
                )
            })?;
            for w in alts(&r.names) {
                t.add(w, Tag::Weekday(wd));
            }
        }
        for r in lex.sources.rows::<RelRow>("time/relative.tsv")? {
            let value = r.value.as_deref().unwrap_or("").trim().to_string();
            let num = || {
                value.trim_start_matches('+').parse::<i64>().map_err(|_| {
                    invalid(
                        "time/relative.tsv",
                        format!("{}: value {value:?} is not a number", r.kind),
                    )
                })
            };
            let tag = match r.kind.as_str() {
                "day" => Tag::Day(num()?),
                "part" => Tag::Part,
                "unit" => Tag::Unit(match value.as_str() {
                    "week" => Unit::Week,
                    "month" => Unit::Month,
                    "year" => Unit::Year,
                    other => {
                        return Err(invalid(
                            "time/relative.tsv",
                            format!("unknown unit {other:?}"),
                        ))
                    }
                }),
                "direction" => Tag::Direction(num()? as i32),
                "this" => Tag::This,
                "edge" => Tag::Edge(num()?.clamp(1, 29) as u8),
                "vague" => Tag::Vague,
                "trigger" => Tag::Trigger,
                "year_word" => Tag::YearWord,
                "month_word" => Tag::MonthWord,
                "greg_suffix" => Tag::GregSuffix,
                "hijri_suffix" => Tag::HijriSuffix,
                "future" => Tag::Future,
                "not_before" => Tag::NotBefore,
                "not_today" => Tag::NotToday,
                "not_today_before" => Tag::NotTodayBefore,
                "not_weekday" => Tag::NotWeekday,
                "title" => Tag::Title,
                other => {
                    return Err(invalid(
                        "time/relative.tsv",
                        format!("unknown kind {other:?}"),
                    ))
                }
            };
            for w in alts(&r.words) {
                t.add(w, tag);
            }
        }
        for r in lex.sources.rows::<NumRow>("numbers.tsv")? {
            if r.kind == "ordinal" {
                for w in alts(&r.words) {
                    t.add(w, Tag::Ordinal(r.min as u32));
                }
            }
        }
        for r in lex.sources.rows::<NounRow>("count_nouns.tsv")? {
            for w in alts(&r.forms).chain(r.dual.as_deref().map(alts).into_iter().flatten()) {
                let n = normalize(w);
                t.count_nouns.insert(format!("{n}ا"));
                t.count_nouns.insert(n);
            }
        }
        Ok(t)
    }

    fn add(&mut self, phrase: &str, tag: Tag) {
        let n = normalize(phrase);
        if n.is_empty() {
            return;
        }
        self.max_words = self.max_words.max(n.split(' ').count());
        if let Some(w) = n.split(' ').next() {
            self.first_words.insert(w.to_string());
        }
        let tags = self.phrases.entry(n).or_default();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
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
        let (s, mut e) = doc.span(self.start, self.end);
        // هـ: the tatweel that writes the Hijri mark belongs to it, though the
        // normalised copy drops it; one before a letter joins a clitic instead
        let orig = doc.text.orig();
        if orig.get(e) == Some(&'\u{0640}') && !orig.get(e + 1).is_some_and(|c| c.is_alphabetic()) {
            e += 1;
        }
        TimeExpr {
            span: [s, e],
            text: doc.text.surface((s, e)),
            value: self.value.clone(),
            granularity: self.granularity.to_string(),
        }
    }
}

/// Proclitics that may stand before the first word of a time expression:
/// (prefix, what replaces it). لل is لـ + الـ with the alif dropped.
const CLITICS: &[(&str, &str)] = &[
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
];

/// A matched phrase: its tag, where its surface starts (after any proclitic),
/// and the token after it.
#[derive(Debug, Clone, Copy)]
struct Hit {
    tag: Tag,
    start: usize,
    next: usize,
}

fn value_day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn value_month(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn value_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Converts a Umm al-Qura Hijri date to the Gregorian calendar.
fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let m = u8::try_from(month).ok()?;
    let d = u8::try_from(day).ok()?;
    let h = Date::try_new_hijri_with_calendar(year, m, d, Hijri::new_umm_al_qura()).ok()?;
    let g = h.to_calendar(Iso);
    NaiveDate::from_ymd_opt(
        g.year().extended_year(),
        u32::from(g.month().ordinal),
        u32::from(g.day_of_month().0),
    )
}

/// The Umm al-Qura Hijri year a Gregorian date falls in.
fn hijri_year_of(d: NaiveDate) -> Option<i32> {
    let iso = Date::try_new_iso(
        d.year(),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()?;
    Some(
        iso.to_calendar(Hijri::new_umm_al_qura())
            .year()
            .extended_year(),
    )
}

/// Which way a year-less date leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lean {
    /// الماضي: strictly before the publication date (or month).
    Past,
    /// المقبل: strictly after.
    Next,
    /// منذ: on or before.
    Back,
    /// a future marker in the clause: on or after.
    Ahead,
    /// nothing said: nearest, a future candidate counting double.
    Neutral,
}

/// Picks among candidate dates (ordered by time) the one the lean selects.
fn choose(cands: &[NaiveDate], pub_date: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    match lean {
        Lean::Past => cands.iter().rev().find(|&&d| d < pub_date).copied(),
        Lean::Back => cands.iter().rev().find(|&&d| d <= pub_date).copied(),
        Lean::Next => cands.iter().find(|&&d| d > pub_date).copied(),
        Lean::Ahead => cands.iter().find(|&&d| d >= pub_date).copied(),
        Lean::Neutral => cands
            .iter()
            .min_by_key(|&&d| {
                let diff = (d - pub_date).num_days();
                if diff > 0 {
                    2 * diff
                } else {
                    -diff
                }
            })
            .copied(),
    }
}

/// How the year of a month or date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearSpec {
    None,
    /// Written out.
    Abs(i32),
    /// من العام الماضي: relative to the publication year.
    Rel(i32),
    /// الماضي / الجاري / المقبل after the month.
    Dir(i32),
}

/// A month name with what follows it: the expression's token range and year.
#[derive(Debug, Clone, Copy)]
struct MonthExpr {
    month: u32,
    hijri: bool,
    /// The month name is also an ordinary word.
    ambiguous: bool,
    /// A year, a direction or a second month name stands with it.
    anchored: bool,
    year: YearSpec,
    start: usize,
    next: usize,
}

struct Parser<'a> {
    t: &'a TimeTables,
    doc: &'a Doc,
    pub_date: Option<NaiveDate>,
    n: usize,
    /// Per token: could it start a phrase (with or without a proclitic)?
    /// A cheap first test for `phrase`, which runs many times per token.
    may_start: Vec<bool>,
    /// Every phrase starting at a token (longest first), found once: the
    /// sub-parsers ask the same token for different tags many times.
    phrase_hits: RefCell<HashMap<(usize, bool), Vec<Hit>>>,
    /// The year and month of the last dated expression: «من الشهر ذاته»
    /// refers back to it.
    last_month: std::cell::Cell<Option<(i32, u32)>>,
}

type Parsed = Option<(Vec<TimeItem>, usize)>;

impl<'a> Parser<'a> {
    fn tok(&self, i: usize) -> &'a str {
        self.doc.tok(i)
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.doc.tokens.get(i).map(|t| t.kind)
    }

    fn start(&self, i: usize) -> usize {
        self.doc.tok_start(i)
    }

    fn end(&self, i: usize) -> usize {
        self.doc.tok_end(i)
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    /// Do tokens `a` and `b` touch with nothing but spaces between them on one line?
    fn adjacent(&self, a: usize, b: usize) -> bool {
        let gap = &self.doc.norm()[self.end(a).min(self.start(b))..self.start(b)];
        !gap.contains('\n')
    }

    /// The longest known phrase starting at token `i` whose tag satisfies `want`.
    /// With `clitic`, the first word may carry a proclitic (و، ف، ب، ل، لل).
    fn phrase(&self, i: usize, clitic: bool, want: impl Fn(Tag) -> bool) -> Option<Hit> {
        if !self.may_start.get(i).copied().unwrap_or(false) || !self.is_word(i) {
            return None;
        }
        let mut cache = self.phrase_hits.borrow_mut();
        let hits = cache
            .entry((i, clitic))
            .or_insert_with(|| self.phrases_at(i, clitic));
        hits.iter().find(|h| want(h.tag)).copied()
    }

    /// All known phrases starting at token `i`, in the order `phrase` prefers
    /// them: longest first, the bare word before its clitic readings, each
    /// phrase's tags in table order.
    fn phrases_at(&self, i: usize, clitic: bool) -> Vec<Hit> {
        let mut out = Vec::new();
        let first = self.tok(i);
        // only readings that start some phrase (most tokens start none: no allocation)
        let mut firsts: Vec<(usize, String)> = Vec::new();
        if self.t.first_words.contains(first) {
            firsts.push((0, first.to_string()));
        }
        if clitic {
            for (p, repl) in CLITICS {
                if let Some(rest) = first.strip_prefix(p) {
                    if rest.chars().count() >= 2 {
                        // لل keeps its second lam as the article's: the span starts there
                        let skip = if repl.is_empty() {
                            p.len()
                        } else {
                            p.len() - 'ل'.len_utf8()
                        };
                        let starts = if repl.is_empty() {
                            self.t.first_words.contains(rest)
                        } else {
                            self.t.first_words.contains(&format!("{repl}{rest}"))
                        };
                        if starts {
                            firsts.push((skip, format!("{repl}{rest}")));
                        }
                    }
                }
            }
        }
        if firsts.is_empty() {
            return out;
        }
        let mut key = String::new();
        for len in (1..=self.t.max_words).rev() {
            if i + len > self.n || !(i..i + len).all(|k| self.is_word(k)) {
                continue;
            }
            if !(i..i + len - 1).all(|k| self.adjacent(k, k + 1)) {
                continue;
            }
            for (skip, f) in &firsts {
                // the words joined by one space, in one reused buffer
                key.clear();
                key.push_str(f);
                for k in i + 1..i + len {
                    key.push(' ');
                    key.push_str(self.tok(k));
                }
                if let Some(tags) = self.t.phrases.get(key.as_str()) {
                    out.extend(tags.iter().map(|&tag| Hit {
                        tag,
                        start: self.start(i) + skip,
                        next: i + len,
                    }));
                }
            }
        }
        out
    }

    /// Is the word token `i` (with its proclitic taken off) one of `want`?
    fn word_is(&self, i: usize, want: impl Fn(Tag) -> bool) -> bool {
        self.phrase(i, true, &want).is_some_and(|h| h.next == i + 1)
    }

    /// The value of a plain digits token.
    fn int(&self, i: usize) -> Option<u32> {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let s = self.tok(i);
        if s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }

    fn is_punct(&self, i: usize, c: &str) -> bool {
        self.kind(i) == Some(TokenKind::Punct) && self.tok(i) == c
    }

    /// The same sentence as token `i`: its token range.
    fn sentence_tokens(&self, i: usize) -> (usize, usize) {
        let b = self.start(i);
        match self
            .doc
            .sentence_of(b)
            .and_then(|s| self.doc.sentences.get(s))
        {
            Some(s) => (
                self.doc.token_at_or_after(s.start as usize),
                self.doc.token_at_or_after(s.end as usize),
            ),
            None => (i, i + 1),
        }
    }

    /// Does the clause around tokens `a..b` speak of the future (سيزور, من المقرر)?
    /// Only words before the expression count: a future verb after it usually
    /// belongs to reported speech (قال الخميس إن تركيا ستتخذ …).
    fn future_context(&self, a: usize) -> bool {
        let (s, _) = self.sentence_tokens(a);
        let lo = a.saturating_sub(8).max(s);
        (lo..a).any(|k| {
            self.is_word(k)
                && (self.word_is(k, |t| t == Tag::Future) || is_future_verb(self.tok(k)))
        })
    }

    /// Was token `i` preceded by منذ (so the date lies back from the publication)?
    fn since_before(&self, i: usize) -> bool {
        i > 0 && {
            let w = self.tok(i - 1);
            w == "منذ" || w == "ومنذ"
        }
    }

    fn lean_for(&self, a: usize) -> Lean {
        if self.since_before(a) {
            Lean::Back
        } else if self.future_context(a) {
            Lean::Ahead
        } else {
            Lean::Neutral
        }
    }

    fn item(
        &self,
        start: usize,
        end_tok: usize,
        value: Option<String>,
        granularity: &'static str,
    ) -> TimeItem {
        TimeItem {
            start,
            end: self.end(end_tok.saturating_sub(1)).max(start),
            value,
            granularity,
        }
    }

    // ---- the shapes -------------------------------------------------------

    fn parse_at(&self, i: usize) -> Parsed {
        self.vague(i)
            .or_else(|| self.numeric_date(i))
            .or_else(|| self.edge(i))
            .or_else(|| self.day_word(i))
            .or_else(|| self.weekday(i))
            .or_else(|| self.dated(i))
            .or_else(|| self.month_alone(i))
            .or_else(|| {
                self.relative_period(i, false)
                    .map(|(v, g, s, n)| (vec![self.item(s, n, v, g)], n))
            })
            .or_else(|| self.year(i))
    }

    fn vague(&self, i: usize) -> Parsed {
        let h = self.phrase(i, true, |t| t == Tag::Vague)?;
        // قريباً من: "close to", not "soon"
        if h.next == i + 1 && self.tok(h.next) == "من" {
            return None;
        }
        Some((vec![self.item(h.start, h.next, None, "vague")], h.next))
    }

    /// 20/8/2025, 2025/8/20, 20-8-2025, 20.8.2025 (day first when ambiguous),
    /// and the same with a Hijri year (1446/5/10 هـ).
    fn numeric_date(&self, i: usize) -> Parsed {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let (parts, next): (Vec<u32>, usize) = {
            let s = self.tok(i);
            if s.contains('.') {
                let p: Vec<&str> = s.split('.').collect();
                if p.len() != 3
                    || p.iter()
                        .any(|x| x.is_empty() || x.len() > 4 || x.contains(','))
                {
                    return None;
                }
                (p.iter().filter_map(|x| x.parse().ok()).collect(), i + 1)
            } else {
                let sep = self.tok(i + 1);
                if !(sep == "/" || sep == "-") || !self.is_punct(i + 3, sep) {
                    return None;
                }
                // with "-" the parts must touch: "10 - 15" is a range, not a date
                if sep == "-"
                    && (self.end(i) != self.start(i + 1) || self.end(i + 3) != self.start(i + 4))
                {
                    return None;
                }
                if !self.adjacent(i, i + 4) {
                    return None;
                }
                let (a, b, c) = (self.int(i)?, self.int(i + 2)?, self.int(i + 4)?);
                (vec![a, b, c], i + 5)
            }
        };
        let widths: Vec<usize> = if self.tok(i).contains('.') {
            self.tok(i).split('.').map(str::len).collect()
        } else {
            vec![
                self.tok(i).len(),
                self.tok(i + 2).len(),
                self.tok(i + 4).len(),
            ]
        };
        let [p0, p1, p2] = parts[..] else {
            return None;
        };
        let [w0, _, w2] = widths[..] else {
            return None;
        };
        let (y, m, d) = if w0 == 4 {
            (p0, p1, p2)
        } else if w2 == 4 {
            // day first; a second part over 12 can only be the day
            if p1 > 12 && p0 <= 12 {
                (p2, p0, p1)
            } else {
                (p2, p1, p0)
            }
        } else {
            return None;
        };
        let mut next = next;
        let hijri_mark = self.is_word(next) && self.word_is(next, |t| t == Tag::HijriSuffix);
        let date = if (1300..=1600).contains(&y) {
            if hijri_mark {
                next += 1;
            }
            hijri_to_gregorian(y as i32, m, d)?
        } else if (1900..=2100).contains(&y) {
            if self.is_word(next) && self.word_is(next, |t| t == Tag::GregSuffix) {
                next += 1;
            }
            NaiveDate::from_ymd_opt(y as i32, m, d)?
        } else {
            return None;
        };
        Some((
            vec![self.item(self.start(i), next, Some(value_day(date)), "day")],
            next,
        ))
    }

    /// مطلع/منتصف/نهاية + a month, a relative period or a year: the period's value.
    fn edge(&self, i: usize) -> Parsed {
        let h = self.phrase(i, true, |t| matches!(t, Tag::Edge(_)))?;
        let Tag::Edge(day) = h.tag else { return None };
        let mut j = h.next;
        if self.word_is(j, |t| t == Tag::MonthWord) {
            j += 1;
        }
        if let Some(m) = self.month_expr(j) {
            let (v, g) = self.resolve_month(&m, Some(u32::from(day)), self.lean_for(i));
            return Some((vec![self.item(h.start, m.next, v, g)], m.next));
        }
        if let Some((v, g, _, n)) = self.relative_period(j, true) {
            return Some((vec![self.item(h.start, n, v, g)], n));
        }
        if let Some(y) = self.year_number(j) {
            let n = self.after_greg_suffix(j + 1);
            return Some((
                vec![self.item(h.start, n, Some(format!("{y:04}")), "year")],
                n,
            ));
        }
        if self.word_is(j, |t| t == Tag::YearWord) {
            if let Some(y) = self.year_number(j + 1) {
                let n = self.after_greg_suffix(j + 2);
                return Some((
                    vec![self.item(h.start, n, Some(format!("{y:04}")), "year")],
                    n,
                ));
            }
        }
        None
    }

    fn after_greg_suffix(&self, j: usize) -> usize {
        if self.is_word(j) && self.adjacent(j - 1, j) && self.word_is(j, |t| t == Tag::GregSuffix) {
            j + 1
        } else {
            j
        }
    }

    /// A four-digit Gregorian year 1900–2100 at token `j`.
    fn year_number(&self, j: usize) -> Option<i32> {
        let s = self.tok(j);
        if s.len() != 4 {
            return None;
        }
        self.int(j)
            .filter(|y| (1900..=2100).contains(y))
            .map(|y| y as i32)
    }

    /// الأسبوع الماضي، الشهر الجاري، هذا العام; with `bare`, also a period with
    /// no direction (after an edge: مطلع الأسبوع = this week).
    /// Returns (value, granularity, start byte, next token).
    fn relative_period(
        &self,
        i: usize,
        bare: bool,
    ) -> Option<(Option<String>, &'static str, usize, usize)> {
        let (start, unit_hit, offset, next) =
            if let Some(this) = self.phrase(i, true, |t| t == Tag::This) {
                let u = self.phrase(this.next, false, |t| matches!(t, Tag::Unit(_)))?;
                (this.start, u, 0, u.next)
            } else {
                let u = self.phrase(i, true, |t| matches!(t, Tag::Unit(_)))?;
                match self.phrase(u.next, false, |t| matches!(t, Tag::Direction(_))) {
                    Some(Hit {
                        tag: Tag::Direction(d),
                        next,
                        ..
                    }) => (u.start, u, d, next),
                    _ if bare => (u.start, u, 0, u.next),
                    _ => return None,
                }
            };
        let Tag::Unit(unit) = unit_hit.tag else {
            return None;
        };
        let value = self.pub_date.and_then(|p| match unit {
            Unit::Week => p
                .checked_add_signed(Duration::days(7 * i64::from(offset)))
                .map(value_week),
            Unit::Month => {
                let idx = p.year() * 12 + p.month0() as i32 + offset;
                Some(value_month(
                    idx.div_euclid(12),
                    idx.rem_euclid(12) as u32 + 1,
                ))
            }
            Unit::Year => Some(format!("{:04}", p.year() + offset)),
        });
        let g = match unit {
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        Some((value, g, start, next))
    }

    /// Day words (اليوم، أمس، غداً، الليلة الماضية), optionally after a part of the
    /// day and before the weekday they name (فجر اليوم الجمعة، أمس الثلاثاء); and a
    /// part of the day before a weekday (مساء السبت، صباح يوم الخميس).
    fn day_word(&self, i: usize) -> Parsed {
        let part = self.phrase(i, true, |t| t == Tag::Part);
        let (start, j) = match part {
            Some(p) => (p.start, p.next),
            None => (usize::MAX, i),
        };
        if let Some(d) = self.phrase(j, part.is_none(), |t| matches!(t, Tag::Day(_))) {
            let Tag::Day(off) = d.tag else { return None };
            let start = start.min(d.start);
            // اليوم الوطني, صباح اليوم التالي, ذلك اليوم: a named or narrated day, not today
            let last = d.next - 1;
            if self.tok(last).ends_with("اليوم") || self.tok(last).ends_with("الليله") {
                if self.is_word(d.next)
                    && self.adjacent(last, d.next)
                    && self.word_is(d.next, |t| t == Tag::NotToday)
                {
                    return None;
                }
                let first = if part.is_some() { i } else { j };
                if first > 0
                    && self.is_word(first - 1)
                    && self.word_is(first - 1, |t| t == Tag::NotTodayBefore)
                {
                    return None;
                }
                // المصري اليوم، قناة روسيا اليوم: the end of a title
                let title_ends_here = (last.saturating_sub(3)..last).any(|k| {
                    self.phrase(k, true, |t| t == Tag::Title)
                        .is_some_and(|h| h.next == d.next)
                });
                if title_ends_here {
                    return None;
                }
                // «اليوم»: a title (the newspaper), not the day
                if first > 0 && self.is_punct(first - 1, "\"") && self.is_punct(d.next, "\"") {
                    return None;
                }
            }
            let mut next = d.next;
            let weekday = |t: Tag| matches!(t, Tag::Weekday(_));
            if let Some(w) = self.phrase(next, false, weekday) {
                if self.adjacent(next - 1, next) {
                    next = w.next;
                }
            } else if self.is_punct(next, "(") {
                // اليوم (السبت)
                if let Some(w) = self.phrase(next + 1, false, weekday) {
                    if self.is_punct(w.next, ")") {
                        next = w.next + 1;
                    }
                }
            }
            let value = self
                .pub_date
                .and_then(|p| p.checked_add_signed(Duration::days(off)))
                .map(value_day);
            return Some((vec![self.item(start, next, value, "day")], next));
        }
        let p = part?;
        let mut k = p.next;
        if self.tok(k) == "يوم" {
            k += 1;
        }
        let (w, next, lean) = self.weekday_core(k)?;
        Some((
            vec![self.item(p.start, next, self.weekday_value_at(w, lean, next), "day")],
            next,
        ))
    }

    fn weekday(&self, i: usize) -> Parsed {
        let (w, next, lean) = self.weekday_core(i)?;
        let h = self.phrase(i, true, |t| matches!(t, Tag::Weekday(_)))?;
        Some((
            vec![self.item(h.start, next, self.weekday_value_at(w, lean, next), "day")],
            next,
        ))
    }

    /// A weekday's value; when a full date of that weekday follows it (الاثنين 20
    /// يوليو 2015، الثلاثاء 26/10/1436هـ), the weekday is that date.
    fn weekday_value_at(&self, w: Weekday, lean: Lean, next: usize) -> Option<String> {
        let mut k = next;
        while k < next + 2 && matches!(self.tok(k), "(" | ")" | "\"" | "," | "،") {
            k += 1;
        }
        let explicit = self
            .dated(k)
            .or_else(|| self.numeric_date(k))
            .and_then(|(items, _)| items.into_iter().next())
            .filter(|it| it.granularity == "day")
            .and_then(|it| it.value)
            .filter(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok_and(|d| d.weekday() == w));
        explicit.or_else(|| self.weekday_value(w, lean))
    }

    /// A weekday at `i` with its direction: (weekday, next token, lean).
    fn weekday_core(&self, i: usize) -> Option<(Weekday, usize, Lean)> {
        let h = self.phrase(i, true, |t| matches!(t, Tag::Weekday(_)))?;
        let Tag::Weekday(w) = h.tag else { return None };
        // بين الاثنين "between the two", الأحد عشر "the eleven"
        if i > 0 && self.is_word(i - 1) && self.word_is(i - 1, |t| t == Tag::NotWeekday) {
            return None;
        }
        if matches!(
            self.tok(h.next),
            "عشر" | "عشره" | "معا" | "منهما" | "منهم" | "الاخرين"
        ) {
            return None;
        }
        if let Some(d) = self.phrase(h.next, false, |t| matches!(t, Tag::Direction(_))) {
            if let Tag::Direction(dir) = d.tag {
                let lean = match dir {
                    1 => Lean::Next,
                    -1 => Lean::Past,
                    _ => Lean::Back,
                };
                return Some((w, d.next, lean));
            }
        }
        let lean = if self.future_context(i) {
            Lean::Ahead
        } else {
            Lean::Back
        };
        Some((w, h.next, lean))
    }

    fn weekday_value(&self, w: Weekday, lean: Lean) -> Option<String> {
        let p = self.pub_date?;
        let pw = i64::from(p.weekday().num_days_from_monday());
        let tw = i64::from(w.num_days_from_monday());
        let back = (pw - tw).rem_euclid(7);
        let fwd = (tw - pw).rem_euclid(7);
        let off = match lean {
            Lean::Past => -(if back == 0 { 7 } else { back }),
            Lean::Next => {
                if fwd == 0 {
                    7
                } else {
                    fwd
                }
            }
            Lean::Ahead => fwd,
            Lean::Back | Lean::Neutral => -back,
        };
        p.checked_add_signed(Duration::days(off)).map(value_day)
    }

    /// A month name at `j` (optionally with a second name: نيسان/أبريل, مارس (آذار))
    /// and what follows it: a year, من العام الماضي, or a direction.
    fn month_expr(&self, j: usize) -> Option<MonthExpr> {
        let h = self.phrase(j, true, |t| matches!(t, Tag::Month(..) | Tag::Hijri(_)))?;
        let (month, hijri, ambiguous) = match h.tag {
            Tag::Month(m, a) => (m, false, a),
            Tag::Hijri(m) => (m, true, true),
            _ => return None,
        };
        // إب (the Yemeni city) and أب (father) fold to آب (August): the hamza
        // the writer put on the alif tells them apart
        if month == 8 && !hijri && self.tok(j).ends_with("اب") {
            let orig = self.doc.text.orig();
            let p = self.doc.text.orig_pos(h.start);
            if matches!(orig.get(p), Some('إ' | 'أ')) {
                return None;
            }
        }
        let mut next = h.next;
        let mut anchored = false;
        // a second name of the same month: نيسان/أبريل، مارس/آذار، أبريل (نيسان)
        if !hijri {
            let same = |t: Tag| matches!(t, Tag::Month(m, _) if m == month);
            if (self.is_punct(next, "/") || self.is_punct(next, "-"))
                && self.phrase(next + 1, false, same).is_some()
            {
                if let Some(h2) = self.phrase(next + 1, false, same) {
                    next = h2.next;
                    anchored = true;
                }
            } else if self.is_punct(next, "(") {
                if let Some(h2) = self.phrase(next + 1, false, same) {
                    if self.is_punct(h2.next, ")") {
                        next = h2.next + 1;
                        anchored = true;
                    }
                }
            } else if self.is_word(next) && self.adjacent(next - 1, next) {
                // يوليو تموز: the two names side by side, as agencies write them
                if let Some(h2) = self.phrase(next, false, same) {
                    next = h2.next;
                    anchored = true;
                }
            }
        }
        let mut year = YearSpec::None;
        if let Some(y) = self.int(next).filter(|_| self.tok(next).len() >= 3) {
            let ok = if hijri {
                (1300..=1600).contains(&y)
            } else {
                // a year right after a month name may be old (نوفمبر 1869)
                (1000..=2100).contains(&y) && self.tok(next).len() == 4
            };
            if ok && !self.followed_by_count_noun(next) {
                year = YearSpec::Abs(y as i32);
                next += 1;
                let suffix = |t: Tag| {
                    if hijri {
                        t == Tag::HijriSuffix
                    } else {
                        t == Tag::GregSuffix
                    }
                };
                if self.is_word(next) && self.word_is(next, suffix) {
                    next += 1;
                }
            }
        } else if let Some(d) = self.phrase(next, false, |t| matches!(t, Tag::Direction(_))) {
            if let Tag::Direction(dir) = d.tag {
                year = YearSpec::Dir(dir);
                next = d.next;
            }
        } else if self.tok(next) == "من" {
            // تشرين الأول من العام الماضي، أكتوبر من عام 2023، مايو من هذا العام
            let k = next + 1;
            if let Some((_, "year", _, n)) = self.relative_period(k, false) {
                let off = match self.phrase(n - 1, false, |t| matches!(t, Tag::Direction(_))) {
                    Some(Hit {
                        tag: Tag::Direction(d),
                        ..
                    }) => d,
                    _ => 0,
                };
                year = YearSpec::Rel(off);
                next = n;
            } else if self.word_is(k, |t| t == Tag::YearWord) {
                if let Some(y) = self.year_number(k + 1) {
                    year = YearSpec::Abs(y);
                    next = self.after_greg_suffix(k + 2);
                }
            }
        } else if let Some((_, "year", _, n)) = self.relative_period(next, false) {
            // 26 يونيو العام الجاري: the year without من
            let off = match self.phrase(n - 1, false, |t| matches!(t, Tag::Direction(_))) {
                Some(Hit {
                    tag: Tag::Direction(d),
                    ..
                }) => d,
                _ => 0,
            };
            year = YearSpec::Rel(off);
            next = n;
        } else if !hijri && self.is_word(next) && self.word_is(next, |t| t == Tag::YearWord) {
            // مارس سنة 2012، مايو عام 2014
            if let Some(y) = self.year_number(next + 1) {
                year = YearSpec::Abs(y);
                next = self.after_greg_suffix(next + 2);
            }
        }
        if year != YearSpec::None {
            anchored = true;
        }
        Some(MonthExpr {
            month,
            hijri,
            ambiguous,
            anchored,
            year,
            start: h.start,
            next,
        })
    }

    /// Is the number at `j` followed by a noun it counts (2000 شخص)?
    fn followed_by_count_noun(&self, j: usize) -> bool {
        self.is_word(j + 1) && self.t.count_nouns.contains(self.tok(j + 1))
    }

    /// The value of a month expression, optionally with a day of the month
    /// (for an edge of a Hijri month, the day it points at; the value stays a month).
    fn resolve_month(
        &self,
        m: &MonthExpr,
        edge_day: Option<u32>,
        lean: Lean,
    ) -> (Option<String>, &'static str) {
        if m.hijri {
            let day = edge_day.unwrap_or(1);
            let date = match m.year {
                YearSpec::Abs(y) => hijri_to_gregorian(y, m.month, day),
                _ => self.hijri_yearless(m.month, day, m.year, lean),
            };
            return (date.map(|d| value_month(d.year(), d.month())), "month");
        }
        let value = match (m.year, self.pub_date) {
            (YearSpec::Abs(y), _) => Some(value_month(y, m.month)),
            (_, None) => None,
            (YearSpec::Rel(off), Some(p)) => Some(value_month(p.year() + off, m.month)),
            (YearSpec::Dir(0), Some(p)) => Some(value_month(p.year(), m.month)),
            (YearSpec::Dir(d), Some(p)) => {
                let lean = if d < 0 { Lean::Past } else { Lean::Next };
                self.month_candidates(p, m.month, lean)
            }
            (YearSpec::None, Some(p)) => self.month_candidates(p, m.month, lean),
        };
        (value, "month")
    }

    /// The year of a year-less month, compared month by month.
    fn month_candidates(&self, p: NaiveDate, month: u32, lean: Lean) -> Option<String> {
        let firsts: Vec<NaiveDate> = (p.year() - 1..=p.year() + 1)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, 1))
            .collect();
        let this_month = NaiveDate::from_ymd_opt(p.year(), p.month(), 1)?;
        let d = choose(&firsts, this_month, lean)?;
        Some(value_month(d.year(), d.month()))
    }

    /// A Hijri day with no year: the Hijri year that puts it nearest.
    fn hijri_yearless(
        &self,
        month: u32,
        day: u32,
        year: YearSpec,
        lean: Lean,
    ) -> Option<NaiveDate> {
        let p = self.pub_date?;
        let h = hijri_year_of(p)?;
        let cands: Vec<NaiveDate> = (h - 1..=h + 1)
            .filter_map(|y| hijri_to_gregorian(y, month, day))
            .collect();
        let lean = match year {
            YearSpec::Dir(d) if d < 0 => Lean::Past,
            YearSpec::Dir(d) if d > 0 => Lean::Next,
            YearSpec::Dir(_) => {
                return hijri_to_gregorian(h, month, day);
            }
            YearSpec::Rel(off) => return hijri_to_gregorian(h + off, month, day),
            _ => lean,
        };
        choose(&cands, p, lean)
    }

    /// A day of the month before a month: 8 أغسطس، ١٨ مارس الماضي، الثاني من
    /// أبريل، 10 جمادى الأولى 1446 هـ، 15 من الشهر الجاري.
    fn dated(&self, i: usize) -> Parsed {
        let (day, start, mut j, ordinal) = if let Some(d) = self
            .int(i)
            .filter(|d| (1..=31).contains(d) && self.tok(i).len() <= 2)
        {
            (d, self.start(i), i + 1, false)
        } else {
            let h = self.phrase(i, true, |t| matches!(t, Tag::Ordinal(_)))?;
            let Tag::Ordinal(d) = h.tag else { return None };
            (d, h.start, h.next, true)
        };
        // يومي 25 و26 أغسطس، من 16 إلى 30 أغسطس: the first day shares the second's month
        if !ordinal && matches!(self.tok(j), "و" | "-" | "الي" | "حتي") {
            if let Some((mut items, next)) = self.dated(j + 1).filter(|(it, _)| it.len() == 1) {
                let first = items[0]
                    .value
                    .as_deref()
                    .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
                    .filter(|d| d.day() > day)
                    .and_then(|d| d.with_day(day));
                if let Some(d) = first {
                    items.insert(0, self.item(start, j, Some(value_day(d)), "day"));
                    return Some((items, next));
                }
            }
        }
        let had_min = self.tok(j) == "من";
        if had_min {
            j += 1;
        }
        // an ordinal without من (فاتح يوليوز) must stand right before a month name
        let month_next = |k: usize| {
            self.phrase(k, false, |t| matches!(t, Tag::Month(..) | Tag::Hijri(_)))
                .is_some()
        };
        if ordinal && !had_min && !month_next(j) {
            return None;
        }
        if let Some(m) = self.month_expr(j) {
            // ثورة 25 يناير، هجمات 11 سبتمبر: the name of a past event
            if m.year == YearSpec::None
                && i > 0
                && self.is_word(i - 1)
                && self.word_is(i - 1, |t| t == Tag::NotBefore)
            {
                return Some((Vec::new(), m.next));
            }
            let lean = self.lean_for(i);
            let date = if m.hijri {
                match m.year {
                    YearSpec::Abs(y) => hijri_to_gregorian(y, m.month, day),
                    _ => self.hijri_yearless(m.month, day, m.year, lean),
                }
            } else {
                self.gregorian_day(m.month, day, m.year, lean)
            };
            // an impossible date (31 نيسان) is no date at all; without a
            // publication date a year-less date stays unresolved
            if date.is_none() && (self.pub_date.is_some() || m.year != YearSpec::None) {
                return None;
            }
            return Some((
                vec![self.item(start, m.next, date.map(value_day), "day")],
                m.next,
            ));
        }
        if had_min && self.tok(j) == "الشهر" && matches!(self.tok(j + 1), "ذاته" | "نفسه")
        {
            // «في 19 أبريل … في الثاني عشر من الشهر ذاته»: the month told last
            let (y, m) = self
                .last_month
                .get()
                .or_else(|| self.pub_date.map(|p| (p.year(), p.month())))?;
            let value = NaiveDate::from_ymd_opt(y, m, day);
            return Some((
                vec![self.item(start, j + 2, value.map(value_day), "day")],
                j + 2,
            ));
        }
        if had_min {
            // الخامس من الشهر الجاري
            if let Some((v, "month", _, n)) = self.relative_period(j, false) {
                let value = v.and_then(|ym| {
                    let (y, m) = ym.split_once('-')?;
                    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, day)
                });
                return Some((vec![self.item(start, n, value.map(value_day), "day")], n));
            }
        }
        None
    }

    fn gregorian_day(&self, month: u32, day: u32, year: YearSpec, lean: Lean) -> Option<NaiveDate> {
        match year {
            YearSpec::Abs(y) => NaiveDate::from_ymd_opt(y, month, day),
            _ => {
                let p = self.pub_date?;
                match year {
                    YearSpec::Rel(off) => NaiveDate::from_ymd_opt(p.year() + off, month, day),
                    YearSpec::Dir(0) => NaiveDate::from_ymd_opt(p.year(), month, day),
                    _ => {
                        let cands: Vec<NaiveDate> = (p.year() - 1..=p.year() + 1)
                            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                            .collect();
                        let lean = match year {
                            YearSpec::Dir(d) if d < 0 => Lean::Past,
                            YearSpec::Dir(_) => Lean::Next,
                            _ => lean,
                        };
                        choose(&cands, p, lean)
                    }
                }
            }
        }
    }

    /// A month name on its own: يناير، في مارس، شهر مايو، تموز الجاري، محرم 1447.
    fn month_alone(&self, i: usize) -> Parsed {
        let mut j = i;
        let mut start = None;
        if let Some(mw) = self.phrase(i, true, |t| t == Tag::MonthWord) {
            if mw.next == i + 1 {
                start = Some(mw.start);
                j = i + 1;
            }
        }
        let m = self.month_expr(j)?;
        let licensed = m.anchored
            || (!m.hijri
                && (start.is_some()
                    || !m.ambiguous
                    || (j > 0
                        && self.is_word(j - 1)
                        && self.word_is(j - 1, |t| t == Tag::Trigger))));
        if !licensed {
            return None;
        }
        if m.year == YearSpec::None
            && j > 0
            && self.is_word(j - 1)
            && self.word_is(j - 1, |t| t == Tag::NotBefore)
        {
            return Some((Vec::new(), m.next));
        }
        let start = start.unwrap_or(m.start);
        let (v, g) = self.resolve_month(&m, None, self.lean_for(j));
        Some((vec![self.item(start, m.next, v, g)], m.next))
    }

    /// Years: عام 2019، العام 2020، في 2019، منذ 2011، 2019م، عامي 2019 و2020.
    fn year(&self, i: usize) -> Parsed {
        if self.is_word(i) {
            if !self.word_is(i, |t| t == Tag::YearWord) {
                return None;
            }
            let h = self.phrase(i, true, |t| t == Tag::YearWord)?;
            let y = self.year_number(i + 1)?;
            if self.followed_by_count_noun(i + 1) {
                return None;
            }
            let next = self.after_greg_suffix(i + 2);
            let mut items = vec![self.item(h.start, next, Some(format!("{y:04}")), "year")];
            let mut next = next;
            // عامي 2019 و2020: the second year of the pair
            if self.tok(next) == "و" {
                if let Some(y2) = self.year_number(next + 1) {
                    let n2 = self.after_greg_suffix(next + 2);
                    items.push(self.item(
                        self.start(next + 1),
                        n2,
                        Some(format!("{y2:04}")),
                        "year",
                    ));
                    next = n2;
                }
            }
            return Some((items, next));
        }
        let y = self.year_number(i)?;
        if self.followed_by_count_noun(i) {
            return None;
        }
        let triggered = i > 0 && self.is_word(i - 1) && self.word_is(i - 1, |t| t == Tag::Trigger);
        let suffixed = self.after_greg_suffix(i + 1) > i + 1;
        if !(triggered || suffixed) {
            return None;
        }
        let next = self.after_greg_suffix(i + 1);
        Some((
            vec![self.item(self.start(i), next, Some(format!("{y:04}")), "year")],
            next,
        ))
    }
}

/// Is this word a future verb (سيزور، ستعقد، سنواصل)? سـ + an imperfect prefix,
/// minus the nouns and names that begin the same way.
fn is_future_verb(w: &str) -> bool {
    let w = w
        .strip_prefix('و')
        .or_else(|| w.strip_prefix('ف'))
        .unwrap_or(w);
    let Some(rest) = w.strip_prefix('س') else {
        return false;
    };
    if rest.chars().count() < 3 || !rest.starts_with(['ي', 'ت', 'ن']) {
        return false;
    }
    const NOUN_PREFIXES: &[&str] = &[
        "سيطر",
        "سياس",
        "سيار",
        "سياد",
        "سياح",
        "سياق",
        "سياج",
        "سيول",
        "سنوات",
        "سنوي",
        "سنين",
        "سنتين",
        "سنغ",
        "سينا",
        "سينم",
        "سيبر",
        "ستوك",
        "ستال",
        "ستار",
        "ستراس",
        "ستيف",
        "سيرج",
        "سيرغ",
        "سيري",
    ];
    const NOUNS: &[&str] = &[
        "سيد",
        "سيده",
        "سيدات",
        "سيدي",
        "ستة",
        "سته",
        "ستين",
        "ستون",
        "سنه",
        "سنة",
        "سيئ",
        "سيئه",
        "سيف",
        "سيره",
        "سير",
        "سيل",
        "سيم",
        "سنت",
        "سني",
        "سنيه",
        "سنه",
        "ستان",
        "سيناتور",
        "سيناريو",
    ];
    !NOUN_PREFIXES.iter().any(|p| w.starts_with(p)) && !NOUNS.contains(&w)
}

pub(crate) fn find_times(
    tables: &TimeTables,
    doc: &Doc,
    pub_date: Option<NaiveDate>,
) -> Vec<TimeItem> {
    let p = Parser {
        t: tables,
        doc,
        pub_date,
        n: doc.tokens.len(),
        may_start: (0..doc.tokens.len())
            .map(|i| {
                let w = doc.tok(i);
                tables.first_words.contains(w)
                    || CLITICS.iter().any(|(p, repl)| {
                        w.strip_prefix(p).is_some_and(|rest| {
                            if repl.is_empty() {
                                tables.first_words.contains(rest)
                            } else {
                                tables.first_words.contains(&format!("{repl}{rest}"))
                            }
                        })
                    })
            })
            .collect(),
        phrase_hits: RefCell::new(HashMap::new()),
        last_month: std::cell::Cell::new(None),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.n {
        // every expression starts with a known phrase word or a number
        if !p.may_start[i] && p.kind(i) != Some(TokenKind::Number) {
            i += 1;
            continue;
        }
        match p.parse_at(i) {
            Some((items, next)) => {
                let told = items.iter().rev().find_map(|t| {
                    let v = t.value.as_deref()?;
                    let (y, rest) = v.split_once('-')?;
                    Some((y.parse().ok()?, rest.get(..2)?.parse().ok()?))
                });
                if told.is_some() {
                    p.last_month.set(told);
                }
                out.extend(items);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umm_al_qura_conversion() {
        assert_eq!(
            hijri_to_gregorian(1446, 5, 10),
            NaiveDate::from_ymd_opt(2024, 11, 12)
        );
        assert_eq!(
            hijri_to_gregorian(1436, 10, 25),
            NaiveDate::from_ymd_opt(2015, 8, 10)
        );
        assert_eq!(
            hijri_to_gregorian(1447, 1, 1),
            NaiveDate::from_ymd_opt(2025, 6, 26)
        );
        assert_eq!(
            hijri_to_gregorian(1446, 9, 1),
            NaiveDate::from_ymd_opt(2025, 3, 1)
        );
        assert_eq!(
            NaiveDate::from_ymd_opt(2024, 11, 12).and_then(hijri_year_of),
            Some(1446)
        );
    }

    #[test]
    fn future_verbs() {
        assert!(is_future_verb("سيزور"));
        assert!(is_future_verb("وستعقد"));
        assert!(!is_future_verb("سيطرت"));
        assert!(!is_future_verb("سياسه"));
        assert!(!is_future_verb("سوريا"));
    }
}
