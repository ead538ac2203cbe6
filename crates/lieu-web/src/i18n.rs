//! The words of the interface, in French first and English second. Views ask for a key with
//! [`t`]; the catalog of the request's language answers. The language is chosen once per
//! request by the [`language`] middleware (the `lang` cookie set by the switch, else the
//! browser's `Accept-Language`, else French) and read by [`t`] from a task-local value, so that
//! views and handlers need not carry it. Outside any request (unit tests of views, mail, the
//! CLI) the language is French. Validation codes from `lieu-core` are keys too.
//!
//! Content is not translated: wiki pages, entries and posts stay in the language they were
//! written in (French), and their containers say so with a `lang` attribute when the
//! interface is in another language (see [`content_lang`]). What is written into the
//! database (revision summaries, pages made from threads, participants' names) is French
//! whatever the interface's language: use [`t_fr`] there.

mod en;
mod fr;
pub mod words;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use std::collections::HashMap;
use std::sync::LazyLock;

pub use en::EN;
pub use fr::FR;

/// The languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The BCP 47 code, as written in `lang` attributes and in the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language of a cookie's or a switch's value (`fr`, `en`); anything else is none.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the switch offers: the other one.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The name of the language in itself, as the switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }
}

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being answered; French outside any request.
pub fn current() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or(Lang::Fr)
}

/// Runs `f` with `lang` as the interface's language (tests of views, and the middleware).
pub fn with_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    LANG.sync_scope(lang, f)
}

/// The sentence for `key` in the request's language. A key missing from the English catalog
/// falls back to French, a key missing from both gives a placeholder (tests make sure neither
/// happens).
pub fn t(key: &str) -> &'static str {
    let lang = current();
    lookup(lang, key)
        .or_else(|| {
            tracing::warn!(key, lang = lang.code(), "missing translation");
            lookup(Lang::Fr, key)
        })
        .unwrap_or("[texte manquant]")
}

/// The French sentence for `key`, whatever the interface's language: for what is stored in
/// the database or sent by mail, which is content and stays French.
pub fn t_fr(key: &str) -> &'static str {
    lookup(Lang::Fr, key).unwrap_or_else(|| {
        tracing::warn!(key, "missing translation");
        "[texte manquant]"
    })
}

pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    match lang {
        Lang::Fr => FR_BY_KEY.get(key).copied(),
        Lang::En => EN_BY_KEY.get(key).copied(),
    }
}

pub fn lookup_fr(key: &str) -> Option<&'static str> {
    lookup(Lang::Fr, key)
}

/// The catalogs by key, built once: every page asks for dozens of keys.
static FR_BY_KEY: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| FR.iter().copied().collect());
static EN_BY_KEY: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| EN.iter().copied().collect());

/// The `lang` attribute of a container of content written in `content` (a wiki page's
/// language, `fr` for entries and posts): `None` when it is the interface's language, so the
/// attribute is only written where the language changes.
pub fn content_lang(content: &str) -> Option<&str> {
    (content != current().code()).then_some(content)
}

/// [`content_lang`] for content in French, the language everything is written in.
pub fn fr_content() -> Option<&'static str> {
    (current() != Lang::Fr).then_some("fr")
}

/// Text quoted as the language writes it: « texte » in French, “text” in English.
pub fn quoted(text: &str) -> String {
    match current() {
        Lang::Fr => format!("« {text} »"),
        Lang::En => format!("“{text}”"),
    }
}

/// The opening and closing quotation marks, for a quotation that holds markup (a link).
pub fn quote_marks() -> (&'static str, &'static str) {
    match current() {
        Lang::Fr => ("« ", " »"),
        Lang::En => ("“", "”"),
    }
}

/// A question mark as the language writes it: " ?" in French, "?" in English.
pub fn question_mark() -> &'static str {
    match current() {
        Lang::Fr => " ?",
        Lang::En => "?",
    }
}

/// A colon as the language writes it: after a space in French, right after the word in
/// English. Written `(t("label")) (colon()) " "` in views: « Rôle : », "Role: ".
pub fn colon() -> &'static str {
    match current() {
        Lang::Fr => " :",
        Lang::En => ":",
    }
}

