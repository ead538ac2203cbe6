//! Subscriptions and notifications of the exchange space. Writing a notification is part of
//! the transaction of what it tells (a post going out, an answer chosen, a suspension); the
//! e-mails are written later from the notifications not yet mailed, by the job that honours
//! each person's choice (a message per event, a daily digest, or none) and leaves out posts
//! hidden meanwhile.

use crate::DbConn;
use crate::error::StoreResult;
use crate::exchange::{Post, Thread};
use crate::schema::{
    exchange_posts as ep, exchange_subscriptions as sub, exchange_threads as et,
    notifications as n, users as u,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::exchange::{NotificationKind, NotifyMail, PostState, Subject, mentions};
use lieu_core::{NotificationId, Role, UserId};
use std::collections::HashMap;

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
    if let Some(thread) = thread {
        // A workshop's practice space tells no one: its accounts are practice accounts.
        let practice: i64 = et::table
            .filter(et::id.eq(thread))
            .filter(et::subject_kind.eq(Subject::Workshop(0).kind()))
            .count()
            .get_result(conn)?;
        if practice > 0 {
            return Ok(());
        }
    }
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
    notify_mentioned(conn, thread, post, &mentions(&post.body), &mut told, now)?;
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

/// Tells the people named by `handles` that `post` mentions them, except those in `told`
/// (who are added to it).
fn notify_mentioned(
    conn: &mut DbConn,
    thread: &Thread,
    post: &Post,
    handles: &[String],
    told: &mut Vec<i32>,
    now: NaiveDateTime,
) -> StoreResult<()> {
    if handles.is_empty() {
        return Ok(());
    }
    let named: Vec<i32> = u::table
        .filter(u::handle.eq_any(handles))
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
    Ok(())
}

/// A visible post was edited from `before`: the people it names now and did not name before
/// are told, as Discourse does; those already named are not told twice.
pub fn post_edited(
    conn: &mut DbConn,
    thread: &Thread,
    post: &Post,
    before: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    if post.state() != PostState::Visible || matches!(thread.subject(), Some(Subject::Workshop(_)))
    {
        return Ok(());
    }
    let earlier = mentions(before);
    let added: Vec<String> = mentions(&post.body)
        .into_iter()
        .filter(|h| !earlier.contains(h))
        .collect();
    let mut told: Vec<i32> = post.author_id.into_iter().collect();
    notify_mentioned(conn, thread, post, &added, &mut told, now)
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

/// Whether `user` has unread notifications about `thread`.
pub fn unread_in_thread(conn: &mut DbConn, user: UserId, thread: i32) -> StoreResult<bool> {
    let found: Option<i32> = n::table
        .filter(n::user_id.eq(user.0))
        .filter(n::read_at.is_null())
        .filter(n::thread_id.eq(thread))
        .select(n::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
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

// ---------------------------------------------------------------------------------------------
// The notifications page, one's follows, the e-mail preferences and the mail job.

/// A notification as its owner's page shows it: what its thread and post have become, so
/// that nothing hidden meanwhile is shown.
#[derive(Debug, Clone)]
pub struct Listed {
    pub notification: Notification,
    /// The thread's title, only while the thread is visible outside a workshop.
    pub thread_title: Option<String>,
    /// Whether the post is still visible (and its thread too): the line links to it.
    pub post_visible: bool,
}

type ListedRow = (
    Notification,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn listed(row: ListedRow) -> Listed {
    let (notification, title, thread_state, subject_kind, post_state) = row;
    let thread_visible = thread_state.as_deref() == Some(PostState::Visible.as_str())
        && subject_kind.as_deref() != Some(Subject::Workshop(0).kind());
    let post_visible = thread_visible
        && (notification.post_id.is_none()
            || post_state.as_deref() == Some(PostState::Visible.as_str()));
    Listed {
        notification,
        thread_title: title.filter(|_| thread_visible),
        post_visible,
    }
}

/// One page of the notifications of `user`, newest first, with ids below `before`: `limit`
/// rows (ask one more to know whether there is a next page). A deep page costs what the
/// first costs (`notifications_user` index).
pub fn listed_page(
    conn: &mut DbConn,
    user: UserId,
    before: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<Listed>> {
    // One statement for every page (no boxing): each connection prepares it once.
    let rows: Vec<ListedRow> = crate::load_direct!(
        conn,
        n::table
            .left_join(et::table.on(n::thread_id.eq(et::id.nullable())))
            .left_join(ep::table.on(n::post_id.eq(ep::id.nullable())))
            .filter(n::user_id.eq(user.0))
            .filter(n::id.lt(before.unwrap_or(i32::MAX)))
            .order(n::id.desc())
            .limit(limit)
            .select((
                Notification::as_select(),
                et::title.nullable(),
                et::state.nullable(),
                et::subject_kind.nullable(),
                ep::state.nullable(),
            ))
    )?;
    Ok(rows.into_iter().map(listed).collect())
}

/// Something one follows, named for the list of follows.
#[derive(Debug, Clone)]
pub struct Followed {
    pub target: Target,
    /// The thread's title, the category's, page's or entry's name; `None` when it is gone or
    /// hidden.
    pub name: Option<String>,
    /// The slug of the category, page or entry (empty for a thread).
    pub slug: String,
    /// The entry's kind, for its address.
    pub entry_kind: Option<String>,
    pub since: NaiveDateTime,
}

/// What `user` follows, ordered by kind then id, after `after`: `limit` rows.
pub fn follows(
    conn: &mut DbConn,
    user: UserId,
    after: Option<Target>,
    limit: i64,
) -> StoreResult<Vec<Followed>> {
    use crate::schema::{entries, exchange_categories as ec, pages};
    // One statement for every page (no boxing; the first page starts after ("", 0), before
    // every kind): each connection prepares it once. Followed threads, by far the most
    // followed, come with their title from the same statement (while visible outside the
    // workshops).
    let (after_kind, after_id) = after.map_or(("", 0), |a| (a.kind(), a.id()));
    let rows: Vec<(String, i32, NaiveDateTime, Option<String>)> = sub::table
        .left_join(
            et::table.on(sub::target_kind
                .eq(Target::Thread(0).kind())
                .and(sub::target_id.eq(et::id))
                .and(et::state.eq(PostState::Visible.as_str()))
                .and(et::subject_kind.ne(Subject::Workshop(0).kind()))),
        )
        .filter(sub::user_id.eq(user.0))
        .filter(sub::target_kind.ge(after_kind))
        .filter(
            sub::target_kind
                .gt(after_kind)
                .or(sub::target_id.gt(after_id)),
        )
        .order((sub::target_kind.asc(), sub::target_id.asc()))
        .limit(limit)
        .select((
            sub::target_kind,
            sub::target_id,
            sub::created_at,
            et::title.nullable(),
        ))
        .load(conn)?;
    // The other names, one query per kind (not one per row): (name, slug, entry kind) by id.
    let ids = |kind: &str| -> Vec<i32> {
        rows.iter()
            .filter(|(k, ..)| k == kind)
            .map(|(_, id, ..)| *id)
            .collect()
    };
    type Named = HashMap<i32, (String, String, Option<String>)>;
    // A kind not on this page costs no query.
    let category_ids = ids(Target::Category(0).kind());
    let (page_ids, entry_ids) = (ids(Target::Page(0).kind()), ids(Target::Entry(0).kind()));
    let categories: Named = if category_ids.is_empty() {
        Named::new()
    } else {
        ec::table
            .filter(ec::id.eq_any(&category_ids))
            .select((ec::id, ec::name, ec::slug))
            .load::<(i32, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, slug)| (id, (name, slug, None)))
            .collect()
    };
    let page_names: Named = if page_ids.is_empty() {
        Named::new()
    } else {
        pages::table
            .filter(pages::id.eq_any(&page_ids))
            .select((pages::id, pages::title, pages::slug))
            .load::<(i32, String, String)>(conn)?
            .into_iter()
            .map(|(id, title, slug)| (id, (title, slug, None)))
            .collect()
    };
    let entry_names: Named = if entry_ids.is_empty() {
        Named::new()
    } else {
        entries::table
            .filter(entries::id.eq_any(&entry_ids))
            .select((entries::id, entries::title, entries::slug, entries::kind))
            .load::<(i32, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, title, slug, kind)| (id, (title, slug, Some(kind))))
            .collect()
    };
    let mut found = Vec::with_capacity(rows.len());
    for (kind, id, since, title) in rows {
        let Some(target) = Target::from_parts(&kind, id) else {
            continue;
        };
        let names = match target {
            Target::Thread(_) => None,
            Target::Category(_) => Some(&categories),
            Target::Page(_) => Some(&page_names),
            Target::Entry(_) => Some(&entry_names),
        };
        let (name, slug, entry_kind) = match names.map(|n| n.get(&id)) {
            None => (title, String::new(), None),
            Some(Some((name, slug, kind))) => (Some(name.clone()), slug.clone(), kind.clone()),
            Some(None) => (None, String::new(), None),
        };
        found.push(Followed {
            target,
            name,
            slug,
            entry_kind,
            since,
        });
    }
    Ok(found)
}

/// Whether `target` exists and can be followed: a visible thread outside the workshops, a
/// category, a wiki page, a directory entry.
pub fn can_follow(conn: &mut DbConn, target: Target) -> StoreResult<bool> {
    use crate::schema::{entries, exchange_categories as ec, pages};
    let found: i64 = match target {
        Target::Thread(id) => et::table
            .filter(et::id.eq(id))
            .filter(et::state.eq(PostState::Visible.as_str()))
            .filter(et::subject_kind.ne(Subject::Workshop(0).kind()))
            .count()
            .get_result(conn)?,
        Target::Category(id) => ec::table.filter(ec::id.eq(id)).count().get_result(conn)?,
        Target::Page(id) => pages::table
            .filter(pages::id.eq(id))
            .count()
            .get_result(conn)?,
        Target::Entry(id) => entries::table
            .filter(entries::id.eq(id))
            .count()
            .get_result(conn)?,
    };
    Ok(found > 0)
}

/// Follows `target` (which must exist: [`can_follow`]) or stops following it.
pub fn set_following(
    conn: &mut DbConn,
    user: UserId,
    target: Target,
    follow: bool,
    now: NaiveDateTime,
) -> StoreResult<()> {
    if follow {
        if !can_follow(conn, target)? {
            return Err(crate::StoreError::NotFound);
        }
        subscribe(conn, user, target, now)?;
    } else {
        unsubscribe(conn, user, target)?;
    }
    Ok(())
}

/// Sets how `user` is told of their notifications by e-mail.
pub fn set_notify_mail(conn: &mut DbConn, user: UserId, mode: NotifyMail) -> StoreResult<()> {
    let changed = diesel::update(u::table.find(user.0).filter(u::deleted_at.is_null()))
        .set(u::notify_mail.eq(mode.as_str()))
        .execute(conn)?;
    if changed == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

/// The secret of `user`'s unsubscribe links, written as `fresh` when they have none yet.
pub fn mail_key(conn: &mut DbConn, user: UserId, fresh: &str) -> StoreResult<String> {
    diesel::update(u::table.find(user.0).filter(u::mail_key.eq("")))
        .set(u::mail_key.eq(fresh))
        .execute(conn)?;
    Ok(u::table.find(user.0).select(u::mail_key).first(conn)?)
}

/// The account an unsubscribe link names, if `matches` (a constant-time comparison the
/// caller supplies) accepts its key; never an account without a key or deleted.
pub fn by_mail_key(
    conn: &mut DbConn,
    user: i32,
    matches: impl FnOnce(&str) -> bool,
) -> StoreResult<Option<crate::models::users::User>> {
    let found = u::table
        .find(user)
        .filter(u::deleted_at.is_null())
        .select(crate::models::users::User::as_select())
        .first(conn)
        .optional()?;
    Ok(found.filter(|u| !u.mail_key.is_empty() && matches(&u.mail_key)))
}

/// The one-click unsubscribe: no more e-mail about the exchange space for the account the
/// link names, if its key is right. Returns whether it was.
pub fn unsubscribe_by_key(
    conn: &mut DbConn,
    user: i32,
    matches: impl FnOnce(&str) -> bool,
) -> StoreResult<bool> {
    let Some(found) = by_mail_key(conn, user, matches)? else {
        return Ok(false);
    };
    set_notify_mail(conn, found.user_id(), NotifyMail::None)?;
    Ok(true)
}

/// A notification not yet mailed, with what its message needs.
#[derive(Debug, Clone)]
pub struct Pending {
    pub notification: Notification,
    pub email: String,
    pub name: String,
    pub mode: String,
    pub mail_key: String,
    /// An account that can be written to: not deleted, not closed, not a practice account,
    /// its address confirmed (a member who never confirmed theirs may have typed someone
    /// else's: mentioning them must not mail a stranger).
    pub reachable: bool,
    /// The thread's title, only while the thread is visible outside a workshop.
    pub thread_title: Option<String>,
    /// The post's text, only while it and its thread are visible.
    pub post_text: Option<String>,
}

impl Pending {
    pub fn kind(&self) -> Option<NotificationKind> {
        self.notification.kind()
    }

    /// Whether a message may tell this notification: to someone reachable, and, for what
    /// speaks of a post, only while that post and its thread are visible. A post hidden,
    /// held or erased since is never mailed. Telling a member their post was hidden or their
    /// account suspended shows no content.
    pub fn tellable(&self) -> bool {
        if !self.reachable || self.email.is_empty() {
            return false;
        }
        match self.kind() {
            Some(NotificationKind::Hidden | NotificationKind::Suspended) => true,
            Some(_) => {
                self.thread_title.is_some()
                    && (self.notification.post_id.is_none() || self.post_text.is_some())
            }
            None => false,
        }
    }
}

type PendingRow = (
    Notification,
    (
        String,
        String,
        String,
        String,
        String,
        i32,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    ),
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn pending(row: PendingRow) -> Pending {
    let (notification, user, title, thread_state, subject_kind, post_state, text) = row;
    let (email, name, mode, mail_key, role, disabled, deleted_at, confirmed_at) = user;
    let thread_visible = thread_state.as_deref() == Some(PostState::Visible.as_str())
        && subject_kind.as_deref() != Some(Subject::Workshop(0).kind());
    let post_visible = thread_visible && post_state.as_deref() == Some(PostState::Visible.as_str());
    Pending {
        notification,
        email,
        name,
        mode,
        mail_key,
        reachable: disabled == 0
            && deleted_at.is_none()
            && confirmed_at.is_some()
            && role != Role::Trainee.as_str(),
        thread_title: title.filter(|_| thread_visible),
        post_text: text.filter(|_| post_visible),
    }
}

macro_rules! pending_query {
    () => {
        n::table
            .inner_join(u::table)
            .left_join(et::table.on(n::thread_id.eq(et::id.nullable())))
            .left_join(ep::table.on(n::post_id.eq(ep::id.nullable())))
            .filter(n::mailed_at.is_null())
            .select((
                Notification::as_select(),
                (
                    u::email,
                    u::name,
                    u::notify_mail,
                    u::mail_key,
                    u::role,
                    u::disabled,
                    u::deleted_at,
                    u::email_confirmed_at,
                ),
                et::title.nullable(),
                et::state.nullable(),
                et::subject_kind.nullable(),
                ep::state.nullable(),
                ep::plain_text.nullable(),
            ))
    };
}

/// Notifications not yet mailed of everyone who does not want a daily digest (a message
/// each, or none: theirs are only marked), oldest first.
pub fn due_each(conn: &mut DbConn, limit: i64) -> StoreResult<Vec<Pending>> {
    let rows: Vec<PendingRow> = pending_query!()
        .filter(u::notify_mail.ne(NotifyMail::Daily.as_str()))
        .order(n::id.asc())
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(pending).collect())
}

/// The people who want a daily digest, have notifications not yet mailed, and got no digest
/// since `since`.
pub fn due_digests(
    conn: &mut DbConn,
    since: NaiveDateTime,
    limit: i64,
) -> StoreResult<Vec<UserId>> {
    let ids: Vec<i32> = n::table
        .inner_join(u::table)
        .filter(n::mailed_at.is_null())
        .filter(u::notify_mail.eq(NotifyMail::Daily.as_str()))
        .filter(u::last_digest_at.is_null().or(u::last_digest_at.le(since)))
        .select(n::user_id)
        .distinct()
        .order(n::user_id.asc())
        .limit(limit)
        .load(conn)?;
    Ok(ids.into_iter().map(UserId).collect())
}

/// The first `limit` notifications of `user` not yet mailed, oldest first.
pub fn pending_of(conn: &mut DbConn, user: UserId, limit: i64) -> StoreResult<Vec<Pending>> {
    let rows: Vec<PendingRow> = pending_query!()
        .filter(n::user_id.eq(user.0))
        .order(n::id.asc())
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(pending).collect())
}

/// Marks notification `id` mailed, if no one did meanwhile: only the job that wins it writes
/// its message (two servers on one database never send it twice).
pub fn claim(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> StoreResult<bool> {
    let won = diesel::update(n::table.find(id).filter(n::mailed_at.is_null()))
        .set(n::mailed_at.eq(Some(now)))
        .execute(conn)?;
    Ok(won == 1)
}

/// Marks every notification of `user` not yet mailed as mailed by the digest written `now`.
/// Returns how many it won.
pub fn claim_digest(conn: &mut DbConn, user: UserId, now: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::update(
        n::table
            .filter(n::user_id.eq(user.0))
            .filter(n::mailed_at.is_null()),
    )
    .set(n::mailed_at.eq(Some(now)))
    .execute(conn)?)
}

/// Records that `user`'s digest was written `now`: the next waits a day. (A run that found
/// only notifications of posts hidden since wrote none, and the next one may go at once.)
pub fn digest_sent(conn: &mut DbConn, user: UserId, now: NaiveDateTime) -> StoreResult<()> {
    diesel::update(u::table.find(user.0))
        .set(u::last_digest_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}
