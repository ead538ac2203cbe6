use crate::DbConn;
use crate::schema::{page_links, pages};
use diesel::prelude::*;
use lieu_core::PageId;

#[derive(Debug, Insertable)]
#[diesel(table_name = page_links)]
struct NewLink<'a> {
    from_page_id: i32,
    to_slug: &'a str,
}

/// Makes the stored outgoing links of `page` exactly `slugs`.
pub fn replace_for_page<'a>(
    conn: &mut DbConn,
    page: PageId,
    slugs: impl IntoIterator<Item = &'a String>,
) -> QueryResult<()> {
    diesel::delete(page_links::table.filter(page_links::from_page_id.eq(page.0))).execute(conn)?;
    let rows: Vec<NewLink<'_>> = slugs
        .into_iter()
        .map(|s| NewLink {
            from_page_id: page.0,
            to_slug: s,
        })
        .collect();
    if !rows.is_empty() {
        // One statement per row: the multi-backend connection cannot batch inserts.
        for row in &rows {
            diesel::insert_into(page_links::table)
                .values(row)
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Pages whose body links to any of `slugs` (a page's slug and its old slugs), by title.
pub fn linking_to(conn: &mut DbConn, slugs: &[&str]) -> QueryResult<Vec<(i32, String, String)>> {
    // DISTINCT needs the sort columns in the selection (PostgreSQL).
    let rows: Vec<(String, i32, String, String)> = page_links::table
        .inner_join(pages::table)
        .filter(page_links::to_slug.eq_any(slugs))
        .select((pages::title_sort, pages::id, pages::slug, pages::title))
        .distinct()
        .order((pages::title_sort.asc(), pages::title.asc(), pages::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(_, id, slug, title)| (id, slug, title))
        .collect())
}