// --- Choosing the language of a request.

/// The cookie the switch sets: `fr` or `en`.
pub const LANG_COOKIE: &str = "lang";

/// Where the switch sends: `GET /langue?l=en&retour=/annuaire` (the route in `routes.rs`).
pub const SWITCH_PATH: &str = "/langue";

/// How long the choice is kept.
const COOKIE_DAYS: i64 = 365;

/// The language a request is answered in: the switch's cookie when it names one, else the
/// best language of `Accept-Language` that the site speaks, else French.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    cookie
        .and_then(Lang::from_code)
        .or_else(|| accept_language.and_then(negotiate))
        .unwrap_or(Lang::Fr)
}

/// The language of `Accept-Language` (RFC 9110 §12.5.4) that the site speaks, by quality:
/// `en-GB,en;q=0.9,fr;q=0.8` is English, `de, fr;q=0.5, en;q=0.4` French. A range matches by
/// its primary subtag; `*` and `q=0` choose nothing; equal qualities go to the one listed
/// first. `None` when no range names a language of the site.
pub fn negotiate(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, u16)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let primary = tag.split('-').next().unwrap_or_default();
        let lang = if primary.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            continue;
        };
        let mut quality = Some(1000);
        for param in parts {
            let Some((name, value)) = param.split_once('=') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("q") {
                quality = parse_quality(value.trim());
            }
        }
        let Some(quality) = quality.filter(|q| *q > 0) else {
            continue;
        };
        if best.is_none_or(|(_, q)| quality > q) {
            best = Some((lang, quality));
        }
    }
    best.map(|(lang, _)| lang)
}

/// A quality value (`0`, `0.8`, `1.000`) in thousandths; `None` when malformed.
fn parse_quality(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Middleware: answers the request in its language (see [`choose`]), and tells caches that
/// the response depends on `Accept-Language` and on the cookie. Static files and the JSON API
/// are the same in every language and stay cacheable by anyone.
pub async fn language(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let cookie = req.cookie(LANG_COOKIE);
    let accept = req.headers().get(header::ACCEPT_LANGUAGE);
    let lang = choose(
        cookie.as_ref().map(Cookie::value),
        accept.and_then(|v| v.to_str().ok()),
    );
    // The JSON API answers the same data in every language: shared caches may keep it.
    let varies = !req.path().starts_with("/static/") && !req.path().starts_with("/api/v1/");
    let mut res = LANG.scope(lang, next.call(req)).await?;
    if varies {
        res.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("accept-language, cookie"),
        );
    }
    Ok(res)
}

/// The cookie that keeps the switch's choice.
pub fn lang_cookie(lang: Lang, secure: bool) -> Cookie<'static> {
    Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(COOKIE_DAYS))
        .finish()
}

