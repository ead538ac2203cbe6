use crate::DbConn;
use crate::models::users::User;
use crate::schema::{sessions, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_digest: &'a str,
    pub user_id: i32,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewSession<'_>) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values(new)
        .execute(conn)
}

/// The account behind a live session: not expired, and the account neither disabled, deleted
/// nor past its own end (a workshop's practice account ends with its day).
pub fn user_for(
    conn: &mut DbConn,
    token_digest: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<User>> {
    // Read on every request of a signed-in person: through the backend's own connection.
    let found: Vec<User> = crate::load_direct!(
        conn,
        sessions::table
            .inner_join(users::table)
            .filter(sessions::token_digest.eq(token_digest))
            .filter(sessions::expires_at.gt(now))
            .filter(users::disabled.eq(0))
            .filter(users::deleted_at.is_null())
            .filter(users::expires_at.is_null().or(users::expires_at.gt(now)))
            .select(User::as_select())
            .limit(1)
    )?;
    Ok(found.into_iter().next())
}

pub fn delete(conn: &mut DbConn, token_digest: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(token_digest)).execute(conn)
}

pub fn delete_expired(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}
