//! Relevance and freshness of the search index, on the demo content and a few entries of
//! our own: accents, plurals, elisions, typos, synonyms, facets, what must never show (expired,
//! archived), the outbox, recovery of a lost index, and the directory's lists served from the
//! index agreeing with the database. Every test runs on both backends with the same
//! expectations, so both give the same results.

use chrono::{Duration, NaiveDateTime};
use lieu_core::Role;
use lieu_core::entry::list::ListQuery;
use lieu_core::entry::{Kind, Status};
use lieu_search::{Opened, SearchIndex, SearchRequest, SearchResults};
use lieu_store::directory as dir;
use lieu_store::wiki::Author;
use lieu_tests::{Backend, TestApp, on_both_backends};

const SAINT_AUBIN: &str = "79901";
const VERNOUX: &str = "79902";

fn search(app: &TestApp, text: &str) -> SearchResults {
    search_with(app, text, |_| {})
}

fn search_with(app: &TestApp, text: &str, more: impl FnOnce(&mut SearchRequest)) -> SearchResults {
    let mut request = SearchRequest {
        text: text.into(),
        limit: 20,
        now: app.now(),
        ..Default::default()
    };
    more(&mut request);
    app.state.search.search(&request).expect("search")
}

fn titles(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.title.clone()).collect()
}

#[track_caller]
fn first_is(r: &SearchResults, title: &str) {
    assert_eq!(
        r.hits.first().map(|h| h.title.as_str()),
        Some(title),
        "first result; all: {:?}",
        titles(r)
    );
}

async fn demo(backend: Backend) -> TestApp {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    app.drain_index();
    app
}

const CRECHE: &str = "Crèche « Les P’tits Loups »";

async fn accents_case_and_plurals_find_the_creche(backend: Backend) {
    let app = demo(backend).await;
    for q in ["creche", "crèche", "CRECHE", "crèches", "Creches"] {
        first_is(&search(&app, q), CRECHE);
    }
    // Elision and stop words: « l’aide à domicile » is « aide domicile ».
    let r = search(&app, "l’aide à domicile");
    assert!(
        titles(&r)[..2].contains(&"Service d’aide à domicile".to_owned()),
        "{:?}",
        titles(&r)
    );
    // A typo within one edit (a transposition counts as one).
    first_is(&search(&app, "crehce"), CRECHE);
    // A query of stop words only finds nothing and says it understood nothing.
    let r = search(&app, "le la les de");
    assert!(!r.understood && r.total == 0);
}

async fn seasonal_jobs_are_found_with_plurals_and_a_typo(backend: Backend) {
    let app = demo(backend).await;
    for q in [
        "emplois saisonier",
        "emploi saisonnier",
        "Emplois saisonniers",
    ] {
        let r = search(&app, q);
        assert!(r.total >= 2, "{q}: {:?}", titles(&r));
        assert!(
            r.hits.iter().take(2).all(|h| h.kind == "job"),
            "{q}: seasonal jobs first, got {:?}",
            titles(&r)
        );
        assert!(titles(&r).iter().any(|t| t.contains("Vendangeur")));
    }
}

