//! `marsad explain`: every stage's output for one article, so that a wrong
//! record can be traced to the rule that made it.

use std::fmt::Write as _;

use marsad_lexicon::{Hit, Target};
use marsad_text::Doc;

use crate::events::{EventItem, Rejected};
use crate::{Extractor, Record};

pub(crate) struct Trace {
    pub doc: Doc,
    pub hits: Vec<Hit>,
    pub events: Vec<EventItem>,
    pub rejected: Vec<Rejected>,
}

fn describe(ex: &Extractor, t: &Target) -> String {
    let lex = &ex.lex;
    match *t {
        Target::Country(c) => format!("country {}", lex.countries[c as usize].iso3),
        Target::CountryAdj(c) => format!("adjective of {}", lex.countries[c as usize].iso3),
        Target::Place(p) => format!("place {}", lex.places[p as usize].name_en),
        Target::Person(p) => format!("person {}", lex.people[p as usize].name_en),
        Target::Org(o) => format!("organisation {}", lex.orgs[o as usize].name_en),
        Target::Office { office, country } => format!(
            "title: {} of {}",
            lex.offices[office as usize].key, lex.countries[country as usize].iso3
        ),
        Target::TermTitle(t) => {
            let term = &lex.terms[t as usize];
            format!(
                "title of {} ({} {})",
                lex.people[term.person as usize].name_en, term.office, term.country
            )
        }
        Target::NationalOrg { pattern, country } => format!(
            "national body: {} of {}",
            lex.org_patterns[pattern as usize].name_en, lex.countries[country as usize].iso3
        ),
    }
}

impl Trace {
    pub fn render(&self, ex: &Extractor, rec: &Record) -> String {
        let doc = &self.doc;
        let surface = |a: usize, b: usize| doc.text.surface(doc.span(a, b));
        let mut o = String::new();
        let _ = writeln!(
            o,
            "# {} ({})",
            rec.id,
            rec.date.as_deref().unwrap_or("no date")
        );
        let _ = writeln!(o, "\n## normalised text\n{}", doc.norm());
        let _ = writeln!(o, "\n## sentences ({})", doc.sentences.len());
        for (i, s) in doc.sentences.iter().enumerate() {
            let (a, b) = doc.span(s.start as usize, s.end as usize);
            let _ = writeln!(o, "{i:3} [{a},{b})");
        }
        let _ = writeln!(o, "\n## tokens ({})", doc.tokens.len());
        let toks: Vec<&str> = doc.tokens.iter().map(|t| t.text(doc.norm())).collect();
        let _ = writeln!(o, "{}", toks.join(" | "));
        let _ = writeln!(o, "\n## lexicon hits ({})", self.hits.len());
        for h in &self.hits {
            let targets: Vec<String> = ex.lex.targets(h).iter().map(|t| describe(ex, t)).collect();
            let (a, b) = doc.span(h.start, h.end);
            let _ = writeln!(
                o,
                "[{a},{b}) {} ← alias «{}»: {}",
                surface(h.start, h.end),
                ex.lex.alias(h.pattern),
                targets.join("; ")
            );
        }
        let _ = writeln!(o, "\n## entities ({})", rec.entities.len());
        for e in &rec.entities {
            let _ = writeln!(
                o,
                "{} {} {} actor={} via {} (confidence {:.2}) mentions {:?}",
                e.id,
                e.typ,
                e.name,
                e.actor.as_deref().unwrap_or("-"),
                e.source,
                e.confidence,
                e.mentions
            );
        }
        let _ = writeln!(o, "\n## times ({})", rec.times.len());
        for t in &rec.times {
            let _ = writeln!(
                o,
                "{:?} «{}» → {} ({})",
                t.span,
                t.text,
                t.value.as_deref().unwrap_or("null"),
                t.granularity
            );
        }
        let _ = writeln!(o, "\n## counts ({})", rec.counts.len());
        for c in &rec.counts {
            let _ = writeln!(
                o,
                "{:?} «{}» → {} {}–{} {:?} {:?}",
                c.span, c.text, c.typ, c.min, c.max, c.qualifier, c.unit
            );
        }
        let _ = writeln!(o, "\n## quotes ({})", rec.quotes.len());
        for q in &rec.quotes {
            let _ = writeln!(
                o,
                "cue «{}» speaker={} ({}) via={} direct={} «{}»",
                q.cue,
                q.speaker.as_deref().unwrap_or("-"),
                q.speaker_text.as_deref().unwrap_or(""),
                q.via.as_deref().unwrap_or("-"),
                q.direct,
                q.text
            );
        }
        let _ = writeln!(
            o,
            "\n## event candidates ({} kept, {} rejected)",
            rec.events.len(),
            self.rejected.len()
        );
        for (e, item) in rec.events.iter().zip(&self.events) {
            let _ = writeln!(
                o,
                "KEPT {} pattern={} «{}» {}({}) → {}({}) {} date={} conf {:.2}",
                e.cameo,
                e.pattern,
                surface(item.trigger.0, item.trigger.1),
                e.source.as_deref().unwrap_or("-"),
                e.source_actor.as_deref().unwrap_or("-"),
                e.target.as_deref().unwrap_or("-"),
                e.target_actor.as_deref().unwrap_or("-"),
                e.modality,
                e.date.as_deref().unwrap_or("-"),
                e.confidence
            );
        }
        for r in &self.rejected {
            let _ = writeln!(
                o,
                "REJECTED pattern={} «{}»: {}",
                r.pattern,
                surface(r.trigger.0, r.trigger.1),
                r.reason
            );
        }
        o
    }
}
