//! One's own account (`/compte`): name and address, password, what one watches, one's own
//! recent edits, deleting the account; and the watch button of pages and entries.

use super::auth::{hash_password, open_session, signed_in, spend_attempt, verify_password};
use super::{html, ok, see_other};
use crate::error::AppError;
use crate::extract::{self, PageCtx, Viewer};
use crate::state::AppState;
use crate::views::accounts::{self as views, OWN_PATH, OwnView};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::{Invalid, Permission, account, redirect};
use lieu_store::StoreError;
use lieu_store::accounts::{self as store, OwnEdit};
use lieu_store::models::users::{self, User};
use lieu_store::watches::{self, Target, Watched};
use serde::Deserialize;

/// Rows of each list of the page.
pub const PER_LIST: i64 = 20;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OwnQuery {
    fait: String,
    /// Cursors of the three lists: the last watch shown (`page:12`), the last revision ids.
    suivis: String,
    pages: String,
    fiches: String,
}

fn own_notice(done: &str) -> Option<&'static str> {
    match done {
        "bienvenue" => Some("account.done.welcome"),
        "profil" => Some("account.done.profile"),
        "mot-de-passe" => Some("account.done.password"),
        "role" => Some("accounts.done.role"),
        // The e-mail preferences of the exchange space (issue 12).
        "notifications" => Some("preferences.done"),
        "adresse-confirmee" => Some("account.done.confirmed"),
        "lien-envoye" => Some("account.done.link_sent"),
        "deja-confirmee" => Some("account.done.already_confirmed"),
        _ => None,
    }
}

fn parse_target(value: &str) -> Option<Target> {
    let (kind, id) = value.split_once(':')?;
    Target::from_parts(kind, id.parse().ok()?)
}

struct Lists {
    user: User,
    watched: Vec<Watched>,
    watched_next: Option<String>,
    page_edits: Vec<OwnEdit>,
    page_edits_next: Option<String>,
    entry_edits: Vec<OwnEdit>,
    entry_edits_next: Option<String>,
}

/// Cuts a list fetched with one row more than shown, and gives the address of the next part.
fn paged<T>(mut rows: Vec<T>, next: impl Fn(&T) -> String) -> (Vec<T>, Option<String>) {
    let per = usize::try_from(PER_LIST).unwrap_or(20);
    if rows.len() > per {
        rows.truncate(per);
        let url = rows.last().map(next);
        (rows, url)
    } else {
        (rows, None)
    }
}

async fn load(state: &AppState, viewer: &Viewer, query: &OwnQuery) -> Result<Lists, AppError> {
    let id = viewer.id;
    let after_watch = parse_target(query.suivis.trim());
    let before_page = query.pages.trim().parse::<i32>().ok();
    let before_entry = query.fiches.trim().parse::<i32>().ok();
    let (user, watched, page_edits, entry_edits) = state
        .db(move |s| {
            s.read(|c| {
                Ok((
                    users::by_id(c, id)?.ok_or(StoreError::NotFound)?,
                    watches::of_user(c, id, after_watch, PER_LIST + 1)?,
                    store::own_page_edits(c, id, before_page, PER_LIST + 1)?,
                    store::own_entry_edits(c, id, before_entry, PER_LIST + 1)?,
                ))
            })
        })
        .await?;
    let (watched, watched_next) = paged(watched, |w| {
        format!(
            "{OWN_PATH}?suivis={}:{}#suivis",
            w.target.kind(),
            w.target.id()
        )
    });
    let (page_edits, page_edits_next) = paged(page_edits, |e| format!("{OWN_PATH}?pages={}", e.id));
    let (entry_edits, entry_edits_next) =
        paged(entry_edits, |e| format!("{OWN_PATH}?fiches={}", e.id));
    Ok(Lists {
        user,
        watched,
        watched_next,
        page_edits,
        page_edits_next,
        entry_edits,
        entry_edits_next,
    })
}

