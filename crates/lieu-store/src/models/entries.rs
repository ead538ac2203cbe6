use crate::DbConn;
use crate::schema::{communes, entries, entry_tags};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::collation::title_sort_key;
use lieu_core::entry::{Details, Kind, Status};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = entries)]
pub struct Entry {
    pub id: i32,
    pub kind: String,
    pub status: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub commune_insee: String,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub amount_eur: Option<i32>,
    pub details_json: String,
    pub revision_number: i32,
    pub verified_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub subtype: Option<String>,
}

impl Entry {
    pub fn kind(&self) -> Kind {
        self.kind.parse().unwrap_or(Kind::Service)
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status)
    }

    /// The kind-specific fields. A row whose JSON no longer parses (edited by hand) yields
    /// `None` rather than a crash.
    pub fn details(&self) -> Option<Details> {
        serde_json::from_str(&self.details_json).ok()
    }

    /// Whether the offer is past its expiry date at `now`.
    pub fn is_expired(&self, now: NaiveDateTime) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }

    /// Whether the event's last occurrence has ended at `now`.
    pub fn is_past(&self, now: NaiveDateTime) -> bool {
        self.kind() == Kind::Event && self.ends_at.is_some_and(|e| e <= now)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = entries)]
pub struct NewEntry<'a> {
    pub kind: &'a str,
    pub status: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub commune_insee: &'a str,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub amount_eur: Option<i32>,
    pub details_json: &'a str,
    pub revision_number: i32,
    pub verified_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub subtype: Option<&'a str>,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = entries, treat_none_as_null = true)]
pub struct EntryChanges<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub commune_insee: &'a str,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub amount_eur: Option<i32>,
    pub details_json: &'a str,
    pub revision_number: i32,
    pub verified_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub subtype: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, new: &NewEntry<'_>) -> QueryResult<Entry> {
    diesel::insert_into(entries::table)
        .values((new, entries::title_sort.eq(title_sort_key(new.title))))
        .execute(conn)?;
    by_slug(conn, new.slug)?.ok_or(diesel::result::Error::NotFound)
}

