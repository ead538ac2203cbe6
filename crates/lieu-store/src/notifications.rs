//! Subscriptions and notifications of the exchange space. Writing a notification is part of
//! the transaction of what it tells (a post going out, an answer chosen, a suspension); the
//! e-mails are written later from the notifications not yet mailed, by the job that honours
//! each person's choice (a message per event, a daily digest, or none) and leaves out posts
//! hidden meanwhile.

use crate::DbConn;
use crate::error::StoreResult;
use crate::exchange::{Post, Thread};
use crate::schema::{
    exchange_subscriptions as sub, exchange_threads as et, notifications as n, users as u,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::exchange::{NotificationKind, NotifyMail, Subject, mentions};
use lieu_core::{NotificationId, Role, UserId};

/// What one follows in the exchange space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Thread(i32),
    Category(i32),
    /// A wiki page's discussion.
    Page(i32),
    /// A directory entry's discussion.
    Entry(i32),
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Thread(_) => "thread",
            Target::Category(_) => "category",
            Target::Page(_) => "page",
            Target::Entry(_) => "entry",
        }
    }

    pub fn id(self) -> i32 {
        match self {
            Target::Thread(id) | Target::Category(id) | Target::Page(id) | Target::Entry(id) => id,
        }
    }

    pub fn from_parts(kind: &str, id: i32) -> Option<Target> {
        match kind {
            "thread" => Some(Target::Thread(id)),
            "category" => Some(Target::Category(id)),
            "page" => Some(Target::Page(id)),
            "entry" => Some(Target::Entry(id)),
            _ => None,
        }
    }

    /// The space whose new threads this target tells of (none for a thread).
    pub fn of_subject(subject: Subject) -> Option<Target> {
        match subject {
            Subject::Category(id) => Some(Target::Category(id)),
            Subject::Page(id) => Some(Target::Page(id)),
            Subject::Entry(id) => Some(Target::Entry(id)),
            Subject::Workshop(_) => None,
        }
    }
}

/// Follows `target`; following it again changes nothing. Returns whether it was added.
pub fn subscribe(
    conn: &mut DbConn,
    user: UserId,
    target: Target,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    let insert = diesel::insert_into(sub::table)
        .values((
            sub::user_id.eq(user.0),
            sub::target_kind.eq(target.kind()),
            sub::target_id.eq(target.id()),
            sub::created_at.eq(now),
        ))
        .on_conflict_do_nothing();
    let added = match conn {
        DbConn::Sqlite(c) => insert.execute(c)?,
        DbConn::Postgres(c) => insert.execute(c)?,
    };
    Ok(added > 0)
}

