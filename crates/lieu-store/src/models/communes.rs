use crate::DbConn;
use crate::schema::{categories, communes};
use diesel::prelude::*;
use lieu_core::entry::Kind;
use lieu_core::territory::Territory;

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = communes)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    pub postcode: String,
}

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: i32,
    pub kind: String,
    pub slug: String,
    pub label: String,
}

/// All communes, by name.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Commune>> {
    communes::table
        .order(communes::name.asc())
        .select(Commune::as_select())
        .load(conn)
}

pub fn categories_of(conn: &mut DbConn, kind: Kind) -> QueryResult<Vec<Category>> {
    categories::table
        .filter(categories::kind.eq(kind.as_str()))
        .order(categories::label.asc())
        .select(Category::as_select())
        .load(conn)
}

/// Brings the communes and categories in line with the territory file: new ones are added,
/// names and labels updated. Nothing is removed, since entries may refer to them.
pub fn load_territory(conn: &mut DbConn, territory: &Territory) -> QueryResult<()> {
    for c in &territory.communes {
        let updated = diesel::update(communes::table.find(&c.insee))
            .set((
                communes::name.eq(&c.name),
                communes::postcode.eq(&c.postcode),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(communes::table)
                .values((
                    communes::insee.eq(&c.insee),
                    communes::name.eq(&c.name),
                    communes::postcode.eq(&c.postcode),
                ))
                .execute(conn)?;
        }
    }
    for cat in &territory.categories {
        let updated = diesel::update(
            categories::table
                .filter(categories::kind.eq(cat.kind.as_str()))
                .filter(categories::slug.eq(&cat.slug)),
        )
        .set(categories::label.eq(&cat.label))
        .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(categories::table)
                .values((
                    categories::kind.eq(cat.kind.as_str()),
                    categories::slug.eq(&cat.slug),
                    categories::label.eq(&cat.label),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn by_insee(conn: &mut DbConn, insee: &str) -> QueryResult<Option<Commune>> {
    communes::table
        .find(insee)
        .select(Commune::as_select())
        .first(conn)
        .optional()
}
