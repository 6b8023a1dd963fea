//! Tokens and clitic segmentation over the normalised text.

/// What kind of token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters (Arabic or Latin).
    Word,
    /// A run of digits, possibly with `.`/`,`/`٬` separators inside (14,000; 2.5).
    Number,
    /// Any other single non-space character: punctuation, quotation marks.
    Punct,
}

/// A token: a byte range of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, norm: &'a str) -> &'a str {
        &norm[self.start as usize..self.end as usize]
    }
}

/// Is `c` a letter that belongs inside an Arabic or Latin word?
#[inline]
pub fn is_word_char(c: char) -> bool {
    // fast path: the Arabic letters (all alphabetic), before the general
    // Unicode table lookup (8% of the extractor's instructions on Arabic text)
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
        || c.is_alphabetic()
        || crate::normalize::is_mark(c)
}

/// Splits normalised text into tokens. Runs in one pass; never fails.
pub fn tokenize(norm: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(norm.len() / 5);
    let b = norm.as_bytes();
    let mut it = norm.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = it.peek() {
                let separator =
                    (d == '.' || d == ',') && b.get(j + 1).is_some_and(|x| x.is_ascii_digit());
                if d.is_ascii_digit() || separator {
                    end = j + 1;
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                start: i as u32,
                end: end as u32,
                kind: TokenKind::Number,
            });
        } else if is_word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                start: i as u32,
                end: end as u32,
                kind: TokenKind::Word,
            });
        } else {
            out.push(Token {
                start: i as u32,
                end: (i + c.len_utf8()) as u32,
                kind: TokenKind::Punct,
            });
        }
    }
    out
}

/// The word around the byte range `[start, end)` of normalised text: how far
/// letters run on before and after it. A lexicon match inside a word is read
/// as a stem with clitics: what lies between the bounds and the match must be
/// a proclitic or a suffix.
pub fn word_bounds(norm: &str, start: usize, end: usize) -> (usize, usize) {
    let mut a = start;
    while let Some(c) = norm[..a].chars().next_back() {
        if !is_word_char(c) {
            break;
        }
        a -= c.len_utf8();
    }
    let mut b = end;
    while let Some(c) = norm[b..].chars().next() {
        if !is_word_char(c) {
            break;
        }
        b += c.len_utf8();
    }
    (a, b)
}

/// Proclitic sequences that may stand before a word, normalised, longest first.
/// `لل` is لـ + الـ with the alif dropped.
pub const PROCLITICS: &[&str] = &[
    "وبال", "فبال", "وكال", "وللا", "ولل", "فلل", "وال", "فال", "بال", "كال", "وب", "ول", "فب",
    "فل", "وك", "وس", "فس", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س",
];

/// Pronoun suffixes that may follow a word, normalised, longest first.
pub const ENCLITICS: &[&str] = &["هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه", "ك", "ي"];

/// Proclitics allowed before a proper name or a definite phrase (no article,
/// no future سـ): what may stand before a lexicon match inside one token.
pub const NAME_PROCLITICS: &[&str] = &[
    "", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "وال", "ال",
];

/// Suffixes allowed after a name or a phrase inside one token.
pub const NAME_ENCLITICS: &[&str] = &["", "ه", "ها", "هم", "هما"];

/// A word split into proclitics, stem and enclitic (byte ranges into the word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segmentation {
    pub prefix_len: usize,
    pub suffix_len: usize,
}

impl Segmentation {
    pub fn stem<'a>(&self, word: &'a str) -> &'a str {
        &word[self.prefix_len..word.len() - self.suffix_len]
    }
}

/// Splits clitics off a normalised word, guided by a lexicon of known stems:
/// a word that is itself known is never split (بوتين stays whole), and a
/// prefix is only taken off when what remains is known (لبوتين → ل + بوتين).
/// Without any known reading, the word is left whole.
pub fn segment(word: &str, is_known: impl Fn(&str) -> bool) -> Segmentation {
    let whole = Segmentation {
        prefix_len: 0,
        suffix_len: 0,
    };
    if is_known(word) {
        return whole;
    }
    let prefixes = std::iter::once("").chain(PROCLITICS.iter().copied());
    for p in prefixes {
        let Some(rest) = word.strip_prefix(p) else {
            continue;
        };
        for s in std::iter::once("").chain(ENCLITICS.iter().copied()) {
            if p.is_empty() && s.is_empty() {
                continue;
            }
            let Some(stem) = rest.strip_suffix(s) else {
                continue;
            };
            if stem.chars().count() >= 2 && is_known(stem) {
                return Segmentation {
                    prefix_len: p.len(),
                    suffix_len: s.len(),
                };
            }
            // لل + word is ل + ال + word
            if p.ends_with("لل") && stem.chars().count() >= 2 {
                let with_article = format!("ال{}", &rest[..rest.len() - s.len()]);
                if is_known(&with_article) {
                    return Segmentation {
                        prefix_len: p.len() - "ل".len(),
                        suffix_len: s.len(),
                    };
                }
            }
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_chars_are_letters_and_marks() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                super::is_word_char(c),
                c.is_alphabetic() || crate::normalize::is_mark(c),
                "{c:?}"
            );
        }
    }
}
