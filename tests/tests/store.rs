//! The store under concurrency and failure: many writers at once never surface "database is
//! locked" and never lose a write; races end the same way on SQLite and PostgreSQL; a panic
//! inside a write leaves nothing behind; titles sort in French order; stored HTML follows the
//! renderer's version.

use diesel::prelude::*;
use lieu_core::Role;
use lieu_core::entry::{EntryForm, Kind, Status};
use lieu_core::page::{PageDraft, ValidPage};
use lieu_store::directory as dir;
use lieu_store::models::entries::Entry;
use lieu_store::models::pages;
use lieu_store::schema::{entries, pages as p, revisions};
use lieu_store::wiki::{self, Author, SaveOutcome};
use lieu_store::{Store, StoreError};
use lieu_tests::{Backend, TestApp, on_both_backends};
use std::sync::{Arc, Barrier};

on_both_backends!(
    concurrent_writers_all_succeed,
    concurrent_editors_from_one_base_exactly_one_wins_and_the_other_sees_the_conflict,
    a_panic_inside_a_write_leaves_no_transaction_open_and_later_writes_land,
    creating_two_pages_of_the_same_title_at_once_refuses_one_with_slug_taken,
    a_taken_title_is_a_form_error_that_keeps_the_text,
    creating_two_entries_of_the_same_title_at_once_gives_both_a_free_slug,
    racing_status_changes_from_one_version_exactly_one_wins_and_the_other_conflicts,
    racing_archivals_never_write_the_same_revision_twice,
    titles_sort_in_french_order_in_the_page_index_and_directory_lists,
    sort_keys_missing_from_older_rows_are_filled_at_migration,
    pages_rendered_by_an_older_renderer_are_rendered_again_without_a_new_revision,
    a_batch_of_entries_takes_free_slugs_and_writes_what_create_entry_writes,
);

/// SQLite plans each statement once (the query planner stability guarantee, set in
/// `.cargo/config.toml`): otherwise every query with a bound LIMIT is parsed and planned again
/// at each execution, and the cache of prepared statements saves nothing.
#[test]
fn sqlite_is_built_to_plan_each_statement_once() {
    let dir = tempfile::tempdir().expect("folder");
    let url = format!("sqlite://{}", dir.path().join("lieu.sqlite3").display());
    let store = Store::open(&url, 1).expect("store");
    let qpsg: bool = store
        .read(|c| {
            Ok(diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "EXISTS (SELECT 1 FROM pragma_compile_options WHERE compile_options = 'ENABLE_QPSG')",
            ))
            .get_result(c)?)
        })
        .expect("compile options");
    assert!(qpsg, "LIBSQLITE3_FLAGS lost: see .cargo/config.toml");
}

fn valid_page(title: &str, body: &str) -> ValidPage {
    PageDraft {
        title: title.into(),
        body: body.into(),
        summary: String::new(),
    }
    .validate()
    .expect("valid page")
}

/// Runs `f(i)` on `n` threads released together by a barrier, so that they really race;
/// returns their results in thread order.
fn race<T: Send + 'static>(n: usize, f: impl Fn(usize) -> T + Send + Sync + 'static) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(n));
    let f = Arc::new(f);
    // Collected first: spawning and joining in one lazy chain would run the threads one after
    // another.
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            let f = Arc::clone(&f);
            std::thread::spawn(move || {
                barrier.wait();
                f(i)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect()
}

async fn concurrent_writers_all_succeed(backend: Backend) {
    let app = TestApp::new(backend).await;
    let store = app.store().clone();
    race(8, move |i| {
        for j in 0..10 {
            let page = valid_page(&format!("Page {i} {j}"), &format!("Texte [[Page {j} {i}]]"));
            store
                .write(|c| wiki::create_page(c, &page, &Author::system("test")))
                .expect("no write may fail");
        }
    });
    let count = app.store().read(|c| Ok(pages::count(c)?)).expect("count");
    assert_eq!(count, 80);
}

async fn concurrent_editors_from_one_base_exactly_one_wins_and_the_other_sees_the_conflict(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    let store = app.store().clone();
    let page = store
        .write(|c| wiki::create_page(c, &valid_page("Accueil", "Version 0"), &Author::system("t")))
        .expect("page");
    let id = page.page_id();
    for round in 0..5 {
        let base = store
            .read(|c| wiki::page(c, "accueil"))
            .expect("page")
            .revision_number;
        let writer = store.clone();
        let outcomes = race(2, move |k| {
            writer
                .write(|c| {
                    let body = format!("Version {round}.{k}");
                    wiki::edit_page(c, id, base, &body, "", &Author::system("t"))
                })
                .expect("an edit never fails, it wins or conflicts")
        });
        let saved = outcomes
            .iter()
            .filter(|o| matches!(o, SaveOutcome::Saved(_)))
            .count();
        let conflicts: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                SaveOutcome::Conflict { current, .. } => Some(current),
                _ => None,
            })
            .collect();
        assert_eq!((saved, conflicts.len()), (1, 1), "round {round}");
        // The loser is shown the winner's version.
        assert_eq!(conflicts[0].number, base + 1);
        let current = store.read(|c| wiki::page(c, "accueil")).expect("page");
        assert_eq!(current.revision_number, base + 1);
    }
}