async fn exact_words_rank_before_typos(backend: Backend) {
    let app = demo(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    for (title, summary) in [
        ("Atelier tricot", "Un atelier où l’on tricote ensemble."),
        ("Atelier trico", "Un nom presque pareil."),
    ] {
        let page = agent
            .create_entry(
                "association",
                &[
                    ("title", title),
                    ("commune", SAINT_AUBIN),
                    ("summary", summary),
                    ("description", "Le jeudi après-midi."),
                ],
            )
            .await;
        assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    }
    app.drain_index();
    let r = search(&app, "tricot");
    first_is(&r, "Atelier tricot");
    assert!(
        titles(&r).contains(&"Atelier trico".to_owned()),
        "typo match kept after"
    );
}

async fn an_acronym_finds_what_its_expansion_finds(backend: Backend) {
    let app = demo(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    // Says « allocations familiales » and never « caf ».
    let page = agent
        .create_entry(
            "service",
            &[
                ("title", "Point information familles"),
                ("commune", VERNOUX),
                (
                    "summary",
                    "Vous aide à remplir vos demandes d’allocations familiales.",
                ),
                ("organisation", "Département"),
                ("description", "Le mardi matin."),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    app.drain_index();
    let caf = titles(&search(&app, "caf"));
    let expanded = titles(&search(&app, "allocations familiales"));
    assert!(
        caf.contains(&"Point information familles".to_owned()),
        "{caf:?}"
    );
    assert!(caf.contains(&"Permanence de la CAF".to_owned()), "{caf:?}");
    for title in &expanded {
        assert!(
            caf.contains(title),
            "{title} found by the expansion, not by caf"
        );
    }
    // And the other way round.
    assert!(expanded.contains(&"Permanence de la CAF".to_owned()));
}

async fn kind_filter_and_commune_facet_narrow_with_counts(backend: Backend) {
    let app = demo(backend).await;
    let all = search(&app, "aide");
    assert!(all.kinds.len() >= 2, "several kinds: {:?}", all.kinds);
    let services = all
        .kinds
        .iter()
        .find(|f| f.value == "service")
        .expect("a service facet");
    let only = search_with(&app, "aide", |r| r.kind = Some("service".into()));
    assert_eq!(only.total as u64, services.count);
    assert!(only.hits.iter().all(|h| h.kind == "service"));
    let vernoux = all
        .communes
        .iter()
        .find(|f| f.value == VERNOUX)
        .expect("Vernoux among the communes");
    let here = search_with(&app, "aide", |r| r.commune = Some(VERNOUX.into()));
    assert_eq!(here.total as u64, vernoux.count);
    assert!(here.hits.iter().all(|h| h.commune == VERNOUX));
    assert!(here.total < all.total);
    // Pages are a kind of their own, without a commune.
    let pages = search_with(&app, "chercher", |r| r.kind = Some("page".into()));
    assert!(pages.total >= 1 && pages.hits.iter().all(|h| h.kind == "page"));
    // Snippets mark the words found.
    let r = search(&app, "multi-accueil");
    let snippet = r.hits[0].snippet.as_ref().expect("a snippet");
    let marked: Vec<&str> = snippet
        .highlighted
        .iter()
        .map(|range| &snippet.fragment[range.clone()])
        .collect();
    assert!(
        marked.iter().any(|w| w.eq_ignore_ascii_case("accueil")),
        "{marked:?}"
    );
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("date")
}

async fn expired_offers_and_archived_entries_never_show(backend: Backend) {
    let start = utc(2026, 11, 1, 9);
    let app = TestApp::new(backend).await.fixed_at(start);
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    let expires = (app.today() + Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    for title in ["Maraîcher saisonnier", "Cueilleur saisonnier"] {
        let page = agent
            .create_entry(
                "job",
                &[
                    ("title", title),
                    ("commune", SAINT_AUBIN),
                    ("summary", "Récolte des légumes."),
                    ("employer", "Ferme du Breuil"),
                    ("contract", "saisonnier"),
                    ("how_to_apply", "Appeler la ferme."),
                    ("expires_on", &expires),
                ],
            )
            .await;
        assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    }
    app.drain_index();
    assert_eq!(search(&app, "saisonnier").total, 2);
    // Archived: gone from search and from the list at once.
    let id = app
        .store()
        .read(|c| {
            Ok(lieu_store::models::entries::by_slug(
                c,
                "cueilleur-saisonnier",
            )?)
        })
        .expect("read")
        .expect("entry")
        .id;
    let author = Author::system("test");
    app.store()
        .write(|c| {
            dir::set_status(
                c,
                id,
                Status::Archived,
                &dir::StatusChange {
                    author: &author,
                    summary: "fin",
                    now: start,
                },
            )
        })
        .expect("archive");
    app.drain_index();
    assert_eq!(
        titles(&search(&app, "saisonnier")),
        vec!["Maraîcher saisonnier"]
    );
    let list = app
        .state
        .search
        .list(&ListQuery::current(Kind::Job, app.now()))
        .expect("list");
    assert_eq!(list.1, 1);
    // Expired: the clock passes the end of the expiry day; nothing is reindexed.
    app.set_now(start + Duration::days(11));
    assert_eq!(search(&app, "saisonnier").total, 0);
    assert_eq!(
        app.state
            .search
            .count(&ListQuery::current(Kind::Job, app.now()))
            .expect("count"),
        0
    );
}

async fn a_page_edit_is_searchable_once_the_outbox_drains(backend: Backend) {
    let app = demo(backend).await;
    app.manual_indexing.set(true);
    let editor = app.logged_in(Role::Editor).await;
    let page = editor
        .edit_page(
            "comment-chercher-sur-le-site",
            "Une page qui parle de zythologie, l’étude des bières.",
            "essai",
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    assert_eq!(search(&app, "zythologie").total, 0, "not applied yet");
    assert!(app.drain_index() >= 1);
    let r = search(&app, "zythologie");
    assert_eq!(titles(&r), vec!["Comment chercher sur le site"]);
    // The old text is gone from the index.
    assert_eq!(
        search(&app, "emploi saisonnier")
            .hits
            .iter()
            .filter(|h| h.kind == "page")
            .count(),
        0
    );
    assert_eq!(app.drain_index(), 0, "nothing left to apply");
}

async fn a_lost_or_outdated_index_is_rebuilt_and_a_crash_replays_the_outbox(backend: Backend) {
    let app = demo(backend).await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("index");
    let store = app.store();
    let open = |progress: &mut Vec<u64>| {
        SearchIndex::open(&path, store, &mut |done, _| progress.push(done)).expect("open")
    };
    let mut progress = Vec::new();
    let (index, opened) = open(&mut progress);
    let documents = index.documents();
    assert!(matches!(opened, Opened::Rebuilt { .. }), "{opened:?}");
    assert!(documents > 20 && progress.last() == Some(&documents));
    drop(index);
    // Reopened as is.
    let (index, opened) = open(&mut Vec::new());
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.documents(), documents);
    // Changes written while the index is closed (a crash before the indexer ran) are in the
    // outbox and applied at the next drain.
    drop(index);
    let agent = app.logged_in(Role::Agent).await;
    let page = agent
        .create_entry(
            "association",
            &[
                ("title", "Club de zythologie"),
                ("commune", SAINT_AUBIN),
                ("summary", "Dégustations commentées."),
                ("description", "Un vendredi par mois."),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let (index, opened) = open(&mut Vec::new());
    assert_eq!(opened, Opened::Existing);
    assert!(index.drain(store).expect("drain") >= 1);
    assert_eq!(index.documents(), documents + 1);
    let found = index
        .search(&SearchRequest {
            text: "zythologie".into(),
            limit: 5,
            now: app.now(),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(found.total, 1);
    drop(index);
    // The folder deleted: rebuilt, same documents.
    std::fs::remove_dir_all(&path).expect("delete the index");
    let (index, opened) = open(&mut Vec::new());
    assert!(matches!(opened, Opened::Rebuilt { .. }));
    assert_eq!(index.documents(), documents + 1);
    drop(index);
    // An index of another schema version, and an unreadable one: rebuilt.
    std::fs::write(path.join("lieu-index-version"), "0").expect("write");
    let (index, opened) = open(&mut Vec::new());
    assert!(
        matches!(&opened, Opened::Rebuilt { reason, .. } if reason.contains("version")),
        "{opened:?}"
    );
    drop(index);
    std::fs::write(path.join("meta.json"), "not json").expect("write");
    let (index, opened) = open(&mut Vec::new());
    assert!(matches!(opened, Opened::Rebuilt { .. }));
    assert_eq!(index.documents(), documents + 1);
    // A second process cannot take the index of a running one, and leaves it whole.
    let second = SearchIndex::open(&path, store, &mut |_, _| {});
    assert!(second.is_err(), "the index is locked by the first");
    assert_eq!(index.documents(), documents + 1);
}

/// Suggestions: the word being typed is a prefix, and titles that start a word with it come
/// first.
async fn suggestions_rank_titles_that_start_with_the_word_typed(backend: Backend) {
    let app = demo(backend).await;
    let hits = app
        .state
        .search
        .suggest("servi", app.now(), 8)
        .expect("suggest");
    assert!(hits.len() >= 2, "{hits:?}");
    for hit in &hits[..2] {
        let folded = lieu_search::analysis::fold_words(&hit.title);
        assert!(
            folded.iter().any(|w| w.starts_with("servi")),
            "{}: {:?}",
            hit.title,
            hits.iter().map(|h| &h.title).collect::<Vec<_>>()
        );
    }
    // A space after the word: it is complete, no longer a prefix.
    let whole = app
        .state
        .search
        .suggest("servi ", app.now(), 8)
        .expect("suggest");
    assert!(whole.len() < hits.len(), "{whole:?}");
}

/// A page marked as English in its content file is analysed in English, and says so.
async fn an_english_page_is_analysed_in_english(backend: Backend) {
    let app = demo(backend).await;
    // « workshops » / « helping »: English stems, which the French analyser would not give.
    for q in ["helping", "workshops languages"] {
        let r = search(&app, q);
        first_is(&r, "Help in English");
    }
    let r = search(&app, "helping");
    assert!(r.hits[0].snippet.is_some(), "an English snippet");
    let page = app.browser().get("/wiki/help-in-english").await;
    // Its title, its headings and its text, not the interface around them (issue 13).
    page.assert_contains("<h1 lang=\"en\">Help in English</h1>");
    page.assert_contains("<div class=\"contenu-wiki\" lang=\"en\">");
    // Read in the English interface, it needs no mark.
    let english = app
        .browser()
        .send(
            actix_web::test::TestRequest::get()
                .uri("/wiki/help-in-english")
                .insert_header(("accept-language", "en")),
        )
        .await;
    english.assert_contains("<h1>Help in English</h1>");
    english.assert_contains("<div class=\"contenu-wiki\">");
    let french = app
        .browser()
        .get("/wiki/comment-chercher-sur-le-site")
        .await;
    french.assert_contains("<article class=\"page-wiki\">");
}

/// On PostgreSQL a transaction may commit its outbox row after a later one: the indexer
/// applies what it sees, but keeps its position before the missing id until it comes.
async fn a_late_outbox_row_is_not_skipped(backend: Backend) {
    use diesel::RunQueryDsl;
    let app = demo(backend).await;
    app.manual_indexing.set(true);
    let agent = app.logged_in(Role::Agent).await;
    let start = app.state.search.applied();
    for title in ["Club de bridge", "Club de tarot"] {
        let page = agent
            .create_entry(
                "association",
                &[
                    ("title", title),
                    ("commune", SAINT_AUBIN),
                    ("summary", "Parties le mardi."),
                    ("description", "Salle des fêtes."),
                ],
            )
            .await;
        assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    }
    let rows = app
        .store()
        .read(|c| lieu_store::search::outbox_after(c, start, 10))
        .expect("outbox");
    assert_eq!(rows.len(), 2, "one row per change");
    let (late, later) = (rows[0], rows[1]);
    // The first change's transaction has not committed yet.
    app.store()
        .write(|c| {
            diesel::sql_query(format!("DELETE FROM index_outbox WHERE id = {}", late.id))
                .execute(c)?;
            Ok(())
        })
        .expect("hide the row");
    app.drain_index();
    first_is(&search(&app, "tarot"), "Club de tarot");
    assert_eq!(search(&app, "bridge").total, 0);
    assert_eq!(app.state.search.applied(), start, "waits before the gap");
    // It commits.
    let Some(lieu_store::search::Source::Entry(id)) = late.source else {
        panic!("an entry row: {late:?}");
    };
    app.store()
        .write(|c| {
            diesel::sql_query(format!(
                "INSERT INTO index_outbox (id, source, source_id, created_at) \
                 VALUES ({}, 'entry', {id}, CURRENT_TIMESTAMP)",
                late.id
            ))
            .execute(c)?;
            Ok(())
        })
        .expect("the row commits");
    app.drain_index();
    first_is(&search(&app, "bridge"), "Club de bridge");
    assert_eq!(app.state.search.applied(), later.id);
}

/// The lists served by the index hold what the database's queries hold, in the same order,
/// for every kind and filter a resident can choose.
async fn lists_from_the_index_agree_with_the_database(backend: Backend) {
    let app = demo(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    // Same titles (order then falls to ids), and a second page.
    for n in 0..25 {
        let page = agent
            .create_entry(
                "service",
                &[
                    (
                        "title",
                        if n % 2 == 0 {
                            "Permanence juridique"
                        } else {
                            "Accueil mairie"
                        },
                    ),
                    ("commune", if n % 3 == 0 { VERNOUX } else { SAINT_AUBIN }),
                    ("summary", "Sur rendez-vous."),
                    ("organisation", "Mairie"),
                    ("description", "Le lundi."),
                    ("themes", "sante--acces-aux-soins"),
                ],
            )
            .await;
        assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    }
    app.drain_index();
    let now = app.now();
    let today = app.today();
    let params = |query: &str| -> lieu_core::entry::list::ListParams {
        serde_urlencoded::from_str(query).expect("params")
    };
    let cases: Vec<(Kind, &str)> = vec![
        (Kind::Service, ""),
        (Kind::Service, "commune=79902"),
        (Kind::Service, "theme=sante"),
        (Kind::Service, "categorie=sante"),
        (Kind::Association, ""),
        (Kind::Job, ""),
        (Kind::Job, "contrat=saisonnier"),
        (Kind::Housing, ""),
        (Kind::Housing, "loyer_max=500"),
        (Kind::Event, ""),
        (Kind::Event, "periode=mois"),
        (Kind::Event, "periode=semaine"),
        (Kind::Event, "passes=1"),
    ];
    for (kind, query) in cases {
        for offset in [0, 20] {
            let mut q = params(query).query(kind, now, today);
            q.offset = offset;
            let (ids, total) = app.state.search.list(&q).expect("index list");
            let (rows, count) = app
                .store()
                .read(|c| Ok((dir::list(c, &q)?, dir::count(c, &q)?)))
                .expect("database list");
            let expected: Vec<i32> = rows.iter().map(|e| e.id).collect();
            assert_eq!(total as i64, count, "{kind:?} {query}: count");
            assert_eq!(ids, expected, "{kind:?} {query} offset {offset}: order");
        }
    }
    let counts = app.state.search.counts(now).expect("counts");
    let expected = app
        .store()
        .read(|c| dir::counts(c, now))
        .expect("database counts");
    let counts: Vec<(Kind, i64)> = counts.into_iter().map(|(k, n)| (k, n as i64)).collect();
    assert_eq!(counts, expected);
}

on_both_backends!(
    accents_case_and_plurals_find_the_creche,
    seasonal_jobs_are_found_with_plurals_and_a_typo,
    exact_words_rank_before_typos,
    an_acronym_finds_what_its_expansion_finds,
    kind_filter_and_commune_facet_narrow_with_counts,
    expired_offers_and_archived_entries_never_show,
    a_page_edit_is_searchable_once_the_outbox_drains,
    a_lost_or_outdated_index_is_rebuilt_and_a_crash_replays_the_outbox,
    lists_from_the_index_agree_with_the_database,
    a_late_outbox_row_is_not_skipped,
    an_english_page_is_analysed_in_english,
    suggestions_rank_titles_that_start_with_the_word_typed,
);
