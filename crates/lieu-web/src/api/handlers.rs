//! The API's handlers: each parses its parameters (a wrong one is a `400` that names it),
//! reads through one store or search function, and answers with [`conditional_json`].

use super::problem::{ApiError, Problem};
use super::types::{
    self, CommuneList, Entry, EntryKind, EntryList, Event, EventList, FacetCount, Facets, Licence,
    OneEntry, OnePage, Page, PageList, PageSummary, SearchHit, SearchResults, utc,
};
use super::{OPENAPI_PATH, PREFIX, conditional_json};
use crate::state::AppState;
use crate::territory::Territory;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDateTime};
use lieu_core::entry::Kind;
use lieu_store::open_data::{self, EntryCursor, EntryFilter, OccurrenceCursor, PublishedEntry};
use maud::Markup;
use serde::Deserialize;
use utoipa::IntoParams;

/// Items of a list page when `limit` is not given, and the most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 100;
/// The longest search question.
const MAX_QUERY_CHARS: usize = 200;
/// The longest period of the events list, in days.
const MAX_EVENT_DAYS: i64 = 366;

fn licence(state: &AppState) -> Licence {
    Licence {
        name: state.config.data_licence.clone(),
        url: state.config.data_licence_url.clone(),
    }
}

fn limit_of(value: Option<&str>) -> Result<i64, ApiError> {
    let Some(value) = value else {
        return Ok(DEFAULT_LIMIT);
    };
    match value.parse::<i64>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(ApiError::bad(
            "limit",
            format!("un nombre entier de 1 à {MAX_LIMIT} est attendu"),
        )),
    }
}

/// An RFC 3339 date and time, in UTC. Beyond the years chrono can hold is refused.
fn date_time(parameter: &'static str, value: &str) -> Result<NaiveDateTime, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .map(|d| open_data::sane(d.naive_utc()))
        .map_err(|_| {
            ApiError::bad(
                parameter,
                "une date et heure RFC 3339 est attendue, par exemple 2026-11-25T09:30:00Z",
            )
        })
}

/// A cursor `SECONDS.ID` (a moment as seconds since 1970, and an id), as `next` links give.
/// Numbers too large for a moment or an id stand for "after everything".
fn cursor_parts(value: &str) -> Result<(NaiveDateTime, i32), ApiError> {
    let bad = || ApiError::bad("cursor", "utilisez l’adresse donnée dans « next »");
    let (seconds, id) = value.split_once('.').ok_or_else(bad)?;
    let valid = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !valid(seconds, 12) || !valid(id, 10) {
        return Err(bad());
    }
    let seconds: i64 = seconds.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let at = DateTime::from_timestamp(seconds, 0)
        .map_or(open_data::LATEST, |d| open_data::sane(d.naive_utc()));
    Ok((at, i32::try_from(id).unwrap_or(i32::MAX)))
}

fn cursor_of(at: NaiveDateTime, id: i32) -> String {
    format!("{}.{id}", at.and_utc().timestamp().max(0))
}

/// `path?query` with the same filters and `cursor` set.
fn next_link(path: &str, params: &[(&str, Option<&str>)], cursor: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect();
    pairs.push(("cursor", cursor));
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

fn kind_of(value: &str) -> Result<Kind, ApiError> {
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == value)
        .ok_or_else(|| {
            ApiError::bad(
                "kind",
                "service, association, job, housing ou event est attendu",
            )
        })
}

/// A slug-like value (`^[a-z0-9-]{1,100}$`), as categories, thématiques and publics are.
fn slug_value(parameter: &'static str, value: &str) -> Result<String, ApiError> {
    let ok = (1..=100).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ApiError::bad(
            parameter,
            "des lettres minuscules sans accent, des chiffres et des tirets sont attendus",
        ))
    }
}

/// An INSEE commune code: five characters, digits (and `A`/`B` for Corsica).
fn insee(value: &str) -> Result<String, ApiError> {
    let b = value.as_bytes();
    let ok = b.len() == 5
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || b[1] == b'A' || b[1] == b'B')
        && b[2..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ApiError::bad(
            "commune",
            "un code INSEE de cinq caractères est attendu, par exemple 79001",
        ))
    }
}

