//! maud views: one layout, components as functions returning `Markup`. Trusted HTML (the
//! sanitized Markdown output) enters only through [`trusted_html`].

pub mod accounts;
pub mod agenda;
pub mod api;
pub mod auth;
pub mod data;
pub mod diff;
pub mod directory;
pub mod errors;
pub mod exchange;
pub mod form;
pub mod mail;
pub mod moderation;
// Notifications of the exchange space (issue 12).
pub mod members;
pub mod notifications;
pub mod qr;
pub mod review;
pub mod search;
pub mod search_admin;
pub mod submit;
pub mod wiki;
pub mod workshop;

use crate::extract::{CSRF_FIELD, PageCtx};
use crate::i18n::{self, t};
use chrono::{Datelike, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Europe::Paris;
use lieu_core::{Invalid, Permission};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The site's stylesheet. It lives with the views that use its classes; the assets handler
/// serves it.
pub const STYLESHEET: &str = include_str!("../../static/lieu.css");

/// The site's one script: suggestions under the search box. Every page works without it.
pub const SCRIPT: &str = include_str!("../../static/lieu.js");

/// `path?v=` a hash of `content`: an address that changes with the file, so that the file can
/// be cached for a year.
fn versioned(path: &str, content: &str) -> String {
    let hash = content.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{path}?v={:x}", hash & 0xffff_ffff)
}

/// Address of the stylesheet, versioned by its content so that it can be cached for a year.
pub fn stylesheet_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| versioned("/static/lieu.css", STYLESHEET))
}

/// Address of the script, versioned like the stylesheet's.
pub fn script_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| versioned("/static/lieu.js", SCRIPT))
}

/// The one place where HTML produced elsewhere enters a page: the output of
/// `lieu_markdown::render`, which ammonia has sanitized.
pub fn trusted_html(sanitized: &str) -> PreEscaped<&str> {
    PreEscaped(sanitized)
}

/// Structured data for search engines, as a `<script type="application/ld+json">` block. The
/// second and last place where markup is built by hand: serde_json escapes quotes and control
/// characters, and `<`, `>` and `&` are written as JSON escapes so the block cannot be closed
/// early.
pub fn json_ld(value: &serde_json::Value) -> Markup {
    let json = value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html! { script type="application/ld+json" { (PreEscaped(json)) } }
}

/// What a page may ask of the layout besides its title and content.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageOptions<'a> {
    /// The search typed, kept in the header's box.
    pub query: Option<&'a str>,
    /// Keep the page out of search engines' indexes.
    pub noindex: bool,
}

/// A page: header with the site name, search box and navigation, main content, footer.
pub fn layout(ctx: &PageCtx, title: &str, content: Markup) -> Markup {
    layout_with(ctx, title, PageOptions::default(), content)
}

/// [`layout`], with options.
pub fn layout_with(
    ctx: &PageCtx,
    title: &str,
    options: PageOptions<'_>,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(i18n::current().code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if options.noindex {
                    meta name="robots" content="noindex";
                }
                title { (title) " — " (ctx.site_name) }
                link rel="stylesheet" href=(stylesheet_url());
                script src=(script_url()) defer {}
                link rel="alternate" type="application/atom+xml" title=(t("feed.title")) href="/modifications-recentes.atom";
            }
            body {
                a.lien-evitement href="#lieu_contenu" { (t("layout.skip")) }
                header.entete {
                    div.conteneur.entete-haut {
                        a.marque href="/" {
                            span.marque-republique lang=[i18n::fr_content()] { "République française" }
                            span.marque-nom { (ctx.site_name) }
                        }
                        (search::search_box(options.query))
                        (account_menu(ctx))
                    }
                    nav.navigation aria-label=(t("layout.nav_label")) {
                        ul.conteneur {
                            li { a href="/" aria-current=[current(ctx, "/")] { (t("nav.home")) } }
                            li { a href="/annuaire" aria-current=[current(ctx, "/annuaire")] { (t("nav.directory")) } }
                            li { a href="/agenda" aria-current=[current(ctx, "/agenda")] { (t("nav.agenda")) } }
                            li { a href=(exchange::HOME_PATH) aria-current=[current(ctx, exchange::HOME_PATH)] { (t("nav.exchange")) } }
                            li { a href="/pages" aria-current=[current(ctx, "/pages")] { (t("nav.pages")) } }
                            // A workshop participant practises the form: theirs is the sandbox's.
                            @if ctx.viewer.as_ref().is_some_and(|v| v.role == lieu_core::Role::Trainee) {
                                li { a href=(workshop::MINE_FORM_PATH) { (t("nav.submit")) } }
                            } @else {
                                li { a href=(submit::FORM_PATH) aria-current=[current(ctx, submit::FORM_PATH)] { (t("nav.submit")) } }
                            }
                            li { a href="/modifications-recentes" aria-current=[current(ctx, "/modifications-recentes")] { (t("nav.recent")) } }
                            li { a href="/wiki/aide-a-l-edition" { (t("nav.help")) } }
                        }
                    }
                }
                main #lieu_contenu .conteneur tabindex="-1" {
                    (content)
                }
                footer.pied {
                    div.conteneur {
                        p { (ctx.site_name) " — " (t("layout.footer_tagline")) }
                        p.pied-licence {
                            (t("layout.data_licence")) " "
                            a href=(ctx.data_licence_url) rel="license" { (ctx.data_licence) }
                            " · " a href=(data::PATH) aria-current=[current(ctx, data::PATH)] { (t("layout.open_data")) }
                        }
                        ul.pied-liens {
                            li { a href="/wiki/mentions-legales" { (t("layout.legal")) } }
                            li { a href="/wiki/accessibilite" { (t("layout.accessibility")) } }
                            li { a href="/wiki/donnees-personnelles" { (t("layout.privacy")) } }
                            li { a href="/modifications-recentes.atom" { (t("layout.feed")) } }
                        }
                    }
                }
            }
        }
    }
}

