//! The printed directory (issue 13, paper for residents who are not online): a commune's
//! document groups its published, current entries by theme, with hours and phones, the
//! printing date and one QR code per entry that decodes to the entry's address; the choice
//! page leads to it without JavaScript; wrong places are clean errors; a choice too wide for
//! one printout asks to narrow it.

use actix_web::http::StatusCode;
use chrono::{Duration, NaiveDate};
use lieu_core::Role;
use lieu_tests::{Backend, Page, TestApp, on_both_backends, unescape};

on_both_backends!(
    a_communes_paper_directory_groups_its_current_entries_by_theme_with_hours_phones_and_qr_codes,
    the_choice_page_leads_to_the_document_and_offers_print_with_their_dates,
    unknown_or_hostile_places_are_clean_errors,
    a_choice_too_wide_for_one_printout_asks_to_narrow_it,
);

const SAINT_AUBIN: &str = "79901";
const VERNOUX: &str = "79902";
/// `WebConfig::default().base_url`.
const BASE: &str = "http://127.0.0.1:8080";

/// Wednesday 25 November 2026, 10:00 in Paris.
fn wednesday() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

async fn app(backend: Backend) -> TestApp {
    let app = TestApp::new(backend).await.fixed_at(wednesday());
    app.load_territory();
    app
}

