//! The entity layer: lexicon hits resolved to referents, people found from
//! their context, and references (الأخير، نظيره الصيني، الوزارة، المتحدث)
//! resolved to entities already mentioned. One entity per referent.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt, HashSet};

use marsad_lexicon::{Date, EntityType, Lexicon, Target};
use marsad_text::{normalize, Doc, TokenKind};

use crate::tables::Tables;

/// What a mention refers to; one entity per distinct key in a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Ref {
    Country(u32),
    Place(u32),
    Person(u32),
    Org(u32),
    NationalOrg(u32, u32),
    /// An office whose holder on the date is not in the lexicon.
    Title(u32, u32),
    /// A person found from context, by normalised full name.
    Context(String),
    /// A title several people held on the date (the Chinese foreign ministry's
    /// spokespeople): one unnamed person, with the actor they share.
    SharedTitle(String, u32),
}

/// How a mention was found (for `explain` and anaphora).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MentionKind {
    Name,
    Title,
    Adjective,
    Context,
    Reference,
}

#[derive(Debug, Clone)]
pub(crate) struct Mention {
    /// Normalised byte range.
    pub start: usize,
    pub end: usize,
    pub entity: usize,
    pub kind: MentionKind,
}

#[derive(Debug, Clone)]
pub(crate) struct EntityInfo {
    pub key: Ref,
    pub typ: EntityType,
    pub name: String,
    pub name_en: Option<String>,
    pub actor: Option<String>,
    pub country: Option<String>,
    pub source: &'static str,
    pub confidence: f32,
    /// Normalised definite title head (الوزير، المتحدث) it was named by, if any.
    pub title_head: Option<String>,
    /// A national capital (stands for its government as an actor).
    pub is_capital: bool,
    /// A platform or channel that carries words (منصة إكس، تليغرام), not an actor.
    pub is_platform: bool,
}

#[derive(Debug, Default)]
pub(crate) struct EntityLayer {
    pub entities: Vec<EntityInfo>,
    /// Sorted by start.
    pub mentions: Vec<Mention>,
}

impl EntityLayer {
    /// The mention covering normalised byte `b`, if any.
    pub fn mention_at(&self, b: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.end <= b);
        self.mentions.get(i).filter(|m| m.start <= b)
    }

    /// The country entity (a `Ref::Country`) most mentioned in the article,
    /// counting its places too.
    pub fn dominant_country_entity(&self) -> Option<usize> {
        let mut score: HashMap<&str, usize> = HashMap::new();
        for m in &self.mentions {
            if matches!(self.entities[m.entity].key, Ref::Country(_) | Ref::Place(_)) {
                if let Some(c) = self.country_of(m.entity) {
                    *score.entry(c).or_default() += 1;
                }
            }
        }
        let best = score
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?
            .0;
        self.entities
            .iter()
            .position(|x| matches!(x.key, Ref::Country(_)) && x.country.as_deref() == Some(best))
    }

    pub fn actor_of(&self, e: usize) -> Option<&str> {
        self.entities.get(e).and_then(|x| x.actor.as_deref())
    }

    pub fn country_of(&self, e: usize) -> Option<&str> {
        let x = self.entities.get(e)?;
        x.country.as_deref().or_else(|| {
            x.actor
                .as_deref()
                .filter(|a| a.len() >= 3 && !a.starts_with("IGO"))
                .map(|a| &a[..3])
        })
    }
}

struct Builder<'a> {
    lex: &'a Lexicon,
    tables: &'a Tables,
    doc: &'a Doc,
    date: Option<Date>,
    layer: EntityLayer,
    index: HashMap<Ref, usize>,
    /// Each token's readings with a proclitic stripped, computed once: the
    /// title, name and body rules ask for them at every token.
    readings: Vec<Vec<(usize, Cow<'a, str>)>>,
}

fn country_code_of_actor(actor: &str) -> Option<String> {
    (actor.len() >= 3 && !actor.starts_with("IGO")).then(|| actor[..3].to_string())
}

