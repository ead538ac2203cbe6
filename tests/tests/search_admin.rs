//! The agents' pages of the search: the searches that found nothing in the last 30 days, made
//! synonyms in one click (and then found through the index), the groups of synonyms added,
//! edited and deleted, and who may do any of it.

use actix_web::http::StatusCode;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use lieu_core::Role;
use lieu_search::{SearchRequest, SearchResults};
use lieu_store::search::{self as store, SynonymGroup};
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends};

on_both_backends!(
    the_most_frequent_misses_of_the_last_30_days_come_first,
    a_miss_made_a_synonym_finds_what_its_word_finds,
    a_miss_joins_the_group_that_holds_its_word,
    the_miss_form_explains_its_errors_in_french,
    groups_are_added_edited_and_deleted,
    group_forms_keep_the_typed_text_and_escape_it,
    a_group_deleted_meanwhile_is_explained_not_a_crash,
    only_agents_reach_the_search_pages,
    every_write_needs_the_csrf_token,
    the_links_to_create_what_is_missing_carry_the_title,
);

/// Noon in Paris on 1 December 2026.
fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(11, 0, 0))
        .expect("a date")
}

async fn app(backend: Backend) -> TestApp {
    TestApp::new(backend).await.fixed_at(start())
}

/// Records `times` searches of `text` that found nothing, `days_ago` days before today.
fn miss(app: &TestApp, text: &str, days_ago: i64, times: usize) {
    let day = app.today() - Duration::days(days_ago);
    app.store()
        .write(|c| {
            for _ in 0..times {
                store::record_miss(c, text, day)?;
            }
            Ok(())
        })
        .expect("record a miss");
}

fn groups(app: &TestApp) -> Vec<SynonymGroup> {
    app.store().read(store::synonyms).expect("synonyms")
}

fn group_with(app: &TestApp, phrase: &str) -> Option<SynonymGroup> {
    store::group_with_phrase(&groups(app), phrase).cloned()
}

fn search(app: &TestApp, text: &str) -> SearchResults {
    app.drain_index();
    app.state
        .search
        .search(&SearchRequest {
            text: text.into(),
            limit: 10,
            now: app.now(),
            ..Default::default()
        })
        .expect("search")
}

fn titles(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.title.clone()).collect()
}

/// Where `needle` is in the page; fails if it is not.
#[track_caller]
fn at(page: &Page, needle: &str) -> usize {
    page.body
        .find(needle)
        .unwrap_or_else(|| panic!("expected {needle:?} in the page:\n{}", page.body))
}

/// What the field whose id is `id` holds: an input's value or a text area's text.
fn value_of(page: &Page, id: &str) -> Option<String> {
    let at = page.body.find(&format!(" id=\"{id}\""))?;
    let tag = page.body[..at].rsplit('<').next()?;
    let rest = &page.body[at..];
    let (start, end) = if tag == "textarea" {
        let start = rest.find('>')? + 1;
        (start, rest.find("</textarea>")?)
    } else {
        let start = rest.find("value=\"")? + "value=\"".len();
        (start, rest[start..].find('"')? + start)
    };
    Some(lieu_tests::unescape(&rest[start..end]))
}

async fn add_miss(agent: &Browser<'_>, query: &str, word: &str) -> Page {
    agent
        .post(
            "/gestion/recherches/synonyme",
            &[("query", query), ("word", word)],
        )
        .await
}

async fn the_most_frequent_misses_of_the_last_30_days_come_first(backend: Backend) {
    let app = app(backend).await;
    miss(&app, "velo", 10, 3);
    miss(&app, "alloc", 0, 4);
    miss(&app, "alloc", 12, 1);
    miss(&app, "mutuelle", 29, 2);
    // Thirty days ago: the day before the window.
    miss(&app, "vieille recherche", 30, 40);
    miss(&app, "<script>alert(1)</script>", 1, 1);
    for i in 0..60 {
        miss(&app, &format!("rare {i}"), 3, 1);
    }
    let agent = app.logged_in(Role::Agent).await;
    let page = agent.get("/gestion/recherches").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let alloc = at(&page, "« alloc »");
    let velo = at(&page, "« velo »");
    let mutuelle = at(&page, "« mutuelle »");
    assert!(alloc < velo && velo < mutuelle, "most frequent first");
    page.assert_contains("5 recherches");
    assert!(
        !page.body.contains("vieille recherche"),
        "older than 30 days"
    );
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    page.assert_contains("&lt;script&gt;");
    assert_eq!(
        page.body.matches("name=\"query\"").count(),
        50,
        "at most 50 searches"
    );
    // The agents' menu of the directory leads here.
    let home = agent.get("/annuaire").await;
    home.assert_contains("href=\"/gestion/recherches\"");
    home.assert_contains("href=\"/gestion/synonymes\"");
    let editor = app.logged_in(Role::Editor).await;
    let home = editor.get("/annuaire").await;
    assert!(!home.body.contains("/gestion/recherches"));
}

