//! The open data of the directory on the site (issue 13): the `/donnees` page lists the files
//! with the licence, each file is served at its stable address with its media type, an ETag
//! (a client that has it gets a 304) and a file name, the footer states the licence, and a
//! change of an entry shows in the served files once the background export has run — never
//! built per download.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::test::TestRequest;
use lieu_core::opendata::FILES;
use lieu_store::directory::{self, EntrySave};
use lieu_store::models::entries;
use lieu_tests::{Backend, TestApp, on_both_backends};
use lieu_web::WebConfig;

async fn app_with_exports(backend: Backend) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = WebConfig {
        export_dir: dir.path().to_owned(),
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    app.import_wiki_content();
    (app, dir)
}

fn refresh(app: &TestApp) -> Option<f64> {
    lieu_web::housekeeping::refresh_exports(app.store(), &app.state.config, app.now())
        .expect("export")
}

async fn the_open_data_page_and_files_are_served_with_validators(backend: Backend) {
    let (app, _dir) = app_with_exports(backend).await;
    let browser = app.browser();

    let before = browser.get("/donnees").await;
    assert_eq!(before.status, StatusCode::OK);
    before.assert_contains("Les fichiers sont en cours de préparation");
    let missing = browser.get("/donnees/csv/services.csv").await;
    assert_eq!(
        missing.status,
        StatusCode::NOT_FOUND,
        "not built per download"
    );

    assert!(refresh(&app).is_some(), "first export");
    assert!(refresh(&app).is_none(), "nothing changed: nothing written");

    let page = browser.get("/donnees").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Licence Ouverte 2.0");
    page.assert_contains("href=\"/donnees/data-inclusion/services.json\"");
    page.assert_contains("href=\"/donnees/csv/services-excel.csv\"");
    // The footer of every page states the data's licence and links to the page.
    let home = browser.get("/").await;
    home.assert_contains("rel=\"license\"");
    home.assert_contains("href=\"/donnees\"");

    for file in FILES {
        let url = format!("/donnees/{}", file.path());
        let got = browser.get(&url).await;
        assert_eq!(got.status, StatusCode::OK, "{url}");
        let content_type = got
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        assert_eq!(content_type, Some(file.content_type()), "{url}");
        let disposition = got
            .headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(disposition.contains(file.name), "{url}: {disposition}");
        assert!(got.headers.contains_key(header::LAST_MODIFIED), "{url}");
        let etag = got
            .headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .expect("an ETag")
            .to_owned();
        let again = browser
            .send(
                TestRequest::get()
                    .uri(&url)
                    .insert_header((header::IF_NONE_MATCH, etag)),
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{url}");
        if file.excel {
            assert!(got.body.starts_with('\u{feff}'), "{url}: BOM");
            assert!(got.body.contains("identifiant;type;titre"), "{url}");
        }
    }
    let meta = browser.get("/donnees/metadonnees.json").await;
    assert_eq!(meta.status, StatusCode::OK);
    let meta: serde_json::Value = serde_json::from_str(&meta.body).expect("JSON");
    assert_eq!(meta["licence"], "Licence Ouverte 2.0");
    for bad in [
        "/donnees/csv/secret.csv",
        "/donnees/hsds/..%2Fmetadonnees.json",
        "/donnees/x/services.json",
    ] {
        assert_eq!(
            browser.get(bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}

async fn a_changed_entry_shows_in_the_served_files_after_the_background_export(backend: Backend) {
    let (app, _dir) = app_with_exports(backend).await;
    let browser = app.browser();
    refresh(&app);
    let url = "/donnees/data-inclusion/services.json";
    let first = browser.get(url).await;
    let etag = first.headers.get(header::ETAG).cloned().expect("ETag");
    assert!(!first.body.contains("Permanence de la CAF, le mercredi"));

    let today = app.today();
    let now = app.now();
    app.store()
        .write(|c| {
            let entry = entries::by_slug(c, "permanence-de-la-caf")?.expect("demo entry");
            let mut form = directory::form_of(c, &entry)?;
            form.title = "Permanence de la CAF, le mercredi".into();
            let valid = directory::validate(c, entry.kind(), &form, today)?.expect("valid");
            let author = lieu_store::content::import_author();
            match directory::update_entry(
                c,
                entry.id,
                entry.revision_number,
                &valid,
                &author,
                "x",
                now,
            )? {
                EntrySave::Saved(_) => Ok(()),
                EntrySave::Conflict(_) => panic!("conflict"),
            }
        })
        .expect("edit");
    // Until the export runs, the file served is the one written before.
    let stale = browser
        .send(
            TestRequest::get()
                .uri(url)
                .insert_header((header::IF_NONE_MATCH, etag.clone())),
        )
        .await;
    assert_eq!(stale.status, StatusCode::NOT_MODIFIED);

    assert!(refresh(&app).is_some(), "the change is seen");
    let fresh = browser
        .send(
            TestRequest::get()
                .uri(url)
                .insert_header((header::IF_NONE_MATCH, etag)),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(fresh.body.contains("Permanence de la CAF, le mercredi"));
    let csv = browser.get("/donnees/csv/services.csv").await;
    assert!(csv.body.contains("Permanence de la CAF, le mercredi"));
}

on_both_backends!(
    the_open_data_page_and_files_are_served_with_validators,
    a_changed_entry_shows_in_the_served_files_after_the_background_export,
);
