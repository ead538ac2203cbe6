//! The exchange space in the site's search box and in Atom feeds: a visible thread is found
//! as residents type (accents, plurals, typos forgiven), under its own facet « Échanges »;
//! a held post, a hidden post and a workshop's practice thread are never found, neither
//! after applying the outbox nor after a full rebuild; each category and each thread has a
//! valid Atom feed of its visible posts only, and no feed for what is not visible.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use lieu_core::exchange::{Subject, ThreadKind};
use lieu_core::{Role, UserId};
use lieu_store::exchange::{self, Decision, Post, Thread};
use lieu_store::models::users::{self, User};
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends};

on_both_backends!(
    a_visible_thread_is_found_despite_accents_plurals_and_typos,
    held_hidden_and_practice_posts_are_never_found,
    a_thread_whose_first_post_is_hidden_leaves_the_index,
    feeds_hold_visible_posts_only_and_are_valid_atom,
    feeds_of_what_is_not_visible_are_not_found,
);

/// The seeded category « Questions sur les services publics ».
const QUESTIONS: &str = "questions-services-publics";

fn user(app: &TestApp, id: UserId) -> User {
    app.store()
        .read(|c| Ok(users::by_id(c, id)?))
        .expect("read user")
        .expect("user exists")
}

fn agent(app: &TestApp, n: u32) -> User {
    let id = app.create_user(
        &format!("agent{n}@lieu.test"),
        &format!("Agente {n}"),
        Role::Agent,
    );
    user(app, id)
}

/// A member who signed up and confirmed their address: their first posts are held.
fn new_member(app: &TestApp) -> User {
    let id = app.create_user("habitant@lieu.test", "Camille Habitante", Role::Member);
    let now = app.now();
    app.store()
        .write(|c| {
            use lieu_store::schema::users as u;
            diesel::update(u::table.find(id.0))
                .set(u::email_confirmed_at.eq(Some(now)))
                .execute(c)?;
            Ok(())
        })
        .expect("confirm the address");
    user(app, id)
}

fn category_id(app: &TestApp, slug: &str) -> i32 {
    app.store()
        .read(|c| exchange::category_by_slug(c, slug))
        .expect("read category")
        .expect("seeded category")
        .id
}

fn start(
    app: &TestApp,
    author: &User,
    subject: Subject,
    title: &str,
    body: &str,
) -> (Thread, Post) {
    let now = app.now();
    app.store()
        .write(|c| {
            exchange::start_thread(c, author, subject, title, ThreadKind::Question, body, now)
        })
        .expect("start thread")
}

fn reply(app: &TestApp, author: &User, thread: &Thread, body: &str) -> Post {
    let now = app.now();
    let moderator = author.role().can(lieu_core::Permission::Moderate);
    app.store()
        .write(|c| exchange::reply(c, author, thread.thread_id(), body, None, moderator, now))
        .expect("reply")
}

fn decide(app: &TestApp, moderator: &User, post: &Post, decision: Decision) {
    let now = app.now();
    app.store()
        .write(|c| exchange::decide(c, moderator, post.post_id(), decision, "test", now))
        .expect("decide");
}

/// A workshop (its row only): the subject of a practice thread.
fn workshop(app: &TestApp) -> i32 {
    let now = app.now();
    app.store()
        .write(|c| {
            use lieu_store::schema::workshops as w;
            diesel::insert_into(w::table)
                .values((
                    w::title.eq("Atelier numérique"),
                    w::day.eq(now.date()),
                    w::participants.eq(1),
                    w::plan_json.eq("[]"),
                    w::ends_at.eq(now + chrono::Duration::hours(8)),
                    w::created_at.eq(now),
                ))
                .execute(c)?;
            let id: i32 = w::table.order(w::id.desc()).select(w::id).first(c)?;
            Ok(id)
        })
        .expect("workshop")
}

fn search_path(q: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![("q", q)];
    pairs.extend_from_slice(extra);
    format!(
        "/recherche?{}",
        serde_urlencoded::to_string(pairs).expect("query")
    )
}

async fn search(browser: &Browser<'_>, q: &str) -> Page {
    let page = browser.get(&search_path(q, &[])).await;
    assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
    page
}

fn thread_link(thread: &Thread) -> String {
    format!("href=\"/echanges/sujet/{}\"", thread.id)
}