pub fn unsubscribe(conn: &mut DbConn, user: UserId, target: Target) -> StoreResult<bool> {
    let removed = diesel::delete(
        sub::table
            .filter(sub::user_id.eq(user.0))
            .filter(sub::target_kind.eq(target.kind()))
            .filter(sub::target_id.eq(target.id())),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

pub fn is_subscribed(conn: &mut DbConn, user: UserId, target: Target) -> StoreResult<bool> {
    let found: i64 = sub::table
        .filter(sub::user_id.eq(user.0))
        .filter(sub::target_kind.eq(target.kind()))
        .filter(sub::target_id.eq(target.id()))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Writes one notification. Someone who wants no e-mail has theirs marked as mailed at
/// once, so that the mail job never reads it.
pub fn notify(
    conn: &mut DbConn,
    user: UserId,
    kind: NotificationKind,
    thread: Option<i32>,
    post: Option<i32>,
    actor_name: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let mode: Option<String> = u::table
        .find(user.0)
        .filter(u::deleted_at.is_null())
        .select(u::notify_mail)
        .first(conn)
        .optional()?;
    let Some(mode) = mode else {
        return Ok(());
    };
    let mailed = (NotifyMail::parse(&mode) == Some(NotifyMail::None)).then_some(now);
    diesel::insert_into(n::table)
        .values((
            n::user_id.eq(user.0),
            n::kind.eq(kind.as_str()),
            n::thread_id.eq(thread),
            n::post_id.eq(post),
            n::actor_name.eq(actor_name),
            n::created_at.eq(now),
            n::mailed_at.eq(mailed),
        ))
        .execute(conn)?;
    Ok(())
}

/// A post went out: the people it mentions, then the followers of its thread (a reply) or
/// of its space (a new thread) are told, each once, never its author. Practice spaces tell
/// no one outside the workshop.
pub fn post_published(
    conn: &mut DbConn,
    thread: &Thread,
    post: &Post,
    first: bool,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let Some(subject) = thread.subject() else {
        return Ok(());
    };
    if matches!(subject, Subject::Workshop(_)) {
        return Ok(());
    }
    let mut told: Vec<i32> = post.author_id.into_iter().collect();
    let handles = mentions(&post.body);
    if !handles.is_empty() {
        let named: Vec<i32> = u::table
            .filter(u::handle.eq_any(&handles))
            .filter(u::deleted_at.is_null())
            .filter(u::disabled.eq(0))
            .filter(u::role.ne(Role::Trainee.as_str()))
            .select(u::id)
            .load(conn)?;
        for user in named {
            if !told.contains(&user) {
                notify(
                    conn,
                    UserId(user),
                    NotificationKind::Mention,
                    Some(thread.id),
                    Some(post.id),
                    &post.author_name,
                    now,
                )?;
                told.push(user);
            }
        }
    }
    let (target, kind) = if first {
        match Target::of_subject(subject) {
            Some(target) => (target, NotificationKind::Thread),
            None => return Ok(()),
        }
    } else {
        (Target::Thread(thread.id), NotificationKind::Reply)
    };
    let followers: Vec<i32> = sub::table
        .inner_join(u::table)
        .filter(sub::target_kind.eq(target.kind()))
        .filter(sub::target_id.eq(target.id()))
        .filter(u::deleted_at.is_null())
        .filter(u::disabled.eq(0))
        .select(sub::user_id)
        .load(conn)?;
    for user in followers {
        if !told.contains(&user) {
            notify(
                conn,
                UserId(user),
                kind,
                Some(thread.id),
                Some(post.id),
                &post.author_name,
                now,
            )?;
            told.push(user);
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = n)]
pub struct Notification {
    pub id: i32,
    pub user_id: i32,
    pub kind: String,
    pub thread_id: Option<i32>,
    pub post_id: Option<i32>,
    pub actor_name: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    pub mailed_at: Option<NaiveDateTime>,
}

impl Notification {
    pub fn notification_id(&self) -> NotificationId {
        NotificationId(self.id)
    }

    pub fn kind(&self) -> Option<NotificationKind> {
        NotificationKind::parse(&self.kind)
    }
}

/// The unread notifications of `user`, counted up to `cap` (the menu shows "99+").
pub fn unread_count(conn: &mut DbConn, user: UserId, cap: i64) -> StoreResult<i64> {
    let ids: Vec<i32> = n::table
        .filter(n::user_id.eq(user.0))
        .filter(n::read_at.is_null())
        .select(n::id)
        .limit(cap)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// One page of the notifications of `user`, newest first, before the notification
/// `before`, each with its thread's title. `limit` + 1 rows tell whether there is more.
pub fn page(
    conn: &mut DbConn,
    user: UserId,
    before: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<(Notification, Option<String>)>> {
    let mut query = n::table
        .left_join(et::table.on(n::thread_id.eq(et::id.nullable())))
        .filter(n::user_id.eq(user.0))
        .order(n::id.desc())
        .limit(limit)
        .select((Notification::as_select(), et::title.nullable()))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(n::id.lt(before));
    }
    Ok(query.load(conn)?)
}

/// Marks as read the notifications of `user` up to `up_to` (all of them with `None`).
pub fn mark_read(
    conn: &mut DbConn,
    user: UserId,
    up_to: Option<i32>,
    now: NaiveDateTime,
) -> StoreResult<usize> {
    let mut query = diesel::update(n::table)
        .filter(n::user_id.eq(user.0))
        .filter(n::read_at.is_null())
        .into_boxed();
    if let Some(up_to) = up_to {
        query = query.filter(n::id.le(up_to));
    }
    Ok(query.set(n::read_at.eq(Some(now))).execute(conn)?)
}

/// Marks as read the notifications of `user` about `thread` (they opened it).
pub fn mark_thread_read(
    conn: &mut DbConn,
    user: UserId,
    thread: i32,
    now: NaiveDateTime,
) -> StoreResult<usize> {
    Ok(diesel::update(
        n::table
            .filter(n::user_id.eq(user.0))
            .filter(n::thread_id.eq(thread))
            .filter(n::read_at.is_null()),
    )
    .set(n::read_at.eq(Some(now)))
    .execute(conn)?)
}