fn current(ctx: &PageCtx, path: &str) -> Option<&'static str> {
    (ctx.path == path).then_some("page")
}

fn account_menu(ctx: &PageCtx) -> Markup {
    html! {
        div.compte {
            (language_switch(ctx))
            @if let Some(viewer) = &ctx.viewer {
                span.compte-nom { (t("account.signed_in_as")) " " strong { (viewer.name) } }
                @if viewer.can(Permission::OwnAccount) {
                    a href=(accounts::OWN_PATH) aria-current=[current(ctx, accounts::OWN_PATH)] { (t("account.menu")) }
                }
                // Notifications of the exchange space (issue 12).
                @if let Some(unread) = ctx.unread {
                    (notifications::menu_link(ctx, unread))
                }
                @if viewer.can(Permission::ManageUsers) {
                    a href=(accounts::ACCOUNTS_PATH) aria-current=[current(ctx, accounts::ACCOUNTS_PATH)] { (t("accounts.menu")) }
                }
                @if viewer.can(Permission::Moderate) {
                    a href=(members::MEMBERS_PATH) aria-current=[current(ctx, members::MEMBERS_PATH)] { (t("members.menu")) }
                }
                @if viewer.can(Permission::RunWorkshops) {
                    a.compte-ateliers href=(workshop::LIST_PATH) { (t("workshop.menu")) }
                } @else if viewer.role == lieu_core::Role::Trainee {
                    a.compte-ateliers href=(workshop::MINE_PATH) { (t("workshop.menu_trainee")) }
                }
                @if viewer.can(Permission::Moderate) {
                    a href=(moderation::QUEUE_PATH) aria-current=[current(ctx, moderation::QUEUE_PATH)] { (t("moderation.menu")) }
                }
                @if let Some(n) = ctx.waiting {
                    a.compte-demandes href=(review::QUEUE_PATH) {
                        (t("review.menu")) " "
                        span.compteur { (n) }
                    }
                }
                form.en-ligne method="post" action="/deconnexion" {
                    (csrf_field(ctx))
                    button.bouton-lien type="submit" { (t("account.logout")) }
                }
            } @else {
                a href=(auth::login_url(&ctx.path)) { (t("account.login")) }
                // Members: residents create their own account.
                a href=(members::SIGNUP_PATH) aria-current=[current(ctx, members::SIGNUP_PATH)] { (t("signup.menu")) }
            }
        }
    }
}

/// The link to the page in the other language: a plain link (no script, no form), to the
/// switch that keeps the choice in a cookie and comes back here. Its text is in the language
/// it leads to, and says so.
pub fn language_switch(ctx: &PageCtx) -> Markup {
    let other = i18n::current().other();
    html! {
        a.langue href=(i18n::switch_url(other, &ctx.path)) hreflang=(other.code()) lang=(other.code()) rel="nofollow" {
            (other.name())
        }
    }
}

/// The hidden field that every form carries.
pub fn csrf_field(ctx: &PageCtx) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(ctx.csrf.0); }
}

/// The list of errors at the top of a form, each a link to its field (RGAA 11.10).
pub fn error_summary(invalid: Option<&Invalid>) -> Markup {
    html! {
        @if let Some(invalid) = invalid.filter(|i| !i.is_empty()) {
            div.alerte.alerte-erreur role="alert" aria-labelledby="lieu_erreurs_titre" {
                h2 #lieu_erreurs_titre { (t("form.errors_title")) }
                ul {
                    @for e in &invalid.errors {
                        li { a href={ "#champ-" (e.field) } { (t(e.code)) } }
                    }
                }
            }
        }
    }
}

/// The message under a field, if it has an error.
pub fn field_error(invalid: Option<&Invalid>, field: &str) -> Markup {
    html! {
        @if let Some(e) = invalid.and_then(|i| i.on(field)) {
            p.message-erreur id={ "erreur-" (field) } { (t(e.code)) }
        }
    }
}

