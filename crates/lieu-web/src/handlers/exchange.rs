//! The exchange space: categories, the discussions of pages and entries, threads and their
//! posts, replies, edits, reports, chosen answers, a question turned into a wiki page, and
//! the moderators' actions on posts and threads.
//!
//! The same pages serve a workshop's practice space (`/ateliers/{id}/echanges`): there the
//! workshop's participants post and its trainer moderates, and no one else sees it (see
//! [`Standing`]).

use super::{html, ok, see_other};
use crate::error::AppError;
use crate::extract::{PageCtx, Viewer};
use crate::i18n::{t, t_fr};
use crate::state::AppState;
use crate::views::exchange::{
    self as views, Abilities, AdminForms, Sandbox, SpaceInfo, SpaceView, ThreadDraft, ThreadView,
    category_path, post_url, practice_path, thread_path,
};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::entry::Kind;
use lieu_core::exchange::{
    self as rules, PostState, ReportReason, Settings, Subject, ThreadKind, Trust,
};
use lieu_core::page::PageDraft;
use lieu_core::workshop::WorkshopId;
use lieu_core::{Invalid, Permission, PostId, Role, ThreadId, UserId};
use lieu_store::exchange::{
    self as store, Category, Decision, PostView, QueueOf, Thread, ThreadChange, ThreadCursor,
};
use lieu_store::models::users::{self, User};
use lieu_store::models::{entries, pages};
use lieu_store::workshops;
use lieu_store::{DbConn, StoreError};
use serde::Deserialize;

/// Threads per page of a space, posts per page of a thread: 30 posts make a page of some
/// 20 KB, light enough for an old phone (50 made 31 KB, and cost a third more to serve).
pub const THREADS_PER_PAGE: i64 = 30;
pub const POSTS_PER_PAGE: i64 = 30;

/// A space of threads, as found from its address.
#[derive(Debug, Clone)]
pub enum Space {
    Category(Category),
    Page {
        id: i32,
        slug: String,
        title: String,
    },
    Entry {
        id: i32,
        kind: Kind,
        slug: String,
        title: String,
    },
    /// A workshop's practice space; `runs`: the viewer runs the workshop.
    Workshop {
        id: i32,
        title: String,
        runs: bool,
    },
}

impl Space {
    pub fn subject(&self) -> Subject {
        match self {
            Space::Category(c) => Subject::Category(c.id),
            Space::Page { id, .. } => Subject::Page(*id),
            Space::Entry { id, .. } => Subject::Entry(*id),
            Space::Workshop { id, .. } => Subject::Workshop(*id),
        }
    }

    pub fn info(&self) -> SpaceInfo {
        match self {
            Space::Category(c) => SpaceInfo {
                title: c.name.clone(),
                description: c.description.clone(),
                path: category_path(&c.slug),
                about: None,
                feed: Some(format!("{}/atom.xml", category_path(&c.slug))),
                sandbox: None,
            },
            Space::Page { slug, title, .. } => SpaceInfo {
                title: format!("{} {title}", t("exchange.discussion_of")),
                description: t("exchange.page_discussion_intro").to_owned(),
                path: format!("/wiki/{slug}/discussion"),
                about: Some((title.clone(), format!("/wiki/{slug}"))),
                feed: None,
                sandbox: None,
            },
            Space::Entry {
                kind, slug, title, ..
            } => SpaceInfo {
                title: format!("{} {title}", t("exchange.discussion_of")),
                description: t("exchange.entry_discussion_intro").to_owned(),
                path: format!(
                    "{}/discussion",
                    crate::views::directory::entry_path(*kind, slug)
                ),
                about: Some((
                    title.clone(),
                    crate::views::directory::entry_path(*kind, slug),
                )),
                feed: None,
                sandbox: None,
            },
            Space::Workshop { id, title, runs } => SpaceInfo {
                title: t("exchange.practice_title").to_owned(),
                description: t("exchange.practice_intro").to_owned(),
                path: practice_path(*id),
                about: None,
                feed: None,
                sandbox: Some(Sandbox {
                    workshop: *id,
                    title: title.clone(),
                    runs: *runs,
                }),
            },
        }
    }
}

/// What the viewer may do in a space. In the real space their role decides; in a workshop's
/// practice space its participants post and its trainer (or an administrator) moderates,
/// and the space does not exist for anyone else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Standing {
    post: bool,
    moderate: bool,
}

/// The viewer's standing in `subject`; `NotFound` for a practice space that is not theirs.
fn standing(
    c: &mut DbConn,
    viewer: Option<&Viewer>,
    subject: Subject,
) -> Result<Standing, StoreError> {
    let Subject::Workshop(id) = subject else {
        return Ok(Standing {
            post: viewer.is_some_and(|v| v.can(Permission::Post)),
            moderate: viewer.is_some_and(|v| v.can(Permission::Moderate)),
        });
    };
    let viewer = viewer.ok_or(StoreError::NotFound)?;
    let workshop = workshops::by_id(c, WorkshopId(id))?.ok_or(StoreError::NotFound)?;
    let runs = viewer.can(Permission::RunWorkshops)
        && (viewer.role == Role::Admin || workshop.is_run_by(viewer.id));
    let seated = viewer.can(Permission::Practise)
        && workshops::seat_of(c, viewer.id)?.is_some_and(|(w, _)| w.id == id);
    if !runs && !seated {
        return Err(StoreError::NotFound);
    }
    Ok(Standing {
        post: true,
        moderate: runs,
    })
}

/// The viewer, logged in; anyone else is sent to log in.
fn signed_in(ctx: &PageCtx) -> Result<&Viewer, AppError> {
    ctx.viewer
        .as_ref()
        .ok_or_else(|| AppError::LoginRequired(ctx.path.clone()))
}

