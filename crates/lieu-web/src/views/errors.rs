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
        AppError::RateLimited => (t("error.rate_limited"), t("error.rate_limited_explain")),
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
