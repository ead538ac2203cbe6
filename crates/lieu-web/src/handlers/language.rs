//! The language switch: a plain link that keeps the reader's choice in a cookie and sends them
//! back to the page they were reading, on this site only.

use crate::i18n::{Lang, lang_cookie};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use lieu_core::redirect;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    /// `fr` or `en`.
    #[serde(default)]
    l: String,
    /// The page to come back to; anything that is not a path of this site goes home.
    retour: Option<String>,
}

/// `GET /langue?l=en&retour=/annuaire`: 303 back to `retour` with the `lang` cookie set. An
/// unknown language keeps the cookie as it is; a `retour` that leads elsewhere (an open
/// redirect) is refused in favour of the home page.
pub async fn switch(state: web::Data<AppState>, query: web::Query<SwitchQuery>) -> HttpResponse {
    let back = query
        .retour
        .as_deref()
        .and_then(redirect::local_path)
        .unwrap_or_else(|| "/".to_owned());
    let mut res = HttpResponse::SeeOther();
    res.insert_header((header::LOCATION, back))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(lang) = Lang::from_code(&query.l) {
        res.cookie(lang_cookie(lang, state.config.secure_cookies()));
    }
    res.finish()
}
