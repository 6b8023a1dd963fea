//! Full-text search over Arabic: what is indexed and how queries are built.
//!
//! FTS5's `unicode61` tokenizer splits words at harakat and knows nothing of
//! Arabic spelling variants, so the index never sees the original text: the
//! `body` column holds `marsad_text::normalize(text)` — the same folding the
//! extractor matches with — and queries are folded the same way. A search for
//! المتحدث therefore finds المُتحدِّث.
//!
//! Clitics: Arabic writes و، ف، ب، ل، ك and the article ال onto the word, so
//! والمتحدث is one token. The `stems` column holds, for each word carrying a
//! proclitic, the word with it removed (والمتحدث → المتحدث and متحدث; للمتحدث →
//! المتحدث). A query word matches either column, so المتحدث finds والمتحدث,
//! بالمتحدث and للمتحدث, and متحدث finds المتحدث. Queries are not stripped
//! (وزير must not become زير); a trailing `*` asks for a prefix match.
//! Pronoun suffixes (ـه، ـها، ـهم) are not stripped: that over-matches names.

use marsad_text::{is_word_char, normalize};

/// Proclitic sequences stripped for the `stems` column, longest first.
/// `لل` is ل + ال with the alef elided, so it is restored as ال.
const CONJ: &[&str] = &["و", "ف"];
const PREP: &[&str] = &["ب", "ك", "ل"];

/// The two indexed columns for a text: normalised body and clitic stems.
pub fn index_columns(text: &str) -> (String, String) {
    let body = normalize(text);
    let mut stems = String::new();
    for word in body.split(|c: char| !is_word_char(c)) {
        for s in strip_variants(word) {
            if !stems.is_empty() {
                stems.push(' ');
            }
            stems.push_str(&s);
        }
    }
    (body, stems)
}

/// The clitic-stripped forms of a normalised word, without the word itself.
/// Stems shorter than two letters are dropped: they would match everything.
fn strip_variants(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if s.chars().count() >= 2 && s != word && !out.contains(&s) {
            out.push(s);
        }
    };
    let mut bases = vec![word];
    for c in CONJ {
        if let Some(rest) = word.strip_prefix(c) {
            push(rest.to_string());
            bases.push(rest);
        }
    }
    for base in bases {
        if let Some(rest) = base.strip_prefix("لل") {
            push(format!("ال{rest}"));
            push(rest.to_string());
            continue;
        }
        for p in PREP {
            if let Some(rest) = base.strip_prefix(p) {
                if rest.starts_with("ال") {
                    push(rest.to_string());
                    if let Some(r) = rest.strip_prefix("ال") {
                        push(r.to_string());
                    }
                }
            }
        }
        if let Some(rest) = base.strip_prefix("ال") {
            push(rest.to_string());
        }
    }
    out
}

/// Builds an FTS5 MATCH expression from a user's query: folded with the
/// normaliser, split into words, every word quoted (so FTS syntax in user
/// input is inert) and required. `None` when the query has no word.
pub fn match_expr(query: &str) -> Option<String> {
    let norm = normalize(query);
    let mut terms = Vec::new();
    for raw in norm.split_whitespace() {
        let prefix = raw.ends_with('*');
        let word: String = raw
            .chars()
            .filter(|&c| is_word_char(c) || c.is_numeric())
            .collect();
        if word.is_empty() {
            continue;
        }
        let quoted = format!("\"{}\"", word.replace('"', "\"\""));
        terms.push(if prefix { format!("{quoted}*") } else { quoted });
    }
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clitic_variants() {
        let v = strip_variants("والمتحدث");
        assert!(v.contains(&"المتحدث".to_string()));
        assert!(v.contains(&"متحدث".to_string()));
        let v = strip_variants("للمتحدث");
        assert!(v.contains(&"المتحدث".to_string()));
        assert!(strip_variants("في").is_empty());
    }
}
