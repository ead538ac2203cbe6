//! The site's search through HTTP: the box on every page, the results page with its filters
//! and pages, the page shown when nothing is found (and the unanswered searches it records,
//! within a budget per client), and the suggestions offered while typing.

use actix_web::http::StatusCode;
use chrono::Duration;
use lieu_core::Role;
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends, unescape};

on_both_backends!(
    the_search_box_is_on_every_page_as_a_plain_form,
    residents_find_despite_accents_plurals_typos_and_acronyms,
    kind_commune_and_theme_filters_narrow_and_show_their_counts,
    the_query_stays_in_the_box_and_is_escaped_everywhere,
    results_are_paged_twenty_at_a_time,
    absurd_addresses_never_fail,
    an_empty_search_explains_what_to_type,
    nothing_found_suggests_a_spelling_and_where_else_to_look,
    unanswered_searches_are_recorded_only_when_they_should_be,
    a_flood_of_unanswered_searches_records_a_bounded_number,
    suggestions_are_a_short_json_list,
);

const SAINT_AUBIN: &str = "79901";
const VERNOUX: &str = "79902";
const CRECHE: &str = "Crèche parentale Les Petits Loups";
const CRECHE_SAINT_AUBIN: &str = "Micro-crèche Les Lutins";

fn in_days(app: &TestApp, days: i64) -> String {
    (app.today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn service(agent: &Browser<'_>, title: &str, commune: &str, summary: &str, theme: &str) {
    let res = agent
        .create_entry(
            "service",
            &[
                ("title", title),
                ("commune", commune),
                ("summary", summary),
                ("themes", theme),
                ("publics", "familles"),
                ("phone", "01 99 00 12 34"),
                ("address", "2 rue des Écoles"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{title}: {}", res.body);
}

async fn seasonal_job(agent: &Browser<'_>, title: &str, summary: &str) {
    let expires = in_days(agent.app(), 30);
    let res = agent
        .create_entry(
            "job",
            &[
                ("title", title),
                ("commune", SAINT_AUBIN),
                ("summary", summary),
                ("employer", "Vergers du Val"),
                ("contract", "saisonnier"),
                ("how_to_apply", "CV à l’accueil."),
                ("expires_on", &expires),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{title}: {}", res.body);
}

/// The demo site, with two crèches and two seasonal job offers that agents added.
async fn demo(backend: Backend) -> TestApp {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    let agent = app.logged_in(Role::Agent).await;
    let famille = "famille--soutien-a-la-parentalite-et-a-leducation";
    service(
        &agent,
        CRECHE,
        VERNOUX,
        "Accueil des enfants de dix semaines à trois ans, du lundi au vendredi.",
        famille,
    )
    .await;
    service(
        &agent,
        CRECHE_SAINT_AUBIN,
        SAINT_AUBIN,
        "Dix places pour les tout-petits, près de l’école.",
        famille,
    )
    .await;
    seasonal_job(
        &agent,
        "Cueilleur ou cueilleuse de pommes",
        "Emploi saisonnier de septembre à octobre dans les vergers.",
    )
    .await;
    seasonal_job(
        &agent,
        "Agent d’accueil au camping",
        "Emploi saisonnier pour l’été : accueil des vacanciers.",
    )
    .await;
    app
}

fn search_path(q: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![("q", q)];
    pairs.extend_from_slice(extra);
    format!(
        "/recherche?{}",
        serde_urlencoded::to_string(pairs).expect("query")
    )
}

async fn search(browser: &Browser<'_>, q: &str, extra: &[(&str, &str)]) -> Page {
    let page = browser.get(&search_path(q, extra)).await;
    assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
    page
}

/// The total in the results' heading; 0 on the page that says nothing was found.
#[track_caller]
fn total(page: &Page) -> usize {
    if page.body.contains("Aucun résultat pour") {
        return 0;
    }
    let marker = "<h1 id=\"lieu_resultats\">";
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no results heading:\n{}", page.body))
        + marker.len();
    page.body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a number of results")
}

/// The titles of the results listed, in order.
fn titles(page: &Page) -> Vec<String> {
    let Some(list) = page.body.split("<ol class=\"resultats\"").nth(1) else {
        return Vec::new();
    };
    let list = list.split("</ol>").next().unwrap_or_default();
    list.split("<h2><a href=\"")
        .skip(1)
        .filter_map(|s| {
            let title = s.split_once("\">")?.1.split("</a>").next()?;
            Some(unescape(title))
        })
        .collect()
}

/// The links of the results listed, in order.
fn links(page: &Page) -> Vec<String> {
    let Some(list) = page.body.split("<ol class=\"resultats\"").nth(1) else {
        return Vec::new();
    };
    let list = list.split("</ol>").next().unwrap_or_default();
    list.split("<h2><a href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(unescape))
        .collect()
}

/// The count shown beside the filter link to `href`.
#[track_caller]
fn facet_count(page: &Page, href: &str) -> u64 {
    let marker = format!("<a href=\"{}\">", href.replace('&', "&amp;"));
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no filter link {href}:\n{}", page.body));
    let rest = &page.body[at..];
    let open = rest.find("facette-compte\">(").expect("a count") + "facette-compte\">(".len();
    rest[open..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a count")
}

async fn the_search_box_is_on_every_page_as_a_plain_form(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    let reader = app.browser();
    let mut script = None;
    for path in [
        "/",
        "/annuaire",
        "/annuaire/services",
        "/agenda",
        "/wiki/comment-chercher-sur-le-site",
        "/wiki/page-qui-n-existe-pas",
        "/connexion",
        "/recherche",
    ] {
        let page = reader.get(path).await;
        page.assert_contains(
            "<form class=\"recherche\" role=\"search\" method=\"get\" action=\"/recherche\">",
        );
        page.assert_contains("<label class=\"visuellement-cache\" for=\"lieu_recherche\">Rechercher sur le site</label>");
        page.assert_contains("<input id=\"lieu_recherche\" type=\"search\" name=\"q\"");
        page.assert_contains("<button class=\"bouton\" type=\"submit\">Rechercher</button>");
        let at = page.body.find("<script src=\"").expect("the script") + 13;
        let src = page.body[at..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(src.starts_with("/static/lieu.js?v="), "{src}");
        assert!(!page.body.contains("<script>"), "no inline script: {path}");
        script = Some(src);
    }
    let script = reader.get(&script.expect("a script")).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/javascript; charset=utf-8")
    );
    assert!(
        script
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("immutable"))
    );
    script.assert_contains("role', 'combobox'");
    // The form is a plain GET: submitting it is following this address.
    let results = search(&reader, "france services", &[]).await;
    assert!(total(&results) > 0);
    assert_eq!(results.field("q").as_deref(), Some("france services"));
}

async fn residents_find_despite_accents_plurals_typos_and_acronyms(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    for q in [
        "creche",
        "crèche",
        "CRECHES",
        "crèches",
        "crehce",
        "la creche",
    ] {
        let page = search(&reader, q, &[]).await;
        let found = titles(&page);
        assert!(found.iter().any(|t| t == CRECHE), "{q}: {found:?}");
        assert!(
            links(&page)
                .contains(&"/annuaire/services/creche-parentale-les-petits-loups".to_owned()),
            "{q}"
        );
    }
    // Exact matches (the three crèches, the demo's among them) rank before anything else.
    let page = search(&reader, "creche", &[]).await;
    let found = titles(&page);
    assert!(
        found.len() >= 3
            && found[..3]
                .iter()
                .all(|t| t.to_lowercase().contains("crèche")),
        "{found:?}"
    );

    let page = search(&reader, "emplois saisonier", &[]).await;
    let found = titles(&page);
    for job in [
        "Cueilleur ou cueilleuse de pommes",
        "Agent d’accueil au camping",
    ] {
        assert!(found.iter().any(|t| t == job), "{job}: {found:?}");
    }
    page.assert_contains("<p class=\"fiche-type\">Offre d’emploi</p>");

    // A synonym seeded by the migrations: « caf » finds what « allocations familiales » does.
    let caf = search(&reader, "caf", &[]).await;
    let spelled = search(&reader, "allocations familiales", &[]).await;
    // Everything the expansion finds; « caf » alone may find more (pages naming the CAF).
    assert!(total(&spelled) > 0 && total(&caf) >= total(&spelled));
    let found = links(&caf);
    for link in links(&spelled) {
        assert!(found.contains(&link), "{link} found by the expansion only");
    }
    assert!(
        titles(&caf).iter().any(|t| t == "Permanence de la CAF"),
        "{:?}",
        titles(&caf)
    );
}

async fn kind_commune_and_theme_filters_narrow_and_show_their_counts(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    let all = search(&reader, "creche", &[]).await;
    let everything = total(&all);
    assert!(everything >= 2, "{everything}");
    all.assert_contains("<h2 id=\"lieu_facettes\">Affiner les résultats</h2>");

    // The commune facet: its count is the total once chosen, and only that commune remains.
    let vernoux_href = search_path("creche", &[("commune", VERNOUX)]);
    let vernoux_count = facet_count(&all, &vernoux_href);
    assert!(vernoux_count >= 1);
    assert!((vernoux_count as usize) < everything, "the facet narrows");
    let vernoux = search(&reader, "creche", &[("commune", VERNOUX)]).await;
    assert_eq!(total(&vernoux) as u64, vernoux_count);
    let found = titles(&vernoux);
    assert!(found.contains(&CRECHE.to_owned()), "{found:?}");
    assert!(!found.contains(&CRECHE_SAINT_AUBIN.to_owned()), "{found:?}");
    // The filter chosen is shown, with a link that removes it.
    vernoux.assert_contains("<h2 id=\"lieu_filtres_choisis\">Filtres choisis</h2>");
    vernoux.assert_contains("Commune : <strong>Vernoux-le-Haut</strong>");
    vernoux.assert_contains("<a href=\"/recherche?q=creche\">Retirer ce filtre");

    // The kind facet, on words found in pages and in job offers.
    let emploi = search(&reader, "emploi", &[]).await;
    let jobs_href = search_path("emploi", &[("type", "emplois")]);
    let jobs_count = facet_count(&emploi, &jobs_href);
    assert!((jobs_count as usize) < total(&emploi), "the facet narrows");
    let pages_count = facet_count(&emploi, &search_path("emploi", &[("type", "pages")]));
    assert!(pages_count > 0);
    let jobs = search(&reader, "emploi", &[("type", "emplois")]).await;
    assert_eq!(total(&jobs) as u64, jobs_count);
    assert!(
        links(&jobs)
            .iter()
            .all(|l| l.starts_with("/annuaire/emplois/")),
        "{:?}",
        links(&jobs)
    );
    jobs.assert_contains("Type : <strong>Offres d’emploi</strong>");
    let services = search(&reader, "creche", &[("type", "services")]).await;
    services.assert_contains("Type : <strong>Services</strong>");
    let pages = search(&reader, "chercher", &[("type", "pages")]).await;
    assert!(total(&pages) > 0);
    assert!(links(&pages).iter().all(|l| l.starts_with("/wiki/")));
    pages.assert_contains("<p class=\"fiche-type\">Page d’information</p>");

    // The theme facet, and two filters at once.
    let theme = "famille";
    let with_theme = search(&reader, "creche", &[("theme", theme)]).await;
    assert!(titles(&with_theme).contains(&CRECHE.to_owned()));
    with_theme.assert_contains("Thème : <strong>Famille</strong>");
    let both = search(
        &reader,
        "creche",
        &[("type", "services"), ("commune", SAINT_AUBIN)],
    )
    .await;
    assert_eq!(titles(&both), vec![CRECHE_SAINT_AUBIN.to_owned()]);
    both.assert_contains("Retirer tous les filtres");
    // The filter links keep the other filter.
    let other_filter = search_path("creche", &[("type", "services")]);
    both.assert_contains(&format!(
        "<a href=\"{}\">",
        other_filter.replace('&', "&amp;")
    ));

    // A filter that leads nowhere says so and offers the search without filters.
    let none = search(&reader, "creche", &[("type", "logements")]).await;
    none.assert_contains("Rien ne correspond avec ces filtres.");
    none.assert_contains("<a href=\"/recherche?q=creche\">Chercher sans filtre</a>");
}

async fn the_query_stays_in_the_box_and_is_escaped_everywhere(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    let page = search(&reader, "crèche", &[]).await;
    assert_eq!(page.field("q").as_deref(), Some("crèche"));
    page.assert_contains("<title>Recherche : « crèche »");
    page.assert_contains("résultats pour « crèche »");
    page.assert_contains("<meta name=\"robots\" content=\"noindex\">");

    let attack = "<script>alert(1)</script> \"onmouseover=x creche";
    let page = search(&reader, attack, &[]).await;
    assert_eq!(page.field("q").as_deref(), Some(attack));
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(!page.body.contains("\"onmouseover"), "{}", page.body);
    page.assert_contains("&lt;script&gt;alert(1)&lt;/script&gt;");

    // Snippets come from typed text: only the matched words are marked, the rest escaped.
    let agent = app.logged_in(Role::Agent).await;
    service(
        &agent,
        "Relais petite enfance",
        VERNOUX,
        "Conseils <b>gratuits</b> pour trouver une crèche & une assistante maternelle.",
        "famille--soutien-a-la-parentalite-et-a-leducation",
    )
    .await;
    let page = search(&reader, "assistante maternelle", &[]).await;
    assert!(titles(&page).contains(&"Relais petite enfance".to_owned()));
    page.assert_contains("<mark>assistante</mark> <mark>maternelle</mark>");
    assert!(!page.body.contains("<b>gratuits"), "{}", page.body);
    page.assert_contains("&lt;b&gt;gratuits&lt;/b&gt;");
}

async fn results_are_paged_twenty_at_a_time(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    // Every entry of the demo names its commune, most of them « … Sorbière ».
    let first = search(&reader, "sorbiere", &[]).await;
    let all = total(&first);
    assert!(all > 20, "the demo holds more than one page: {all}");
    assert_eq!(titles(&first).len(), 20);
    let next = search_path("sorbiere", &[]) + "&page=2";
    first.assert_contains(&format!(
        "<a rel=\"next\" href=\"{}\">",
        next.replace('&', "&amp;")
    ));
    assert!(!first.body.contains("rel=\"prev\""));
    let second = reader.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    second.assert_contains("rel=\"prev\"");
    second.assert_contains("<title>Recherche : « sorbiere » — Page 2");
    let (a, b) = (links(&first), links(&second));
    assert!(!b.is_empty());
    assert!(b.iter().all(|l| !a.contains(l)), "pages overlap");
    let last_page = all.div_ceil(20);
    // Past the end: the last page.
    let far = reader
        .get(&(search_path("sorbiere", &[]) + "&page=400"))
        .await;
    assert_eq!(far.status, StatusCode::OK);
    assert_eq!(titles(&far).len(), all - (last_page - 1) * 20);
    far.assert_contains(&format!("Page {last_page} / {last_page}"));
}

async fn absurd_addresses_never_fail(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    let long = "creche ".repeat(1_500);
    let long_q = serde_urlencoded::to_string([("q", long.as_str())]).expect("query");
    let paths = [
        "/recherche?q=creche&page=-1".to_owned(),
        "/recherche?q=creche&page=0".to_owned(),
        "/recherche?q=creche&page=99999999999999999999".to_owned(),
        "/recherche?q=creche&page=-99999999999999999999".to_owned(),
        "/recherche?q=creche&page=1e9".to_owned(),
        "/recherche?q=creche&page=".to_owned(),
        format!("/recherche?{long_q}"),
        format!("/recherche?{long_q}&page=3"),
        "/recherche?q=creche&type=%3Cscript%3E&commune=%27%3BDROP+TABLE+entries&theme=..%2F.."
            .to_owned(),
        "/recherche?q=creche&type=job&commune=99999&theme=sante--acces-aux-soins".to_owned(),
        "/recherche?q=creche&type%5B%5D=x&commune%5B%5D=y".to_owned(),
        "/recherche?q=%FF%FE%00creche".to_owned(),
        "/recherche?q=%E2%80%AE%F0%9F%98%80".to_owned(),
        "/recherche?q=%22+-:*()~%5E%5B%5D%7B%7D".to_owned(),
        "/recherche?q=creche&q=emploi".to_owned(),
        "/recherche?q".to_owned(),
        "/recherche?page=2".to_owned(),
        "/recherche?q=a".to_owned(),
        "/recherche?q=le+la+les+de".to_owned(),
        format!("/recherche/suggestions?{long_q}"),
        "/recherche/suggestions?q=%FF".to_owned(),
        "/recherche/suggestions?q=~*".to_owned(),
        "/recherche/suggestions?q=c&q=d".to_owned(),
        "/recherche/suggestions".to_owned(),
    ];
    for path in &paths {
        let page = reader.get(path).await;
        assert!(
            !page.status.is_server_error(),
            "{path}: {}\n{}",
            page.status,
            page.body
        );
    }
    // Unknown filters are ignored rather than hiding every result.
    let page = reader
        .get("/recherche?q=creche&type=nimporte&commune=00000&theme=zzz")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(titles(&page).contains(&CRECHE.to_owned()));
    assert!(!page.body.contains("Filtres choisis"));
    // A page number out of range is the nearest page.
    let page = reader.get("/recherche?q=creche&page=-1").await;
    assert!(titles(&page).contains(&CRECHE.to_owned()));
    // The box keeps at most 200 characters of a very long query.
    let page = reader.get(&format!("/recherche?{long_q}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let kept = page.field("q").expect("the query in the box");
    assert!(kept.chars().count() <= 200, "{}", kept.len());
    assert!(kept.starts_with("creche creche"));
}

async fn an_empty_search_explains_what_to_type(backend: Backend) {
    let app = TestApp::new(backend).await;
    let reader = app.browser();
    for path in ["/recherche", "/recherche?q=", "/recherche?q=+++"] {
        let page = reader.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("<h1>Que cherchez-vous ?</h1>");
        page.assert_contains("<a href=\"/recherche?q=cr%C3%A8che\">crèche</a>");
        page.assert_contains("<a href=\"/wiki/comment-chercher-sur-le-site\">");
        page.assert_contains("<meta name=\"robots\" content=\"noindex\">");
    }
    let page = reader.get("/recherche?q=le+la+des").await;
    page.assert_contains("ne contient aucun mot que le site sait chercher");
    assert_eq!(page.field("q").as_deref(), Some("le la des"));
}

async fn nothing_found_suggests_a_spelling_and_where_else_to_look(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    // Three letters are too short to forgive a typo, but not to suggest a spelling.
    let page = search(&reader, "cqf", &[]).await;
    assert_eq!(total(&page), 0);
    page.assert_contains("<h1>Aucun résultat pour « cqf »</h1>");
    page.assert_contains("<title>Recherche : « cqf »");
    page.assert_contains("Vouliez-vous dire « <a href=\"/recherche?q=caf\">caf</a> » ?");
    let followed = reader.get("/recherche?q=caf").await;
    assert!(total(&followed) > 0);
    // Where else to look: the directory, the form to get listed, the desk's phone, the help.
    page.assert_contains("<a href=\"/annuaire\">");
    page.assert_contains("<a href=\"/wiki/faire-referencer-son-association-ou-son-entreprise\">");
    page.assert_contains("<a href=\"tel:+33199001234\">01 99 00 12 34</a>");
    page.assert_contains("<a href=\"/wiki/comment-chercher-sur-le-site\">");
    page.assert_contains("<meta name=\"robots\" content=\"noindex\">");
    // Those pages exist in the demo content.
    for path in [
        "/wiki/faire-referencer-son-association-ou-son-entreprise",
        "/wiki/comment-chercher-sur-le-site",
    ] {
        assert_eq!(reader.get(path).await.status, StatusCode::OK, "{path}");
    }
    // Nothing close: no suggestion.
    let page = search(&reader, "xqwzkj", &[]).await;
    assert_eq!(total(&page), 0);
    assert!(!page.body.contains("Vouliez-vous dire"));
}

fn misses(app: &TestApp) -> Vec<(String, i64)> {
    let since = app.today() - Duration::days(30);
    app.store()
        .read(|c| lieu_store::search::top_misses(c, since, 1_000))
        .expect("top misses")
}

async fn unanswered_searches_are_recorded_only_when_they_should_be(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    search(&reader, "Piscine   Couverte", &[]).await;
    search(&reader, "piscine couverte", &[]).await;
    assert_eq!(misses(&app), vec![("piscine couverte".to_owned(), 2)]);

    // Not recorded: searches that found something, empty ones, ones with only common words,
    // ones with a filter or past the first page, and what looks like personal data.
    search(&reader, "creche", &[]).await;
    search(&reader, "", &[]).await;
    search(&reader, "le la", &[]).await;
    search(&reader, "patinoire", &[("type", "services")]).await;
    search(&reader, "patinoire", &[("commune", VERNOUX)]).await;
    search(&reader, "patinoire", &[("page", "2")]).await;
    search(&reader, "jean.dupont@example.org", &[]).await;
    search(&reader, "06 12 34 56 78", &[]).await;
    assert_eq!(misses(&app), vec![("piscine couverte".to_owned(), 2)]);
}

async fn a_flood_of_unanswered_searches_records_a_bounded_number(backend: Backend) {
    let app = demo(backend).await;
    let mut flood = app.browser();
    flood.peer = "198.51.100.20:50000".into();
    for n in 0..100 {
        let q = format!("zzq{n}x inexistant");
        let page = search(&flood, &q, &[]).await;
        assert_eq!(total(&page), 0, "{q}");
        page.assert_contains("Aucun résultat pour");
    }
    let recorded: i64 = misses(&app).iter().map(|(_, n)| n).sum();
    let budget = i64::from(lieu_web::limit::MISSES_PER_CLIENT_PER_HOUR);
    assert_eq!(recorded, budget, "{:?}", misses(&app));
    // Another address has its own budget.
    let mut other = app.browser();
    other.peer = "192.0.2.44:40000".into();
    search(&other, "patinoire", &[]).await;
    assert!(
        misses(&app).contains(&("patinoire".to_owned(), 1)),
        "{:?}",
        misses(&app)
    );
}

async fn suggestions_are_a_short_json_list(backend: Backend) {
    let app = demo(backend).await;
    let reader = app.browser();
    let get = async |q: &str| -> (Page, Vec<serde_json::Value>) {
        let path = format!(
            "/recherche/suggestions?{}",
            serde_urlencoded::to_string([("q", q)]).expect("query")
        );
        let page = reader.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
        let list: Vec<serde_json::Value> =
            serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{q}: {e}: {}", page.body));
        (page, list)
    };
    let (page, list) = get("crèc").await;
    assert_eq!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(
        page.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("public, max-age=60")
    );
    let creche = list
        .iter()
        .find(|s| s["title"] == CRECHE)
        .unwrap_or_else(|| panic!("{list:?}"));
    assert_eq!(
        creche["url"],
        "/annuaire/services/creche-parentale-les-petits-loups"
    );
    assert_eq!(creche["kind"], "service");
    assert_eq!(creche["label"], "Service");
    for s in &list {
        let keys: Vec<&String> = s.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["kind", "label", "title", "url"], "{s}");
        assert!(s["url"].as_str().is_some_and(|u| u.starts_with('/')));
    }
    // Pages too.
    let (_, list) = get("comment cherch").await;
    assert!(
        list.iter()
            .any(|s| s["url"] == "/wiki/comment-chercher-sur-le-site"
                && s["label"] == "Page d’information"),
        "{list:?}"
    );
    // At most eight, even for a word everywhere.
    let (_, list) = get("sorb").await;
    assert_eq!(list.len(), 8, "{list:?}");
    // Nothing for too little, or for nothing to search.
    for q in ["", "c", " ", "é", "le", "\"+-"] {
        let (page, list) = get(q).await;
        assert!(list.is_empty(), "{q:?}: {}", page.body);
        assert_eq!(page.body, "[]");
    }
    let long = "creche ".repeat(2_000);
    let (_, list) = get(&long).await;
    assert!(list.len() <= 8);
}
