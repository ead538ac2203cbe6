//! The exchange space: categories, threads and posts, posts held for approval, edits with
//! their history, chosen answers, reports and moderation. Every public function runs inside
//! the caller's transaction ([`crate::Store::write`]) and leaves the counters of threads and
//! categories right, the search outbox told and the notifications written, together.
//!
//! Who may call what (a member posts, an agent moderates) is the web layer's check against
//! the permission table; what depends on the data (a suspended member, a locked thread, the
//! edit window, a new member's held posts and links) is checked here.

use crate::conn::insert_returning_id;
use crate::error::{StoreError, StoreResult, is_unique_violation};
use crate::load_direct;
use crate::models::audit_log;
use crate::models::users::User;
use crate::notifications;
use crate::schema::{
    entries, exchange_categories as ec, exchange_post_revisions as epr, exchange_posts as ep,
    exchange_reports as er, exchange_settings as es, exchange_threads as et, users as u,
};
use crate::search::{self, Source};
use crate::wiki::{self, Author};
use crate::{DbConn, models::pages::Page};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::{count_star, max, sum};
use diesel::prelude::*;
use lieu_core::content::history_text::DELETED_ACCOUNT;
use lieu_core::exchange::{
    NotificationKind, PostState, ReportReason, Settings, Subject, ThreadKind, Trust,
    within_edit_window,
};
use lieu_core::page::ValidPage;
use lieu_core::{Invalid, Role, UserId};
use lieu_core::{PostId, ThreadId};

/// Actions of the exchange space written to the audit log, shown in the moderation queue.
pub const MODERATION_ACTIONS: &[&str] = &[
    "exchange.approve",
    "exchange.reject",
    "exchange.hide",
    "exchange.restore",
    "exchange.auto_hide",
    "exchange.reports_hide",
    "exchange.reports_keep",
    "exchange.lock",
    "exchange.unlock",
    "exchange.pin",
    "exchange.unpin",
    "exchange.move",
    "exchange.split",
    "exchange.suspend",
    "exchange.unsuspend",
    "exchange.hide_all",
    "exchange.organisation",
    "exchange.to_page",
    "exchange.edit",
];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ec)]
pub struct Category {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub thread_count: i32,
    pub post_count: i32,
    pub last_post_at: Option<NaiveDateTime>,
    pub archived: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = et)]
pub struct Thread {
    pub id: i32,
    pub subject_kind: String,
    pub subject_id: i32,
    pub title: String,
    pub kind: String,
    pub state: String,
    pub locked: i32,
    pub pinned: i32,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub first_post_id: Option<i32>,
    pub answer_post_id: Option<i32>,
    pub reply_count: i32,
    pub last_post_at: NaiveDateTime,
    pub last_poster_name: String,
    pub wiki_page_id: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

impl Thread {
    pub fn thread_id(&self) -> ThreadId {
        ThreadId(self.id)
    }

    pub fn subject(&self) -> Option<Subject> {
        Subject::from_parts(&self.subject_kind, self.subject_id)
    }

    pub fn kind(&self) -> ThreadKind {
        ThreadKind::parse(&self.kind).unwrap_or(ThreadKind::Discussion)
    }

    pub fn state(&self) -> PostState {
        PostState::parse(&self.state).unwrap_or(PostState::Hidden)
    }

    pub fn is_locked(&self) -> bool {
        self.locked != 0
    }

    pub fn is_pinned(&self) -> bool {
        self.pinned != 0
    }

    /// Whether this thread is in a workshop's practice space.
    pub fn is_practice(&self) -> bool {
        matches!(self.subject(), Some(Subject::Workshop(_)))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ep)]
pub struct Post {
    pub id: i32,
    pub thread_id: i32,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub body: String,
    pub html: String,
    pub plain_text: String,
    pub quote_post_id: Option<i32>,
    pub state: String,
    pub hidden_reason: String,
    pub open_reports: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
}

impl Post {
    pub fn post_id(&self) -> PostId {
        PostId(self.id)
    }

    pub fn state(&self) -> PostState {
        PostState::parse(&self.state).unwrap_or(PostState::Hidden)
    }

    pub fn is_by(&self, user: UserId) -> bool {
        self.author_id == Some(user.0)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = epr)]
pub struct PostRevision {
    pub id: i32,
    pub post_id: i32,
    pub version: i32,
    pub body: String,
    pub edited_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = er)]
pub struct Report {
    pub id: i32,
    pub post_id: i32,
    pub reporter_id: Option<i32>,
    pub reason: String,
    pub detail: String,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<i32>,
    pub decision: String,
}

impl Report {
    pub fn reason(&self) -> ReportReason {
        ReportReason::parse(&self.reason).unwrap_or(ReportReason::Other)
    }
}

/// Audit target of a post, a thread, an account.
fn post_target(id: i32) -> String {
    format!("post:{id}")
}

fn thread_target(id: i32) -> String {
    format!("thread:{id}")
}

// ---------------------------------------------------------------------------------------
// Settings and categories
// ---------------------------------------------------------------------------------------

pub fn settings(conn: &mut DbConn) -> StoreResult<Settings> {
    let row: Option<(i32, i32, i32, i32)> = es::table
        .find(1)
        .select((
            es::held_posts,
            es::edit_minutes,
            es::report_threshold,
            es::new_member_posts_per_hour,
        ))
        .first(conn)
        .optional()?;
    Ok(
        row.map_or_else(Settings::default, |(held, edit, reports, rate)| Settings {
            held_posts: held,
            edit_minutes: edit,
            report_threshold: reports,
            new_member_posts_per_hour: rate,
        }),
    )
}

pub fn save_settings(
    conn: &mut DbConn,
    settings: &Settings,
    actor: UserId,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let values = (
        es::held_posts.eq(settings.held_posts),
        es::edit_minutes.eq(settings.edit_minutes),
        es::report_threshold.eq(settings.report_threshold),
        es::new_member_posts_per_hour.eq(settings.new_member_posts_per_hour),
        es::updated_at.eq(Some(now)),
    );
    if diesel::update(es::table.find(1))
        .set(values)
        .execute(conn)?
        == 0
    {
        diesel::insert_into(es::table)
            .values((es::id.eq(1), values))
            .execute(conn)?;
    }
    audit_log::record(
        conn,
        Some(actor),
        "exchange.settings",
        "exchange",
        &format!(
            "held_posts={} edit_minutes={} report_threshold={} new_member_posts_per_hour={}",
            settings.held_posts,
            settings.edit_minutes,
            settings.report_threshold,
            settings.new_member_posts_per_hour
        ),
    )?;
    Ok(())
}

