//! The JSON API (`/api/v1`), as a program reads it: every published, current entry of the
//! demo directory once when the pages are followed, filters that hold, nothing archived,
//! expired or waiting for review, no sender's personal data; ETag and Last-Modified with 304
//! answers; problem+json errors with stable codes; CORS; the per-client budget behind a
//! trusted proxy; gzip; the OpenAPI document and the page that explains it.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use chrono::Duration;
use diesel::prelude::*;
use lieu_core::entry::Status;
use lieu_core::net::TrustedProxies;
use lieu_store::schema::entries as e;
use lieu_tests::{Backend, Page, TestApp, on_both_backends};
use lieu_web::state::WebConfig;
use serde_json::Value;
use std::collections::BTreeSet;

on_both_backends!(
    the_pages_give_every_published_entry_once_and_filters_hold,
    only_published_current_entries_and_no_personal_data,
    answers_carry_validators_and_304_when_unchanged,
    errors_are_problems_with_stable_codes,
    cors_and_gzip,
    each_client_address_has_a_budget_behind_the_trusted_proxy,
    pages_events_communes_and_search,
    the_openapi_document_and_the_api_page_describe_every_operation,
);

fn json(page: &Page) -> Value {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{}",
        page.body
    );
    serde_json::from_str(&page.body).expect("JSON")
}

