use crate::DbConn;
use crate::schema::pages;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::PageId;
use lieu_markdown::TocEntry;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pages)]
pub struct Page {
    pub id: i32,
    pub slug: String,
    pub title: String,
    /// The current Markdown; every version is also in `revisions`.
    pub body: String,
    /// The current body rendered and sanitized, so that a view never re-renders Markdown.
    pub html: String,
    pub toc_json: String,
    pub plain_text: String,
    /// Number of the current revision (1 for a new page).
    pub revision_number: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Page {
    pub fn page_id(&self) -> PageId {
        PageId(self.id)
    }

    pub fn toc(&self) -> Vec<TocEntry> {
        serde_json::from_str(&self.toc_json).unwrap_or_default()
    }
}

/// A row of the index of pages.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pages)]
pub struct PageSummary {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = pages)]
pub struct NewPage<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub html: &'a str,
    pub toc_json: &'a str,
    pub plain_text: &'a str,
    pub revision_number: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = pages)]
pub struct PageChanges<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub html: &'a str,
    pub toc_json: &'a str,
    pub plain_text: &'a str,
    pub revision_number: i32,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewPage<'_>) -> QueryResult<Page> {
    diesel::insert_into(pages::table)
        .values(new)
        .execute(conn)?;
    by_slug(conn, new.slug)?.ok_or(diesel::result::Error::NotFound)
}

pub fn by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Page>> {
    pages::table
        .filter(pages::slug.eq(slug))
        .select(Page::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: PageId) -> QueryResult<Option<Page>> {
    pages::table
        .find(id.0)
        .select(Page::as_select())
        .first(conn)
        .optional()
}

/// Replaces the current version, only if it is still `expected_revision`. Returns the number
/// of rows changed: 0 means someone else saved first.
pub fn update_if_current(
    conn: &mut DbConn,
    id: PageId,
    expected_revision: i32,
    changes: &PageChanges<'_>,
) -> QueryResult<usize> {
    diesel::update(
        pages::table
            .filter(pages::id.eq(id.0))
            .filter(pages::revision_number.eq(expected_revision)),
    )
    .set(changes)
    .execute(conn)
}

/// Updates only the rendered HTML (when a linked page appears or moves).
pub fn update_rendering(
    conn: &mut DbConn,
    id: PageId,
    html: &str,
    toc_json: &str,
) -> QueryResult<usize> {
    diesel::update(pages::table.find(id.0))
        .set((pages::html.eq(html), pages::toc_json.eq(toc_json)))
        .execute(conn)
}

/// Which of these slugs are pages.
pub fn existing_slugs(conn: &mut DbConn, slugs: &[&str]) -> QueryResult<Vec<String>> {
    pages::table
        .filter(pages::slug.eq_any(slugs))
        .select(pages::slug)
        .load(conn)
}

pub fn list(conn: &mut DbConn, limit: i64, offset: i64) -> QueryResult<Vec<PageSummary>> {
    pages::table
        .order((pages::title.asc(), pages::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(PageSummary::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    pages::table.count().get_result(conn)
}
