//! The store under concurrency: many writers at once never surface "database is locked" and
//! never lose a write.

use lieu_core::Role;
use lieu_core::page::PageDraft;
use lieu_store::wiki::{self, Author, SaveOutcome};
use lieu_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(concurrent_writers_all_succeed_and_conflicts_are_detected);

async fn concurrent_writers_all_succeed_and_conflicts_are_detected(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("w@example.org", "W", Role::Editor);
    let store = app.store().clone();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                for j in 0..10 {
                    let page = PageDraft {
                        title: format!("Page {i} {j}"),
                        body: format!("Texte {i} {j} [[Page {j} {i}]]"),
                        summary: String::new(),
                    }
                    .validate()
                    .expect("valid");
                    store
                        .write(|c| wiki::create_page(c, &page, &Author::system("test")))
                        .expect("no write may fail");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    let count = store
        .read(|c| Ok(lieu_store::models::pages::count(c)?))
        .expect("count");
    assert_eq!(count, 80);

    // Two writers from the same base: exactly one wins, the other gets a conflict.
    let page = store.read(|c| wiki::page(c, "page-0-0")).expect("page");
    let outcomes: Vec<_> = (0..2)
        .map(|k| {
            let store = store.clone();
            let id = page.page_id();
            std::thread::spawn(move || {
                store
                    .write(|c| {
                        wiki::edit_page(c, id, 1, &format!("Version {k}"), "", &Author::system("t"))
                    })
                    .expect("edit")
            })
        })
        .map(|t| t.join().expect("thread"))
        .collect();
    let saved = outcomes
        .iter()
        .filter(|o| matches!(o, SaveOutcome::Saved(_)))
        .count();
    let conflicts = outcomes
        .iter()
        .filter(|o| matches!(o, SaveOutcome::Conflict { .. }))
        .count();
    assert_eq!((saved, conflicts), (1, 1));
}