impl<'a> Builder<'a> {
    fn entity_for(
        &mut self,
        key: Ref,
        surface: &str,
        conf: f32,
        title_head: Option<String>,
    ) -> usize {
        if let Some(&i) = self.index.get(&key) {
            if self.layer.entities[i].title_head.is_none() {
                self.layer.entities[i].title_head = title_head;
            }
            return i;
        }
        let lex = self.lex;
        let (typ, name, name_en, actor, country, source): (
            EntityType,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            &'static str,
        ) = match &key {
            Ref::Country(c) => {
                let c = &lex.countries[*c as usize];
                (
                    EntityType::Gpe,
                    c.name_ar.clone(),
                    Some(c.name_en.clone()),
                    Some(c.iso3.clone()),
                    Some(c.iso3.clone()),
                    "lexicon",
                )
            }
            Ref::Place(p) => {
                let p = &lex.places[*p as usize];
                (
                    p.entity_type(),
                    p.name_ar.clone(),
                    Some(p.name_en.clone()),
                    p.country.clone(),
                    p.country.clone(),
                    "lexicon",
                )
            }
            Ref::Person(p) => {
                let p = &lex.people[*p as usize];
                (
                    EntityType::Person,
                    p.name_ar.clone(),
                    Some(p.name_en.clone()),
                    Some(p.actor.clone()),
                    country_code_of_actor(&p.actor),
                    "lexicon",
                )
            }
            Ref::Org(o) => {
                let o = &lex.orgs[*o as usize];
                let country = o
                    .country
                    .clone()
                    .or_else(|| o.actor.as_deref().and_then(country_code_of_actor));
                (
                    o.typ,
                    o.name_ar.clone(),
                    Some(o.name_en.clone()),
                    o.actor.clone(),
                    country,
                    "lexicon",
                )
            }
            Ref::NationalOrg(p, c) => {
                let pat = &lex.org_patterns[*p as usize];
                let c = &lex.countries[*c as usize];
                (
                    EntityType::Org,
                    surface.to_string(),
                    Some(format!("{} ({})", pat.name_en, c.name_en)),
                    Some(format!("{}{}", c.iso3, pat.role)),
                    Some(c.iso3.clone()),
                    "lexicon",
                )
            }
            Ref::Title(o, c) => {
                let c = &lex.countries[*c as usize];
                let role = lex
                    .offices
                    .get(*o as usize)
                    .map(|o| o.role.as_str())
                    .unwrap_or("GOV");
                (
                    EntityType::Person,
                    surface.to_string(),
                    None,
                    Some(format!("{}{}", c.iso3, role)),
                    Some(c.iso3.clone()),
                    "title",
                )
            }
            Ref::Context(_) => (
                EntityType::Person,
                surface.to_string(),
                None,
                None,
                None,
                "context",
            ),
            Ref::SharedTitle(_, p) => {
                let p = &lex.people[*p as usize];
                (
                    EntityType::Person,
                    surface.to_string(),
                    None,
                    Some(p.actor.clone()),
                    country_code_of_actor(&p.actor),
                    "title",
                )
            }
        };
        let i = self.layer.entities.len();
        self.layer.entities.push(EntityInfo {
            key: key.clone(),
            typ,
            name,
            name_en,
            actor,
            country,
            source,
            confidence: conf,
            title_head,
            is_capital: matches!(&key, Ref::Place(p) if lex.places[*p as usize].kind == "capital"),
            is_platform: false,
        });
        self.index.insert(key, i);
        i
    }

    fn push(&mut self, start: usize, end: usize, entity: usize, kind: MentionKind) {
        self.layer.mentions.push(Mention {
            start,
            end,
            entity,
            kind,
        });
    }

    fn surface(&self, start: usize, end: usize) -> String {
        self.doc.text.surface(self.doc.span(start, end))
    }

    /// The most recent person mentioned before normalised byte `b`.
    fn last_person_before(&self, b: usize) -> Option<usize> {
        self.layer
            .mentions
            .iter()
            .rev()
            .filter(|m| m.end <= b)
            .find(|m| self.layer.entities[m.entity].typ == EntityType::Person)
            .map(|m| m.entity)
    }

    /// Resolves a lexicon hit's targets to one referent.
    fn resolve(&self, targets: &[Target]) -> Option<(Ref, f32, MentionKind)> {
        let lex = self.lex;
        let date = self.date;
        // a title that several people held on the date names none of them
        if let Some(d) = date {
            let mut holders: Vec<u32> = targets
                .iter()
                .filter_map(|t| match *t {
                    Target::TermTitle(t) if lex.terms[t as usize].covers(d) => {
                        Some(lex.terms[t as usize].person)
                    }
                    _ => None,
                })
                .collect();
            holders.sort_unstable();
            holders.dedup();
            if holders.len() > 1 {
                let key = holders
                    .iter()
                    .map(|h| h.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                return Some((Ref::SharedTitle(key, holders[0]), 0.6, MentionKind::Title));
            }
        }
        // people and titles first, preferring whoever was in office on the date
        let mut best: Option<(Ref, f32, MentionKind, u8)> = None;
        let mut consider = |r: Ref, conf: f32, kind: MentionKind, rank: u8| {
            if best.as_ref().is_none_or(|b| rank > b.3) {
                best = Some((r, conf, kind, rank));
            }
        };
        for t in targets {
            match *t {
                Target::Person(p) => {
                    let in_office = date.is_some_and(|d| lex.in_office(p, d));
                    consider(
                        Ref::Person(p),
                        0.9,
                        MentionKind::Name,
                        if in_office { 6 } else { 5 },
                    );
                }
                Target::TermTitle(t) => {
                    let term = &lex.terms[t as usize];
                    let covers = date.is_some_and(|d| term.covers(d));
                    let rank = if covers {
                        6
                    } else if date.is_none() {
                        3
                    } else {
                        1
                    };
                    consider(
                        Ref::Person(term.person),
                        if covers { 0.85 } else { 0.5 },
                        MentionKind::Title,
                        rank,
                    );
                }
                Target::Office { office, country } => {
                    let key = &lex.offices[office as usize].key;
                    let iso = &lex.countries[country as usize].iso3;
                    match lex.office_holder(key, iso, date) {
                        Some((p, exact)) => consider(
                            Ref::Person(p),
                            if exact { 0.85 } else { 0.55 },
                            MentionKind::Title,
                            if exact { 6 } else { 2 },
                        ),
                        None => consider(Ref::Title(office, country), 0.6, MentionKind::Title, 2),
                    }
                }
                Target::Org(o) => consider(Ref::Org(o), 0.9, MentionKind::Name, 4),
                Target::NationalOrg { pattern, country } => consider(
                    Ref::NationalOrg(pattern, country),
                    0.85,
                    MentionKind::Name,
                    4,
                ),
                Target::Place(p) => consider(Ref::Place(p), 0.9, MentionKind::Name, 3),
                Target::Country(c) => consider(Ref::Country(c), 0.95, MentionKind::Name, 3),
                Target::CountryAdj(c) => consider(Ref::Country(c), 0.9, MentionKind::Adjective, 2),
            }
        }
        best.map(|(r, c, k, _)| (r, c, k))
    }
}

/// Strips a conjunction or preposition proclitic from a normalised word,
/// yielding the word itself first. لل becomes ال.
pub(crate) fn proclitic_readings(w: &str) -> Vec<(usize, Cow<'_, str>)> {
    let mut out = vec![(0, Cow::Borrowed(w))];
    // most words start with no proclitic letter: no more readings to try
    if !w.starts_with(['و', 'ف', 'ب', 'ل', 'ك']) {
        return out;
    }
    for p in ["ولل", "فلل", "لل"] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                out.push((p.len() - "ل".len(), Cow::Owned(format!("ال{rest}"))));
            }
        }
    }
    for p in ["وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك"] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                out.push((p.len(), Cow::Borrowed(rest)));
            }
        }
    }
    out
}

