//! Members: a resident signs up (`/inscription`), confirms their address through a
//! single-use link (`/confirmer/{token}`) or asks for a new one from their account page; the
//! agents' pages of the members (`/gestion/membres`): search, suspend and lift, hide every
//! post of a member, link the organisation they speak for.

use super::auth::{hash_password, open_session, signed_in, spend_attempt};
use super::{html, ok, private, see_other};
use crate::error::AppError;
use crate::extract::{PageCtx, Viewer, client_key};
use crate::state::AppState;
use crate::views::members::{
    self as views, MEMBERS_PATH, MemberView, MembersView, SIGNUP_SENT_PATH, SignupForm,
    confirm_path, member_url,
};
use crate::views::submit::PrivateLink;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::TimeDelta;
use lieu_core::exchange as rules;
use lieu_core::{Invalid, Permission, Role, UserId, account, auth};
use lieu_store::StoreError;
use lieu_store::accounts::{self as accounts_store, LinkPurpose, NewLink, SignUp, SignedUp};
use lieu_store::members::{self as store, Organisation, Search};
use lieu_store::models::users::{self, User};
use serde::Deserialize;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;
/// Members a page of the agents' list shows.
pub const PER_PAGE: i64 = 50;
/// Posts a member's page shows at once.
pub const POSTS_PER_PAGE: i64 = 20;
/// Organisations the small search proposes.
pub const ORGANISATIONS_FOUND: i64 = 10;

pub async fn signup_form(ctx: PageCtx) -> HttpResponse {
    if ctx.viewer.is_some() {
        return see_other("/compte");
    }
    ok(views::signup(&ctx, &SignupForm::default(), None, None))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupData {
    csrf: String,
    name: String,
    email: String,
    password: String,
    password2: String,
    consent: String,
}

/// The message with the confirmation link `url`.
fn confirmation_mail(state: &AppState, to: &str, url: &str) -> lieu_store::mail::NewMail {
    lieu_mail::templates::address_confirmation(state.config.mail_site(), to, url, CONFIRM_HOURS)
}

pub async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<SignupData>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    if ctx.viewer.is_some() {
        return Ok(see_other("/compte"));
    }
    let typed = SignupForm {
        name: form.name.chars().take(200).collect(),
        email: form.email.chars().take(300).collect(),
        consent: form.consent == "oui",
    };
    let mut invalid = Invalid::default();
    let name = account::name(&form.name, &mut invalid);
    let email = account::email(&form.email, "email", &mut invalid);
    account::new_password(
        &form.password,
        &form.password2,
        &[&name, &email, &state.config.site_name],
        &mut invalid,
    );
    if !typed.consent {
        invalid.add("consent", "signup.consent_required");
    }
    if !invalid.is_empty() {
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::signup(&ctx, &typed, Some(&invalid), None),
        ));
    }
    // The referencing form's budget: both make rows and send mail for anyone who asks.
    let client = client_key(&req, &state.config.trusted_proxies);
    if state.submit_budget.take(&client).is_err() {
        tracing::warn!(%client, "sign-up form: rate limit reached");
        return Ok(html(
            StatusCode::TOO_MANY_REQUESTS,
            views::signup(&ctx, &typed, None, Some("signup.too_many")),
        ));
    }
    let hash = hash_password(form.password.clone()).await?;
    let link = PrivateLink::new();
    let url = state.config.absolute(&confirm_path(link.token()));
    let now = state.clock.now();
    let session_days = state.config.session_days;
    let app = state.clone();
    let session = state
        .db(move |s| {
            let outcome = s.write(|c| {
                let signed_up = accounts_store::sign_up(
                    c,
                    &SignUp {
                        email: &email,
                        name: &name,
                        password_hash: &hash,
                        link: NewLink {
                            token_digest: &link.digest,
                            expires_at: now + TimeDelta::hours(CONFIRM_HOURS),
                        },
                    },
                    now,
                    |user| confirmation_mail(&app, &user.email, &url),
                    |owner| {
                        lieu_mail::templates::signup_address_taken(
                            app.config.mail_site(),
                            &owner.email,
                            &app.config.absolute("/connexion"),
                            &app.config.absolute("/mot-de-passe-oublie"),
                        )
                    },
                )?;
                match signed_up {
                    SignedUp::Created(user) => Ok(Some(open_session(c, &user, now, session_days)?)),
                    SignedUp::Taken => Ok(None),
                }
            });
            match outcome {
                Err(StoreError::EmailTaken) => Ok(None),
                other => other,
            }
        })
        .await?;
    // The same address, whether the account was made or the address had one: only the new
    // member gets a session.
    Ok(match session {
        Some(token) => signed_in(&state, SIGNUP_SENT_PATH, &token),
        None => see_other(SIGNUP_SENT_PATH),
    })
}

