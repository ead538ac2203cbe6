//! Directory operations. Like `wiki`, each function runs inside the caller's transaction and
//! writes the entry, its tags, a revision (a snapshot of the whole entry) and an audit entry
//! together.

use crate::DbConn;
use crate::error::{StoreError, StoreResult, is_unique_violation};
use crate::models::entries::{self, Entry, EntryChanges, NewEntry};
use crate::models::entry_revisions::{self, NewEntryRevision};
use crate::models::{audit_log, communes};
use crate::schema::{entries as e, entry_tags as t};
use crate::wiki::Author;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::Invalid;
use lieu_core::entry::{Details, EventDetails, Kind, Rules, Status, ValidEntry};
use serde::{Deserialize, Serialize};

mod agenda;
mod batch;
pub use agenda::{
    AgendaDays, AgendaRow, agenda_day, agenda_day_count, agenda_days, agenda_ongoing,
};
pub use batch::{BatchEntry, create_entries_batch};

/// What a revision of an entry records: the entry as it was after the change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Snapshot {
    pub title: String,
    pub summary: String,
    pub commune: String,
    pub status: Status,
    pub categories: Vec<String>,
    pub details: Details,
}

impl Snapshot {
    /// The snapshot of a validated entry, with the status it has after the change.
    fn of(valid: &ValidEntry, status: Status) -> Snapshot {
        Snapshot {
            title: valid.title.clone(),
            summary: valid.summary.clone(),
            commune: valid.commune.clone(),
            status,
            categories: valid
                .tags
                .iter()
                .filter(|(f, _)| *f == "category")
                .map(|(_, v)| v.clone())
                .collect(),
            details: valid.details.clone(),
        }
    }
}

/// The validation rules for `kind`: the territory's communes and the kind's categories.
pub fn rules_data(conn: &mut DbConn, kind: Kind) -> StoreResult<(Vec<String>, Vec<String>)> {
    let communes = communes::all(conn)?.into_iter().map(|c| c.insee).collect();
    let categories = communes::categories_of(conn, kind)?
        .into_iter()
        .map(|c| c.slug)
        .collect();
    Ok((communes, categories))
}

/// Validates `form` against the territory as stored.
pub fn validate(
    conn: &mut DbConn,
    kind: Kind,
    form: &lieu_core::entry::EntryForm,
    today: chrono::NaiveDate,
) -> StoreResult<Result<ValidEntry, Invalid>> {
    let (communes, categories) = rules_data(conn, kind)?;
    Ok(form.validate(
        kind,
        &Rules {
            communes: &communes,
            categories: &categories,
            today,
        },
    ))
}

fn free_slug(conn: &mut DbConn, base: &str) -> StoreResult<String> {
    let taken = entries::slugs_like(conn, base)?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken.contains(&candidate) {
            return Ok(candidate);
        }
        n += 1;
    }
}

fn record_revision(
    conn: &mut DbConn,
    entry: &Entry,
    snapshot: &Snapshot,
    summary: &str,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let json = serde_json::to_string(snapshot).map_err(|e| StoreError::Pool(e.to_string()))?;
    entry_revisions::insert(
        conn,
        &NewEntryRevision {
            entry_id: entry.id,
            number: entry.revision_number,
            snapshot_json: &json,
            summary,
            author_id: author.id.map(|a| a.0),
            author_name: &author.name,
            created_at: now,
        },
    )?;
    // Every change of an entry writes a revision: the search index follows from here.
    crate::search::enqueue(conn, crate::search::Source::Entry(entry.id))?;
    Ok(())
}

fn details_json(details: &Details) -> StoreResult<String> {
    serde_json::to_string(details).map_err(|e| StoreError::Pool(e.to_string()))
}