/// The categories, in their order; archived ones only when asked (the admins' page).
pub fn categories(conn: &mut DbConn, with_archived: bool) -> StoreResult<Vec<Category>> {
    let mut query = ec::table
        .order((ec::position.asc(), ec::id.asc()))
        .select(Category::as_select())
        .into_boxed();
    if !with_archived {
        query = query.filter(ec::archived.eq(0));
    }
    Ok(query.load(conn)?)
}

pub fn category_by_slug(conn: &mut DbConn, slug: &str) -> StoreResult<Option<Category>> {
    Ok(ec::table
        .filter(ec::slug.eq(slug))
        .select(Category::as_select())
        .first(conn)
        .optional()?)
}

pub fn category_by_id(conn: &mut DbConn, id: i32) -> StoreResult<Option<Category>> {
    Ok(ec::table
        .find(id)
        .select(Category::as_select())
        .first(conn)
        .optional()?)
}

/// A category as the admins' form gives it, validated by `lieu_core::exchange::category`.
#[derive(Debug, Clone)]
pub struct CategoryForm {
    pub name: String,
    pub description: String,
    pub position: i32,
    pub archived: bool,
}

/// Adds a category; its slug comes from its name, and a taken one is refused (`SlugTaken`).
pub fn create_category(
    conn: &mut DbConn,
    form: &CategoryForm,
    actor: UserId,
    now: NaiveDateTime,
) -> StoreResult<Category> {
    let slug = lieu_core::slug::slugify(&form.name);
    let id = insert_returning_id!(
        conn,
        ec::table,
        (
            ec::slug.eq(&slug),
            ec::name.eq(&form.name),
            ec::description.eq(&form.description),
            ec::position.eq(form.position),
            ec::archived.eq(i32::from(form.archived)),
            ec::created_at.eq(now),
        ),
        ec::id
    )
    .map_err(|e| StoreError::slug_taken_if_unique(e, &slug))?;
    audit_log::record(
        conn,
        Some(actor),
        "exchange.category",
        &format!("category:{id}"),
        &form.name,
    )?;
    category_by_id(conn, id)?.ok_or(StoreError::NotFound)
}

