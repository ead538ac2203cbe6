//! Many threads and posts in one transaction (`lieu generate --threads`): the rows that
//! [`crate::exchange::start_thread`] and [`crate::exchange::reply`] write for posts that go out
//! at once, with everything their publication keeps right — the thread's first post, reply
//! count, last post and last poster, the category's counts and last post, the author's count of
//! posts that went out, the search outbox — written with multi-row inserts and one update per
//! thread, category or author touched.
//!
//! Who follows what and who is told is the caller's choice, given as rows
//! ([`BatchFollow`], [`BatchNotification`]): a generator decides which accounts follow the
//! threads they post in, and writes the notifications those follows would have brought.
//!
//! Ids are handed out before the rows are written ([`reserve_ids`]), so that a thread names its
//! first post and a post its thread in the same batch, and ids grow with time as they do when
//! people post one after the other.

use crate::DbConn;
use crate::conn::{MAX_BINDS, insert_rows};
use crate::error::{StoreError, StoreResult};
use crate::schema::{
    exchange_categories as ec, exchange_posts as ep, exchange_subscriptions as sub,
    exchange_threads as et, index_outbox as ob, notifications as n, users as u,
};
use crate::wiki;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::exchange::{NotificationKind, PostState, Subject, ThreadKind};
use std::collections::{BTreeMap, HashMap};

/// The most ids one `IN (...)` lookup binds.
const LOOKUP_CHUNK: usize = 1_000;

/// A table whose ids [`reserve_ids`] hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdsOf {
    Threads,
    Posts,
}

impl IdsOf {
    fn table(self) -> &'static str {
        match self {
            IdsOf::Threads => "exchange_threads",
            IdsOf::Posts => "exchange_posts",
        }
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// `count` new ids of `table`, in increasing order, for rows the same transaction inserts.
///
/// PostgreSQL takes them from the table's sequence, so that a server posting meanwhile never
/// gets one of them. On SQLite, where writers take turns, they follow the highest id ever given
/// (`sqlite_sequence`, which the inserts move on), and are only valid inside the transaction
/// that inserts them.
pub fn reserve_ids(conn: &mut DbConn, table: IdsOf, count: usize) -> StoreResult<Vec<i32>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let wanted = i32::try_from(count).map_err(|_| StoreError::Pool("too many ids".into()))?;
    match conn {
        DbConn::Postgres(c) => {
            let mut ids: Vec<i32> = diesel::sql_query(format!(
                "SELECT nextval(pg_get_serial_sequence('{}', 'id'))::integer AS id \
                 FROM generate_series(1, $1)",
                table.table()
            ))
            .bind::<diesel::sql_types::Integer, _>(wanted)
            .load::<Id>(c)?
            .into_iter()
            .map(|r| r.id)
            .collect();
            ids.sort_unstable();
            Ok(ids)
        }
        DbConn::Sqlite(c) => {
            let last: Id = diesel::sql_query(format!(
                "SELECT max(coalesce((SELECT max(id) FROM {0}), 0), \
                 coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{0}'), 0)) AS id",
                table.table()
            ))
            .get_result(c)?;
            let first = last.id.checked_add(1).ok_or(StoreError::Conflict)?;
            let end = first.checked_add(wanted).ok_or(StoreError::Conflict)?;
            Ok((first..end).collect())
        }
    }
}

/// A thread started in the batch; its first post is one of the batch's posts.
#[derive(Debug, Clone)]
pub struct BatchThread {
    /// From [`reserve_ids`].
    pub id: i32,
    pub subject: Subject,
    pub title: String,
    pub kind: ThreadKind,
    pub author_id: i32,
    pub author_name: String,
    pub first_post_id: i32,
    pub created_at: NaiveDateTime,
}

/// A post that goes out at once (an author past the first trust level).
#[derive(Debug, Clone)]
pub struct BatchPost<'a> {
    /// From [`reserve_ids`].
    pub id: i32,
    /// A thread of the batch, or one already written.
    pub thread_id: i32,
    pub author_id: i32,
    pub author_name: &'a str,
    /// Markdown, rendered here as the exchange space renders it (once per distinct text).
    pub body: &'a str,
    pub created_at: NaiveDateTime,
}