/// `Forbidden` unless `allowed`.
fn allow(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A thread and the viewer's standing where it lives.
async fn thread_standing(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
) -> Result<(Thread, Standing), AppError> {
    let viewer = viewer.clone();
    state
        .db(move |s| {
            s.read(|c| {
                let thread = store::thread(c, ThreadId(id))?.ok_or(StoreError::NotFound)?;
                let subject = thread.subject().ok_or(StoreError::NotFound)?;
                let standing = standing(c, Some(&viewer), subject)?;
                Ok((thread, standing))
            })
        })
        .await
}

/// A post, its thread, and the viewer's standing where they live.
async fn post_and_thread(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
) -> Result<(lieu_store::exchange::Post, Thread, Standing), AppError> {
    let viewer = viewer.clone();
    state
        .db(move |s| {
            s.read(|c| {
                let post = store::post(c, PostId(id))?.ok_or(StoreError::NotFound)?;
                let thread =
                    store::thread(c, ThreadId(post.thread_id))?.ok_or(StoreError::NotFound)?;
                let subject = thread.subject().ok_or(StoreError::NotFound)?;
                let standing = standing(c, Some(&viewer), subject)?;
                Ok((post, thread, standing))
            })
        })
        .await
}

/// Where a thread lives, read from the database (`runs`: the viewer runs the workshop of a
/// practice space); `None` for a subject that is gone.
fn space_of(c: &mut DbConn, subject: Subject, runs: bool) -> Result<Option<Space>, StoreError> {
    Ok(match subject {
        Subject::Category(id) => store::category_by_id(c, id)?.map(Space::Category),
        Subject::Page(id) => pages::by_id(c, lieu_core::PageId(id))?.map(|p| Space::Page {
            id: p.id,
            slug: p.slug,
            title: p.title,
        }),
        Subject::Entry(id) => entries::by_id(c, id)?.map(|e| Space::Entry {
            id: e.id,
            kind: e.kind(),
            slug: e.slug.clone(),
            title: e.title.clone(),
        }),
        Subject::Workshop(id) => workshops::by_id(c, WorkshopId(id))?.map(|w| Space::Workshop {
            id,
            title: w.title,
            runs,
        }),
    })
}

/// Which space an address names.
#[derive(Debug, Clone)]
enum SpaceKey {
    Category(String),
    Page(String),
    Entry(String, String),
    Workshop(String),
}

/// The space an address names, and the viewer's standing in it.
async fn find_space(
    state: &AppState,
    ctx: &PageCtx,
    key: SpaceKey,
) -> Result<(Space, Standing), AppError> {
    if matches!(key, SpaceKey::Workshop(_)) {
        signed_in(ctx)?;
    }
    let viewer = ctx.viewer.clone();
    state
        .db(move |s| {
            s.read(|c| {
                let found = match key {
                    SpaceKey::Category(slug) => store::category_by_slug(c, &slug)?
                        .filter(|cat| cat.archived == 0)
                        .map(Space::Category),
                    // A renamed page keeps its discussion under its old address too.
                    SpaceKey::Page(slug) => match lieu_store::wiki::find_page(c, &slug)? {
                        lieu_store::wiki::PageLookup::Found(p) => Some(*p),
                        lieu_store::wiki::PageLookup::Moved(to) => pages::by_slug(c, &to)?,
                        lieu_store::wiki::PageLookup::Missing => None,
                    }
                    .map(|p| Space::Page {
                        id: p.id,
                        slug: p.slug,
                        title: p.title,
                    }),
                    SpaceKey::Entry(segment, slug) => {
                        let kind = Kind::from_segment(&segment).ok_or(StoreError::NotFound)?;
                        entries::by_slug(c, &slug)?
                            .filter(|e| e.kind() == kind)
                            .map(|e| Space::Entry {
                                id: e.id,
                                kind,
                                slug: e.slug.clone(),
                                title: e.title.clone(),
                            })
                    }
                    SpaceKey::Workshop(id) => {
                        let id = id
                            .parse::<i32>()
                            .ok()
                            .filter(|n| *n > 0)
                            .ok_or(StoreError::NotFound)?;
                        let standing = standing(c, viewer.as_ref(), Subject::Workshop(id))?;
                        space_of(c, Subject::Workshop(id), standing.moderate)?
                    }
                };
                let space = found.ok_or(StoreError::NotFound)?;
                let standing = standing(c, viewer.as_ref(), space.subject())?;
                Ok((space, standing))
            })
        })
        .await
}

pub async fn home(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let categories = state
        .db(|s| s.read(|c| store::categories(c, false)))
        .await?;
    Ok(ok(views::home(&ctx, &categories)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SpaceQuery {
    #[serde(rename = "sans-reponse")]
    unanswered: String,
    /// The last thread of the previous page: `<unix seconds>-<id>`.
    apres: String,
}

fn parse_cursor(value: &str) -> Option<ThreadCursor> {
    let (at, id) = value.trim().split_once('-')?;
    let at = chrono::DateTime::from_timestamp(at.parse().ok()?, 0)?.naive_utc();
    Some(ThreadCursor {
        last_post_at: at,
        id: id.parse().ok()?,
    })
}

async fn list_space(
    state: &AppState,
    ctx: &PageCtx,
    key: SpaceKey,
    query: &SpaceQuery,
) -> Result<HttpResponse, AppError> {
    let (space, standing) = find_space(state, ctx, key).await?;
    let unanswered = !query.unanswered.is_empty();
    let after = parse_cursor(&query.apres);
    let subject = space.subject();
    let practice_queue = match subject {
        Subject::Workshop(id) if standing.moderate => Some(QueueOf::Workshop(id)),
        _ => None,
    };
    let (pinned, mut threads, practice_queue) = state
        .db(move |s| {
            s.read(|c| {
                let (pinned, threads) =
                    store::threads(c, subject, unanswered, after, THREADS_PER_PAGE + 1)?;
                let counts = match practice_queue {
                    Some(of) => Some(store::queue_counts(c, of, 100)?),
                    None => None,
                };
                Ok((pinned, threads, counts))
            })
        })
        .await?;
    let info = space.info();
    let target = lieu_store::notifications::Target::of_subject(subject);
    let follow = match target {
        Some(target) => super::notifications::following(state, ctx, target)
            .await?
            .map(|on| crate::views::notifications::follow_button(ctx, target, on, &info.path)),
        None => None,
    };
    let next = if threads.len() > THREADS_PER_PAGE as usize {
        threads.truncate(THREADS_PER_PAGE as usize);
        threads.last().map(|last| {
            format!(
                "{}?{}apres={}-{}",
                info.path,
                if unanswered { "sans-reponse=1&" } else { "" },
                last.last_post_at.and_utc().timestamp(),
                last.id
            )
        })
    } else {
        None
    };
    let page = views::space(
        ctx,
        &SpaceView {
            space: &info,
            pinned: &pinned,
            threads: &threads,
            unanswered,
            next,
            follow,
            can_post: standing.post,
            practice_queue,
        },
    );
    Ok(if subject.kind() == Subject::Workshop(0).kind() {
        super::private(ok(page))
    } else {
        ok(page)
    })
}

pub async fn category(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    query: web::Query<SpaceQuery>,
) -> Result<HttpResponse, AppError> {
    list_space(&state, &ctx, SpaceKey::Category(path.into_inner()), &query).await
}

pub async fn page_discussion(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    query: web::Query<SpaceQuery>,
) -> Result<HttpResponse, AppError> {
    list_space(&state, &ctx, SpaceKey::Page(path.into_inner()), &query).await
}

pub async fn entry_discussion(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    query: web::Query<SpaceQuery>,
) -> Result<HttpResponse, AppError> {
    let (segment, slug) = path.into_inner();
    list_space(&state, &ctx, SpaceKey::Entry(segment, slug), &query).await
}

/// `/ateliers/{id}/echanges`: a workshop's practice space.
pub async fn practice_space(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    query: web::Query<SpaceQuery>,
) -> Result<HttpResponse, AppError> {
    list_space(&state, &ctx, SpaceKey::Workshop(path.into_inner()), &query).await
}

/// The logged-in author as the store needs them, with the exchange settings.
async fn author(state: &AppState, viewer: &Viewer) -> Result<(User, Settings), AppError> {
    let id = viewer.id;
    state
        .db(move |s| {
            s.read(|c| {
                Ok((
                    users::by_id(c, id)?.ok_or(StoreError::NotFound)?,
                    store::settings(c)?,
                ))
            })
        })
        .await
}

/// The viewer's account, read in the transaction that acts for them.
fn account(c: &mut DbConn, id: UserId) -> Result<User, StoreError> {
    users::by_id(c, id)?.ok_or(StoreError::NotFound)
}

/// Why `user` cannot post now, as shown; `None` when they can.
fn blocked(user: &User, now: NaiveDateTime) -> Option<String> {
    if user.must_confirm_email() {
        return Some(t("exchange.email_unconfirmed").to_owned());
    }
    if let Some(until) = user.suspended_until.filter(|until| *until > now) {
        let mut text = format!(
            "{} {}.",
            t("exchange.suspended_until"),
            crate::views::format_datetime(until)
        );
        if !user.suspension_reason.is_empty() {
            text.push_str(&format!(
                " {} {}",
                t("exchange.suspension_reason"),
                user.suspension_reason
            ));
        }
        return Some(text);
    }
    None
}

fn held(user: &User, settings: &Settings) -> bool {
    rules::trust(user.role(), user.approved_posts, settings) == Trust::New
}

async fn new_thread_page(
    state: &AppState,
    ctx: &PageCtx,
    key: SpaceKey,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(ctx)?;
    let (space, standing) = find_space(state, ctx, key).await?;
    allow(standing.post)?;
    let (user, settings) = author(state, viewer).await?;
    let info = space.info();
    let blocked = blocked(&user, state.clock.now());
    let status = if blocked.is_some() {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::OK
    };
    Ok(html(
        status,
        views::new_thread(
            ctx,
            &info,
            &ThreadDraft::default(),
            None,
            held(&user, &settings),
            blocked.as_deref(),
        ),
    ))
}

pub async fn new_category_thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    new_thread_page(&state, &ctx, SpaceKey::Category(path.into_inner())).await
}

pub async fn new_page_thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    new_thread_page(&state, &ctx, SpaceKey::Page(path.into_inner())).await
}

pub async fn new_entry_thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (segment, slug) = path.into_inner();
    new_thread_page(&state, &ctx, SpaceKey::Entry(segment, slug)).await
}

pub async fn new_practice_thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    new_thread_page(&state, &ctx, SpaceKey::Workshop(path.into_inner())).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ThreadForm {
    csrf: String,
    title: String,
    kind: String,
    body: String,
}

/// Keeps what was typed, cut to a sane length, for a form shown again.
fn kept(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

async fn create_thread(
    req: &HttpRequest,
    state: &AppState,
    ctx: &PageCtx,
    key: SpaceKey,
    form: &ThreadForm,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(ctx)?.clone();
    let (space, standing) = find_space(state, ctx, key).await?;
    allow(standing.post)?;
    let expired = ctx.csrf_expired(req, &form.csrf)?;
    let info = space.info();
    let (user, settings) = author(state, &viewer).await?;
    let mut invalid = Invalid::default();
    if expired {
        invalid.add("body", "form_expired");
    }
    let title = rules::title(&form.title, &mut invalid);
    let body = rules::body(&form.body, &mut invalid);
    let kind = ThreadKind::parse(&form.kind).unwrap_or(ThreadKind::Discussion);
    let draft = ThreadDraft {
        title: kept(&form.title, 400),
        kind: kind.as_str().to_owned(),
        body: kept(&form.body, rules::BODY_MAX_CHARS + 100),
    };
    let is_held = held(&user, &settings);
    // A member suspended or unconfirmed reads why (the suspension's end and reason).
    let why = blocked(&user, state.clock.now());
    let rejected = |invalid: &Invalid| {
        html(
            StatusCode::BAD_REQUEST,
            views::new_thread(ctx, &info, &draft, Some(invalid), is_held, why.as_deref()),
        )
    };
    if !invalid.is_empty() {
        return Ok(rejected(&invalid));
    }
    let now = state.clock.now();
    let subject = space.subject();
    let created = state
        .db(move |s| {
            match s.write(|c| store::start_thread(c, &user, subject, &title, kind, &body, now)) {
                Err(StoreError::Invalid(invalid)) => Ok(Err(invalid)),
                other => other.map(Ok),
            }
        })
        .await?;
    match created {
        Err(invalid) => Ok(rejected(&invalid)),
        Ok((thread, post)) => {
            let done = if post.state() == PostState::Pending {
                "en-attente"
            } else {
                "publie"
            };
            Ok(see_other(&format!(
                "{}?fait={done}",
                thread_path(thread.id)
            )))
        }
    }
}

pub async fn create_category_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    form: web::Form<ThreadForm>,
) -> Result<HttpResponse, AppError> {
    create_thread(
        &req,
        &state,
        &ctx,
        SpaceKey::Category(path.into_inner()),
        &form,
    )
    .await
}

pub async fn create_page_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    form: web::Form<ThreadForm>,
) -> Result<HttpResponse, AppError> {
    create_thread(&req, &state, &ctx, SpaceKey::Page(path.into_inner()), &form).await
}