fn api_entry(state: &AppState, territory: &Territory, published: PublishedEntry) -> Entry {
    let PublishedEntry { entry, tags } = published;
    let of = |facet: &str| -> Vec<String> {
        tags.iter()
            .filter(|(f, _)| f == facet)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let commune = territory
        .communes
        .iter()
        .find(|c| c.insee == entry.commune_insee);
    let kind = entry.kind();
    let url = state
        .config
        .absolute(&crate::views::directory::entry_path(kind, &entry.slug));
    Entry {
        id: entry.id,
        kind: EntryKind::from(kind),
        url,
        commune: types::Commune {
            insee: entry.commune_insee.clone(),
            name: commune.map(|c| c.name.clone()).unwrap_or_default(),
            postcode: commune.map(|c| c.postcode.clone()).unwrap_or_default(),
        },
        categories: of("category"),
        themes: of("theme"),
        publics: of("public"),
        created_at: utc(entry.created_at),
        updated_at: utc(entry.updated_at),
        verified_at: utc(entry.verified_at),
        expires_at: entry.expires_at.map(utc),
        details: entry.details().unwrap_or_else(|| empty_details(kind)),
        slug: entry.slug,
        title: entry.title,
        summary: entry.summary,
    }
}

/// The details of a kind with nothing filled in: for a row whose stored details no longer
/// read (never expected; the entry is still listed).
fn empty_details(kind: Kind) -> lieu_core::entry::Details {
    use lieu_core::entry::Details;
    match kind {
        Kind::Service => Details::Service(Default::default()),
        Kind::Association => Details::Association(Default::default()),
        Kind::Job => Details::Job(Default::default()),
        Kind::Housing => Details::Housing(Default::default()),
        Kind::Event => Details::Event(Default::default()),
    }
}

/// Filters of the entries list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EntriesParams {
    /// The kind of entries.
    #[param(value_type = Option<EntryKind>)]
    kind: Option<String>,
    /// A commune's INSEE code.
    #[param(pattern = r"^[0-9][0-9AB][0-9]{3}$", example = "79001")]
    commune: Option<String>,
    /// A category of the territory (its slug, as in the site's lists).
    #[param(pattern = r"^[a-z0-9-]{1,100}$")]
    category: Option<String>,
    /// A data·inclusion thématique (`sante--acces-aux-soins`) or group of thématiques
    /// (`sante`).
    #[param(pattern = r"^[a-z0-9-]{1,100}$", example = "numerique")]
    theme: Option<String>,
    /// A data·inclusion public (`familles`…).
    #[param(pattern = r"^[a-z0-9-]{1,100}$")]
    public: Option<String>,
    /// Only entries changed at or after this moment (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<String>,
    /// Where the page starts: the `cursor` of the `next` link of the page before.
    #[param(pattern = r"^[0-9]{1,12}\.[0-9]{1,10}$")]
    cursor: Option<String>,
    /// Entries on the page (1 to 100, 50 when absent).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    limit: Option<String>,
}

