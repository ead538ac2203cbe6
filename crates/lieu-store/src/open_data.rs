//! What the site publishes, read for the JSON API: published, current entries and wiki pages,
//! in keyset order so that the last page of 100,000 entries costs what the first costs, and
//! the events of a period. Nothing here reads the submissions (their senders' personal data
//! never leaves through the API).

use crate::DbConn;
use crate::error::StoreResult;
use crate::models::entries::Entry;
use crate::schema::{entries as e, entry_occurrences as o, entry_tags as t, pages as p};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Timestamp};
use lieu_core::entry::{Kind, Status};
use std::collections::HashMap;

/// The moments both backends store and compare alike (SQLite compares timestamps as text,
/// and chrono writes years past 9999 with a sign): every moment a client gives is brought
/// within these.
pub fn sane(at: NaiveDateTime) -> NaiveDateTime {
    at.clamp(EARLIEST, LATEST)
}

pub const EARLIEST: NaiveDateTime = match chrono::NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d.and_time(chrono::NaiveTime::MIN),
    None => NaiveDateTime::MIN,
};
pub const LATEST: NaiveDateTime = match chrono::NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => match d.and_hms_opt(23, 59, 59) {
        Some(at) => at,
        None => NaiveDateTime::MAX,
    },
    None => NaiveDateTime::MAX,
};

/// Which entries: each `Some` narrows the list.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub kind: Option<Kind>,
    /// INSEE code.
    pub commune: Option<String>,
    /// (facet, value) pairs the entry must all carry: `theme` (data·inclusion thématique),
    /// `category` (the territory's category slug), `public`.
    pub tags: Vec<(String, String)>,
    /// Changed at or after this moment.
    pub updated_since: Option<NaiveDateTime>,
    /// Not over at this moment: events whose last occurrence has ended are left out (entries
    /// without an end pass).
    pub ongoing_at: Option<NaiveDateTime>,
}

/// A position in the list: entries come by `updated_at`, then `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryCursor {
    pub updated_at: NaiveDateTime,
    pub id: i32,
}

/// A published entry with its tags, for the API.
#[derive(Debug, Clone)]
pub struct PublishedEntry {
    pub entry: Entry,
    /// (facet, value), in the order written.
    pub tags: Vec<(String, String)>,
}

/// Published entries not expired at `now` that match `filter`, after `after`, `limit` of them,
/// in (`updated_at`, `id`) order: a client that walks the pages sees each entry once, and one
/// that asks again with `updated_since` gets what changed.
pub fn entries_page(
    conn: &mut DbConn,
    filter: &EntryFilter,
    after: Option<EntryCursor>,
    now: NaiveDateTime,
    limit: i64,
) -> StoreResult<Vec<PublishedEntry>> {
    let mut query = e::table
        .filter(e::status.eq(Status::Published.as_str()))
        .filter(e::expires_at.is_null().or(e::expires_at.gt(now)))
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(e::kind.eq(kind.as_str()));
    }
    if let Some(commune) = &filter.commune {
        query = query.filter(e::commune_insee.eq(commune.clone()));
    }
    // A tag carried by few entries leads: its entries are read and put in order (at most
    // `LEADING_TAG` of them). Every other tag is checked on each entry that the walk of the
    // (kind, commune, updated_at, id) index reaches, which stops once the page is full.
    // SQLite's planner, which knows no tag's count, led with any tag: 8,000 entries of a
    // thématique's group read and sorted to find 50 of one commune (92 requests/s).
    let leading = leading_tag(conn, &filter.tags)?;
    for (i, (facet, value)) in filter.tags.iter().enumerate() {
        let tagged = t::table
            .filter(t::facet.eq(facet.clone()))
            .filter(t::value.eq(value.clone()));
        query = if leading == Some(i) {
            query.filter(e::id.eq_any(tagged.select(t::entry_id)))
        } else {
            query.filter(diesel::dsl::exists(tagged.filter(t::entry_id.eq(e::id))))
        };
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(e::updated_at.ge(sane(since)));
    }
    if let Some(at) = filter.ongoing_at {
        query = query.filter(e::ends_at.is_null().or(e::ends_at.gt(sane(at))));
    }
    if let Some(after) = after {
        // A row value: both backends walk the (…, updated_at, id) index from the cursor on,
        // where `a > x OR (a = x AND id > y)` made SQLite scan from the start (a page at the
        // 50,000th entry cost 13 times the first).
        query = query.filter(
            diesel::dsl::sql::<Bool>("(entries.updated_at, entries.id) > (")
                .bind::<Timestamp, _>(sane(after.updated_at))
                .sql(", ")
                .bind::<Integer, _>(after.id)
                .sql(")"),
        );
    }
    let entries: Vec<Entry> = query
        .order((e::updated_at.asc(), e::id.asc()))
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?;
    with_tags(conn, entries)
}

/// A tag carried by at most this many entries leads a filtered list (see [`entries_page`]).
const LEADING_TAG: i64 = 2_000;

