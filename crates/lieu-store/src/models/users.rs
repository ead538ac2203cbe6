use crate::DbConn;
use crate::schema::users;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::exchange::{NotifyMail, handle_base};
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
    pub handle: Option<String>,
    pub email_confirmed_at: Option<NaiveDateTime>,
    pub approved_posts: i32,
    pub suspended_until: Option<NaiveDateTime>,
    pub suspension_reason: String,
    pub organisation_id: Option<i32>,
    pub notify_mail: String,
    pub last_digest_at: Option<NaiveDateTime>,
    pub mail_key: String,
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

    /// Whether the account must still confirm its address before posting: a member who
    /// signed up by themselves (the team's addresses are given by an administrator, and a
    /// practice account has none to confirm).
    pub fn must_confirm_email(&self) -> bool {
        self.role() == Role::Member && self.email_confirmed_at.is_none()
    }

    /// Whether the account is suspended from the exchange space at `now`.
    pub fn is_suspended(&self, now: NaiveDateTime) -> bool {
        self.suspended_until.is_some_and(|until| until > now)
    }

    /// How this person wants to be told of their notifications by e-mail.
    pub fn notify_mail(&self) -> NotifyMail {
        NotifyMail::parse(&self.notify_mail).unwrap_or(NotifyMail::Each)
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

/// Adds an account with a free `@name` made from its name. The team's addresses are given
/// by an administrator (and proved by the invitation link), so they count as confirmed; a
/// member confirms theirs by the link sent at sign-up.
pub fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<User> {
    let confirmed = (new.role != Role::Member.as_str()).then_some(new.created_at);
    diesel::insert_into(users::table)
        .values((new, users::email_confirmed_at.eq(confirmed)))
        .execute(conn)?;
    let user = users::table
        .filter(users::email.eq(new.email))
        .select(User::as_select())
        .first(conn)?;
    assign_handle(conn, user)
}

/// Gives `user` a free `@name` made from their name (`marie-dupont`, else `marie-dupont-2`...),
/// unless they have one.
pub fn assign_handle(conn: &mut DbConn, mut user: User) -> QueryResult<User> {
    if user.handle.is_some() {
        return Ok(user);
    }
    let base = handle_base(&user.name);
    // A few tries with small numbers, then the account's number, which only a deliberate
    // namesake could hold: every try is one indexed lookup, whatever the number of members.
    let candidates = std::iter::once(base.clone())
        .chain((2..10).map(|n| format!("{base}-{n}")))
        .chain((0..).map(|n| match n {
            0 => format!("{base}-{}", user.id),
            n => format!("{base}-{}-{n}", user.id),
        }));
    let mut handle = base.clone();
    for candidate in candidates {
        let taken = users::table
            .filter(users::handle.eq(&candidate))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if !taken {
            handle = candidate;
            break;
        }
    }
    diesel::update(users::table.find(user.id))
        .set(users::handle.eq(&handle))
        .execute(conn)?;
    user.handle = Some(handle);
    Ok(user)
}

/// Gives every account without an `@name` one (accounts made before the exchange space).
pub fn assign_missing_handles(conn: &mut DbConn) -> QueryResult<usize> {
    let missing: Vec<User> = users::table
        .filter(users::handle.is_null())
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)?;
    let count = missing.len();
    for user in missing {
        assign_handle(conn, user)?;
    }
    Ok(count)
}

pub fn by_handle(conn: &mut DbConn, handle: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::handle.eq(handle.to_ascii_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
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
