//! Accounts: administration (the `lieu user` commands and the admins' accounts page),
//! invitations and password resets by single-use links, and what people do with their own
//! account. Each function runs inside the caller's transaction ([`crate::Store::write`]) and
//! records what it did in the audit log.
//!
//! The site must always keep one active administrator: nobody else can manage accounts from
//! the web, and the last one locked out would need the database edited by hand.

use crate::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::models::audit_log;
use crate::models::users::{self, User};
use crate::schema::{account_tokens as tok, entry_revisions, revisions, sessions, users as u};
use crate::schema::{audit_log as al, watches};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::{Role, UserId};

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
    change_role(conn, &user, role, None)
}

/// Gives `user` the role `role`, on behalf of `actor`.
pub fn change_role(
    conn: &mut DbConn,
    user: &User,
    role: Role,
    actor: Option<UserId>,
) -> StoreResult<User> {
    // Practice accounts are made by workshops, with their day's end; and a practice account
    // never becomes a team account.
    if role == Role::Trainee || user.role() == Role::Trainee {
        let mut invalid = lieu_core::Invalid::default();
        invalid.add("role", "account.role_unknown");
        return Err(StoreError::Invalid(invalid));
    }
    if role != Role::Admin {
        ensure_another_admin(conn, user)?;
    }
    diesel::update(u::table.find(user.id))
        .set(u::role.eq(role.as_str()))
        .execute(conn)?;
    audit_log::record(conn, actor, "user.set_role", &target(user), role.as_str())?;
    reload(conn, user)
}

/// How an account is named in the audit log: by its number, so that deleting the account
/// leaves no address behind in the log.
pub fn target(user: &User) -> String {
    format!("user:{}", user.id)
}

fn reload(conn: &mut DbConn, user: &User) -> StoreResult<User> {
    users::by_id(conn, user.user_id())?.ok_or(StoreError::NotFound)
}

/// Closes the account: it can no longer log in, and its open sessions end now. `LastAdmin`
/// if it is the last active administrator.
pub fn deactivate(conn: &mut DbConn, email: &str) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    close(conn, &user, None)
}

/// [`deactivate`], by account, on behalf of `actor`.
pub fn close(conn: &mut DbConn, user: &User, actor: Option<UserId>) -> StoreResult<User> {
    if user.is_disabled() {
        // Already closed: nothing to write, nothing to record.
        return Ok(user.clone());
    }
    ensure_another_admin(conn, user)?;
    diesel::update(u::table.find(user.id))
        .set(u::disabled.eq(1))
        .execute(conn)?;
    end_sessions(conn, user)?;
    audit_log::record(conn, actor, "user.deactivate", &target(user), "")?;
    reload(conn, user)
}

/// Opens a closed account again. Its old sessions stay ended: its owner logs in anew.
pub fn activate(conn: &mut DbConn, email: &str) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    reopen(conn, &user, None)
}

/// [`activate`], by account, on behalf of `actor`. A deleted account stays deleted.
pub fn reopen(conn: &mut DbConn, user: &User, actor: Option<UserId>) -> StoreResult<User> {
    if !user.is_disabled() || user.deleted_at.is_some() {
        return Ok(user.clone());
    }
    diesel::update(u::table.find(user.id))
        .set(u::disabled.eq(0))
        .execute(conn)?;
    audit_log::record(conn, actor, "user.activate", &target(user), "")?;
    reload(conn, user)
}

/// Replaces the password (already hashed by `lieu_core::auth`) and ends the account's open
/// sessions, so that whoever knew the old one is logged out.
pub fn reset_password(conn: &mut DbConn, email: &str, password_hash: &str) -> StoreResult<User> {
    let user = by_email(conn, email)?;
    set_password(conn, &user, password_hash, None)
}