async fn a_panic_inside_a_write_leaves_no_transaction_open_and_later_writes_land(backend: Backend) {
    let app = TestApp::new(backend).await;
    let store = app.store().clone();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.write(|c| -> Result<(), StoreError> {
            wiki::create_page(c, &valid_page("Perdue", "Jamais"), &Author::system("t"))?;
            panic!("a bug inside a write")
        })
    }));
    assert!(panicked.is_err());
    // More writes than the pool has connections: whichever connection each one gets, it
    // commits.
    for i in 0..6 {
        store
            .write(|c| {
                wiki::create_page(
                    c,
                    &valid_page(&format!("Après {i}"), "Texte"),
                    &Author::system("t"),
                )
            })
            .expect("the write after a panic succeeds");
    }
    // What really reached the database, seen from a connection that is not the pool's.
    let mut fresh = store.connect_unpooled().expect("fresh connection");
    let mut titles: Vec<String> = p::table
        .select(p::title)
        .order(p::title.asc())
        .load(&mut fresh)
        .expect("titles");
    titles.sort();
    assert_eq!(
        titles,
        [
            "Après 0", "Après 1", "Après 2", "Après 3", "Après 4", "Après 5"
        ]
    );
}

async fn creating_two_pages_of_the_same_title_at_once_refuses_one_with_slug_taken(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    let store = app.store().clone();
    let results = race(2, move |k| {
        store.write(|c| {
            wiki::create_page(
                c,
                &valid_page("Démarches en ligne", &format!("Texte {k}")),
                &Author::system("t"),
            )
        })
    });
    let created = results.iter().filter(|r| r.is_ok()).count();
    let taken: Vec<_> = results
        .iter()
        .filter_map(|r| match r {
            Err(StoreError::SlugTaken(slug)) => Some(slug.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        (created, taken.as_slice()),
        (1, ["demarches-en-ligne"].as_slice()),
        "{results:?}"
    );
    let count = app.store().read(|c| Ok(pages::count(c)?)).expect("count");
    assert_eq!(count, 1);
}

async fn a_taken_title_is_a_form_error_that_keeps_the_text(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let first = editor.create_page("Aide", "La première.").await;
    assert_eq!(first.status, actix_web::http::StatusCode::SEE_OTHER);
    let second = editor
        .create_page("Aide", "Un long texte tapé avec soin.")
        .await;
    assert_eq!(
        second.status,
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    );
    second.assert_contains("Une page porte déjà ce titre");
    assert_eq!(
        second.textarea("body").as_deref(),
        Some("Un long texte tapé avec soin.")
    );
}

fn entry_form(title: &str) -> EntryForm {
    EntryForm {
        title: title.into(),
        commune: "79901".into(),
        summary: "Des activités pour tous.".into(),
        ..EntryForm::default()
    }
}

fn create_entry(store: &Store, kind: Kind, title: &str) -> Result<Entry, StoreError> {
    let today = lieu_core::entry::utc_to_paris(lieu_store::now()).date();
    let form = entry_form(title);
    store.write(|c| {
        let valid = dir::validate(c, kind, &form, today)?.expect("valid entry");
        dir::create_entry(c, &valid, &Author::system("t"), "", lieu_store::now())
    })
}

/// An archive or restore by a test writer, now.
fn status_change(author: &Author) -> dir::StatusChange<'_> {
    dir::StatusChange {
        author,
        summary: "",
        now: lieu_store::now(),
    }
}

async fn creating_two_entries_of_the_same_title_at_once_gives_both_a_free_slug(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let store = app.store().clone();
    for round in 0..3 {
        let title = format!("Club de lecture {round}");
        let writer = store.clone();
        let title_for_threads = title.clone();
        let results = race(2, move |_| {
            create_entry(&writer, Kind::Association, &title_for_threads)
        });
        let mut slugs: Vec<String> = results
            .into_iter()
            .map(|r| r.expect("both creations succeed").slug)
            .collect();
        slugs.sort();
        let base = lieu_core::slug::slugify(&title);
        assert_eq!(slugs, [base.clone(), format!("{base}-2")]);
    }
}

async fn racing_status_changes_from_one_version_exactly_one_wins_and_the_other_conflicts(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let store = app.store().clone();
    let entry = create_entry(&store, Kind::Association, "Atelier vélo").expect("entry");
    let id = entry.id;
    let writer = store.clone();
    let results = race(2, move |_| {
        let author = Author::system("t");
        writer.write(|c| dir::set_status_from(c, id, 1, Status::Archived, &status_change(&author)))
    });
    let archived = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Conflict)))
        .count();
    assert_eq!((archived, conflicts), (1, 1), "{results:?}");
    let now = store
        .read(|c| Ok(lieu_store::models::entries::by_id(c, id)?))
        .expect("read")
        .expect("entry");
    assert_eq!((now.status(), now.revision_number), (Status::Archived, 2));

    // Asking from a version that is no longer current is a conflict too, and writes nothing.
    let author = Author::system("t");
    let stale =
        store.write(|c| dir::set_status_from(c, id, 1, Status::Published, &status_change(&author)));
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
}