/// Published, current entries of the directory, by date of change (oldest first), then id.
/// Walking the pages with `next` sees each entry once; asking again with `updated_since`
/// gives what changed.
#[utoipa::path(
    get,
    path = "/api/v1/entries",
    tag = "annuaire",
    params(EntriesParams),
    responses(
        (status = 200, description = "Une page de fiches", body = EntryList),
        (status = 304, description = "Inchangé depuis l’ETag ou la date donnés"),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn entries(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<EntriesParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let limit = limit_of(p.limit.as_deref())?;
    let mut filter = EntryFilter {
        kind: p.kind.as_deref().map(kind_of).transpose()?,
        commune: p.commune.as_deref().map(insee).transpose()?,
        updated_since: p
            .updated_since
            .as_deref()
            .map(|v| date_time("updated_since", v))
            .transpose()?,
        ..EntryFilter::default()
    };
    if let Some(category) = &p.category {
        filter
            .tags
            .push(("category".into(), slug_value("category", category)?));
    }
    if let Some(theme) = &p.theme {
        let theme = slug_value("theme", theme)?;
        let facet = if theme.contains("--") {
            "theme"
        } else {
            "theme_group"
        };
        filter.tags.push((facet.into(), theme));
    }
    if let Some(public) = &p.public {
        filter
            .tags
            .push(("public".into(), slug_value("public", public)?));
    }
    let after = p
        .cursor
        .as_deref()
        .map(cursor_parts)
        .transpose()?
        .map(|(updated_at, id)| EntryCursor { updated_at, id });
    let now = state.clock.now();
    let territory = state.territory().await?;
    let rows = state
        .db(move |s| s.read(|c| open_data::entries_page(c, &filter, after, now, limit + 1)))
        .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let mut data: Vec<Entry> = Vec::with_capacity(rows.len());
    let mut last = None;
    let mut modified = None;
    for row in rows.into_iter().take(usize::try_from(limit).unwrap_or(0)) {
        last = Some(EntryCursor {
            updated_at: row.entry.updated_at,
            id: row.entry.id,
        });
        modified = modified.max(Some(row.entry.updated_at));
        data.push(api_entry(&state, &territory, row));
    }
    let next = last.filter(|_| more).map(|l| {
        next_link(
            &format!("{PREFIX}/entries"),
            &[
                ("kind", p.kind.as_deref()),
                ("commune", p.commune.as_deref()),
                ("category", p.category.as_deref()),
                ("theme", p.theme.as_deref()),
                ("public", p.public.as_deref()),
                ("updated_since", p.updated_since.as_deref()),
                ("limit", p.limit.as_deref()),
            ],
            &cursor_of(l.updated_at, l.id),
        )
    });
    conditional_json(
        &req,
        &EntryList {
            licence: licence(&state),
            data,
            next,
        },
        modified,
    )
}

/// One published, current entry.
#[utoipa::path(
    get,
    path = "/api/v1/entries/{id}",
    tag = "annuaire",
    params(("id" = i32, Path, description = "L’identifiant de la fiche", minimum = 1)),
    responses(
        (status = 200, description = "La fiche", body = OneEntry),
        (status = 304, description = "Inchangée"),
        (status = 404, description = "Aucune fiche publiée sous ce numéro", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn entry(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // Anything that is not an id names no entry.
    let id: i32 = id.parse().map_err(|_| ApiError::NotFound)?;
    let now = state.clock.now();
    let territory = state.territory().await?;
    let found = state
        .db(move |s| s.read(|c| open_data::entry(c, id, now)))
        .await?
        .ok_or(ApiError::NotFound)?;
    let modified = found.entry.updated_at;
    conditional_json(
        &req,
        &OneEntry {
            licence: licence(&state),
            data: api_entry(&state, &territory, found),
        },
        Some(modified),
    )
}

/// The period of the events list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EventsParams {
    /// Start of the period (RFC 3339); now when absent.
    #[param(value_type = Option<String>, format = DateTime)]
    from: Option<String>,
    /// End of the period (RFC 3339); 31 days after the start when absent. A period longer
    /// than 366 days is cut to 366 days; one that ends before its start holds nothing.
    #[param(value_type = Option<String>, format = DateTime)]
    to: Option<String>,
    /// The `cursor` of the `next` link of the page before.
    #[param(pattern = r"^[0-9]{1,12}\.[0-9]{1,10}$")]
    cursor: Option<String>,
    /// Occurrences on the page (1 to 100, 50 when absent).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    limit: Option<String>,
}

/// The occurrences of published events during a period, by start.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "annuaire",
    params(EventsParams),
    responses(
        (status = 200, description = "Une page d’événements", body = EventList),
        (status = 304, description = "Inchangé"),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn events(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<EventsParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let limit = limit_of(p.limit.as_deref())?;
    let now = state.clock.now();
    let from = match p.from.as_deref() {
        Some(v) => date_time("from", v)?,
        None => now,
    };
    let to = match p.to.as_deref() {
        Some(v) => date_time("to", v)?,
        None => from
            .checked_add_signed(chrono::TimeDelta::days(31))
            .map_or(open_data::LATEST, open_data::sane),
    };
    // A period that ends before it starts holds nothing; a longer one than a year is cut
    // (the next links walk the year).
    let to = to.max(from).min(
        from.checked_add_signed(chrono::TimeDelta::days(MAX_EVENT_DAYS))
            .map_or(open_data::LATEST, open_data::sane),
    );
    let after = p
        .cursor
        .as_deref()
        .map(cursor_parts)
        .transpose()?
        .map(|(starts_at, entry_id)| OccurrenceCursor {
            starts_at,
            entry_id,
        });
    let territory = state.territory().await?;
    let rows = state
        .db(move |s| s.read(|c| open_data::occurrences_page(c, from, to, after, now, limit + 1)))
        .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let mut data = Vec::with_capacity(rows.len());
    let mut last = None;
    let mut modified = None;
    for o in rows.into_iter().take(usize::try_from(limit).unwrap_or(0)) {
        last = Some((o.starts_at, o.entry.entry.id));
        modified = modified.max(Some(o.entry.entry.updated_at));
        data.push(Event {
            starts_at: utc(o.starts_at),
            ends_at: utc(o.ends_at),
            entry: api_entry(&state, &territory, o.entry),
        });
    }
    let next = last.filter(|_| more).map(|(at, id)| {
        next_link(
            &format!("{PREFIX}/events"),
            &[
                ("from", p.from.as_deref()),
                ("to", p.to.as_deref()),
                ("limit", p.limit.as_deref()),
            ],
            &cursor_of(at, id),
        )
    });
    conditional_json(
        &req,
        &EventList {
            licence: licence(&state),
            data,
            next,
        },
        modified,
    )
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PagesParams {
    /// The `cursor` of the `next` link of the page before (a page's id).
    #[param(pattern = r"^[0-9]{1,10}$")]
    cursor: Option<String>,
    /// Pages listed (1 to 100, 50 when absent).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    limit: Option<String>,
}

/// The wiki's pages, by id, without their text.
#[utoipa::path(
    get,
    path = "/api/v1/pages",
    tag = "wiki",
    params(PagesParams),
    responses(
        (status = 200, description = "Une page de la liste", body = PageList),
        (status = 304, description = "Inchangée"),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn pages(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<PagesParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let limit = limit_of(p.limit.as_deref())?;
    let after = match p.cursor.as_deref() {
        None => 0,
        Some(v) if (1..=10).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) => v
            .parse::<i64>()
            .map_or(i32::MAX, |n| i32::try_from(n).unwrap_or(i32::MAX)),
        Some(_) => {
            return Err(ApiError::bad(
                "cursor",
                "utilisez l’adresse donnée dans « next »",
            ));
        }
    };
    let rows = state
        .db(move |s| s.read(|c| open_data::pages_page(c, after, limit + 1)))
        .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let shown: Vec<_> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    let modified = shown.iter().map(|p| p.updated_at).max();
    let next = shown.last().filter(|_| more).map(|last| {
        next_link(
            &format!("{PREFIX}/pages"),
            &[("limit", p.limit.as_deref())],
            &last.id.to_string(),
        )
    });
    let data = shown
        .into_iter()
        .map(|p| PageSummary {
            url: state.config.absolute(&format!("/wiki/{}", p.slug)),
            id: p.id,
            slug: p.slug,
            title: p.title,
            lang: p.lang,
            updated_at: utc(p.updated_at),
        })
        .collect();
    conditional_json(
        &req,
        &PageList {
            licence: licence(&state),
            data,
            next,
        },
        modified,
    )
}

/// One wiki page, in Markdown and in HTML.
#[utoipa::path(
    get,
    path = "/api/v1/pages/{slug}",
    tag = "wiki",
    params(("slug" = String, Path, description = "L’adresse de la page (`/wiki/SLUG`)")),
    responses(
        (status = 200, description = "La page", body = OnePage),
        (status = 304, description = "Inchangée"),
        (status = 404, description = "Aucune page à cette adresse", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    if slug.len() > 200 {
        return Err(ApiError::NotFound);
    }
    let found = state
        .db(move |s| s.read(|c| open_data::page(c, &slug)))
        .await?
        .ok_or(ApiError::NotFound)?;
    let modified = found.updated_at;
    conditional_json(
        &req,
        &OnePage {
            licence: licence(&state),
            data: Page {
                url: state.config.absolute(&format!("/wiki/{}", found.slug)),
                id: found.id,
                slug: found.slug,
                title: found.title,
                lang: found.lang,
                markdown: found.body,
                html: found.html,
                revision: found.revision_number,
                created_at: utc(found.created_at),
                updated_at: utc(found.updated_at),
            },
        },
        Some(modified),
    )
}

/// The communes of the territory.
#[utoipa::path(
    get,
    path = "/api/v1/communes",
    tag = "territoire",
    responses(
        (status = 200, description = "Toutes les communes", body = CommuneList),
        (status = 304, description = "Inchangée"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn communes(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let territory = state.territory().await?;
    let data = territory
        .communes
        .iter()
        .map(|c| types::Commune {
            insee: c.insee.clone(),
            name: c.name.clone(),
            postcode: c.postcode.clone(),
        })
        .collect();
    conditional_json(
        &req,
        &CommuneList {
            licence: licence(&state),
            data,
            next: None,
        },
        None,
    )
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The question, as typed in the site's search box (accents, plurals and typos are
    /// forgiven).
    #[param(
        required = true,
        min_length = 1,
        max_length = 200,
        example = "aide numérique"
    )]
    q: String,
    /// Only results of this kind: `page`, `thread` or an entry's kind.
    #[param(pattern = r"^(page|thread|service|association|job|housing|event)$")]
    kind: Option<String>,
    /// Only results in this commune (INSEE code).
    #[param(pattern = r"^[0-9][0-9AB][0-9]{3}$")]
    commune: Option<String>,
    /// Only services of this group of data·inclusion thématiques.
    #[param(pattern = r"^[a-z0-9-]{1,100}$")]
    theme: Option<String>,
    /// Results to skip (0 to 1,000): the `next` link gives it.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 1000)]
    offset: Option<String>,
    /// Results on the page (1 to 50, 20 when absent).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 50)]
    limit: Option<String>,
}

/// The site's search: the same index and ranking as the search box, with facets.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "recherche",
    params(SearchParams),
    responses(
        (status = 200, description = "Les résultats", body = SearchResults),
        (status = 304, description = "Inchangés"),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de requêtes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let text = p.q.as_str();
    if text.is_empty() || text.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad(
            "q",
            format!("une question de 1 à {MAX_QUERY_CHARS} caractères est attendue"),
        ));
    }
    let kind = match p.kind.as_deref() {
        None => None,
        Some(k @ ("page" | "thread")) => Some(k.to_owned()),
        Some(k) => Some(
            kind_of(k)
                .map_err(|_| ApiError::bad("kind", "page, thread ou un type de fiche est attendu"))?
                .as_str()
                .to_owned(),
        ),
    };
    let commune = p.commune.as_deref().map(insee).transpose()?;
    let theme = p
        .theme
        .as_deref()
        .map(|t| slug_value("theme", t))
        .transpose()?;
    let limit = match p.limit.as_deref() {
        None => 20,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=lieu_search::MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::bad(
                    "limit",
                    "un nombre entier de 1 à 50 est attendu",
                ));
            }
        },
    };
    let offset = match p.offset.as_deref() {
        None => 0,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= lieu_search::MAX_OFFSET => n,
            _ => {
                return Err(ApiError::bad(
                    "offset",
                    "un nombre entier de 0 à 1000 est attendu",
                ));
            }
        },
    };
    let request = lieu_search::SearchRequest {
        text: lieu_core::search::normalize_query(text),
        kind,
        commune,
        theme,
        offset,
        limit,
        now: state.clock.now(),
    };
    let results = state.search.search(&request)?;
    let reachable = results.total.min(lieu_search::MAX_OFFSET + limit);
    let next = (offset + limit < reachable).then(|| {
        let next_offset = (offset + limit).to_string();
        let pairs: Vec<(&str, &str)> = [
            ("q", Some(text)),
            ("kind", p.kind.as_deref()),
            ("commune", p.commune.as_deref()),
            ("theme", p.theme.as_deref()),
            ("limit", p.limit.as_deref()),
            ("offset", Some(next_offset.as_str())),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        format!(
            "{PREFIX}/search?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    });
    let facet = |counts: &[lieu_search::FacetCount]| -> Vec<FacetCount> {
        counts
            .iter()
            .map(|f| FacetCount {
                value: f.value.clone(),
                count: f.count,
            })
            .collect()
    };
    let data = results
        .hits
        .iter()
        .map(|hit| SearchHit {
            url: state.config.absolute(&crate::views::search::hit_url(hit)),
            kind: hit.kind.clone(),
            id: hit.id,
            title: hit.title.clone(),
            summary: hit.summary.clone(),
            commune: hit.commune.clone(),
            snippet: hit.snippet.as_ref().map(|s| s.fragment.clone()),
        })
        .collect();
    conditional_json(
        &req,
        &SearchResults {
            licence: licence(&state),
            total: results.total,
            data,
            facets: Facets {
                kinds: facet(&results.kinds),
                communes: facet(&results.communes),
                themes: facet(&results.themes),
            },
            suggestion: results.suggestion.clone(),
            next,
        },
        None,
    )
}

/// The OpenAPI 3.1 document.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(super::openapi_json())
}

/// `/api`: the API explained to people, from the same document.
pub async fn doc_page(ctx: crate::extract::PageCtx, state: web::Data<AppState>) -> Markup {
    let doc = <super::ApiDoc as utoipa::OpenApi>::openapi();
    crate::views::api::page(&ctx, &doc, &licence(&state), OPENAPI_PATH)
}