/// Renames, describes, orders or archives a category (its address stays).
pub fn update_category(
    conn: &mut DbConn,
    id: i32,
    form: &CategoryForm,
    actor: UserId,
) -> StoreResult<()> {
    let renamed = category_by_id(conn, id)?.is_some_and(|c| c.name != form.name);
    let changed = diesel::update(ec::table.find(id))
        .set((
            ec::name.eq(&form.name),
            ec::description.eq(&form.description),
            ec::position.eq(form.position),
            ec::archived.eq(i32::from(form.archived)),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    if renamed {
        search::enqueue_threads_of(conn, Subject::Category(id))?;
    }
    audit_log::record(
        conn,
        Some(actor),
        "exchange.category",
        &format!("category:{id}"),
        &form.name,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

pub fn thread(conn: &mut DbConn, id: ThreadId) -> StoreResult<Option<Thread>> {
    Ok(et::table
        .find(id.0)
        .select(Thread::as_select())
        .first(conn)
        .optional()?)
}

pub fn post(conn: &mut DbConn, id: PostId) -> StoreResult<Option<Post>> {
    Ok(ep::table
        .find(id.0)
        .select(Post::as_select())
        .first(conn)
        .optional()?)
}

/// A post of the real exchange space with its thread; `NotFound` for an unknown post or
/// one of a workshop's practice space (the trainer's, not the agents').
pub fn public_post(conn: &mut DbConn, id: PostId) -> StoreResult<(Post, Thread)> {
    let post = post(conn, id)?.ok_or(StoreError::NotFound)?;
    let thread = thread(conn, ThreadId(post.thread_id))?.ok_or(StoreError::NotFound)?;
    if thread.is_practice() {
        return Err(StoreError::NotFound);
    }
    Ok((post, thread))
}

/// Where a list of threads starts: after this thread of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadCursor {
    pub last_post_at: NaiveDateTime,
    pub id: i32,
}

/// The visible threads of `subject`, latest activity first: the pinned ones (on the first
/// page only, `after` = `None`), then one page of the others after `after`. `unanswered`
/// keeps the threads without any reply. `limit` + 1 rows tell whether a next page exists.
/// Each query walks an index from its start, so page 1 000 costs what page 1 costs.
pub fn threads(
    conn: &mut DbConn,
    subject: Subject,
    unanswered: bool,
    after: Option<ThreadCursor>,
    limit: i64,
) -> StoreResult<(Vec<Thread>, Vec<Thread>)> {
    // Statements of one shape whatever the page (no boxing; the first page starts after a
    // cursor past every thread), so that each connection prepares them once.
    // A macro rather than a value: `load_direct!` types the query once for each backend.
    macro_rules! base {
        () => {
            et::table
                .filter(et::subject_kind.eq(subject.kind()))
                .filter(et::subject_id.eq(subject.id()))
                .filter(et::state.eq(PostState::Visible.as_str()))
                .select(Thread::as_select())
        };
    }
    let pinned = if after.is_none() && !unanswered {
        load_direct!(
            conn,
            base!()
                .filter(et::pinned.eq(1))
                .order((et::last_post_at.desc(), et::id.desc()))
                .limit(50)
        )?
    } else {
        Vec::new()
    };
    // Past every thread, and written so that SQLite's text comparison agrees
    // (`NaiveDateTime::MAX` is written `+262142-...`).
    let c = after.unwrap_or(ThreadCursor {
        last_post_at: chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .expect("9999-12-31 23:59:59 is a moment"),
        id: i32::MAX,
    });
    // `last_post_at <= ?` first: the range the index is read from. Alone, the `OR` below
    // binds the moment twice, which SQLite cannot take for one range: it read the category's
    // index from its start (page 900 of 1,000: 8 ms instead of 0.3).
    let from_cursor = et::last_post_at
        .le(c.last_post_at)
        .and(et::last_post_at.lt(c.last_post_at).or(et::id.lt(c.id)));
    let order = (et::last_post_at.desc(), et::id.desc());
    let listed = if unanswered {
        load_direct!(
            conn,
            base!()
                .filter(et::reply_count.eq(0))
                .filter(from_cursor)
                .order(order)
                .limit(limit)
        )?
    } else {
        load_direct!(
            conn,
            base!()
                .filter(et::pinned.eq(0))
                .filter(from_cursor)
                .order(order)
                .limit(limit)
        )?
    };
    Ok((pinned, listed))
}

/// What is shown beside an author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Badge {
    /// A member of the team who moderates: "France Services".
    FranceServices,
    /// A member linked by an agent to the organisation they speak for.
    Organisation {
        title: String,
        kind: String,
        slug: String,
    },
    None,
}

/// A post with what its page shows around it.
#[derive(Debug, Clone)]
pub struct PostView {
    pub post: Post,
    pub handle: Option<String>,
    pub badge: Badge,
    /// The quoted post's number and author, when it quotes one.
    pub quoted_author: Option<String>,
}

type PostRow = (
    Post,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn post_views(conn: &mut DbConn, rows: Vec<PostRow>) -> StoreResult<Vec<PostView>> {
    let quoted: Vec<i32> = rows.iter().filter_map(|r| r.0.quote_post_id).collect();
    let names: Vec<(i32, String)> = if quoted.is_empty() {
        Vec::new()
    } else {
        ep::table
            .filter(ep::id.eq_any(&quoted))
            .select((ep::id, ep::author_name))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|(post, handle, role, org_title, org_kind, org_slug)| {
            let role = role.and_then(|r| r.parse::<Role>().ok());
            let badge = match (org_title, org_kind, org_slug) {
                (Some(title), Some(kind), Some(slug)) => Badge::Organisation { title, kind, slug },
                _ if role.is_some_and(|r| r.can(lieu_core::Permission::Moderate)) => {
                    Badge::FranceServices
                }
                _ => Badge::None,
            };
            let quoted_author = post.quote_post_id.and_then(|q| {
                names
                    .iter()
                    .find(|(id, _)| *id == q)
                    .map(|(_, name)| name.clone())
            });
            PostView {
                post,
                handle,
                badge,
                quoted_author,
            }
        })
        .collect())
}

/// Who reads a thread: moderators see every post; others see the visible and erased ones
/// (an erased post leaves a line, so the conversation still reads) and their own.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub user: Option<UserId>,
    pub moderator: bool,
}

/// Posts with what a [`PostRow`] adds: the author's handle and role, and the organisation they
/// speak for. A macro rather than a function: `load_direct!` types it once for each backend.
macro_rules! posts_with_authors {
    () => {
        ep::table
            .left_join(u::table.on(ep::author_id.eq(u::id.nullable())))
            .left_join(entries::table.on(u::organisation_id.eq(entries::id.nullable())))
            .select((
                Post::as_select(),
                u::handle.nullable(),
                u::role.nullable(),
                entries::title.nullable(),
                entries::kind.nullable(),
                entries::slug.nullable(),
            ))
    };
}

/// One page of a thread's posts, oldest first, after the post `after` (or from the start),
/// or, with `before`, the page that ends just before that post. `limit` + 1 rows tell
/// whether there is more in the direction read.
pub fn posts(
    conn: &mut DbConn,
    thread: ThreadId,
    reader: Reader,
    after: Option<i32>,
    before: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<PostView>> {
    use diesel::sql_types::Bool;
    // One statement per direction, whoever reads (no boxing, no `IN` list): each connection
    // prepares it once instead of at every view of a thread.
    let own = reader.user.map_or(-1, |u| u.0);
    // A macro rather than a value: `load_direct!` types the query once for each backend.
    macro_rules! query {
        () => {
            posts_with_authors!()
                .filter(ep::thread_id.eq(thread.0))
                .filter(
                    reader
                        .moderator
                        .into_sql::<Bool>()
                        .or(ep::state.eq(PostState::Visible.as_str()))
                        .or(ep::state.eq(PostState::Deleted.as_str()))
                        .or(ep::author_id.eq(own)),
                )
        };
    }
    let rows: Vec<PostRow> = if let Some(before) = before {
        let mut rows: Vec<PostRow> = load_direct!(
            conn,
            query!()
                .filter(ep::id.lt(before))
                .order(ep::id.desc())
                .limit(limit)
        )?;
        rows.reverse();
        rows
    } else {
        load_direct!(
            conn,
            query!()
                .filter(ep::id.gt(after.unwrap_or(i32::MIN)))
                .order(ep::id.asc())
                .limit(limit)
        )?
    };
    post_views(conn, rows)
}

/// One post as its thread shows it (the chosen answer, under the question).
pub fn post_view(conn: &mut DbConn, id: PostId) -> StoreResult<Option<PostView>> {
    let rows: Vec<PostRow> = posts_with_authors!().filter(ep::id.eq(id.0)).load(conn)?;
    Ok(post_views(conn, rows)?.into_iter().next())
}

/// The earlier versions of a post, newest first (for moderators).
pub fn post_history(
    conn: &mut DbConn,
    post: PostId,
) -> StoreResult<Vec<(PostRevision, Option<String>)>> {
    Ok(epr::table
        .left_join(u::table.on(epr::edited_by.eq(u::id.nullable())))
        .filter(epr::post_id.eq(post.0))
        .order(epr::version.desc())
        .select((PostRevision::as_select(), u::name.nullable()))
        .limit(200)
        .load(conn)?)
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// Renders a post's Markdown as the wiki does (same renderer, same sanitizer); directory
/// lists (`{{annuaire}}`) are a page's feature and stay out of posts.
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

/// What the site checks before `author` posts (or edits, `new_post` = false): a confirmed
/// address, no suspension, and for a new member no links and, for a new post, a bounded
/// rate. Returns the author's trust.
fn check_author(
    conn: &mut DbConn,
    author: &User,
    rendered: &lieu_markdown::Rendered,
    settings: &Settings,
    now: NaiveDateTime,
    new_post: bool,
) -> StoreResult<Trust> {
    if author.deleted_at.is_some() || author.is_disabled() {
        return Err(StoreError::Forbidden);
    }
    if author.must_confirm_email() {
        return Err(Invalid::single("body", "exchange.email_unconfirmed").into());
    }
    if author.is_suspended(now) {
        return Err(Invalid::single("body", "exchange.suspended").into());
    }
    let trust = lieu_core::exchange::trust(author.role(), author.approved_posts, settings);
    if trust == Trust::New {
        if !rendered.external_links.is_empty() {
            return Err(Invalid::single("body", "exchange.no_links_yet").into());
        }
        // Practice accounts are held like new members (the trainer approves), but a
        // workshop's exercise is not slowed down.
        if !new_post || author.role() != Role::Member {
            return Ok(trust);
        }
        let hour_ago = now - TimeDelta::hours(1);
        let recent: i64 = ep::table
            .filter(ep::author_id.eq(author.id))
            .filter(ep::created_at.gt(hour_ago))
            .count()
            .get_result(conn)?;
        if recent >= i64::from(settings.new_member_posts_per_hour) {
            return Err(Invalid::single("body", "exchange.rate_limited").into());
        }
    }
    Ok(trust)
}

/// A post about to be written, its text rendered.
#[derive(Clone, Copy)]
struct NewPost<'a> {
    thread: i32,
    author: &'a User,
    body: &'a str,
    rendered: &'a lieu_markdown::Rendered,
    quote: Option<i32>,
    state: PostState,
}

fn insert_post(conn: &mut DbConn, new: &NewPost<'_>, now: NaiveDateTime) -> StoreResult<Post> {
    let NewPost {
        thread,
        author,
        body,
        rendered,
        quote,
        state,
    } = *new;
    let id = insert_returning_id!(
        conn,
        ep::table,
        (
            ep::thread_id.eq(thread),
            ep::author_id.eq(Some(author.id)),
            ep::author_name.eq(&author.name),
            ep::body.eq(body),
            ep::html.eq(&rendered.html),
            ep::plain_text.eq(&rendered.text),
            ep::quote_post_id.eq(quote),
            ep::state.eq(state.as_str()),
            ep::created_at.eq(now),
        ),
        ep::id
    )?;
    post(conn, PostId(id))?.ok_or(StoreError::NotFound)
}

/// Checks that `subject` exists and takes threads (a category not archived).
fn check_subject(conn: &mut DbConn, subject: Subject) -> StoreResult<()> {
    use crate::schema::{pages, workshops};
    let found: i64 = match subject {
        Subject::Category(id) => ec::table
            .filter(ec::id.eq(id))
            .filter(ec::archived.eq(0))
            .count()
            .get_result(conn)?,
        Subject::Page(id) => pages::table
            .filter(pages::id.eq(id))
            .count()
            .get_result(conn)?,
        Subject::Entry(id) => entries::table
            .filter(entries::id.eq(id))
            .count()
            .get_result(conn)?,
        Subject::Workshop(id) => workshops::table
            .filter(workshops::id.eq(id))
            .count()
            .get_result(conn)?,
    };
    if found == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Starts a thread with its first post (title and body validated by `lieu_core::exchange`).
/// A new member's thread waits for approval; the author follows their thread.
pub fn start_thread(
    conn: &mut DbConn,
    author: &User,
    subject: Subject,
    title: &str,
    kind: ThreadKind,
    body: &str,
    now: NaiveDateTime,
) -> StoreResult<(Thread, Post)> {
    check_subject(conn, subject)?;
    let settings = settings(conn)?;
    let rendered = render(conn, body)?;
    let trust = check_author(conn, author, &rendered, &settings, now, true)?;
    let state = if trust == Trust::New {
        PostState::Pending
    } else {
        PostState::Visible
    };
    let thread_id = insert_returning_id!(
        conn,
        et::table,
        (
            et::subject_kind.eq(subject.kind()),
            et::subject_id.eq(subject.id()),
            et::title.eq(title),
            et::kind.eq(kind.as_str()),
            et::state.eq(PostState::Pending.as_str()),
            et::author_id.eq(Some(author.id)),
            et::author_name.eq(&author.name),
            et::last_post_at.eq(now),
            et::last_poster_name.eq(&author.name),
            et::created_at.eq(now),
        ),
        et::id
    )?;
    let new = NewPost {
        thread: thread_id,
        author,
        body,
        rendered: &rendered,
        quote: None,
        state,
    };
    let post = insert_post(conn, &new, now)?;
    diesel::update(et::table.find(thread_id))
        .set(et::first_post_id.eq(Some(post.id)))
        .execute(conn)?;
    notifications::subscribe(
        conn,
        author.user_id(),
        notifications::Target::Thread(thread_id),
        now,
    )?;
    if state == PostState::Visible {
        published(conn, post.post_id(), now)?;
    }
    let thread = thread(conn, ThreadId(thread_id))?.ok_or(StoreError::NotFound)?;
    let post = self::post(conn, post.post_id())?.ok_or(StoreError::NotFound)?;
    Ok((thread, post))
}

/// Replies in a thread, quoting `quote` (a post of the same thread) when given. A locked
/// thread takes no reply but a moderator's.
pub fn reply(
    conn: &mut DbConn,
    author: &User,
    thread_id: ThreadId,
    body: &str,
    quote: Option<PostId>,
    moderator: bool,
    now: NaiveDateTime,
) -> StoreResult<Post> {
    let thread = thread(conn, thread_id)?.ok_or(StoreError::NotFound)?;
    let readable = thread.state() == PostState::Visible
        || (thread.author_id == Some(author.id) && thread.state() == PostState::Pending);
    if !readable && !moderator {
        return Err(StoreError::NotFound);
    }
    if thread.is_locked() && !moderator {
        return Err(Invalid::single("body", "exchange.thread_locked").into());
    }
    let quote = match quote {
        Some(q) => {
            let quoted = post(conn, q)?;
            quoted.filter(|p| p.thread_id == thread.id).map(|p| p.id)
        }
        None => None,
    };
    let settings = settings(conn)?;
    let rendered = render(conn, body)?;
    let trust = check_author(conn, author, &rendered, &settings, now, true)?;
    let state = if trust == Trust::New {
        PostState::Pending
    } else {
        PostState::Visible
    };
    let new = NewPost {
        thread: thread.id,
        author,
        body,
        rendered: &rendered,
        quote,
        state,
    };
    let post = insert_post(conn, &new, now)?;
    notifications::subscribe(
        conn,
        author.user_id(),
        notifications::Target::Thread(thread.id),
        now,
    )?;
    if state == PostState::Visible {
        published(conn, post.post_id(), now)?;
    }
    self::post(conn, post.post_id())?.ok_or(StoreError::NotFound)
}

/// A post just became visible (at once or by approval): the thread and its category count
/// it, the author's count of posts that went out grows, the index and the people who follow
/// or were mentioned are told.
fn published(conn: &mut DbConn, post_id: PostId, now: NaiveDateTime) -> StoreResult<()> {
    let post = post(conn, post_id)?.ok_or(StoreError::NotFound)?;
    let thread = thread(conn, ThreadId(post.thread_id))?.ok_or(StoreError::NotFound)?;
    let first = thread.first_post_id == Some(post.id);
    if first {
        diesel::update(et::table.find(thread.id))
            .set((
                et::state.eq(PostState::Visible.as_str()),
                et::last_post_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::update(et::table.find(thread.id))
            .set((
                et::reply_count.eq(et::reply_count + 1),
                et::last_post_at.eq(now),
                et::last_poster_name.eq(&post.author_name),
            ))
            .execute(conn)?;
    }
    if let Some(Subject::Category(category)) = thread.subject() {
        diesel::update(ec::table.find(category))
            .set((
                ec::thread_count.eq(ec::thread_count + i32::from(first)),
                ec::post_count.eq(ec::post_count + 1),
                ec::last_post_at.eq(Some(now)),
            ))
            .execute(conn)?;
    }
    if let Some(author) = post.author_id {
        diesel::update(u::table.find(author))
            .set(u::approved_posts.eq(u::approved_posts + 1))
            .execute(conn)?;
    }
    if !thread.is_practice() {
        search::enqueue(conn, Source::Thread(thread.id))?;
    }
    let thread = self::thread(conn, ThreadId(thread.id))?.ok_or(StoreError::NotFound)?;
    notifications::post_published(conn, &thread, &post, first, now)?;
    Ok(())
}

/// Counts a thread's visible replies again and finds its last visible post, after posts were
/// hidden, restored, erased or moved; the thread follows its first post's state.
pub fn refresh_thread(conn: &mut DbConn, id: i32) -> StoreResult<()> {
    let Some(thread) = thread(conn, ThreadId(id))? else {
        return Ok(());
    };
    let first_state: Option<String> = match thread.first_post_id {
        Some(first) => ep::table
            .find(first)
            .select(ep::state)
            .first(conn)
            .optional()?,
        None => None,
    };
    let visible = || {
        ep::table
            .filter(ep::thread_id.eq(id))
            .filter(ep::state.eq(PostState::Visible.as_str()))
    };
    let replies: i64 = visible()
        .filter(ep::id.nullable().ne(thread.first_post_id))
        .count()
        .get_result(conn)?;
    let last: Option<(NaiveDateTime, String)> = visible()
        .order(ep::id.desc())
        .select((ep::created_at, ep::author_name))
        .first(conn)
        .optional()?;
    let (last_at, last_name) =
        last.unwrap_or((thread.last_post_at, thread.last_poster_name.clone()));
    diesel::update(et::table.find(id))
        .set((
            et::state.eq(first_state.unwrap_or_else(|| PostState::Deleted.as_str().to_owned())),
            et::reply_count.eq(i32::try_from(replies).unwrap_or(i32::MAX)),
            et::last_post_at.eq(last_at.max(thread.created_at)),
            et::last_poster_name.eq(last_name),
        ))
        .execute(conn)?;
    if !thread.is_practice() {
        search::enqueue(conn, Source::Thread(id))?;
    }
    if let Some(Subject::Category(category)) = thread.subject() {
        refresh_category(conn, category)?;
    }
    Ok(())
}

/// Counts a category's visible threads and posts again (after moderation: rare, and one
/// indexed range of the category's threads).
pub fn refresh_category(conn: &mut DbConn, id: i32) -> StoreResult<()> {
    let (threads, replies, last): (i64, Option<i64>, Option<NaiveDateTime>) = et::table
        .filter(et::subject_kind.eq("category"))
        .filter(et::subject_id.eq(id))
        .filter(et::state.eq(PostState::Visible.as_str()))
        .select((count_star(), sum(et::reply_count), max(et::last_post_at)))
        .first(conn)?;
    let posts = threads + replies.unwrap_or(0);
    diesel::update(ec::table.find(id))
        .set((
            ec::thread_count.eq(i32::try_from(threads).unwrap_or(i32::MAX)),
            ec::post_count.eq(i32::try_from(posts).unwrap_or(i32::MAX)),
            ec::last_post_at.eq(last),
        ))
        .execute(conn)?;
    Ok(())
}

/// Edits a post. Its author may within the edit window (and not in a locked thread); a
/// moderator may always. `version` is the version the editor read: a post changed
/// meanwhile is refused (`Conflict`). The earlier text is kept for moderators.
pub fn edit_post(
    conn: &mut DbConn,
    editor: &User,
    moderator: bool,
    id: PostId,
    version: i32,
    body: &str,
    now: NaiveDateTime,
) -> StoreResult<Post> {
    let post = post(conn, id)?.ok_or(StoreError::NotFound)?;
    let thread = thread(conn, ThreadId(post.thread_id))?.ok_or(StoreError::NotFound)?;
    let settings = settings(conn)?;
    if post.state() == PostState::Deleted {
        return Err(StoreError::NotFound);
    }
    if !moderator {
        if !post.is_by(editor.user_id()) {
            return Err(StoreError::Forbidden);
        }
        if !within_edit_window(post.created_at, now, &settings) {
            return Err(Invalid::single("body", "exchange.edit_window_over").into());
        }
        if thread.is_locked() {
            return Err(Invalid::single("body", "exchange.thread_locked").into());
        }
    }
    if post.version != version {
        return Err(StoreError::Conflict);
    }
    let rendered = render(conn, body)?;
    if !moderator {
        check_author(conn, editor, &rendered, &settings, now, false)?;
    }
    diesel::insert_into(epr::table)
        .values((
            epr::post_id.eq(post.id),
            epr::version.eq(post.version),
            epr::body.eq(&post.body),
            epr::edited_by.eq(Some(editor.id)),
            epr::created_at.eq(now),
        ))
        .execute(conn)?;
    let changed = diesel::update(ep::table.find(post.id).filter(ep::version.eq(version)))
        .set((
            ep::body.eq(body),
            ep::html.eq(&rendered.html),
            ep::plain_text.eq(&rendered.text),
            ep::version.eq(version + 1),
            ep::edited_at.eq(Some(now)),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::Conflict);
    }
    if !post.is_by(editor.user_id()) {
        audit_log::record(
            conn,
            Some(editor.user_id()),
            "exchange.edit",
            &post_target(post.id),
            "",
        )?;
    }
    if post.state() == PostState::Visible && !thread.is_practice() {
        search::enqueue(conn, Source::Thread(thread.id))?;
    }
    let edited = self::post(conn, id)?.ok_or(StoreError::NotFound)?;
    notifications::post_edited(conn, &thread, &edited, &post.body, now)?;
    Ok(edited)
}

/// Marks `answer` (a visible reply of the question) as the chosen answer, or clears it with
/// `None`. The question's author or a moderator may; the author is told when it was
/// someone else.
pub fn mark_answer(
    conn: &mut DbConn,
    actor: &User,
    moderator: bool,
    thread_id: ThreadId,
    answer: Option<PostId>,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let thread = thread(conn, thread_id)?.ok_or(StoreError::NotFound)?;
    if thread.kind() != ThreadKind::Question || thread.state() != PostState::Visible {
        return Err(StoreError::NotFound);
    }
    if !moderator && thread.author_id != Some(actor.id) {
        return Err(StoreError::Forbidden);
    }
    if let Some(answer) = answer {
        let post = post(conn, answer)?.ok_or(StoreError::NotFound)?;
        if post.thread_id != thread.id
            || post.state() != PostState::Visible
            || thread.first_post_id == Some(post.id)
        {
            return Err(StoreError::NotFound);
        }
    }
    diesel::update(et::table.find(thread.id))
        .set(et::answer_post_id.eq(answer.map(|a| a.0)))
        .execute(conn)?;
    if let (Some(answer), Some(author)) = (answer, thread.author_id)
        && author != actor.id
    {
        notifications::notify(
            conn,
            UserId(author),
            NotificationKind::Answered,
            Some(thread.id),
            Some(answer.0),
            &actor.name,
            now,
        )?;
    }
    if !thread.is_practice() {
        search::enqueue(conn, Source::Thread(thread.id))?;
    }
    Ok(())
}

/// Makes a wiki page of an answered question (its text composed by the caller from the
/// question and the answer), linked from the thread.
pub fn thread_to_page(
    conn: &mut DbConn,
    thread_id: ThreadId,
    page: &ValidPage,
    author: &Author,
) -> StoreResult<Page> {
    let thread = thread(conn, thread_id)?.ok_or(StoreError::NotFound)?;
    if thread.answer_post_id.is_none() || thread.is_practice() {
        return Err(StoreError::NotFound);
    }
    let created = wiki::create_page(conn, page, author)?;
    diesel::update(et::table.find(thread.id))
        .set(et::wiki_page_id.eq(Some(created.id)))
        .execute(conn)?;
    audit_log::record(
        conn,
        author.id,
        "exchange.to_page",
        &thread_target(thread.id),
        &created.slug,
    )?;
    Ok(created)
}

// ---------------------------------------------------------------------------------------
// Reports and moderation
// ---------------------------------------------------------------------------------------

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Recorded,
    /// This person had already reported this post.
    AlreadyReported,
    /// The report reached the threshold: the post is hidden until an agent decides.
    Hidden,
}

/// Reports a visible post (not one's own). One report per person and post.
pub fn report(
    conn: &mut DbConn,
    reporter: &User,
    id: PostId,
    reason: ReportReason,
    detail: &str,
    now: NaiveDateTime,
) -> StoreResult<Reported> {
    let post = post(conn, id)?.ok_or(StoreError::NotFound)?;
    let reportable = post.state() == PostState::Visible
        || (post.state() == PostState::Hidden && post.hidden_reason == "reports");
    if !reportable || post.is_by(reporter.user_id()) {
        return Err(StoreError::NotFound);
    }
    let insert = diesel::insert_into(er::table).values((
        er::post_id.eq(post.id),
        er::reporter_id.eq(Some(reporter.id)),
        er::reason.eq(reason.as_str()),
        er::detail.eq(detail),
        er::created_at.eq(now),
    ));
    let added = match conn {
        DbConn::Sqlite(c) => insert.on_conflict_do_nothing().execute(c),
        DbConn::Postgres(c) => insert.on_conflict_do_nothing().execute(c),
    };
    match added {
        Ok(0) => return Ok(Reported::AlreadyReported),
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Ok(Reported::AlreadyReported),
        Err(e) => return Err(e.into()),
    }
    diesel::update(ep::table.find(post.id))
        .set(ep::open_reports.eq(ep::open_reports + 1))
        .execute(conn)?;
    let threshold = settings(conn)?.report_threshold;
    if post.state() == PostState::Visible && post.open_reports + 1 >= threshold {
        set_state(conn, &post, PostState::Hidden, "reports")?;
        audit_log::record(
            conn,
            None,
            "exchange.auto_hide",
            &post_target(post.id),
            reason.as_str(),
        )?;
        return Ok(Reported::Hidden);
    }
    Ok(Reported::Recorded)
}

fn set_state(conn: &mut DbConn, post: &Post, state: PostState, reason: &str) -> StoreResult<()> {
    diesel::update(ep::table.find(post.id))
        .set((ep::state.eq(state.as_str()), ep::hidden_reason.eq(reason)))
        .execute(conn)?;
    refresh_thread(conn, post.thread_id)
}

/// A moderator's decision on a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A held post goes out.
    Approve,
    /// A held post stays hidden.
    Reject,
    /// The reports are right: the post is hidden.
    HideReported,
    /// The reports are wrong: the post is shown again if the reports had hidden it.
    KeepReported,
    Hide,
    Restore,
}

impl Decision {
    fn action(self) -> &'static str {
        match self {
            Decision::Approve => "exchange.approve",
            Decision::Reject => "exchange.reject",
            Decision::HideReported => "exchange.reports_hide",
            Decision::KeepReported => "exchange.reports_keep",
            Decision::Hide => "exchange.hide",
            Decision::Restore => "exchange.restore",
        }
    }
}

/// Applies a moderator's decision. `open_reports` is how many open reports the moderator
/// saw: when another moderator decided first, the post's state no longer fits the decision
/// (or its reports were decided) and nothing is written (`Conflict`).
pub fn decide(
    conn: &mut DbConn,
    moderator: &User,
    id: PostId,
    decision: Decision,
    reason: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let post = post(conn, id)?.ok_or(StoreError::NotFound)?;
    let state = post.state();
    match decision {
        Decision::Approve | Decision::Reject if state != PostState::Pending => {
            return Err(StoreError::Conflict);
        }
        Decision::HideReported | Decision::KeepReported if post.open_reports == 0 => {
            return Err(StoreError::Conflict);
        }
        Decision::Hide if state != PostState::Visible => return Err(StoreError::Conflict),
        Decision::Restore if state != PostState::Hidden => return Err(StoreError::Conflict),
        _ => {}
    }
    // The guard in the WHERE clause makes the second of two simultaneous decisions find
    // nothing to change, on both backends.
    let guarded = ep::table
        .filter(ep::id.eq(post.id))
        .filter(ep::state.eq(&post.state))
        .filter(ep::open_reports.eq(post.open_reports))
        .filter(ep::version.eq(post.version));
    let (new_state, hidden_reason) = match decision {
        Decision::Approve | Decision::Restore => (PostState::Visible, ""),
        Decision::Reject | Decision::Hide | Decision::HideReported => {
            (PostState::Hidden, "moderator")
        }
        // Reports found wrong show again a post they had hidden, and leave alone one a
        // moderator had hidden for another reason.
        Decision::KeepReported if state == PostState::Hidden && post.hidden_reason == "reports" => {
            (PostState::Visible, "")
        }
        Decision::KeepReported => (state, post.hidden_reason.as_str()),
    };
    let changed = diesel::update(guarded)
        .set((
            ep::state.eq(new_state.as_str()),
            ep::hidden_reason.eq(hidden_reason),
            ep::open_reports.eq(0),
            ep::version.eq(post.version + 1),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::Conflict);
    }
    if post.open_reports > 0 {
        let verdict = if new_state == PostState::Hidden {
            "hidden"
        } else {
            "kept"
        };
        diesel::update(
            er::table
                .filter(er::post_id.eq(post.id))
                .filter(er::decided_at.is_null()),
        )
        .set((
            er::decided_at.eq(Some(now)),
            er::decided_by.eq(Some(moderator.id)),
            er::decision.eq(verdict),
        ))
        .execute(conn)?;
    }
    audit_log::record(
        conn,
        Some(moderator.user_id()),
        decision.action(),
        &post_target(post.id),
        reason,
    )?;
    let became_visible = new_state == PostState::Visible && state != PostState::Visible;
    if became_visible && state == PostState::Pending {
        // The held post goes out now: counted and told as if just posted.
        published(conn, post.post_id(), now)?;
        if let Some(author) = post.author_id {
            notifications::notify(
                conn,
                UserId(author),
                NotificationKind::Approved,
                Some(post.thread_id),
                Some(post.id),
                &moderator.name,
                now,
            )?;
        }
    } else if new_state != state {
        refresh_thread(conn, post.thread_id)?;
        if new_state == PostState::Hidden
            && let Some(author) = post.author_id
        {
            notifications::notify(
                conn,
                UserId(author),
                NotificationKind::Hidden,
                Some(post.thread_id),
                Some(post.id),
                &moderator.name,
                now,
            )?;
        }
    }
    Ok(())
}

/// A change a moderator makes to a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadChange {
    Lock(bool),
    Pin(bool),
    /// Into another category.
    Move(i32),
}

/// Locks, pins or moves a thread. `version` is the thread's version the moderator read.
pub fn change_thread(
    conn: &mut DbConn,
    moderator: &User,
    id: ThreadId,
    version: i32,
    change: ThreadChange,
    reason: &str,
) -> StoreResult<()> {
    let thread = thread(conn, id)?.ok_or(StoreError::NotFound)?;
    if matches!(change, ThreadChange::Move(_)) && thread.is_practice() {
        // A practice thread never leaves its workshop.
        return Err(StoreError::NotFound);
    }
    if thread.version != version {
        return Err(StoreError::Conflict);
    }
    let guarded = et::table
        .filter(et::id.eq(thread.id))
        .filter(et::version.eq(version));
    let (changed, action, detail) = match change {
        ThreadChange::Lock(on) => (
            diesel::update(guarded)
                .set((et::locked.eq(i32::from(on)), et::version.eq(version + 1)))
                .execute(conn)?,
            if on {
                "exchange.lock"
            } else {
                "exchange.unlock"
            },
            reason.to_owned(),
        ),
        ThreadChange::Pin(on) => (
            diesel::update(guarded)
                .set((et::pinned.eq(i32::from(on)), et::version.eq(version + 1)))
                .execute(conn)?,
            if on { "exchange.pin" } else { "exchange.unpin" },
            reason.to_owned(),
        ),
        ThreadChange::Move(category) => {
            if thread.is_practice() {
                return Err(StoreError::NotFound);
            }
            check_subject(conn, Subject::Category(category))?;
            let changed = diesel::update(guarded)
                .set((
                    et::subject_kind.eq("category"),
                    et::subject_id.eq(category),
                    et::version.eq(version + 1),
                ))
                .execute(conn)?;
            if let Some(Subject::Category(from)) = thread.subject() {
                refresh_category(conn, from)?;
            }
            refresh_category(conn, category)?;
            // The index shows where a thread lives.
            search::enqueue(conn, Source::Thread(thread.id))?;
            (
                changed,
                "exchange.move",
                format!(
                    "{} {} -> category:{category} {reason}",
                    thread.subject_kind, thread.subject_id
                ),
            )
        }
    };
    if changed == 0 {
        return Err(StoreError::Conflict);
    }
    audit_log::record(
        conn,
        Some(moderator.user_id()),
        action,
        &thread_target(thread.id),
        detail.trim(),
    )?;
    Ok(())
}

/// Where a thread is split: from the post `from` (a reply), into a new thread titled
/// `title` in the category `category`.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub from: PostId,
    pub title: &'a str,
    pub category: i32,
    pub reason: &'a str,
}

