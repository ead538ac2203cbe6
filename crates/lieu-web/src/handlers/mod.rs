//! Handlers, one function per action, grouped by what they act on. Each extracts, calls the
//! store, and returns a view.

pub mod account;
pub mod accounts;
pub mod agenda;
pub mod assets;
pub mod auth;
pub mod data;
pub mod directory;
pub mod exchange;
pub mod feed;
pub mod language;
pub mod mail;
// Notifications of the exchange space (issue 12).
pub mod members;
pub mod notifications;
pub mod paper;
pub mod review;
pub mod search;
pub mod search_admin;
pub mod sitemap;
pub mod submit;
pub mod wiki;
pub mod workshop;

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use maud::Markup;

/// A posted entry form: the fields of the page around it (`M`: the CSRF token, the version
/// the form was opened on...) and the entry's fields. Read from the raw body, since an entry
/// has repeated fields (`themes`, `publics`...).
pub(crate) fn entry_form_body<M: serde::de::DeserializeOwned>(
    body: &[u8],
) -> Result<(M, lieu_core::entry::EntryForm), crate::error::AppError> {
    let bad = |e: serde_html_form::de::Error| crate::error::AppError::BadRequest(e.to_string());
    let meta: M = serde_html_form::from_bytes(body).map_err(bad)?;
    let form = serde_html_form::from_bytes(body).map_err(bad)?;
    Ok((meta, form))
}

pub(crate) fn html(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

pub(crate) fn ok(markup: Markup) -> HttpResponse {
    html(StatusCode::OK, markup)
}

/// 303: after a successful POST, the browser GETs the result (no resubmission on reload).
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// 301: a page that moved for good (renamed).
pub(crate) fn moved(location: &str) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A private page is kept by no cache, and its address is given to no other site.
pub(crate) fn private(mut res: HttpResponse) -> HttpResponse {
    let headers = res.headers_mut();
    headers.insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        actix_web::http::header::REFERRER_POLICY,
        actix_web::http::header::HeaderValue::from_static("no-referrer"),
    );
    res
}
