//! The agenda with many events: a week by day and each day's own page stay small enough for
//! an old phone whatever the number of events, their links lead to every event, events that
//! last (exhibitions) show on the days they run, and no address makes it fail.

use actix_web::http::StatusCode;
use lieu_core::entry::{EntryForm, Kind, Rules, Status};
use lieu_store::directory as dir;
use lieu_store::wiki::Author;
use lieu_tests::{Backend, Page, TestApp, on_both_backends};
use std::collections::BTreeSet;

on_both_backends!(
    a_crowded_month_stays_small_and_its_links_lead_to_every_event,
    absurd_agenda_addresses_answer_in_french_and_never_fail,
);

/// The largest page the agenda may send, uncompressed.
const MAX_PAGE: usize = 30_000;

fn utc(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("date")
}

fn event(title: &str, starts_at: &str, ends_at: &str) -> EntryForm {
    EntryForm {
        title: title.into(),
        commune: "79901".into(),
        summary: "Un moment ensemble, ouvert à toutes et à tous.".into(),
        starts_at: starts_at.into(),
        ends_at: ends_at.into(),
        ..EntryForm::default()
    }
}

/// Creates the events through the store, as `lieu generate` does: validated as the agents'
/// form validates them, written in one batch.
fn create_events(app: &TestApp, forms: &[EntryForm]) {
    let store = app.store();
    let (communes, categories) = store
        .read(|c| dir::rules_data(c, Kind::Event))
        .expect("rules");
    let rules = Rules {
        communes: &communes,
        categories: &categories,
        today: app.today(),
    };
    let batch: Vec<dir::BatchEntry> = forms
        .iter()
        .map(|f| dir::BatchEntry {
            valid: f
                .validate(Kind::Event, &rules)
                .unwrap_or_else(|e| panic!("{}: {e}", f.title)),
            created_at: app.now(),
        })
        .collect();
    store
        .write(|c| dir::create_entries_batch(c, &batch, &Author::system("Test"), "Création"))
        .expect("events");
}

/// The targets of the links of `page` that start with `prefix`, in page order.
fn links(page: &Page, prefix: &str) -> Vec<String> {
    page.body
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .map(lieu_tests::unescape)
        .collect()
}

/// The address of the `rel="next"` link of `page`, if it has one.
fn next_link(page: &Page) -> Option<String> {
    let at = page.body.find("rel=\"next\" href=\"")? + "rel=\"next\" href=\"".len();
    let end = page.body[at..].find('"')? + at;
    Some(lieu_tests::unescape(&page.body[at..end]))
}

#[track_caller]
fn assert_small(page: &Page, url: &str) {
    assert_eq!(page.status, StatusCode::OK, "{url}: {}", page.body);
    assert!(
        page.body.len() < MAX_PAGE,
        "{url} weighs {} bytes",
        page.body.len()
    );
}