/// The account page, with what was typed and what was wrong in one of its forms.
struct Shown<'a> {
    name: &'a str,
    email: &'a str,
    profile_invalid: Option<&'a Invalid>,
    password_invalid: Option<&'a Invalid>,
    notice: Option<&'static str>,
}

fn page(
    ctx: &PageCtx,
    lists: &Lists,
    shown: &Shown<'_>,
    now: chrono::NaiveDateTime,
) -> maud::Markup {
    views::own(
        ctx,
        &OwnView {
            user: &lists.user,
            name: shown.name,
            email: shown.email,
            profile_invalid: shown.profile_invalid,
            password_invalid: shown.password_invalid,
            notice: shown.notice,
            now,
            watched: &lists.watched,
            watched_next: lists.watched_next.clone(),
            page_edits: &lists.page_edits,
            page_edits_next: lists.page_edits_next.clone(),
            entry_edits: &lists.entry_edits,
            entry_edits_next: lists.entry_edits_next.clone(),
        },
    )
}

pub async fn show(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<OwnQuery>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?;
    let lists = load(&state, viewer, &query).await?;
    let (name, email) = (lists.user.name.clone(), lists.user.email.clone());
    Ok(ok(page(
        &ctx,
        &lists,
        &Shown {
            name: &name,
            email: &email,
            profile_invalid: None,
            password_invalid: None,
            notice: own_notice(&query.fait),
        },
        state.clock.now(),
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileData {
    csrf: String,
    name: String,
    email: String,
    current: String,
}

/// Whether `password` is `user`'s, spending an attempt of the login budget (a stolen session
/// must not be a way to try passwords freely).
async fn check_current(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    password: &str,
) -> Result<bool, AppError> {
    spend_attempt(&state.login_limiter, req, state, &user.email)?;
    verify_password(password.to_owned(), user.password_hash.clone()).await
}

pub async fn update_profile(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ProfileData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let lists = load(&state, &viewer, &OwnQuery::default()).await?;
    let user = lists.user.clone();
    let mut invalid = Invalid::default();
    let name = account::name(&form.name, &mut invalid);
    let email = account::email(&form.email, "email", &mut invalid);
    let email_changes = invalid.is_empty() && email != user.email;
    if email_changes && !check_current(&req, &state, &user, &form.current).await? {
        invalid.add("current", "password.wrong_current");
    }
    let rejected = |invalid: &Invalid| {
        let (typed_name, typed_email): (String, String) = (
            form.name.chars().take(200).collect(),
            form.email.chars().take(300).collect(),
        );
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
                &lists,
                &Shown {
                    name: &typed_name,
                    email: &typed_email,
                    profile_invalid: Some(invalid),
                    password_invalid: None,
                    notice: None,
                },
                state.clock.now(),
            ),
        )
    };
    if !invalid.is_empty() {
        return Ok(rejected(&invalid));
    }
    let notice = email_changes.then(|| {
        lieu_mail::templates::account_changed(
            state.config.mail_site(),
            &user.email,
            &format!("l’adresse du compte est désormais {email}"),
            &state.config.absolute("/connexion"),
        )
    });
    let now = state.clock.now();
    let saved = state
        .db(move |s| {
            match s.write(|c| {
                let updated = store::update_profile(c, &user, &name, &email)?;
                if let Some(mail) = &notice {
                    lieu_store::mail::enqueue(c, mail, now)?;
                }
                Ok(updated)
            }) {
                Err(StoreError::EmailTaken) => Ok(None),
                other => other.map(Some),
            }
        })
        .await?;
    if saved.is_none() {
        invalid.add("email", "account.email_taken");
        return Ok(rejected(&invalid));
    }
    Ok(see_other(&format!("{OWN_PATH}?fait=profil")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordData {
    csrf: String,
    current_password: String,
    password: String,
    password2: String,
}

pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<PasswordData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let lists = load(&state, &viewer, &OwnQuery::default()).await?;
    let user = lists.user.clone();
    let mut invalid = Invalid::default();
    if !check_current(&req, &state, &user, &form.current_password).await? {
        invalid.add("current_password", "password.wrong_current");
    } else {
        account::new_password(
            &form.password,
            &form.password2,
            &[&user.name, &user.email, &state.config.site_name],
            &mut invalid,
        );
    }
    if !invalid.is_empty() {
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
                &lists,
                &Shown {
                    name: &user.name,
                    email: &user.email,
                    profile_invalid: None,
                    password_invalid: Some(&invalid),
                    notice: None,
                },
                state.clock.now(),
            ),
        ));
    }
    let hash = hash_password(form.password.clone()).await?;
    let mail = lieu_mail::templates::account_changed(
        state.config.mail_site(),
        &user.email,
        "le mot de passe a été changé, et toutes les sessions ouvertes ont été fermées",
        &state.config.absolute("/connexion"),
    );
    let now = state.clock.now();
    let session_days = state.config.session_days;
    // Every session ends, this one too; this browser gets a new one at once.
    let token = state
        .db(move |s| {
            s.write(|c| {
                let user = store::set_password(c, &user, &hash, Some(user.user_id()))?;
                lieu_store::mail::enqueue(c, &mail, now)?;
                open_session(c, &user, now, session_days)
            })
        })
        .await?;
    Ok(signed_in(
        &state,
        &format!("{OWN_PATH}?fait=mot-de-passe"),
        &token,
    ))
}

pub async fn delete_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::OwnAccount)?;
    Ok(ok(views::delete_confirm(&ctx, None, false, false)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteData {
    csrf: String,
    current_password: String,
    /// What becomes of one's posts: `garder` (signed « Compte supprimé ») or `effacer`.
    posts: String,
}

pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<DeleteData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = viewer.id;
    let erase_posts = form.posts == "effacer";
    let user = state
        .db(move |s| s.read(|c| users::by_id(c, id)?.ok_or(StoreError::NotFound)))
        .await?;
    if !check_current(&req, &state, &user, &form.current_password).await? {
        let mut invalid = Invalid::default();
        invalid.add("current_password", "password.wrong_current");
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::delete_confirm(&ctx, Some(&invalid), false, erase_posts),
        ));
    }
    let now = state.clock.now();
    let deleted = state
        .db(move |s| {
            match s.write(|c| store::delete_account_and_posts(c, &user, erase_posts, now)) {
                Err(StoreError::LastAdmin) => Ok(false),
                other => other.map(|()| true),
            }
        })
        .await?;
    if !deleted {
        return Ok(html(
            StatusCode::CONFLICT,
            views::delete_confirm(&ctx, None, true, erase_posts),
        ));
    }
    let mut response = see_other("/compte/supprime");
    response
        .add_removal_cookie(&extract::expired_session_cookie(
            state.config.secure_cookies(),
        ))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}