/// Runs the entity layer over a document.
pub(crate) fn recognise(
    lex: &Lexicon,
    tables: &Tables,
    doc: &Doc,
    date: Option<Date>,
) -> EntityLayer {
    let mut b = Builder {
        lex,
        tables,
        doc,
        date,
        layer: EntityLayer::default(),
        index: HashMap::new(),
        readings: doc
            .tokens
            .iter()
            .map(|t| proclitic_readings(t.text(doc.norm())))
            .collect(),
    };
    let norm = doc.norm();

    // 1. lexicon hits
    for hit in lex.find(doc) {
        let targets = lex.targets(&hit);
        let Some((key, conf, kind)) = b.resolve(targets) else {
            continue;
        };
        // نظيره الصيني: the holder, in that country, of the antecedent's office
        if kind == MentionKind::Adjective {
            if let Some(prev) = doc
                .token_containing(hit.start)
                .and_then(|i| i.checked_sub(1))
            {
                let pt = doc.tokens[prev];
                let prev_word = pt.text(norm);
                if tables.counterpart_words.contains(prev_word) {
                    if let (Some(ante), Ref::Country(c)) =
                        (b.last_person_before(pt.start as usize), &key)
                    {
                        let iso = lex.countries[*c as usize].iso3.clone();
                        let offices: Vec<String> = match &b.layer.entities[ante].key {
                            Ref::Person(p) => lex
                                .offices_of(*p, date)
                                .into_iter()
                                .map(|(o, _)| o.to_string())
                                .collect(),
                            Ref::Title(o, _) => vec![lex.offices[*o as usize].key.clone()],
                            _ => Vec::new(),
                        };
                        let holder = offices
                            .iter()
                            .find_map(|o| lex.office_holder(o, &iso, date));
                        if let Some((p, exact)) = holder {
                            let surface = b.surface(pt.start as usize, pt.end as usize);
                            let e = b.entity_for(
                                Ref::Person(p),
                                &surface,
                                if exact { 0.8 } else { 0.5 },
                                None,
                            );
                            b.push(
                                pt.start as usize,
                                pt.end as usize,
                                e,
                                MentionKind::Reference,
                            );
                        }
                    }
                }
            }
        }
        let head = match kind {
            MentionKind::Title => title_head(tables, lex.alias(hit.pattern)),
            _ => None,
        };
        // «المتحدث باسم وزارة الخارجية الصينية»: the spokesman is one mention,
        // the body he speaks for another
        let mut end = hit.end;
        if kind == MentionKind::Title {
            if let Some((person_end, body)) = split_spokesman(&b, hit.start, hit.end) {
                end = person_end;
                if let Some((body_start, targets)) = body {
                    if let Some((bkey, bconf, bkind)) = b.resolve(targets) {
                        let surface = b.surface(body_start, hit.end);
                        let be = b.entity_for(bkey, &surface, bconf, None);
                        b.push(body_start, hit.end, be, bkind);
                    }
                }
            }
        }
        // an unresolved title is named by all its words, the body included
        let surface = b.surface(hit.start, hit.end);
        let e = b.entity_for(key, &surface, conf, head);
        b.push(hit.start, end, e, kind);
    }
    b.layer.mentions.sort_by_key(|m| m.start);

    // 2. people in no lexicon, found from their context
    find_context_people(&mut b);
    b.layer.mentions.sort_by_key(|m| m.start);
    apposition(&mut b);

    // 3. references to entities already mentioned
    resolve_references(&mut b);
    b.layer.mentions.sort_by_key(|m| m.start);

    // 4. national bodies named without their country (شرطة البصرة، وزارة الصحة)
    find_unnamed_bodies(&mut b);
    b.layer.mentions.sort_by_key(|m| m.start);

    // 5. organisations with no actor code named as a channel (على منصة إكس، عبر
    // تليغرام) are platforms that carry words, not actors
    mark_platforms(&mut b);
    b.layer
}

