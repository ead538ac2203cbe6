//! Extractors: who is asking (session cookie), the CSRF token of the request, and the context
//! every page view needs.

use crate::error::AppError;
use crate::state::AppState;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, body::MessageBody, web};
use lieu_core::net::{TrustedProxies, limit_key};
use lieu_core::{Permission, Role, UserId, auth};
use lieu_store::models::sessions;
use std::future::Future;
use std::pin::Pin;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "lieu_session";
pub const CSRF_COOKIE: &str = "lieu_csrf";
/// Name of the hidden field that carries the CSRF token in every form.
pub const CSRF_FIELD: &str = "csrf";

/// The logged-in account, as the views and permission checks need it.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

impl Viewer {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    /// This person as the author of a change made `at` (the app's clock).
    pub fn author(&self, at: chrono::NaiveDateTime) -> lieu_store::wiki::Author {
        lieu_store::wiki::Author {
            id: Some(self.id),
            name: self.name.clone(),
            at,
        }
    }
}

/// The CSRF token of this client (double-submit cookie): set on the first visit by
/// Whether the browser says the request comes from another site (`Sec-Fetch-Site`).
pub fn is_cross_site(req: &HttpRequest) -> bool {
    req.headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
}

/// [`csrf_cookie`], echoed by every form, compared on every write.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Everything a page needs about its request: who reads it, the CSRF token for its forms and
/// the path (for "log in and come back here").
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub viewer: Option<Viewer>,
    pub csrf: CsrfToken,
    pub path: String,
    pub site_name: String,
    /// The licence of the directory's data and where its text is read, for the footer.
    pub data_licence: String,
    pub data_licence_url: String,
    /// Submissions waiting for a decision, for the menu of those who review them.
    pub waiting: Option<i64>,
    /// Unread notifications of the exchange space (counted up to [`UNREAD_CAP`]), for the
    /// menu of those who have a notifications page.
    pub unread: Option<i64>,
}

/// Unread notifications are counted up to this: the menu says « 99+ » beyond.
pub const UNREAD_CAP: i64 = 100;

impl PageCtx {
    /// The viewer if they hold `permission`; otherwise the error that explains the way forward:
    /// log in when anonymous, forbidden when the role is too low.
    pub fn require(&self, permission: Permission) -> Result<&Viewer, AppError> {
        match &self.viewer {
            None => Err(AppError::LoginRequired(self.path.clone())),
            Some(v) if v.can(permission) => Ok(v),
            Some(_) => Err(AppError::Forbidden),
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.viewer.as_ref().is_some_and(|v| v.can(permission))
    }

    /// For a form whose text must not be lost: `Ok(true)` when its token merely expired (the
    /// form comes back with what was typed), `Ok(false)` when it is good; a form another site
    /// posted is refused.
    pub fn csrf_expired(&self, req: &HttpRequest, sent: &str) -> Result<bool, AppError> {
        match self.verify_csrf(req, sent) {
            Ok(()) => Ok(false),
            Err(e) if is_cross_site(req) => Err(e),
            Err(_) => Ok(true),
        }
    }

    /// Checks the token a form sent back. Also refuses requests that the browser itself marks
    /// as coming from another site.
    pub fn verify_csrf(&self, req: &HttpRequest, sent: &str) -> Result<(), AppError> {
        let cross_site = is_cross_site(req);
        // Constant time, so that response timing tells nothing about how much of a guessed
        // token was right.
        let matches: bool = sent.as_bytes().ct_eq(self.csrf.0.as_bytes()).into();
        if cross_site || !matches {
            return Err(AppError::Csrf);
        }
        // A token that did not come from the cookie (first request, no cookie yet) is fresh and
        // cannot have been echoed by a legitimate form.
        if req.cookie(CSRF_COOKIE).is_none() {
            return Err(AppError::Csrf);
        }
        Ok(())
    }
}

type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = LocalFuture<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::Internal("application state missing".into()))?;
            let viewer = viewer_of(&req, &state).await?;
            let reviews = viewer
                .as_ref()
                .is_some_and(|v| v.can(Permission::ReviewSubmissions));
            // One bounded, indexed count of unread notifications (issue 12), read with the
            // reviewers' count in one trip to the database.
            let notified = viewer
                .as_ref()
                .filter(|v| v.can(Permission::OwnAccount))
                .map(|v| v.id);
            let (waiting, unread) = if reviews || notified.is_some() {
                state
                    .db(move |s| {
                        s.read(|c| {
                            let waiting = if reviews {
                                Some(lieu_store::submissions::count_waiting(c)?)
                            } else {
                                None
                            };
                            let unread = match notified {
                                Some(id) => Some(lieu_store::notifications::unread_count(
                                    c, id, UNREAD_CAP,
                                )?),
                                None => None,
                            };
                            Ok((waiting, unread))
                        })
                    })
                    .await?
            } else {
                (None, None)
            };
            let csrf = csrf_of(&req);
            let path = match req.query_string() {
                "" => req.path().to_owned(),
                q => format!("{}?{q}", req.path()),
            };
            Ok(PageCtx {
                viewer,
                csrf,
                path,
                site_name: state.config.site_name.clone(),
                data_licence: state.config.data_licence.clone(),
                data_licence_url: state.config.data_licence_url.clone(),
                waiting,
                unread,
            })
        })
    }
}

async fn viewer_of(req: &HttpRequest, state: &AppState) -> Result<Option<Viewer>, AppError> {
    let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    let digest = auth::token_digest(&token);
    let now = state.clock.now();
    let user = state
        .db(move |store| store.read(|conn| Ok(sessions::user_for(conn, &digest, now)?)))
        .await?;
    Ok(user.map(|u| Viewer {
        id: u.user_id(),
        role: u.role(),
        name: u.name,
    }))
}

fn csrf_of(req: &HttpRequest) -> CsrfToken {
    if let Some(token) = req.extensions().get::<CsrfToken>() {
        return token.clone();
    }
    match req.cookie(CSRF_COOKIE) {
        Some(c) if c.value().len() == 64 => CsrfToken(c.value().to_owned()),
        _ => CsrfToken(auth::random_token()),
    }
}

/// Middleware: gives every client a CSRF cookie on its first visit, so that the first form it
/// sees already carries a token it can send back.
pub async fn csrf_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let has_cookie = req
        .cookie(CSRF_COOKIE)
        .is_some_and(|c| c.value().len() == 64);
    let secure = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.config.secure_cookies());
    let fresh = if has_cookie {
        None
    } else {
        let token = auth::random_token();
        req.extensions_mut().insert(CsrfToken(token.clone()));
        Some(token)
    };
    let mut res = next.call(req).await?;
    if let Some(token) = fresh {
        let cookie = Cookie::build(CSRF_COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(res)
}

/// The session cookie set at login.
pub fn session_cookie(token: &str, secure: bool, days: i64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(days))
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn expired_session_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure, 0);
    cookie.make_removal();
    cookie
}

/// The key a client's login attempts are counted under: its address (the connection's peer,
/// or what trusted proxies say of it in `X-Forwarded-For`), an IPv6 client by its /64.
pub fn client_key(req: &HttpRequest, trusted: &TrustedProxies) -> String {
    let Some(peer) = req.peer_addr() else {
        return "unknown".into();
    };
    // Lossy, not `to_str`: a client can put bytes that are not text left of the hops our
    // proxy appended, and dropping the whole header would count it as the proxy itself.
    let forwarded: Vec<String> = req
        .headers()
        .get_all("x-forwarded-for")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    limit_key(trusted.client_addr(peer.ip(), forwarded.iter().map(String::as_str)))
}
