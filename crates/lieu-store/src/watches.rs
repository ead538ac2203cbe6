//! Watches: a logged-in person follows a wiki page or a directory entry and is told by e-mail
//! when someone else changes it, at most once a day per watch (changes made meanwhile wait
//! for the next message, which lists them all).
//!
//! A watch remembers `seen_until`, the moment up to which changes were told (or when it
//! began), and `last_mail_at`. A watch is due when its page or entry changed after
//! `seen_until` and its last message is a day old or more; the digest job reads the due
//! watches, writes the messages to the mail outbox and moves both marks, in one transaction.

use crate::DbConn;
use crate::error::StoreResult;
use crate::models::users::User;
use crate::schema::{entries, entry_revisions, pages, revisions, users, watches as w};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lieu_core::{Role, UserId};

/// What is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Page(i32),
    Entry(i32),
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Page(_) => "page",
            Target::Entry(_) => "entry",
        }
    }

    pub fn id(self) -> i32 {
        match self {
            Target::Page(id) | Target::Entry(id) => id,
        }
    }

    /// From the stored pair; `None` for a kind this version does not know.
    pub fn from_parts(kind: &str, id: i32) -> Option<Target> {
        match kind {
            "page" => Some(Target::Page(id)),
            "entry" => Some(Target::Entry(id)),
            _ => None,
        }
    }
}

/// The least time between two messages of one watch.
pub fn quiet_period() -> TimeDelta {
    TimeDelta::days(1)
}

/// Starts watching. Watching what one already watches changes nothing. Returns whether a
/// watch was added.
pub fn watch(
    conn: &mut DbConn,
    user: UserId,
    target: Target,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    if is_watching(conn, user, target)? {
        return Ok(false);
    }
    let insert = diesel::insert_into(w::table)
        .values((
            w::user_id.eq(user.0),
            w::target_kind.eq(target.kind()),
            w::target_id.eq(target.id()),
            w::created_at.eq(now),
            w::seen_until.eq(now),
        ))
        .on_conflict_do_nothing();
    // Two clicks at once on PostgreSQL: the second finds the row there and adds nothing,
    // rather than failing its transaction. (Both backends speak this; the multi-backend
    // connection does not, so each gets its own.)
    let added = match conn {
        DbConn::Sqlite(c) => insert.execute(c)?,
        DbConn::Postgres(c) => insert.execute(c)?,
    };
    Ok(added == 1)
}

/// Stops watching. Returns whether a watch was removed.
pub fn unwatch(conn: &mut DbConn, user: UserId, target: Target) -> StoreResult<bool> {
    Ok(diesel::delete(
        w::table
            .filter(w::user_id.eq(user.0))
            .filter(w::target_kind.eq(target.kind()))
            .filter(w::target_id.eq(target.id())),
    )
    .execute(conn)?
        == 1)
}

/// Whether the page or entry exists (one cannot watch what is not there).
pub fn exists(conn: &mut DbConn, target: Target) -> StoreResult<bool> {
    let n: i64 = match target {
        Target::Page(id) => pages::table.find(id).count().get_result(conn)?,
        Target::Entry(id) => entries::table.find(id).count().get_result(conn)?,
    };
    Ok(n > 0)
}