#[track_caller]
fn assert_finds(page: &Page, thread: &Thread, q: &str) {
    assert!(
        page.body.contains(&thread_link(thread)),
        "« {q} » should find thread {}:\n{}",
        thread.id,
        page.body
    );
}

#[track_caller]
fn assert_misses(page: &Page, thread: &Thread, q: &str) {
    assert!(
        !page.body.contains(&thread_link(thread)),
        "« {q} » should not find thread {}:\n{}",
        thread.id,
        page.body
    );
}

/// Rebuilds the whole index from the database, as `lieu reindex` does.
fn rebuild(app: &TestApp) -> u64 {
    app.state
        .search
        .rebuild(app.store(), &mut |_, _| {})
        .expect("rebuild")
}

async fn a_visible_thread_is_found_despite_accents_plurals_and_typos(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (one, two) = (agent(&app, 1), agent(&app, 2));
    let questions = category_id(&app, QUESTIONS);
    let (thread, _) = start(
        &app,
        &one,
        Subject::Category(questions),
        "Renouveler sa carte grise rapidement",
        "Comment renouveler une carte grise après un déménagement à Vernoux ?",
    );
    let answer = reply(
        &app,
        &two,
        &thread,
        "Tout se fait sur le site de l’ANTS ; la démarche est gratuite en ligne.",
    );
    let now = app.now();
    app.store()
        .write(|c| {
            exchange::mark_answer(
                c,
                &two,
                true,
                thread.thread_id(),
                Some(answer.post_id()),
                now,
            )
        })
        .expect("mark the answer");
    app.drain_index();
    let browser = app.browser();
    for q in [
        "carte grise",
        "CARTES GRISES",
        "demenagement",
        "déménagements",
        "demenagment",
        "renouvellement carte grisse",
        "ants gratuite",
    ] {
        let page = search(&browser, q).await;
        assert_finds(&page, &thread, q);
    }
    let page = search(&browser, "carte grise").await;
    page.assert_contains("Discussion");
    page.assert_contains("Dans : Questions sur les services publics");
    // Found by its title only, it shows the start of its question.
    search(&browser, "rapidement")
        .await
        .assert_contains("Comment renouveler une carte grise");
    // Its own facet, and the filter that keeps only threads.
    let filtered = browser
        .get(&search_path("carte grise", &[("type", "echanges")]))
        .await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert_finds(&filtered, &thread, "carte grise (échanges)");
    filtered.assert_contains("Échanges");
    let pages_only = browser
        .get(&search_path("carte grise", &[("type", "pages")]))
        .await;
    assert_misses(&pages_only, &thread, "carte grise (pages)");
    // Suggestions lead to the thread too.
    let suggestions = browser
        .get("/recherche/suggestions?q=renouveler+sa+car")
        .await;
    assert_eq!(suggestions.status, StatusCode::OK);
    assert!(
        suggestions
            .body
            .contains(&format!("/echanges/sujet/{}", thread.id)),
        "{}",
        suggestions.body
    );
    // A rebuild finds it the same.
    assert!(rebuild(&app) >= 1);
    assert_finds(
        &search(&browser, "carte grise").await,
        &thread,
        "carte grise",
    );
    // Moved to another category, it is shown there.
    let moved = exchange::ThreadChange::Move(category_id(&app, "entraide"));
    app.store()
        .write(|c| exchange::change_thread(c, &one, thread.thread_id(), 1, moved, "test"))
        .expect("move");
    app.drain_index();
    search(&browser, "carte grise")
        .await
        .assert_contains("Dans : Entraide entre habitants");
    // Its category renamed, the result names it so.
    let entraide = category_id(&app, "entraide");
    let form = exchange::CategoryForm {
        name: "Coups de main entre voisins".into(),
        description: String::new(),
        position: 2,
        archived: false,
    };
    app.store()
        .write(|c| exchange::update_category(c, entraide, &form, one.user_id()))
        .expect("rename");
    app.drain_index();
    let page = search(&browser, "carte grise").await;
    page.assert_contains("Dans : Coups de main entre voisins");
    assert!(!page.body.contains("Entraide entre habitants"));
}

