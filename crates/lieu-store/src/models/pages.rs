use crate::DbConn;
use crate::schema::pages;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::PageId;
use lieu_core::collation::title_sort_key;
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
    /// The [`RENDERER_VERSION`] that produced `html`.
    pub renderer_version: i32,
    /// The language of the text (`fr`, `en`).
    pub lang: String,
}

/// `lieu_markdown::RENDERER_VERSION` as stored in the database.
pub const RENDERER_VERSION: i32 = lieu_markdown::RENDERER_VERSION as i32;
const _: () = assert!(lieu_markdown::RENDERER_VERSION <= i32::MAX as u32);

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

/// A new page. The sort key and the renderer version are added by [`insert`].
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

/// A new version of a page. The sort key and the renderer version are added by
/// [`update_if_current`].
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
        .values((
            new,
            pages::title_sort.eq(title_sort_key(new.title)),
            pages::renderer_version.eq(RENDERER_VERSION),
        ))
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
    .set((
        changes,
        pages::title_sort.eq(title_sort_key(changes.title)),
        pages::renderer_version.eq(RENDERER_VERSION),
    ))
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
        .set((
            pages::html.eq(html),
            pages::toc_json.eq(toc_json),
            pages::renderer_version.eq(RENDERER_VERSION),
        ))
        .execute(conn)
}

/// Replaces everything derived from the Markdown of a page's current revision, only if that
/// revision is still current (so a concurrent edit's own rendering is never overwritten).
pub fn update_derived_if_current(
    conn: &mut DbConn,
    id: PageId,
    expected_revision: i32,
    html: &str,
    toc_json: &str,
    plain_text: &str,
) -> QueryResult<usize> {
    diesel::update(
        pages::table
            .filter(pages::id.eq(id.0))
            .filter(pages::revision_number.eq(expected_revision)),
    )
    .set((
        pages::html.eq(html),
        pages::toc_json.eq(toc_json),
        pages::plain_text.eq(plain_text),
        pages::renderer_version.eq(RENDERER_VERSION),
    ))
    .execute(conn)
}

/// Ids of the pages rendered by an older renderer, after `after_id`, in id order.
pub fn outdated_rendering(
    conn: &mut DbConn,
    after_id: i32,
    limit: i64,
) -> QueryResult<Vec<PageId>> {
    Ok(pages::table
        .filter(pages::renderer_version.lt(RENDERER_VERSION))
        .filter(pages::id.gt(after_id))
        .order(pages::id.asc())
        .limit(limit)
        .select(pages::id)
        .load::<i32>(conn)?
        .into_iter()
        .map(PageId)
        .collect())
}

pub fn count_outdated_rendering(conn: &mut DbConn) -> QueryResult<i64> {
    pages::table
        .filter(pages::renderer_version.lt(RENDERER_VERSION))
        .count()
        .get_result(conn)
}

/// Sets the sort key of the pages after `after_id` that have none (rows written before the
/// key existed), `limit` of them; returns the last id seen, `None` when there are no more.
pub fn fill_missing_sort_keys(
    conn: &mut DbConn,
    after_id: i32,
    limit: i64,
) -> QueryResult<Option<i32>> {
    let rows: Vec<(i32, String)> = pages::table
        .filter(pages::title_sort.eq(""))
        .filter(pages::id.gt(after_id))
        .order(pages::id.asc())
        .limit(limit)
        .select((pages::id, pages::title))
        .load(conn)?;
    for (id, title) in &rows {
        diesel::update(pages::table.find(id))
            .set(pages::title_sort.eq(title_sort_key(title)))
            .execute(conn)?;
    }
    Ok(rows.last().map(|(id, _)| *id))
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
        .order((pages::title_sort.asc(), pages::title.asc(), pages::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(PageSummary::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    pages::table.count().get_result(conn)
}
