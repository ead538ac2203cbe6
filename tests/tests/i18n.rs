//! The interface in English second (issue 13): the language follows `Accept-Language`, the
//! switch keeps a choice in a cookie that beats the header, French is the default, content
//! stays French and says so, and nothing cached or shared serves one language to a reader of
//! the other.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use lieu_core::Role;
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends};
use lieu_web::WebConfig;

on_both_backends!(
    accept_language_in_english_gives_the_english_interface,
    french_is_the_default_when_nothing_matches,
    the_switch_keeps_the_choice_in_a_cookie,
    the_cookie_beats_the_header,
    the_switch_sends_back_to_this_site_only,
    over_https_the_language_cookie_is_secure,
    a_cached_wiki_page_is_served_in_each_readers_language,
    every_language_dependent_response_varies_by_language,
    content_stays_french_and_is_marked_as_such,
    directory_words_dates_and_hours_read_in_english,
    error_pages_and_forms_speak_english,
);

const ENGLISH: &str = "en-GB,en;q=0.9,fr;q=0.5";

async fn get_in(browser: &Browser<'_>, path: &str, accept_language: &str) -> Page {
    browser
        .send(
            TestRequest::get()
                .uri(path)
                .insert_header(("accept-language", accept_language)),
        )
        .await
}

fn set_cookie(page: &Page, name: &str) -> Option<Cookie<'static>> {
    page.headers
        .get_all("set-cookie")
        .filter_map(|v| Cookie::parse(v.to_str().ok()?.to_owned()).ok())
        .find(|c| c.name() == name)
}

fn vary(page: &Page) -> String {
    page.headers
        .get_all("vary")
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ")
        .to_ascii_lowercase()
}

#[track_caller]
fn assert_english(page: &Page) {
    page.assert_contains("<html lang=\"en\">");
    page.assert_contains("Skip to main content");
    page.assert_contains(">Directory</a>");
    // The switch leads back to French, and says so in French.
    page.assert_contains("hreflang=\"fr\" lang=\"fr\" rel=\"nofollow\">Français</a>");
    assert!(!page.body.contains("Aller au contenu"), "{}", page.body);
}

#[track_caller]
fn assert_french(page: &Page) {
    page.assert_contains("<html lang=\"fr\">");
    page.assert_contains("Aller au contenu");
    page.assert_contains(">Annuaire</a>");
    page.assert_contains("hreflang=\"en\" lang=\"en\" rel=\"nofollow\">English</a>");
    assert!(!page.body.contains("Skip to main content"), "{}", page.body);
}

async fn accept_language_in_english_gives_the_english_interface(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    for path in [
        "/pages",
        "/annuaire",
        "/agenda",
        "/echanges",
        "/recherche",
        "/referencer",
    ] {
        let page = get_in(&browser, path, ENGLISH).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_english(&page);
    }
    let pages = get_in(&browser, "/pages", "en").await;
    pages.assert_contains("<h1>All pages</h1>");
    // A header alone sets no cookie: the next request follows its own header.
    assert!(browser.cookie("lang").is_none());
    assert_french(&browser.get("/pages").await);
}

async fn french_is_the_default_when_nothing_matches(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    assert_french(&browser.get("/pages").await);
    for header in [
        "de-DE, es;q=0.8",
        "*",
        "en;q=0, de",
        "fr-BE",
        "fr;q=0.9, en;q=0.8",
        "",
    ] {
        assert_french(&get_in(&browser, "/pages", header).await);
    }
}

async fn the_switch_keeps_the_choice_in_a_cookie(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    let home = browser.get("/annuaire").await;
    home.assert_contains("href=\"/langue?l=en&amp;retour=%2Fannuaire\"");

    let switched = browser.get("/langue?l=en&retour=%2Fannuaire").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), Some("/annuaire"));
    let cookie = set_cookie(&switched, "lang").expect("the switch sets a cookie");
    assert_eq!(cookie.value(), "en");
    assert_eq!(cookie.path(), Some("/"));
    assert_eq!(cookie.same_site(), Some(SameSite::Lax));
    assert!(
        cookie.max_age().is_some_and(|age| age.whole_days() >= 300),
        "{cookie}"
    );
    assert_english(&browser.get("/annuaire").await);
    // Kept from page to page.
    assert_english(&browser.get("/pages").await);

    // And back, with the query string of the page kept.
    let back = browser
        .get("/langue?l=fr&retour=%2Frecherche%3Fq%3Dcaf")
        .await;
    assert_eq!(back.location(), Some("/recherche?q=caf"));
    assert_french(&browser.get("/pages").await);

    // An unknown language changes nothing, and still goes back.
    let odd = browser.get("/langue?l=de&retour=%2Fpages").await;
    assert_eq!(odd.status, StatusCode::SEE_OTHER);
    assert!(set_cookie(&odd, "lang").is_none());
    assert_french(&browser.get("/pages").await);
}