async fn racing_archivals_never_write_the_same_revision_twice(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let store = app.store().clone();
    for round in 0..5 {
        let entry =
            create_entry(&store, Kind::Association, &format!("Chorale {round}")).expect("entry");
        let id = entry.id;
        let writer = store.clone();
        let results = race(2, move |_| {
            let author = Author::system("t");
            writer.write(|c| dir::set_status(c, id, Status::Archived, &status_change(&author)))
        });
        // Each either archived it, found it archived already, or lost the race cleanly.
        for result in &results {
            assert!(
                matches!(result, Ok(_) | Err(StoreError::Conflict)),
                "{result:?}"
            );
        }
        let revisions = store
            .read(|c| {
                Ok(lieu_store::schema::entry_revisions::table
                    .filter(lieu_store::schema::entry_revisions::entry_id.eq(id))
                    .count()
                    .get_result::<i64>(c)?)
            })
            .expect("count");
        assert_eq!(revisions, 2, "creation and one archival");
    }
}

/// The titles of `page` in the order they appear.
fn in_page_order<'a>(body: &str, titles: &[&'a str]) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = titles
        .iter()
        .map(|t| {
            let needle = format!(">{t}<");
            (
                body.find(&needle)
                    .unwrap_or_else(|| panic!("{t} not in the page")),
                *t,
            )
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, t)| t).collect()
}

async fn titles_sort_in_french_order_in_the_page_index_and_directory_lists(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let titles = ["École", "Zèbre", "avion", "Étoile", "Bus"];
    let french = ["avion", "Bus", "École", "Étoile", "Zèbre"];
    for title in titles {
        app.store()
            .write(|c| wiki::create_page(c, &valid_page(title, "Texte"), &Author::system("t")))
            .expect("page");
        create_entry(app.store(), Kind::Association, title).expect("entry");
    }
    let visitor = app.browser();
    let index = visitor.get("/pages").await;
    assert_eq!(in_page_order(&index.body, &titles), french, "page index");
    let list = visitor.get("/annuaire/associations").await;
    assert_eq!(in_page_order(&list.body, &titles), french, "directory list");

    // A renamed page sorts under its new title.
    let zebre = app.store().read(|c| wiki::page(c, "zebre")).expect("page");
    app.store()
        .write(|c| wiki::rename_page(c, zebre.page_id(), "Âne", "", &Author::system("t")))
        .expect("rename");
    let index = visitor.get("/pages").await;
    let renamed = ["École", "Âne", "avion", "Étoile", "Bus"];
    assert_eq!(
        in_page_order(&index.body, &renamed),
        ["Âne", "avion", "Bus", "École", "Étoile"]
    );
}