async fn a_crowded_month_stays_small_and_its_links_lead_to_every_event(backend: Backend) {
    // Monday 30 November 2026, 10:00 in Paris.
    let app = TestApp::new(backend).await.fixed_at(utc(2026, 11, 30, 9));
    app.load_territory();
    let mut forms = Vec::new();
    // 300 events on Saturday 5 December, and 2,000 over the month (65 of them on the 5th).
    for i in 0..300 {
        let start = format!("2026-12-05T{:02}:{:02}", 8 + i % 12, (i % 4) * 15);
        forms.push(event(&format!("Fête {i:03}"), &start, ""));
    }
    for i in 0..2_000 {
        let start = format!("2026-12-{:02}T{:02}:00", 1 + i % 31, 9 + i % 10);
        forms.push(event(&format!("Atelier {i:04}"), &start, ""));
    }
    // An exhibition of a month, begun before; a workshop over this morning, one still to come.
    forms.push(event(
        "Exposition de photographies",
        "2026-11-20T10:00",
        "2026-12-20T18:00",
    ));
    forms.push(event(
        "Café du matin",
        "2026-11-30T08:00",
        "2026-11-30T09:00",
    ));
    forms.push(event("Goûter du lundi", "2026-11-30T16:00", ""));
    forms.push(event("Concert annulé", "2026-12-05T20:00", ""));
    create_events(&app, &forms);
    let cancelled = app
        .store()
        .read(|c| Ok(lieu_store::models::entries::by_slug(c, "concert-annule")?.expect("concert")))
        .expect("read");
    app.store()
        .write(|c| {
            dir::set_status(
                c,
                cancelled.id,
                Status::Archived,
                &dir::StatusChange {
                    author: &Author::system("Test"),
                    summary: "",
                    now: app.now(),
                },
            )
        })
        .expect("archive");

    let r = app.browser();
    // Today's week: what is over has left, the exhibition still runs.
    let now = r.get("/agenda").await;
    assert_small(&now, "/agenda");
    now.assert_contains("Goûter du lundi");
    now.assert_contains("Exposition de photographies");
    now.assert_contains("en cours jusqu’au dimanche 20 décembre 2026 à 18 h");
    assert!(!now.body.contains("Café du matin"), "over at 9:00");

    // Every week of December, through the days' links.
    let mut url = "/agenda?mois=2026-12".to_owned();
    let mut day_pages = BTreeSet::new();
    let mut weeks = 0;
    while weeks < 6 {
        let page = r.get(&url).await;
        assert_small(&page, &url);
        page.assert_contains("Décembre 2026");
        assert!(!page.body.contains("Concert annulé"), "archived");
        day_pages.extend(links(&page, "/agenda/"));
        weeks += 1;
        match next_link(&page) {
            Some(next) if next.as_str() < "/agenda?du=2027" => url = next,
            _ => break,
        }
    }
    assert_eq!(weeks, 5, "1, 8, 15, 22 and 29 December");
    assert_eq!(day_pages.len(), 31, "{day_pages:?}");
    let week = r.get("/agenda?du=2026-12-05").await;
    week.assert_contains(
        "<a href=\"/agenda/2026-12-05\">Voir tous les événements du samedi 5 décembre 2026</a>",
    );

    // The 5th, page after page: every event of the day, once, and nothing else.
    let mut url = "/agenda/2026-12-05".to_owned();
    let first = r.get(&url).await;
    first.assert_contains("365 événements ce jour-là.");
    first.assert_contains("Déjà commencés");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = r.get(&url).await;
        assert_small(&page, &url);
        seen.extend(
            links(&page, "/annuaire/evenements/")
                .into_iter()
                .filter(|l| !l.contains("exposition")),
        );
        pages += 1;
        match next_link(&page) {
            Some(next) if pages < 40 => url = next,
            _ => break,
        }
    }
    assert_eq!(pages, 19, "365 events, 20 a page");
    let expected: BTreeSet<String> = (0..300)
        .map(|i| format!("/annuaire/evenements/fete-{i:03}"))
        .chain(
            (0..2_000)
                .filter(|i| i % 31 == 4)
                .map(|i| format!("/annuaire/evenements/atelier-{i:04}")),
        )
        .collect();
    assert_eq!(seen.len(), expected.len(), "each event once");
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), expected);

    // The exhibition shows on the days it runs, not after.
    r.get("/agenda/2026-12-20")
        .await
        .assert_contains("Exposition de photographies");
    assert!(
        !r.get("/agenda/2026-12-21")
            .await
            .body
            .contains("Exposition de photographies")
    );
}

async fn absurd_agenda_addresses_answer_in_french_and_never_fail(backend: Backend) {
    let app = TestApp::new(backend).await.fixed_at(utc(2026, 11, 30, 9));
    app.load_territory();
    create_events(&app, &[event("Loto", "2026-12-05T14:00", "")]);
    let r = app.browser();
    for url in [
        "/agenda?mois=2026-13",
        "/agenda?mois=%2B262142-12",
        "/agenda?mois=12",
    ] {
        let page = r.get(url).await;
        assert_small(&page, url);
        page.assert_contains("Ce mois n’a pas pu être affiché");
    }
    for url in [
        "/agenda?du=2026-02-30",
        "/agenda?du=%2B262142-01-01",
        "/agenda?du=-0001-01-01",
        "/agenda?du=2201-01-01",
        "/agenda?du=%F0%9F%8E%89",
        "/agenda?mois=2026-12&du=demain",
    ] {
        let page = r.get(url).await;
        assert_small(&page, url);
        page.assert_contains("Ce jour n’a pas pu être affiché");
        page.assert_contains("Loto");
    }
    for url in [
        "/agenda/2026-13-01",
        "/agenda/demain",
        "/agenda/%2B262142-01-01",
        "/agenda/1899-12-31",
        "/agenda/2026-12-05x",
    ] {
        let page = r.get(url).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{url}");
        page.assert_contains("Ce jour n’est pas dans l’agenda");
    }
    for url in [
        "/agenda/2026-12-05?page=0",
        "/agenda/2026-12-05?page=-3",
        "/agenda/2026-12-05?page=9223372036854775807",
    ] {
        let page = r.get(url).await;
        assert_small(&page, url);
        page.assert_contains("Loto");
    }
    for url in [
        "/agenda/2026-12-05?page=abc",
        "/agenda/2026-12-05?page=99999999999999999999",
    ] {
        let page = r.get(url).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{url}");
        page.assert_contains("Demande incorrecte");
    }
    // The last day the site accepts: its week and its page, with no link past it.
    let last = r.get("/agenda?du=2200-12-31").await;
    assert_small(&last, "last week");
    assert_eq!(next_link(&last), None, "{}", last.body);
    let last_day = r.get("/agenda/2200-12-31").await;
    assert_small(&last_day, "last day");
    assert!(!last_day.body.contains("2201-01-01"));
    let first_day = r.get("/agenda/1900-01-01").await;
    assert_small(&first_day, "first day");
    assert!(!first_day.body.contains("1899-12-31"));
}