/// Which of `tags` (its position) is carried by the fewest entries, if one is carried by at
/// most [`LEADING_TAG`]: each count stops there, so asking costs little whatever the tag.
fn leading_tag(conn: &mut DbConn, tags: &[(String, String)]) -> StoreResult<Option<usize>> {
    let mut rarest: Option<(usize, i64)> = None;
    for (i, (facet, value)) in tags.iter().enumerate() {
        let carried: Vec<i32> = t::table
            .filter(t::facet.eq(facet))
            .filter(t::value.eq(value))
            .select(t::entry_id)
            .limit(LEADING_TAG + 1)
            .load(conn)?;
        let count = i64::try_from(carried.len()).unwrap_or(i64::MAX);
        if count <= LEADING_TAG && rarest.is_none_or(|(_, fewest)| count < fewest) {
            rarest = Some((i, count));
        }
    }
    Ok(rarest.map(|(i, _)| i))
}

/// How many entries [`entries_up_to`] reads per query.
const BATCH: i64 = 200;

/// The published entries of each of `kinds` matching `commune` (all communes: `None`), not
/// expired nor over at `now`, read [`BATCH`] at a time through [`entries_page`]: at most
/// `max` of them, or `None` when there are more (the reading stops at the first one past
/// `max`, so that a choice too wide for one printout costs what `max` entries cost).
pub fn entries_up_to(
    conn: &mut DbConn,
    kinds: &[Kind],
    commune: Option<&str>,
    now: NaiveDateTime,
    max: usize,
) -> StoreResult<Option<Vec<PublishedEntry>>> {
    let mut found: Vec<PublishedEntry> = Vec::new();
    for &kind in kinds {
        let filter = EntryFilter {
            kind: Some(kind),
            commune: commune.map(str::to_owned),
            ongoing_at: Some(now),
            ..EntryFilter::default()
        };
        let mut after = None;
        loop {
            let page = entries_page(conn, &filter, after, now, BATCH)?;
            let full = i64::try_from(page.len()).unwrap_or(i64::MAX) == BATCH;
            after = page.last().map(|p| EntryCursor {
                updated_at: p.entry.updated_at,
                id: p.entry.id,
            });
            found.extend(page);
            if found.len() > max {
                return Ok(None);
            }
            if !full {
                break;
            }
        }
    }
    Ok(Some(found))
}

/// One published entry not expired at `now`.
pub fn entry(
    conn: &mut DbConn,
    id: i32,
    now: NaiveDateTime,
) -> StoreResult<Option<PublishedEntry>> {
    let found: Option<Entry> = e::table
        .filter(e::id.eq(id))
        .filter(e::status.eq(Status::Published.as_str()))
        .filter(e::expires_at.is_null().or(e::expires_at.gt(now)))
        .select(Entry::as_select())
        .first(conn)
        .optional()?;
    Ok(with_tags(conn, found.into_iter().collect())?.pop())
}

fn with_tags(conn: &mut DbConn, entries: Vec<Entry>) -> StoreResult<Vec<PublishedEntry>> {
    let ids: Vec<i32> = entries.iter().map(|e| e.id).collect();
    let mut tags: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    if !ids.is_empty() {
        let rows: Vec<(i32, String, String)> = t::table
            .filter(t::entry_id.eq_any(&ids))
            .order((t::entry_id, t::facet, t::value))
            .select((t::entry_id, t::facet, t::value))
            .load(conn)?;
        for (id, facet, value) in rows {
            tags.entry(id).or_default().push((facet, value));
        }
    }
    Ok(entries
        .into_iter()
        .map(|entry| PublishedEntry {
            tags: tags.remove(&entry.id).unwrap_or_default(),
            entry,
        })
        .collect())
}

/// One occurrence of an event.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub entry: PublishedEntry,
}

/// A position in the list of occurrences: by start, then entry id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccurrenceCursor {
    pub starts_at: NaiveDateTime,
    pub entry_id: i32,
}

/// The occurrences of published events that overlap [`from`, `to`), by start then entry,
/// after `after`, `limit` of them; events past their expiry at `now` are left out.
pub fn occurrences_page(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
    after: Option<OccurrenceCursor>,
    now: NaiveDateTime,
    limit: i64,
) -> StoreResult<Vec<Occurrence>> {
    let (after_start, after_id) = after.map_or((EARLIEST, 0), |a| (sane(a.starts_at), a.entry_id));
    let rows: Vec<(NaiveDateTime, NaiveDateTime, Entry)> = o::table
        .inner_join(e::table)
        .filter(e::kind.eq(Kind::Event.as_str()))
        .filter(e::status.eq(Status::Published.as_str()))
        .filter(e::expires_at.is_null().or(e::expires_at.gt(now)))
        .filter(o::starts_at.lt(sane(to)))
        .filter(o::ends_at.gt(sane(from)))
        .filter(
            diesel::dsl::sql::<Bool>(
                "(entry_occurrences.starts_at, entry_occurrences.entry_id) > (",
            )
            .bind::<Timestamp, _>(after_start)
            .sql(", ")
            .bind::<Integer, _>(after_id)
            .sql(")"),
        )
        .order((o::starts_at.asc(), o::entry_id.asc()))
        .limit(limit)
        .select((o::starts_at, o::ends_at, Entry::as_select()))
        .load(conn)?;
    let (times, entries): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|(starts_at, ends_at, entry)| ((starts_at, ends_at), entry))
        .unzip();
    Ok(times
        .into_iter()
        .zip(with_tags(conn, entries)?)
        .map(|((starts_at, ends_at), entry)| Occurrence {
            starts_at,
            ends_at,
            entry,
        })
        .collect())
}