async fn sort_keys_missing_from_older_rows_are_filled_at_migration(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let store = app.store();
    store
        .write(|c| {
            wiki::create_page(
                c,
                &valid_page("Œuvres sociales", "Texte"),
                &Author::system("t"),
            )
        })
        .expect("page");
    create_entry(store, Kind::Association, "École de musique").expect("entry");
    // As rows written before the key existed.
    store
        .write(|c| {
            diesel::update(p::table)
                .set(p::title_sort.eq(""))
                .execute(c)?;
            diesel::update(entries::table)
                .set(entries::title_sort.eq(""))
                .execute(c)?;
            Ok(())
        })
        .expect("clear keys");
    store.migrate().expect("migrate");
    let (page_key, entry_key): (String, String) = store
        .read(|c| {
            Ok((
                p::table.select(p::title_sort).first(c)?,
                entries::table.select(entries::title_sort).first(c)?,
            ))
        })
        .expect("keys");
    assert_eq!(
        (page_key.as_str(), entry_key.as_str()),
        ("oeuvres sociales", "ecole de musique")
    );
}

async fn pages_rendered_by_an_older_renderer_are_rendered_again_without_a_new_revision(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    let store = app.store();
    for i in 0..5 {
        store
            .write(|c| {
                wiki::create_page(
                    c,
                    &valid_page(
                        &format!("Page {i}"),
                        &format!("# Titre {i}\n\nVoir [[Page 0]]."),
                    ),
                    &Author::system("t"),
                )
            })
            .expect("page");
    }
    let fresh = store.read(|c| wiki::page(c, "page-3")).expect("page");
    assert_eq!(fresh.renderer_version, pages::RENDERER_VERSION);
    assert_eq!(
        store.read(wiki::outdated_rendering_count).expect("count"),
        0
    );

    // Pages 1 and 3 as an older renderer left them.
    store
        .write(|c| {
            diesel::update(p::table.filter(p::slug.eq_any(["page-1", "page-3"])))
                .set((
                    p::html.eq("<p>ancien rendu</p>"),
                    p::plain_text.eq("ancien rendu"),
                    p::renderer_version.eq(pages::RENDERER_VERSION - 1),
                ))
                .execute(c)?;
            Ok(())
        })
        .expect("age two pages");
    assert_eq!(
        store.read(wiki::outdated_rendering_count).expect("count"),
        2
    );
    let revisions_before: i64 = store
        .read(|c| Ok(revisions::table.count().get_result(c)?))
        .expect("count");

    let mut progress = 0;
    let done = wiki::rerender_outdated(store, 1, |seen| progress += seen).expect("rerender");
    assert_eq!((done, progress), (2, 2));

    let page = store.read(|c| wiki::page(c, "page-3")).expect("page");
    assert_eq!(page.renderer_version, pages::RENDERER_VERSION);
    assert_eq!(page.html, fresh.html);
    assert!(page.plain_text.contains("Titre 3"), "{}", page.plain_text);
    assert_eq!(page.revision_number, 1);
    let revisions_after: i64 = store
        .read(|c| Ok(revisions::table.count().get_result(c)?))
        .expect("count");
    assert_eq!(revisions_after, revisions_before);
    assert_eq!(
        store.read(wiki::outdated_rendering_count).expect("count"),
        0
    );
}

