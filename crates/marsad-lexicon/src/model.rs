//! The lexicon's facts as typed rows, one struct per file format
//! (see `lexicon/FORMATS.md`).

use serde::Deserialize;

pub type Date = chrono::NaiveDate;

/// The four entity types of the analysis record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Person,
    Org,
    Gpe,
    Loc,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CountryRow {
    pub iso3: String,
    pub name_en: String,
    pub name_ar: String,
    #[serde(default)]
    pub aliases_ar: Option<String>,
    #[serde(default)]
    pub adj_ar: Option<String>,
    #[serde(default)]
    pub demonym_pl_ar: Option<String>,
    #[serde(default)]
    pub capital_ar: Option<String>,
    #[serde(default)]
    pub capital_en: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PlaceRow {
    pub name_ar: String,
    #[serde(default)]
    pub aliases_ar: Option<String>,
    pub name_en: String,
    #[serde(default)]
    pub country: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub name_ar: String,
    #[serde(default)]
    pub aliases_ar: Option<String>,
    pub name_en: String,
    pub actor: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TermRow {
    pub person_id: String,
    pub office: String,
    pub country: String,
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub titles_ar: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OfficeRow {
    pub office: String,
    pub gender: String,
    pub role: String,
    pub titles_ar: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OrgRow {
    pub id: String,
    pub name_ar: String,
    #[serde(default)]
    pub aliases_ar: Option<String>,
    pub name_en: String,
    #[serde(rename = "type")]
    pub typ: String,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OrgPatternRow {
    pub head_ar: String,
    #[serde(default)]
    pub construct_ar: Option<String>,
    pub gender: String,
    pub role: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GivenNameRow {
    pub name_ar: String,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub gender: Option<String>,
}

/// A country or territory.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso3: String,
    pub name_ar: String,
    pub name_en: String,
}

/// A city, region, site or wider area.
#[derive(Debug, Clone)]
pub struct Place {
    pub name_ar: String,
    pub name_en: String,
    pub country: Option<String>,
    pub kind: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl Place {
    pub fn entity_type(&self) -> EntityType {
        match self.kind.as_str() {
            "site" | "water" | "area" => EntityType::Loc,
            _ => EntityType::Gpe,
        }
    }
}

/// A person with at least one term of office.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name_ar: String,
    pub name_en: String,
    pub actor: String,
}

/// One term of one office.
#[derive(Debug, Clone)]
pub struct Term {
    pub person: u32,
    pub office: String,
    pub country: String,
    pub start: Date,
    pub end: Option<Date>,
}

impl Term {
    pub fn covers(&self, d: Date) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }
}

/// A named organisation.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: String,
    pub name_ar: String,
    pub name_en: String,
    pub typ: EntityType,
    pub actor: Option<String>,
    pub country: Option<String>,
}

/// A generic body made national by an adjective (وزارة الخارجية + الصينية).
#[derive(Debug, Clone)]
pub struct OrgPattern {
    pub head_ar: String,
    /// The head's construct (idafa) form: وزارة خارجية, جيش, شرطة.
    pub construct_ar: Option<String>,
    pub role: String,
    pub name_en: String,
    /// The first row naming the same body (same `name_en`): every row's
    /// mentions refer to it, so «وزارة الخارجية» and «الخارجية» are one entity.
    pub canonical: u32,
}

/// An office key with the role code its holders act in.
#[derive(Debug, Clone)]
pub struct Office {
    pub key: String,
    pub role: String,
}