async fn the_cookie_beats_the_header(backend: Backend) {
    let app = TestApp::new(backend).await;
    let english = app.browser();
    english.get("/langue?l=en&retour=%2F").await;
    assert_english(&get_in(&english, "/pages", "fr-FR,fr;q=0.9").await);
    let french = app.browser();
    french.get("/langue?l=fr&retour=%2F").await;
    assert_french(&get_in(&french, "/pages", ENGLISH).await);
}

async fn the_switch_sends_back_to_this_site_only(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    for retour in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "\t//evil.example",
    ] {
        let query = serde_urlencoded::to_string([("l", "en"), ("retour", retour)]).expect("query");
        let res = browser.get(&format!("/langue?{query}")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{retour}");
        assert_eq!(res.location(), Some("/"), "{retour}");
    }
    let res = browser.get("/langue?l=en").await;
    assert_eq!(res.location(), Some("/"));
}

async fn over_https_the_language_cookie_is_secure(backend: Backend) {
    let app = TestApp::with_config(
        backend,
        WebConfig {
            base_url: "https://lieu.example.org".into(),
            ..WebConfig::default()
        },
    )
    .await;
    let res = app.browser().get("/langue?l=en&retour=%2F").await;
    let cookie = set_cookie(&res, "lang").expect("cookie");
    assert_eq!(cookie.secure(), Some(true), "{cookie}");
}