/// Creates an entry under the first free slug derived from its title (`titre`, `titre-2`...).
///
/// Two agents creating entries of the same title at once both succeed, on both backends: on
/// SQLite writers take turns, and on PostgreSQL the loser of the race meets the unique index,
/// rolls back to a savepoint and takes the next free slug. `SlugTaken` only if that keeps
/// failing.
///
/// `default_summary` is the history's summary when the agent typed none, and `now` the
/// moment recorded (the caller's clock): the texts users read and the time both come from
/// the caller, so that the store holds no interface text and tests can fix the date.
pub fn create_entry(
    conn: &mut DbConn,
    valid: &ValidEntry,
    author: &Author,
    default_summary: &str,
    now: NaiveDateTime,
) -> StoreResult<Entry> {
    const ATTEMPTS: usize = 3;
    let json = details_json(&valid.details)?;
    let mut attempt = 1;
    let entry = loop {
        let slug = free_slug(conn, &valid.slug)?;
        let new = NewEntry {
            kind: valid.kind.as_str(),
            status: Status::Published.as_str(),
            slug: &slug,
            title: &valid.title,
            summary: &valid.summary,
            commune_insee: &valid.commune,
            starts_at: valid.starts_at,
            ends_at: valid.ends_at,
            expires_at: valid.expires_at,
            amount_eur: valid.amount_eur,
            details_json: &json,
            revision_number: 1,
            verified_at: now,
            created_at: now,
            updated_at: now,
            subtype: valid.subtype.as_deref(),
        };
        // A nested transaction is a savepoint: a failed insert leaves the caller's
        // transaction usable (PostgreSQL would abort all of it otherwise).
        match conn.transaction(|c| entries::insert(c, &new)) {
            Ok(entry) => break entry,
            Err(e) if is_unique_violation(&e) && attempt < ATTEMPTS => attempt += 1,
            Err(e) => return Err(StoreError::slug_taken_if_unique(e, &slug)),
        }
    };
    entries::replace_tags(conn, entry.id, &valid.tags)?;
    entries::replace_occurrences(conn, entry.id, &valid.occurrences)?;
    let snapshot = Snapshot::of(valid, Status::Published);
    let summary = valid.summary_or(default_summary);
    record_revision(conn, &entry, &snapshot, summary, author, now)?;
    audit_log::record(
        conn,
        author.id,
        "entry.create",
        &entry.slug,
        valid.kind.as_str(),
    )?;
    Ok(entry)
}

/// What became of an edit of an entry.
#[derive(Debug)]
pub enum EntrySave {
    Saved(Box<Entry>),
    /// Someone saved in between: nothing was written.
    Conflict(Box<Entry>),
}

/// Saves a new version of an entry if it is still at `base_revision`. Editing an entry also
/// counts as verifying it. `default_summary` and `now` as for [`create_entry`].
pub fn update_entry(
    conn: &mut DbConn,
    id: i32,
    base_revision: i32,
    valid: &ValidEntry,
    author: &Author,
    default_summary: &str,
    now: NaiveDateTime,
) -> StoreResult<EntrySave> {
    let current = entries::by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    if current.revision_number != base_revision {
        return Ok(EntrySave::Conflict(Box::new(current)));
    }
    let json = details_json(&valid.details)?;
    let changed = entries::update_if_current(
        conn,
        id,
        base_revision,
        &EntryChanges {
            title: &valid.title,
            summary: &valid.summary,
            commune_insee: &valid.commune,
            starts_at: valid.starts_at,
            ends_at: valid.ends_at,
            expires_at: valid.expires_at,
            amount_eur: valid.amount_eur,
            details_json: &json,
            revision_number: base_revision + 1,
            verified_at: now,
            updated_at: now,
            subtype: valid.subtype.as_deref(),
        },
    )?;
    let entry = entries::by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    if changed == 0 {
        return Ok(EntrySave::Conflict(Box::new(entry)));
    }
    entries::replace_tags(conn, id, &valid.tags)?;
    entries::replace_occurrences(conn, id, &valid.occurrences)?;
    if current.title != entry.title {
        crate::search::enqueue_threads_of(conn, lieu_core::exchange::Subject::Entry(id))?;
    }
    let snapshot = Snapshot::of(valid, entry.status());
    let summary = valid.summary_or(default_summary);
    record_revision(conn, &entry, &snapshot, summary, author, now)?;
    audit_log::record(conn, author.id, "entry.edit", &entry.slug, summary)?;
    Ok(EntrySave::Saved(Box::new(entry)))
}

