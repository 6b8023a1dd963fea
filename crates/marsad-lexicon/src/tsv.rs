//! Reading lexicon TSV files (header line, `#` comments, no quoting) into
//! typed rows, with errors that name the file and line.

use serde::de::DeserializeOwned;

use crate::LexiconError;

/// Parses one TSV file into rows of `T`. Every row error names `file:line`.
pub fn read_rows<T: DeserializeOwned>(file: &str, contents: &str) -> Result<Vec<T>, LexiconError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quoting(false)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(contents.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.deserialize::<T>() {
        match rec {
            Ok(row) => rows.push(row),
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(LexiconError::Row {
                    file: file.to_string(),
                    line,
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(rows)
}

/// Splits a `|`-separated cell into its non-empty alternatives.
pub fn alts(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}
