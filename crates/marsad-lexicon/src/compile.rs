//! Validation of the loaded rows and compilation of every alias, generated
//! title and national body into one automaton.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use marsad_text::{normalize, Doc, NAME_ENCLITICS};

use crate::model::*;
use crate::tsv::alts;
use crate::{Lexicon, LexiconError, Sources};

/// What an alias stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A country's name.
    Country(u32),
    /// A country's adjective or demonym (الروسي، الروس): a mention of the country.
    CountryAdj(u32),
    Place(u32),
    Person(u32),
    Org(u32),
    /// A generated title (الرئيس الروسي): whoever held the office on the date.
    Office {
        office: u32,
        country: u32,
    },
    /// A title written for one term (المبعوث الأميركي): that term's holder.
    TermTitle(u32),
    /// A national body (وزارة الخارجية الصينية).
    NationalOrg {
        pattern: u32,
        country: u32,
    },
}

/// One lexicon hit: a normalised byte range and the alias it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

struct Entry {
    alias: String,
    targets: Vec<Target>,
    /// The alias opens with the article ال and is searched without its alif
    /// (لامم المتحده): one pattern then finds both the plain form (الأمم،
    /// والأمم) and the form after لـ that drops it (للأمم المتحدة), where two
    /// patterns would double that part of the automaton.
    article: bool,
}

/// UTF-8 length of the article's alif (ا), dropped from article patterns.
const ALIF_LEN: usize = 'ا'.len_utf8();

pub(crate) struct Matcher {
    ac: Option<AhoCorasick>,
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

const LIL_PROCLITICS: &[&str] = &["ل", "ول", "فل"];
/// Before a name: conjunctions and prepositions, never the article.
const PROCLITICS_BEFORE_NAME: &[&str] =
    &["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"];

impl Matcher {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn targets(&self, pattern: u32) -> &[Target] {
        self.entries
            .get(pattern as usize)
            .map(|e| e.targets.as_slice())
            .unwrap_or(&[])
    }

    pub(crate) fn lookup(&self, alias: &str) -> Option<&[Target]> {
        self.index
            .get(alias)
            .map(|&i| self.entries[i].targets.as_slice())
    }

    pub(crate) fn alias(&self, pattern: u32) -> &str {
        self.entries
            .get(pattern as usize)
            .map(|e| e.alias.as_str())
            .unwrap_or("")
    }

    pub(crate) fn find(&self, doc: &Doc) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let norm = doc.norm();
        let mut cands: Vec<Hit> = Vec::new();
        for m in ac.find_overlapping_iter(norm) {
            let (mut s, e) = (m.start(), m.end());
            let entry = &self.entries[m.pattern().as_usize()];
            let (a, b) = marsad_text::word_bounds(norm, s, e);
            let prefix = &norm[a..s];
            let suffix = &norm[e..b];
            let prefix_ok = if !entry.article {
                PROCLITICS_BEFORE_NAME.contains(&prefix)
            } else if let Some(before) = prefix.strip_suffix('ا') {
                // the article written whole: the hit starts at its alif
                s -= ALIF_LEN;
                PROCLITICS_BEFORE_NAME.contains(&before)
            } else {
                LIL_PROCLITICS.contains(&prefix)
            };
            // a ta marbuta folded to ه is the word's own ending, not a pronoun suffix (قمة ≠ قم + ه)
            let real_suffix = suffix.is_empty() || doc.orig_char(e) != Some('\u{0629}');
            if prefix_ok && real_suffix && NAME_ENCLITICS.contains(&suffix) {
                cands.push(Hit {
                    start: s,
                    end: e,
                    pattern: m.pattern().as_u32(),
                });
            }
        }
        cands.sort_by(|x, y| x.start.cmp(&y.start).then(y.end.cmp(&x.end)));
        let mut out: Vec<Hit> = Vec::with_capacity(cands.len());
        for h in cands {
            if out.last().is_some_and(|l| h.start < l.end) {
                continue;
            }
            out.push(h);
        }
        out
    }
}

struct AliasTable {
    index: HashMap<String, usize>,
    entries: Vec<Entry>,
    /// Normalised forms that are ordinary words and never matched alone.
    stop: HashSet<String>,
}