async fn a_batch_of_entries_takes_free_slugs_and_writes_what_create_entry_writes(backend: Backend) {
    use lieu_store::schema::{audit_log, entry_occurrences, entry_revisions, entry_tags};
    let app = TestApp::new(backend).await;
    app.load_territory();
    let store = app.store();
    // Taken before the batch: the base, its number 2, and number 5 (a hole at 3 and 4, as an
    // agent's title "Club de lecture 5" would leave).
    for title in ["Club de lecture", "Club de lecture 2", "Club de lecture 5"] {
        create_entry(store, Kind::Association, title).expect("entry");
    }
    let today = app.today();
    let now = lieu_store::now();
    let valid = |kind: Kind, form: &EntryForm| {
        store
            .read(|c| dir::validate(c, kind, form, today))
            .expect("read")
            .expect("valid entry")
    };
    let event = EntryForm {
        starts_at: format!("{}T10:00", today + chrono::Duration::days(3)),
        weekly_until: (today + chrono::Duration::days(3 + 21))
            .format("%Y-%m-%d")
            .to_string(),
        publics: vec!["familles".into(), "seniors".into()],
        ..entry_form("Marché du jeudi")
    };
    let mut forms: Vec<(Kind, EntryForm)> =
        vec![(Kind::Association, entry_form("Club de lecture 3"))];
    forms.extend((0..5).map(|_| (Kind::Association, entry_form("Club de lecture"))));
    forms.push((Kind::Association, entry_form("Club de lecture 2")));
    forms.push((Kind::Event, event));
    let batch: Vec<dir::BatchEntry> = forms
        .iter()
        .map(|(kind, form)| dir::BatchEntry {
            valid: valid(*kind, form),
            created_at: now,
        })
        .collect();
    let author = Author::system("Générateur");
    let ids = store
        .write(|c| dir::create_entries_batch(c, &batch, &author, "Création"))
        .expect("batch");
    assert_eq!(ids.len(), batch.len());

    let all: Vec<(i32, String)> = store
        .read(|c| {
            Ok(entries::table
                .order(entries::id.asc())
                .select((entries::id, entries::slug))
                .load(c)?)
        })
        .expect("slugs");
    assert_eq!(all.len(), 3 + batch.len());
    let slug_of = |id: i32| {
        all.iter()
            .find(|(i, _)| *i == id)
            .map(|(_, s)| s.clone())
            .expect("a batch id is an entry")
    };
    let slugs: Vec<String> = ids.iter().map(|id| slug_of(*id)).collect();
    assert_eq!(slugs[0], "club-de-lecture-3", "a free slug is taken as is");
    let mut clubs: Vec<u32> = slugs[1..6]
        .iter()
        .map(|s| {
            s.strip_prefix("club-de-lecture-")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("numbered slug: {s}"))
        })
        .collect();
    clubs.sort_unstable();
    // 3 went to "Club de lecture 3" and 5 was taken: the next numbers, nothing far away.
    assert_eq!(clubs, [4, 6, 7, 8, 9]);
    assert_eq!(slugs[6], "club-de-lecture-2-2");
    assert_eq!(slugs[7], "marche-du-jeudi");

    // Another batch goes on from there.
    let again = vec![
        dir::BatchEntry {
            valid: valid(Kind::Association, &entry_form("Club de lecture")),
            created_at: now,
        };
        2
    ];
    let more = store
        .write(|c| dir::create_entries_batch(c, &again, &author, "Création"))
        .expect("second batch");
    let more: Vec<String> = store
        .read(|c| {
            Ok(entries::table
                .filter(entries::id.eq_any(&more))
                .order(entries::id.asc())
                .select(entries::slug)
                .load(c)?)
        })
        .expect("slugs");
    assert_eq!(more, ["club-de-lecture-10", "club-de-lecture-11"]);

    // What create_entry writes: revision 1 with the default summary, tags, occurrences, audit.
    let event_id = ids[7];
    let (revisions, summary): (i64, String) = store
        .read(|c| {
            Ok((
                entry_revisions::table
                    .filter(entry_revisions::entry_id.eq_any(&ids))
                    .filter(entry_revisions::number.eq(1))
                    .count()
                    .get_result(c)?,
                entry_revisions::table
                    .filter(entry_revisions::entry_id.eq(event_id))
                    .select(entry_revisions::summary)
                    .first(c)?,
            ))
        })
        .expect("revisions");
    assert_eq!(revisions, ids.len() as i64);
    assert_eq!(summary, "Création");
    let occurrences: i64 = store
        .read(|c| {
            Ok(entry_occurrences::table
                .filter(entry_occurrences::entry_id.eq(event_id))
                .count()
                .get_result(c)?)
        })
        .expect("occurrences");
    assert_eq!(occurrences, 4, "weekly for three weeks after the first");
    let audited: i64 = store
        .read(|c| {
            Ok(audit_log::table
                .filter(audit_log::action.eq("entry.create"))
                .filter(audit_log::target.eq_any(&slugs))
                .count()
                .get_result(c)?)
        })
        .expect("audit");
    assert_eq!(audited, ids.len() as i64);
    let tags: i64 = store
        .read(|c| {
            Ok(entry_tags::table
                .filter(entry_tags::entry_id.eq_any(&ids))
                .count()
                .get_result(c)?)
        })
        .expect("tags");
    let expected: usize = batch.iter().map(|b| b.valid.tags.len()).sum();
    assert_eq!((tags, expected), (2, 2));

    let page = app.browser().get("/annuaire/associations").await;
    page.assert_contains("/annuaire/associations/club-de-lecture-9");
}
