//! One article page to title, date, outlet, canonical URL and main text.
//!
//! The main text comes from `dom_smoothie` (a port of Mozilla's Readability)
//! after the page's known clutter is cut out: readability scores blocks by
//! text density, and a dense «اقرأ أيضاً» list or a long photo caption can
//! otherwise survive inside the article. Metadata is read with `dom_query`
//! (the document model dom_smoothie itself uses) before anything is removed.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use marsad_extract::{Extractor, InputDoc};
use serde_json::Value;
use url::Url;

use crate::{Error, Result};

/// Where an article's date was found, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A `<time datetime>` in the page (outside navigation and sidebars).
    TimeElement,
    /// `<meta property="article:published_time">` (Open Graph).
    MetaPublishedTime,
    /// `datePublished` in JSON-LD.
    JsonLd,
    /// A dateline at the start of the text («القاهرة - 12 مارس 2026»).
    Dateline,
}

/// What a page says about itself, and its main text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Article {
    /// `<link rel="canonical">` (else the page's own URL), canonicalised.
    pub url: Option<String>,
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD`, as the publisher's clock read it.
    pub date: Option<String>,
    pub date_source: Option<DateSource>,
    /// `og:site_name`, else JSON-LD `publisher.name`, else the host.
    pub outlet: Option<String>,
    /// Paragraphs separated by one newline.
    pub text: String,
}

impl Article {
    /// The document the extractor reads. `id` is the canonical URL when the
    /// page has one, else `fallback_id`.
    pub fn into_input_doc(self, fallback_id: &str) -> InputDoc {
        InputDoc {
            id: self.url.clone().unwrap_or_else(|| fallback_id.to_string()),
            date: self.date,
            source: self.outlet,
            url: self.url,
            title: self.title,
            text: self.text,
        }
    }
}

/// Elements that are never the article: navigation, sidebars, related
/// lists and comments. Removed before the article's `<time>` is looked for,
/// since these carry dates of other articles.
const NOT_ARTICLE: &str = "nav, aside, footer, [role=navigation], [role=contentinfo], \
     [role=complementary], [class*=related], [class*=comment], [id*=comment], \
     [class*=breadcrumb], [class*=read-also], [class*=readmore], [class*=read-more], \
     [class*=newsletter], [class*=advert], [class*=sidebar], [class*=most-read]";

/// Page furniture that can sit inside the article: its header (title and
/// date, read before this goes), share buttons, captions, forms, scripts.
const FURNITURE: &str = "header, form, button, figcaption, script, style, noscript, iframe, \
     template, svg, [role=banner], [class*=share], [class*=social], [class*=tags], \
     [class*=caption]";

/// Openings of "see also" blocks in Arabic news pages, folded (see [`fold`]).
const SEE_ALSO: &[&str] = &[
    "اقرا ايضا",
    "اقرا المزيد",
    "اقرا كذلك",
    "شاهد ايضا",
    "طالع ايضا",
    "مواضيع ذات صله",
    "اخبار ذات صله",
    "المزيد من الاخبار",
];

/// Lines made only of these words are share buttons, not text.
const SHARE_WORDS: &[&str] = &[
    "شارك",
    "مشاركه",
    "شارك الخبر",
    "فيسبوك",
    "تويتر",
    "اكس",
    "واتساب",
    "تلغرام",
    "تيليغرام",
    "طباعه",
    "نسخ الرابط",
    "البريد الالكتروني",
];

/// Folds the spelling differences that vary between sites (hamza forms,
/// tanween, tashkeel, tatweel, ة/ه, ى/ي) so cue phrases match as written.
fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ة' => Some('ه'),
            'ى' => Some('ي'),
            ':' | '،' | '|' | '»' | '«' => Some(' '),
            c => Some(c),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_see_also(text: &str) -> bool {
    let f = fold(text);
    SEE_ALSO.iter().any(|cue| f.starts_with(cue))
}

fn is_share_line(line: &str) -> bool {
    let f = fold(line);
    !f.is_empty()
        && f.split(" / ")
            .flat_map(|part| part.split(" - "))
            .all(|part| SHARE_WORDS.contains(&part.trim()))
}

/// Parses a date as pages and feeds write it (RFC 3339 / ISO 8601, with or
/// without a time or an offset; RFC 2822) to `YYYY-MM-DD`. The date is the
/// one in the offset given, i.e. the publisher's calendar day.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let date = DateTime::parse_from_rfc3339(s)
        .map(|d| d.date_naive())
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z").map(|d| d.date_naive()))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z").map(|d| d.date_naive()))
        .or_else(|_| DateTime::parse_from_rfc2822(s).map(|d| d.date_naive()))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").map(|d| d.date()))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").map(|d| d.date()))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").map(|d| d.date()))
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Canonical form of an article URL, the key that makes an item "seen":
/// http(s) only, host lower-cased, default port and fragment dropped, and
/// tracking parameters (`utm_*`, `fbclid`, `gclid`…) removed.
pub fn canonical_url(raw: &str) -> Result<String> {
    let bad = |reason: String| Error::BadUrl {
        url: raw.to_string(),
        reason,
    };
    let mut url = Url::parse(raw.trim()).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!("scheme {}", url.scheme())));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host".into()));
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_")
                || matches!(
                    k.as_str(),
                    "fbclid"
                        | "gclid"
                        | "dclid"
                        | "msclkid"
                        | "mc_cid"
                        | "mc_eid"
                        | "at_medium"
                        | "at_campaign"
                        | "ref"
                        | "ocid"
                ))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok(url.to_string())
}

/// Metadata from JSON-LD blocks: the first object (searching `@graph` and
/// arrays too) that carries each field.
#[derive(Default)]
struct JsonLd {
    date_published: Option<String>,
    headline: Option<String>,
    publisher: Option<String>,
}

impl JsonLd {
    fn read(doc: &Document) -> JsonLd {
        let mut out = JsonLd::default();
        for script in doc.select(r#"script[type="application/ld+json"]"#).iter() {
            // Broken JSON-LD is common and only costs us this fallback.
            if let Ok(v) = serde_json::from_str::<Value>(script.text().trim()) {
                out.walk(&v);
            }
        }
        out
    }

    fn walk(&mut self, v: &Value) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.walk(i)),
            Value::Object(obj) => {
                let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
                if self.date_published.is_none() {
                    self.date_published = text("datePublished");
                }
                if self.headline.is_none() {
                    self.headline = text("headline");
                }
                if self.publisher.is_none() {
                    self.publisher = obj
                        .get("publisher")
                        .and_then(|p| p.get("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                }
                if let Some(graph) = obj.get("@graph") {
                    self.walk(graph);
                }
            }
            _ => {}
        }
    }
}

fn meta_content(doc: &Document, selector: &str) -> Option<String> {
    doc.select(selector)
        .iter()
        .filter_map(|m| m.attr("content"))
        .map(|c| c.trim().to_string())
        .find(|c| !c.is_empty())
}

fn clean_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A date written at the very start of the text, before the first few
/// words («القاهرة - 12 مارس 2026 - …»), resolved by the extractor's own
/// times layer so every date form it knows (Hijri included) works here too.
fn dateline_date(extractor: &Extractor, text: &str) -> Option<String> {
    /// A dateline is a place and a date; anything later is the story's own
    /// time expressions, not the publication date.
    const DATELINE_CHARS: usize = 80;
    const MAX_WORDS_BEFORE: usize = 4;
    let first_line = text.lines().find(|l| !l.trim().is_empty())?;
    let head: String = first_line.chars().take(DATELINE_CHARS).collect();
    let probe = InputDoc {
        id: "dateline".into(),
        text: head.clone(),
        ..InputDoc::default()
    };
    let record = extractor.extract(&probe);
    record.times.iter().find_map(|t| {
        let before: String = head.chars().take(t.span[0]).collect();
        let words_before = before
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        let value = t.value.as_deref()?;
        (t.granularity == "day" && words_before <= MAX_WORDS_BEFORE)
            .then(|| parse_date(value))
            .flatten()
    })
}

/// Reads an article page. `page_url` (the URL it was fetched from, after
/// redirects) resolves relative links and is the fallback canonical URL and
/// outlet; `name` is used in errors. The extractor resolves datelines.
pub fn extract_article(
    html: &str,
    page_url: Option<&str>,
    name: &str,
    extractor: &Extractor,
) -> Result<Article> {
    let base = page_url.and_then(|u| Url::parse(u).ok());
    let doc = Document::from(html);

    // Metadata, read before any element is removed.
    let json_ld = JsonLd::read(&doc);
    let site_name = meta_content(&doc, r#"meta[property="og:site_name"]"#)
        .or_else(|| json_ld.publisher.clone());
    let canonical = doc
        .select(r#"link[rel="canonical"][href]"#)
        .attr("href")
        .and_then(|h| match &base {
            Some(b) => b.join(h.trim()).ok().map(|u| u.to_string()),
            None => Some(h.trim().to_string()),
        })
        .or_else(|| page_url.map(str::to_string))
        .and_then(|u| canonical_url(&u).ok());
    // Sites often put their logo in an <h1> (a link home, or the site's
    // name): the article's own comes first, and a logo is never a title.
    let h1 = ["article h1", "h1"].iter().find_map(|sel| {
        doc.select(sel)
            .iter()
            .filter(|h| !h.select(r#"a[href="/"]"#).exists())
            .map(|h| clean_line(&h.text()))
            .find(|t| !t.is_empty() && Some(t) != site_name.as_ref())
    });
    let meta_title = meta_content(&doc, r#"meta[property="og:title"]"#);
    let published_meta = meta_content(&doc, r#"meta[property="article:published_time"]"#)
        .or_else(|| meta_content(&doc, r#"meta[name="article:published_time"]"#));

    // Clutter out; a `<time>` still in the page after that is the article's.
    doc.select(NOT_ARTICLE).remove();
    for el in doc
        .select("p, div, li, section, h2, h3, h4, h5, h6, span, strong")
        .iter()
    {
        let text = el.text();
        if is_see_also(&text) {
            // «اقرأ أيضاً» as a heading: the list after it goes too.
            let next = el.next_sibling();
            if next.is("ul, ol") {
                next.remove();
            }
            el.remove();
        }
    }
    // The article's own `<time>` before any other left on the page (a site
    // header often shows today's date).
    let time_attr = [
        "time[itemprop=datePublished][datetime], time[pubdate][datetime]",
        "article time[datetime]",
        "time[datetime]",
    ]
    .iter()
    .find_map(|sel| {
        doc.select(sel)
            .iter()
            .filter_map(|t| t.attr("datetime"))
            .find_map(|d| parse_date(&d))
    });
    doc.select(FURNITURE).remove();

    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let readable_url = base.as_ref().map(Url::as_str);
    let mut readability =
        Readability::with_document(doc, readable_url, Some(config)).map_err(|e| Error::NoText {
            name: format!("{name} ({e})"),
        })?;
    let parsed = readability.parse().map_err(|e| Error::NoText {
        name: format!("{name} ({e})"),
    })?;

    let title = json_ld
        .headline
        .clone()
        .or(meta_title)
        .or(h1)
        .or_else(|| Some(clean_line(&parsed.title)).filter(|t| !t.is_empty()));
    let mut lines: Vec<String> = Vec::new();
    for raw in parsed.text_content.lines() {
        let line = clean_line(raw);
        if line.is_empty() || is_share_line(&line) || is_see_also(&line) {
            continue;
        }
        if lines.is_empty() && title.as_deref() == Some(line.as_str()) {
            continue; // the headline repeated as the body's first line
        }
        lines.push(line);
    }
    let text = lines.join("\n");
    if text.is_empty() {
        return Err(Error::NoText {
            name: name.to_string(),
        });
    }

    let (date, date_source) = if let Some(d) = time_attr {
        (Some(d), Some(DateSource::TimeElement))
    } else if let Some(d) = published_meta.as_deref().and_then(parse_date) {
        (Some(d), Some(DateSource::MetaPublishedTime))
    } else if let Some(d) = json_ld.date_published.as_deref().and_then(parse_date) {
        (Some(d), Some(DateSource::JsonLd))
    } else if let Some(d) = dateline_date(extractor, &text) {
        (Some(d), Some(DateSource::Dateline))
    } else {
        (None, None)
    };
    let outlet = site_name.or_else(|| {
        canonical
            .as_deref()
            .or(page_url)
            .and_then(|u| Url::parse(u).ok())
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            })
    });
    Ok(Article {
        url: canonical,
        title,
        date,
        date_source,
        outlet,
        text,
    })
}