pub async fn create_entry_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<ThreadForm>,
) -> Result<HttpResponse, AppError> {
    let (segment, slug) = path.into_inner();
    create_thread(&req, &state, &ctx, SpaceKey::Entry(segment, slug), &form).await
}

pub async fn create_practice_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    form: web::Form<ThreadForm>,
) -> Result<HttpResponse, AppError> {
    create_thread(
        &req,
        &state,
        &ctx,
        SpaceKey::Workshop(path.into_inner()),
        &form,
    )
    .await
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct ThreadQuery {
    /// Posts after this one.
    apres: String,
    /// Posts before this one.
    avant: String,
    /// From this post on (a link to one post).
    message: String,
    /// The last page.
    fin: String,
    /// A post to quote in the reply form.
    citer: String,
    fait: String,
    erreur: String,
}

fn thread_notice(done: &str) -> Option<&'static str> {
    match done {
        "publie" => Some("exchange.done.published"),
        "en-attente" => Some("exchange.done.held"),
        "modifie" => Some("exchange.done.edited"),
        "signale" => Some("exchange.done.reported"),
        "deja-signale" => Some("exchange.done.already_reported"),
        "masque" => Some("exchange.done.hidden_by_reports"),
        "reponse" => Some("exchange.done.answer"),
        "decision" => Some("moderation.done"),
        "moderation" => Some("moderation.done"),
        _ => None,
    }
}