/// The definite head of a title alias (وزير الخارجيه ... → الوزير).
fn title_head(tables: &Tables, alias: &str) -> Option<String> {
    let first = alias.split(' ').next()?;
    let def = if first.starts_with("ال") {
        first.to_string()
    } else {
        format!("ال{first}")
    };
    tables.reference_heads.contains(&def).then_some(def)
}

fn is_name_token(b: &Builder, i: usize) -> bool {
    let Some(t) = b.doc.tokens.get(i) else {
        return false;
    };
    if t.kind != TokenKind::Word {
        return false;
    }
    let w = t.text(b.doc.norm());
    if w.chars().count() < 2 && w != "ي" {
        return false;
    }
    // a function word stays one behind a clitic (لرئيس، ومدير)
    let function = b.readings[i]
        .iter()
        .any(|(_, r)| b.tables.function_words.contains(r.as_ref()));
    !function && b.layer.mention_at(t.start as usize).is_none()
}

/// Is token `i` a person-title head? Returns (number of tokens, role).
fn title_at(b: &Builder, i: usize) -> Option<(usize, String)> {
    let firsts = &b.tables.person_title_firsts;
    if !b
        .readings
        .get(i)?
        .iter()
        .any(|(_, r)| firsts.contains(r.as_ref()))
    {
        return None;
    }
    for (words, role) in &b.tables.person_titles {
        let n = words.len();
        if i + n > b.doc.tokens.len() {
            continue;
        }
        let ok = words.iter().enumerate().all(|(k, w)| {
            let t = b.doc.tok(i + k);
            if k == 0 {
                b.readings[i].iter().any(|(_, r)| r == w)
            } else {
                t == w
            }
        });
        if ok {
            return Some((n, role.clone()));
        }
    }
    None
}

/// Country and role for a person from the title phrase around tokens [a, z).
fn actor_from_context(
    b: &Builder,
    a: usize,
    z: usize,
    dominant: Option<&str>,
) -> (Option<String>, Option<String>) {
    let doc = b.doc;
    let toks = &doc.tokens;
    let sent = doc.sentence_of(toks[a].start as usize);
    let same_sentence = |i: usize| doc.sentence_of(toks[i].start as usize) == sent;
    // the title before the name: back to a clause boundary
    let mut title: Option<(usize, String)> = None;
    let mut k = a;
    let mut steps = 0;
    while k > 0 && steps < 10 {
        k -= 1;
        steps += 1;
        if !same_sentence(k) || (toks[k].kind == TokenKind::Punct && doc.tok(k) != "،") {
            break;
        }
        if let Some((_, role)) = title_at(b, k) {
            title = Some((k, role));
        }
        if title.is_some() && doc.tok(k) == "،" {
            break;
        }
    }
    let mut phrase = title.as_ref().map(|(k, _)| (*k, a));
    // or the apposition after it: «X، المتحدث باسم ...،»
    if title.is_none() && doc.tok(z) == "،" {
        if let Some((_, role)) = title_at(b, z + 1) {
            title = Some((z + 1, role));
            let mut e = z + 1;
            while e < toks.len() && same_sentence(e) && !matches!(doc.tok(e), "،" | "." | ":") {
                e += 1;
            }
            phrase = Some((z + 1, e));
        }
    }
    let role = title.map(|(_, r)| r);
    let mut country = None;
    if let Some((s, e)) = phrase {
        for m in &b.layer.mentions {
            if m.start >= toks[s].start as usize
                && m.end <= toks[e.saturating_sub(1).max(s)].end as usize
            {
                if let Some(c) = b.layer.country_of(m.entity) {
                    country = Some(c.to_string());
                    break;
                }
                if let Some(a) = b.layer.actor_of(m.entity).filter(|a| a.starts_with("IGO")) {
                    return (Some(a.to_string()), None);
                }
            }
        }
    }
    let country = country.or_else(|| dominant.map(str::to_string));
    let actor = country
        .as_ref()
        .map(|c| format!("{c}{}", role.as_deref().unwrap_or("CVL")));
    (actor, country)
}

/// The country most named by places (cities, regions) in the document, then by
/// country names: the fallback for people whose title names no country.
fn dominant_country(b: &Builder) -> Option<String> {
    let mut score: HashMap<String, u32> = HashMap::new();
    for m in &b.layer.mentions {
        let e = &b.layer.entities[m.entity];
        let w = match e.key {
            Ref::Place(_) | Ref::Country(_) => 2,
            Ref::Context(_) => 0,
            _ => 1,
        };
        if let (Some(c), true) = (b.layer.country_of(m.entity), w > 0) {
            *score.entry(c.to_string()).or_default() += w;
        }
    }
    score
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(c, _)| c)
}