/// The switch's address from the page at `path` to `lang`.
pub fn switch_url(lang: Lang, path: &str) -> String {
    format!(
        "{SWITCH_PATH}?{}",
        serde_urlencoded::to_string([("l", lang.code()), ("retour", path)]).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key used in the source has a French sentence.
    #[test]
    fn every_key_used_has_a_french_text() {
        let sources = [
            include_str!("views/mod.rs"),
            include_str!("views/wiki.rs"),
            include_str!("views/auth.rs"),
            include_str!("views/errors.rs"),
            include_str!("views/diff.rs"),
            include_str!("views/form.rs"),
            include_str!("views/directory/entry.rs"),
            include_str!("views/directory/form.rs"),
            include_str!("views/directory/format.rs"),
            include_str!("views/directory/json_ld.rs"),
            include_str!("views/directory/lists.rs"),
            include_str!("views/directory/manage.rs"),
            include_str!("views/directory/paper.rs"),
            include_str!("handlers/paper.rs"),
            include_str!("views/agenda.rs"),
            include_str!("views/search.rs"),
            include_str!("handlers/directory.rs"),
            include_str!("handlers/agenda.rs"),
            include_str!("handlers/wiki.rs"),
            include_str!("handlers/feed.rs"),
            include_str!("handlers/search.rs"),
            include_str!("views/search_admin.rs"),
            include_str!("handlers/search_admin.rs"),
            include_str!("views/exchange.rs"),
            include_str!("views/moderation.rs"),
            include_str!("handlers/exchange.rs"),
            include_str!("views/notifications.rs"),
            include_str!("handlers/notifications.rs"),
            include_str!("views/members.rs"),
            include_str!("handlers/members.rs"),
            include_str!("views/accounts.rs"),
            include_str!("handlers/account.rs"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            for (at, _) in source.match_indices("t(\"") {
                // `t(` alone, not the end of `format(` or `set_summary(`.
                let before = source[..at].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue;
                }
                let rest = &source[at + 3..];
                let key = rest.split('"').next().unwrap_or_default();
                if lookup_fr(key).is_none() {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "missing French texts: {missing:?}");
    }

    #[test]
    fn every_validation_code_has_a_french_text() {
        for code in [
            "title_required",
            "title_too_long",
            "title_forbidden_chars",
            "title_needs_letters",
            "title_taken",
            "form_expired",
            "entry_slug_taken",
            "title_unchanged",
            "body_required",
            "body_too_long",
            "summary_too_long",
            "entry_title_required",
            "entry_summary_too_long",
            "summary_required",
            "commune_required",
            "commune_unknown",
            "text_too_long",
            "field_too_long",
            "category_unknown",
            "value_unknown",
            "contract_required",
            "employer_required",
            "how_to_apply_required",
            "date_invalid",
            "datetime_invalid",
            "date_out_of_range",
            "expires_on_required",
            "expires_in_the_past",
            "expires_too_far",
            "housing_type_required",
            "amount_invalid",
            "number_invalid",
            "starts_at_required",
            "ends_before_start",
            "weekly_until_before_start",
            "weekly_until_too_far",
            "phone_invalid",
            "email_invalid",
            "website_invalid",
            "opening_hours_invalid",
            "synonym_too_few",
            "synonym_too_long",
            "synonym_bad_chars",
            "synonym_too_many",
            "synonym_word_required",
            "synonym_one_phrase",
            "synonym_same_word",
            "synonym_group_gone",
            "sender_name_required",
            "sender_email_required",
            "sender_field_too_long",
            "consent_required",
            "submit.kind_hint.service",
            "submit.kind_hint.association",
            "submit.kind_hint.job",
            "submit.kind_hint.housing",
            "submit.kind_hint.event",
            // Keys chosen at run time, out of reach of the source scan.
            "directory.count",
            "directory.count_one",
            "list.result",
            "list.results",
            "yes",
            "no",
            "field.address",
            "field.meeting_place",
            "index.count_one",
            "misses.search_one",
            "misses.searches",
            "synonyms.count",
            "synonyms.count_one",
            // Codes of lieu_core::exchange and lieu_store::exchange.
            "exchange.title_required",
            "exchange.title_too_short",
            "exchange.title_too_long",
            "exchange.body_required",
            "exchange.body_too_long",
            "exchange.reason_required",
            "exchange.reason_too_long",
            "exchange.setting_out_of_range",
            "exchange.email_unconfirmed",
            "exchange.suspended",
            "exchange.no_links_yet",
            "exchange.rate_limited",
            "exchange.thread_locked",
            "exchange.edit_window_over",
            "report.reason_required",
            "moderation.category_required",
        ] {
            assert!(lookup_fr(code).is_some(), "{code}");
        }
    }

    #[test]
    fn keys_are_unique() {
        for catalog in [FR, EN] {
            let mut keys: Vec<_> = catalog.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            let before = keys.len();
            keys.dedup();
            assert_eq!(before, keys.len());
        }
    }

    /// Every French sentence has its English one, and the English catalog holds no key the
    /// French one lacks.
    #[test]
    fn every_key_has_its_english_text_and_no_more() {
        let missing: Vec<_> = FR
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| lookup(Lang::En, k).is_none_or(|v| v.trim().is_empty()))
            .collect();
        assert!(missing.is_empty(), "no English text: {missing:?}");
        let extra: Vec<_> = EN
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| lookup_fr(k).is_none())
            .collect();
        assert!(extra.is_empty(), "English only: {extra:?}");
    }

    /// Words that read the same in both languages; any other English text equal to the
    /// French is a copy waiting for its translation.
    const SAME_IN_BOTH: &[&str] = &[
        "Action",
        "Association",
        "Associations",
        "Contact",
        "correction",
        "Date",
        "Description",
        "Discussion",
        "France Services",
        // Names of standards (the open data page).
        "data·inclusion (version 1)",
        "Open Referral HSDS 3",
        // The hub's name, on the error pages that cannot read the configured one.
        "Lieu partagé",
        "message",
        "messages",
        "Messages",
        "Notifications",
        "Page",
        "page.",
        "Participant",
        "Participants",
        "Question",
        "Service",
        "Services",
        "Suggestions",
        "Type",
        "Version",
        "version",
    ];

    #[test]
    fn english_texts_are_not_copies_of_the_french() {
        let copies: Vec<_> = FR
            .iter()
            .filter(|(k, fr)| lookup(Lang::En, k) == Some(*fr) && !SAME_IN_BOTH.contains(fr))
            .map(|(k, _)| *k)
            .collect();
        assert!(
            copies.is_empty(),
            "English text copied from French: {copies:?}"
        );
    }

    /// What the views fill in (`{n}`, `{title}`...) is in both texts of a key.
    #[test]
    fn both_texts_have_the_same_placeholders() {
        fn placeholders(text: &str) -> Vec<&str> {
            let mut found: Vec<&str> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            found.sort_unstable();
            found
        }
        for (key, fr) in FR {
            let en = lookup(Lang::En, key).unwrap_or_default();
            assert_eq!(placeholders(fr), placeholders(en), "{key}");
        }
    }

    #[test]
    fn t_answers_in_the_language_of_the_scope_and_french_outside() {
        assert_eq!(t("nav.directory"), "Annuaire");
        assert_eq!(with_lang(Lang::En, || t("nav.directory")), "Directory");
        assert_eq!(with_lang(Lang::En, || t_fr("nav.directory")), "Annuaire");
        assert_eq!(with_lang(Lang::En, fr_content), Some("fr"));
        assert_eq!(fr_content(), None);
        assert_eq!(with_lang(Lang::En, || content_lang("en")), None);
    }

    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(negotiate("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(
            negotiate("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(negotiate("de, fr;q=0.5, en;q=0.4"), Some(Lang::Fr));
        assert_eq!(negotiate("de, en;q=0.5, fr;q=0.4"), Some(Lang::En));
        assert_eq!(negotiate("fr;q=0.4, EN-gb;q=0.6"), Some(Lang::En));
        // Equal qualities: the first listed.
        assert_eq!(negotiate("en, fr"), Some(Lang::En));
        assert_eq!(negotiate("fr;q=1.0, en;q=1"), Some(Lang::Fr));
        // Refused with q=0, or nothing the site speaks.
        assert_eq!(negotiate("en;q=0, de"), None);
        assert_eq!(negotiate("en;q=0.000"), None);
        assert_eq!(negotiate("de-DE, *"), None);
        assert_eq!(negotiate(""), None);
        // Malformed qualities choose nothing rather than everything.
        assert_eq!(negotiate("en;q=2, fr;q=0.1"), Some(Lang::Fr));
        assert_eq!(negotiate("en;q=abc"), None);
        assert_eq!(negotiate("en;q=0.1234"), None);
        // "english" is not "en".
        assert_eq!(negotiate("english"), None);
    }

    #[test]
    fn the_cookie_beats_the_header_and_french_is_the_default() {
        assert_eq!(choose(Some("en"), Some("fr")), Lang::En);
        assert_eq!(choose(Some("fr"), Some("en")), Lang::Fr);
        assert_eq!(choose(Some("xx"), Some("en")), Lang::En);
        assert_eq!(choose(None, Some("de")), Lang::Fr);
        assert_eq!(choose(None, None), Lang::Fr);
    }
}