/// Someone following a thread from `created_at` on.
#[derive(Debug, Clone, Copy)]
pub struct BatchFollow {
    pub user_id: i32,
    pub thread_id: i32,
    pub created_at: NaiveDateTime,
}

/// A notification as [`crate::notifications::notify`] writes it, with when it was read and
/// mailed.
#[derive(Debug, Clone)]
pub struct BatchNotification<'a> {
    pub user_id: i32,
    pub kind: NotificationKind,
    pub thread_id: i32,
    pub post_id: i32,
    pub actor_name: &'a str,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    pub mailed_at: Option<NaiveDateTime>,
}

/// One transaction's worth of the exchange space.
#[derive(Debug, Clone, Default)]
pub struct ExchangeBatch<'a> {
    pub threads: Vec<BatchThread>,
    /// In the order they were posted: increasing ids and times.
    pub posts: Vec<BatchPost<'a>>,
    /// Follows not yet written (each once).
    pub follows: Vec<BatchFollow>,
    pub notifications: Vec<BatchNotification<'a>>,
}

/// What the posts of a batch change in one thread: how many replies, and the last post.
struct Touched<'a> {
    replies: i32,
    posts: i32,
    last_at: NaiveDateTime,
    last_name: &'a str,
}

/// A post's Markdown rendered as [`crate::exchange`] renders it: the wiki's renderer and
/// sanitizer, without the directory lists that only pages show.
fn render(conn: &mut DbConn, body: &str) -> StoreResult<lieu_markdown::Rendered> {
    let mut rendered = wiki::render_body(conn, body)?;
    for index in 0..rendered.embeds.len() {
        rendered.html = rendered
            .html
            .replace(&lieu_markdown::embed_marker(index), "");
    }
    rendered.embeds.clear();
    Ok(rendered)
}

