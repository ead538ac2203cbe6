//! What the API answers, as JSON: the types are the OpenAPI document's schemas.

use chrono::{NaiveDateTime, SecondsFormat, TimeZone, Utc};
use lieu_core::entry::Details;
use serde::Serialize;
use utoipa::ToSchema;

/// The licence of the data, stated in every answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Licence {
    #[schema(example = "Licence Ouverte 2.0")]
    pub name: String,
    #[schema(example = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")]
    pub url: String,
}

/// A page of a list (its items, and the address of the next page, `null` on the last): one type
/// for each kind of item, so that each has its own schema.
macro_rules! list_of {
    ($list:ident, $item:ty) => {
        #[derive(Debug, Clone, Serialize, ToSchema)]
        pub struct $list {
            pub licence: Licence,
            pub data: Vec<$item>,
            /// The next page's address (path and query, same filters); `null` on the last.
            pub next: Option<String>,
        }
    };
}

list_of!(EntryList, Entry);
list_of!(EventList, Event);
list_of!(PageList, PageSummary);
list_of!(CommuneList, Commune);

/// One entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OneEntry {
    pub licence: Licence,
    pub data: Entry,
}

/// One wiki page with its text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnePage {
    pub licence: Licence,
    pub data: Page,
}

/// Date and time in UTC, RFC 3339 (`2026-11-25T09:30:00Z`).
pub fn utc(at: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&at)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A commune of the territory.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Commune {
    /// INSEE code.
    #[schema(example = "79001")]
    pub insee: String,
    pub name: String,
    pub postcode: String,
}

/// The kind of an entry.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Service,
    Association,
    Job,
    Housing,
    Event,
}

impl From<lieu_core::entry::Kind> for EntryKind {
    fn from(kind: lieu_core::entry::Kind) -> Self {
        use lieu_core::entry::Kind;
        match kind {
            Kind::Service => EntryKind::Service,
            Kind::Association => EntryKind::Association,
            Kind::Job => EntryKind::Job,
            Kind::Housing => EntryKind::Housing,
            Kind::Event => EntryKind::Event,
        }
    }
}

/// An entry of the directory, as published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    pub id: i32,
    pub kind: EntryKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Its page on the site.
    pub url: String,
    pub commune: Commune,
    /// The territory's categories (slugs).
    pub categories: Vec<String>,
    /// data·inclusion thématiques (services).
    pub themes: Vec<String>,
    /// data·inclusion publics.
    pub publics: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// When an agent last checked it.
    pub verified_at: String,
    /// Job and housing offers: when the offer ends.
    pub expires_at: Option<String>,
    /// The kind's own fields (`kind` says which).
    pub details: Details,
}

/// One occurrence of an event (a weekly event has one a week).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    pub entry: Entry,
}

/// A wiki page in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageSummary {
    pub id: i32,
    pub slug: String,
    pub title: String,
    /// `fr` or `en`.
    pub lang: String,
    pub url: String,
    pub updated_at: String,
}

/// A wiki page with its text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub lang: String,
    pub url: String,
    /// The Markdown source.
    pub markdown: String,
    /// The HTML the site shows (sanitized).
    pub html: String,
    pub revision: i32,
    pub created_at: String,
    pub updated_at: String,
}

/// How many results have one value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// One search result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    /// `page`, `thread` or an entry's kind.
    pub kind: String,
    pub id: i32,
    pub title: String,
    pub url: String,
    pub summary: String,
    /// INSEE code, empty for pages.
    pub commune: String,
    /// Part of the text where the words were found.
    pub snippet: Option<String>,
}

/// Search results with their facets.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub licence: Licence,
    /// Results in all (at most 1,000 can be paged through).
    pub total: usize,
    pub data: Vec<SearchHit>,
    /// Results by kind, commune and thématique group, for the same question.
    pub facets: Facets,
    /// When nothing is found: the question with its unknown words replaced.
    pub suggestion: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub kinds: Vec<FacetCount>,
    pub communes: Vec<FacetCount>,
    pub themes: Vec<FacetCount>,
}