fn find_context_people(b: &mut Builder) {
    let doc = b.doc;
    let n = doc.tokens.len();
    let dominant = dominant_country(b);
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut absorbed: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < n {
        if !is_name_token(b, i) {
            i += 1;
            continue;
        }
        // a given name starts a name (two-word given names such as عبد الرحيم too)
        // only a conjunction may stand before a name's first word (ومحمد); a
        // preposition reading makes names of words (لجان ≠ ل + جان)
        let given = b.readings[i]
            .iter()
            .filter(|(p, _)| *p == 0 || matches!(&doc.tok(i)[..*p], "و" | "ف"))
            .find(|(_, r)| b.tables_given(r))
            .map(|(p, _)| *p)
            .or_else(|| {
                // two-word given names: عبد القادر، أبو بكر
                (i + 1 < n && b.tables.two_word_given_firsts.contains(doc.tok(i)))
                    .then(|| format!("{} {}", doc.tok(i), doc.tok(i + 1)))
                    .filter(|two| b.tables_given(two))
                    .map(|_| 0)
            });
        // (what follows only matters for a word that starts a name)
        if given.is_none() {
            i += 1;
            continue;
        }
        // a given name that is also a word (أمل، آمنة) needs a title or an
        // honorific before it, or another name after it
        let ambiguous = b.readings[i]
            .iter()
            .any(|(_, r)| b.lex.ambiguous_given_names.contains(r.as_ref()));
        let next = if i + 1 < n { doc.tok(i + 1) } else { "" };
        // «المتحدث باسم وزارة الخارجية، سعيد الحسني،»: an apposition after a title also supports it
        let after_titled_comma = i > 0
            && doc.tok(i - 1) == "،"
            && (i.saturating_sub(9)..i - 1).any(|k| title_at(b, k).is_some());
        // «الناطقة باسم المجلس الرئاسي نجوى وهيبة»: a title shortly before, in
        // the same clause
        let titled_before = (i.saturating_sub(7)..i).any(|k| title_at(b, k).is_some())
            && !(i.saturating_sub(7)..i).any(|k| doc.tokens[k].kind == TokenKind::Punct);
        let supported = !ambiguous
            || after_titled_comma
            || titled_before
            || (i > 0
                && (title_at(b, i - 1).is_some() || b.tables.honorifics.contains(doc.tok(i - 1))))
            || (b.tables_given(next) && !b.lex.ambiguous_given_names.contains(next))
            || matches!(next, "بن" | "عبد" | "ابو" | "ابن");
        if given.is_some() && supported {
            let mut j = i + 1;
            // after عبد / أبو the next word belongs to the name whatever it is
            // (عبد الأمير، أبو الغيط)
            while j < n
                && j < i + 5
                && !doc.norm()[doc.tokens[j - 1].end as usize..doc.tokens[j].start as usize]
                    .contains('\n')
                && ((is_name_token(b, j)
                    && !doc.tok(j).starts_with('و')
                    && !["بال", "لل", "كال"]
                        .iter()
                        .any(|p| doc.tok(j).starts_with(p)))
                    || (matches!(doc.tok(j - 1), "عبد" | "ابو")
                        && doc.tokens[j].kind == TokenKind::Word))
            {
                j += 1;
                // a surname with the article ends the name (فهد سالم الكعبي), unless
                // it belongs to عبد / أبو / بن (عبد الرحيم، أبو الغيط)
                let last = doc.tok(j - 1);
                if last.starts_with("ال") && !matches!(doc.tok(j - 2), "عبد" | "ابو" | "بن" | "ابن")
                {
                    break;
                }
            }
            // «كليمنتين نكويتا سلامي» is not the Salami of the lexicon: a
            // surname-only match that ends another person's full name joins it
            if j < n && j < i + 5 {
                if let Some(k) = absorbable_surname(b, i, j) {
                    absorbed.push(k);
                    j += 1;
                }
            }
            if j - i >= 2 {
                found.push((i, j));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    // «X Y Z، المتحدث باسم ...»: the words before an apposition with a title
    for k in 1..n {
        if doc.tok(k) != "،" || title_at(b, k + 1).is_none() {
            continue;
        }
        let mut a = k;
        while a > 0
            && k - a < 4
            && is_name_token(b, a - 1)
            && !found.iter().any(|&(s, e)| s < k && a - 1 < e)
        {
            // only the surname next to the comma may carry the article (الأسطل)
            let w = doc.tok(a - 1);
            let definite =
                w.starts_with("ال") || ["لل", "بال", "وال", "فال"].iter().any(|p| w.starts_with(p));
            if definite && a != k {
                break;
            }
            a -= 1;
        }
        // without a given name to anchor it, accept only a run of three or more
        // foreign-looking words (قوه جيا كون): no article, no conjunction, no بن
        let given_first = a < k && b.tables_given(doc.tok(a));
        let plain = (a..k).all(|x| {
            let w = doc.tok(x);
            !w.starts_with("ال")
                && !w.starts_with('و')
                && !w.starts_with('ب')
                && !w.starts_with('ل')
                && w != "بن"
        });
        let ok = given_first || (k - a >= 3 && plain);
        if k - a >= 2 && ok && !found.iter().any(|&(s, e)| s < k && a < e) {
            found.push((a, k));
        }
    }
    if !absorbed.is_empty() {
        let mut k = 0;
        b.layer.mentions.retain(|_| {
            k += 1;
            !absorbed.contains(&(k - 1))
        });
    }
    found.sort();
    for (a, z) in found {
        let (start, end) = (doc.tokens[a].start as usize, doc.tokens[z - 1].end as usize);
        // a leading conjunction or preposition is not part of the name
        let first = doc.tok(a);
        let skip = proclitic_readings(first)
            .into_iter()
            .find(|(_, r)| b.tables_given(r))
            .map(|(p, _)| p)
            .unwrap_or(0);
        let start = start + skip;
        let key = normalize(&doc.norm()[start..end]);
        let (actor, country) = actor_from_context(b, a, z, dominant.as_deref());
        let surface = b.surface(start, end);
        let e = b.entity_for(Ref::Context(key.clone()), &surface, 0.7, None);
        if b.layer.entities[e].actor.is_none() {
            b.layer.entities[e].actor = actor;
            b.layer.entities[e].country = country;
        }
        b.push(start, end, e, MentionKind::Context);
    }
}

impl Builder<'_> {
    fn tables_given(&self, w: &str) -> bool {
        self.lex.given_names.contains(w) && !self.tables.function_words.contains(w)
    }
}

/// Short forms that refer back to an entity already named: surnames of
/// people found from context, heads of national bodies (الوزارة، الجيش،
/// الخارجية), definite heads of named organisations (التنظيم، الحركة) and
/// titles (الوزير، المتحدث); الأخير for the last person named.
fn resolve_references(b: &mut Builder) {
    let doc = b.doc;
    let norm = doc.norm();
    let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
    for (e, info) in b.layer.entities.iter().enumerate() {
        let mut add = |k: String| {
            if k.chars().count() >= 3 && !b.tables.function_words.contains(&k) {
                keys.entry(k).or_default().push(e);
            }
        };
        match &info.key {
            Ref::Context(name) => {
                let words: Vec<&str> = name.split(' ').collect();
                if words.len() >= 2 {
                    if let Some(last) = words.last() {
                        add(last.to_string());
                    }
                }
            }
            // «وصل وزير الدفاع آشتون كارتر … ويلتقي كارتر»: the surname of a
            // lexicon person named in full, whether or not it is an alias
            Ref::Person(p) => {
                let name = normalize(&b.lex.people[*p as usize].name_ar);
                let words: Vec<&str> = name.split(' ').collect();
                if words.len() >= 2 {
                    if let Some(last) = words.last() {
                        add(last.to_string());
                    }
                }
            }
            Ref::NationalOrg(p, _) => {
                let head = normalize(&b.lex.org_patterns[*p as usize].head_ar);
                if let Some(rest) = head.strip_prefix("وزاره ") {
                    add("الوزاره".into());
                    add(rest.to_string());
                }
                add(head);
            }
            Ref::Org(o) => {
                let name = normalize(&b.lex.orgs[*o as usize].name_ar);
                let words: Vec<&str> = name.split(' ').collect();
                if words.len() >= 2 {
                    if !words[0].starts_with("ال") {
                        add(format!("ال{}", words[0]));
                    }
                    if let Some(last) = words.last() {
                        if b.tables.is_country_adjective(last) {
                            add(words[..words.len() - 1].join(" "));
                        }
                    }
                }
            }
            _ => {}
        }
        if let Some(h) = &info.title_head {
            add(h.clone());
        }
    }
    let first_mention: Vec<usize> = {
        let mut f = vec![usize::MAX; b.layer.entities.len()];
        for m in &b.layer.mentions {
            f[m.entity] = f[m.entity].min(m.start);
        }
        f
    };
    let n = doc.tokens.len();
    let mut new: Vec<Mention> = Vec::new();
    // the first words of every key: a word none of whose readings starts a
    // key (nor الأخير) refers to nothing, and most words are such
    let key_firsts: HashSet<&str> = keys
        .keys()
        .filter_map(|k| k.split(' ').next())
        .chain(["الاخير", "الاخيره"])
        .collect();
    let mut i = 0;
    while i < n {
        let t = doc.tokens[i];
        if t.kind != TokenKind::Word
            || b.layer.mention_at(t.start as usize).is_some()
            || !b.readings[i]
                .iter()
                .any(|(_, r)| key_firsts.contains(r.as_ref()))
        {
            i += 1;
            continue;
        }
        let mut matched = false;
        for len in (1..=3).rev() {
            if i + len > n {
                continue;
            }
            let covered =
                (i..i + len).any(|k| b.layer.mention_at(doc.tokens[k].start as usize).is_some());
            if covered {
                continue;
            }
            let rest: Vec<&str> = (i + 1..i + len).map(|k| doc.tok(k)).collect();
            for (plen, first) in b.readings[i].clone() {
                let mut phrase = first.into_owned();
                for r in &rest {
                    phrase.push(' ');
                    phrase.push_str(r);
                }
                let start = t.start as usize + plen;
                let end = doc.tokens[i + len - 1].end as usize;
                let target = if phrase == "الاخير" || phrase == "الاخيره" {
                    b.last_person_before(start)
                } else {
                    keys.get(&phrase).and_then(|cands| {
                        cands
                            .iter()
                            .filter(|&&e| first_mention[e] < start)
                            .max_by_key(|&&e| {
                                b.layer
                                    .mentions
                                    .iter()
                                    .filter(|m| m.entity == e && m.start < start)
                                    .map(|m| m.start)
                                    .max()
                            })
                            .copied()
                    })
                };
                if let Some(e) = target {
                    let _ = norm;
                    new.push(Mention {
                        start,
                        end,
                        entity: e,
                        kind: MentionKind::Reference,
                    });
                    matched = true;
                    i += len;
                    break;
                }
            }
            if matched {
                break;
            }
        }
        if !matched {
            i += 1;
        }
    }
    b.layer.mentions.extend(new);
}

/// Does the phrase `words` stand at token `i` (a conjunction or preposition
/// may be attached to its first word)? Returns the proclitic length.
fn phrase_at(b: &Builder, i: usize, words: &[String]) -> Option<usize> {
    let doc = b.doc;
    if words.is_empty() || i + words.len() > doc.tokens.len() {
        return None;
    }
    let &(plen, _) = b.readings[i].iter().find(|(_, r)| *r == words[0])?;
    words[1..]
        .iter()
        .enumerate()
        .all(|(k, w)| doc.tok(i + 1 + k) == w)
        .then_some(plen)
}

/// A national body named by its head alone gets its country from a place
/// that follows it (شرطة البصرة، النيابة العامة في إسطنبول) or, for
/// specific multi-word heads (وزارة الصحة، الدفاع المدني), from the country
/// the article is about.
fn find_unnamed_bodies(b: &mut Builder) {
    let doc = b.doc;
    let lex = b.lex;
    let dominant = dominant_country(b);
    // heads are compiled once in the tables; most tokens start none of them
    let heads = &b.tables.org_heads;
    let n = doc.tokens.len();
    let mut new = Vec::new();
    let mut i = 0;
    while i < n {
        let covered = |k: usize| b.layer.mention_at(doc.tokens[k].start as usize).is_some();
        if doc.tokens[i].kind != TokenKind::Word
            || covered(i)
            || !b.readings[i]
                .iter()
                .any(|(_, r)| b.tables.org_head_firsts.contains(r.as_ref()))
        {
            i += 1;
            continue;
        }
        let place_country = |k: usize| -> Option<String> {
            let m = b.layer.mention_at(doc.tokens.get(k)?.start as usize)?;
            matches!(
                b.layer.entities[m.entity].key,
                Ref::Place(_) | Ref::Country(_)
            )
            .then(|| b.layer.country_of(m.entity).map(str::to_string))
            .flatten()
        };
        let mut best: Option<(usize, u32, usize, Option<String>)> = None; // (tokens, pattern, proclitic, country)
        for (pi, head, construct) in heads {
            if let Some(c) = construct {
                if let Some(plen) = phrase_at(b, i, c) {
                    let k = i + c.len();
                    if let Some(country) = place_country(k).filter(|_| k < n && !covered(k - 1)) {
                        let len = c.len();
                        if best.as_ref().is_none_or(|x| len > x.0) {
                            best = Some((len, *pi, plen, Some(country)));
                        }
                    }
                }
            }
            if let Some(plen) = phrase_at(b, i, head) {
                let k = i + head.len();
                if (k..k + head.len()).any(|x| x < n && covered(x) && x == k)
                    && place_country(k).is_none()
                {
                    // followed by an entity that is not a place: not a bare head
                    continue;
                }
                let located = (k + 1 < n && doc.tok(k) == "في")
                    .then(|| place_country(k + 1))
                    .flatten();
                let country =
                    located.or_else(|| (head.len() >= 2).then(|| dominant.clone()).flatten());
                if let Some(country) = country {
                    if best.as_ref().is_none_or(|x| head.len() > x.0) {
                        best = Some((head.len(), *pi, plen, Some(country)));
                    }
                }
            }
        }
        if let Some((len, pi, plen, Some(country))) = best {
            if let Some(&ci) = lex.country_by_iso.get(&country) {
                let start = doc.tokens[i].start as usize + plen;
                let end = doc.tokens[i + len - 1].end as usize;
                let surface = b.surface(start, end);
                let canonical = lex.org_patterns[pi as usize].canonical;
                let e = b.entity_for(Ref::NationalOrg(canonical, ci), &surface, 0.6, None);
                new.push(Mention {
                    start,
                    end,
                    entity: e,
                    kind: MentionKind::Name,
                });
                i += len;
                continue;
            }
        }
        i += 1;
    }
    b.layer.mentions.extend(new);
}

/// Token `j` ends a name begun at token `i` if it is covered by a one-word
/// lexicon match of a person whose own given name is not the one at `i`.
/// Returns the index of that mention.
fn absorbable_surname(b: &Builder, i: usize, j: usize) -> Option<usize> {
    let doc = b.doc;
    let t = doc.tokens.get(j)?;
    let k = b
        .layer
        .mentions
        .iter()
        .position(|m| m.start >= t.start as usize && m.end <= t.end as usize)?;
    let m = &b.layer.mentions[k];
    let Ref::Person(p) = b.layer.entities[m.entity].key else {
        return None;
    };
    if m.kind != MentionKind::Name {
        return None;
    }
    let first = normalize(
        b.lex.people[p as usize]
            .name_ar
            .split(' ')
            .next()
            .unwrap_or(""),
    );
    let here = doc.tok(i);
    (first != here && !proclitic_readings(here).iter().any(|(_, r)| *r == first)).then_some(k)
}

/// The body of a spokesman title: its start and what it stands for.
type BodyHit<'l> = (usize, &'l [Target]);

/// Splits a spokesman title (المتحدث باسم X) into the person's words and the
/// body X. Returns the end of the person's words and, when X is in the
/// lexicon, the body's start and targets.
fn split_spokesman<'l>(
    b: &Builder<'l>,
    start: usize,
    end: usize,
) -> Option<(usize, Option<BodyHit<'l>>)> {
    let norm = b.doc.norm();
    let k = norm.get(start..end)?.find(" باسم ")?;
    let body_start = start + k + " باسم ".len();
    let body = b
        .lex
        .lookup(&norm[body_start..end])
        .map(|t| (body_start, t));
    Some((start + k, body))
}