/// Archives or restores an entry (a new revision). Nothing is ever deleted.
///
/// `Conflict` if another writer changed the entry between the read and the write (the same
/// compare-and-swap as edits, so that two agents racing never write the same revision).
/// `change` says who, when, and the summary the history shows.
pub fn set_status(
    conn: &mut DbConn,
    id: i32,
    status: Status,
    change: &StatusChange<'_>,
) -> StoreResult<Entry> {
    let current = entries::by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    change_status(conn, current, status, change)
}

/// Who archives or restores an entry, when, and the summary its history records.
#[derive(Debug, Clone, Copy)]
pub struct StatusChange<'a> {
    pub author: &'a Author,
    pub summary: &'a str,
    pub now: NaiveDateTime,
}

/// Like [`set_status`], only if the entry is still at `base_revision`, the version the agent
/// saw when asking; `Conflict` otherwise.
pub fn set_status_from(
    conn: &mut DbConn,
    id: i32,
    base_revision: i32,
    status: Status,
    change: &StatusChange<'_>,
) -> StoreResult<Entry> {
    let current = entries::by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    if current.revision_number != base_revision {
        return Err(StoreError::Conflict);
    }
    change_status(conn, current, status, change)
}

fn change_status(
    conn: &mut DbConn,
    current: Entry,
    status: Status,
    change: &StatusChange<'_>,
) -> StoreResult<Entry> {
    if current.status() == status {
        return Ok(current);
    }
    let id = current.id;
    let StatusChange {
        author,
        summary,
        now,
    } = *change;
    let changed = entries::set_status_if_current(
        conn,
        id,
        current.revision_number,
        &current.status,
        status,
        now,
    )?;
    if changed == 0 {
        return Err(StoreError::Conflict);
    }
    let entry = entries::by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    let details = entry.details().ok_or(StoreError::NotFound)?;
    let snapshot = Snapshot {
        title: entry.title.clone(),
        summary: entry.summary.clone(),
        commune: entry.commune_insee.clone(),
        status,
        categories: entries::tags_of(conn, id, "category")?,
        details,
    };
    let action = match status {
        Status::Archived => "entry.archive",
        Status::Published => "entry.restore",
    };
    record_revision(conn, &entry, &snapshot, summary, author, now)?;
    audit_log::record(conn, author.id, action, &entry.slug, "")?;
    Ok(entry)
}

/// Whether `valid` says what `entry` already holds (title, summary, commune, categories,
/// details): an import that finds nothing new writes nothing.
pub fn same_content(conn: &mut DbConn, entry: &Entry, valid: &ValidEntry) -> StoreResult<bool> {
    let Some(details) = entry.details() else {
        return Ok(false);
    };
    let current = Snapshot {
        title: entry.title.clone(),
        summary: entry.summary.clone(),
        commune: entry.commune_insee.clone(),
        status: entry.status(),
        categories: entries::tags_of(conn, entry.id, "category")?,
        details,
    };
    let mut incoming = Snapshot::of(valid, entry.status());
    let mut sorted = current.categories.clone();
    sorted.sort();
    incoming.categories.sort();
    Ok(Snapshot {
        categories: sorted,
        ..current
    } == incoming)
}

