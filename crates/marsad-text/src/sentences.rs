//! Sentence splitting over the normalised text.
//!
//! Arabic news copy ends sentences with `.`, `!`, `?`/`؟`, and ends
//! headlines and paragraphs with a line break and no stop at all. A stop does
//! not end a sentence inside a quotation (a quoted speech of three sentences
//! is one reported statement), between digits (2.5), or after a one-letter
//! abbreviation (د. for دكتور, م. for ميلادي).

/// A sentence: a byte range of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: u32,
    pub end: u32,
}

fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…')
}

/// Splits normalised text into sentences; whitespace-only pieces are skipped.
pub fn split_sentences(norm: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let mut start = 0usize;
    let mut in_quote = false;
    let mut i = 0usize;
    let push = |out: &mut Vec<Sentence>, s: usize, e: usize| {
        let piece = &norm[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if lead + trail < piece.len() {
            out.push(Sentence {
                start: (s + lead) as u32,
                end: (e - trail) as u32,
            });
        }
    };
    while i < chars.len() {
        let (b, c) = chars[i];
        if c == '\n' {
            push(&mut out, start, b);
            start = b + 1;
            in_quote = false;
            i += 1;
            continue;
        }
        if c == '"' {
            in_quote = !in_quote;
        }
        if is_stop(c) && !in_quote {
            let prev = i.checked_sub(1).map(|k| chars[k].1);
            let next = chars.get(i + 1).map(|x| x.1);
            let decimal = c == '.'
                && prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            // a single letter before the dot: an abbreviation (د. / م.)
            let abbrev = c == '.'
                && prev.is_some_and(|p| p.is_alphabetic())
                && i >= 2
                && !chars[i - 2].1.is_alphabetic()
                && next.is_some_and(|n| n == ' ');
            if !decimal && !abbrev {
                // take repeated stops and closing quotes/brackets with the sentence
                let mut j = i + 1;
                while j < chars.len()
                    && (is_stop(chars[j].1) || matches!(chars[j].1, '"' | ')' | ']'))
                {
                    j += 1;
                }
                let end = chars.get(j).map(|x| x.0).unwrap_or(norm.len());
                push(&mut out, start, end);
                start = end;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push(&mut out, start, norm.len());
    out
}
