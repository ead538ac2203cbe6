//! Accounts of the team: the admins' page (invite by e-mail with a role, change a role,
//! close and reopen an account, invite again), following an invitation link, and the
//! forgotten-password path (ask, get a link by e-mail, choose a new password).

use super::auth::{hash_password, open_session, signed_in, spend_attempt};
use super::{html, ok, private, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views::accounts::{
    self as views, ACCOUNTS_PATH, AccountState, AccountView, AccountsView, InviteForm, account_url,
};
use crate::views::submit::PrivateLink;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::{Invalid, Permission, Role, account, auth};
use lieu_store::StoreError;
use lieu_store::accounts::{self as store, Invitation, LinkPurpose, NewLink};
use lieu_store::models::users::{self, User};
use serde::Deserialize;

/// Accounts a page of the admins' list shows.
pub const PER_PAGE: i64 = 50;
/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// How long a password-reset link works.
pub const RESET_MINUTES: i64 = 60;

fn state_of(user: &User, pending_until: Option<NaiveDateTime>) -> AccountState {
    match (user.is_disabled(), store::is_pending(user), pending_until) {
        (true, _, _) => AccountState::Closed,
        (false, false, _) => AccountState::Active,
        (false, true, Some(until)) => AccountState::Invited(until),
        (false, true, None) => AccountState::InvitationLapsed,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// The address after which the page starts.
    apres: String,
    fait: String,
}

fn list_notice(done: &str) -> Option<&'static str> {
    match done {
        "invitation" => Some("accounts.done.invited"),
        _ => None,
    }
}

async fn list_page(
    state: &AppState,
    ctx: &PageCtx,
    after: Option<String>,
    form: &InviteForm,
    invalid: Option<&Invalid>,
    notice: Option<&'static str>,
) -> Result<maud::Markup, AppError> {
    let now = state.clock.now();
    let (mut accounts, pending) = state
        .db(move |s| {
            s.read(|c| {
                let accounts = store::page(c, after.as_deref(), PER_PAGE + 1)?;
                let ids: Vec<i32> = accounts.iter().map(|u| u.id).collect();
                let pending = store::pending_invitations(c, &ids, now)?;
                Ok((accounts, pending))
            })
        })
        .await?;
    let next = if accounts.len() > usize::try_from(PER_PAGE).unwrap_or(usize::MAX) {
        accounts.truncate(usize::try_from(PER_PAGE).unwrap_or(0));
        accounts.last().map(|last| {
            format!(
                "{ACCOUNTS_PATH}?{}",
                serde_urlencoded::to_string([("apres", &last.email)]).unwrap_or_default()
            )
        })
    } else {
        None
    };
    let rows: Vec<(User, AccountState)> = accounts
        .into_iter()
        .map(|u| {
            let until = pending.get(&u.id).copied();
            let state = state_of(&u, until);
            (u, state)
        })
        .collect();
    Ok(views::accounts(
        ctx,
        &AccountsView {
            accounts: &rows,
            next,
            form,
            invalid,
            notice,
        },
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::ManageUsers)?;
    let after = Some(query.apres.trim().to_owned()).filter(|a| !a.is_empty());
    let page = list_page(
        &state,
        &ctx,
        after,
        &InviteForm {
            role: Role::Editor.as_str().to_owned(),
            ..InviteForm::default()
        },
        None,
        list_notice(&query.fait),
    )
    .await?;
    Ok(ok(page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteData {
    csrf: String,
    email: String,
    role: String,
}

fn assignable(role: &str) -> Option<Role> {
    role.parse::<Role>()
        .ok()
        .filter(|r| Role::ASSIGNABLE.contains(r))
}

/// Writes an invitation for `email` with `role`, and its message. A refusal (the address has
/// an account, the role is not one to give) is an answer to show on the form, not a failure.
async fn send_invitation(
    state: &AppState,
    by: &crate::extract::Viewer,
    email: String,
    role: Role,
) -> Result<Result<User, Invalid>, AppError> {
    let link = PrivateLink::new();
    let url = state
        .config
        .absolute(&format!("/invitation/{}", link.token()));
    let mail = lieu_mail::templates::invitation(
        state.config.mail_site(),
        &email,
        role.label_fr(),
        &by.name,
        &url,
        INVITATION_DAYS,
    );
    let now = state.clock.now();
    let by = by.id;
    state
        .db(move |s| {
            let outcome = s.write(|c| {
                store::invite(
                    c,
                    &Invitation {
                        email: &email,
                        role,
                        link: NewLink {
                            token_digest: &link.digest,
                            expires_at: now + TimeDelta::days(INVITATION_DAYS),
                        },
                        mail: &mail,
                    },
                    by,
                    now,
                )
            });
            match outcome {
                Ok(user) => Ok(Ok(user)),
                Err(StoreError::EmailTaken) => {
                    Ok(Err(Invalid::single("email", "account.email_taken")))
                }
                Err(StoreError::Invalid(invalid)) => Ok(Err(invalid)),
                Err(e) => Err(e),
            }
        })
        .await
}

pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<InviteData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageUsers)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let mut invalid = Invalid::default();
    let email = account::email(&form.email, "email", &mut invalid);
    let role = assignable(form.role.trim());
    if role.is_none() {
        invalid.add("role", "account.role_unknown");
    }
    let typed = InviteForm {
        email: form.email.trim().chars().take(300).collect(),
        role: form.role.trim().chars().take(20).collect(),
    };
    let (Some(role), true) = (role, invalid.is_empty()) else {
        let page = list_page(&state, &ctx, None, &typed, Some(&invalid), None).await?;
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    match send_invitation(&state, &viewer, email, role).await? {
        Ok(user) => Ok(see_other(&format!(
            "{}?fait=invitation",
            account_url(user.id)
        ))),
        Err(refused) => {
            let page = list_page(&state, &ctx, None, &typed, Some(&refused), None).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

fn account_id(id: &str) -> Result<i32, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// The account `id`, visible on the admins' page (not a deleted one, not a practice
/// account: those belong to their workshop).
async fn load_account(state: &AppState, id: i32) -> Result<(User, AccountState), AppError> {
    let now = state.clock.now();
    let (user, pending) = state
        .db(move |s| {
            s.read(|c| {
                let user = users::by_id(c, lieu_core::UserId(id))?.ok_or(StoreError::NotFound)?;
                let pending = store::pending_invitation(c, &user, now)?;
                Ok((user, pending))
            })
        })
        .await?;
    if user.deleted_at.is_some() || user.role() == Role::Trainee {
        return Err(AppError::NotFound);
    }
    let account_state = state_of(&user, pending);
    Ok((user, account_state))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OneQuery {
    fait: String,
}

fn one_notice(done: &str) -> Option<&'static str> {
    match done {
        "invitation" => Some("accounts.done.invited"),
        "role" => Some("accounts.done.role"),
        "ferme" => Some("accounts.done.closed"),
        "ouvert" => Some("accounts.done.reopened"),
        _ => None,
    }
}

pub async fn one(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<OneQuery>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageUsers)?;
    let (user, account_state) = load_account(&state, account_id(&id)?).await?;
    Ok(ok(views::account(
        &ctx,
        &AccountView {
            is_self: user.id == viewer.id.0,
            user: &user,
            state: account_state,
            notice: one_notice(&query.fait),
            problem: None,
        },
    )))
}

/// The account page again, with why the change was refused (409).
async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    id: i32,
    problem: &'static str,
) -> Result<HttpResponse, AppError> {
    let viewer_id = ctx.viewer.as_ref().map(|v| v.id.0);
    let (user, account_state) = load_account(state, id).await?;
    Ok(html(
        StatusCode::CONFLICT,
        views::account(
            ctx,
            &AccountView {
                is_self: Some(user.id) == viewer_id,
                user: &user,
                state: account_state,
                notice: None,
                problem: Some(problem),
            },
        ),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleData {
    csrf: String,
    role: String,
}

pub async fn set_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<RoleData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageUsers)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = account_id(&id)?;
    let Some(role) = assignable(form.role.trim()) else {
        return refused(&state, &ctx, id, "account.role_unknown").await;
    };
    let (user, _) = load_account(&state, id).await?;
    let changed = state
        .db(
            move |s| match s.write(|c| store::change_role(c, &user, role, Some(viewer))) {
                Err(StoreError::LastAdmin) => Ok(None),
                other => other.map(Some),
            },
        )
        .await?;
    match changed {
        None => refused(&state, &ctx, id, "account.last_admin").await,
        // An admin who gave themselves another role can no longer see this page.
        Some(user) if user.id == viewer.0 && role != Role::Admin => {
            Ok(see_other("/compte?fait=role"))
        }
        Some(_) => Ok(see_other(&format!("{}?fait=role", account_url(id)))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionData {
    csrf: String,
}

pub async fn close(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<ActionData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageUsers)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = account_id(&id)?;
    let (user, _) = load_account(&state, id).await?;
    let closed = state
        .db(
            move |s| match s.write(|c| store::close(c, &user, Some(viewer))) {
                Err(StoreError::LastAdmin) => Ok(false),
                other => other.map(|_| true),
            },
        )
        .await?;
    if !closed {
        return refused(&state, &ctx, id, "account.last_admin").await;
    }
    if id == viewer.0 {
        // Closing one's own account ends one's own session.
        return Ok(see_other("/"));
    }
    Ok(see_other(&format!("{}?fait=ferme", account_url(id))))
}

pub async fn reopen(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<ActionData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageUsers)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = account_id(&id)?;
    let (user, _) = load_account(&state, id).await?;
    state
        .db(move |s| s.write(|c| store::reopen(c, &user, Some(viewer))))
        .await?;
    Ok(see_other(&format!("{}?fait=ouvert", account_url(id))))
}

pub async fn reinvite(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<ActionData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::ManageUsers)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = account_id(&id)?;
    let (user, _) = load_account(&state, id).await?;
    if !store::is_pending(&user) || user.is_disabled() {
        return refused(&state, &ctx, id, "accounts.not_pending").await;
    }
    let role = user.role();
    match send_invitation(&state, &viewer, user.email, role).await? {
        Ok(_) => Ok(see_other(&format!("{}?fait=invitation", account_url(id)))),
        Err(_) => refused(&state, &ctx, id, "accounts.not_pending").await,
    }
}

/// A link's page: the account it opens, or the page that says the link no longer works
/// (410). Link pages are never cached nor sent as referrer.
async fn link_target(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<User>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let digest = auth::token_digest(token);
    let now = state.clock.now();
    state
        .db(move |s| s.read(|c| store::link_user(c, &digest, purpose, now)))
        .await
}

fn gone(ctx: &PageCtx) -> HttpResponse {
    private(html(StatusCode::GONE, views::link_invalid(ctx)))
}

pub async fn invitation_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(user) = link_target(&state, &token, LinkPurpose::Invitation).await? else {
        return Ok(gone(&ctx));
    };
    let action = format!("/invitation/{}", token.as_str());
    Ok(private(ok(views::invitation(
        &ctx, &user, &action, &user.name, None,
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvitationData {
    csrf: String,
    name: String,
    password: String,
    password2: String,
}

pub async fn accept_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    form: web::Form<InvitationData>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    let Some(user) = link_target(&state, &token, LinkPurpose::Invitation).await? else {
        return Ok(gone(&ctx));
    };
    let mut invalid = Invalid::default();
    let name = account::name(&form.name, &mut invalid);
    account::new_password(
        &form.password,
        &form.password2,
        &[&name, &user.email, &state.config.site_name],
        &mut invalid,
    );
    if !invalid.is_empty() {
        let action = format!("/invitation/{}", token.as_str());
        let typed: String = form.name.chars().take(200).collect();
        return Ok(private(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::invitation(&ctx, &user, &action, &typed, Some(&invalid)),
        )));
    }
    let hash = hash_password(form.password.clone()).await?;
    let digest = auth::token_digest(&token);
    let now = state.clock.now();
    let session_days = state.config.session_days;
    let outcome = state
        .db(move |s| {
            match s.write(|c| {
                let user = store::accept_invitation(c, &digest, &name, &hash, now)?;
                let session = open_session(c, &user, now, session_days)?;
                Ok((user, session))
            }) {
                Err(StoreError::LinkInvalid) => Ok(None),
                other => other.map(Some),
            }
        })
        .await?;
    match outcome {
        None => Ok(gone(&ctx)),
        Some((_, session)) => Ok(signed_in(&state, "/compte?fait=bienvenue", &session)),
    }
}

pub async fn forgot_form(ctx: PageCtx) -> HttpResponse {
    ok(views::forgot(&ctx, "", false, None))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotData {
    csrf: String,
    email: String,
}

pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ForgotData>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    let mut invalid = Invalid::default();
    let email = account::email(&form.email, "email", &mut invalid);
    if !invalid.is_empty() {
        let typed: String = form.email.chars().take(300).collect();
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::forgot(&ctx, &typed, false, Some(&invalid)),
        ));
    }
    // Per client and per address, so that nobody floods a mailbox with links.
    spend_attempt(&state.reset_limiter, &req, &state, &email)?;
    let link = PrivateLink::new();
    let url = state
        .config
        .absolute(&format!("/mot-de-passe/{}", link.token()));
    let config = state.config.clone();
    let now = state.clock.now();
    state
        .db(move |s| {
            s.write(|c| {
                store::request_reset(
                    c,
                    &email,
                    &NewLink {
                        token_digest: &link.digest,
                        expires_at: now + TimeDelta::minutes(RESET_MINUTES),
                    },
                    now,
                    |user| {
                        lieu_mail::templates::password_reset(
                            config.mail_site(),
                            &user.email,
                            &url,
                            RESET_MINUTES,
                        )
                    },
                )
            })
        })
        .await?;
    // The same page whether the address has an account or not.
    Ok(ok(views::forgot(&ctx, "", true, None)))
}

pub async fn reset_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(user) = link_target(&state, &token, LinkPurpose::Reset).await? else {
        return Ok(gone(&ctx));
    };
    let action = format!("/mot-de-passe/{}", token.as_str());
    Ok(private(ok(views::reset(&ctx, &user, &action, None))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetData {
    csrf: String,
    password: String,
    password2: String,
}

pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    form: web::Form<ResetData>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    let Some(user) = link_target(&state, &token, LinkPurpose::Reset).await? else {
        return Ok(gone(&ctx));
    };
    let mut invalid = Invalid::default();
    account::new_password(
        &form.password,
        &form.password2,
        &[&user.name, &user.email, &state.config.site_name],
        &mut invalid,
    );
    if !invalid.is_empty() {
        let action = format!("/mot-de-passe/{}", token.as_str());
        return Ok(private(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::reset(&ctx, &user, &action, Some(&invalid)),
        )));
    }
    let hash = hash_password(form.password.clone()).await?;
    let digest = auth::token_digest(&token);
    let now = state.clock.now();
    let session_days = state.config.session_days;
    let outcome = state
        .db(move |s| {
            match s.write(|c| {
                let user = store::complete_reset(c, &digest, &hash, now)?;
                let session = open_session(c, &user, now, session_days)?;
                Ok(session)
            }) {
                Err(StoreError::LinkInvalid) => Ok(None),
                other => other.map(Some),
            }
        })
        .await?;
    match outcome {
        None => Ok(gone(&ctx)),
        Some(session) => Ok(signed_in(&state, "/compte?fait=mot-de-passe", &session)),
    }
}