pub async fn signup_sent(ctx: PageCtx) -> HttpResponse {
    ok(views::signup_sent(&ctx))
}

/// The account a confirmation link opens, if it still works.
async fn confirmation_target(state: &AppState, token: &str) -> Result<Option<User>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let digest = auth::token_digest(token);
    let now = state.clock.now();
    state
        .db(move |s| {
            s.read(|c| accounts_store::link_user(c, &digest, LinkPurpose::Confirmation, now))
        })
        .await
}

fn gone(ctx: &PageCtx) -> HttpResponse {
    private(html(StatusCode::GONE, views::confirm_invalid(ctx)))
}

pub async fn confirm_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(user) = confirmation_target(&state, &token).await? else {
        return Ok(gone(&ctx));
    };
    Ok(private(ok(views::confirm(
        &ctx,
        &user,
        &confirm_path(&token),
    ))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionData {
    csrf: String,
}

pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    form: web::Form<ActionData>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    if confirmation_target(&state, &token).await?.is_none() {
        return Ok(gone(&ctx));
    }
    let digest = auth::token_digest(&token);
    let now = state.clock.now();
    let confirmed = state
        .db(
            move |s| match s.write(|c| accounts_store::confirm_email(c, &digest, now)) {
                Err(StoreError::LinkInvalid) => Ok(false),
                other => other.map(|_| true),
            },
        )
        .await?;
    if !confirmed {
        return Ok(gone(&ctx));
    }
    Ok(private(see_other("/compte?fait=adresse-confirmee")))
}

pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<ActionData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::OwnAccount)?.id;
    ctx.verify_csrf(&req, &form.csrf)?;
    let user = state
        .db(move |s| s.read(|c| users::by_id(c, viewer)?.ok_or(StoreError::NotFound)))
        .await?;
    // The password-reset budget: per client and per address, nobody floods a mailbox.
    spend_attempt(&state.reset_limiter, &req, &state, &user.email)?;
    let link = PrivateLink::new();
    let url = state.config.absolute(&confirm_path(link.token()));
    let now = state.clock.now();
    let app = state.clone();
    let sent = state
        .db(move |s| {
            s.write(|c| {
                accounts_store::resend_confirmation(
                    c,
                    &user,
                    &NewLink {
                        token_digest: &link.digest,
                        expires_at: now + TimeDelta::hours(CONFIRM_HOURS),
                    },
                    now,
                    |user| confirmation_mail(&app, &user.email, &url),
                )
            })
        })
        .await?;
    Ok(see_other(if sent {
        "/compte?fait=lien-envoye#confirmation"
    } else {
        "/compte?fait=deja-confirmee"
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    /// The key after which the page starts (an `@name`, or an address when searching one).
    apres: String,
}

pub async fn list(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::Moderate)?;
    let q: String = query.q.trim().chars().take(200).collect();
    let search = Search::parse(&q);
    let after =
        Some(query.apres.trim().chars().take(300).collect::<String>()).filter(|a| !a.is_empty());
    let for_db = search.clone();
    let mut members = state
        .db(move |s| s.read(|c| store::page(c, for_db.as_ref(), after.as_deref(), PER_PAGE + 1)))
        .await?;
    let per = usize::try_from(PER_PAGE).unwrap_or(50);
    let next = if members.len() > per {
        members.truncate(per);
        members.last().map(|last| {
            let key = Search::key_of(search.as_ref(), last);
            format!(
                "{MEMBERS_PATH}?{}",
                serde_urlencoded::to_string([("q", q.as_str()), ("apres", key.as_str())])
                    .unwrap_or_default()
            )
        })
    } else {
        None
    };
    Ok(private(ok(views::members(
        &ctx,
        &MembersView {
            members: &members,
            q: &q,
            next,
            now: state.clock.now(),
        },
    ))))
}

fn member_id(id: &str) -> Result<i32, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// The member `id`: an account of a resident, not deleted.
async fn load_member(state: &AppState, id: i32) -> Result<User, AppError> {
    let user = state
        .db(move |s| s.read(|c| users::by_id(c, UserId(id))?.ok_or(StoreError::NotFound)))
        .await?;
    if user.role() != Role::Member || user.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(user)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OneQuery {
    fait: String,
    /// The small search of organisations.
    org: String,
    /// The post before which the list of posts continues.
    avant: String,
}

fn one_notice(done: &str) -> Option<&'static str> {
    match done {
        "suspendu" => Some("members.done.suspended"),
        "leve" => Some("members.done.unsuspended"),
        "masques" => Some("members.done.hidden"),
        "organisation" => Some("members.done.organisation"),
        _ => None,
    }
}

/// What a member's page shows besides the member and the forms.
struct Loaded {
    organisation: Option<Organisation>,
    posts: Vec<lieu_store::members::MemberPost>,
    posts_next: Option<String>,
    found: Vec<Organisation>,
}

async fn load_page(
    state: &AppState,
    user: &User,
    org_q: &str,
    before: Option<i32>,
) -> Result<Loaded, AppError> {
    let (id, organisation_id) = (user.user_id(), user.organisation_id);
    let org_q = org_q.to_owned();
    let (organisation, mut posts, found) = state
        .db(move |s| {
            s.read(|c| {
                let organisation = match organisation_id {
                    Some(o) => store::organisation(c, o)?,
                    None => None,
                };
                let posts = store::recent_posts(c, id, before, POSTS_PER_PAGE + 1)?;
                let found = if org_q.is_empty() {
                    Vec::new()
                } else {
                    store::find_organisations(c, &org_q, ORGANISATIONS_FOUND)?
                };
                Ok((organisation, posts, found))
            })
        })
        .await?;
    let per = usize::try_from(POSTS_PER_PAGE).unwrap_or(20);
    let posts_next = if posts.len() > per {
        posts.truncate(per);
        posts
            .last()
            .map(|p| format!("{}?avant={}#lieu_messages", member_url(user.id), p.post.id))
    } else {
        None
    };
    Ok(Loaded {
        organisation,
        posts,
        posts_next,
        found,
    })
}

/// What the suspension form held, and what was wrong.
#[derive(Default)]
struct Typed<'a> {
    days: &'a str,
    until: &'a str,
    reason: &'a str,
    invalid: Option<&'a Invalid>,
    notice: Option<&'static str>,
    problem: Option<&'static str>,
}

