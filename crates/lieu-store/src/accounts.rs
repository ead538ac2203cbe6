//! Account administration, behind the `lieu user` commands. Each function runs inside the
//! caller's transaction ([`crate::Store::write`]) and records what it did in the audit log.
//!
//! The site must always keep one active administrator: nobody else can manage accounts from
//! the web, and the last one locked out would need the database edited by hand.

use crate::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::models::audit_log;
use crate::models::users::{self, User};
use crate::schema::{sessions, users as u};
use diesel::prelude::*;
use lieu_core::Role;

/// Every account, by email.
pub fn list(conn: &mut DbConn) -> StoreResult<Vec<User>> {
    Ok(u::table
        .order(u::email.asc())
        .select(User::as_select())
        .load(conn)?)
}

fn by_email(conn: &mut DbConn, email: &str) -> StoreResult<User> {
    users::by_email(conn, email)?.ok_or(StoreError::NotFound)
}

/// `LastAdmin` if `user` is an active administrator and no other one is active.
fn ensure_another_admin(conn: &mut DbConn, user: &User) -> StoreResult<()> {
    if user.is_disabled() || user.role() != Role::Admin {
        return Ok(());
    }
    if let DbConn::Postgres(pg) = conn {
        // Two administrators removing each other at once would each see the other one still
        // active (READ COMMITTED). Locking the active administrators' rows makes the second
        // wait for the first and then see its change. SQLite writers already take turns
        // (BEGIN IMMEDIATE).
        diesel::sql_query("SELECT id FROM users WHERE role = 'admin' AND disabled = 0 FOR UPDATE")
            .execute(pg)?;
    }
    let others: i64 = u::table
        .filter(u::role.eq(Role::Admin.as_str()))
        .filter(u::disabled.eq(0))
        .filter(u::id.ne(user.id))
        .count()
        .get_result(conn)?;
    if others == 0 {
        return Err(StoreError::LastAdmin);
    }
    Ok(())
}

fn end_sessions(conn: &mut DbConn, user: &User) -> StoreResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user.id))).execute(conn)?)
}

/// Gives the account `role`. `LastAdmin` if that would leave no active administrator.
pub fn set_role(conn: &mut DbConn, email: &str, role: Role) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    if role != Role::Admin {
        ensure_another_admin(conn, &user)?;
    }
    diesel::update(u::table.find(user.id))
        .set(u::role.eq(role.as_str()))
        .execute(conn)?;
    audit_log::record(conn, None, "user.set_role", &user.email, role.as_str())?;
    users::by_id(conn, user.user_id())?.ok_or(StoreError::NotFound)
}

/// Closes the account: it can no longer log in, and its open sessions end now. `LastAdmin`
/// if it is the last active administrator.
pub fn deactivate(conn: &mut DbConn, email: &str) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    if user.is_disabled() {
        // Already closed: nothing to write, nothing to record.
        return Ok(user);
    }
    ensure_another_admin(conn, &user)?;
    diesel::update(u::table.find(user.id))
        .set(u::disabled.eq(1))
        .execute(conn)?;
    end_sessions(conn, &user)?;
    audit_log::record(conn, None, "user.deactivate", &user.email, "")?;
    users::by_id(conn, user.user_id())?.ok_or(StoreError::NotFound)
}

/// Opens a closed account again. Its old sessions stay ended: its owner logs in anew.
pub fn activate(conn: &mut DbConn, email: &str) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    if !user.is_disabled() {
        return Ok(user);
    }
    diesel::update(u::table.find(user.id))
        .set(u::disabled.eq(0))
        .execute(conn)?;
    audit_log::record(conn, None, "user.activate", &user.email, "")?;
    users::by_id(conn, user.user_id())?.ok_or(StoreError::NotFound)
}

/// Replaces the password (already hashed by `lieu_core::auth`) and ends the account's open
/// sessions, so that whoever knew the old one is logged out.
pub fn reset_password(conn: &mut DbConn, email: &str, password_hash: &str) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    diesel::update(u::table.find(user.id))
        .set(u::password_hash.eq(password_hash))
        .execute(conn)?;
    end_sessions(conn, &user)?;
    audit_log::record(conn, None, "user.reset_password", &user.email, "")?;
    users::by_id(conn, user.user_id())?.ok_or(StoreError::NotFound)
}