/// Sets `user`'s password and ends all of their sessions and pending links: whoever knew the
/// old password, or holds an old reset link, is out.
pub fn set_password(
    conn: &mut DbConn,
    user: &User,
    password_hash: &str,
    actor: Option<UserId>,
) -> StoreResult<User> {
    diesel::update(u::table.find(user.id))
        .set(u::password_hash.eq(password_hash))
        .execute(conn)?;
    end_sessions(conn, user)?;
    diesel::delete(tok::table.filter(tok::user_id.eq(user.id))).execute(conn)?;
    audit_log::record(conn, actor, "user.reset_password", &target(user), "")?;
    reload(conn, user)
}

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Join the site: choose one's name and password.
    Invitation,
    /// Choose a new password.
    Reset,
    /// Prove that a member's address is theirs (sent at sign-up, and again on request).
    Confirmation,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::Reset => "reset",
            LinkPurpose::Confirmation => "confirmation",
        }
    }
}

/// A single-use link to write: the digest of its token, and until when it works.
#[derive(Debug, Clone)]
pub struct NewLink<'a> {
    pub token_digest: &'a str,
    pub expires_at: NaiveDateTime,
}

fn add_link(
    conn: &mut DbConn,
    user: &User,
    purpose: LinkPurpose,
    link: &NewLink<'_>,
    by: Option<UserId>,
    now: NaiveDateTime,
) -> StoreResult<()> {
    // A new link replaces the older ones of the same purpose: only the last message works.
    diesel::delete(
        tok::table
            .filter(tok::user_id.eq(user.id))
            .filter(tok::purpose.eq(purpose.as_str())),
    )
    .execute(conn)?;
    diesel::insert_into(tok::table)
        .values((
            tok::token_digest.eq(link.token_digest),
            tok::user_id.eq(user.id),
            tok::purpose.eq(purpose.as_str()),
            tok::created_by.eq(by.map(|b| b.0)),
            tok::created_at.eq(now),
            tok::expires_at.eq(link.expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The invitation to write: who, with which role, and the message that carries the link
/// (written to the mail outbox in the same transaction).
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    pub email: &'a str,
    pub role: Role,
    pub link: NewLink<'a>,
    pub mail: &'a crate::mail::NewMail,
}

/// Invites someone: an account without a password (it cannot log in) and a link to choose
/// one. Inviting again an address whose invitation is still pending sends a new link (and
/// gives the role chosen now); any other existing account is `EmailTaken`.
pub fn invite(
    conn: &mut DbConn,
    invitation: &Invitation<'_>,
    by: UserId,
    now: NaiveDateTime,
) -> StoreResult<User> {
    if invitation.role == Role::Trainee {
        // Practice accounts are made by workshops, with their day's end.
        let mut invalid = lieu_core::Invalid::default();
        invalid.add("role", "account.role_unknown");
        return Err(StoreError::Invalid(invalid));
    }
    let email = users::normalize_email(invitation.email);
    let user = match users::by_email(conn, &email)? {
        Some(existing) if is_pending(&existing) => {
            diesel::update(u::table.find(existing.id))
                .set(u::role.eq(invitation.role.as_str()))
                .execute(conn)?;
            reload(conn, &existing)?
        }
        Some(_) => return Err(StoreError::EmailTaken),
        None => users::insert(
            conn,
            &users::NewUser {
                email: &email,
                name: "",
                role: invitation.role.as_str(),
                password_hash: "",
                disabled: 0,
                created_at: now,
            },
        )
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                StoreError::EmailTaken
            } else {
                StoreError::Db(e)
            }
        })?,
    };
    add_link(
        conn,
        &user,
        LinkPurpose::Invitation,
        &invitation.link,
        Some(by),
        now,
    )?;
    crate::mail::enqueue(conn, invitation.mail, now)?;
    audit_log::record(
        conn,
        Some(by),
        "user.invite",
        &target(&user),
        invitation.role.as_str(),
    )?;
    Ok(user)
}

/// Whether the account was invited and its owner has not chosen a password yet.
pub fn is_pending(user: &User) -> bool {
    user.password_hash.is_empty() && user.deleted_at.is_none()
}