/// Wiki pages are kept in memory between views (`page_cache`): what is kept is the page, not
/// its rendering, so each reader gets it in their own language, in any order.
async fn a_cached_wiki_page_is_served_in_each_readers_language(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let created = editor
        .create_page("Horaires de la mairie", "La mairie ouvre le **lundi**.")
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let path = "/wiki/horaires-de-la-mairie";
    let reader = app.browser();
    for round in 0..2 {
        let french = reader.get(path).await;
        assert_french(&french);
        french.assert_contains("Dernière modification le");
        let english = get_in(&reader, path, ENGLISH).await;
        assert_english(&english);
        english.assert_contains("Last changed on");
        english.assert_contains("La mairie ouvre le <strong>lundi</strong>.");
        assert!(
            !english.body.contains("Dernière modification"),
            "round {round}"
        );
        let french_again = get_in(&reader, path, "fr").await;
        assert_french(&french_again);
        assert!(
            !french_again.body.contains("Last changed on"),
            "round {round}"
        );
    }
    // Compressed responses too: the gzip layer keeps the language's Vary.
    let gzipped = reader
        .send(
            TestRequest::get()
                .uri(path)
                .insert_header(("accept-language", ENGLISH))
                .insert_header(("accept-encoding", "gzip")),
        )
        .await;
    assert_eq!(
        gzipped
            .headers
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    let vary = vary(&gzipped);
    for header in ["accept-language", "cookie", "accept-encoding"] {
        assert!(vary.contains(header), "{vary}");
    }
}

async fn every_language_dependent_response_varies_by_language(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    let browser = app.browser();
    for path in [
        "/",
        "/pages",
        "/annuaire",
        "/wiki/n-existe-pas",
        "/recherche?q=caf",
        "/recherche/suggestions?q=mai",
        "/modifications-recentes.atom",
        "/langue?l=en&retour=%2F",
    ] {
        let res = browser.get(path).await;
        let vary = vary(&res);
        assert!(
            vary.contains("accept-language") && vary.contains("cookie"),
            "{path}: {vary}"
        );
    }
    // The suggestions, cacheable by anyone for a minute, name kinds in the reader's
    // language.
    let suggestions = get_in(&browser, "/recherche/suggestions?q=mai", ENGLISH).await;
    assert!(
        suggestions
            .headers
            .get("cache-control")
            .is_some_and(|v| v.as_bytes().starts_with(b"public"))
    );
    assert!(
        !suggestions.body.contains("Page d’information"),
        "{}",
        suggestions.body
    );
    // Static files are the same in every language, and stay cacheable by anyone.
    let css = get_in(&browser, "/static/lieu.css", ENGLISH).await;
    assert!(!vary(&css).contains("accept-language"), "{}", vary(&css));
}

async fn content_stays_french_and_is_marked_as_such(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor
        .create_page("Carte grise", "## Les démarches\n\nTout se fait en ligne.\n\n## Les pièces\n\nUn justificatif.\n\n## Le coût\n\nVariable.")
        .await;
    let reader = app.browser();
    let english = get_in(&reader, "/wiki/carte-grise", ENGLISH).await;
    english.assert_contains("<h1 lang=\"fr\">Carte grise</h1>");
    english.assert_contains("<div class=\"contenu-wiki\" lang=\"fr\">");
    english.assert_contains("<h2 id=\"lieu_sommaire\">Contents</h2><ol lang=\"fr\">");
    english.assert_contains(
        "<span class=\"marque-republique\" lang=\"fr\">République française</span>",
    );
    // In French, nothing to say: the page is in the interface's language.
    let french = reader.get("/wiki/carte-grise").await;
    french.assert_contains("<h1>Carte grise</h1>");
    french.assert_contains("<div class=\"contenu-wiki\">");
    assert!(!french.body.contains("lang=\"fr\" "), "{}", french.body);
}

async fn directory_words_dates_and_hours_read_in_english(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let created = agent
        .create_entry(
            "service",
            &[
                ("title", "Point numérique"),
                ("commune", "79901"),
                ("summary", "Un ordinateur et de l’aide."),
                ("themes", "numerique--acceder-a-des-services-en-ligne"),
                ("publics", "seniors"),
                ("help_modes", "sur-rendez-vous"),
                ("opening_hours", "Mo-Fr 09:00-12:30"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let reader = app.browser();
    let page = get_in(&reader, "/annuaire/services/point-numerique", ENGLISH).await;
    assert_english(&page);
    page.assert_contains("Opening hours");
    page.assert_contains("Monday");
    page.assert_contains("9am to 12:30pm");
    page.assert_contains("Sunday");
    page.assert_contains("Closed");
    page.assert_contains("Using online services");
    page.assert_contains("Older people");
    page.assert_contains("By appointment");
    page.assert_contains("<h1 lang=\"fr\">Point numérique</h1>");
    assert!(!page.body.contains("Fermé"), "{}", page.body);
    assert!(!page.body.contains("Lundi"), "{}", page.body);
    let french = reader.get("/annuaire/services/point-numerique").await;
    french.assert_contains("9 h – 12 h 30");
    french.assert_contains("Accéder à des services en ligne");

    let list = get_in(&reader, "/annuaire/services", ENGLISH).await;
    list.assert_contains("Refine your search");
    list.assert_contains("All towns and villages");
    list.assert_contains("Digital skills");
}

async fn error_pages_and_forms_speak_english(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    browser.get("/langue?l=en&retour=%2F").await;
    let missing = browser.get("/wiki/nowhere-to-be-found").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    missing.assert_contains("This page does not exist");
    let login = browser.get("/connexion").await;
    login.assert_contains("<h1>Sign in</h1>");
    let refused = browser
        .post(
            "/connexion",
            &[("email", "nobody@example.org"), ("password", "x")],
        )
        .await;
    refused.assert_contains("Incorrect email address (or username) or password.");
    // A form sent without its token: the error page, in English.
    let expired = browser.post_raw("/deconnexion", &[]).await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    expired.assert_contains("<html lang=\"en\">");
    expired.assert_contains("Form expired");
    // A validation error of lieu-core, in English.
    let signup = browser
        .post("/inscription", &[("name", ""), ("email", "x")])
        .await;
    signup.assert_contains("There is a problem with the form");
}