fn thread_problem(code: &str) -> Option<&'static str> {
    match code {
        "deja-decide" => Some("moderation.already_decided"),
        "modifie-entre-temps" => Some("exchange.changed_meanwhile"),
        _ => None,
    }
}

/// Everything a thread page shows.
struct Loaded {
    thread: Thread,
    space: Space,
    posts: Vec<PostView>,
    answer: Option<PostView>,
    more_before: bool,
    more_after: bool,
    user: Option<User>,
    settings: Settings,
    quote: Option<PostView>,
    wiki_page: Option<(String, String)>,
    categories: Vec<Category>,
    /// The viewer has unread notifications about this thread.
    unread: bool,
    standing: Standing,
}

/// Whether `reader` may open the thread: visible or erased for all; held or hidden for
/// its author and the moderators.
fn may_read(thread: &Thread, user: Option<UserId>, moderator: bool) -> bool {
    match thread.state() {
        PostState::Visible | PostState::Deleted => true,
        PostState::Pending | PostState::Hidden => {
            moderator || user.is_some_and(|u| thread.author_id == Some(u.0))
        }
    }
}

async fn load_thread(
    state: &AppState,
    ctx: &PageCtx,
    id: i32,
    query: ThreadQuery,
) -> Result<Loaded, AppError> {
    let who = ctx.viewer.clone();
    let viewer = ctx.viewer.as_ref().map(|v| v.id);
    let now = state.clock.now();
    let loaded = state
        .db(move |s| {
            s.read(|c| {
                let thread = store::thread(c, ThreadId(id))?.ok_or(StoreError::NotFound)?;
                let subject = thread.subject().ok_or(StoreError::NotFound)?;
                let standing = standing(c, who.as_ref(), subject)?;
                let moderator = standing.moderate;
                if !may_read(&thread, viewer, moderator) {
                    return Err(StoreError::NotFound);
                }
                let reader = store::Reader {
                    user: viewer,
                    moderator,
                };
                let space = space_of(c, subject, moderator)?.ok_or(StoreError::NotFound)?;
                let number = |v: &str| v.trim().parse::<i32>().ok();
                let (after, before) = if let Some(from) = number(&query.message) {
                    (Some(from.saturating_sub(1)), None)
                } else if !query.fin.is_empty() {
                    (None, Some(i32::MAX))
                } else {
                    (number(&query.apres), number(&query.avant))
                };
                let mut posts = store::posts(
                    c,
                    thread.thread_id(),
                    reader,
                    after,
                    before,
                    POSTS_PER_PAGE + 1,
                )?;
                let extra = posts.len() > POSTS_PER_PAGE as usize;
                let (more_before, more_after) = if before.is_some() {
                    if extra {
                        posts.remove(0);
                    }
                    (extra, before != Some(i32::MAX))
                } else {
                    posts.truncate(POSTS_PER_PAGE as usize);
                    (after.is_some(), extra)
                };
                let answer = match thread.answer_post_id {
                    Some(a) => store::post_view(c, PostId(a))?
                        .filter(|p| p.post.state() == PostState::Visible),
                    None => None,
                };
                let user = match viewer {
                    Some(v) => users::by_id(c, v)?,
                    None => None,
                };
                let unread = match viewer {
                    Some(v) => lieu_store::notifications::unread_in_thread(c, v, thread.id)?,
                    None => false,
                };
                let quote = match number(&query.citer) {
                    Some(q) => store::post_view(c, PostId(q))?.filter(|p| {
                        p.post.thread_id == thread.id && p.post.state() == PostState::Visible
                    }),
                    None => None,
                };
                let wiki_page = match thread.wiki_page_id {
                    Some(p) => pages::by_id(c, lieu_core::PageId(p))?
                        .map(|p| (p.title, format!("/wiki/{}", p.slug))),
                    None => None,
                };
                let categories = if moderator && !thread.is_practice() {
                    store::categories(c, false)?
                } else {
                    Vec::new()
                };
                Ok(Loaded {
                    settings: store::settings(c)?,
                    thread,
                    space,
                    posts,
                    answer,
                    more_before,
                    more_after,
                    user,
                    quote,
                    wiki_page,
                    categories,
                    unread,
                    standing,
                })
            })
        })
        .await?;
    if let Some(user) = viewer
        && loaded.unread
    {
        // Opening a thread reads its notifications (a write only when there are some).
        state
            .db(move |s| s.write(|c| lieu_store::notifications::mark_thread_read(c, user, id, now)))
            .await?;
    }
    Ok(loaded)
}

struct Typed<'a> {
    follow: Option<maud::Markup>,
    reply: Option<&'a str>,
    quote: Option<i32>,
    invalid: Option<&'a Invalid>,
    notice: Option<&'static str>,
    problem: Option<&'static str>,
}

