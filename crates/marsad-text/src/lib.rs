//! The text layer: everything later stages need to know about an article's
//! characters, and nothing about meaning.
//!
//! [`Doc`] holds the original text, a normalised copy for matching with a map
//! back to original code points, the tokens and the sentences. Every later
//! stage reads a `Doc`; none of them re-normalises. This crate does no I/O and
//! never fails: any string is a valid input.

mod normalize;
mod sentences;
mod tokens;

pub use normalize::{fold_char, is_mark, normalize, Fold, NormText};
pub use sentences::{split_sentences, Sentence};
pub use tokens::{
    is_word_char, segment, tokenize, word_bounds, Segmentation, Token, TokenKind, ENCLITICS,
    NAME_ENCLITICS, NAME_PROCLITICS, PROCLITICS,
};

/// An article prepared for extraction.
#[derive(Debug, Clone)]
pub struct Doc {
    pub text: NormText,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

impl Doc {
    pub fn new(text: &str) -> Doc {
        let text = NormText::new(text);
        let tokens = tokenize(text.norm());
        let sentences = split_sentences(text.norm());
        Doc {
            text,
            tokens,
            sentences,
        }
    }

    pub fn norm(&self) -> &str {
        self.text.norm()
    }

    /// The original character behind normalised byte `b`: folding made ة
    /// and ه one letter, and a ta marbuta ends a word where a pronoun does not.
    pub fn orig_char(&self, b: usize) -> Option<char> {
        self.text.orig().get(self.text.orig_pos(b)).copied()
    }

    /// The text of token `i` in the normalised copy.
    pub fn tok(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .map(|t| t.text(self.text.norm()))
            .unwrap_or("")
    }

    /// Normalised byte offset where token `i` starts (the text end past the last token).
    pub fn tok_start(&self, i: usize) -> usize {
        self.tokens
            .get(i)
            .map(|t| t.start as usize)
            .unwrap_or(self.norm().len())
    }

    /// Normalised byte offset where token `i` ends (the text end past the last token).
    pub fn tok_end(&self, i: usize) -> usize {
        self.tokens
            .get(i)
            .map(|t| t.end as usize)
            .unwrap_or(self.norm().len())
    }

    /// Index of the first token starting at or after normalised byte `b`.
    pub fn token_at_or_after(&self, b: usize) -> usize {
        self.tokens.partition_point(|t| (t.start as usize) < b)
    }

    /// Index of the token containing normalised byte `b`, if any.
    pub fn token_containing(&self, b: usize) -> Option<usize> {
        let i = self.tokens.partition_point(|t| (t.end as usize) <= b);
        self.tokens
            .get(i)
            .filter(|t| (t.start as usize) <= b)
            .map(|_| i)
    }

    /// Index of the sentence containing normalised byte `b`.
    pub fn sentence_of(&self, b: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| (s.end as usize) <= b);
        self.sentences
            .get(i)
            .filter(|s| (s.start as usize) <= b)
            .map(|_| i)
    }

    /// The original code point span of a normalised byte range.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        self.text.orig_span(start, end)
    }
}
