use super::{csrf_field, layout};
use crate::extract::PageCtx;
use crate::i18n::t;
use maud::{Markup, html};

/// Address of the login form that brings the reader back to `back` afterwards.
pub fn login_url(back: &str) -> String {
    if back.is_empty() || back == "/" || back.starts_with("/connexion") {
        return "/connexion".to_owned();
    }
    format!(
        "/connexion?{}",
        serde_urlencoded::to_string([("retour", back)]).unwrap_or_default()
    )
}

pub fn login_form(ctx: &PageCtx, email: &str, back: &str, failed: bool) -> Markup {
    layout(
        ctx,
        t("login.title"),
        html! {
            h1 { (t("login.title")) }
            p { (t("login.explain")) }
            @if failed {
                div.alerte.alerte-erreur role="alert" {
                    p #erreur-connexion { (t("login.failed")) }
                }
            }
            form.formulaire method="post" action="/connexion" {
                (csrf_field(ctx))
                input type="hidden" name="retour" value=(back);
                div.champ {
                    label for="champ-email" { (t("login.email")) }
                    p.aide #aide-email { (t("login.email_hint")) }
                    // Text, not email: a workshop's practice accounts log in with an
                    // identifier that has no @.
                    input #champ-email type="text" name="email" value=(email) required
                        autocomplete="username" autocapitalize="none" spellcheck="false"
                        aria-describedby=(if failed { "aide-email erreur-connexion" } else { "aide-email" })
                        aria-invalid=[failed.then_some("true")];
                }
                div.champ {
                    label for="champ-password" { (t("login.password")) }
                    input #champ-password type="password" name="password" required
                        autocomplete="current-password";
                }
                div.boutons {
                    button.bouton type="submit" { (t("login.submit")) }
                }
            }
            p { a href="/mot-de-passe-oublie" { (t("login.forgot")) } }
            p.aide { (t("login.no_account")) }
            p { a href=(super::members::SIGNUP_PATH) { (t("signup.menu")) } }
        },
    )
}