/// A wiki page as the API gives it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = p)]
pub struct PublishedPage {
    pub id: i32,
    pub slug: String,
    pub title: String,
    /// The Markdown source.
    pub body: String,
    /// The sanitized HTML.
    pub html: String,
    pub lang: String,
    pub revision_number: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A wiki page in a list: no text.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = p)]
pub struct PageSummary {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub lang: String,
    pub updated_at: NaiveDateTime,
}

/// Wiki pages by id after `after`, `limit` of them.
pub fn pages_page(conn: &mut DbConn, after: i32, limit: i64) -> StoreResult<Vec<PageSummary>> {
    Ok(p::table
        .filter(p::id.gt(after))
        .order(p::id.asc())
        .limit(limit)
        .select(PageSummary::as_select())
        .load(conn)?)
}

/// One wiki page by its slug.
pub fn page(conn: &mut DbConn, slug: &str) -> StoreResult<Option<PublishedPage>> {
    Ok(p::table
        .filter(p::slug.eq(slug))
        .select(PublishedPage::as_select())
        .first(conn)
        .optional()?)
}

/// Addresses per sitemap file: the sitemaps protocol allows 50,000; files of 10,000 stay small
/// (about 1 MB) and each is read by one range of ids.
pub const SITEMAP_SPAN: i32 = 10_000;

/// What a sitemap lists of one row: its address's parts and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapRow {
    /// `page`, `thread` or an entry's kind.
    pub kind: String,
    pub id: i32,
    pub slug: String,
    pub updated_at: NaiveDateTime,
}

/// The largest ids of pages, entries and threads (0 when none): how many sitemap files each
/// needs.
pub fn sitemap_extent(conn: &mut DbConn) -> StoreResult<(i32, i32, i32)> {
    use crate::schema::exchange_threads as et;
    use diesel::dsl::max;
    let pages: Option<i32> = p::table.select(max(p::id)).first(conn)?;
    let entries: Option<i32> = e::table.select(max(e::id)).first(conn)?;
    let threads: Option<i32> = et::table.select(max(et::id)).first(conn)?;
    Ok((
        pages.unwrap_or(0),
        entries.unwrap_or(0),
        threads.unwrap_or(0),
    ))
}

/// The public rows of one kind of content whose ids fall in file `n` (ids from
/// `n * SITEMAP_SPAN + 1` to `(n + 1) * SITEMAP_SPAN`): wiki pages, published current entries,
/// or visible threads outside the workshops' practice spaces.
pub fn sitemap_rows(
    conn: &mut DbConn,
    what: SitemapPart,
    n: i32,
    now: NaiveDateTime,
) -> StoreResult<Vec<SitemapRow>> {
    use crate::schema::exchange_threads as et;
    let from = n.saturating_mul(SITEMAP_SPAN);
    let to = from.saturating_add(SITEMAP_SPAN);
    Ok(match what {
        SitemapPart::Pages => p::table
            .filter(p::id.gt(from).and(p::id.le(to)))
            .order(p::id)
            .select((p::id, p::slug, p::updated_at))
            .load::<(i32, String, NaiveDateTime)>(conn)?
            .into_iter()
            .map(|(id, slug, updated_at)| SitemapRow {
                kind: "page".into(),
                id,
                slug,
                updated_at,
            })
            .collect(),
        SitemapPart::Entries => e::table
            .filter(e::id.gt(from).and(e::id.le(to)))
            .filter(e::status.eq(Status::Published.as_str()))
            .filter(e::expires_at.is_null().or(e::expires_at.gt(now)))
            .order(e::id)
            .select((e::id, e::kind, e::slug, e::updated_at))
            .load::<(i32, String, String, NaiveDateTime)>(conn)?
            .into_iter()
            .map(|(id, kind, slug, updated_at)| SitemapRow {
                kind,
                id,
                slug,
                updated_at,
            })
            .collect(),
        SitemapPart::Threads => et::table
            .filter(et::id.gt(from).and(et::id.le(to)))
            .filter(et::state.eq(lieu_core::exchange::PostState::Visible.as_str()))
            .filter(et::subject_kind.ne(lieu_core::exchange::Subject::Workshop(0).kind()))
            .order(et::id)
            .select((et::id, et::last_post_at))
            .load::<(i32, NaiveDateTime)>(conn)?
            .into_iter()
            .map(|(id, updated_at)| SitemapRow {
                kind: "thread".into(),
                id,
                slug: String::new(),
                updated_at,
            })
            .collect(),
    })
}

/// The three kinds of content a sitemap lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapPart {
    Pages,
    Entries,
    Threads,
}
