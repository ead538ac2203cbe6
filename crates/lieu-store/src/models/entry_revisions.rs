use crate::DbConn;
use crate::schema::entry_revisions;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = entry_revisions)]
pub struct EntryRevision {
    pub id: i32,
    pub entry_id: i32,
    pub number: i32,
    /// The whole entry as it was after this change (title, status, details, ...).
    pub snapshot_json: String,
    pub summary: String,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = entry_revisions)]
pub struct NewEntryRevision<'a> {
    pub entry_id: i32,
    pub number: i32,
    pub snapshot_json: &'a str,
    pub summary: &'a str,
    pub author_id: Option<i32>,
    pub author_name: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewEntryRevision<'_>) -> QueryResult<usize> {
    diesel::insert_into(entry_revisions::table)
        .values(new)
        .execute(conn)
}

/// Newest first.
pub fn for_entry(conn: &mut DbConn, entry_id: i32) -> QueryResult<Vec<EntryRevision>> {
    entry_revisions::table
        .filter(entry_revisions::entry_id.eq(entry_id))
        .order(entry_revisions::number.desc())
        .select(EntryRevision::as_select())
        .load(conn)
}