pub fn by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Entry>> {
    entries::table
        .filter(entries::slug.eq(slug))
        .select(Entry::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Entry>> {
    entries::table
        .find(id)
        .select(Entry::as_select())
        .first(conn)
        .optional()
}

/// Slugs in use that start with `base` (to pick a free one).
pub fn slugs_like(conn: &mut DbConn, base: &str) -> QueryResult<Vec<String>> {
    entries::table
        .filter(entries::slug.like(format!("{base}%")))
        .select(entries::slug)
        .load(conn)
}

pub fn update_if_current(
    conn: &mut DbConn,
    id: i32,
    expected_revision: i32,
    changes: &EntryChanges<'_>,
) -> QueryResult<usize> {
    diesel::update(
        entries::table
            .filter(entries::id.eq(id))
            .filter(entries::revision_number.eq(expected_revision)),
    )
    .set((
        changes,
        entries::title_sort.eq(title_sort_key(changes.title)),
    ))
    .execute(conn)
}

/// Changes the status, only if the entry is still at `expected_revision` with status `from`
/// (as stored).
/// Returns the number of rows changed: 0 means someone else changed it first.
pub fn set_status_if_current(
    conn: &mut DbConn,
    id: i32,
    expected_revision: i32,
    from: &str,
    status: Status,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        entries::table
            .filter(entries::id.eq(id))
            .filter(entries::revision_number.eq(expected_revision))
            .filter(entries::status.eq(from)),
    )
    .set((
        entries::status.eq(status.as_str()),
        entries::revision_number.eq(expected_revision + 1),
        entries::updated_at.eq(now),
    ))
    .execute(conn)
}

pub fn set_verified(conn: &mut DbConn, id: i32, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(entries::table.find(id))
        .set(entries::verified_at.eq(at))
        .execute(conn)
}

/// Published entries last verified before `before`, oldest first.
pub fn stale(
    conn: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Entry>> {
    entries::table
        .filter(entries::status.eq(Status::Published.as_str()))
        .filter(entries::verified_at.lt(before))
        .order((entries::verified_at.asc(), entries::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(Entry::as_select())
        .load(conn)
}

pub fn count_stale(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<i64> {
    entries::table
        .filter(entries::status.eq(Status::Published.as_str()))
        .filter(entries::verified_at.lt(before))
        .count()
        .get_result(conn)
}

pub fn replace_tags(conn: &mut DbConn, id: i32, tags: &[(&str, String)]) -> QueryResult<()> {
    diesel::delete(entry_tags::table.filter(entry_tags::entry_id.eq(id))).execute(conn)?;
    let mut seen = std::collections::HashSet::new();
    for (facet, value) in tags {
        if seen.insert((*facet, value.as_str())) {
            diesel::insert_into(entry_tags::table)
                .values((
                    entry_tags::entry_id.eq(id),
                    entry_tags::facet.eq(*facet),
                    entry_tags::value.eq(value),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Makes the stored occurrences of an event exactly `occurrences` (UTC).
pub fn replace_occurrences(
    conn: &mut DbConn,
    id: i32,
    occurrences: &[(NaiveDateTime, NaiveDateTime)],
) -> QueryResult<()> {
    use crate::schema::entry_occurrences as o;
    diesel::delete(o::table.filter(o::entry_id.eq(id))).execute(conn)?;
    for (starts_at, ends_at) in occurrences {
        diesel::insert_into(o::table)
            .values((
                o::entry_id.eq(id),
                o::starts_at.eq(starts_at),
                o::ends_at.eq(ends_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn tags_of(conn: &mut DbConn, id: i32, facet: &str) -> QueryResult<Vec<String>> {
    entry_tags::table
        .filter(entry_tags::entry_id.eq(id))
        .filter(entry_tags::facet.eq(facet))
        .order(entry_tags::value.asc())
        .select(entry_tags::value)
        .load(conn)
}

/// The name of an entry's commune.
pub fn commune_name(conn: &mut DbConn, insee: &str) -> QueryResult<Option<String>> {
    communes::table
        .find(insee)
        .select(communes::name)
        .first(conn)
        .optional()
}

/// Sets the sort key of the entries after `after_id` that have none (rows written before the
/// key existed), `limit` of them; returns the last id seen, `None` when there are no more.
pub fn fill_missing_sort_keys(
    conn: &mut DbConn,
    after_id: i32,
    limit: i64,
) -> QueryResult<Option<i32>> {
    let rows: Vec<(i32, String)> = entries::table
        .filter(entries::title_sort.eq(""))
        .filter(entries::id.gt(after_id))
        .order(entries::id.asc())
        .limit(limit)
        .select((entries::id, entries::title))
        .load(conn)?;
    for (id, title) in &rows {
        diesel::update(entries::table.find(id))
            .set(entries::title_sort.eq(title_sort_key(title)))
            .execute(conn)?;
    }
    Ok(rows.last().map(|(id, _)| *id))
}

/// The entry imported from `source` under `source_id`, if any.
pub fn by_source(conn: &mut DbConn, source: &str, source_id: &str) -> QueryResult<Option<Entry>> {
    entries::table
        .filter(entries::source.eq(source))
        .filter(entries::source_id.eq(source_id))
        .select(Entry::as_select())
        .first(conn)
        .optional()
}

/// Records where an imported entry comes from and when its producer last changed it.
pub fn set_source(
    conn: &mut DbConn,
    id: i32,
    source: &str,
    source_id: &str,
    updated_at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(entries::table.find(id))
        .set((
            entries::source.eq(source),
            entries::source_id.eq(source_id),
            entries::source_updated_at.eq(updated_at),
        ))
        .execute(conn)
}

/// Where an entry comes from: (source, identifier there, producer's date), if imported.
pub fn source_of(
    conn: &mut DbConn,
    id: i32,
) -> QueryResult<(Option<String>, Option<String>, Option<NaiveDateTime>)> {
    entries::table
        .find(id)
        .select((
            entries::source,
            entries::source_id,
            entries::source_updated_at,
        ))
        .first(conn)
}
