//! The lexicon: every fact marsad knows, loaded from `lexicon/*.tsv`, checked,
//! and compiled once into one Aho-Corasick automaton over normalised aliases.
//!
//! Loading happens once per process; the [`Lexicon`] is then shared read-only
//! by every extraction thread. The default files are embedded in the binary
//! at build time ([`Lexicon::embedded`]); a user's own folder adds rows on top
//! ([`Lexicon::with_overlay`]).

mod compile;
mod model;
mod tsv;

use foldhash::{HashMap, HashSet};
use std::path::Path;

pub use compile::{Hit, Target};
pub use model::*;
pub use tsv::{alts, read_rows};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The lexicon crate's one error type.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: {message}")]
    Row {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("building the alias automaton: {0}")]
    Automaton(String),
}

/// A set of lexicon files by their path under `lexicon/` (`people/mena.tsv`).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    /// The files embedded in the binary.
    pub fn embedded() -> Sources {
        Sources {
            files: embedded::EMBEDDED
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
        }
    }

    /// Adds every `.tsv` file under `dir` (recursively), keyed by its path
    /// relative to `dir`; rows add to the embedded file of the same name.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), LexiconError> {
        fn walk(
            dir: &Path,
            root: &Path,
            out: &mut Vec<(String, String)>,
        ) -> Result<(), LexiconError> {
            let rd = std::fs::read_dir(dir).map_err(|e| LexiconError::Io {
                path: dir.display().to_string(),
                source: e,
            })?;
            let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, root, out)?;
                } else if p.extension().is_some_and(|e| e == "tsv") {
                    let contents = std::fs::read_to_string(&p).map_err(|e| LexiconError::Io {
                        path: p.display().to_string(),
                        source: e,
                    })?;
                    let rel = p
                        .strip_prefix(root)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.push((rel, contents));
                }
            }
            Ok(())
        }
        walk(dir, dir, &mut self.files)
    }

    /// Adds one file's contents under a path (used by tests and the Python binding).
    pub fn add(&mut self, path: &str, contents: &str) {
        self.files.push((path.to_string(), contents.to_string()));
    }

    /// Files whose path matches `pred`, in order.
    pub fn matching<'a>(
        &'a self,
        pred: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(move |(p, _)| pred(p))
            .map(|(p, c)| (p.as_str(), c.as_str()))
    }

    /// Rows of every file at exactly `path`.
    pub fn rows<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, LexiconError> {
        let mut out = Vec::new();
        for (p, c) in self.matching(|p| p == path) {
            out.extend(read_rows::<T>(p, c)?);
        }
        Ok(out)
    }
}

/// The compiled lexicon.
pub struct Lexicon {
    pub countries: Vec<Country>,
    pub places: Vec<Place>,
    pub people: Vec<Person>,
    pub terms: Vec<Term>,
    pub orgs: Vec<Org>,
    pub offices: Vec<Office>,
    pub org_patterns: Vec<OrgPattern>,
    /// Normalised given names, for finding people in no lexicon.
    pub given_names: HashSet<String>,
    /// Given names that are also ordinary words (أمل "hope"): they need a title
    /// or another name beside them to start a name.
    pub ambiguous_given_names: HashSet<String>,
    /// Country index by ISO alpha-3.
    pub country_by_iso: HashMap<String, u32>,
    /// The source files, for layers that read their own tables (cues, events …).
    pub sources: Sources,
    /// Terms by (office key, country code).
    terms_by_office: HashMap<(String, String), Vec<u32>>,
    /// Definite adjective forms per country: (masculine, feminine), normalised.
    pub country_adjs: Vec<Vec<(String, String)>>,
    matcher: compile::Matcher,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("countries", &self.countries.len())
            .field("places", &self.places.len())
            .field("people", &self.people.len())
            .field("orgs", &self.orgs.len())
            .field("aliases", &self.matcher.len())
            .finish()
    }
}

impl Lexicon {
    /// The default lexicon, embedded at build time.
    pub fn embedded() -> Result<Lexicon, LexiconError> {
        Lexicon::load(Sources::embedded())
    }

    /// The default lexicon with a user's folder of files on top.
    pub fn with_overlay(dir: &Path) -> Result<Lexicon, LexiconError> {
        let mut s = Sources::embedded();
        s.add_dir(dir)?;
        Lexicon::load(s)
    }

    /// Loads, validates and compiles a set of sources.
    pub fn load(sources: Sources) -> Result<Lexicon, LexiconError> {
        compile::build(sources)
    }

    /// Number of distinct normalised aliases in the automaton.
    pub fn alias_count(&self) -> usize {
        self.matcher.len()
    }

    /// Every lexicon hit in a document: leftmost-longest, non-overlapping,
    /// standing as words (proclitics before and pronoun suffixes after allowed).
    pub fn find(&self, doc: &marsad_text::Doc) -> Vec<Hit> {
        self.matcher.find(doc)
    }

    /// Every normalised alias with what it stands for (lexicon checks, `explain`).
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &[Target])> {
        (0..self.matcher.len() as u32).map(|i| (self.matcher.alias(i), self.matcher.targets(i)))
    }

    /// What a normalised alias stands for, if it is one (for splitting titles).
    pub fn lookup(&self, alias: &str) -> Option<&[Target]> {
        self.matcher.lookup(alias)
    }

    /// The targets of a hit's alias.
    pub fn targets(&self, hit: &Hit) -> &[Target] {
        self.matcher.targets(hit.pattern)
    }

    /// The normalised alias of a pattern id (for `explain`).
    pub fn alias(&self, pattern: u32) -> &str {
        self.matcher.alias(pattern)
    }

    /// Who held `office` in `country` on `date`. Without a date, or when no
    /// term covers it, `exact` is false and the latest holder is returned.
    pub fn office_holder(
        &self,
        office: &str,
        country: &str,
        date: Option<Date>,
    ) -> Option<(u32, bool)> {
        let terms = self
            .terms_by_office
            .get(&(office.to_string(), country.to_string()))?;
        if let Some(d) = date {
            if let Some(&t) = terms.iter().find(|&&t| self.terms[t as usize].covers(d)) {
                return Some((self.terms[t as usize].person, true));
            }
            // the latest term that started on or before the date
            let before = terms
                .iter()
                .filter(|&&t| self.terms[t as usize].start <= d)
                .max_by_key(|&&t| self.terms[t as usize].start);
            if let Some(&t) = before {
                return Some((self.terms[t as usize].person, false));
            }
            return None;
        }
        terms
            .iter()
            .max_by_key(|&&t| self.terms[t as usize].start)
            .map(|&t| (self.terms[t as usize].person, false))
    }

    /// Does a term of this person cover the date?
    pub fn in_office(&self, person: u32, date: Date) -> bool {
        self.terms
            .iter()
            .any(|t| t.person == person && t.covers(date))
    }

    /// The offices (key, country) a person held on a date, or ever.
    pub fn offices_of(&self, person: u32, date: Option<Date>) -> Vec<(&str, &str)> {
        self.terms
            .iter()
            .filter(|t| t.person == person && date.is_none_or(|d| t.covers(d)))
            .map(|t| (t.office.as_str(), t.country.as_str()))
            .collect()
    }

    /// The role code of an office key (GOV, MIL, LEG …).
    pub fn office_role(&self, office: &str) -> &str {
        self.offices
            .iter()
            .find(|o| o.key == office)
            .map(|o| o.role.as_str())
            .unwrap_or("GOV")
    }

    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.country_by_iso
            .get(iso3)
            .map(|&i| &self.countries[i as usize])
    }
}
