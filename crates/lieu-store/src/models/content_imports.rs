//! What `lieu import` last brought from each file, so that re-importing an unchanged file does
//! nothing and edits made on the site are not overwritten by it.

use crate::DbConn;
use crate::schema::content_imports;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::PageId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = content_imports)]
pub struct ContentImport {
    pub path: String,
    pub page_id: i32,
    pub digest: String,
    pub imported_at: NaiveDateTime,
}

pub fn get(conn: &mut DbConn, path: &str) -> QueryResult<Option<ContentImport>> {
    content_imports::table
        .find(path)
        .select(ContentImport::as_select())
        .first(conn)
        .optional()
}

pub fn record(
    conn: &mut DbConn,
    path: &str,
    page: PageId,
    digest: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(content_imports::table.find(path)).execute(conn)?;
    diesel::insert_into(content_imports::table)
        .values((
            content_imports::path.eq(path),
            content_imports::page_id.eq(page.0),
            content_imports::digest.eq(digest),
            content_imports::imported_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
