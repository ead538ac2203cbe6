//! Login and logout.

use super::{html, see_other};
use crate::error::AppError;
use crate::extract::{self, PageCtx, client_key};
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use lieu_core::{auth, redirect};
use lieu_store::models::{audit_log, sessions, users};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    retour: Option<String>,
}

pub async fn login_form(ctx: PageCtx, query: web::Query<LoginQuery>) -> HttpResponse {
    let back = redirect::after_login(query.retour.as_deref());
    super::ok(views::auth::login_form(&ctx, "", &back, false))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    retour: String,
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    let key = client_key(&req, &state.config.trusted_proxies);
    spend_attempt(&state.login_limiter, &req, &state, &form.email)?;
    let LoginForm {
        email,
        password,
        retour,
        ..
    } = form.into_inner();
    let back = redirect::after_login(Some(&retour));
    let session_days = state.config.session_days;
    let lookup_email = email.clone();
    let now = state.clock.now();
    let token = state
        .db(move |store| {
            let user = store.read(|c| Ok(users::by_email(c, &lookup_email)?))?;
            // Verify against a dummy hash when the account is unknown: same time either way.
            let hash = user
                .as_ref()
                .map_or(auth::dummy_hash(), |u| u.password_hash.as_str());
            let matches = auth::verify_password(&password, hash);
            let Some(user) = user.filter(|u| matches && u.can_log_in(now)) else {
                return Ok(None);
            };
            let token = store.write(|c| {
                let token = open_session(c, &user, now, session_days)?;
                audit_log::record(
                    c,
                    Some(user.user_id()),
                    "user.login",
                    &lieu_store::accounts::target(&user),
                    "",
                )?;
                Ok(token)
            })?;
            Ok(Some(token))
        })
        .await?;
    match token {
        Some(token) => Ok(signed_in(&state, &back, &token)),
        None => {
            tracing::info!(client = %key, "failed login");
            Ok(html(
                StatusCode::UNAUTHORIZED,
                views::auth::login_form(&ctx, &email, &back, true),
            ))
        }
    }
}

/// Opens a session for `user` and returns its token (the cookie's value; only its digest is
/// stored). A practice account's session ends with the account.
pub(crate) fn open_session(
    c: &mut lieu_store::DbConn,
    user: &users::User,
    now: chrono::NaiveDateTime,
    session_days: i64,
) -> Result<String, lieu_store::StoreError> {
    let token = auth::random_token();
    let digest = auth::token_digest(&token);
    let session_end = now
        .checked_add_signed(Duration::days(session_days.clamp(1, 36_500)))
        .unwrap_or(chrono::NaiveDateTime::MAX)
        .min(user.expires_at.unwrap_or(chrono::NaiveDateTime::MAX));
    sessions::delete_expired(c, now)?;
    sessions::insert(
        c,
        &sessions::NewSession {
            token_digest: &digest,
            user_id: user.id,
            created_at: now,
            expires_at: session_end,
        },
    )?;
    Ok(token)
}

/// Hashes a chosen password off the async workers: argon2 is slow by design, and a worker
/// busy hashing serves nobody else meanwhile.
pub(crate) async fn hash_password(password: String) -> Result<String, AppError> {
    web::block(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Whether `password` matches the stored hash, checked off the async workers.
pub(crate) async fn verify_password(password: String, phc: String) -> Result<bool, AppError> {
    web::block(move || auth::verify_password(&password, &phc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// 303 to `to` with the cookie of the session `token`.
pub(crate) fn signed_in(state: &AppState, to: &str, token: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, to))
        .cookie(extract::session_cookie(
            token,
            state.config.secure_cookies(),
            state.config.session_days,
        ))
        .finish()
}

/// Spends one attempt of `limiter` for this client and `account` (a typed address), or the
/// 429 that tells how long to wait.
pub(crate) fn spend_attempt(
    limiter: &crate::limit::LoginLimiter,
    req: &HttpRequest,
    state: &AppState,
    account: &str,
) -> Result<(), AppError> {
    let key = client_key(req, &state.config.trusted_proxies);
    if let Err(throttled) = limiter.check(&key, &auth::login_account_key(account)) {
        // The log names the client, never the typed address (it may be someone's password).
        tracing::warn!(client = %key, ?throttled, "attempts rate limit reached");
        let wait = throttled.retry_after();
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Err(AppError::RateLimited(seconds.max(1)));
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    if let Some(token) = req.cookie(extract::SESSION_COOKIE) {
        let digest = auth::token_digest(token.value());
        state
            .db(move |store| store.write(|c| Ok(sessions::delete(c, &digest)?)))
            .await?;
    }
    let mut response = see_other("/");
    response
        .add_removal_cookie(&extract::expired_session_cookie(
            state.config.secure_cookies(),
        ))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}