impl AliasTable {
    fn add(&mut self, raw: &str, target: Target) {
        let key = normalize(raw);
        // عبد العزيز and عبدالعزيز are both written: index both
        if key.contains("عبد ال") {
            self.add_key(key.replace("عبد ال", "عبدال"), target);
        } else if key.contains("عبدال") {
            self.add_key(key.replace("عبدال", "عبد ال"), target);
        }
        self.add_key(key, target);
    }

    fn add_key(&mut self, key: String, target: Target) {
        if key.chars().count() < 2 || self.stop.contains(&key) {
            return;
        }
        let idx = *self.index.entry(key.clone()).or_insert_with(|| {
            let article = key
                .strip_prefix("ال")
                .is_some_and(|rest| rest.chars().count() >= 2);
            self.entries.push(Entry {
                alias: key,
                targets: Vec::new(),
                article,
            });
            self.entries.len() - 1
        });
        let t = &mut self.entries[idx].targets;
        if !t.contains(&target) {
            t.push(target);
        }
    }
}

fn invalid(file: &str, message: String) -> LexiconError {
    LexiconError::Invalid {
        file: file.to_string(),
        message,
    }
}

fn parse_date(file: &str, s: &str) -> Result<Date, LexiconError> {
    Date::parse_from_str(s, "%Y-%m-%d").map_err(|e| invalid(file, format!("bad date {s:?}: {e}")))
}