/// The entry as the agents' form holds it: what editing, and correcting through the
/// referencing form, start from.
pub fn form_of(conn: &mut DbConn, entry: &Entry) -> StoreResult<lieu_core::entry::EntryForm> {
    let details = entry.details().ok_or(StoreError::NotFound)?;
    let categories = entries::tags_of(conn, entry.id, "category")?;
    Ok(lieu_core::entry::EntryForm::from_entry(
        &entry.title,
        &entry.commune_insee,
        &entry.summary,
        &categories,
        &details,
    ))
}

/// Records that an agent checked the entry is still true at `now` (the caller's clock).
pub fn mark_verified(
    conn: &mut DbConn,
    id: i32,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<Entry> {
    if entries::set_verified(conn, id, now)? == 0 {
        return Err(StoreError::NotFound);
    }
    let entry = entries::by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    audit_log::record(conn, author.id, "entry.verify", &entry.slug, "")?;
    Ok(entry)
}

pub use lieu_core::entry::list::{ListQuery, Period};

type Boxed<'a> = e::BoxedQuery<'a, crate::conn::MultiBackend>;

fn filtered(q: &ListQuery) -> Boxed<'_> {
    let mut query = e::table
        .filter(e::kind.eq(q.kind.as_str()))
        .filter(e::status.eq(q.status.as_str()))
        .into_boxed();
    if let Some(commune) = &q.commune {
        query = query.filter(e::commune_insee.eq(commune));
    }
    for (facet, value) in &q.tags {
        query = query.filter(
            e::id.eq_any(
                t::table
                    .filter(t::facet.eq(facet))
                    .filter(t::value.eq(value))
                    .select(t::entry_id),
            ),
        );
    }
    if let Some(subtype) = &q.subtype {
        query = query.filter(e::subtype.eq(subtype));
    }
    if let Some(max) = q.max_amount {
        query = query.filter(e::amount_eur.le(max));
    }
    if let Some(period) = q.period {
        use crate::schema::entry_occurrences as o;
        query = query.filter(
            e::id.eq_any(
                o::table
                    .filter(o::starts_at.lt(period.to))
                    .filter(o::ends_at.gt(period.from))
                    .select(o::entry_id),
            ),
        );
    }
    if !q.include_ended {
        query = query.filter(e::expires_at.is_null().or(e::expires_at.gt(q.now)));
        if q.kind == Kind::Event {
            query = query.filter(e::ends_at.gt(q.now));
        }
    }
    query
}

/// How many entries match the list's filters.
pub fn count(conn: &mut DbConn, q: &ListQuery) -> StoreResult<i64> {
    Ok(filtered(q).count().get_result(conn)?)
}

/// One page of a list.
pub fn list(conn: &mut DbConn, q: &ListQuery) -> StoreResult<Vec<Entry>> {
    let query = filtered(q);
    let query = match q.kind {
        Kind::Event => query.order((e::starts_at.asc(), e::id.asc())),
        Kind::Job | Kind::Housing => query.order((e::created_at.desc(), e::id.desc())),
        Kind::Service | Kind::Association => {
            query.order((e::title_sort.asc(), e::title.asc(), e::id.asc()))
        }
    };
    Ok(query
        .limit(q.limit)
        .offset(q.offset)
        .select(Entry::as_select())
        .load(conn)?)
}

/// How many published, current entries of each kind. The site reads these counts from the
/// search index; this is the reference its tests compare with.
pub fn counts(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<Vec<(Kind, i64)>> {
    Kind::ALL
        .into_iter()
        .map(|kind| Ok((kind, count(conn, &ListQuery::current(kind, now))?)))
        .collect()
}

/// Upcoming events (ending after `query.now`), with their details, for the agenda and the
/// calendar feed. Entries whose details no longer read as an event are left out.
pub fn events(conn: &mut DbConn, query: &ListQuery) -> StoreResult<Vec<(Entry, EventDetails)>> {
    Ok(list(conn, query)?
        .into_iter()
        .filter_map(|entry| match entry.details() {
            Some(Details::Event(d)) => Some((entry, d)),
            _ => None,
        })
        .collect())
}