async fn member_page(
    state: &AppState,
    ctx: &PageCtx,
    user: &User,
    org_q: &str,
    before: Option<i32>,
    typed: Typed<'_>,
) -> Result<maud::Markup, AppError> {
    let loaded = load_page(state, user, org_q, before).await?;
    Ok(views::member(
        ctx,
        &MemberView {
            user,
            now: state.clock.now(),
            organisation: loaded.organisation.as_ref(),
            posts: &loaded.posts,
            posts_next: loaded.posts_next,
            found: &loaded.found,
            org_q,
            invalid: typed.invalid,
            days: typed.days,
            until: typed.until,
            reason: typed.reason,
            notice: typed.notice,
            problem: typed.problem,
        },
    ))
}

pub async fn one(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<OneQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::Moderate)?;
    let user = load_member(&state, member_id(&id)?).await?;
    let org_q: String = query.org.trim().chars().take(200).collect();
    let before = query.avant.trim().parse::<i32>().ok();
    let page = member_page(
        &state,
        &ctx,
        &user,
        &org_q,
        before,
        Typed {
            notice: one_notice(&query.fait),
            ..Typed::default()
        },
    )
    .await?;
    Ok(private(ok(page)))
}

/// The page again with what was wrong in a form (422).
async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    user: &User,
    typed: Typed<'_>,
) -> Result<HttpResponse, AppError> {
    let page = member_page(state, ctx, user, "", None, typed).await?;
    Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, page)))
}