async fn a_miss_made_a_synonym_finds_what_its_word_finds(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    let created = agent
        .create_page(
            "Chèque énergie",
            "Le chèque énergie aide à payer les factures de chauffage.",
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(search(&app, "fioul").total, 0, "nothing before");
    let by_word = titles(&search(&app, "chèque énergie"));
    assert!(by_word.contains(&"Chèque énergie".to_owned()));
    miss(&app, "fioul", 2, 7);

    let res = add_miss(&agent, "fioul", "chèque énergie").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let group = group_with(&app, "fioul").expect("a new group");
    assert_eq!(group.terms, "fioul, chèque énergie");
    let back = res.location().expect("back to the list");
    assert_eq!(back, format!("/gestion/recherches?groupe={}", group.id));
    let page = agent.get(back).await;
    page.assert_contains("Synonyme enregistré.");
    page.assert_contains("Déjà dans le groupe de synonymes « fioul, chèque énergie »");

    assert_eq!(titles(&search(&app, "fioul")), by_word);
    // Sent again (a second click), nothing changes and the page says so.
    let again = add_miss(&agent, "fioul", "Chèque Energie").await;
    assert_eq!(
        again.location(),
        Some(format!("/gestion/recherches?groupe={}&deja=1", group.id).as_str())
    );
    let page = agent.get(again.location().unwrap_or_default()).await;
    page.assert_contains("était déjà dans ce groupe");
    assert_eq!(
        groups(&app)
            .iter()
            .filter(|g| g.terms.contains("fioul"))
            .count(),
        1
    );
}

async fn a_miss_joins_the_group_that_holds_its_word(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    agent
        .create_page("Permanence", "Aide pour vos allocations familiales.")
        .await;
    assert_eq!(search(&app, "cnaf").total, 0);
    let before = groups(&app).len();
    let caf = group_with(&app, "caf").expect("the starter list has caf");

    let res = add_miss(&agent, "cnaf", "CAF").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(groups(&app).len(), before, "no new group");
    let joined = group_with(&app, "cnaf").expect("joined");
    assert_eq!(joined.id, caf.id);
    assert_eq!(joined.terms, format!("{}, cnaf", caf.terms));
    assert_eq!(titles(&search(&app, "cnaf")), ["Permanence"]);
}

async fn the_miss_form_explains_its_errors_in_french(backend: Backend) {
    let app = app(backend).await;
    miss(&app, "alloc", 0, 2);
    miss(&app, "velo", 0, 1);
    let agent = app.logged_in(Role::Agent).await;
    let before = groups(&app);
    for (word, message) in [
        ("", "Indiquez le mot ou le sigle"),
        ("  ", "Indiquez le mot ou le sigle"),
        ("Vélo", "Ce mot est la recherche elle-même"),
        ("caf, apl", "un seul mot ou une seule expression"),
        ("<b>caf</b>", "ne peuvent pas contenir les signes"),
    ] {
        let page = add_miss(&agent, "velo", word).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{word}");
        page.assert_contains(message);
        // The typed word is kept in the row of its search, and the summary links to it.
        assert_eq!(value_of(&page, "champ-word-1").as_deref(), Some(word));
        page.assert_contains("href=\"#champ-word-1\"");
        page.assert_contains("aria-invalid=\"true\"");
        assert!(!page.body.contains("<b>caf"));
    }
    let huge = "a".repeat(10_000);
    let page = add_miss(&agent, "velo", &huge).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("trop long");
    let page = add_miss(&agent, &huge, "caf").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("trop long");
    assert_eq!(groups(&app), before, "nothing written");
}

async fn groups_are_added_edited_and_deleted(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    let list = agent.get("/gestion/synonymes").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains(
        "un habitant qui tape « caf » trouve aussi ce qui parle d’« allocations familiales »",
    );
    let caf = group_with(&app, "caf").expect("starter list");
    assert_eq!(
        value_of(&list, &format!("champ-terms-{}", caf.id)).as_deref(),
        Some(caf.terms.as_str())
    );
    list.assert_contains(&format!("{} groupes", groups(&app).len()));

    // Add.
    let res = agent
        .post(
            "/gestion/synonymes",
            &[("terms", " Fioul ,  chèque énergie,fioul ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let group = group_with(&app, "fioul").expect("added");
    assert_eq!(group.terms, "Fioul, chèque énergie");
    assert_eq!(
        res.location(),
        Some(format!("/gestion/synonymes?fait=ajoute#groupe-{}", group.id).as_str())
    );
    agent
        .get("/gestion/synonymes?fait=ajoute")
        .await
        .assert_contains("Groupe ajouté.");

    // Edit: the index follows.
    agent
        .create_page("Bois de chauffage", "Livraison de bûches pour le poêle.")
        .await;
    assert_eq!(search(&app, "fioul").total, 0);
    let res = agent
        .post(
            &format!("/gestion/synonymes/{}/modifier", group.id),
            &[("terms", "fioul, bûches")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.location(),
        Some(format!("/gestion/synonymes?fait=modifie#groupe-{}", group.id).as_str())
    );
    assert_eq!(
        group_with(&app, "fioul").map(|g| g.terms),
        Some("fioul, bûches".to_owned())
    );
    assert_eq!(titles(&search(&app, "fioul")), ["Bois de chauffage"]);

    // Delete, after a confirmation step.
    let confirm = agent
        .get(&format!("/gestion/synonymes/{}/supprimer", group.id))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    confirm.assert_contains("« fioul, bûches »");
    confirm.assert_contains(&format!(
        "action=\"/gestion/synonymes/{}/supprimer\"",
        group.id
    ));
    assert!(group_with(&app, "fioul").is_some(), "a GET deletes nothing");
    let res = agent
        .post(&format!("/gestion/synonymes/{}/supprimer", group.id), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/gestion/synonymes?fait=supprime"));
    agent
        .get("/gestion/synonymes?fait=supprime")
        .await
        .assert_contains("Groupe supprimé.");
    assert!(group_with(&app, "fioul").is_none());
    assert_eq!(search(&app, "fioul").total, 0);
    // Each change is in the audit log, with its group.
    let logged: Vec<(String, String)> = app
        .store()
        .read(|c| Ok(lieu_store::models::audit_log::recent(c, 10)?))
        .expect("audit log")
        .into_iter()
        .filter(|e| e.action.starts_with("synonyms."))
        .map(|e| (e.action, e.target))
        .collect();
    let id = group.id.to_string();
    assert_eq!(
        logged,
        [
            ("synonyms.delete".to_owned(), id.clone()),
            ("synonyms.edit".to_owned(), id.clone()),
            ("synonyms.add".to_owned(), id),
        ]
    );
}

async fn group_forms_keep_the_typed_text_and_escape_it(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    let before = groups(&app);
    let huge = format!("caf, {}", "b".repeat(10_000));
    let many = (0..21)
        .map(|i| format!("mot{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    for (terms, message) in [
        ("caf", "au moins deux mots"),
        ("", "au moins deux mots"),
        ("caf, CAF", "au moins deux mots"),
        (
            "\"><script>alert(1)</script>, caf",
            "ne peuvent pas contenir les signes",
        ),
        (huge.as_str(), "trop long"),
        (many.as_str(), "20 mots ou expressions au plus"),
    ] {
        let page = agent.post("/gestion/synonymes", &[("terms", terms)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{terms}");
        page.assert_contains(message);
        page.assert_contains("href=\"#champ-terms\"");
        assert_eq!(value_of(&page, "champ-terms").as_deref(), Some(terms));
        assert!(!page.body.contains("<script>alert"));
    }
    let caf = group_with(&app, "caf").expect("starter list");
    let edit = format!("/gestion/synonymes/{}/modifier", caf.id);
    let page = agent.post(&edit, &[("terms", "caf <i>")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("ne peuvent pas contenir les signes");
    let id = format!("champ-terms-{}", caf.id);
    assert_eq!(value_of(&page, &id).as_deref(), Some("caf <i>"));
    page.assert_contains(&format!("href=\"#{id}\""));
    // The other forms show what is stored.
    assert_eq!(value_of(&page, "champ-terms").as_deref(), Some(""));
    let page = agent.post(&edit, &[("terms", &huge)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(groups(&app), before, "nothing written");
}

async fn a_group_deleted_meanwhile_is_explained_not_a_crash(backend: Backend) {
    let app = app(backend).await;
    let first = app.logged_in(Role::Agent).await;
    let second = app.logged_in(Role::Agent).await;
    let cv = group_with(&app, "cv").expect("starter list");
    let delete = format!("/gestion/synonymes/{}/supprimer", cv.id);
    assert_eq!(first.post(&delete, &[]).await.status, StatusCode::SEE_OTHER);

    let page = second.post(&delete, &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("Ce groupe n’existe plus");
    let page = second.get(&delete).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("Ce groupe n’existe plus");
    let page = second
        .post(
            &format!("/gestion/synonymes/{}/modifier", cv.id),
            &[("terms", "cv, curriculum vitae, lettre de motivation")],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("supprimé entre-temps");
    assert_eq!(
        value_of(&page, "champ-terms").as_deref(),
        Some("cv, curriculum vitae, lettre de motivation"),
        "kept to add it again"
    );
    assert!(group_with(&app, "cv").is_none());
    // Ids that never were, or are no number: no server error.
    for path in [
        "/gestion/synonymes/999999/supprimer",
        "/gestion/synonymes/-1/supprimer",
        "/gestion/synonymes/abc/supprimer",
        "/gestion/synonymes/99999999999/supprimer",
    ] {
        assert!(second.get(path).await.status.is_client_error(), "{path}");
        assert!(
            second.post(path, &[]).await.status.is_client_error(),
            "{path}"
        );
    }
}

async fn only_agents_reach_the_search_pages(backend: Backend) {
    let app = app(backend).await;
    miss(&app, "velo", 0, 1);
    let before = groups(&app);
    let id = before[0].id;
    let gets = [
        "/gestion/recherches".to_owned(),
        "/gestion/synonymes".to_owned(),
        format!("/gestion/synonymes/{id}/supprimer"),
    ];
    let posts: [(String, Vec<(&str, &str)>); 4] = [
        (
            "/gestion/recherches/synonyme".to_owned(),
            vec![("query", "velo"), ("word", "bicyclette")],
        ),
        (
            "/gestion/synonymes".to_owned(),
            vec![("terms", "velo, bicyclette")],
        ),
        (
            format!("/gestion/synonymes/{id}/modifier"),
            vec![("terms", "velo, bicyclette")],
        ),
        (format!("/gestion/synonymes/{id}/supprimer"), vec![]),
    ];
    let anonymous = app.browser();
    let editor = app.logged_in(Role::Editor).await;
    for path in &gets {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.location().is_some_and(|l| l.starts_with("/connexion")),
            "{path}"
        );
        assert_eq!(
            editor.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for (path, fields) in &posts {
        let page = anonymous.post(path, fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.location().is_some_and(|l| l.starts_with("/connexion")),
            "{path}"
        );
        assert_eq!(
            editor.post(path, fields).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(groups(&app), before, "nothing written");
    // An admin is an agent too.
    let admin = app.logged_in(Role::Admin).await;
    for path in &gets {
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
    }
}

async fn every_write_needs_the_csrf_token(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    let before = groups(&app);
    let id = before[0].id.to_string();
    let edit = format!("/gestion/synonymes/{id}/modifier");
    let delete = format!("/gestion/synonymes/{id}/supprimer");
    let posts: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "/gestion/recherches/synonyme",
            vec![("query", "velo"), ("word", "bicyclette")],
        ),
        ("/gestion/synonymes", vec![("terms", "velo, bicyclette")]),
        (&edit, vec![("terms", "velo, bicyclette")]),
        (&delete, vec![]),
    ];
    for (path, fields) in &posts {
        assert_eq!(
            agent.post_raw(path, fields).await.status,
            StatusCode::FORBIDDEN,
            "{path} without a token"
        );
        let mut forged = vec![("csrf", "0".repeat(64))];
        forged.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            agent.post_raw(path, &forged).await.status,
            StatusCode::FORBIDDEN,
            "{path} with a forged token"
        );
    }
    assert_eq!(groups(&app), before, "nothing written");
}

async fn the_links_to_create_what_is_missing_carry_the_title(backend: Backend) {
    let app = app(backend).await;
    app.load_territory();
    miss(&app, "atelier tricot", 0, 3);
    let agent = app.logged_in(Role::Agent).await;
    let page = agent.get("/gestion/recherches").await;
    page.assert_contains("href=\"/nouvelle-page?titre=Atelier+tricot\"");
    page.assert_contains("href=\"/gestion/fiches/nouvelle?titre=Atelier+tricot\"");
    let form = agent.get("/nouvelle-page?titre=Atelier+tricot").await;
    assert_eq!(form.field("title").as_deref(), Some("Atelier tricot"));
    let kinds = agent
        .get("/gestion/fiches/nouvelle?titre=Atelier+tricot")
        .await;
    kinds.assert_contains(
        "href=\"/gestion/fiches/nouvelle?type=association&amp;titre=Atelier+tricot\"",
    );
    let form = agent
        .get("/gestion/fiches/nouvelle?type=association&titre=Atelier+tricot")
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.field("title").as_deref(), Some("Atelier tricot"));
}