pub async fn deleted(ctx: PageCtx) -> HttpResponse {
    ok(views::deleted(&ctx))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WatchData {
    csrf: String,
    /// `page:12` or `entry:5`.
    cible: String,
    /// `suivre` or `arreter`.
    action: String,
    /// Where to go back to.
    retour: String,
}

pub async fn watch(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<WatchData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let target = parse_target(form.cible.trim()).ok_or(AppError::NotFound)?;
    let start = match form.action.as_str() {
        "suivre" => true,
        "arreter" => false,
        _ => return Err(AppError::BadRequest("unknown watch action".into())),
    };
    let now = state.clock.now();
    state
        .db(move |s| {
            s.write(|c| {
                if start {
                    if !watches::exists(c, target)? {
                        return Err(StoreError::NotFound);
                    }
                    watches::watch(c, viewer, target, now)?;
                } else {
                    watches::unwatch(c, viewer, target)?;
                }
                Ok(())
            })
        })
        .await?;
    let back = redirect::local_path(&form.retour).unwrap_or_else(|| OWN_PATH.to_owned());
    Ok(see_other(&back))
}

/// Whether the viewer watches `target`: `None` when they cannot watch (no account of their
/// own), so that the page shows no button.
pub async fn watching(
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
    let watching = state
        .db(move |s| s.read(|c| watches::is_watching(c, id, target)))
        .await?;
    Ok(Some(watching))
}