fn problem(page: &Page, status: StatusCode, code: &str) -> Value {
    assert_eq!(page.status, status, "{}", page.body);
    assert_eq!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let body: Value = serde_json::from_str(&page.body).expect("problem JSON");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["type"], format!("/api#{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

/// The demo content, imported by the system clock; then the app's clock stops, after it.
async fn app(backend: Backend) -> TestApp {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    app.fixed_at(lieu_store::now() + Duration::seconds(1))
}

/// Ids of the published entries not expired now, read from the table itself.
fn published_ids(app: &TestApp, kind: Option<&str>) -> BTreeSet<i64> {
    let now = app.now();
    app.store()
        .read(|c| {
            let mut q = e::table
                .filter(e::status.eq(Status::Published.as_str()))
                .filter(e::expires_at.is_null().or(e::expires_at.gt(now)))
                .select(e::id)
                .into_boxed();
            if let Some(kind) = kind {
                q = q.filter(e::kind.eq(kind.to_owned()));
            }
            Ok(q.load::<i32>(c)?)
        })
        .expect("ids")
        .into_iter()
        .map(i64::from)
        .collect()
}

/// Follows `next` from `first`; every item of every page.
async fn walk(app: &TestApp, first: &str) -> Vec<Value> {
    let browser = app.browser();
    let mut items = Vec::new();
    let mut url = Some(first.to_owned());
    let mut pages = 0;
    while let Some(u) = url {
        let body = json(&browser.get(&u).await);
        assert!(
            body["licence"]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        );
        items.extend(body["data"].as_array().expect("data").iter().cloned());
        url = body["next"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages < 1000, "the pages end");
    }
    items
}

async fn the_pages_give_every_published_entry_once_and_filters_hold(backend: Backend) {
    let app = app(backend).await;
    let all = walk(&app, "/api/v1/entries?limit=7").await;
    let ids: Vec<i64> = all.iter().map(|e| e["id"].as_i64().expect("id")).collect();
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "each entry once");
    assert_eq!(unique, published_ids(&app, None));
    assert!(unique.len() > 50, "the demo directory is there");
    // By date of change, then id.
    let keys: Vec<(String, i64)> = all
        .iter()
        .map(|e| {
            (
                e["updated_at"].as_str().unwrap_or_default().to_owned(),
                e["id"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let first = &all[0];
    assert!(first["url"].as_str().is_some_and(|u| u.starts_with("http")));
    assert!(first["details"]["kind"] == first["kind"]);

    let services = walk(&app, "/api/v1/entries?kind=service").await;
    let service_ids: BTreeSet<i64> = services.iter().filter_map(|e| e["id"].as_i64()).collect();
    assert_eq!(service_ids, published_ids(&app, Some("service")));
    assert!(services.iter().all(|e| e["kind"] == "service"));

    let commune = first["commune"]["insee"]
        .as_str()
        .expect("insee")
        .to_owned();
    let here = walk(&app, &format!("/api/v1/entries?commune={commune}&limit=3")).await;
    assert!(!here.is_empty());
    assert!(
        here.iter()
            .all(|e| e["commune"]["insee"] == commune.as_str())
    );
    assert!(
        here.iter()
            .all(|e| e["commune"]["name"].as_str().is_some_and(|n| !n.is_empty()))
    );

    let themed = services
        .iter()
        .find_map(|s| s["themes"][0].as_str())
        .expect("a service with a thématique")
        .to_owned();
    let group = themed.split("--").next().expect("group").to_owned();
    for (filter, check) in [(&themed, true), (&group, false)] {
        let found = walk(&app, &format!("/api/v1/entries?theme={filter}")).await;
        assert!(!found.is_empty(), "{filter}");
        assert!(
            found
                .iter()
                .all(|e| e["themes"].as_array().is_some_and(|t| t
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|t| if check {
                        t == themed
                    } else {
                        t.starts_with(&format!("{group}--"))
                    })))
        );
    }
    let category = all
        .iter()
        .find_map(|e| e["categories"][0].as_str())
        .expect("an entry with a category")
        .to_owned();
    let in_category = walk(&app, &format!("/api/v1/entries?category={category}")).await;
    assert!(!in_category.is_empty());
    assert!(in_category.iter().all(|e| {
        e["categories"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c == category.as_str()))
    }));
    // Nothing matches: an empty page, not an error.
    let none = json(&app.browser().get("/api/v1/entries?commune=00000").await);
    assert_eq!(none["data"].as_array().map(Vec::len), Some(0));
    assert!(none["next"].is_null());

    // `updated_since`: what changed after a moment, with the filters in `next`.
    let agent = app.logged_in(lieu_core::Role::Agent).await;
    let since = (app.now() + Duration::seconds(1)).and_utc().to_rfc3339();
    app.set_now(app.now() + Duration::seconds(5));
    let page = agent
        .create_entry(
            "association",
            &[
                ("title", "Club de marche des Sorbières"),
                ("commune", &commune),
                ("summary", "On marche le dimanche."),
                ("description", "Rendez-vous devant la mairie."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let changed = walk(
        &app,
        &format!(
            "/api/v1/entries?updated_since={}&limit=1",
            urlencode(&since)
        ),
    )
    .await;
    let titles: Vec<&str> = changed.iter().filter_map(|e| e["title"].as_str()).collect();
    assert_eq!(titles, ["Club de marche des Sorbières"]);
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .expect("encode")
        .trim_start_matches("x=")
        .to_owned()
}

async fn only_published_current_entries_and_no_personal_data(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(lieu_core::Role::Agent).await;
    let expires = (app.today() + Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let job = agent
        .create_entry(
            "job",
            &[
                ("title", "Agent d’entretien des chemins communaux"),
                ("commune", "79901"),
                ("summary", "Un emploi près de chez vous."),
                ("employer", "Mairie"),
                ("contract", "cdd"),
                ("how_to_apply", "CV à l’accueil."),
                ("expires_on", &expires),
            ],
        )
        .await;
    assert_eq!(job.status, StatusCode::SEE_OTHER, "{}", job.body);
    let id = app
        .store()
        .read(|c| {
            Ok(e::table
                .filter(e::title.eq("Agent d’entretien des chemins communaux"))
                .select(e::id)
                .first::<i32>(c)?)
        })
        .expect("the job");
    let one = json(&app.browser().get(&format!("/api/v1/entries/{id}")).await);
    assert_eq!(
        one["data"]["title"],
        "Agent d’entretien des chemins communaux"
    );
    assert!(one["data"]["expires_at"].is_string());

    // A submission waiting for review, with its sender's contact: never in the API.
    let form = lieu_core::entry::EntryForm {
        title: "Amicale secrète des pêcheurs".into(),
        commune: "79901".into(),
        summary: "Pêche à la ligne.".into(),
        ..Default::default()
    };
    let sender = lieu_store::submissions::SenderContact {
        name: "Dominique Confidentiel".into(),
        organisation: "Amicale".into(),
        email: "dominique.confidentiel@example.org".into(),
        phone: "06 11 22 33 44".into(),
    };
    let now = app.now();
    app.store()
        .write(|c| {
            lieu_store::submissions::create(
                c,
                &lieu_store::submissions::NewSubmission {
                    kind: lieu_core::entry::Kind::Association,
                    target_entry_id: None,
                    form: &form,
                    sender: &sender,
                    token_digest: "digest",
                },
                &[],
                now,
            )
        })
        .expect("submission");
    let everything: String = walk(&app, "/api/v1/entries?limit=100")
        .await
        .iter()
        .map(Value::to_string)
        .collect();
    let searched = app.browser().get("/api/v1/search?q=amicale").await.body;
    for secret in [
        "Amicale secrète",
        "Dominique Confidentiel",
        "dominique.confidentiel@example.org",
        "06 11 22 33 44",
    ] {
        assert!(!everything.contains(secret), "{secret} in the API");
        assert!(!searched.contains(secret), "{secret} in the API's search");
    }

    // Archived: gone from the list and from its address.
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
    app.drain_index();
    problem(
        &app.browser().get(&format!("/api/v1/entries/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    // Restored, then expired: gone again once its date has passed.
    app.store()
        .write(|c| {
            lieu_store::directory::set_status(
                c,
                id,
                Status::Published,
                &lieu_store::directory::StatusChange {
                    author: &author,
                    summary: "restaurée",
                    now,
                },
            )
        })
        .expect("restore");
    json(&app.browser().get(&format!("/api/v1/entries/{id}")).await);
    app.set_now(app.now() + Duration::days(12));
    problem(
        &app.browser().get(&format!("/api/v1/entries/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let ids: BTreeSet<i64> = walk(&app, "/api/v1/entries?kind=job&limit=100")
        .await
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(!ids.contains(&i64::from(id)));
}

async fn answers_carry_validators_and_304_when_unchanged(backend: Backend) {
    let app = app(backend).await;
    let browser = app.browser();
    let first = browser.get("/api/v1/entries?kind=service&limit=5").await;
    json(&first);
    let etag = first
        .headers
        .get("etag")
        .expect("ETag")
        .to_str()
        .expect("text")
        .to_owned();
    let modified = first
        .headers
        .get("last-modified")
        .expect("Last-Modified")
        .to_str()
        .expect("text")
        .to_owned();
    assert!(modified.ends_with(" GMT"), "{modified}");
    // The same data in every language: shared caches may keep one copy.
    let vary: Vec<&str> = first
        .headers
        .get_all("vary")
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter()
            .all(|v| !v.to_lowercase().contains("accept-language")),
        "{vary:?}"
    );
    let again = browser
        .send(
            TestRequest::get()
                .uri("/api/v1/entries?kind=service&limit=5")
                .insert_header(("if-none-match", etag.as_str())),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(
        again.headers.get("etag").and_then(|v| v.to_str().ok()),
        Some(etag.as_str())
    );
    let since = browser
        .send(
            TestRequest::get()
                .uri("/api/v1/entries?kind=service&limit=5")
                .insert_header(("if-modified-since", modified.as_str())),
        )
        .await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    let other = browser
        .send(
            TestRequest::get()
                .uri("/api/v1/entries?kind=service&limit=5")
                .insert_header(("if-none-match", "\"something-else\"")),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);

    // A change: a new answer, a new ETag.
    let id = json(&first)["data"][0]["id"].as_i64().expect("id");
    let page_etag = browser
        .get(&format!("/api/v1/entries/{id}"))
        .await
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .expect("etag");
    app.set_now(app.now() + Duration::minutes(1));
    let edited = app
        .store()
        .write(|c| {
            Ok(diesel::update(e::table.filter(e::id.eq(id as i32)))
                .set((e::summary.eq("Résumé changé"), e::updated_at.eq(app.now())))
                .execute(c)?)
        })
        .expect("edit");
    assert_eq!(edited, 1);
    let changed = browser
        .send(
            TestRequest::get()
                .uri(&format!("/api/v1/entries/{id}"))
                .insert_header(("if-none-match", page_etag.as_str())),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(json(&changed)["data"]["summary"], "Résumé changé");
}

async fn errors_are_problems_with_stable_codes(backend: Backend) {
    let app = app(backend).await;
    let browser = app.browser();
    for (url, parameter) in [
        ("/api/v1/entries?kind=castle", "kind"),
        ("/api/v1/entries?limit=0", "limit"),
        ("/api/v1/entries?limit=101", "limit"),
        ("/api/v1/entries?limit=abc", "limit"),
        ("/api/v1/entries?commune=7900", "commune"),
        ("/api/v1/entries?theme=Sant%C3%A9", "theme"),
        ("/api/v1/entries?updated_since=hier", "updated_since"),
        ("/api/v1/entries?cursor=abc", "cursor"),
        ("/api/v1/entries?cursor=1.-2", "cursor"),
        ("/api/v1/events?from=2026-13-01T00:00:00Z", "from"),
        ("/api/v1/pages?cursor=-1", "cursor"),
        ("/api/v1/search", "q"),
        ("/api/v1/entries?kind=%00", "query"),
        ("/api/v1/search?q=", "q"),
        ("/api/v1/search?q=velo&offset=5000", "offset"),
        ("/api/v1/search?q=velo&kind=castle", "kind"),
    ] {
        let body = problem(
            &browser.get(url).await,
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        );
        assert_eq!(body["parameter"], parameter, "{url}: {body}");
    }
    // A period that ends before it starts holds nothing; a long one is cut to a year.
    let reversed = json(
        &browser
            .get("/api/v1/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
            .await,
    );
    assert_eq!(reversed["data"].as_array().map(Vec::len), Some(0));
    json(
        &browser
            .get("/api/v1/events?from=2026-01-01T00:00:00Z&to=9999-01-01T00:00:00Z")
            .await,
    );
    // Absurd but well-formed values are no error: nothing is after the end of time.
    let far = json(
        &browser
            .get("/api/v1/entries?cursor=999999999999.9999999999")
            .await,
    );
    assert_eq!(far["data"].as_array().map(Vec::len), Some(0));
    let old = json(
        &browser
            .get("/api/v1/entries?updated_since=0001-01-01T00:00:00Z&limit=1")
            .await,
    );
    assert_eq!(old["data"].as_array().map(Vec::len), Some(1));
    for url in [
        "/api/v1/nothing-here",
        "/api/v1/entries/999999",
        "/api/v1/entries/abc",
        "/api/v1/entries/99999999999999999999",
        "/api/v1/pages/no-such-page",
        "/api/v2/entries",
    ] {
        let page = browser.get(url).await;
        if url.starts_with("/api/v1") {
            problem(&page, StatusCode::NOT_FOUND, "not_found");
        } else {
            assert_eq!(page.status, StatusCode::NOT_FOUND);
        }
    }
    for req in [
        TestRequest::post().uri("/api/v1/entries"),
        TestRequest::delete().uri("/api/v1/entries/1"),
        TestRequest::put().uri("/api/v1/pages/accueil"),
    ] {
        let page = browser.send(req).await;
        problem(&page, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        assert_eq!(
            page.headers.get("allow").and_then(|v| v.to_str().ok()),
            Some("GET, HEAD")
        );
    }
}

async fn cors_and_gzip(backend: Backend) {
    let app = app(backend).await;
    let browser = app.browser();
    let page = browser
        .send(
            TestRequest::get()
                .uri("/api/v1/entries?limit=20")
                .insert_header(("origin", "https://autre-outil.example"))
                .insert_header(("accept-encoding", "gzip")),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    assert_eq!(
        page.headers
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    let plain = browser.get("/api/v1/entries?limit=20").await;
    assert!(
        page.bytes * 2 < plain.bytes,
        "{} vs {}",
        page.bytes,
        plain.bytes
    );
    let preflight = browser
        .send(
            TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri("/api/v1/entries")
                .insert_header(("origin", "https://autre-outil.example"))
                .insert_header(("access-control-request-method", "GET")),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert!(
        preflight
            .headers
            .get("access-control-allow-methods")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|m| m.contains("GET"))
    );
    // Errors too are readable from another origin.
    let error = browser.get("/api/v1/entries?kind=castle").await;
    assert_eq!(
        error
            .headers
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    // HEAD: the headers without the body.
    let head = browser
        .send(
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri("/api/v1/communes"),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
}

async fn each_client_address_has_a_budget_behind_the_trusted_proxy(backend: Backend) {
    let config = WebConfig {
        api_requests_per_minute: 3,
        trusted_proxies: TrustedProxies::parse(&["203.0.113.7/32"]).expect("proxies"),
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    let browser = app.browser();
    let from = |client: &str| {
        TestRequest::get()
            .uri("/api/v1/communes")
            .insert_header(("x-forwarded-for", client.to_owned()))
    };
    for _ in 0..3 {
        assert_eq!(
            browser.send(from("198.51.100.1")).await.status,
            StatusCode::OK
        );
    }
    let refused = browser.send(from("198.51.100.1")).await;
    problem(&refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let wait: u64 = refused
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    // Another resident behind the same proxy has a budget of their own.
    assert_eq!(
        browser.send(from("198.51.100.2")).await.status,
        StatusCode::OK
    );
    // The site's pages are not counted.
    assert_eq!(browser.get("/pages").await.status, StatusCode::OK);
}

async fn pages_events_communes_and_search(backend: Backend) {
    let app = app(backend).await;
    let browser = app.browser();
    let pages = walk(&app, "/api/v1/pages?limit=4").await;
    assert!(pages.len() > 5);
    let slugs: BTreeSet<&str> = pages.iter().filter_map(|p| p["slug"].as_str()).collect();
    assert_eq!(slugs.len(), pages.len());
    let slug = pages[0]["slug"].as_str().expect("slug");
    let page = json(&browser.get(&format!("/api/v1/pages/{slug}")).await);
    assert!(
        page["data"]["markdown"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        page["data"]["html"]
            .as_str()
            .is_some_and(|h| h.contains('<'))
    );
    assert!(
        !page["data"]["html"]
            .as_str()
            .unwrap_or_default()
            .contains("<script")
    );

    let communes = json(&browser.get("/api/v1/communes").await);
    assert_eq!(communes["data"].as_array().map(Vec::len), Some(10));

    let events = walk(&app, "/api/v1/events?limit=2").await;
    assert!(!events.is_empty(), "the demo agenda has events this month");
    let starts: Vec<&str> = events
        .iter()
        .filter_map(|e| e["starts_at"].as_str())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    assert!(events.iter().all(|e| e["entry"]["kind"] == "event"));
    let from = app.now().and_utc().to_rfc3339();
    let to = (app.now() + Duration::days(1)).and_utc().to_rfc3339();
    let today = walk(
        &app,
        &format!(
            "/api/v1/events?from={}&to={}",
            urlencode(&from),
            urlencode(&to)
        ),
    )
    .await;
    assert!(today.len() <= events.len());

    let found = json(&browser.get("/api/v1/search?q=numerique&limit=3").await);
    assert!(found["total"].as_u64().is_some_and(|n| n > 0), "{found}");
    assert!(
        found["data"]
            .as_array()
            .is_some_and(|d| !d.is_empty() && d.len() <= 3)
    );
    assert!(
        found["facets"]["kinds"]
            .as_array()
            .is_some_and(|k| !k.is_empty())
    );
    // Accents and typos forgiven, as in the search box.
    let typo = json(&browser.get("/api/v1/search?q=num%C3%A9riqe").await);
    assert!(typo["total"].as_u64().is_some_and(|n| n > 0), "{typo}");
}

async fn the_openapi_document_and_the_api_page_describe_every_operation(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    let doc = json(&browser.get("/api/v1/openapi.json").await);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/api/v1/entries",
        "/api/v1/entries/{id}",
        "/api/v1/events",
        "/api/v1/pages",
        "/api/v1/pages/{slug}",
        "/api/v1/communes",
        "/api/v1/search",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
        // Every documented address answers (with an error body for missing data).
        let url = path.replace("{id}", "1").replace("{slug}", "accueil");
        let page = browser
            .get(&format!(
                "{url}{}",
                if url.ends_with("search") {
                    "?q=mairie"
                } else {
                    ""
                }
            ))
            .await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::NOT_FOUND,
            "{url}: {}",
            page.status
        );
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["schemas"]["Entry"].is_object());
    let page = browser.get("/api").await;
    assert_eq!(page.status, StatusCode::OK);
    for path in paths {
        page.assert_contains(&format!("GET {path}"));
    }
    page.assert_contains("href=\"/api/v1/openapi.json\"");
    page.assert_contains("id=\"bad_parameter\"");
    page.assert_contains("Licence Ouverte 2.0");
    let english = browser
        .send(
            TestRequest::get()
                .uri("/api")
                .insert_header(("accept-language", "en-GB,en;q=0.8")),
        )
        .await;
    english.assert_contains("<html lang=\"en\"");
    english.assert_contains("Open data API");
}