/// Writes `batch` inside the caller's transaction: its threads and posts, visible, with the
/// counters of the threads, categories and authors they touch, an outbox row per thread for the
/// search index, then the follows and notifications given.
///
/// Every thread's first post must be in the batch; a post of a thread not in the batch must
/// come after every post already written in that thread.
pub fn publish_batch(conn: &mut DbConn, batch: &ExchangeBatch<'_>) -> StoreResult<()> {
    if batch.posts.is_empty() && batch.threads.is_empty() {
        return Ok(());
    }
    // As `directory::create_entries_batch`: a batch writes pages of several indexes all over
    // the file, and SQLite's default 2 MB page cache made it copy them in again and again.
    if let DbConn::Sqlite(c) = conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute("PRAGMA cache_size = -65536")?;
    }
    let visible = PostState::Visible.as_str();
    let starts: HashMap<i32, &BatchThread> =
        batch.threads.iter().map(|t| (t.first_post_id, t)).collect();
    let mut touched: BTreeMap<i32, Touched<'_>> = BTreeMap::new();
    for post in &batch.posts {
        let first = starts.get(&post.id).is_some_and(|t| t.id == post.thread_id);
        let entry = touched.entry(post.thread_id).or_insert(Touched {
            replies: 0,
            posts: 0,
            last_at: post.created_at,
            last_name: post.author_name,
        });
        entry.posts += 1;
        if !first {
            entry.replies += 1;
            entry.last_at = post.created_at;
            entry.last_name = post.author_name;
        }
    }
    if batch.threads.iter().any(|t| !touched.contains_key(&t.id)) {
        return Err(StoreError::NotFound);
    }

    // Threads started here, with what the batch's replies make of them.
    let new_threads: HashMap<i32, &BatchThread> = batch.threads.iter().map(|t| (t.id, t)).collect();
    let rows: Vec<_> = batch
        .threads
        .iter()
        .map(|t| {
            let seen = &touched[&t.id];
            let last_name = if seen.replies > 0 {
                seen.last_name
            } else {
                t.author_name.as_str()
            };
            (
                et::id.eq(t.id),
                et::subject_kind.eq(t.subject.kind()),
                et::subject_id.eq(t.subject.id()),
                et::title.eq(t.title.as_str()),
                et::kind.eq(t.kind.as_str()),
                et::state.eq(visible),
                et::author_id.eq(Some(t.author_id)),
                et::author_name.eq(t.author_name.as_str()),
                et::first_post_id.eq(Some(t.first_post_id)),
                et::reply_count.eq(seen.replies),
                et::last_post_at.eq(seen.last_at.max(t.created_at)),
                et::last_poster_name.eq(last_name),
                et::created_at.eq(t.created_at),
            )
        })
        .collect();
    for chunk in rows.chunks(MAX_BINDS / 13) {
        insert_rows!(conn, et::table, chunk)?;
    }

    // Threads written before: their subject, and that they exist.
    let earlier: Vec<i32> = touched
        .keys()
        .copied()
        .filter(|id| !new_threads.contains_key(id))
        .collect();
    let mut subjects: HashMap<i32, Option<Subject>> = batch
        .threads
        .iter()
        .map(|t| (t.id, Some(t.subject)))
        .collect();
    for chunk in earlier.chunks(LOOKUP_CHUNK) {
        let found: Vec<(i32, String, i32)> = et::table
            .filter(et::id.eq_any(chunk))
            .select((et::id, et::subject_kind, et::subject_id))
            .load(conn)?;
        for (id, kind, subject) in found {
            subjects.insert(id, Subject::from_parts(&kind, subject));
        }
    }
    if earlier.iter().any(|id| !subjects.contains_key(id)) {
        return Err(StoreError::NotFound);
    }

    let mut rendered: HashMap<&str, lieu_markdown::Rendered> = HashMap::new();
    for post in &batch.posts {
        if !rendered.contains_key(post.body) {
            rendered.insert(post.body, render(conn, post.body)?);
        }
    }
    let rows: Vec<_> = batch
        .posts
        .iter()
        .map(|p| {
            let r = &rendered[p.body];
            (
                ep::id.eq(p.id),
                ep::thread_id.eq(p.thread_id),
                ep::author_id.eq(Some(p.author_id)),
                ep::author_name.eq(p.author_name),
                ep::body.eq(p.body),
                ep::html.eq(r.html.as_str()),
                ep::plain_text.eq(r.text.as_str()),
                ep::state.eq(visible),
                ep::created_at.eq(p.created_at),
            )
        })
        .collect();
    for chunk in rows.chunks(MAX_BINDS / 9) {
        insert_rows!(conn, ep::table, chunk)?;
    }

    // Replies to threads written before, as `exchange::published` counts each.
    for id in &earlier {
        let seen = &touched[id];
        if seen.replies > 0 {
            diesel::update(et::table.find(*id))
                .set((
                    et::reply_count.eq(et::reply_count + seen.replies),
                    et::last_post_at.eq(seen.last_at),
                    et::last_poster_name.eq(seen.last_name),
                ))
                .execute(conn)?;
        }
    }

    // Categories: threads started, posts, latest post.
    let mut categories: BTreeMap<i32, (i32, i32, NaiveDateTime)> = BTreeMap::new();
    for (id, seen) in &touched {
        if let Some(Some(Subject::Category(category))) = subjects.get(id) {
            let started = i32::from(new_threads.contains_key(id));
            let c = categories.entry(*category).or_insert((0, 0, seen.last_at));
            c.0 += started;
            c.1 += seen.posts;
            c.2 = c.2.max(seen.last_at);
        }
    }
    for (category, (threads, posts, last)) in categories {
        let before: Option<Option<NaiveDateTime>> = ec::table
            .find(category)
            .select(ec::last_post_at)
            .first(conn)
            .optional()?;
        let Some(before) = before else {
            return Err(StoreError::NotFound);
        };
        diesel::update(ec::table.find(category))
            .set((
                ec::thread_count.eq(ec::thread_count + threads),
                ec::post_count.eq(ec::post_count + posts),
                ec::last_post_at.eq(Some(before.map_or(last, |b| b.max(last)))),
            ))
            .execute(conn)?;
    }

    // Authors: their posts that went out.
    let mut authors: BTreeMap<i32, i32> = BTreeMap::new();
    for post in &batch.posts {
        *authors.entry(post.author_id).or_default() += 1;
    }
    for (author, count) in authors {
        diesel::update(u::table.find(author))
            .set(u::approved_posts.eq(u::approved_posts + count))
            .execute(conn)?;
    }

    // The search index reads each thread touched again (workshops' practice threads stay out).
    let at = crate::now();
    let outbox: Vec<_> = touched
        .keys()
        .filter(|id| !matches!(subjects.get(*id), Some(Some(Subject::Workshop(_)))))
        .map(|id| {
            (
                ob::source.eq("thread"),
                ob::source_id.eq(*id),
                ob::created_at.eq(at),
            )
        })
        .collect();
    for chunk in outbox.chunks(MAX_BINDS / 3) {
        insert_rows!(conn, ob::table, chunk)?;
    }

    let follows: Vec<_> = batch
        .follows
        .iter()
        .map(|f| {
            (
                sub::user_id.eq(f.user_id),
                sub::target_kind.eq("thread"),
                sub::target_id.eq(f.thread_id),
                sub::created_at.eq(f.created_at),
            )
        })
        .collect();
    for chunk in follows.chunks(MAX_BINDS / 4) {
        insert_rows!(conn, sub::table, chunk)?;
    }
    let notifications: Vec<_> = batch
        .notifications
        .iter()
        .map(|x| {
            (
                n::user_id.eq(x.user_id),
                n::kind.eq(x.kind.as_str()),
                n::thread_id.eq(Some(x.thread_id)),
                n::post_id.eq(Some(x.post_id)),
                n::actor_name.eq(x.actor_name),
                n::created_at.eq(x.created_at),
                n::read_at.eq(x.read_at),
                n::mailed_at.eq(x.mailed_at),
            )
        })
        .collect();
    for chunk in notifications.chunks(MAX_BINDS / 8) {
        insert_rows!(conn, n::table, chunk)?;
    }
    Ok(())
}