fn render_thread(ctx: &PageCtx, now: NaiveDateTime, l: &Loaded, typed: &Typed<'_>) -> maud::Markup {
    let info = l.space.info();
    let path = thread_path(l.thread.id);
    let previous = if l.more_before {
        l.posts
            .first()
            .map(|p| format!("{path}?avant={}", p.post.id))
    } else {
        None
    };
    let next = if l.more_after {
        l.posts
            .last()
            .map(|p| format!("{path}?apres={}", p.post.id))
    } else {
        None
    };
    let can = Abilities {
        post: l.standing.post,
        moderate: l.standing.moderate,
        asker: l
            .user
            .as_ref()
            .is_some_and(|u| l.thread.author_id == Some(u.id)),
        viewer: l.user.as_ref().map(|u| u.id),
        blocked: l.user.as_ref().and_then(|u| blocked(u, now)),
        held: l.user.as_ref().is_some_and(|u| held(u, &l.settings)),
        edit_since: now.checked_sub_signed(TimeDelta::minutes(i64::from(l.settings.edit_minutes))),
    };
    let quoted;
    let reply = match (typed.reply, &l.quote) {
        (Some(text), _) => text,
        (None, Some(q)) => {
            quoted = rules::quote(&q.post.author_name, &q.post.body);
            quoted.as_str()
        }
        (None, None) => "",
    };
    views::thread(
        ctx,
        &ThreadView {
            thread: &l.thread,
            space: &info,
            posts: &l.posts,
            answer: l.answer.as_ref(),
            previous,
            next,
            can,
            reply,
            quote: typed.quote.or(l.quote.as_ref().map(|q| q.post.id)),
            invalid: typed.invalid,
            notice: typed.notice,
            problem: typed.problem,
            follow: typed.follow.clone(),
            wiki_page: l.wiki_page.clone(),
            categories: &l.categories,
        },
    )
}

pub async fn thread(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    query: web::Query<ThreadQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let query = query.into_inner();
    let notice = thread_notice(&query.fait);
    let problem = thread_problem(&query.erreur);
    let loaded = load_thread(&state, &ctx, id, query).await?;
    let target = lieu_store::notifications::Target::Thread(id);
    let follow = super::notifications::following(&state, &ctx, target)
        .await?
        .filter(|_| !loaded.thread.is_practice())
        .map(|on| crate::views::notifications::follow_button(&ctx, target, on, &thread_path(id)));
    let page = render_thread(
        &ctx,
        state.clock.now(),
        &loaded,
        &Typed {
            follow,
            reply: None,
            quote: None,
            invalid: None,
            notice,
            problem,
        },
    );
    let response = ok(page);
    Ok(if ctx.viewer.is_some() {
        super::private(response)
    } else {
        response
    })
}

