//! Notifications of the exchange space: one's notifications page (and what one follows),
//! marking them read, following and no longer following a thread, a category or a
//! discussion, the e-mail preferences of the account page, and the one-click unsubscribe
//! link of the messages.

use super::{ok, private, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views::accounts::OWN_PATH;
use crate::views::notifications::{
    self as views, FOLLOWS_PATH, FollowsView, NotificationsView, PATH, parse_target,
};
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::exchange::NotifyMail;
use lieu_core::{Permission, redirect};
use lieu_store::notifications::{self as store, Target};
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// Notifications on a page.
pub const PER_PAGE: i64 = 30;
/// Follows listed on their page at once.
pub const FOLLOWS_PER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    /// The oldest notification of the page before (its id).
    avant: String,
    fait: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FollowsQuery {
    /// The last follow of the page before (`thread:12`).
    apres: String,
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "lues" => Some("notifications.done.read"),
        _ => None,
    }
}

/// Cuts rows fetched one more than shown; the next page starts after the last one shown.
fn cut<T>(mut rows: Vec<T>, per: i64) -> (Vec<T>, Option<T>)
where
    T: Clone,
{
    let per = usize::try_from(per).unwrap_or(usize::MAX);
    if rows.len() > per {
        rows.truncate(per);
        let last = rows.last().cloned();
        (rows, last)
    } else {
        (rows, None)
    }
}

pub async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    let before = query.avant.trim().parse::<i32>().ok();
    let items = state
        .db(move |s| s.read(|c| store::listed_page(c, viewer, before, PER_PAGE + 1)))
        .await?;
    let (items, last) = cut(items, PER_PAGE);
    let next = last.map(|l| format!("{PATH}?avant={}", l.notification.id));
    Ok(private(ok(views::page(
        &ctx,
        &NotificationsView {
            items: &items,
            next,
            first_page: before.is_none(),
            notice: notice(&query.fait),
        },
    ))))
}

/// What one follows, a page of its own: a member who writes a lot follows hundreds of threads,
/// and the notifications page stays light on an old phone.
pub async fn follows_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<FollowsQuery>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    let after = parse_target(query.apres.trim());
    let follows = state
        .db(move |s| s.read(|c| store::follows(c, viewer, after, FOLLOWS_PER_PAGE + 1)))
        .await?;
    let (follows, last) = cut(follows, FOLLOWS_PER_PAGE);
    let next = last.map(|f| format!("{FOLLOWS_PATH}?apres={}", views::target_value(f.target)));
    Ok(private(ok(views::follows_page(
        &ctx,
        &FollowsView {
            follows: &follows,
            next,
            first_page: after.is_none(),
        },
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MarkReadData {
    csrf: String,
    /// The newest notification the page showed: those that came after stay unread.
    jusqua: String,
}

pub async fn mark_read(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<MarkReadData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let up_to = form.jusqua.trim().parse::<i32>().ok();
    let now = state.clock.now();
    state
        .db(move |s| s.write(|c| store::mark_read(c, viewer, up_to, now)))
        .await?;
    Ok(see_other(&format!("{PATH}?fait=lues")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FollowData {
    csrf: String,
    /// `thread:12`, `category:3`, `page:7` or `entry:5`.
    cible: String,
    /// Where to go back to.
    retour: String,
}

async fn set_following(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<FollowData>,
    follow: bool,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let target = parse_target(form.cible.trim()).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    state
        .db(move |s| s.write(|c| store::set_following(c, viewer, target, follow, now)))
        .await?;
    let back = redirect::local_path(&form.retour).unwrap_or_else(|| FOLLOWS_PATH.to_owned());
    Ok(see_other(&back))
}

pub async fn follow(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<FollowData>,
) -> Result<HttpResponse, AppError> {
    set_following(req, state, ctx, form, true).await
}

pub async fn unfollow(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<FollowData>,
) -> Result<HttpResponse, AppError> {
    set_following(req, state, ctx, form, false).await
}

/// Whether the viewer follows `target`: `None` when they cannot follow (anonymous, or a
/// workshop's participant), so that the page shows no button. For the pages of threads,
/// categories and discussions, beside [`views::follow_button`].
pub async fn following(
    state: &AppState,
    ctx: &PageCtx,
    target: Target,
) -> Result<Option<bool>, AppError> {
    let Some(viewer) = ctx
        .viewer
        .as_ref()
        .filter(|v| v.can(Permission::OwnAccount))
    else {
        return Ok(None);
    };
    let id = viewer.id;
    let following = state
        .db(move |s| s.read(|c| store::is_subscribed(c, id, target)))
        .await?;
    Ok(Some(following))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreferencesData {
    csrf: String,
    notify_mail: String,
}

/// The account page's e-mail preferences: a message per event, a daily digest, or none.
pub async fn preferences(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<PreferencesData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let Some(mode) = NotifyMail::parse(form.notify_mail.trim()) else {
        return Err(AppError::BadRequest("unknown e-mail preference".into()));
    };
    state
        .db(move |s| s.write(|c| store::set_notify_mail(c, viewer, mode)))
        .await?;
    Ok(see_other(&format!(
        "{OWN_PATH}?fait=notifications#notifications"
    )))
}

/// The key of an unsubscribe link, compared in constant time with the account's.
fn key_matches(sent: String) -> impl FnOnce(&str) -> bool {
    move |key: &str| bool::from(sent.as_bytes().ct_eq(key.as_bytes()))
}

/// The page of a one-click unsubscribe link: who it is for, and one button.
pub async fn unsubscribe_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    let (user, key) = path.into_inner();
    let action = views::unsubscribe_path(user, &key);
    let found = state
        .db(move |s| s.read(|c| store::by_mail_key(c, user, key_matches(key))))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(private(ok(views::unsubscribe_confirm(
        &ctx,
        &action,
        &found.email,
    ))))
}

/// The one-click unsubscribe (RFC 8058): mail programs post `List-Unsubscribe=One-Click`
/// here without a session or a CSRF token; the key in the link is the proof.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    let (user, key) = path.into_inner();
    let done = state
        .db(move |s| s.write(|c| store::unsubscribe_by_key(c, user, key_matches(key))))
        .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(private(ok(views::unsubscribed(&ctx))))
}