async fn service(
    agent: &lieu_tests::Browser<'_>,
    title: &str,
    commune: &str,
    themes: &[&str],
    phone: &str,
) -> Page {
    let mut fields = vec![
        ("title", title),
        ("commune", commune),
        ("summary", "Un service pour les habitants."),
        (
            "opening_hours",
            "Tu-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30",
        ),
        ("phone", phone),
        ("address", "3 place de la Mairie"),
    ];
    fields.extend(themes.iter().map(|t| ("themes", *t)));
    let page = agent.create_entry("service", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page
}

fn date(app: &TestApp, days: i64) -> String {
    (app.today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The QR codes of a page, decoded by an independent decoder (rqrr) from the SVG paths: each
/// `M x y h n v1 h-n z` is a run of dark modules.
fn qr_codes(page: &Page) -> Vec<String> {
    let mut found = Vec::new();
    for svg in page.body.split("<svg class=\"qr\"").skip(1) {
        let side: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .expect("viewBox");
        let d = svg
            .split("fill=\"#000\" d=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("path");
        let mut dark = vec![false; side * side];
        for cmd in d.split('z').filter(|c| !c.is_empty()) {
            let rest = cmd.strip_prefix('M').expect("M");
            let (xy, rest) = rest.split_once('h').expect("h");
            let (x, y) = xy.split_once(' ').expect("x y");
            let (x, y): (usize, usize) = (x.parse().expect("x"), y.parse().expect("y"));
            let run: usize = rest.split_once('v').expect("v").0.parse().expect("run");
            for i in x..x + run {
                dark[y * side + i] = true;
            }
        }
        let scale = 3;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(side * scale, side * scale, |x, y| {
                if dark[(y / scale) * side + x / scale] {
                    0
                } else {
                    255
                }
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code per SVG");
        found.push(grids[0].decode().expect("the QR code decodes").1);
    }
    found
}

fn position(page: &Page, needle: &str) -> usize {
    page.body
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page:\n{}", page.body))
}

async fn a_communes_paper_directory_groups_its_current_entries_by_theme_with_hours_phones_and_qr_codes(
    backend: Backend,
) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    service(
        &agent,
        "Maison de santé",
        SAINT_AUBIN,
        &["sante--acces-aux-soins", "se-former--trouver-sa-formation"],
        "01 99 00 12 40",
    )
    .await;
    service(
        &agent,
        "Cabinet dentaire",
        SAINT_AUBIN,
        &["sante--acces-aux-soins"],
        "01 99 00 12 41",
    )
    .await;
    service(
        &agent,
        "Espace numérique",
        SAINT_AUBIN,
        &["numerique--acceder-a-des-services-en-ligne"],
        "01 99 00 12 42",
    )
    .await;
    service(
        &agent,
        "Pharmacie de Vernoux",
        VERNOUX,
        &["sante--acces-aux-soins"],
        "01 99 00 12 43",
    )
    .await;
    let archived = service(
        &agent,
        "Ancienne permanence",
        SAINT_AUBIN,
        &["sante--acces-aux-soins"],
        "01 99 00 12 44",
    )
    .await;
    let id = agent
        .get(archived.location().expect("created"))
        .await
        .body
        .split("/gestion/fiches/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("agent tools")
        .to_owned();
    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/archiver"),
            &[("base_revision", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = agent
        .create_entry(
            "association",
            &[
                ("title", "Chorale du bourg"),
                ("commune", SAINT_AUBIN),
                ("summary", "On chante ensemble."),
                ("meeting_times", "Le jeudi à 20 h 30"),
                ("phone", "01 99 00 12 45"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = agent
        .create_entry(
            "job",
            &[
                ("title", "Maçon"),
                ("commune", SAINT_AUBIN),
                ("summary", "Un emploi."),
                ("employer", "Mairie"),
                ("contract", "cdi"),
                ("how_to_apply", "CV à l’accueil."),
                ("expires_on", &date(&app, 30)),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let resident = app.browser();
    let page = resident.get("/annuaire/imprimer/79901").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = unescape(&page.body);
    page.assert_contains("<h1>Annuaire de Saint-Aubin-sur-Sorbière</h1>");
    page.assert_contains("Annuaire imprimé le mercredi 25 novembre 2026");
    page.assert_contains("à jour à cette date.");
    page.assert_contains("http://127.0.0.1:8080/annuaire");
    // The desk's phone, to get help.
    page.assert_contains("01 99 00 12 34");
    // Only the commune's published current services and associations: not Vernoux's, not
    // the archived one, and no job offer unless asked for.
    for (title, shown) in [
        ("Maison de santé", true),
        ("Cabinet dentaire", true),
        ("Espace numérique", true),
        ("Chorale du bourg", true),
        ("Pharmacie de Vernoux", false),
        ("Ancienne permanence", false),
        ("Maçon", false),
    ] {
        assert_eq!(
            body.contains(&format!(">{title}</a></h3>")),
            shown,
            "{title}"
        );
    }
    // Grouped by the theme group of each service's first theme (themes are stored in the
    // standard's order: santé before se former), the groups in that order (numérique before
    // santé), sorted by name, each service once; associations after.
    let numerique = position(&page, "id=\"theme-numerique\"");
    let sante = position(&page, "id=\"theme-sante\"");
    let associations = position(&page, "id=\"associations\"");
    let espace = position(&page, ">Espace numérique</a></h3>");
    let cabinet = position(&page, ">Cabinet dentaire</a></h3>");
    let maison = position(&page, ">Maison de santé</a></h3>");
    let chorale = position(&page, ">Chorale du bourg</a></h3>");
    assert!(numerique < espace && espace < sante, "numérique first");
    assert!(
        sante < cabinet && cabinet < maison && maison < associations,
        "{sante} {cabinet} {maison} {associations}"
    );
    assert!(associations < chorale);
    assert_eq!(page.body.matches(">Maison de santé</a></h3>").count(), 1);
    // Hours in runs of days, phones, the association's meeting times.
    page.assert_contains("Du mardi au jeudi");
    page.assert_contains("9 h – 12 h 30, 13 h 30 – 17 h");
    page.assert_contains("Vendredi");
    for phone in [
        "01 99 00 12 40",
        "01 99 00 12 41",
        "01 99 00 12 42",
        "01 99 00 12 45",
    ] {
        page.assert_contains(phone);
    }
    page.assert_contains("Le jeudi à 20 h 30");
    // One QR code per entry, each the absolute address of the entry's page, named for
    // screen readers.
    let mut codes = qr_codes(&page);
    codes.sort();
    assert_eq!(
        codes,
        [
            format!("{BASE}/annuaire/associations/chorale-du-bourg"),
            format!("{BASE}/annuaire/services/cabinet-dentaire"),
            format!("{BASE}/annuaire/services/espace-numerique"),
            format!("{BASE}/annuaire/services/maison-de-sante"),
        ]
    );
    assert_eq!(page.body.matches("role=\"img\"").count(), 4);
    page.assert_contains("aria-label=\"Code QR vers la fiche en ligne : Cabinet dentaire\"");
    page.assert_contains("noindex");

    // The whole territory holds Vernoux's too.
    let all = resident.get("/annuaire/imprimer/territoire").await;
    assert_eq!(all.status, StatusCode::OK);
    all.assert_contains("Annuaire de tout le territoire");
    all.assert_contains("Pharmacie de Vernoux");
    assert_eq!(qr_codes(&all).len(), 5);
    assert!(!all.body.contains("Ancienne permanence"));

    // The directory's home and a commune's filtered list lead to it.
    resident
        .get("/annuaire")
        .await
        .assert_contains("href=\"/annuaire/imprimer\"");
    resident
        .get("/annuaire/services?commune=79901")
        .await
        .assert_contains("href=\"/annuaire/imprimer/79901\"");
    resident
        .get("/annuaire/emplois?commune=79902")
        .await
        .assert_contains("href=\"/annuaire/imprimer/79902?types=services&amp;types=associations&amp;types=emplois\"");
}

async fn the_choice_page_leads_to_the_document_and_offers_print_with_their_dates(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    for (title, days) in [("Vendangeur", 2), ("Secrétaire de mairie", 30)] {
        let res = agent
            .create_entry(
                "job",
                &[
                    ("title", title),
                    ("commune", SAINT_AUBIN),
                    ("summary", "Un emploi."),
                    ("employer", "Mairie"),
                    ("contract", "cdd"),
                    ("how_to_apply", "CV à l’accueil."),
                    ("expires_on", &date(&app, days)),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    for (title, days, until) in [("Bal du samedi", 1, ""), ("Marché", 1, &*date(&app, 60))] {
        let res = agent
            .create_entry(
                "event",
                &[
                    ("title", title),
                    ("commune", SAINT_AUBIN),
                    ("summary", "Un moment ensemble."),
                    ("starts_at", &format!("{}T14:00", date(&app, days))),
                    ("address", "Salle des fêtes"),
                    ("weekly_until", until),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    // Five days on: the first offer has expired and the ball is over.
    app.set_now(wednesday() + Duration::days(5));

    let resident = app.browser();
    let choice = resident.get("/annuaire/imprimer").await;
    assert_eq!(choice.status, StatusCode::OK);
    choice.assert_contains("<form class=\"filtres\" method=\"get\" action=\"/annuaire/imprimer\">");
    choice.assert_contains("<option value=\"79901\">Saint-Aubin-sur-Sorbière</option>");
    choice.assert_contains("<option value=\"territoire\">Tout le territoire</option>");
    choice.assert_contains("value=\"services\" checked");
    assert!(!choice.body.contains("value=\"emplois\" checked"));

    let res = resident
        .get("/annuaire/imprimer?commune=79901&types=emplois&types=evenements")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let url = res.location().expect("redirect").to_owned();
    assert_eq!(
        url,
        "/annuaire/imprimer/79901?types=evenements&types=emplois"
    );
    let page = resident.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Secrétaire de mairie");
    page.assert_contains("Offre valable jusqu’au");
    assert!(!page.body.contains("Vendangeur"), "expired offer printed");
    page.assert_contains("Marché");
    page.assert_contains("Prochaines dates");
    assert!(!page.body.contains("Bal du samedi"), "past event printed");
    assert!(
        position(&page, "id=\"evenements\"") < position(&page, "id=\"emplois\""),
        "sections in the printout's order"
    );
    assert_eq!(qr_codes(&page).len(), 2);

    // Nothing to print: said plainly.
    let empty = resident.get("/annuaire/imprimer/79910").await;
    assert_eq!(empty.status, StatusCode::OK);
    empty.assert_contains("Aucune fiche à imprimer pour ce choix.");
    // An unknown kind is ignored: the default kinds.
    let res = resident
        .get("/annuaire/imprimer/79901?types=%3Cscript%3E")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("<script>"));
}

async fn unknown_or_hostile_places_are_clean_errors(backend: Backend) {
    let app = app(backend).await;
    let resident = app.browser();
    for path in [
        "/annuaire/imprimer/99999",
        "/annuaire/imprimer/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/annuaire/imprimer/..%2F..%2Fetc",
        "/annuaire/imprimer?commune=%3Cscript%3E",
        "/annuaire/imprimer?commune=99999",
    ] {
        let res = resident.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.body.contains("<script>alert"), "{path}");
    }
    for path in [
        "/annuaire/imprimer/79901?types=services&types=associations&types",
        "/annuaire/imprimer?commune=79901&commune=79902",
    ] {
        let res = resident.get(path).await;
        assert!(
            res.status == StatusCode::OK
                || res.status == StatusCode::SEE_OTHER
                || res.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            res.status
        );
    }
}

async fn a_choice_too_wide_for_one_printout_asks_to_narrow_it(backend: Backend) {
    let app = app(backend).await;
    // The lists are not read here: no need to index each entry.
    app.manual_indexing.set(true);
    let agent = app.logged_in(Role::Agent).await;
    let max = lieu_core::paper::MAX_ENTRIES;
    for i in 0..=max {
        let commune = if i % 2 == 0 { SAINT_AUBIN } else { VERNOUX };
        let res = agent
            .create_entry(
                "association",
                &[
                    ("title", &format!("Association numéro {i}")),
                    ("commune", commune),
                    ("summary", "Une association."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let resident = app.browser();
    let all = resident.get("/annuaire/imprimer/territoire").await;
    assert_eq!(all.status, StatusCode::OK);
    all.assert_contains("trop de fiches pour un document imprimé");
    all.assert_contains(&format!("au plus {max}."));
    assert!(!all.body.contains("<svg"));
    // A commune's half fits.
    let one = resident.get("/annuaire/imprimer/79901").await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body.matches("<svg class=\"qr\"").count(), max / 2 + 1);
}
