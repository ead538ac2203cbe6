//! Old slugs of renamed pages, so that old links and bookmarks keep working.

use crate::DbConn;
use crate::schema::page_aliases;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::PageId;

pub fn insert(
    conn: &mut DbConn,
    slug: &str,
    page: PageId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(page_aliases::table)
        .values((
            page_aliases::slug.eq(slug),
            page_aliases::page_id.eq(page.0),
            page_aliases::created_at.eq(at),
        ))
        .execute(conn)
}

pub fn delete(conn: &mut DbConn, slug: &str) -> QueryResult<usize> {
    diesel::delete(page_aliases::table.find(slug)).execute(conn)
}

pub fn page_for(conn: &mut DbConn, slug: &str) -> QueryResult<Option<PageId>> {
    page_aliases::table
        .find(slug)
        .select(page_aliases::page_id)
        .first(conn)
        .optional()
        .map(|id| id.map(PageId))
}

pub fn for_page(conn: &mut DbConn, page: PageId) -> QueryResult<Vec<String>> {
    page_aliases::table
        .filter(page_aliases::page_id.eq(page.0))
        .select(page_aliases::slug)
        .load(conn)
}

pub fn existing(conn: &mut DbConn, slugs: &[&str]) -> QueryResult<Vec<String>> {
    page_aliases::table
        .filter(page_aliases::slug.eq_any(slugs))
        .select(page_aliases::slug)
        .load(conn)
}