/// The moderator and the member, read in the transaction that acts on them.
fn both(
    c: &mut lieu_store::DbConn,
    viewer: UserId,
    member: i32,
) -> Result<(User, User), StoreError> {
    let moderator = users::by_id(c, viewer)?.ok_or(StoreError::NotFound)?;
    let member = users::by_id(c, UserId(member))?.ok_or(StoreError::NotFound)?;
    Ok((moderator, member))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuspendData {
    csrf: String,
    days: String,
    until: String,
    reason: String,
}

pub async fn suspend(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<SuspendData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Moderate)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let user = load_member(&state, member_id(&id)?).await?;
    let now = state.clock.now();
    let mut invalid = Invalid::default();
    let until = rules::suspension_end(
        &form.days,
        &form.until,
        now,
        state.clock.today(),
        &mut invalid,
    );
    let reason = rules::suspension_reason(&form.reason, &mut invalid);
    let (Some(until), true) = (until, invalid.is_empty()) else {
        let (days, until, reason): (String, String, String) = (
            form.days.chars().take(20).collect(),
            form.until.chars().take(20).collect(),
            form.reason.chars().take(2000).collect(),
        );
        return refused(
            &state,
            &ctx,
            &user,
            Typed {
                days: &days,
                until: &until,
                reason: &reason,
                invalid: Some(&invalid),
                ..Typed::default()
            },
        )
        .await;
    };
    act(&state, &viewer, user.id, move |c, moderator, member| {
        lieu_store::exchange::suspend(c, moderator, member, Some(until), &reason, now)
    })
    .await?;
    Ok(see_other(&format!("{}?fait=suspendu", member_url(user.id))))
}

/// Runs `f` on the moderator and the member in one transaction.
async fn act<T: Send + 'static>(
    state: &AppState,
    viewer: &Viewer,
    member: i32,
    f: impl FnOnce(&mut lieu_store::DbConn, &User, &User) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, AppError> {
    let viewer = viewer.id;
    state
        .db(move |s| {
            s.write(|c| {
                let (moderator, member) = both(c, viewer, member)?;
                f(c, &moderator, &member)
            })
        })
        .await
}

pub async fn unsuspend(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<ActionData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Moderate)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let user = load_member(&state, member_id(&id)?).await?;
    let now = state.clock.now();
    act(&state, &viewer, user.id, move |c, moderator, member| {
        lieu_store::exchange::suspend(c, moderator, member, None, "", now)
    })
    .await?;
    Ok(see_other(&format!("{}?fait=leve", member_url(user.id))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HideData {
    csrf: String,
    hide_reason: String,
}

pub async fn hide_posts(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<HideData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Moderate)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let user = load_member(&state, member_id(&id)?).await?;
    let reason: String = lieu_core::entry::clean(&form.hide_reason)
        .chars()
        .take(rules::SUSPENSION_REASON_MAX_CHARS)
        .collect();
    act(&state, &viewer, user.id, move |c, moderator, member| {
        lieu_store::exchange::hide_posts_of(c, moderator, member.user_id(), &reason)
    })
    .await?;
    Ok(see_other(&format!("{}?fait=masques", member_url(user.id))))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationData {
    csrf: String,
    /// `association/slug`, `service/slug` or a slug alone; empty unlinks.
    organisation: String,
}

pub async fn organisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<OrganisationData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Moderate)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let user = load_member(&state, member_id(&id)?).await?;
    let typed: String = form.organisation.trim().chars().take(300).collect();
    let linked = act(&state, &viewer, user.id, move |c, moderator, member| {
        if typed.is_empty() {
            lieu_store::exchange::link_organisation(c, moderator, member, None)?;
            return Ok(true);
        }
        match store::organisation_by_slug(c, &typed)? {
            Some(o) => {
                lieu_store::exchange::link_organisation(c, moderator, member, Some(o.id))?;
                Ok(true)
            }
            None => Ok(false),
        }
    })
    .await?;
    if !linked {
        let invalid = Invalid::single("organisation", "members.org_unknown");
        return refused(
            &state,
            &ctx,
            &user,
            Typed {
                invalid: Some(&invalid),
                ..Typed::default()
            },
        )
        .await;
    }
    Ok(see_other(&format!(
        "{}?fait=organisation",
        member_url(user.id)
    )))
}