/// `aria-describedby` and `aria-invalid` values for a field.
pub fn field_aria(
    invalid: Option<&Invalid>,
    field: &str,
) -> (Option<String>, Option<&'static str>) {
    match invalid.and_then(|i| i.on(field)) {
        Some(_) => (Some(format!("erreur-{field}")), Some("true")),
        None => (None, None),
    }
}

/// A date in the time of Paris, as residents read it: "22/11/2026 à 14:05" ("22/11/2026 at
/// 14:05" in English).
///
/// Written field by field rather than with a `strftime` pattern, which chrono parses again at
/// every call: a thread's page shows fifty dates, and parsing them was a tenth of its cost.
pub fn format_datetime(utc: NaiveDateTime) -> String {
    i18n::words::numeric_moment(Paris.from_utc_datetime(&utc).naive_local())
}

/// A `<time>` element with a machine-readable value (`2026-11-22T13:05:00Z`).
pub fn time(utc: NaiveDateTime) -> Markup {
    use i18n::words::{push_digits, push_numeric_moment, push_year};
    // Written by hand rather than with `html!` and `format!`: a page of the exchange space
    // shows 30 dates, which cost 14% of it. Only digits and fixed words are written here.
    let mut out = String::with_capacity(64);
    out.push_str("<time datetime=\"");
    push_year(&mut out, utc.year());
    out.push('-');
    push_digits(&mut out, utc.month(), 2);
    out.push('-');
    push_digits(&mut out, utc.day(), 2);
    out.push('T');
    push_digits(&mut out, utc.hour(), 2);
    out.push(':');
    push_digits(&mut out, utc.minute(), 2);
    out.push(':');
    push_digits(&mut out, utc.second(), 2);
    out.push_str("Z\">");
    push_numeric_moment(&mut out, Paris.from_utc_datetime(&utc).naive_local());
    out.push_str("</time>");
    PreEscaped(out)
}

/// Page numbers of a paginated list.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl Paging {
    pub fn new(page: Option<i64>, per_page: i64, total: i64) -> Paging {
        let last = ((total + per_page - 1) / per_page).max(1);
        Paging {
            page: page.unwrap_or(1).clamp(1, last),
            per_page,
            total,
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn last(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// "Previous / page N of M / next" links; `base` is the list's address without `page`.
pub fn pagination(paging: Paging, base: &str) -> Markup {
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        @if paging.last() > 1 {
            nav.pagination aria-label=(t("paging.label")) {
                @if paging.page > 1 {
                    a rel="prev" href={ (base) (sep) "page=" (paging.page - 1) } { (t("paging.previous")) }
                }
                span { (t("paging.page")) " " (paging.page) " / " (paging.last()) }
                @if paging.page < paging.last() {
                    a rel="next" href={ (base) (sep) "page=" (paging.page + 1) } { (t("paging.next")) }
                }
            }
        }
    }
}

/// Links under a page title to what can be done with it.
pub fn page_actions(ctx: &PageCtx, slug: &str) -> Markup {
    html! {
        nav.actions-page aria-label=(t("page.actions_label")) {
            ul {
                li { a href={ "/wiki/" (slug) } { (t("page.read")) } }
                @if ctx.can(Permission::EditPages) {
                    li { a href={ "/wiki/" (slug) "/modifier" } { (t("page.edit")) } }
                }
                li { a href={ "/wiki/" (slug) "/discussion" } { (t("page.discussion")) } }
                li { a href={ "/wiki/" (slug) "/historique" } { (t("page.history")) } }
                li { a href={ "/wiki/" (slug) "/liens" } { (t("page.backlinks")) } }
                @if ctx.can(Permission::RenamePages) {
                    li { a href={ "/wiki/" (slug) "/renommer" } { (t("page.rename")) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    /// The dates written field by field read as the `strftime` patterns they replace, on
    /// both sides of the changes of time in Paris.
    #[test]
    fn dates_read_as_their_strftime_patterns() {
        for (y, m, d, h, min, sec) in [
            (2026, 11, 22, 13, 5, 0),
            (2026, 3, 29, 0, 59, 59),
            (2026, 3, 29, 1, 0, 0),
            (2026, 10, 25, 0, 30, 7),
            (2026, 12, 31, 23, 30, 0),
            (999, 1, 2, 3, 4, 5),
        ] {
            let utc = chrono::NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(h, min, sec))
                .expect("a moment");
            let paris = Paris.from_utc_datetime(&utc);
            assert_eq!(
                format_datetime(utc),
                paris.format("%d/%m/%Y à %H:%M").to_string()
            );
            assert_eq!(
                time(utc).into_string(),
                format!(
                    "<time datetime=\"{}\">{}</time>",
                    utc.format("%Y-%m-%dT%H:%M:%SZ"),
                    paris.format("%d/%m/%Y à %H:%M")
                )
            );
        }
    }
}
