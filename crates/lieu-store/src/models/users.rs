use crate::DbConn;
use crate::schema::users;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::{Role, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: i32,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
}

impl User {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    /// The account's role; an unknown value (edited by hand in the database) grants the
    /// least.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Editor)
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled != 0
    }

    /// Whether the account may log in at `now`: open, not deleted, not past its end, and
    /// with a password chosen (an invited person has none until they follow their link).
    pub fn can_log_in(&self, now: NaiveDateTime) -> bool {
        !self.is_disabled()
            && self.deleted_at.is_none()
            && self.expires_at.is_none_or(|end| end > now)
            && !self.password_hash.is_empty()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub disabled: i32,
    pub created_at: NaiveDateTime,
}

/// Emails are compared lowercased: `Marie@Mairie.fr` and `marie@mairie.fr` are one account.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .execute(conn)?;
    users::table
        .filter(users::email.eq(new.email))
        .select(User::as_select())
        .first(conn)
}

pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(normalize_email(email)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id.0)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// The active accounts that review submissions of the referencing form (agents and admins):
/// who is told that one arrived. Someone invited who has not joined yet is not told.
pub fn reviewers(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq_any([Role::Agent.as_str(), Role::Admin.as_str()]))
        .filter(users::disabled.eq(0))
        .filter(users::password_hash.ne(""))
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)
}