/// Adds the definite article to every word: كوري شمالي → الكوري الشمالي.
fn definite(adj: &str) -> String {
    adj.split(' ')
        .map(|w| format!("ال{w}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn feminine(adj: &str) -> String {
    adj.split(' ')
        .map(|w| {
            if w.ends_with('ه') {
                w.to_string()
            } else {
                format!("{w}ه")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every inflected form of a nisba adjective (normalised, without article).
fn adjective_forms(adj: &str) -> Vec<String> {
    if adj.contains(' ') {
        return vec![adj.to_string(), feminine(adj)];
    }
    ["", "ه", "ين", "ون", "ان", "تين", "تان"]
        .iter()
        .map(|s| format!("{adj}{s}"))
        .collect()
}

pub(crate) fn build(sources: Sources) -> Result<Lexicon, LexiconError> {
    let stop: HashSet<String> = sources
        .rows::<StopRow>("stop_aliases.tsv")?
        .into_iter()
        .map(|r| normalize(&r.form))
        .collect();
    let mut table = AliasTable {
        index: HashMap::new(),
        entries: Vec::new(),
        stop,
    };

    // countries
    let mut countries = Vec::new();
    let mut country_by_iso = HashMap::new();
    let mut country_adjs: Vec<Vec<(String, String)>> = Vec::new();
    let mut country_names: Vec<Vec<String>> = Vec::new();
    let mut capitals: Vec<(String, String, String)> = Vec::new();
    for r in sources.rows::<CountryRow>("countries.tsv")? {
        let iso = r.iso3.trim().to_string();
        if iso.len() != 3 || !iso.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(invalid("countries.tsv", format!("bad iso3 {iso:?}")));
        }
        if country_by_iso.contains_key(&iso) {
            // an overlay row for a known country adds aliases
        }
        let ci = *country_by_iso.entry(iso.clone()).or_insert_with(|| {
            countries.push(Country {
                iso3: iso.clone(),
                name_ar: r.name_ar.clone(),
                name_en: r.name_en.clone(),
            });
            country_adjs.push(Vec::new());
            country_names.push(Vec::new());
            (countries.len() - 1) as u32
        });
        for n in
            std::iter::once(r.name_ar.as_str()).chain(alts(r.aliases_ar.as_deref().unwrap_or("")))
        {
            table.add(n, Target::Country(ci));
            country_names[ci as usize].push(normalize(n));
        }
        for adj in alts(r.adj_ar.as_deref().unwrap_or("")) {
            let adj = normalize(adj);
            // a listed feminine multi-word form is generated from its masculine too
            let is_fem_multi =
                adj.contains(' ') && adj.split(' ').next().is_some_and(|w| w.ends_with('ه'));
            for form in adjective_forms(&adj) {
                table.add(&form, Target::CountryAdj(ci));
                table.add(&definite(&form), Target::CountryAdj(ci));
            }
            if !is_fem_multi {
                country_adjs[ci as usize].push((definite(&adj), definite(&feminine(&adj))));
            }
        }
        for d in alts(r.demonym_pl_ar.as_deref().unwrap_or("")) {
            table.add(d, Target::CountryAdj(ci));
            table.add(&definite(&normalize(d)), Target::CountryAdj(ci));
        }
        if let Some(cap) = r.capital_ar.as_deref().filter(|c| !c.is_empty()) {
            capitals.push((
                cap.to_string(),
                r.capital_en.clone().unwrap_or_default(),
                iso.clone(),
            ));
        }
    }

    // places (capitals from countries.tsv count when places.tsv lacks them)
    let mut places = Vec::new();
    let mut place_names: HashMap<String, u32> = HashMap::new();
    let mut place_rows = Vec::new();
    for (file, contents) in sources.matching(|p| p == "places.tsv") {
        for r in crate::read_rows::<PlaceRow>(file, contents)? {
            if let Some(c) = &r.country {
                if !country_by_iso.contains_key(c) {
                    return Err(invalid(
                        file,
                        format!("place {}: unknown country {c}", r.name_ar),
                    ));
                }
            }
            place_rows.push(r);
        }
    }
    // «قطاع غزة» and «غزة», «محافظة البصرة» and «البصرة» are one referent in
    // news copy: a name made of an administrative head and another place's
    // name (same country) becomes an alias of that place.
    let names_of = |r: &PlaceRow| -> Vec<String> {
        std::iter::once(r.name_ar.as_str())
            .chain(alts(r.aliases_ar.as_deref().unwrap_or("")))
            .map(normalize)
            .collect()
    };
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, r) in place_rows.iter().enumerate() {
        for n in names_of(r) {
            by_name.entry(n).or_insert(i);
        }
    }
    let heads = [
        "قطاع ",
        "محافظه ",
        "ولايه ",
        "مدينه ",
        "اقليم ",
        "منطقه ",
        "بلده ",
        "مقاطعه ",
    ];
    let merged_into = |i: usize| -> usize {
        let r = &place_rows[i];
        let name = normalize(&r.name_ar);
        for h in heads {
            if let Some(rest) = name.strip_prefix(h) {
                if let Some(&j) = by_name.get(rest) {
                    if j != i && place_rows[j].country == r.country {
                        return j;
                    }
                }
            }
        }
        i
    };
    let mut row_place: Vec<Option<u32>> = vec![None; place_rows.len()];
    for i in 0..place_rows.len() {
        if merged_into(i) != i {
            continue;
        }
        let r = &place_rows[i];
        let key = normalize(&r.name_ar);
        if place_names.contains_key(&key) {
            continue;
        }
        let pi = places.len() as u32;
        places.push(Place {
            name_ar: r.name_ar.clone(),
            name_en: r.name_en.clone(),
            country: r.country.clone(),
            kind: r.kind.clone(),
            lat: r.lat,
            lon: r.lon,
        });
        place_names.insert(key, pi);
        row_place[i] = Some(pi);
    }
    for (i, r) in place_rows.iter().enumerate() {
        let Some(pi) = row_place[merged_into(i)] else {
            continue;
        };
        for n in
            std::iter::once(r.name_ar.as_str()).chain(alts(r.aliases_ar.as_deref().unwrap_or("")))
        {
            table.add(n, Target::Place(pi));
        }
    }
    for (cap_cell, cap_en, iso) in capitals {
        // a capital cell may list spellings (أبوظبي|أبو ظبي): skip it when any is a known place
        let spellings: Vec<&str> = alts(&cap_cell).collect();
        if spellings
            .iter()
            .any(|c| place_names.contains_key(&normalize(c)))
        {
            continue;
        }
        let Some(cap) = spellings.first().map(|c| c.to_string()) else {
            continue;
        };
        let key = normalize(&cap);
        let pi = places.len() as u32;
        places.push(Place {
            name_ar: cap.clone(),
            name_en: cap_en,
            country: Some(iso),
            kind: "capital".into(),
            lat: None,
            lon: None,
        });
        place_names.insert(key, pi);
        for c in spellings {
            table.add(c, Target::Place(pi));
        }
    }

    // offices and their generated titles
    let mut offices: Vec<Office> = Vec::new();
    let office_rows = sources.rows::<OfficeRow>("offices.tsv")?;
    for r in &office_rows {
        if !offices.iter().any(|o| o.key == r.office) {
            offices.push(Office {
                key: r.office.clone(),
                role: r.role.clone(),
            });
        }
    }
    let office_idx = |k: &str| offices.iter().position(|o| o.key == k).map(|i| i as u32);
    for r in &office_rows {
        let oi = office_idx(&r.office).expect("just added");
        let fem = r.gender == "f";
        for tpl in alts(&r.titles_ar) {
            let tpl = normalize(tpl);
            for ci in 0..countries.len() {
                let target = Target::Office {
                    office: oi,
                    country: ci as u32,
                };
                if tpl.contains("{adj}") {
                    for (m, f) in &country_adjs[ci] {
                        table.add(&tpl.replace("{adj}", if fem { f } else { m }), target);
                    }
                }
                if tpl.contains("{adj_f}") {
                    for (_, f) in &country_adjs[ci] {
                        table.add(&tpl.replace("{adj_f}", f), target);
                    }
                }
                if tpl.contains("{country}") {
                    for n in &country_names[ci] {
                        table.add(&tpl.replace("{country}", n), target);
                    }
                }
            }
        }
    }

    // people and terms
    let mut people = Vec::new();
    let mut person_by_id: HashMap<String, u32> = HashMap::new();
    for (file, contents) in
        sources.matching(|p| p.starts_with("people/") && !p.ends_with("-terms.tsv"))
    {
        for r in crate::read_rows::<PersonRow>(file, contents)? {
            if person_by_id.contains_key(&r.id) {
                return Err(invalid(file, format!("duplicate person id {}", r.id)));
            }
            let pi = people.len() as u32;
            person_by_id.insert(r.id.clone(), pi);
            for n in std::iter::once(r.name_ar.as_str())
                .chain(alts(r.aliases_ar.as_deref().unwrap_or("")))
            {
                table.add(n, Target::Person(pi));
            }
            people.push(Person {
                id: r.id,
                name_ar: r.name_ar,
                name_en: r.name_en,
                actor: r.actor,
            });
        }
    }
    let mut terms = Vec::new();
    let mut terms_by_office: HashMap<(String, String), Vec<u32>> = HashMap::new();
    for (file, contents) in
        sources.matching(|p| p.starts_with("people/") && p.ends_with("-terms.tsv"))
    {
        for r in crate::read_rows::<TermRow>(file, contents)? {
            let Some(&person) = person_by_id.get(&r.person_id) else {
                return Err(invalid(
                    file,
                    format!("term for unknown person {}", r.person_id),
                ));
            };
            let start = parse_date(file, &r.start)?;
            let end = match r.end.as_deref().filter(|s| !s.is_empty()) {
                Some(e) => Some(parse_date(file, e)?),
                None => None,
            };
            if end.is_some_and(|e| e < start) {
                return Err(invalid(
                    file,
                    format!("term of {} ends before it starts", r.person_id),
                ));
            }
            if r.office != "other" && office_idx(&r.office).is_none() {
                return Err(invalid(file, format!("unknown office {}", r.office)));
            }
            let ti = terms.len() as u32;
            for t in alts(r.titles_ar.as_deref().unwrap_or("")) {
                table.add(t, Target::TermTitle(ti));
            }
            if r.office != "other" {
                terms_by_office
                    .entry((r.office.clone(), r.country.clone()))
                    .or_default()
                    .push(ti);
            }
            terms.push(Term {
                person,
                office: r.office,
                country: r.country,
                start,
                end,
            });
        }
    }

    // organisations
    let mut orgs = Vec::new();
    for r in sources.rows::<OrgRow>("orgs.tsv")? {
        let typ = match r.typ.as_str() {
            "ORG" => EntityType::Org,
            "GPE" => EntityType::Gpe,
            "LOC" => EntityType::Loc,
            "PERSON" => EntityType::Person,
            other => {
                return Err(invalid(
                    "orgs.tsv",
                    format!("org {}: bad type {other}", r.id),
                ))
            }
        };
        let oi = orgs.len() as u32;
        for n in
            std::iter::once(r.name_ar.as_str()).chain(alts(r.aliases_ar.as_deref().unwrap_or("")))
        {
            table.add(n, Target::Org(oi));
        }
        orgs.push(Org {
            id: r.id,
            name_ar: r.name_ar,
            name_en: r.name_en,
            typ,
            actor: r.actor.filter(|a| !a.is_empty()),
            country: r.country.filter(|c| !c.is_empty()),
        });
    }
    let mut org_patterns = Vec::new();
    // rows that name the same body (وزارة الخارجية، الخارجية) share one
    // referent: the first row with that English name
    let mut first_by_name: HashMap<String, u32> = HashMap::new();
    for r in sources.rows::<OrgPatternRow>("org_patterns.tsv")? {
        let pi = org_patterns.len() as u32;
        let canonical = *first_by_name.entry(r.name_en.clone()).or_insert(pi);
        let head = normalize(&r.head_ar);
        let construct = r
            .construct_ar
            .as_deref()
            .map(normalize)
            .filter(|c| !c.is_empty());
        for ci in 0..countries.len() {
            let target = Target::NationalOrg {
                pattern: canonical,
                country: ci as u32,
            };
            // role `=`: the body stands for the country itself (السلطات التركية)
            let target = if r.role == "=" {
                Target::Country(ci as u32)
            } else {
                target
            };
            for (m, f) in &country_adjs[ci] {
                table.add(
                    &format!("{head} {}", if r.gender == "f" { f } else { m }),
                    target,
                );
            }
            if let Some(c) = &construct {
                for n in &country_names[ci] {
                    table.add(&format!("{c} {n}"), target);
                }
            }
        }
        org_patterns.push(OrgPattern {
            head_ar: r.head_ar,
            construct_ar: r.construct_ar.clone().filter(|c| !c.is_empty()),
            role: r.role,
            name_en: r.name_en,
            canonical,
        });
    }

    let given_names = sources
        .rows::<GivenNameRow>("given_names.tsv")?
        .into_iter()
        .map(|r| normalize(&r.name_ar))
        .collect();
    // a `# ambiguous` comment marks the next name as also an ordinary word (أمل، آمنة)
    let mut ambiguous_given_names = HashSet::new();
    for (_, contents) in sources.matching(|p| p == "given_names.tsv") {
        let mut flagged = false;
        for line in contents.lines() {
            let line = line.trim();
            if line.starts_with('#') {
                flagged = line.contains("ambiguous");
            } else if !line.is_empty() {
                if flagged {
                    if let Some(name) = line.split('\t').next() {
                        ambiguous_given_names.insert(normalize(name));
                    }
                }
                flagged = false;
            }
        }
    }

    // a named organisation is the same referent as the generated national
    // body it spells out (وزارة الخزانة الأميركية): keep the named one
    for entry in &mut table.entries {
        let named: Vec<String> = entry
            .targets
            .iter()
            .filter_map(|t| match *t {
                Target::Org(o) => orgs.get(o as usize).and_then(|o: &Org| {
                    o.country
                        .clone()
                        .or_else(|| o.actor.as_ref().map(|a| a.chars().take(3).collect()))
                }),
                _ => None,
            })
            .collect();
        if !named.is_empty() {
            entry.targets.retain(|t| match *t {
                Target::NationalOrg { country, .. } => {
                    !named.contains(&countries[country as usize].iso3)
                }
                _ => true,
            });
        }
    }
    let ac = if table.entries.is_empty() {
        None
    } else {
        Some(
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(table.entries.iter().map(|e| {
                    if e.article {
                        &e.alias[ALIF_LEN..]
                    } else {
                        e.alias.as_str()
                    }
                }))
                .map_err(|e| LexiconError::Automaton(e.to_string()))?,
        )
    };
    Ok(Lexicon {
        countries,
        places,
        people,
        terms,
        orgs,
        offices,
        org_patterns,
        given_names,
        ambiguous_given_names,
        country_by_iso,
        sources,
        terms_by_office,
        country_adjs,
        matcher: Matcher {
            ac,
            index: table.index,
            entries: table.entries,
        },
    })
}

#[derive(Debug, serde::Deserialize)]
struct StopRow {
    form: String,
}