/// `/echanges/message/{id}`: the post in its thread.
pub async fn post_link(
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let post = state
        .db(move |s| s.read(|c| store::post(c, PostId(id))?.ok_or(StoreError::NotFound)))
        .await?;
    Ok(see_other(&post_url(post.thread_id, post.id)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    csrf: String,
    body: String,
    /// The post the reply quotes (the form opened by "Citer").
    quote: String,
}

pub async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<ReplyForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?.clone();
    let id = path.into_inner();
    let (_, standing) = thread_standing(&state, &viewer, id).await?;
    allow(standing.post)?;
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let mut invalid = Invalid::default();
    if expired {
        invalid.add("body", "form_expired");
    }
    let body = rules::body(&form.body, &mut invalid);
    let moderator = standing.moderate;
    let now = state.clock.now();
    let result = if invalid.is_empty() {
        let quote = form.quote.trim().parse::<i32>().ok().map(PostId);
        state
            .db(move |s| {
                match s.write(|c| {
                    let user = account(c, viewer.id)?;
                    store::reply(c, &user, ThreadId(id), &body, quote, moderator, now)
                }) {
                    Err(StoreError::Invalid(invalid)) => Ok(Err(invalid)),
                    other => other.map(Ok),
                }
            })
            .await?
    } else {
        Err(invalid)
    };
    match result {
        Ok(post) => {
            let done = if post.state() == PostState::Pending {
                "en-attente"
            } else {
                "publie"
            };
            Ok(see_other(&format!(
                "{}?message={}&fait={done}#message-{}",
                thread_path(id),
                post.id,
                post.id
            )))
        }
        Err(invalid) => {
            let loaded = load_thread(
                &state,
                &ctx,
                id,
                ThreadQuery {
                    fin: "1".into(),
                    ..ThreadQuery::default()
                },
            )
            .await?;
            let typed = kept(&form.body, rules::BODY_MAX_CHARS + 100);
            Ok(html(
                StatusCode::BAD_REQUEST,
                render_thread(
                    &ctx,
                    now,
                    &loaded,
                    &Typed {
                        follow: None,
                        reply: Some(&typed),
                        quote: form.quote.trim().parse().ok(),
                        invalid: Some(&invalid),
                        notice: None,
                        problem: None,
                    },
                ),
            ))
        }
    }
}

pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?;
    let (post, thread, standing) = post_and_thread(&state, viewer, path.into_inner()).await?;
    allow(standing.post)?;
    let moderator = standing.moderate;
    if !moderator && !post.is_by(viewer.id) || post.state() == PostState::Deleted {
        return Err(AppError::Forbidden);
    }
    Ok(super::private(ok(views::edit_form(
        &ctx, &thread, &post, &post.body, None, None,
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    csrf: String,
    version: String,
    body: String,
}

pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<EditForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?.clone();
    let id = path.into_inner();
    let (post, thread, standing) = post_and_thread(&state, &viewer, id).await?;
    allow(standing.post)?;
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let mut invalid = Invalid::default();
    if expired {
        invalid.add("body", "form_expired");
    }
    let body = rules::body(&form.body, &mut invalid);
    let version: i32 = form.version.trim().parse().unwrap_or(-1);
    let moderator = standing.moderate;
    let typed = kept(&form.body, rules::BODY_MAX_CHARS + 100);
    let shown = |invalid: Option<&Invalid>, problem: Option<&'static str>, status| {
        html(
            status,
            views::edit_form(&ctx, &thread, &post, &typed, invalid, problem),
        )
    };
    if !invalid.is_empty() {
        return Ok(shown(Some(&invalid), None, StatusCode::BAD_REQUEST));
    }
    let now = state.clock.now();
    let result = state
        .db(move |s| {
            match s.write(|c| {
                let user = account(c, viewer.id)?;
                store::edit_post(c, &user, moderator, PostId(id), version, &body, now)
            }) {
                Err(StoreError::Invalid(invalid)) => Ok(Err(Some(invalid))),
                Err(StoreError::Conflict) => Ok(Err(None)),
                other => other.map(Ok),
            }
        })
        .await?;
    match result {
        Ok(post) => Ok(see_other(&format!(
            "{}?message={}&fait=modifie#message-{}",
            thread_path(post.thread_id),
            post.id,
            post.id
        ))),
        Err(Some(invalid)) => Ok(shown(Some(&invalid), None, StatusCode::BAD_REQUEST)),
        Err(None) => Ok(shown(
            None,
            Some("exchange.changed_meanwhile"),
            StatusCode::CONFLICT,
        )),
    }
}

pub async fn history(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?;
    let id = path.into_inner();
    let (post, thread, standing) = post_and_thread(&state, viewer, id).await?;
    allow(standing.moderate)?;
    let revisions = state
        .db(move |s| s.read(|c| store::post_history(c, PostId(id))))
        .await?;
    Ok(super::private(ok(views::history(
        &ctx, &thread, &post, &revisions,
    ))))
}

async fn reportable(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
) -> Result<(PostView, Thread), AppError> {
    let (post, thread, standing) = post_and_thread(state, viewer, id).await?;
    allow(standing.post)?;
    if post.state() != PostState::Visible || post.is_by(viewer.id) {
        return Err(AppError::NotFound);
    }
    let view = state
        .db(move |s| s.read(|c| store::post_view(c, PostId(id))?.ok_or(StoreError::NotFound)))
        .await?;
    Ok((view, thread))
}

pub async fn report_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?;
    let (post, thread) = reportable(&state, viewer, path.into_inner()).await?;
    Ok(super::private(ok(views::report_form(
        &ctx, &thread, &post, "", "", None,
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    csrf: String,
    reason: String,
    detail: String,
}

pub async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<ReportForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?.clone();
    let id = path.into_inner();
    let (post, thread) = reportable(&state, &viewer, id).await?;
    // An expired form comes back with what was typed, to be sent again.
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let mut invalid = Invalid::default();
    if expired {
        invalid.add("detail", "form_expired");
    }
    let reason = ReportReason::parse(&form.reason);
    if reason.is_none() {
        invalid.add("reason", "report.reason_required");
    }
    let detail = rules::reason(
        &form.detail,
        "detail",
        reason == Some(ReportReason::Other),
        &mut invalid,
    );
    let (Some(reason), true) = (reason, invalid.is_empty()) else {
        return Ok(html(
            StatusCode::BAD_REQUEST,
            views::report_form(
                &ctx,
                &thread,
                &post,
                &form.reason,
                &kept(&form.detail, 1200),
                Some(&invalid),
            ),
        ));
    };
    let now = state.clock.now();
    let outcome = state
        .db(move |s| {
            s.write(|c| {
                let user = account(c, viewer.id)?;
                store::report(c, &user, PostId(id), reason, &detail, now)
            })
        })
        .await?;
    let done = match outcome {
        store::Reported::Recorded => "signale",
        store::Reported::AlreadyReported => "deja-signale",
        store::Reported::Hidden => "masque",
    };
    Ok(see_other(&format!(
        "{}?fait={done}",
        thread_path(thread.id)
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    csrf: String,
    post: String,
}

pub async fn mark_answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?.clone();
    let id = path.into_inner();
    let (_, standing) = thread_standing(&state, &viewer, id).await?;
    allow(standing.post)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let answer = form.post.trim().parse::<i32>().ok().map(PostId);
    if !form.post.trim().is_empty() && answer.is_none() {
        return Err(AppError::BadRequest("post".into()));
    }
    let moderator = standing.moderate;
    let now = state.clock.now();
    state
        .db(move |s| {
            s.write(|c| {
                let user = account(c, viewer.id)?;
                store::mark_answer(c, &user, moderator, ThreadId(id), answer, now)
            })
        })
        .await?;
    Ok(see_other(&format!("{}?fait=reponse", thread_path(id))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
    reason: String,
    back: String,
}

pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?.clone();
    let id = path.into_inner();
    let (_, thread, standing) = post_and_thread(&state, &viewer, id).await?;
    allow(standing.moderate)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        "hide" => Decision::Hide,
        "restore" => Decision::Restore,
        "hide_reported" => Decision::HideReported,
        "keep_reported" => Decision::KeepReported,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let mut invalid = Invalid::default();
    let reason = rules::reason(&form.reason, "reason", false, &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let now = state.clock.now();
    let done = state
        .db(move |s| {
            match s.write(|c| {
                let user = account(c, viewer.id)?;
                store::decide(c, &user, PostId(id), decision, &reason, now)
            }) {
                Err(StoreError::Conflict) => Ok(false),
                other => other.map(|()| true),
            }
        })
        .await?;
    let back =
        lieu_core::redirect::local_path(&form.back).unwrap_or_else(|| match thread.subject() {
            Some(Subject::Workshop(w)) => views::practice_queue_path(w),
            _ => crate::views::moderation::QUEUE_PATH.to_owned(),
        });
    let (path, fragment) = back
        .split_once('#')
        .map_or((back.as_str(), ""), |(p, f)| (p, f));
    let sep = if path.contains('?') { '&' } else { '?' };
    let flag = if done {
        "fait=decision"
    } else {
        "erreur=deja-decide"
    };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    Ok(see_other(&format!("{path}{sep}{flag}{fragment}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModerateForm {
    csrf: String,
    version: String,
    action: String,
    reason: String,
    category: String,
}

pub async fn moderate(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<ModerateForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = signed_in(&ctx)?.clone();
    let id = path.into_inner();
    let (_, standing) = thread_standing(&state, &viewer, id).await?;
    allow(standing.moderate)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let change = match form.action.as_str() {
        "lock" => ThreadChange::Lock(true),
        "unlock" => ThreadChange::Lock(false),
        "pin" => ThreadChange::Pin(true),
        "unpin" => ThreadChange::Pin(false),
        "move" => match form.category.trim().parse::<i32>() {
            Ok(category) => ThreadChange::Move(category),
            Err(_) => {
                return Err(AppError::Invalid(Invalid::single(
                    "category",
                    "moderation.category_required",
                )));
            }
        },
        _ => return Err(AppError::BadRequest("action".into())),
    };
    let version: i32 = form.version.trim().parse().unwrap_or(-1);
    let mut invalid = Invalid::default();
    let reason = rules::reason(&form.reason, "reason", false, &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let done = state
        .db(move |s| {
            match s.write(|c| {
                let user = account(c, viewer.id)?;
                store::change_thread(c, &user, ThreadId(id), version, change, &reason)
            }) {
                Err(StoreError::Conflict) => Ok(false),
                other => other.map(|()| true),
            }
        })
        .await?;
    let flag = if done {
        "fait=moderation"
    } else {
        "erreur=modifie-entre-temps"
    };
    Ok(see_other(&format!("{}?{flag}", thread_path(id))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SplitQuery {
    depuis: String,
}

async fn split_context(
    state: &AppState,
    thread_id: i32,
    from: i32,
) -> Result<(Thread, lieu_store::exchange::Post, Vec<Category>), AppError> {
    state
        .db(move |s| {
            s.read(|c| {
                let thread = store::thread(c, ThreadId(thread_id))?.ok_or(StoreError::NotFound)?;
                let post = store::post(c, PostId(from))?.ok_or(StoreError::NotFound)?;
                if post.thread_id != thread.id
                    || thread.first_post_id == Some(post.id)
                    || thread.is_practice()
                {
                    return Err(StoreError::NotFound);
                }
                Ok((thread, post, store::categories(c, false)?))
            })
        })
        .await
}

pub async fn split_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    query: web::Query<SplitQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::Moderate)?;
    let from = query
        .depuis
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::NotFound)?;
    let (thread, post, categories) = split_context(&state, path.into_inner(), from).await?;
    let category = match thread.subject() {
        Some(Subject::Category(c)) => c.to_string(),
        _ => String::new(),
    };
    Ok(super::private(ok(views::split_form(
        &ctx,
        &thread,
        &post,
        "",
        &category,
        &categories,
        None,
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SplitForm {
    csrf: String,
    from: String,
    title: String,
    category: String,
    reason: String,
}

pub async fn split(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<SplitForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Moderate)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = path.into_inner();
    let from = form
        .from
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::NotFound)?;
    let (thread, post, categories) = split_context(&state, id, from).await?;
    let mut invalid = Invalid::default();
    let title = rules::title(&form.title, &mut invalid);
    let category = form
        .category
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| categories.iter().any(|k| k.id == *c));
    if category.is_none() {
        invalid.add("category", "moderation.category_required");
    }
    let reason = rules::reason(&form.reason, "reason", false, &mut invalid);
    let (Some(category), true) = (category, invalid.is_empty()) else {
        return Ok(html(
            StatusCode::BAD_REQUEST,
            views::split_form(
                &ctx,
                &thread,
                &post,
                &kept(&form.title, 400),
                &form.category,
                &categories,
                Some(&invalid),
            ),
        ));
    };
    let now = state.clock.now();
    let created = state
        .db(move |s| {
            s.write(|c| {
                let user = account(c, viewer.id)?;
                store::split_thread(
                    c,
                    &user,
                    ThreadId(id),
                    &store::Split {
                        from: PostId(from),
                        title: &title,
                        category,
                        reason: &reason,
                    },
                    now,
                )
            })
        })
        .await?;
    Ok(see_other(&format!(
        "{}?fait=moderation",
        thread_path(created.id)
    )))
}

/// The wiki page an answered question suggests: the question, the chosen answer, and a link
/// to the thread.
fn page_draft(thread: &Thread, question: &str, answer: &str, base: &str) -> String {
    format!(
        "## {}\n\n{}\n\n## {}\n\n{}\n\n---\n\n{} [{}]({base}{})\n",
        t_fr("exchange.page.question"),
        question.trim(),
        t_fr("exchange.page.answer"),
        answer.trim(),
        t_fr("exchange.page.source"),
        views::thread_title(thread),
        thread_path(thread.id),
    )
}

async fn answered(state: &AppState, id: i32) -> Result<(Thread, String, String), AppError> {
    state
        .db(move |s| {
            s.read(|c| {
                let thread = store::thread(c, ThreadId(id))?.ok_or(StoreError::NotFound)?;
                let (Some(first), Some(answer)) = (thread.first_post_id, thread.answer_post_id)
                else {
                    return Err(StoreError::NotFound);
                };
                if thread.is_practice() || thread.wiki_page_id.is_some() {
                    return Err(StoreError::NotFound);
                }
                let question = store::post(c, PostId(first))?.ok_or(StoreError::NotFound)?;
                let answer = store::post(c, PostId(answer))?.ok_or(StoreError::NotFound)?;
                Ok((thread, question.body, answer.body))
            })
        })
        .await
}

pub async fn to_page_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::Moderate)?;
    ctx.require(Permission::EditPages)?;
    let (thread, question, answer) = answered(&state, path.into_inner()).await?;
    let body = page_draft(&thread, &question, &answer, &state.config.base_url);
    Ok(super::private(ok(views::to_page_form(
        &ctx,
        &thread,
        &thread.title,
        &body,
        None,
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ToPageForm {
    csrf: String,
    title: String,
    body: String,
}

pub async fn to_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<ToPageForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Moderate)?.clone();
    ctx.require(Permission::EditPages)?;
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let id = path.into_inner();
    let (thread, _, _) = answered(&state, id).await?;
    let shown = |invalid: &Invalid| {
        html(
            StatusCode::BAD_REQUEST,
            views::to_page_form(
                &ctx,
                &thread,
                &kept(&form.title, 400),
                &kept(&form.body, 200_000),
                Some(invalid),
            ),
        )
    };
    let draft = PageDraft {
        title: form.title.clone(),
        body: form.body.clone(),
        summary: t_fr("exchange.page.summary").to_owned(),
    };
    let page = match draft.validate() {
        Ok(page) if !expired => page,
        Ok(_) => return Ok(shown(&Invalid::single("body", "form_expired"))),
        Err(invalid) => return Ok(shown(&invalid)),
    };
    let author = viewer.author(state.clock.now());
    let created = state
        .db(
            move |s| match s.write(|c| store::thread_to_page(c, ThreadId(id), &page, &author)) {
                Err(StoreError::SlugTaken(_)) => Ok(None),
                other => other.map(Some),
            },
        )
        .await?;
    let Some(created) = created else {
        return Ok(shown(&Invalid::single("title", "title_taken")));
    };
    state.pages.invalidate_all();
    Ok(see_other(&format!("/wiki/{}", created.slug)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    file: String,
    apres: String,
    fait: String,
    erreur: String,
}

pub async fn queue(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::Moderate)?;
    moderation_queue(&state, &ctx, QueueOf::Site, &query).await
}

/// `/ateliers/{id}/echanges/moderation`: the trainer's queue of the practice space.
pub async fn practice_queue(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<String>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let (space, standing) = find_space(&state, &ctx, SpaceKey::Workshop(path.into_inner())).await?;
    allow(standing.moderate)?;
    let Subject::Workshop(id) = space.subject() else {
        return Err(AppError::NotFound);
    };
    moderation_queue(&state, &ctx, QueueOf::Workshop(id), &query).await
}

async fn moderation_queue(
    state: &AppState,
    ctx: &PageCtx,
    of: QueueOf,
    query: &QueueQuery,
) -> Result<HttpResponse, AppError> {
    let reported = query.file == "signalements";
    let after = query.apres.trim().parse::<i32>().ok();
    let (mut items, (held_count, reported_count), log) = state
        .db(move |s| {
            s.read(|c| {
                let log = match of {
                    QueueOf::Site => Some(store::moderation_log(c, 30)?),
                    QueueOf::Workshop(_) => None,
                };
                Ok((
                    store::queue(c, of, reported, after, THREADS_PER_PAGE + 1)?,
                    store::queue_counts(c, of, 100)?,
                    log,
                ))
            })
        })
        .await?;
    let (workshop, path) = match of {
        QueueOf::Site => (None, crate::views::moderation::QUEUE_PATH.to_owned()),
        QueueOf::Workshop(w) => (Some(w), views::practice_queue_path(w)),
    };
    let base = if reported {
        format!("{path}?file=signalements")
    } else {
        path
    };
    let next = if items.len() > THREADS_PER_PAGE as usize {
        items.truncate(THREADS_PER_PAGE as usize);
        let sep = if base.contains('?') { '&' } else { '?' };
        items
            .last()
            .map(|i| format!("{base}{sep}apres={}", i.post.id))
    } else {
        None
    };
    Ok(super::private(ok(crate::views::moderation::queue(
        ctx,
        &crate::views::moderation::QueueView {
            workshop,
            reported,
            items: &items,
            next,
            held_count,
            reported_count,
            log: log.as_deref(),
            notice: thread_notice(&query.fait),
            problem: thread_problem(&query.erreur),
            back: &base,
        },
    ))))
}

async fn admin_page(
    state: &AppState,
    ctx: &PageCtx,
    forms: Option<AdminForms>,
    settings_invalid: Option<&Invalid>,
    category_invalid: Option<&Invalid>,
    notice: Option<&'static str>,
) -> Result<maud::Markup, AppError> {
    let (categories, settings) = state
        .db(|s| s.read(|c| Ok((store::categories(c, true)?, store::settings(c)?))))
        .await?;
    let forms = forms.unwrap_or_else(|| AdminForms {
        held_posts: settings.held_posts.to_string(),
        edit_minutes: settings.edit_minutes.to_string(),
        report_threshold: settings.report_threshold.to_string(),
        posts_per_hour: settings.new_member_posts_per_hour.to_string(),
        ..AdminForms::default()
    });
    Ok(views::admin(
        ctx,
        &categories,
        &forms,
        settings_invalid,
        category_invalid,
        notice,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdminQuery {
    fait: String,
}

pub async fn admin(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<AdminQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::ManageExchange)?;
    let notice = (!query.fait.is_empty()).then_some("exchange.admin.saved");
    Ok(super::private(ok(admin_page(
        &state, &ctx, None, None, None, notice,
    )
    .await?)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    held_posts: String,
    edit_minutes: String,
    report_threshold: String,
    new_member_posts_per_hour: String,
}

pub async fn save_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageExchange)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    match Settings::parse(
        &form.held_posts,
        &form.edit_minutes,
        &form.report_threshold,
        &form.new_member_posts_per_hour,
    ) {
        Ok(settings) => {
            let now = state.clock.now();
            state
                .db(move |s| s.write(|c| store::save_settings(c, &settings, viewer.id, now)))
                .await?;
            Ok(see_other(&format!("{}?fait=1", views::ADMIN_PATH)))
        }
        Err(invalid) => {
            let forms = AdminForms {
                held_posts: kept(&form.held_posts, 20),
                edit_minutes: kept(&form.edit_minutes, 20),
                report_threshold: kept(&form.report_threshold, 20),
                posts_per_hour: kept(&form.new_member_posts_per_hour, 20),
                ..AdminForms::default()
            };
            Ok(html(
                StatusCode::BAD_REQUEST,
                admin_page(&state, &ctx, Some(forms), Some(&invalid), None, None).await?,
            ))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CategoryFormData {
    csrf: String,
    name: String,
    description: String,
    position: String,
    archived: String,
}

fn category_form(form: &CategoryFormData, invalid: &mut Invalid) -> store::CategoryForm {
    let (name, description) = rules::category(&form.name, &form.description, invalid);
    store::CategoryForm {
        name,
        description,
        position: form
            .position
            .trim()
            .parse::<i32>()
            .unwrap_or(0)
            .clamp(-1000, 1000),
        archived: !form.archived.is_empty(),
    }
}

async fn category_rejected(
    state: &AppState,
    ctx: &PageCtx,
    form: &CategoryFormData,
    invalid: &Invalid,
) -> Result<HttpResponse, AppError> {
    let forms = AdminForms {
        name: kept(&form.name, 200),
        description: kept(&form.description, 1000),
        ..AdminForms::default()
    };
    let page = admin_page(state, ctx, Some(forms), None, Some(invalid), None).await?;
    Ok(html(StatusCode::BAD_REQUEST, page))
}

pub async fn create_category(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<CategoryFormData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageExchange)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let mut invalid = Invalid::default();
    let category = category_form(&form, &mut invalid);
    if !invalid.is_empty() {
        return category_rejected(&state, &ctx, &form, &invalid).await;
    }
    let now = state.clock.now();
    let created = state
        .db(
            move |s| match s.write(|c| store::create_category(c, &category, viewer.id, now)) {
                Err(StoreError::SlugTaken(_)) => Ok(None),
                other => other.map(Some),
            },
        )
        .await?;
    if created.is_none() {
        let invalid = Invalid::single("name", "exchange.admin.name_taken");
        return category_rejected(&state, &ctx, &form, &invalid).await;
    }
    Ok(see_other(&format!("{}?fait=1", views::ADMIN_PATH)))
}

pub async fn update_category(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<i32>,
    form: web::Form<CategoryFormData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageExchange)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = path.into_inner();
    let mut invalid = Invalid::default();
    let category = category_form(&form, &mut invalid);
    if !invalid.is_empty() {
        let page = admin_page(&state, &ctx, None, None, Some(&invalid), None).await?;
        return Ok(html(StatusCode::BAD_REQUEST, page));
    }
    state
        .db(move |s| s.write(|c| store::update_category(c, id, &category, viewer.id)))
        .await?;
    Ok(see_other(&format!("{}?fait=1", views::ADMIN_PATH)))
}
