//! Error pages: each says what happened and offers a way forward, in French.

use crate::i18n::t;
use maud::{DOCTYPE, Markup, html};

/// What an error page says, as plain data: the error type (`crate::error::AppError`) builds
/// it, so that views do not depend on the error type.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage<'a> {
    /// Catalog keys of the title and of the explanation.
    pub title: &'static str,
    pub explain: &'static str,
    /// Catalog keys of the reasons, listed under the explanation.
    pub reasons: &'a [&'static str],
    /// Seconds to wait before trying again (too many attempts).
    pub wait_seconds: Option<u64>,
    /// The size limit that was exceeded, in bytes.
    pub limit_bytes: Option<usize>,
    /// Stable code of the error, shown for the helpdesk.
    pub code: &'static str,
}

/// A complete page for an error. Rendered without the request (it is built by
/// `ResponseError`), so the header shows no account; the links still lead on.
pub fn error_page(error: &ErrorPage) -> Markup {
    let (title, explain) = (t(error.title), t(error.explain));
    html! {
        (DOCTYPE)
        html lang=(crate::i18n::current().code()) {
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
                            span.marque-republique lang=[crate::i18n::fr_content()] { "République française" }
                            span.marque-nom { (t("error.site")) }
                        }
                    }
                }
                main #lieu_contenu .conteneur tabindex="-1" {
                    h1 { (title) }
                    p { (explain) }
                    @if !error.reasons.is_empty() {
                        ul { @for reason in error.reasons { li { (t(reason)) } } }
                    }
                    @if let Some(seconds) = error.wait_seconds {
                        p { (t("error.rate_limited_wait")) " " (minutes(seconds)) "." }
                    }
                    @if let Some(limit) = error.limit_bytes {
                        p { (t("error.too_large_limit")) " " strong { (size(limit)) } "." }
                        p { (t("error.too_large_back")) }
                    }
                    p { (t("error.code")) (crate::i18n::colon()) " " code { (error.code) } }
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

/// A size as readers say it: « 4 Mo », « 512 Ko » in French, "4 MB", "512 KB" in English.
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    let (mega, kilo) = match crate::i18n::current() {
        crate::i18n::Lang::Fr => ("Mo", "Ko"),
        crate::i18n::Lang::En => ("MB", "KB"),
    };
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} {mega}", bytes / MIB)
    } else {
        format!("{} {kilo}", bytes.div_ceil(KIB))
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
