//! Normalisation for matching, with a map back to the original code points.
//!
//! Arabic news spells one word many ways: with or without harakat, with
//! tatweel for justification, with أ/إ/آ/ا interchangeably, ى for ي, ة or ه,
//! Arabic-Indic or Western digits. Matching runs on a folded copy; every
//! offset reported to users is mapped back through [`NormText::orig_span`],
//! so folding never shifts a span.

/// What one original character becomes in the normalised copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Dropped: harakat, tatweel, bidi and zero-width controls.
    Drop,
    /// Replaced by this character (possibly itself).
    Char(char),
}

/// Folds one character. Public so that lexicon loading and query
/// normalisation use exactly the same rules as the text layer.
#[inline]
pub fn fold_char(c: char) -> Fold {
    match c {
        // harakat, superscript alef, Quranic annotation marks
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => Fold::Drop,
        // tatweel
        '\u{0640}' => Fold::Drop,
        // zero-width, bidi marks and embeddings, BOM, soft hyphen, Arabic letter mark
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{061C}' => Fold::Drop,
        // hamza-carrying and wasla alefs
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => {
            Fold::Char('\u{0627}')
        }
        // alef maqsura and Persian yeh
        '\u{0649}' | '\u{06CC}' => Fold::Char('\u{064A}'),
        // Persian keheh
        '\u{06A9}' => Fold::Char('\u{0643}'),
        // ta marbuta
        '\u{0629}' => Fold::Char('\u{0647}'),
        // Arabic-Indic and extended (Persian) digits
        '\u{0660}'..='\u{0669}' => Fold::Char(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => Fold::Char(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '\u{066B}' => Fold::Char('.'),
        '\u{066C}' => Fold::Char(','),
        // quotation marks
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' | '＂' | '‹' | '›' => {
            Fold::Char('"')
        }
        '‘' | '’' | '‚' | '‛' => Fold::Char('\''),
        // spaces
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Fold::Char(' ')
        }
        '\t' | '\r' => Fold::Char(' '),
        '\n' => Fold::Char('\n'),
        c if c.is_control() => Fold::Char(' '),
        c if c.is_ascii_uppercase() => Fold::Char(c.to_ascii_lowercase()),
        c => Fold::Char(c),
    }
}

/// Normalises a short string (a lexicon alias, a query) with the same rules
/// as [`NormText`]; whitespace runs collapse to one space and ends are trimmed.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if let Fold::Char(f) = fold_char(c) {
            if f.is_whitespace() {
                pending_space = !out.is_empty();
            } else {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(f);
            }
        }
    }
    out
}

/// Is this a removable combining mark (a haraka)? Used to extend a span over
/// the marks that follow its last letter, so `text[span]` keeps them.
#[inline]
pub fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// A document's text together with its normalised copy and offset map.
#[derive(Debug, Clone)]
pub struct NormText {
    orig: Vec<char>,
    norm: String,
    /// For each byte of `norm`, the index of the original code point it came from.
    byte_to_orig: Vec<u32>,
}

impl NormText {
    pub fn new(text: &str) -> NormText {
        let orig: Vec<char> = text.chars().collect();
        let mut norm = String::with_capacity(text.len());
        let mut byte_to_orig = Vec::with_capacity(text.len());
        for (i, &c) in orig.iter().enumerate() {
            if let Fold::Char(f) = fold_char(c) {
                let before = norm.len();
                norm.push(f);
                byte_to_orig.extend(std::iter::repeat_n(i as u32, norm.len() - before));
            }
        }
        NormText {
            orig,
            norm,
            byte_to_orig,
        }
    }

    /// The normalised copy: what matchers run on.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// The original text as code points.
    pub fn orig(&self) -> &[char] {
        &self.orig
    }

    /// Length of the original text in code points.
    pub fn orig_len(&self) -> usize {
        self.orig.len()
    }

    /// The original code point index of normalised byte `b` (or the text end).
    pub fn orig_pos(&self, b: usize) -> usize {
        self.byte_to_orig
            .get(b)
            .map(|&i| i as usize)
            .unwrap_or(self.orig.len())
    }

    /// Maps a normalised byte range to a `[start, end)` code point span of the
    /// original text. The end is extended over harakat that follow the last
    /// letter, so the surface form keeps its vowel marks.
    pub fn orig_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || start >= self.byte_to_orig.len() {
            let p = self.orig_pos(start);
            return (p, p);
        }
        let s = self.byte_to_orig[start] as usize;
        let last = self.byte_to_orig[(end - 1).min(self.byte_to_orig.len() - 1)] as usize;
        let mut e = last + 1;
        while e < self.orig.len() && (is_mark(self.orig[e]) || self.orig[e] == '\u{0640}') {
            // tatweel inside a word is kept with it; a tatweel that ends a
            // clitic (بـ) is followed by a letter of the next word, so stop there.
            if self.orig[e] == '\u{0640}' {
                break;
            }
            e += 1;
        }
        (s, e)
    }

    /// The original surface string of a code point span.
    pub fn surface(&self, span: (usize, usize)) -> String {
        let (s, e) = (span.0.min(self.orig.len()), span.1.min(self.orig.len()));
        self.orig[s..e.max(s)].iter().collect()
    }

    /// The normalised byte offset of the first normalised character at or after
    /// original code point `p`.
    pub fn norm_pos(&self, p: usize) -> usize {
        self.byte_to_orig.partition_point(|&o| (o as usize) < p)
    }
}