/// A member account ready to post, as a sign-up followed by its confirmation leaves it (the
/// link and the messages aside): role `member`, its address confirmed at `at`, a free `@name`.
pub fn confirmed_member(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    password_hash: &str,
    at: NaiveDateTime,
) -> StoreResult<crate::models::users::User> {
    let email = crate::models::users::normalize_email(email);
    let mut user = crate::models::users::insert(
        conn,
        &crate::models::users::NewUser {
            email: &email,
            name,
            role: lieu_core::Role::Member.as_str(),
            password_hash,
            disabled: 0,
            created_at: at,
        },
    )
    .map_err(|e| {
        if crate::error::is_unique_violation(&e) {
            StoreError::EmailTaken
        } else {
            StoreError::Db(e)
        }
    })?;
    diesel::update(u::table.find(user.id))
        .set(u::email_confirmed_at.eq(Some(at)))
        .execute(conn)?;
    user.email_confirmed_at = Some(at);
    crate::models::audit_log::record(
        conn,
        None,
        "user.create",
        &email,
        lieu_core::Role::Member.as_str(),
    )?;
    Ok(user)
}

/// Where discussions can be held besides the categories: the ids of up to `limit` wiki pages
/// and of up to `limit` published directory entries, oldest first.
pub fn discussion_places(conn: &mut DbConn, limit: i64) -> StoreResult<(Vec<i32>, Vec<i32>)> {
    use crate::schema::{entries, pages};
    let page_ids = pages::table
        .order(pages::id.asc())
        .select(pages::id)
        .limit(limit)
        .load(conn)?;
    let entry_ids = entries::table
        .filter(entries::status.eq(lieu_core::entry::Status::Published.as_str()))
        .order(entries::id.asc())
        .select(entries::id)
        .limit(limit)
        .load(conn)?;
    Ok((page_ids, entry_ids))
}
