//! The directory, end to end: agents' forms, public lists and filters, expiry, archives,
//! history, permissions, verification, iCalendar and JSON-LD.

use actix_web::http::StatusCode;
use chrono::Duration;
use lieu_core::Role;
use lieu_tests::{Backend, Page, TestApp, on_both_backends};

on_both_backends!(
    an_agent_creates_one_entry_of_each_kind_and_residents_find_them,
    entry_forms_keep_what_was_typed_and_explain_errors_in_french,
    lists_filter_by_commune_theme_contract_type_rent_and_period,
    offers_leave_the_lists_at_expiry_and_past_events_leave_the_agenda,
    archived_entries_leave_the_lists_and_can_be_restored_with_history,
    only_agents_can_write_entries,
    the_stale_list_shows_old_entries_and_one_click_verifies,
    ical_feeds_parse_with_an_independent_parser,
    entry_pages_carry_json_ld_and_opening_hours,
    editing_an_entry_from_a_stale_form_is_a_conflict,
    archiving_from_a_stale_page_changes_nothing_and_says_why,
    a_creation_that_keeps_losing_the_slug_race_shows_the_form_again,
    lists_and_the_agenda_show_an_edit_once_the_index_has_it,
);

const SAINT_AUBIN: &str = "79901";
const VERNOUX: &str = "79902";