/// Splits a thread: the post `from` (a reply) and every later post become a new thread
/// titled `title`, in the category `category`. Returns the new thread.
pub fn split_thread(
    conn: &mut DbConn,
    moderator: &User,
    id: ThreadId,
    split: &Split<'_>,
    now: NaiveDateTime,
) -> StoreResult<Thread> {
    let Split {
        from,
        title,
        category,
        reason,
    } = *split;
    let thread = thread(conn, id)?.ok_or(StoreError::NotFound)?;
    let first = post(conn, from)?.ok_or(StoreError::NotFound)?;
    if first.thread_id != thread.id
        || thread.first_post_id == Some(first.id)
        || thread.is_practice()
    {
        return Err(StoreError::NotFound);
    }
    check_subject(conn, Subject::Category(category))?;
    let new_id = insert_returning_id!(
        conn,
        et::table,
        (
            et::subject_kind.eq("category"),
            et::subject_id.eq(category),
            et::title.eq(title),
            et::kind.eq(ThreadKind::Discussion.as_str()),
            et::state.eq(&first.state),
            et::author_id.eq(first.author_id),
            et::author_name.eq(&first.author_name),
            et::first_post_id.eq(Some(first.id)),
            et::last_post_at.eq(first.created_at),
            et::last_poster_name.eq(&first.author_name),
            et::created_at.eq(now),
        ),
        et::id
    )?;
    diesel::update(
        ep::table
            .filter(ep::thread_id.eq(thread.id))
            .filter(ep::id.ge(first.id)),
    )
    .set(ep::thread_id.eq(new_id))
    .execute(conn)?;
    if let Some(answer) = thread.answer_post_id
        && answer >= first.id
    {
        diesel::update(et::table.find(thread.id))
            .set(et::answer_post_id.eq(None::<i32>))
            .execute(conn)?;
    }
    refresh_thread(conn, thread.id)?;
    refresh_thread(conn, new_id)?;
    audit_log::record(
        conn,
        Some(moderator.user_id()),
        "exchange.split",
        &thread_target(thread.id),
        format!("thread:{new_id} {reason}").trim(),
    )?;
    self::thread(conn, ThreadId(new_id))?.ok_or(StoreError::NotFound)
}

