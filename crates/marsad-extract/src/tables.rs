//! Small word tables the layers read from the lexicon's files, normalised once.

use foldhash::HashSet;

use marsad_lexicon::{alts, Lexicon, LexiconError};
use marsad_text::normalize;

#[derive(Debug, serde::Deserialize)]
struct WordRow {
    word: String,
}

#[derive(Debug, serde::Deserialize)]
struct TriggerRow {
    pos: String,
    triggers: String,
}

#[derive(Debug, serde::Deserialize)]
struct CueRow {
    kind: String,
    forms: String,
}

#[derive(Debug, serde::Deserialize)]
struct TitleRow {
    head: String,
    role: String,
}

/// Word lists shared by the layers.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// Words that never belong to a name.
    pub function_words: HashSet<String>,
    /// Person-title heads as normalised words, longest first, with their role.
    pub person_titles: Vec<(Vec<String>, String)>,
    /// The first word of every person title: most words start none, and a
    /// set lookup says so before the whole list is tried.
    pub person_title_firsts: HashSet<String>,
    /// نظيره and its forms: "his counterpart".
    pub counterpart_words: HashSet<String>,
    /// Definite title heads that refer back to a titled person (الوزير).
    pub reference_heads: HashSet<String>,
    /// Honorifics that may stand before a name (الدكتور، الشيخ، اللواء).
    pub honorifics: HashSet<String>,
    /// Definite country adjectives, both genders.
    pub country_adjectives: HashSet<String>,
    /// National-body heads (`org_patterns.tsv`) as normalised words: (pattern
    /// index, head words, construct-state words), built once, not per article.
    pub org_heads: Vec<(u32, Vec<String>, Option<Vec<String>>)>,
    /// The first word of every head and construct form in `org_heads`.
    pub org_head_firsts: HashSet<String>,
}

impl Tables {
    pub fn load(lex: &Lexicon) -> Result<Tables, LexiconError> {
        let mut function_words: HashSet<String> = lex
            .sources
            .rows::<WordRow>("function_words.tsv")?
            .into_iter()
            .map(|r| normalize(&r.word))
            .collect();
        // speech and event verbs never belong to a name either (رفض، انتقد، تساءل)
        for r in lex.sources.rows::<TriggerRow>("events/patterns.tsv")? {
            if r.pos == "verb" {
                function_words.extend(
                    alts(&r.triggers)
                        .map(normalize)
                        .filter(|w| !w.contains(' ')),
                );
            }
        }
        for r in lex.sources.rows::<CueRow>("cues.tsv")? {
            if matches!(r.kind.as_str(), "verb" | "participle" | "relay") {
                function_words.extend(alts(&r.forms).map(normalize).filter(|w| !w.contains(' ')));
            }
        }
        let mut person_titles: Vec<(Vec<String>, String)> = lex
            .sources
            .rows::<TitleRow>("person_titles.tsv")?
            .into_iter()
            .map(|r| {
                (
                    normalize(&r.head).split(' ').map(str::to_string).collect(),
                    r.role,
                )
            })
            .collect();
        let org_heads: Vec<(u32, Vec<String>, Option<Vec<String>>)> = lex
            .org_patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let split = |s: &str| {
                    normalize(s)
                        .split(' ')
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                };
                (
                    i as u32,
                    split(&p.head_ar),
                    p.construct_ar.as_deref().map(split),
                )
            })
            .collect();
        let org_head_firsts = org_heads
            .iter()
            .flat_map(|(_, h, c)| {
                h.first()
                    .into_iter()
                    .chain(c.iter().flat_map(|c| c.first()))
            })
            .cloned()
            .collect();
        person_titles.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
        let person_title_firsts = person_titles
            .iter()
            .filter_map(|(words, _)| words.first().cloned())
            .collect();
        let words = |ws: &[&str]| ws.iter().map(|w| normalize(w)).collect::<HashSet<_>>();
        let country_adjectives = lex
            .country_adjs
            .iter()
            .flatten()
            .flat_map(|(m, f)| [m.clone(), f.clone()])
            .collect();
        Ok(Tables {
            function_words,
            person_titles,
            person_title_firsts,
            counterpart_words: words(&[
                "نظيره",
                "نظيرته",
                "نظيرها",
                "نظيرتها",
                "نظيريه",
                "نظيرهم",
                "نظرائه",
            ]),
            reference_heads: words(&[
                "الوزير",
                "الوزيرة",
                "المتحدث",
                "المتحدثة",
                "الناطق",
                "المبعوث",
                "الحاكم",
                "المحافظ",
                "السفير",
                "الرئيس",
                "الرئيسة",
                "الملك",
                "الأمير",
                "المستشار",
                "الأمين",
                "المرشد",
            ]),
            honorifics: words(&[
                "الدكتور",
                "الدكتورة",
                "المهندس",
                "الشيخ",
                "الأمير",
                "الأميرة",
                "اللواء",
                "العميد",
                "العقيد",
                "الفريق",
                "المشير",
                "السيد",
                "السيدة",
                "الأستاذ",
                "الحاج",
                "الناشط",
                "الناشطة",
                "النائب",
            ]),
            country_adjectives,
            org_heads,
            org_head_firsts,
        })
    }

    pub fn is_country_adjective(&self, w: &str) -> bool {
        self.country_adjectives.contains(w)
    }
}
