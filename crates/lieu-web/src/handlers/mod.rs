//! Handlers, one function per action, grouped by what they act on. Each extracts, calls the
//! store, and returns a view.

pub mod agenda;
pub mod assets;
pub mod auth;
pub mod directory;
pub mod feed;
pub mod mail;
pub mod review;
pub mod search;
pub mod search_admin;
pub mod submit;
pub mod wiki;

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use maud::Markup;

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
