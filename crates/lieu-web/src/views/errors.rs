//! Error pages: each says what happened and offers a way forward, in French.

use crate::error::AppError;
use crate::i18n::t;
use maud::{DOCTYPE, Markup, html};

/// A complete page for an error. Rendered without the request (it is built by
/// `ResponseError`), so the header shows no account; the links still lead on.
pub fn error_page(error: &AppError) -> Markup {
    let (title, explain) = match error {
        AppError::NotFound | AppError::Moved(_) => {
            (t("error.not_found"), t("error.not_found_explain"))
        }
        AppError::Forbidden => (t("error.forbidden"), t("error.forbidden_explain")),
        AppError::Csrf => (t("error.csrf"), t("error.csrf_explain")),
        AppError::RateLimited(_) => (t("error.rate_limited"), t("error.rate_limited_explain")),
        AppError::TooLarge(_) => (t("error.too_large"), t("error.too_large_explain")),
        AppError::BadRequest(_) | AppError::Invalid(_) => {
            (t("error.bad_request"), t("error.bad_request_explain"))
        }
        AppError::LoginRequired(_) => (t("error.login_required"), t("error.login_required")),
        AppError::Internal(_) => (t("error.internal"), t("error.internal_explain")),
    };
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(super::stylesheet_url());
            }
            body {
                a.lien-evitement href="#lieu_contenu" { (t("layout.skip")) }
                header.entete {
                    div.conteneur.entete-haut {
                        a.marque href="/" {
                            span.marque-republique { "République française" }
                            span.marque-nom { (t("error.site")) }
                        }
                    }
                }
                main #lieu_contenu .conteneur tabindex="-1" {
                    h1 { (title) }
                    p { (explain) }
                    @if let AppError::Invalid(invalid) = error {
                        ul { @for e in &invalid.errors { li { (t(e.code)) } } }
                    }
                    @if let AppError::RateLimited(seconds) = error {
                        p { (t("error.rate_limited_wait")) " " (minutes(*seconds)) "." }
                    }
                    @if let AppError::TooLarge(limit) = error {
                        p { (t("error.too_large_limit")) " " strong { (size(*limit)) } "." }
                        p { (t("error.too_large_back")) }
                    }
                    p { (t("error.code")) " : " code { (error.code()) } }
                    ul {
                        li { a href="/" { (t("missing.home")) } }
                        li { a href="/pages" { (t("missing.index")) } }
                        li { a href="/connexion" { (t("account.login")) } }
                    }
                }
            }
        }
    }
}

/// A wait in whole minutes, rounded up, as a reader counts it: « 1 minute », « 12 minutes ».
fn minutes(seconds: u64) -> String {
    match seconds.div_ceil(60).max(1) {
        1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

/// A size as the French say it: « 4 Mo », « 512 Ko ».
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} Mo", bytes / MIB)
    } else {
        format!("{} Ko", bytes.div_ceil(KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_waits_read_in_french() {
        assert_eq!(size(4 * 1024 * 1024), "4 Mo");
        assert_eq!(size(512 * 1024), "512 Ko");
        assert_eq!(minutes(20), "1 minute");
        assert_eq!(minutes(0), "1 minute");
        assert_eq!(minutes(720), "12 minutes");
        assert_eq!(minutes(721), "13 minutes");
    }
}