async fn held_hidden_and_practice_posts_are_never_found(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.manual_indexing.set(true);
    let moderator = agent(&app, 1);
    let member = new_member(&app);
    let questions = category_id(&app, QUESTIONS);
    let (thread, _) = start(
        &app,
        &moderator,
        Subject::Category(questions),
        "Horaires de la permanence CAF",
        "La permanence de la CAF a lieu le mardi matin.",
    );
    // The member's first post waits for approval; their own thread too.
    let held = reply(&app, &member, &thread, "Et le zygomatique jeudi ?");
    assert_eq!(held.state, "pending");
    let (held_thread, _) = start(
        &app,
        &member,
        Subject::Category(questions),
        "Tournesols du jardin partagé",
        "Qui veut des graines de tournesol ?",
    );
    // A post hidden by a moderator.
    let hidden = reply(&app, &moderator, &thread, "Un pamplemousse hors sujet.");
    decide(&app, &moderator, &hidden, Decision::Hide);
    // A practice thread of a workshop.
    let practice_space = workshop(&app);
    let (practice, _) = start(
        &app,
        &moderator,
        Subject::Workshop(practice_space),
        "Exercice kumquat",
        "Un message d’entraînement sur le kumquat.",
    );
    app.drain_index();
    let browser = app.browser();
    let check = |rebuilt: bool| {
        let browser = &browser;
        let (thread, held_thread, practice) = (&thread, &held_thread, &practice);
        async move {
            let found = search(browser, "permanence caf").await;
            assert_finds(&found, thread, "permanence caf");
            for q in ["zygomatique", "pamplemousse"] {
                let page = search(browser, q).await;
                assert_misses(&page, thread, q);
                assert!(
                    page.body.contains("Aucun résultat pour"),
                    "{q} (rebuilt: {rebuilt}) is found:\n{}",
                    page.body
                );
            }
            assert_misses(
                &search(browser, "tournesol").await,
                held_thread,
                "tournesol",
            );
            assert_misses(&search(browser, "kumquat").await, practice, "kumquat");
            assert_misses(&search(browser, "exercice").await, practice, "exercice");
        }
    };
    check(false).await;
    rebuild(&app);
    check(true).await;
    // Approved, the held post is found; restored, the hidden one too.
    decide(&app, &moderator, &held, Decision::Approve);
    decide(&app, &moderator, &hidden, Decision::Restore);
    app.drain_index();
    assert_finds(
        &search(&browser, "zygomatique").await,
        &thread,
        "zygomatique",
    );
    assert_finds(
        &search(&browser, "pamplemousse").await,
        &thread,
        "pamplemousse",
    );
}

async fn a_thread_whose_first_post_is_hidden_leaves_the_index(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.manual_indexing.set(true);
    let moderator = agent(&app, 1);
    let (thread, first) = start(
        &app,
        &moderator,
        Subject::Category(category_id(&app, "entraide")),
        "Covoiturage vers Niort",
        "Je cherche un covoiturage le lundi.",
    );
    app.drain_index();
    let browser = app.browser();
    assert_finds(
        &search(&browser, "covoiturage").await,
        &thread,
        "covoiturage",
    );
    decide(&app, &moderator, &first, Decision::Hide);
    app.drain_index();
    assert_misses(
        &search(&browser, "covoiturage").await,
        &thread,
        "covoiturage",
    );
    rebuild(&app);
    assert_misses(&search(&browser, "niort").await, &thread, "niort");
}

fn atom(page: &Page) -> atom_syndication::Feed {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body.parse().expect("valid Atom")
}