/// Hides every visible or held post of `member` (a spammer's, in one action). Returns how
/// many were hidden.
pub fn hide_posts_of(
    conn: &mut DbConn,
    moderator: &User,
    member: UserId,
    reason: &str,
) -> StoreResult<usize> {
    let threads: Vec<i32> = ep::table
        .filter(ep::author_id.eq(member.0))
        .filter(ep::state.eq_any([PostState::Visible.as_str(), PostState::Pending.as_str()]))
        .select(ep::thread_id)
        .distinct()
        .load(conn)?;
    let hidden = diesel::update(
        ep::table
            .filter(ep::author_id.eq(member.0))
            .filter(ep::state.eq_any([PostState::Visible.as_str(), PostState::Pending.as_str()])),
    )
    .set((
        ep::state.eq(PostState::Hidden.as_str()),
        ep::hidden_reason.eq("moderator"),
    ))
    .execute(conn)?;
    for thread in threads {
        refresh_thread(conn, thread)?;
    }
    audit_log::record(
        conn,
        Some(moderator.user_id()),
        "exchange.hide_all",
        &format!("user:{}", member.0),
        format!("{hidden} {reason}").trim(),
    )?;
    Ok(hidden)
}

/// Suspends a member until `until` (`None` lifts the suspension), with a reason they see.
pub fn suspend(
    conn: &mut DbConn,
    moderator: &User,
    member: &User,
    until: Option<NaiveDateTime>,
    reason: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    if member.role() != Role::Member {
        return Err(StoreError::Forbidden);
    }
    diesel::update(u::table.find(member.id))
        .set((
            u::suspended_until.eq(until),
            u::suspension_reason.eq(if until.is_some() { reason } else { "" }),
        ))
        .execute(conn)?;
    let (action, detail) = match until {
        Some(until) => ("exchange.suspend", format!("{until} {reason}")),
        None => ("exchange.unsuspend", reason.to_owned()),
    };
    audit_log::record(
        conn,
        Some(moderator.user_id()),
        action,
        &format!("user:{}", member.id),
        detail.trim(),
    )?;
    if until.is_some() {
        notifications::notify(
            conn,
            member.user_id(),
            NotificationKind::Suspended,
            None,
            None,
            &moderator.name,
            now,
        )?;
    }
    Ok(())
}