/// The account a link opens, if the link is known, unused, unexpired and of this purpose,
/// and the account still open. Reading it changes nothing (mail scanners open links).
pub fn link_user(
    conn: &mut DbConn,
    token_digest: &str,
    purpose: LinkPurpose,
    now: NaiveDateTime,
) -> StoreResult<Option<User>> {
    Ok(tok::table
        .inner_join(u::table)
        .filter(tok::token_digest.eq(token_digest))
        .filter(tok::purpose.eq(purpose.as_str()))
        .filter(tok::used_at.is_null())
        .filter(tok::expires_at.gt(now))
        .filter(u::disabled.eq(0))
        .filter(u::deleted_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Uses a link once: marks it used if it still works, else `LinkInvalid`. Of two people
/// (or two tabs) following one link at once, one gets the account and the other is told.
fn use_link(
    conn: &mut DbConn,
    token_digest: &str,
    purpose: LinkPurpose,
    now: NaiveDateTime,
) -> StoreResult<User> {
    let user = link_user(conn, token_digest, purpose, now)?.ok_or(StoreError::LinkInvalid)?;
    let marked = diesel::update(
        tok::table
            .filter(tok::token_digest.eq(token_digest))
            .filter(tok::used_at.is_null()),
    )
    .set(tok::used_at.eq(now))
    .execute(conn)?;
    if marked != 1 {
        return Err(StoreError::LinkInvalid);
    }
    Ok(user)
}

/// Follows an invitation: the person chose their name and password (hashed by the caller).
pub fn accept_invitation(
    conn: &mut DbConn,
    token_digest: &str,
    name: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<User> {
    let user = use_link(conn, token_digest, LinkPurpose::Invitation, now)?;
    diesel::update(u::table.find(user.id))
        .set((u::name.eq(name), u::password_hash.eq(password_hash)))
        .execute(conn)?;
    diesel::delete(tok::table.filter(tok::user_id.eq(user.id))).execute(conn)?;
    audit_log::record(
        conn,
        Some(user.user_id()),
        "user.accept_invitation",
        &target(&user),
        "",
    )?;
    reload(conn, &user)
}

/// Someone asked to reset the password of `email`: if an account can use it (open, with a
/// password or a pending invitation, not a practice account), `mail(user)` writes the
/// message with the link, in this transaction. Returns whether a message was written; the
/// page says the same either way.
pub fn request_reset(
    conn: &mut DbConn,
    email: &str,
    link: &NewLink<'_>,
    now: NaiveDateTime,
    mail: impl FnOnce(&User) -> crate::mail::NewMail,
) -> StoreResult<bool> {
    let Some(user) = users::by_email(conn, email)? else {
        return Ok(false);
    };
    // An invited person who lost their link is invited again by an admin; a practice
    // account has no address.
    if user.is_disabled()
        || is_pending(&user)
        || user.deleted_at.is_some()
        || user.role() == Role::Trainee
    {
        return Ok(false);
    }
    add_link(conn, &user, LinkPurpose::Reset, link, None, now)?;
    crate::mail::enqueue(conn, &mail(&user), now)?;
    audit_log::record(conn, None, "user.request_reset", &target(&user), "")?;
    Ok(true)
}

/// Follows a reset link: the new password (hashed by the caller) replaces the old one, and
/// every session and link of the account ends.
pub fn complete_reset(
    conn: &mut DbConn,
    token_digest: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<User> {
    let user = use_link(conn, token_digest, LinkPurpose::Reset, now)?;
    set_password(conn, &user, password_hash, Some(user.user_id()))
}

/// Changes one's own name and address. `EmailTaken` if another account has the address.
pub fn update_profile(
    conn: &mut DbConn,
    user: &User,
    name: &str,
    email: &str,
) -> StoreResult<User> {
    let email = users::normalize_email(email);
    if email != user.email
        && let Some(other) = users::by_email(conn, &email)?
        && other.id != user.id
    {
        return Err(StoreError::EmailTaken);
    }
    diesel::update(u::table.find(user.id))
        .set((u::name.eq(name), u::email.eq(&email)))
        .execute(conn)
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                StoreError::EmailTaken
            } else {
                StoreError::Db(e)
            }
        })?;
    if email != user.email && user.role() == Role::Member {
        // A member proves a new address as they proved the first one; their old link goes.
        diesel::update(u::table.find(user.id))
            .set(u::email_confirmed_at.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        diesel::delete(
            tok::table
                .filter(tok::user_id.eq(user.id))
                .filter(tok::purpose.eq(LinkPurpose::Confirmation.as_str())),
        )
        .execute(conn)?;
    }
    let detail = if email == user.email {
        "name"
    } else {
        "name, email"
    };
    audit_log::record(
        conn,
        Some(user.user_id()),
        "user.update_profile",
        &target(user),
        detail,
    )?;
    reload(conn, user)
}

/// The name a deleted account's edits are signed with.
pub const DELETED_NAME: &str = lieu_core::content::history_text::DELETED_ACCOUNT;

/// Deletes one's own account. Its edits stay, signed [`DELETED_NAME`]; its address, name,
/// password, sessions, links and watches go; what the audit log said of it by address is
/// rewritten by number. The row stays (closed) so that what points at it still does.
/// `LastAdmin` if it is the last active administrator.
pub fn delete_account(conn: &mut DbConn, user: &User, now: NaiveDateTime) -> StoreResult<()> {
    ensure_another_admin(conn, user)?;
    let placeholder = format!("compte-supprime-{}", user.id);
    diesel::update(u::table.find(user.id))
        .set((
            u::email.eq(&placeholder),
            u::name.eq(DELETED_NAME),
            u::password_hash.eq(""),
            u::disabled.eq(1),
            u::deleted_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(revisions::table.filter(revisions::author_id.eq(user.id)))
        .set(revisions::author_name.eq(DELETED_NAME))
        .execute(conn)?;
    diesel::update(entry_revisions::table.filter(entry_revisions::author_id.eq(user.id)))
        .set(entry_revisions::author_name.eq(DELETED_NAME))
        .execute(conn)?;
    // Older audit rows named accounts by address.
    diesel::update(al::table.filter(al::target.eq(&user.email)))
        .set(al::target.eq(target(user)))
        .execute(conn)?;
    end_sessions(conn, user)?;
    diesel::delete(tok::table.filter(tok::user_id.eq(user.id))).execute(conn)?;
    diesel::delete(watches::table.filter(watches::user_id.eq(user.id))).execute(conn)?;
    audit_log::record(conn, Some(user.user_id()), "user.delete", &target(user), "")?;
    Ok(())
}

/// What a resident typed to sign up (the password already hashed by the caller), and the
/// link that will confirm their address.
#[derive(Debug, Clone)]
pub struct SignUp<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub link: NewLink<'a>,
}

/// What a sign-up did.
#[derive(Debug, Clone)]
pub enum SignedUp {
    /// A new member account, its address not confirmed yet.
    Created(Box<User>),
    /// The address already had an account: nothing was created (its owner was told, when the
    /// account can be reached by mail).
    Taken,
}

/// A resident signs up: a `member` account whose address is not confirmed (it cannot post
/// until it is) and a single-use link to confirm it, whose message `confirm_mail(user)`
/// writes, in this transaction. An address that has an account already gets no second one:
/// `taken_mail(owner)` tells its owner instead (unless that account is closed, deleted or a
/// practice account), and the caller answers as for a new account.
pub fn sign_up(
    conn: &mut DbConn,
    sign_up: &SignUp<'_>,
    now: NaiveDateTime,
    confirm_mail: impl FnOnce(&User) -> crate::mail::NewMail,
    taken_mail: impl FnOnce(&User) -> crate::mail::NewMail,
) -> StoreResult<SignedUp> {
    let email = users::normalize_email(sign_up.email);
    if let Some(owner) = users::by_email(conn, &email)? {
        if !owner.is_disabled() && owner.deleted_at.is_none() && owner.role() != Role::Trainee {
            crate::mail::enqueue(conn, &taken_mail(&owner), now)?;
            audit_log::record(conn, None, "user.sign_up_taken", &target(&owner), "")?;
        }
        return Ok(SignedUp::Taken);
    }
    // Two sign-ups of one address at once: the second insert fails on the unique address and
    // its transaction is rolled back (`EmailTaken`), which the caller answers as `Taken`.
    let user = users::insert(
        conn,
        &users::NewUser {
            email: &email,
            name: sign_up.name,
            role: Role::Member.as_str(),
            password_hash: sign_up.password_hash,
            disabled: 0,
            created_at: now,
        },
    )
    .map_err(|e| {
        if crate::error::is_unique_violation(&e) {
            StoreError::EmailTaken
        } else {
            StoreError::Db(e)
        }
    })?;
    add_link(
        conn,
        &user,
        LinkPurpose::Confirmation,
        &sign_up.link,
        None,
        now,
    )?;
    crate::mail::enqueue(conn, &confirm_mail(&user), now)?;
    audit_log::record(
        conn,
        Some(user.user_id()),
        "user.sign_up",
        &target(&user),
        "",
    )?;
    Ok(SignedUp::Created(Box::new(user)))
}

/// Sends a member a new confirmation link (the older one stops working). Nothing to send
/// when the address is already confirmed: `Ok(false)`.
pub fn resend_confirmation(
    conn: &mut DbConn,
    user: &User,
    link: &NewLink<'_>,
    now: NaiveDateTime,
    mail: impl FnOnce(&User) -> crate::mail::NewMail,
) -> StoreResult<bool> {
    let user = reload(conn, user)?;
    if user.email_confirmed_at.is_some() || user.is_disabled() || user.deleted_at.is_some() {
        return Ok(false);
    }
    add_link(conn, &user, LinkPurpose::Confirmation, link, None, now)?;
    crate::mail::enqueue(conn, &mail(&user), now)?;
    audit_log::record(
        conn,
        Some(user.user_id()),
        "user.resend_confirmation",
        &target(&user),
        "",
    )?;
    Ok(true)
}

/// Follows a confirmation link: the account's address is confirmed from now on. A used,
/// expired or replaced link is `LinkInvalid`.
pub fn confirm_email(
    conn: &mut DbConn,
    token_digest: &str,
    now: NaiveDateTime,
) -> StoreResult<User> {
    let user = use_link(conn, token_digest, LinkPurpose::Confirmation, now)?;
    if user.email_confirmed_at.is_none() {
        diesel::update(u::table.find(user.id))
            .set(u::email_confirmed_at.eq(Some(now)))
            .execute(conn)?;
    }
    diesel::delete(
        tok::table
            .filter(tok::user_id.eq(user.id))
            .filter(tok::purpose.eq(LinkPurpose::Confirmation.as_str())),
    )
    .execute(conn)?;
    audit_log::record(
        conn,
        Some(user.user_id()),
        "user.confirm_email",
        &target(&user),
        "",
    )?;
    reload(conn, &user)
}

/// Deletes one's own account as [`delete_account`] does, and with it what the exchange space
/// kept of the person: their posts stay signed [`DELETED_NAME`], or with `erase_posts` their
/// text is erased (`lieu_store::exchange::forget_author`); their `@name`, subscriptions,
/// notifications, suspension and organisation go.
pub fn delete_account_and_posts(
    conn: &mut DbConn,
    user: &User,
    erase_posts: bool,
    now: NaiveDateTime,
) -> StoreResult<()> {
    use crate::schema::{exchange_subscriptions, notifications};
    delete_account(conn, user, now)?;
    crate::exchange::forget_author(conn, user.user_id(), erase_posts)?;
    diesel::update(u::table.find(user.id))
        .set((
            u::handle.eq(None::<String>),
            u::organisation_id.eq(None::<i32>),
            u::suspended_until.eq(None::<NaiveDateTime>),
            u::suspension_reason.eq(""),
        ))
        .execute(conn)?;
    diesel::delete(
        exchange_subscriptions::table.filter(exchange_subscriptions::user_id.eq(user.id)),
    )
    .execute(conn)?;
    diesel::delete(notifications::table.filter(notifications::user_id.eq(user.id)))
        .execute(conn)?;
    if erase_posts {
        audit_log::record(
            conn,
            Some(user.user_id()),
            "user.erase_posts",
            &target(user),
            "",
        )?;
    }
    Ok(())
}

/// Accounts on the admins' page: by address, after `after`, without the practice accounts
/// of workshops and the members (each have their own pages) and deleted ones. `limit` + 1 rows tell whether a
/// next page exists.
pub fn page(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<User>> {
    let mut query = u::table
        .filter(u::role.ne_all([Role::Trainee.as_str(), Role::Member.as_str()]))
        .filter(u::deleted_at.is_null())
        .order(u::email.asc())
        .select(User::as_select())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(u::email.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Whether an invitation link of `user` is still waiting to be followed, and until when.
pub fn pending_invitation(
    conn: &mut DbConn,
    user: &User,
    now: NaiveDateTime,
) -> StoreResult<Option<NaiveDateTime>> {
    Ok(tok::table
        .filter(tok::user_id.eq(user.id))
        .filter(tok::purpose.eq(LinkPurpose::Invitation.as_str()))
        .filter(tok::used_at.is_null())
        .filter(tok::expires_at.gt(now))
        .select(tok::expires_at)
        .first(conn)
        .optional()?)
}

/// For each of `ids`, until when its invitation link works (if one is waiting).
pub fn pending_invitations(
    conn: &mut DbConn,
    ids: &[i32],
    now: NaiveDateTime,
) -> StoreResult<std::collections::HashMap<i32, NaiveDateTime>> {
    Ok(tok::table
        .filter(tok::user_id.eq_any(ids))
        .filter(tok::purpose.eq(LinkPurpose::Invitation.as_str()))
        .filter(tok::used_at.is_null())
        .filter(tok::expires_at.gt(now))
        .select((tok::user_id, tok::expires_at))
        .load::<(i32, NaiveDateTime)>(conn)?
        .into_iter()
        .collect())
}

/// One edit of a person's, for their account page.
#[derive(Debug, Clone)]
pub struct OwnEdit {
    /// The revision's row id (the cursor of the next page).
    pub id: i32,
    pub title: String,
    pub number: i32,
    pub summary: String,
    pub at: NaiveDateTime,
    /// The page's slug, or the entry's kind and slug.
    pub slug: String,
    pub entry_kind: Option<String>,
}

/// `user`'s page revisions, newest first, older than the revision `before`.
pub fn own_page_edits(
    conn: &mut DbConn,
    user: UserId,
    before: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<OwnEdit>> {
    use crate::schema::pages;
    let mut query = revisions::table
        .inner_join(pages::table)
        .filter(revisions::author_id.eq(user.0))
        .order(revisions::id.desc())
        .select((
            revisions::id,
            pages::title,
            revisions::number,
            revisions::summary,
            revisions::created_at,
            pages::slug,
        ))
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(revisions::id.lt(before));
    }
    Ok(query
        .load::<(i32, String, i32, String, NaiveDateTime, String)>(conn)?
        .into_iter()
        .map(|(id, title, number, summary, at, slug)| OwnEdit {
            id,
            title,
            number,
            summary,
            at,
            slug,
            entry_kind: None,
        })
        .collect())
}

/// `user`'s entry revisions, newest first, older than the revision `before`.
pub fn own_entry_edits(
    conn: &mut DbConn,
    user: UserId,
    before: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<OwnEdit>> {
    use crate::schema::entries;
    let mut query = entry_revisions::table
        .inner_join(entries::table)
        .filter(entry_revisions::author_id.eq(user.0))
        .order(entry_revisions::id.desc())
        .select((
            entry_revisions::id,
            entries::title,
            entry_revisions::number,
            entry_revisions::summary,
            entry_revisions::created_at,
            entries::slug,
            entries::kind,
        ))
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(entry_revisions::id.lt(before));
    }
    Ok(query
        .load::<(i32, String, i32, String, NaiveDateTime, String, String)>(conn)?
        .into_iter()
        .map(|(id, title, number, summary, at, slug, kind)| OwnEdit {
            id,
            title,
            number,
            summary,
            at,
            slug,
            entry_kind: Some(kind),
        })
        .collect())
}