/// The date `days` after the app's today, as a form or a URL writes it.
fn in_days(app: &TestApp, days: i64) -> String {
    (app.today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn service(agent: &lieu_tests::Browser<'_>, title: &str, commune: &str, theme: &str) -> Page {
    agent
        .create_entry(
            "service",
            &[
                ("title", title),
                ("commune", commune),
                ("summary", "Un service pour les habitants."),
                ("themes", theme),
                ("publics", "familles"),
                ("publics", "seniors"),
                ("opening_hours", "Mo-Fr 09:00-12:00"),
                ("phone", "01 99 00 12 34"),
                ("address", "3 place de la Mairie"),
            ],
        )
        .await
}

async fn job(agent: &lieu_tests::Browser<'_>, title: &str, contract: &str) -> Page {
    agent
        .create_entry(
            "job",
            &[
                ("title", title),
                ("commune", SAINT_AUBIN),
                ("summary", "Un emploi près de chez vous."),
                ("employer", "Mairie"),
                ("contract", contract),
                ("how_to_apply", "CV à l’accueil."),
                ("expires_on", &in_days(agent.app(), 30)),
            ],
        )
        .await
}

async fn housing(agent: &lieu_tests::Browser<'_>, title: &str, kind: &str, rent: &str) -> Page {
    agent
        .create_entry(
            "housing",
            &[
                ("title", title),
                ("commune", VERNOUX),
                ("summary", "Un logement à louer."),
                ("housing_type", kind),
                ("rent", rent),
                ("charges", "20"),
                ("expires_on", &in_days(agent.app(), 20)),
            ],
        )
        .await
}

async fn event(
    agent: &lieu_tests::Browser<'_>,
    title: &str,
    days: i64,
    weekly_until: Option<i64>,
) -> Page {
    let start = format!("{}T14:00", in_days(agent.app(), days));
    let until = weekly_until
        .map(|d| in_days(agent.app(), d))
        .unwrap_or_default();
    agent
        .create_entry(
            "event",
            &[
                ("title", title),
                ("commune", SAINT_AUBIN),
                ("summary", "Un moment ensemble."),
                ("starts_at", &start),
                ("address", "Salle des fêtes"),
                ("weekly_until", &until),
            ],
        )
        .await
}

async fn an_agent_creates_one_entry_of_each_kind_and_residents_find_them(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let created = [
        service(
            &agent,
            "Permanence CAF",
            SAINT_AUBIN,
            "famille--garde-denfants",
        )
        .await,
        agent
            .create_entry(
                "association",
                &[
                    ("title", "Club de judo"),
                    ("commune", VERNOUX),
                    ("summary", "Judo dès 4 ans."),
                    ("categories", "sport"),
                ],
            )
            .await,
        job(&agent, "Agent d’entretien", "cdd").await,
        housing(&agent, "T2 au bourg", "appartement", "400").await,
        event(&agent, "Loto", 3, None).await,
    ];
    let locations: Vec<&str> = created
        .iter()
        .map(|p| p.location().unwrap_or_default())
        .collect();
    assert_eq!(
        locations,
        [
            "/annuaire/services/permanence-caf",
            "/annuaire/associations/club-de-judo",
            "/annuaire/emplois/agent-d-entretien",
            "/annuaire/logements/t2-au-bourg",
            "/annuaire/evenements/loto",
        ],
        "{:?}",
        created.iter().map(|p| &p.body).collect::<Vec<_>>()
    );
    let resident = app.browser();
    let home = resident.get("/annuaire").await;
    assert_eq!(home.status, StatusCode::OK);
    for list in [
        "services",
        "associations",
        "emplois",
        "logements",
        "evenements",
    ] {
        let page = resident.get(&format!("/annuaire/{list}")).await;
        assert_eq!(page.status, StatusCode::OK, "{list}");
        page.assert_contains("1 résultat");
    }
    for location in locations {
        let page = resident.get(location).await;
        assert_eq!(page.status, StatusCode::OK, "{location}");
        assert!(
            !page.body.contains("Outils des agents"),
            "residents see no agent tools"
        );
    }
    let caf = resident.get("/annuaire/services/permanence-caf").await;
    caf.assert_contains("href=\"tel:+33199001234\"");
    caf.assert_contains("https://www.openstreetmap.org/search?query=");
    caf.assert_contains("Familles, Séniors");
    // A second entry with the same title gets its own address.
    let again = service(&agent, "Permanence CAF", VERNOUX, "famille--garde-denfants").await;
    assert_eq!(
        again.location(),
        Some("/annuaire/services/permanence-caf-2")
    );
}

async fn entry_forms_keep_what_was_typed_and_explain_errors_in_french(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let res = agent
        .create_entry(
            "job",
            &[
                ("title", "Boulanger"),
                ("commune", "00000"),
                ("summary", ""),
                ("employer", "Boulangerie Martin"),
                ("contract", "cdd"),
                ("expires_on", "31/02/2026"),
                ("phone", "123"),
                ("how_to_apply", "Passer à la boutique"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Le formulaire contient des erreurs");
    res.assert_contains("Cette commune ne fait pas partie du territoire.");
    res.assert_contains("Écrivez une phrase qui dit ce que c’est.");
    res.assert_contains("Date non reconnue");
    res.assert_contains("Numéro non reconnu");
    assert_eq!(res.field("employer").as_deref(), Some("Boulangerie Martin"));
    assert_eq!(
        res.textarea("how_to_apply").as_deref(),
        Some("Passer à la boutique")
    );
    res.assert_contains("<option value=\"cdd\" selected>CDD</option>");

    let bad_hours = agent
        .create_entry(
            "service",
            &[
                ("title", "Mairie"),
                ("commune", SAINT_AUBIN),
                ("summary", "La mairie."),
                ("opening_hours", "le matin"),
            ],
        )
        .await;
    assert_eq!(bad_hours.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad_hours.assert_contains("Horaires non reconnus");
    assert_eq!(
        bad_hours.field("opening_hours").as_deref(),
        Some("le matin")
    );
}

async fn lists_filter_by_commune_theme_contract_type_rent_and_period(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    service(&agent, "Maison de santé", VERNOUX, "sante--acces-aux-soins").await;
    service(
        &agent,
        "Point conseil budget",
        SAINT_AUBIN,
        "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    )
    .await;
    job(&agent, "Vendangeur", "saisonnier").await;
    job(&agent, "Aide-soignant", "cdi").await;
    housing(&agent, "Studio", "appartement", "300").await;
    housing(&agent, "Maison", "maison", "700").await;
    let created = event(&agent, "Atelier demain", 1, None).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let created = event(&agent, "Fête dans un mois", 40, None).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let r = app.browser();

    let p = r
        .get(&format!("/annuaire/services?commune={VERNOUX}"))
        .await;
    p.assert_contains("1 résultat");
    p.assert_contains("Maison de santé");
    let p = r
        .get("/annuaire/services?theme=difficultes-financieres")
        .await;
    p.assert_contains("Point conseil budget");
    assert!(!p.body.contains("Maison de santé"));
    let p = r
        .get("/annuaire/services?public=familles&theme=sante")
        .await;
    p.assert_contains("1 résultat");
    let p = r.get("/annuaire/emplois?contrat=cdi").await;
    p.assert_contains("Aide-soignant");
    assert!(!p.body.contains("Vendangeur"));
    let p = r.get("/annuaire/logements?loyer_max=400").await;
    p.assert_contains("Studio");
    assert!(!p.body.contains("href=\"/annuaire/logements/maison\""));
    let p = r.get("/annuaire/logements?type=maison").await;
    p.assert_contains("1 résultat");
    let p = r.get("/annuaire/evenements?periode=semaine").await;
    p.assert_contains("Atelier demain");
    assert!(!p.body.contains("Fête dans un mois"));
    let p = r
        .get(&format!(
            "/annuaire/evenements?periode=date&date={}",
            in_days(&app, 40)
        ))
        .await;
    p.assert_contains("Fête dans un mois");
    p.assert_contains("1 résultat");
    // Filters are plain GET parameters: the form shows them back, and unknown values are
    // not errors.
    p.assert_contains("<option value=\"date\" selected>");
    let p = r.get("/annuaire/logements?loyer_max=beaucoup").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(
        r.get("/annuaire/inconnu").await.status,
        StatusCode::NOT_FOUND
    );
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("date")
}

/// Sessions that outlast the months these tests let pass (sessions end by the app's clock):
/// the agent stays logged in, as if they had logged in again.
fn long_sessions() -> lieu_web::WebConfig {
    lieu_web::WebConfig {
        session_days: 100_000,
        ..lieu_web::WebConfig::default()
    }
}

async fn offers_leave_the_lists_at_expiry_and_past_events_leave_the_agenda(backend: Backend) {
    // Sunday 1 November 2026, 10:00 in Paris.
    let start = utc(2026, 11, 1, 9);
    let app = TestApp::with_config(backend, long_sessions())
        .await
        .fixed_at(start);
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    // Expires on 1 December; the concert is on 3 November.
    job(&agent, "Offre ancienne", "cdd").await;
    event(&agent, "Concert passé", 2, None).await;
    let r = app.browser();
    r.get("/agenda?mois=2026-11")
        .await
        .assert_contains("Concert passé");
    // Time passes: on 20 November the concert is behind us, on 2 December the offer too.
    app.set_now(utc(2026, 11, 20, 9));
    assert!(
        !r.get("/agenda").await.body.contains("Concert passé"),
        "past events leave the agenda"
    );
    app.set_now(utc(2026, 12, 2, 9));
    job(&agent, "Offre actuelle", "cdd").await;
    let jobs = r.get("/annuaire/emplois").await;
    jobs.assert_contains("Offre actuelle");
    assert!(
        !jobs.body.contains("Offre ancienne"),
        "expired offers leave the list"
    );
    let old = r.get("/annuaire/emplois/offre-ancienne").await;
    assert_eq!(old.status, StatusCode::OK, "nothing is deleted");
    old.assert_contains("Cette offre a expiré");
    let events = r.get("/annuaire/evenements").await;
    assert!(!events.body.contains("Concert passé"));
    let with_past = r.get("/annuaire/evenements?passes=1").await;
    with_past.assert_contains("Concert passé");
    r.get("/annuaire/evenements/concert-passe")
        .await
        .assert_contains("Cet événement est passé.");
    assert!(
        !r.get("/agenda?mois=2026-11")
            .await
            .body
            .contains("Concert passé"),
        "past events leave the agenda"
    );
    assert!(!r.get("/agenda.ics").await.body.contains("Concert passé"));
}

/// The public lists and the agenda keep their answers while the content does not change: an
/// edit that keeps the same entries in the same places must still show on every one of them
/// as soon as the index has it.
async fn lists_and_the_agenda_show_an_edit_once_the_index_has_it(backend: Backend) {
    // Sunday 1 November 2026, 10:00 in Paris; the dance is on Tuesday 3.
    let app = TestApp::new(backend).await.fixed_at(utc(2026, 11, 1, 9));
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let created = event(&agent, "Bal folk", 2, None).await;
    let url = created.location().expect("created").to_owned();
    let id = agent
        .get(&url)
        .await
        .body
        .split("/gestion/fiches/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("agent tools link")
        .to_owned();
    let pages = [
        "/annuaire/evenements",
        "/agenda?mois=2026-11",
        "/agenda/2026-11-03",
        "/recherche?q=bal",
    ];
    let r = app.browser();
    for path in pages {
        // Twice: the second answer is the one kept.
        r.get(path).await;
        let page = r.get(path).await;
        assert!(page.body.contains("Bal folk"), "{path}");
    }

    let form = agent.get(&format!("/gestion/fiches/{id}/modifier")).await;
    let field = |name: &str| form.field(name).unwrap_or_default();
    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/modifier"),
            &[
                ("type", "event"),
                ("base_revision", &field("base_revision")),
                ("title", "Bal trad"),
                ("commune", SAINT_AUBIN),
                ("summary", &form.textarea("summary").unwrap_or_default()),
                ("starts_at", &field("starts_at")),
                ("address", &field("address")),
                ("change_summary", "nouveau nom"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    for path in pages {
        let page = r.get(path).await;
        assert!(
            !page.body.contains("Bal folk") && page.body.contains("Bal trad"),
            "{path} shows the edit"
        );
    }
    // The directory home counts what the index holds: one more event, at once.
    let events_counted = |home: &Page| {
        home.body
            .split("href=\"/annuaire/evenements\"")
            .nth(1)
            .and_then(|card| card.split("class=\"carte-compte\">").nth(1))
            .and_then(|count| count.split(' ').next())
            .map(str::to_owned)
    };
    assert_eq!(
        events_counted(&r.get("/annuaire").await).as_deref(),
        Some("1")
    );
    event(&agent, "Loto", 3, None).await;
    assert_eq!(
        events_counted(&r.get("/annuaire").await).as_deref(),
        Some("2")
    );
}

async fn archived_entries_leave_the_lists_and_can_be_restored_with_history(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let created = service(
        &agent,
        "Permanence retraite",
        SAINT_AUBIN,
        "famille--soutien-aidants",
    )
    .await;
    let url = created.location().expect("created").to_owned();
    let page = agent.get(&url).await;
    let id = page
        .body
        .split("/gestion/fiches/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("agent tools link")
        .to_owned();

    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/archiver"),
            &[("base_revision", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let r = app.browser();
    assert!(
        !r.get("/annuaire/services")
            .await
            .body
            .contains("Permanence retraite")
    );
    assert_eq!(r.get(&url).await.status, StatusCode::GONE);
    agent
        .get(&url)
        .await
        .assert_contains("Cette fiche est archivée");

    agent
        .post(
            &format!("/gestion/fiches/{id}/restaurer"),
            &[("base_revision", "2")],
        )
        .await;
    r.get("/annuaire/services")
        .await
        .assert_contains("Permanence retraite");

    let form = agent.get(&format!("/gestion/fiches/{id}/modifier")).await;
    assert_eq!(form.field("title").as_deref(), Some("Permanence retraite"));
    let base = form.field("base_revision").expect("base");
    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/modifier"),
            &[
                ("type", "service"),
                ("base_revision", &base),
                ("title", "Permanence retraite"),
                ("commune", SAINT_AUBIN),
                ("summary", "Le jeudi matin désormais."),
                ("change_summary", "nouveau jour"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let history = agent.get(&format!("/gestion/fiches/{id}/historique")).await;
    for text in [
        "Création de la fiche",
        "Fiche archivée",
        "Fiche restaurée",
        "nouveau jour",
    ] {
        history.assert_contains(text);
    }
    history.assert_contains("Le jeudi matin désormais.");
    // Each snapshot scrolls when long: every <pre> is reachable by keyboard
    // (axe's scrollable-region-focusable).
    let pres: Vec<&str> = history.body.split("<pre").skip(1).collect();
    assert_eq!(pres.len(), 4, "one snapshot per revision");
    for pre in pres {
        let tag = pre.split('>').next().unwrap_or_default();
        assert!(tag.contains("tabindex=\"0\""), "<pre{tag}>");
    }
    assert_eq!(
        r.get(&format!("/gestion/fiches/{id}/historique"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

async fn only_agents_can_write_entries(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let editor = app.logged_in(Role::Editor).await;
    let res = job(&editor, "Offre d’un éditeur", "cdd").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Accès refusé");
    let anonymous = app.browser();
    let res = job(&anonymous, "Offre anonyme", "cdd").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().is_some_and(|l| l.starts_with("/connexion")));
    for path in [
        "/gestion/fiches/1/archiver",
        "/gestion/fiches/1/restaurer",
        "/gestion/fiches/1/verifier",
    ] {
        assert_eq!(
            editor.post(path, &[]).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        editor.get("/gestion/a-verifier").await.status,
        StatusCode::FORBIDDEN
    );
    // And agents need the CSRF token like everyone.
    let agent = app.logged_in(Role::Agent).await;
    let res = agent
        .post_raw(
            "/gestion/fiches/nouvelle",
            &[("type", "job"), ("title", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        app.browser()
            .get("/annuaire/emplois")
            .await
            .body
            .contains("0 résultats")
    );
}

/// The entry's dates come from the app's clock, not the database server's nor the system's:
/// an entry created, then left while the clock moves on, becomes one to verify.
async fn the_stale_list_shows_old_entries_and_one_click_verifies(backend: Backend) {
    let start = utc(2030, 3, 1, 9);
    let app = TestApp::with_config(backend, long_sessions())
        .await
        .fixed_at(start);
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    service(
        &agent,
        "Vieille fiche",
        SAINT_AUBIN,
        "sante--acces-aux-soins",
    )
    .await;
    app.set_now(start + Duration::days(200));
    service(
        &agent,
        "Fiche récente",
        SAINT_AUBIN,
        "sante--acces-aux-soins",
    )
    .await;
    let list = agent.get("/gestion/a-verifier").await;
    list.assert_contains("Vieille fiche");
    list.assert_contains("<strong>1</strong>.");
    assert!(!list.body.contains("Fiche récente"));
    agent
        .get("/annuaire")
        .await
        .assert_contains("Fiches à vérifier (1)");
    let action = list
        .body
        .split("action=\"")
        .find(|s| s.starts_with("/gestion/fiches/") && s.contains("verifier"))
        .and_then(|s| s.split('"').next())
        .expect("verify button")
        .replace("&amp;", "&");
    let res = agent.post(&action, &[]).await;
    assert_eq!(res.location(), Some("/gestion/a-verifier"));
    agent
        .get("/gestion/a-verifier")
        .await
        .assert_contains("Toutes les fiches ont été vérifiées récemment.");
    // Verified by the app's today: it comes back once that is old in turn.
    app.set_now(start + Duration::days(400));
    agent
        .get("/gestion/a-verifier")
        .await
        .assert_contains("<strong>2</strong>.");
}

async fn ical_feeds_parse_with_an_independent_parser(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    event(&agent, "Marché, « du samedi »; bio", 2, Some(30)).await;
    event(&agent, "Loto", 5, None).await;
    let r = app.browser();
    let feed = r.get("/agenda.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .starts_with("text/calendar")
    );
    let calendars: Vec<_> = ical::IcalParser::new(feed.body.as_bytes()).collect();
    assert_eq!(calendars.len(), 1);
    let calendar = calendars
        .into_iter()
        .next()
        .expect("one")
        .expect("valid iCalendar");
    assert_eq!(calendar.events.len(), 2);
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let market = calendar
        .events
        .iter()
        .find(|e| prop(e, "SUMMARY").is_some_and(|s| s.contains("Marché")))
        .expect("market");
    assert_eq!(
        prop(market, "SUMMARY").as_deref(),
        Some("Marché\\, « du samedi »\\; bio")
    );
    assert!(prop(market, "RRULE").is_some_and(|r| r.starts_with("FREQ=WEEKLY;UNTIL=")));
    assert!(prop(market, "DTSTART").is_some_and(|d| d.ends_with('Z')));
    assert!(prop(market, "UID").is_some());

    let single = r.get("/annuaire/evenements/loto.ics").await;
    let parsed = ical::IcalParser::new(single.body.as_bytes())
        .next()
        .expect("one calendar")
        .expect("valid");
    assert_eq!(parsed.events.len(), 1);
    assert_eq!(
        r.get("/annuaire/evenements/inconnu.ics").await.status,
        StatusCode::NOT_FOUND
    );
    let agenda = r.get("/agenda").await;
    assert_eq!(agenda.status, StatusCode::OK);
    agenda.assert_contains("Loto");
}

fn json_ld(page: &Page) -> serde_json::Value {
    let start = page
        .body
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD block")
        + "<script type=\"application/ld+json\">".len();
    let end = page.body[start..].find("</script>").expect("closed") + start;
    serde_json::from_str(&page.body[start..end]).expect("JSON-LD parses as JSON")
}

async fn entry_pages_carry_json_ld_and_opening_hours(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    service(
        &agent,
        "Mairie </script><b>",
        SAINT_AUBIN,
        "sante--acces-aux-soins",
    )
    .await;
    job(&agent, "Maçon", "cdi").await;
    housing(&agent, "Studio", "appartement", "350").await;
    event(&agent, "Bal", 4, None).await;
    agent
        .create_entry(
            "association",
            &[
                ("title", "Chorale"),
                ("commune", VERNOUX),
                ("summary", "On chante."),
            ],
        )
        .await;
    let r = app.browser();
    let service_page = r.get("/annuaire/services/mairie-script-b").await;
    let ld = json_ld(&service_page);
    assert_eq!(ld["@type"], "GovernmentService");
    assert_eq!(ld["name"], "Mairie </script><b>");
    assert_eq!(
        ld["availableChannel"]["serviceLocation"]["address"]["postalCode"],
        "79991"
    );
    service_page.assert_contains("Horaires d’ouverture");
    assert!(
        service_page.body.contains("Ouvert en ce moment")
            || service_page.body.contains("Fermé en ce moment")
    );
    service_page.assert_contains("9 h – 12 h");
    assert_eq!(
        json_ld(&r.get("/annuaire/emplois/macon").await)["@type"],
        "JobPosting"
    );
    assert_eq!(
        json_ld(&r.get("/annuaire/emplois/macon").await)["employmentType"],
        "FULL_TIME"
    );
    let housing_ld = json_ld(&r.get("/annuaire/logements/studio").await);
    assert_eq!(housing_ld["@type"], "Offer");
    assert_eq!(housing_ld["price"], 370);
    assert_eq!(housing_ld["itemOffered"]["@type"], "Apartment");
    let event_ld = json_ld(&r.get("/annuaire/evenements/bal").await);
    assert_eq!(event_ld["@type"], "Event");
    assert!(
        event_ld["startDate"]
            .as_str()
            .is_some_and(|d| d.ends_with("+01:00") || d.ends_with("+02:00"))
    );
    assert_eq!(
        json_ld(&r.get("/annuaire/associations/chorale").await)["@type"],
        "Organization"
    );
}

async fn editing_an_entry_from_a_stale_form_is_a_conflict(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let url = job(&agent, "Cuisinier", "cdd")
        .await
        .location()
        .expect("created")
        .to_owned();
    let page = agent.get(&url).await;
    let id = page
        .body
        .split("/gestion/fiches/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("id")
        .to_owned();
    let fields = |summary: &'static str| {
        vec![
            ("type", "job"),
            ("base_revision", "1"),
            ("title", "Cuisinier"),
            ("commune", SAINT_AUBIN),
            ("summary", summary),
            ("employer", "Restaurant"),
            ("contract", "cdd"),
            ("how_to_apply", "Appeler"),
        ]
    };
    let expires = in_days(&app, 10);
    let mut first = fields("Premier enregistrement");
    first.push(("expires_on", &expires));
    assert_eq!(
        agent
            .post(&format!("/gestion/fiches/{id}/modifier"), &first)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let mut second = fields("Second, depuis un vieux formulaire");
    second.push(("expires_on", &expires));
    let res = agent
        .post(&format!("/gestion/fiches/{id}/modifier"), &second)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    res.assert_contains("Quelqu’un a modifié cette fiche");
    assert_eq!(
        res.textarea("summary").as_deref(),
        Some("Second, depuis un vieux formulaire")
    );
    app.browser()
        .get(&url)
        .await
        .assert_contains("Premier enregistrement");
}

/// The archive button carries the revision the agent saw: clicked on a page that an edit has
/// since made stale, it archives nothing and says so in French, with a way back to the entry.
async fn archiving_from_a_stale_page_changes_nothing_and_says_why(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let url = service(
        &agent,
        "Écrivain public",
        SAINT_AUBIN,
        "famille--soutien-aidants",
    )
    .await
    .location()
    .expect("created")
    .to_owned();
    let page = agent.get(&url).await;
    let id = page
        .body
        .split("/gestion/fiches/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("id")
        .to_owned();
    let seen = page
        .field("base_revision")
        .expect("archive form's revision");
    assert_eq!(seen, "1");

    let form = agent.get(&format!("/gestion/fiches/{id}/modifier")).await;
    let base = form.field("base_revision").expect("base");
    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/modifier"),
            &[
                ("type", "service"),
                ("base_revision", &base),
                ("title", "Écrivain public"),
                ("commune", SAINT_AUBIN),
                ("summary", "Le mardi désormais."),
                ("themes", "famille--soutien-aidants"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/archiver"),
            &[("base_revision", &seen)],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    res.assert_contains("La fiche a changé entre-temps");
    res.assert_contains("votre demande n’a pas été appliquée");
    res.assert_contains(&format!("href=\"{url}\""));
    let public = app.browser().get(&url).await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_contains("Le mardi désormais.");

    // From the page as it is now, the same button works.
    let fresh = agent.get(&url).await.field("base_revision").expect("base");
    assert_eq!(fresh, "2");
    let res = agent
        .post(
            &format!("/gestion/fiches/{id}/archiver"),
            &[("base_revision", &fresh)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.browser().get(&url).await.status, StatusCode::GONE);
}

/// When every attempt to take a free slug meets the unique index (other agents creating the
/// same title at that very moment), the agent gets the form back with the text kept and a
/// French message, not an error page. The race is forced with a unique index on the title,
/// which the store's free-slug search does not know about.
async fn a_creation_that_keeps_losing_the_slug_race_shows_the_form_again(backend: Backend) {
    use diesel::RunQueryDsl;
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let first = service(
        &agent,
        "Permanence CAF",
        SAINT_AUBIN,
        "famille--soutien-aidants",
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    app.store()
        .write(|c| {
            diesel::sql_query("CREATE UNIQUE INDEX test_entries_title ON entries (title)")
                .execute(c)?;
            Ok(())
        })
        .expect("index");

    let res = agent
        .create_entry(
            "service",
            &[
                ("title", "Permanence CAF"),
                ("commune", SAINT_AUBIN),
                ("summary", "Texte à ne pas perdre."),
                ("themes", "famille--soutien-aidants"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Une fiche du même titre vient d’être créée au même moment");
    assert_eq!(res.field("title").as_deref(), Some("Permanence CAF"));
    assert_eq!(
        res.textarea("summary").as_deref(),
        Some("Texte à ne pas perdre.")
    );
}

mod embeds {
    use super::*;

    on_both_backends!(
        a_wiki_page_embeds_a_live_list_of_entries,
        a_page_shows_ten_embedded_lists_at_most,
    );

    async fn a_page_shows_ten_embedded_lists_at_most(backend: Backend) {
        let app = TestApp::new(backend).await;
        app.load_territory();
        let agent = app.logged_in(Role::Agent).await;
        job(&agent, "Maçon", "cdi").await;
        let body: Vec<String> = (1..=12)
            .map(|n| format!("Liste {n} :\n\n{{{{annuaire emplois limite=100}}}}"))
            .collect();
        agent
            .create_page("Beaucoup de listes", &body.join("\n\n"))
            .await;
        let page = app.browser().get("/wiki/beaucoup-de-listes").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body.matches("Voir toute la liste (1)").count(), 10);
        assert_eq!(
            page.body
                .matches("Liste de l’annuaire non affichée : une page en montre dix au plus.")
                .count(),
            2
        );
        page.assert_contains("Liste 12 :");
    }

    async fn a_wiki_page_embeds_a_live_list_of_entries(backend: Backend) {
        let app = TestApp::new(backend).await;
        app.load_territory();
        let agent = app.logged_in(Role::Agent).await;
        job(&agent, "Maçon", "cdi").await;
        agent
            .create_page(
                "Offres CDI",
                "Nos offres :\n\n{{annuaire emplois contrat=cdi limite=5}}\n\nFin.",
            )
            .await;
        let r = app.browser();
        let page = r.get("/wiki/offres-cdi").await;
        page.assert_contains("href=\"/annuaire/emplois/macon\"");
        page.assert_contains("href=\"/annuaire/emplois?contrat=cdi\"");
        page.assert_contains("Fin.");
        assert!(!page.body.contains("{{annuaire"));
        // The list is live: a new offer shows without editing the page, a CDD does not.
        job(&agent, "Couvreur", "cdi").await;
        job(&agent, "Saisonnier", "saisonnier").await;
        let page = r.get("/wiki/offres-cdi").await;
        page.assert_contains("Couvreur");
        assert!(!page.body.contains("Saisonnier"));
        page.assert_contains("Voir toute la liste (2)");
    }
}

mod occurrences {
    use super::*;

    on_both_backends!(a_weekly_event_is_listed_only_on_the_days_it_happens);

    async fn a_weekly_event_is_listed_only_on_the_days_it_happens(backend: Backend) {
        let app = TestApp::new(backend).await;
        app.load_territory();
        let agent = app.logged_in(Role::Agent).await;
        // Every week from day 2, four times: days 2, 9, 16 and 23.
        let created = event(&agent, "Marché hebdomadaire", 2, Some(23)).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let r = app.browser();
        for (day, listed) in [
            (2, true),
            (3, false),
            (9, true),
            (10, false),
            (23, true),
            (30, false),
        ] {
            let page = r
                .get(&format!(
                    "/annuaire/evenements?periode=date&date={}",
                    in_days(&app, day)
                ))
                .await;
            assert_eq!(
                page.body.contains("Marché hebdomadaire"),
                listed,
                "day {day}: listed should be {listed}"
            );
        }
    }
}

mod stale_pages {
    use super::*;
    use lieu_core::entry::{EntryForm, Kind};
    use lieu_store::directory;
    use lieu_store::wiki::Author;

    on_both_backends!(the_entries_to_verify_are_paginated);

    async fn the_entries_to_verify_are_paginated(backend: Backend) {
        let start = utc(2030, 3, 1, 9);
        let app = TestApp::new(backend).await.fixed_at(start);
        app.load_territory();
        let today = app.today();
        app.store()
            .write(|c| {
                for n in 0..45 {
                    let form = EntryForm {
                        title: format!("Association {n:02}"),
                        commune: SAINT_AUBIN.into(),
                        summary: "Une association.".into(),
                        ..EntryForm::default()
                    };
                    let valid = directory::validate(c, Kind::Association, &form, today)?
                        .map_err(lieu_store::StoreError::Invalid)?;
                    directory::create_entry(c, &valid, &Author::system("test"), "", start)?;
                }
                Ok(())
            })
            .expect("entries");
        app.set_now(start + Duration::days(400));
        let agent = app.logged_in(Role::Agent).await;
        let first = agent.get("/gestion/a-verifier").await;
        first.assert_contains("<strong>45</strong>.");
        first.assert_contains("href=\"/gestion/a-verifier?page=2\"");
        let second = agent.get("/gestion/a-verifier?page=2").await;
        assert_eq!(
            second.body.matches("/verifier?retour=a-verifier").count(),
            5
        );
    }
}

mod far_dates {
    use super::*;

    on_both_backends!(
        dates_far_outside_the_calendar_answer_without_a_server_error,
        an_event_at_the_end_of_chrono_s_calendar_is_refused_in_french,
    );

    async fn dates_far_outside_the_calendar_answer_without_a_server_error(backend: Backend) {
        let app = TestApp::new(backend).await;
        app.load_territory();
        let r = app.browser();
        for url in [
            "/annuaire/evenements?periode=date&date=%2B262142-12-31",
            "/annuaire/evenements?periode=date&date=-262143-01-01",
            "/annuaire/evenements?periode=date&date=1850-01-01",
        ] {
            let page = r.get(url).await;
            // The period is ignored, like a date that does not parse: the upcoming events,
            // and the reader is told why.
            assert_eq!(page.status, StatusCode::OK, "{url}");
            page.assert_contains("<h1>Événements</h1>");
            page.assert_contains("Cette date n’a pas pu être utilisée");
        }
        let fine = r
            .get("/annuaire/evenements?periode=date&date=2026-12-24")
            .await;
        assert!(!fine.body.contains("Cette date n’a pas pu être utilisée"));
        for url in [
            "/agenda?mois=%2B262142-12",
            "/agenda?mois=-262143-01",
            "/agenda?mois=2201-01",
        ] {
            let page = r.get(url).await;
            // This month's agenda instead, and the reader is told why.
            assert_eq!(page.status, StatusCode::OK, "{url}");
            page.assert_contains("Agenda");
            page.assert_contains("Ce mois n’a pas pu être affiché");
        }
        for url in ["/agenda", "/agenda?mois=2026-12"] {
            assert!(
                !r.get(url).await.body.contains("n’a pas pu être affiché"),
                "{url}"
            );
        }
        // The last accepted month has no link to the month after it.
        let last = r.get("/agenda?mois=2200-12").await;
        last.assert_contains("Décembre 2200");
        assert!(!last.body.contains("mois=2201-01"), "{}", last.body);
    }

    async fn an_event_at_the_end_of_chrono_s_calendar_is_refused_in_french(backend: Backend) {
        let app = TestApp::new(backend).await;
        app.load_territory();
        let agent = app.logged_in(Role::Agent).await;
        let res = agent
            .create_entry(
                "event",
                &[
                    ("title", "Bal de la fin des temps"),
                    ("commune", SAINT_AUBIN),
                    ("summary", "Un moment ensemble."),
                    ("starts_at", "+262142-12-31T23:00"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        res.assert_contains("Cette date est hors des limites acceptées (entre 1900 et 2200).");
        assert_eq!(
            res.field("starts_at").as_deref(),
            Some("+262142-12-31T23:00")
        );
    }
}
