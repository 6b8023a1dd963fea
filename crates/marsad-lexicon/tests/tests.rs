//! Checks of the shipped lexicon: it loads, its codes and dates are valid,
//! no alias means two different things that the date cannot tell apart, and
//! titles resolve to the right office holder for the date.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use marsad_lexicon::{Date, Lexicon, Sources, Target};

fn lex() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| Lexicon::embedded().expect("the embedded lexicon loads"))
}

const ROLES: &[&str] = &[
    "GOV", "MIL", "LEG", "JUD", "OPP", "REB", "CVL", "MED", "BUS", "COP", "SPY",
];

fn valid_actor(lex: &Lexicon, code: &str) -> bool {
    // IGOs (IGOUNO, IGOG7) and international NGOs carry no country
    if let Some(rest) = code
        .strip_prefix("IGO")
        .or_else(|| code.strip_prefix("NGO"))
    {
        return rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    }
    code.len() >= 3
        && lex.country(&code[..3]).is_some()
        && (code.len() == 3 || ROLES.contains(&&code[3..]))
}

/// A term's start, end and holder id.
type TermSpan<'a> = (Date, Option<Date>, &'a str);

fn d(s: &str) -> Date {
    Date::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

#[test]
fn embedded_lexicon_has_the_required_coverage() {
    let l = lex();
    assert!(l.countries.len() >= 196, "countries: {}", l.countries.len());
    for iso in ["TWN", "XKX", "ESH", "PSE", "VAT"] {
        assert!(l.country(iso).is_some(), "{iso} missing");
    }
    assert!(l.places.len() >= 400, "places: {}", l.places.len());
    let countries_with_people: HashSet<&str> = l
        .terms
        .iter()
        .filter(|t| t.country.len() == 3 && !t.country.starts_with("IGO"))
        .map(|t| t.country.as_str())
        .collect();
    assert!(
        countries_with_people.len() >= 60,
        "countries with office holders: {}",
        countries_with_people.len()
    );
    assert!(l.orgs.len() >= 250, "organisations: {}", l.orgs.len());
}

#[test]
fn codes_are_valid() {
    let l = lex();
    let mut seen = HashSet::new();
    for c in &l.countries {
        assert!(
            c.iso3.len() == 3 && c.iso3.chars().all(|x| x.is_ascii_uppercase()),
            "{}",
            c.iso3
        );
        assert!(seen.insert(&c.iso3), "duplicate country {}", c.iso3);
    }
    for p in &l.places {
        if let Some(c) = &p.country {
            assert!(
                l.country(c).is_some(),
                "place {}: unknown country {c}",
                p.name_ar
            );
        }
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            assert!(
                (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
                "place {}",
                p.name_ar
            );
        }
    }
    for p in &l.people {
        assert!(
            valid_actor(l, &p.actor),
            "person {}: bad actor {}",
            p.id,
            p.actor
        );
    }
    for o in &l.orgs {
        if let Some(a) = &o.actor {
            assert!(valid_actor(l, a), "org {}: bad actor {a}", o.id);
        }
        if let Some(c) = &o.country {
            assert!(l.country(c).is_some(), "org {}: unknown country {c}", o.id);
        }
    }
}

#[test]
fn office_terms_are_valid_and_do_not_overlap() {
    let l = lex();
    let mut by_office: HashMap<(&str, &str), Vec<TermSpan>> = HashMap::new();
    for t in &l.terms {
        let id = &l.people[t.person as usize].id;
        assert!(
            t.end.is_none_or(|e| t.start <= e),
            "term of {id} ends before it starts"
        );
        assert!(t.start >= d("1950-01-01"), "implausible start for {id}");
        if t.office != "other" {
            assert!(
                l.country(&t.country).is_some(),
                "term of {id}: country {}",
                t.country
            );
            by_office
                .entry((t.office.as_str(), t.country.as_str()))
                .or_default()
                .push((t.start, t.end, id.as_str()));
        }
    }
    let mut overlaps = Vec::new();
    for ((office, country), mut terms) in by_office {
        terms.sort();
        for w in terms.windows(2) {
            let (a, b) = (w[0], w[1]);
            // a successor may start on the day the predecessor leaves
            if a.1.is_none_or(|end| b.0 < end) {
                overlaps.push(format!("{office} {country}: {} and {}", a.2, b.2));
            }
        }
    }
    assert!(
        overlaps.is_empty(),
        "overlapping terms:\n{}",
        overlaps.join("\n")
    );
}

/// An alias may stand for several things only when the date tells them apart
/// (people and titles) or when they are one referent (a country's name and
/// its adjective).
#[test]
fn no_alias_has_conflicting_meanings() {
    let l = lex();
    let mut conflicts = Vec::new();
    for (alias, targets) in l.aliases() {
        let mut referents: HashSet<String> = HashSet::new();
        for t in targets {
            let r = match *t {
                Target::Country(c) | Target::CountryAdj(c) => format!("country:{c}"),
                Target::Place(p) => format!("place:{p}"),
                Target::Org(o) => format!("org:{o}"),
                Target::NationalOrg { pattern, country } => format!("natorg:{pattern}:{country}"),
                Target::Person(_) | Target::TermTitle(_) | Target::Office { .. } => "person".into(),
            };
            referents.insert(r);
        }
        if referents.len() > 1 {
            conflicts.push(format!("{alias}: {referents:?}"));
        }
    }
    conflicts.sort();
    assert!(
        conflicts.is_empty(),
        "{} aliases with conflicting meanings:\n{}",
        conflicts.len(),
        conflicts.join("\n")
    );
}

#[test]
fn titles_resolve_to_the_holder_on_the_date() {
    let l = lex();
    let holder = |office: &str, country: &str, date: &str| {
        l.office_holder(office, country, Some(d(date)))
            .map(|(p, _)| l.people[p as usize].name_en.clone())
            .unwrap_or_default()
    };
    assert!(holder("president", "USA", "2023-06-01").contains("Biden"));
    assert!(holder("president", "USA", "2025-08-08").contains("Trump"));
    assert!(holder("president", "USA", "2019-03-01").contains("Trump"));
    assert!(holder("president", "RUS", "2025-08-08").contains("Putin"));
    assert!(holder("president", "CHN", "2025-08-08").contains("Xi"));
    assert!(holder("president", "IRN", "2023-01-01").contains("Raisi"));
    assert!(holder("president", "IRN", "2024-11-12").contains("Pezeshkian"));
    assert!(holder("foreign_minister", "USA", "2025-03-01").contains("Rubio"));
    assert!(holder("foreign_minister", "USA", "2022-03-01").contains("Blinken"));
    // without a date: the latest holder, flagged as not exact
    let (p, exact) = l.office_holder("president", "USA", None).expect("a holder");
    assert!(!exact);
    assert!(l.people[p as usize].name_en.contains("Trump"));
}

#[test]
fn overlay_rows_add_to_the_embedded_lexicon() {
    let mut s = Sources::embedded();
    s.add(
        "orgs.tsv",
        "id\tname_ar\taliases_ar\tname_en\ttype\tactor\tcountry\nzz_test\tهيئة الاختبار الوطنية\t\tTest Authority\tORG\tJORGOV\tJOR\n",
    );
    let l = Lexicon::load(s).expect("loads with the overlay");
    assert!(l.orgs.iter().any(|o| o.id == "zz_test"));
    let mut bad = Sources::embedded();
    bad.add(
        "people/zz.tsv",
        "id\tname_ar\taliases_ar\tname_en\tactor\nbroken\n",
    );
    let err = Lexicon::load(bad).expect_err("a short row is an error");
    assert!(err.to_string().contains("people/zz.tsv"), "{err}");
}

/// An alias with the article is one pattern without its alif, so the hit
/// must start at the alif when the article is written whole and at the
/// lām when لـ swallowed it, and only after proclitics that can stand there.
#[test]
fn article_aliases_match_whole_and_after_li() {
    let l = lex();
    let check = |text: &str, want: Option<&str>| {
        let doc = marsad_text::Doc::new(text);
        let hits = l.find(&doc);
        let found = hits.iter().find(|h| {
            l.targets(h)
                .iter()
                .any(|t| matches!(t, Target::Org(o) if l.orgs[*o as usize].name_en.contains("United Nations")))
        });
        let got = found.map(|h| {
            let (s, e) = doc.span(h.start, h.end);
            text.chars().skip(s).take(e - s).collect::<String>()
        });
        assert_eq!(got.as_deref(), want, "in {text:?}");
    };
    check("دعت الأمم المتحدة إلى التهدئة", Some("الأمم المتحدة"));
    check("ودعت والأمم المتحدة معاً", Some("الأمم المتحدة"));
    check("أشاد بالأمم المتحدة", Some("الأمم المتحدة"));
    check("وجه رسالة للأمم المتحدة", Some("لأمم المتحدة"));
    check("وجه رسالة وللأمم المتحدة", Some("لأمم المتحدة"));
    // لـ never stands before the article's lām without its own: no proclitic, no hit
    check("كتب لأمم المتحدة", None);
    check("منظمة كالأمم المتحدة", Some("الأمم المتحدة"));
    // a letter that is no proclitic before the article: part of another word
    check("قال مالأمم المتحدة", None);
}