/// Links a member to the organisation of the directory they speak for (`None` unlinks).
pub fn link_organisation(
    conn: &mut DbConn,
    moderator: &User,
    member: &User,
    entry: Option<i32>,
) -> StoreResult<()> {
    if let Some(entry) = entry {
        let found: i64 = entries::table
            .filter(entries::id.eq(entry))
            .count()
            .get_result(conn)?;
        if found == 0 {
            return Err(StoreError::NotFound);
        }
    }
    diesel::update(u::table.find(member.id))
        .set(u::organisation_id.eq(entry))
        .execute(conn)?;
    audit_log::record(
        conn,
        Some(moderator.user_id()),
        "exchange.organisation",
        &format!("user:{}", member.id),
        &entry.map_or_else(String::new, |e| format!("entry:{e}")),
    )?;
    Ok(())
}

/// When an account is deleted: its posts and threads are signed with the neutral name, or,
/// with `erase`, their text (and the titles of the threads it started) is erased.
pub fn forget_author(conn: &mut DbConn, user: UserId, erase: bool) -> StoreResult<()> {
    diesel::update(ep::table.filter(ep::author_id.eq(user.0)))
        .set(ep::author_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(et::table.filter(et::author_id.eq(user.0)))
        .set(et::author_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    if !erase {
        return Ok(());
    }
    let threads: Vec<i32> = ep::table
        .filter(ep::author_id.eq(user.0))
        .select(ep::thread_id)
        .distinct()
        .load(conn)?;
    let erased_ids: Vec<i32> = ep::table
        .filter(ep::author_id.eq(user.0))
        .select(ep::id)
        .load(conn)?;
    diesel::delete(epr::table.filter(epr::post_id.eq_any(&erased_ids))).execute(conn)?;
    diesel::update(ep::table.filter(ep::author_id.eq(user.0)))
        .set((
            ep::state.eq(PostState::Deleted.as_str()),
            ep::body.eq(""),
            ep::html.eq(""),
            ep::plain_text.eq(""),
            ep::open_reports.eq(0),
        ))
        .execute(conn)?;
    diesel::update(et::table.filter(et::author_id.eq(user.0)))
        .set(et::title.eq(""))
        .execute(conn)?;
    for thread in threads {
        refresh_thread(conn, thread)?;
    }
    Ok(())
}

/// A post waiting in the moderation queue, with its thread.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub post: Post,
    pub thread: Thread,
    /// Open reports, oldest first (empty for a held post).
    pub reports: Vec<Report>,
}

/// Which moderation queue: the agents' (the real exchange space) or a workshop's practice
/// space (its trainer's). Neither shows the other's posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOf {
    Site,
    Workshop(i32),
}

