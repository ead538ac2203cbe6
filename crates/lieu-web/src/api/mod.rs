//! The read-only JSON API, `/api/v1`: entries, events, wiki pages, communes and search. Only
//! what the site publishes (published, not expired), never a submitter's personal data.
//!
//! - Lists page with a cursor (`next`), the last page as cheap as the first.
//! - Answers carry an `ETag` (and `Last-Modified` where the data has a date); a request that
//!   names them gets `304 Not Modified`. They are gzipped on request, open to every origin
//!   (`Access-Control-Allow-Origin: *`), and each client address has a budget of requests
//!   (`api_requests_per_minute`; the address behind a trusted proxy counts).
//! - Errors are `application/problem+json` with a stable `code`.
//! - The OpenAPI 3.1 document, derived from these handlers and types, is at
//!   `/api/v1/openapi.json`; `/api` explains the API to people.

mod handlers;
pub mod problem;
pub mod types;

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpRequest, HttpResponse, guard, web};
use chrono::NaiveDateTime;
pub use problem::ApiError;
use serde::Serialize;
use std::hash::{Hash, Hasher};
use utoipa::OpenApi;

pub const PREFIX: &str = "/api/v1";
/// The page that explains the API.
pub const DOC_PATH: &str = "/api";
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lieu — API des données du territoire",
        description = "Annuaire (services, associations, offres d’emploi et de logement, événements), agenda, pages du wiki et recherche, en lecture seule. Seul ce qui est publié et en cours y figure, jamais les coordonnées des personnes qui proposent une fiche.",
        license(name = "Données : voir le champ licence de chaque réponse")
    ),
    paths(
        handlers::entries,
        handlers::entry,
        handlers::events,
        handlers::pages,
        handlers::page,
        handlers::communes,
        handlers::search,
    ),
    components(schemas(problem::Problem)),
    tags((name = "annuaire", description = "Les fiches de l’annuaire et l’agenda"),
         (name = "wiki", description = "Les pages du wiki"),
         (name = "territoire", description = "Les communes"),
         (name = "recherche", description = "La recherche du site"))
)]
pub struct ApiDoc;

/// The document, made once.
pub fn openapi_json() -> &'static str {
    static DOC: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    });
    &DOC
}

/// GET and HEAD: the API reads only.
fn read() -> guard::AnyGuard {
    guard::Any(guard::Get()).or(guard::Head())
}

/// A resource of the API: GET/HEAD to `handler`, any other method 405.
macro_rules! resource {
    ($path:expr, $handler:expr) => {
        web::resource($path)
            .route(web::route().guard(read()).to($handler))
            .default_service(web::to(method_not_allowed))
    };
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(DOC_PATH, web::get().to(handlers::doc_page))
        .service(
            web::scope(PREFIX)
                .wrap(from_fn(guard_api))
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|e, _| ApiError::bad("query", e.to_string()).into()),
                )
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()),
                )
                .service(resource!("/openapi.json", handlers::openapi))
                .service(resource!("/entries", handlers::entries))
                .service(resource!("/entries/{id}", handlers::entry))
                .service(resource!("/events", handlers::events))
                .service(resource!("/pages", handlers::pages))
                .service(resource!("/pages/{slug}", handlers::page))
                .service(resource!("/communes", handlers::communes))
                .service(resource!("/search", handlers::search))
                .default_service(web::to(not_found)),
        );
}

async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if req.method() == actix_web::http::Method::OPTIONS {
        // A CORS preflight: the headers come from `guard_api`.
        return Ok(HttpResponse::NoContent().finish());
    }
    Err(ApiError::MethodNotAllowed)
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// Every answer of the API: the client's budget first, then CORS headers on whatever comes
/// back.
async fn guard_api(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let refused = req.app_data::<web::Data<AppState>>().and_then(|state| {
        let key = crate::extract::client_key(req.request(), &state.config.trusted_proxies);
        state.api_budget.as_ref()?.take(&key).err()
    });
    let mut res = match refused {
        Some(wait) => {
            let seconds = wait.as_secs().max(1);
            req.into_response(actix_web::ResponseError::error_response(
                &ApiError::RateLimited(seconds),
            ))
        }
        None => next.call(req).await?.map_into_boxed_body(),
    };
    let headers = res.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("If-None-Match, If-Modified-Since"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Last-Modified, Retry-After"),
    );
    Ok(res)
}

/// `body` as JSON with its `ETag` (and `Last-Modified` when `modified` is known), or `304`
/// when the request's `If-None-Match` (or, without it, `If-Modified-Since`) says the client
/// has it already.
pub fn conditional_json(
    req: &HttpRequest,
    body: &impl Serialize,
    modified: Option<NaiveDateTime>,
) -> Result<HttpResponse, ApiError> {
    let json = serde_json::to_string(body).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut hasher = std::hash::DefaultHasher::new();
    json.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let last_modified = modified.map(|at| {
        let at = chrono::TimeZone::from_utc_datetime(&chrono::Utc, &at);
        at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    });
    let not_modified = match req.headers().get(header::IF_NONE_MATCH) {
        Some(tags) => tags.to_str().is_ok_and(|tags| {
            tags.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        }),
        None => match (modified, req.headers().get(header::IF_MODIFIED_SINCE)) {
            (Some(modified), Some(since)) => since
                .to_str()
                .ok()
                .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok())
                .is_some_and(|since| modified <= since.naive_utc()),
            _ => false,
        },
    };
    let mut res = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if let Some(lm) = last_modified {
        res.insert_header((header::LAST_MODIFIED, lm));
    }
    if not_modified {
        return Ok(res.finish());
    }
    Ok(res.content_type("application/json").body(json))
}