async fn feeds_hold_visible_posts_only_and_are_valid_atom(backend: Backend) {
    let app = TestApp::new(backend).await;
    let moderator = agent(&app, 1);
    let member = new_member(&app);
    let questions = category_id(&app, QUESTIONS);
    let title = "Impôts <en ligne> & « prélèvement »";
    let (thread, _) = start(
        &app,
        &moderator,
        Subject::Category(questions),
        title,
        "Comment **déclarer** en ligne ? <script>alert(1)</script>",
    );
    let visible = reply(
        &app,
        &moderator,
        &thread,
        "Sur impots.gouv.fr, rubrique particulier.",
    );
    let held = reply(&app, &member, &thread, "Message retenu zygomatique.");
    let hidden = reply(&app, &moderator, &thread, "Message masqué pamplemousse.");
    decide(&app, &moderator, &hidden, Decision::Hide);
    let (held_thread, _) = start(
        &app,
        &member,
        Subject::Category(questions),
        "Sujet retenu tournesol",
        "En attente.",
    );
    let (practice, _) = start(
        &app,
        &moderator,
        Subject::Workshop(workshop(&app)),
        "Exercice kumquat",
        "Entraînement.",
    );
    let browser = app.browser();

    let page = browser
        .get(&format!("/echanges/sujet/{}/atom.xml", thread.id))
        .await;
    assert!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/atom+xml")),
        "{:?}",
        page.headers
    );
    let feed = atom(&page);
    assert_eq!(
        feed.title().as_str(),
        format!("Lieu partagé du Val de Sorbière — {title}")
    );
    assert_eq!(feed.entries().len(), 2, "first post and the visible reply");
    // Newest first.
    let newest = &feed.entries()[0];
    assert!(
        newest
            .id()
            .ends_with(&format!("/echanges/message/{}", visible.id))
    );
    assert!(
        newest.links()[0].href().ends_with(&format!(
            "/echanges/sujet/{}?message={}#message-{}",
            thread.id, visible.id, visible.id
        )),
        "{:?}",
        newest.links()
    );
    assert!(
        feed.entries()[0]
            .title()
            .as_str()
            .starts_with("Réponse de ")
    );
    assert!(
        feed.entries()[1]
            .title()
            .as_str()
            .starts_with("Message de ")
    );
    let all: String = feed
        .entries()
        .iter()
        .filter_map(|e| e.content().and_then(|c| c.value()))
        .collect();
    assert!(all.contains("<strong>déclarer</strong>"), "{all}");
    assert!(!all.contains("<script"), "sanitized: {all}");
    for secret in ["zygomatique", "pamplemousse"] {
        assert!(!page.body.contains(secret), "{secret} in the feed");
    }
    assert!(!page.body.contains(&format!("message-{}", held.id)));

    let page = browser
        .get(&format!("/echanges/{QUESTIONS}/atom.xml"))
        .await;
    let feed = atom(&page);
    assert!(
        feed.title()
            .as_str()
            .ends_with("Questions sur les services publics")
    );
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, vec![title]);
    assert!(
        feed.entries()[0]
            .id()
            .ends_with(&format!("/echanges/sujet/{}", thread.id))
    );
    assert!(!page.body.contains("tournesol") && !page.body.contains("kumquat"));
    assert!(
        !page
            .body
            .contains(&format!("/echanges/sujet/{}", held_thread.id))
    );
    assert!(
        !page
            .body
            .contains(&format!("/echanges/sujet/{}\"", practice.id))
    );

    // An empty category has a valid, empty feed.
    let feed = atom(&browser.get("/echanges/entraide/atom.xml").await);
    assert!(feed.entries().is_empty());

    // Once approved, the held post is in the thread's feed.
    decide(&app, &moderator, &held, Decision::Approve);
    let page = browser
        .get(&format!("/echanges/sujet/{}/atom.xml", thread.id))
        .await;
    assert_eq!(atom(&page).entries().len(), 3);
    assert!(page.body.contains("zygomatique"));
}

async fn feeds_of_what_is_not_visible_are_not_found(backend: Backend) {
    let app = TestApp::new(backend).await;
    let moderator = agent(&app, 1);
    let member = new_member(&app);
    let questions = category_id(&app, QUESTIONS);
    let (held_thread, _) = start(
        &app,
        &member,
        Subject::Category(questions),
        "Sujet en attente",
        "Premier message.",
    );
    let (practice, _) = start(
        &app,
        &moderator,
        Subject::Workshop(workshop(&app)),
        "Exercice",
        "Entraînement.",
    );
    let (hidden_thread, first) = start(
        &app,
        &moderator,
        Subject::Category(questions),
        "Sujet masqué",
        "Premier message.",
    );
    decide(&app, &moderator, &first, Decision::Hide);
    let browser = app.browser();
    let missing = [
        format!("/echanges/sujet/{}/atom.xml", held_thread.id),
        format!("/echanges/sujet/{}/atom.xml", practice.id),
        format!("/echanges/sujet/{}/atom.xml", hidden_thread.id),
        "/echanges/sujet/999999/atom.xml".to_owned(),
        "/echanges/sujet/abc/atom.xml".to_owned(),
        "/echanges/sujet/99999999999999/atom.xml".to_owned(),
        "/echanges/categorie-absente/atom.xml".to_owned(),
    ];
    for path in &missing {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}