/// The moderation queue `of`, oldest first, after the post `after`: held posts (`reported`
/// = false) or posts with open reports.
pub fn queue(
    conn: &mut DbConn,
    of: QueueOf,
    reported: bool,
    after: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<QueueItem>> {
    let practice = Subject::Workshop(0).kind();
    let mut query = ep::table
        .inner_join(et::table)
        .order(ep::id.asc())
        .limit(limit)
        .select((Post::as_select(), Thread::as_select()))
        .into_boxed();
    query = match of {
        QueueOf::Site => query.filter(et::subject_kind.ne(practice)),
        QueueOf::Workshop(id) => query
            .filter(et::subject_kind.eq(practice))
            .filter(et::subject_id.eq(id)),
    };
    query = if reported {
        query.filter(ep::open_reports.gt(0))
    } else {
        query.filter(ep::state.eq(PostState::Pending.as_str()))
    };
    if let Some(after) = after {
        query = query.filter(ep::id.gt(after));
    }
    let rows: Vec<(Post, Thread)> = query.load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|(p, _)| p.id).collect();
    let mut reports: Vec<Report> = if reported && !ids.is_empty() {
        er::table
            .filter(er::post_id.eq_any(&ids))
            .filter(er::decided_at.is_null())
            .order(er::id.asc())
            .select(Report::as_select())
            .load(conn)?
    } else {
        Vec::new()
    };
    Ok(rows
        .into_iter()
        .map(|(post, thread)| {
            let (mine, rest): (Vec<Report>, Vec<Report>) =
                reports.drain(..).partition(|r| r.post_id == post.id);
            reports = rest;
            QueueItem {
                post,
                thread,
                reports: mine,
            }
        })
        .collect())
}

