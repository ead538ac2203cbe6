use crate::DbConn;
use crate::schema::{pages, revisions};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::PageId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = revisions)]
pub struct Revision {
    pub id: i32,
    pub page_id: i32,
    pub number: i32,
    pub title: String,
    pub body: String,
    pub summary: String,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

/// A revision without its body, for history lists.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = revisions)]
pub struct RevisionMeta {
    pub id: i32,
    pub page_id: i32,
    pub number: i32,
    pub title: String,
    pub summary: String,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = revisions)]
pub struct NewRevision<'a> {
    pub page_id: i32,
    pub number: i32,
    pub title: &'a str,
    pub body: &'a str,
    pub summary: &'a str,
    pub author_id: Option<i32>,
    pub author_name: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewRevision<'_>) -> QueryResult<usize> {
    diesel::insert_into(revisions::table)
        .values(new)
        .execute(conn)
}

pub fn by_number(conn: &mut DbConn, page: PageId, number: i32) -> QueryResult<Option<Revision>> {
    revisions::table
        .filter(revisions::page_id.eq(page.0))
        .filter(revisions::number.eq(number))
        .select(Revision::as_select())
        .first(conn)
        .optional()
}

/// Newest first.
pub fn history(
    conn: &mut DbConn,
    page: PageId,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<RevisionMeta>> {
    revisions::table
        .filter(revisions::page_id.eq(page.0))
        .order(revisions::number.desc())
        .limit(limit)
        .offset(offset)
        .select(RevisionMeta::as_select())
        .load(conn)
}

/// A change in the recent changes list: the revision and where its page is now.
#[derive(Debug, Clone)]
pub struct RecentChange {
    pub revision: RevisionMeta,
    pub page_slug: String,
    pub page_title: String,
}

/// Newest first, across all pages.
pub fn recent(conn: &mut DbConn, limit: i64, offset: i64) -> QueryResult<Vec<RecentChange>> {
    let rows: Vec<(RevisionMeta, String, String)> = revisions::table
        .inner_join(pages::table)
        .order((revisions::created_at.desc(), revisions::id.desc()))
        .limit(limit)
        .offset(offset)
        .select((RevisionMeta::as_select(), pages::slug, pages::title))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(revision, page_slug, page_title)| RecentChange {
            revision,
            page_slug,
            page_title,
        })
        .collect())
}

pub fn count_recent(conn: &mut DbConn) -> QueryResult<i64> {
    revisions::table.count().get_result(conn)
}