/// A title next to a name (الرئيس الأوكراني فولوديمير زيلينسكي، قوه جيا كون،
/// المتحدث باسم …) names that person, whoever the title alone resolves to.
fn apposition(b: &mut Builder) {
    let doc = b.doc;
    for k in 0..b.layer.mentions.len() {
        let m = b.layer.mentions[k].clone();
        if m.kind != MentionKind::Title {
            continue;
        }
        let layer = &b.layer;
        let is_name = |x: &&Mention| {
            matches!(x.kind, MentionKind::Name | MentionKind::Context)
                && layer.entities[x.entity].typ == EntityType::Person
        };
        // the token after the title (past the body of «المتحدث باسم X») and one comma
        let mut t = doc.token_at_or_after(m.end);
        if doc.tok(t) == "باسم" {
            if let Some(body) = doc
                .tokens
                .get(t + 1)
                .and_then(|tok| layer.mention_at(tok.start as usize))
            {
                t = doc.token_at_or_after(body.end);
            }
        }
        if doc.tok(t) == "،" {
            t += 1;
        }
        let after = doc.tokens.get(t).and_then(|tok| {
            layer
                .mentions
                .iter()
                .filter(is_name)
                .find(|x| x.start >= tok.start as usize && x.start < tok.end as usize)
        });
        // a name before the title is its apposition only across a comma
        // («قوه جيا كون، المتحدث»), or when the title alone names nobody; else
        // it is the subject of a verb whose object the title is (استقبل
        // السيسي وزير الخارجية الأمريكي)
        let unresolved = matches!(
            layer.entities[m.entity].key,
            Ref::Title(..) | Ref::SharedTitle(..)
        );
        let before = doc.token_containing(m.start).and_then(|i| {
            let mut j = i.checked_sub(1)?;
            if doc.tok(j) == "،" {
                j = j.checked_sub(1)?;
            } else if !unresolved {
                return None;
            }
            let tok = doc.tokens[j];
            layer
                .mentions
                .iter()
                .filter(is_name)
                .find(|x| x.end > tok.start as usize && x.end <= tok.end as usize)
        });
        let Some(e) = after.or(before).map(|x| x.entity) else {
            continue;
        };
        // a title of one country never names a person of another
        if let (Some(a), Some(c)) = (b.layer.country_of(m.entity), b.layer.country_of(e)) {
            if a != c {
                continue;
            }
        }
        if e != m.entity {
            let head = b.layer.entities[m.entity].title_head.clone();
            b.layer.mentions[k].entity = e;
            if b.layer.entities[e].title_head.is_none() {
                b.layer.entities[e].title_head = head;
            }
        }
    }
}

fn mark_platforms(b: &mut Builder) {
    let doc = b.doc;
    let channel = [
        "علي",
        "عبر",
        "منصه",
        "تطبيق",
        "موقع",
        "حساب",
        "حسابه",
        "حسابها",
        "صفحه",
        "صفحته",
    ];
    let mut platforms = Vec::new();
    for m in &b.layer.mentions {
        let e = &b.layer.entities[m.entity];
        if e.typ != EntityType::Org || e.actor.is_some() {
            continue;
        }
        let first = doc.norm()[m.start..m.end].split(' ').next().unwrap_or("");
        let before = doc
            .token_containing(m.start)
            .and_then(|i| i.checked_sub(1))
            .map(|i| doc.tok(i));
        if channel.contains(&first)
            || before.is_some_and(|w| {
                channel.contains(&w) || w.strip_prefix('و').is_some_and(|r| channel.contains(&r))
            })
        {
            platforms.push(m.entity);
        }
    }
    for e in platforms {
        b.layer.entities[e].is_platform = true;
    }
}