/// How many posts wait in the queue `of` (held, reported), counted up to `cap` each so
/// that the menu's badge costs the same with a long queue.
pub fn queue_counts(conn: &mut DbConn, of: QueueOf, cap: i64) -> StoreResult<(i64, i64)> {
    let practice = Subject::Workshop(0).kind();
    let waiting = || {
        let query = ep::table
            .inner_join(et::table)
            .select(ep::id)
            .limit(cap)
            .into_boxed();
        match of {
            QueueOf::Site => query.filter(et::subject_kind.ne(practice)),
            QueueOf::Workshop(id) => query
                .filter(et::subject_kind.eq(practice))
                .filter(et::subject_id.eq(id)),
        }
    };
    let held: Vec<i32> = waiting()
        .filter(ep::state.eq(PostState::Pending.as_str()))
        .load(conn)?;
    let reported: Vec<i32> = waiting().filter(ep::open_reports.gt(0)).load(conn)?;
    Ok((held.len() as i64, reported.len() as i64))
}

/// The latest moderation actions, newest first, with the name of who acted.
pub fn moderation_log(
    conn: &mut DbConn,
    limit: i64,
) -> StoreResult<Vec<(audit_log::AuditEntry, Option<String>)>> {
    use crate::schema::audit_log as al;
    Ok(al::table
        .left_join(u::table.on(al::actor_id.eq(u::id.nullable())))
        .filter(al::action.eq_any(MODERATION_ACTIONS))
        .order(al::id.desc())
        .limit(limit)
        .select((audit_log::AuditEntry::as_select(), u::name.nullable()))
        .load(conn)?)
}