pub fn is_watching(conn: &mut DbConn, user: UserId, target: Target) -> StoreResult<bool> {
    Ok(w::table
        .filter(w::user_id.eq(user.0))
        .filter(w::target_kind.eq(target.kind()))
        .filter(w::target_id.eq(target.id()))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// One thing a person watches, for their account page.
#[derive(Debug, Clone)]
pub struct Watched {
    pub target: Target,
    pub title: String,
    pub slug: String,
    /// The entry's kind (`None` for a page).
    pub entry_kind: Option<String>,
    pub since: NaiveDateTime,
}

/// What `user` watches, pages first then entries, each by id, after `after`.
pub fn of_user(
    conn: &mut DbConn,
    user: UserId,
    after: Option<Target>,
    limit: i64,
) -> StoreResult<Vec<Watched>> {
    let mut found = Vec::new();
    if !matches!(after, Some(Target::Entry(_))) {
        let after_page = match after {
            Some(Target::Page(id)) => id,
            _ => i32::MIN,
        };
        let rows: Vec<(i32, String, String, NaiveDateTime)> = w::table
            .inner_join(pages::table.on(pages::id.eq(w::target_id)))
            .filter(w::user_id.eq(user.0))
            .filter(w::target_kind.eq("page"))
            .filter(w::target_id.gt(after_page))
            .order(w::target_id.asc())
            .select((pages::id, pages::title, pages::slug, w::created_at))
            .limit(limit)
            .load(conn)?;
        found.extend(rows.into_iter().map(|(id, title, slug, since)| Watched {
            target: Target::Page(id),
            title,
            slug,
            entry_kind: None,
            since,
        }));
    }
    let left = limit - i64::try_from(found.len()).unwrap_or(limit);
    if left > 0 {
        let after_entry = match after {
            Some(Target::Entry(id)) => id,
            _ => i32::MIN,
        };
        let rows: Vec<(i32, String, String, String, NaiveDateTime)> = w::table
            .inner_join(entries::table.on(entries::id.eq(w::target_id)))
            .filter(w::user_id.eq(user.0))
            .filter(w::target_kind.eq("entry"))
            .filter(w::target_id.gt(after_entry))
            .order(w::target_id.asc())
            .select((
                entries::id,
                entries::title,
                entries::slug,
                entries::kind,
                w::created_at,
            ))
            .limit(left)
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .map(|(id, title, slug, kind, since)| Watched {
                    target: Target::Entry(id),
                    title,
                    slug,
                    entry_kind: Some(kind),
                    since,
                }),
        );
    }
    Ok(found)
}

/// One change told in a message.
#[derive(Debug, Clone)]
pub struct Change {
    pub number: i32,
    pub author_name: String,
    pub summary: String,
    pub at: NaiveDateTime,
}

/// A watch to tell about: its watcher, what changed and how.
#[derive(Debug, Clone)]
pub struct Due {
    pub user: User,
    pub watched: Watched,
    /// The changes by others since `seen_until`, oldest first (at most [`CHANGES_TOLD`]).
    pub changes: Vec<Change>,
    /// How many changes by others there were in all.
    pub changes_total: i64,
    /// When the page or entry last changed: the watch's next `seen_until`.
    pub changed_at: NaiveDateTime,
}

/// Changes listed in one message for one watch; more are counted.
pub const CHANGES_TOLD: i64 = 10;

/// Who may be written to: open accounts with an address of their own.
fn reachable(user: &User) -> bool {
    !user.is_disabled()
        && user.deleted_at.is_none()
        && !user.password_hash.is_empty()
        && user.role() != Role::Trainee
}

/// Up to `limit` watches due at `now`: their page or entry changed after `seen_until`, and
/// their last message is at least a day old. A watch whose changes were all its watcher's
/// own comes back with no change: [`mark_told`] moves it on without a message.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> StoreResult<Vec<Due>> {
    let quiet_since = now - quiet_period();
    let pages_due: Vec<(
        User,
        i32,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        NaiveDateTime,
    )> = w::table
        .inner_join(users::table)
        .inner_join(pages::table.on(pages::id.eq(w::target_id)))
        .filter(w::target_kind.eq("page"))
        .filter(pages::updated_at.gt(w::seen_until))
        .filter(
            w::last_mail_at
                .is_null()
                .or(w::last_mail_at.le(quiet_since)),
        )
        .order((w::user_id.asc(), w::target_id.asc()))
        .select((
            User::as_select(),
            pages::id,
            pages::title,
            pages::slug,
            pages::updated_at,
            w::seen_until,
            w::created_at,
        ))
        .limit(limit)
        .load(conn)?;
    let mut found = Vec::new();
    for (user, id, title, slug, changed_at, seen_until, since) in pages_due {
        let others = revisions::table
            .filter(revisions::page_id.eq(id))
            .filter(revisions::created_at.gt(seen_until))
            .filter(
                revisions::author_id
                    .is_null()
                    .or(revisions::author_id.ne(user.id)),
            );
        let changes_total: i64 = others.count().get_result(conn)?;
        let changes = others
            .order(revisions::number.asc())
            .select((
                revisions::number,
                revisions::author_name,
                revisions::summary,
                revisions::created_at,
            ))
            .limit(CHANGES_TOLD)
            .load::<(i32, String, String, NaiveDateTime)>(conn)?;
        found.push(Due {
            changes: changes.into_iter().map(change).collect(),
            changes_total,
            changed_at,
            watched: Watched {
                target: Target::Page(id),
                title,
                slug,
                entry_kind: None,
                since,
            },
            user,
        });
    }
    let left = limit - i64::try_from(found.len()).unwrap_or(limit);
    if left <= 0 {
        return Ok(found);
    }
    type EntryDue = (
        User,
        i32,
        String,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        NaiveDateTime,
    );
    let entries_due: Vec<EntryDue> = w::table
        .inner_join(users::table)
        .inner_join(entries::table.on(entries::id.eq(w::target_id)))
        .filter(w::target_kind.eq("entry"))
        .filter(entries::updated_at.gt(w::seen_until))
        .filter(
            w::last_mail_at
                .is_null()
                .or(w::last_mail_at.le(quiet_since)),
        )
        .order((w::user_id.asc(), w::target_id.asc()))
        .select((
            User::as_select(),
            entries::id,
            entries::title,
            entries::slug,
            entries::kind,
            entries::updated_at,
            w::seen_until,
            w::created_at,
        ))
        .limit(left)
        .load(conn)?;
    for (user, id, title, slug, kind, changed_at, seen_until, since) in entries_due {
        let others = entry_revisions::table
            .filter(entry_revisions::entry_id.eq(id))
            .filter(entry_revisions::created_at.gt(seen_until))
            .filter(
                entry_revisions::author_id
                    .is_null()
                    .or(entry_revisions::author_id.ne(user.id)),
            );
        let changes_total: i64 = others.count().get_result(conn)?;
        let changes = others
            .order(entry_revisions::number.asc())
            .select((
                entry_revisions::number,
                entry_revisions::author_name,
                entry_revisions::summary,
                entry_revisions::created_at,
            ))
            .limit(CHANGES_TOLD)
            .load::<(i32, String, String, NaiveDateTime)>(conn)?;
        found.push(Due {
            changes: changes.into_iter().map(change).collect(),
            changes_total,
            changed_at,
            watched: Watched {
                target: Target::Entry(id),
                title,
                slug,
                entry_kind: Some(kind),
                since,
            },
            user,
        });
    }
    Ok(found)
}

fn change((number, author_name, summary, at): (i32, String, String, NaiveDateTime)) -> Change {
    Change {
        number,
        author_name,
        summary,
        at,
    }
}

/// Whether a due watch is worth a message: changes by others, to someone who can read it.
pub fn worth_telling(due: &Due) -> bool {
    !due.changes.is_empty() && reachable(&due.user)
}

/// Moves a due watch on: its changes up to `due.changed_at` are told (`mailed` when a
/// message was written now, which starts the quiet day).
pub fn mark_told(
    conn: &mut DbConn,
    due: &Due,
    mailed: bool,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let row = w::table
        .filter(w::user_id.eq(due.user.id))
        .filter(w::target_kind.eq(due.watched.target.kind()))
        .filter(w::target_id.eq(due.watched.target.id()));
    if mailed {
        diesel::update(row)
            .set((w::seen_until.eq(due.changed_at), w::last_mail_at.eq(now)))
            .execute(conn)?;
    } else {
        diesel::update(row)
            .set(w::seen_until.eq(due.changed_at))
            .execute(conn)?;
    }
    Ok(())
}
