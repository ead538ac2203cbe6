//! `robots.txt` and the sitemaps: every published entry and wiki page is listed with its
//! date, archived entries and private pages are not, the index names each file, and files
//! that do not exist are 404.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use lieu_core::entry::Status;
use lieu_store::schema::{entries as e, pages as p};
use lieu_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    robots_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages,
    the_sitemaps_list_every_published_entry_and_page,
);

async fn robots_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages(backend: Backend) {
    let app = TestApp::new(backend).await;
    let robots = app.browser().get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(
        robots
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/plain"))
    );
    for line in [
        "User-agent: *",
        "Disallow: /gestion/",
        "Disallow: /compte",
        "Disallow: /recherche",
        "Sitemap: http://127.0.0.1:8080/sitemap.xml",
    ] {
        robots.assert_contains(line);
    }
}

fn locs(body: &str) -> Vec<String> {
    body.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

async fn the_sitemaps_list_every_published_entry_and_page(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    let browser = app.browser();
    let index = browser.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    index.assert_contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    let files = locs(&index.body);
    for file in [
        "http://127.0.0.1:8080/sitemaps/site/0",
        "http://127.0.0.1:8080/sitemaps/pages/0",
        "http://127.0.0.1:8080/sitemaps/annuaire/0",
    ] {
        assert!(files.contains(&file.to_owned()), "{file} in {files:?}");
    }
    let mut listed = Vec::new();
    for file in &files {
        let path = file.trim_start_matches("http://127.0.0.1:8080");
        let part = browser.get(path).await;
        assert_eq!(part.status, StatusCode::OK, "{path}");
        part.assert_contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
        listed.extend(locs(&part.body));
    }
    let (entries, pages) = app
        .store()
        .read(|c| {
            let entries: Vec<(String, String)> = e::table
                .filter(e::status.eq(Status::Published.as_str()))
                .select((e::kind, e::slug))
                .load(c)?;
            let pages: Vec<String> = p::table.select(p::slug).load(c)?;
            Ok((entries, pages))
        })
        .expect("rows");
    assert!(entries.len() > 50 && !pages.is_empty());
    for (kind, slug) in &entries {
        let kind: lieu_core::entry::Kind = kind.parse().expect("kind");
        let url = format!(
            "http://127.0.0.1:8080{}",
            lieu_web::views::directory::entry_path(kind, slug)
        );
        assert!(listed.contains(&url), "{url}");
    }
    for slug in &pages {
        let url = format!("http://127.0.0.1:8080/wiki/{slug}");
        assert!(listed.contains(&url), "{url}");
    }
    assert!(listed.contains(&"http://127.0.0.1:8080/annuaire".to_owned()));
    let annuaire = browser.get("/sitemaps/annuaire/0").await;
    annuaire.assert_contains("<lastmod>");

    // Archived: no longer listed.
    let (id, kind, slug): (i32, String, String) = app
        .store()
        .read(|c| {
            Ok(e::table
                .filter(e::status.eq(Status::Published.as_str()))
                .select((e::id, e::kind, e::slug))
                .first(c)?)
        })
        .expect("an entry");
    let author = lieu_store::wiki::Author::system("test");
    let now = app.now();
    app.store()
        .write(|c| {
            lieu_store::directory::set_status(
                c,
                id,
                Status::Archived,
                &lieu_store::directory::StatusChange {
                    author: &author,
                    summary: "archivée",
                    now,
                },
            )
        })
        .expect("archive");
    let kind: lieu_core::entry::Kind = kind.parse().expect("kind");
    let gone = format!(
        "http://127.0.0.1:8080{}",
        lieu_web::views::directory::entry_path(kind, &slug)
    );
    let annuaire = browser.get("/sitemaps/annuaire/0").await;
    assert!(!locs(&annuaire.body).contains(&gone));

    for path in [
        "/sitemaps/nothing/0",
        "/sitemaps/site/1",
        "/sitemaps/annuaire/-1",
        "/sitemaps/annuaire/x",
        "/sitemaps/annuaire/99999999999",
    ] {
        assert_eq!(
            browser.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // A file past the last id is empty, not an error.
    let far = browser.get("/sitemaps/annuaire/5000").await;
    assert_eq!(far.status, StatusCode::OK);
    assert!(locs(&far.body).is_empty());
}
