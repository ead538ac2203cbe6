//! The starter content of `wiki-content/`: it imports cleanly, and what a newcomer sees first
//! is a living site with no dead link.

use actix_web::http::StatusCode;
use lieu_store::models::pages;
use lieu_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    the_starter_content_imports_and_every_page_reads_without_dead_links,
    reimporting_the_starter_content_changes_nothing,
);

async fn the_starter_content_imports_and_every_page_reads_without_dead_links(backend: Backend) {
    let app = TestApp::new(backend).await;
    let files = app.import_wiki_content();
    assert!(files >= 12, "at least 12 starter pages, found {files}");
    let list = app
        .store()
        .read(|c| Ok(pages::list(c, 1000, 0)?))
        .expect("pages");
    assert_eq!(list.len(), files);
    let reader = app.browser();
    for page in &list {
        let res = reader.get(&format!("/wiki/{}", page.slug)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", page.slug);
        assert!(
            !res.body.contains("lien-nouveau"),
            "{} links to a page that does not exist",
            page.slug
        );
        // Links to the directory lead to real entries.
        for part in res.body.split("href=\"/annuaire/").skip(1) {
            let path = part
                .split('"')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&");
            let target = reader.get(&format!("/annuaire/{path}")).await;
            assert_eq!(
                target.status,
                StatusCode::OK,
                "{} links to /annuaire/{path}",
                page.slug
            );
        }
    }
    // The home page shows the next events of the demo directory, live.
    let home = reader.get("/").await;
    assert!(
        home.body.contains("href=\"/annuaire/evenements/"),
        "{}",
        home.body
    );
    let jobs = reader.get("/wiki/emploi").await;
    assert!(
        jobs.body.contains("href=\"/annuaire/emplois/"),
        "{}",
        jobs.body
    );
    let home = reader.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    home.assert_contains("<h1>Accueil</h1>");
    // Every link of the layout leads somewhere.
    for href in [
        "/wiki/mentions-legales",
        "/wiki/accessibilite",
        "/wiki/donnees-personnelles",
        "/wiki/aide-a-l-edition",
        "/pages",
        "/modifications-recentes",
        "/modifications-recentes.atom",
        "/connexion",
    ] {
        home.assert_contains(&format!("href=\"{href}\""));
        assert_eq!(reader.get(href).await.status, StatusCode::OK, "{href}");
    }
}

async fn reimporting_the_starter_content_changes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    app.import_wiki_content();
    let count = app.store().read(|c| Ok(pages::count(c)?)).expect("count");
    let revisions = app
        .store()
        .read(|c| Ok(lieu_store::models::revisions::count_recent(c)?))
        .expect("revisions");
    assert_eq!(count, revisions, "one revision per page after two imports");
}
