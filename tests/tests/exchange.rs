//! The exchange space through the real app (issue 12): a member's first question waits for an
//! agent, who approves it, answers, and turns the answered question into a wiki page; reports
//! hide a post at the threshold and two agents deciding at once see each other's decision;
//! new members post no links and at a bounded rate; edits within the window and their
//! history; locking, pinning, moving and splitting threads; the discussions of pages and
//! entries; the lists' unanswered filter and paging.

use actix_web::http::StatusCode;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lieu_core::Role;
use lieu_core::exchange::{PostState, Subject, ThreadKind};
use lieu_store::exchange;
use lieu_store::models::users;
use lieu_store::schema::{exchange_posts, notifications, users as u};
use lieu_tests::{Backend, Browser, PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    a_members_first_question_waits_for_an_agent_and_becomes_a_wiki_page,
    reports_hide_a_post_at_the_threshold_and_agents_decide_once,
    new_members_post_no_links_at_a_bounded_rate_and_unconfirmed_or_suspended_members_cannot_post,
    authors_edit_within_the_window_and_moderators_read_the_history,
    moderators_lock_pin_move_and_split_threads_and_the_log_shows_it,
    pages_and_entries_have_their_own_discussion,
    lists_filter_unanswered_threads_and_page_by_cursor,
    hostile_text_is_escaped_and_absurd_input_is_refused_cleanly,
);

fn start() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

async fn app(backend: Backend) -> TestApp {
    let app = TestApp::new(backend).await.fixed_at(start());
    app.load_territory();
    app
}

const QUESTIONS: &str = "/echanges/questions-services-publics";

/// A member with a confirmed address, logged in.
async fn member<'a>(app: &'a TestApp, email: &str, name: &str) -> Browser<'a> {
    let id = app.create_user(email, name, Role::Member);
    app.store()
        .write(|c| {
            diesel::update(u::table.find(id.0))
                .set(u::email_confirmed_at.eq(Some(start())))
                .execute(c)?;
            Ok(())
        })
        .expect("confirm");
    let browser = app.browser();
    let res = browser.login(email, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "login: {}", res.body);
    browser
}

fn thread_id_of(location: &str) -> i32 {
    let rest = location.trim_start_matches("/echanges/sujet/");
    rest.split(['?', '/', '#'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a thread address: {location}"))
}

fn posts_of(app: &TestApp, thread: i32) -> Vec<exchange::Post> {
    app.store()
        .read(|c| {
            Ok(exchange_posts::table
                .filter(exchange_posts::thread_id.eq(thread))
                .order(exchange_posts::id)
                .select(exchange::Post::as_select())
                .load(c)?)
        })
        .expect("posts")
}

fn thread_row(app: &TestApp, thread: i32) -> exchange::Thread {
    app.store()
        .read(|c| exchange::thread(c, lieu_core::ThreadId(thread)))
        .expect("read")
        .expect("thread")
}

async fn ask(browser: &Browser<'_>, space: &str, title: &str, body: &str) -> i32 {
    let res = browser
        .post(
            &format!("{space}/nouveau"),
            &[("title", title), ("kind", "question"), ("body", body)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    thread_id_of(res.location().expect("location"))
}

async fn a_members_first_question_waits_for_an_agent_and_becomes_a_wiki_page(backend: Backend) {
    let app = app(backend).await;
    let resident = member(&app, "claire@example.org", "Claire Martin").await;
    let form = resident.get(&format!("{QUESTIONS}/nouveau")).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("relus par un agent");
    let id = ask(
        &resident,
        QUESTIONS,
        "Renouveler ma carte grise",
        "Bonjour, comment renouveler ma carte grise après un déménagement ?",
    )
    .await;
    // Held: absent from the list and from anonymous readers, shown to its author.
    let anonymous = app.browser();
    let list = anonymous.get(QUESTIONS).await;
    assert!(!list.body.contains("Renouveler ma carte grise"));
    assert_eq!(
        anonymous.get(&format!("/echanges/sujet/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let own = resident.get(&format!("/echanges/sujet/{id}")).await;
    own.assert_contains("attend la validation");

    // The agent finds it in the moderation queue and approves it.
    let agent = app.logged_in(Role::Agent).await;
    let queue = agent.get("/gestion/moderation").await;
    queue.assert_contains("Renouveler ma carte grise");
    let first = posts_of(&app, id)[0].id;
    let back = "/gestion/moderation";
    let res = agent
        .post(
            &format!("/echanges/message/{first}/decision"),
            &[("decision", "approve"), ("reason", ""), ("back", back)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().unwrap_or_default().contains("fait=decision"));
    assert_eq!(thread_row(&app, id).state, "visible");
    anonymous
        .get(QUESTIONS)
        .await
        .assert_contains("Renouveler ma carte grise");
    // The resident is told.
    let told: Vec<String> = app
        .store()
        .read(|c| {
            Ok(notifications::table
                .inner_join(u::table)
                .filter(u::email.eq("claire@example.org"))
                .select(notifications::kind)
                .load(c)?)
        })
        .expect("notifications");
    assert!(told.contains(&"approved".to_owned()), "{told:?}");

    // The agent answers; the answer carries "France Services".
    let res = agent
        .post(
            &format!("/echanges/sujet/{id}/repondre"),
            &[("body", "Faites la demande sur le site de l’ANTS, rubrique « changement d’adresse ». Nous pouvons vous aider au guichet.")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = anonymous.get(&format!("/echanges/sujet/{id}")).await;
    page.assert_contains("France Services");
    page.assert_contains("rubrique « changement d’adresse »");
    let answer = posts_of(&app, id)[1].id;

    // The resident marks it as the answer: it shows under the question.
    let res = resident
        .post(
            &format!("/echanges/sujet/{id}/reponse"),
            &[("post", &answer.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = anonymous.get(&format!("/echanges/sujet/{id}")).await;
    page.assert_contains("La bonne réponse");
    page.assert_contains("Résolu");
    // Another member may not mark answers on someone else's question.
    let other = member(&app, "paul@example.org", "Paul").await;
    let res = other
        .post(&format!("/echanges/sujet/{id}/reponse"), &[("post", "")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The agent turns it into a wiki page, prefilled with the question and the answer.
    let form = agent.get(&format!("/echanges/sujet/{id}/page-wiki")).await;
    assert_eq!(form.status, StatusCode::OK);
    let body = form.textarea("body").expect("body");
    assert!(body.contains("comment renouveler ma carte grise"), "{body}");
    assert!(body.contains("site de l’ANTS"), "{body}");
    let res = agent
        .post(
            &format!("/echanges/sujet/{id}/page-wiki"),
            &[
                ("title", "Carte grise après un déménagement"),
                ("body", &body),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.location(),
        Some("/wiki/carte-grise-apres-un-demenagement")
    );
    let wiki = anonymous
        .get("/wiki/carte-grise-apres-un-demenagement")
        .await;
    wiki.assert_contains("site de l’ANTS");
    let thread = anonymous.get(&format!("/echanges/sujet/{id}")).await;
    thread.assert_contains("/wiki/carte-grise-apres-un-demenagement");
    // Once only.
    assert_eq!(
        agent
            .get(&format!("/echanges/sujet/{id}/page-wiki"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A member cannot.
    assert_eq!(
        resident
            .get(&format!("/echanges/sujet/{id}/page-wiki"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Her second question is held too (two held posts by default), her third goes out.
    let second = ask(
        &resident,
        QUESTIONS,
        "Aide pour la CAF",
        "Je cherche le formulaire.",
    )
    .await;
    assert_eq!(thread_row(&app, second).state, "pending");
}

async fn reports_hide_a_post_at_the_threshold_and_agents_decide_once(backend: Backend) {
    let app = app(backend).await;
    let admin = app.logged_in(Role::Admin).await;
    let res = admin
        .post(
            "/gestion/echanges/reglages",
            &[
                ("held_posts", "0"),
                ("edit_minutes", "60"),
                ("report_threshold", "2"),
                ("new_member_posts_per_hour", "5"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let spammer = member(&app, "spam@example.org", "Vendeur").await;
    let id = ask(
        &spammer,
        "/echanges/entraide",
        "Super affaire à saisir",
        "Achetez mes montres pas chères !",
    )
    .await;
    assert_eq!(thread_row(&app, id).state, "visible");
    let post = posts_of(&app, id)[0].id;
    let first = member(&app, "a@example.org", "Alice").await;
    let second = member(&app, "b@example.org", "Bruno").await;
    // A report needs a reason; "other" needs a detail.
    let res = first
        .post(
            &format!("/echanges/message/{post}/signaler"),
            &[("reason", ""), ("detail", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("Choisissez une raison");
    let res = first
        .post(
            &format!("/echanges/message/{post}/signaler"),
            &[("reason", "other"), ("detail", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = first
        .post(
            &format!("/echanges/message/{post}/signaler"),
            &[("reason", "spam"), ("detail", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // The same person twice counts once.
    let res = first
        .post(
            &format!("/echanges/message/{post}/signaler"),
            &[("reason", "spam"), ("detail", "")],
        )
        .await;
    assert!(res.location().unwrap_or_default().contains("deja-signale"));
    assert_eq!(posts_of(&app, id)[0].state, "visible");
    // One cannot report one's own post.
    assert_eq!(
        spammer
            .get(&format!("/echanges/message/{post}/signaler"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = second
        .post(
            &format!("/echanges/message/{post}/signaler"),
            &[("reason", "spam"), ("detail", "montres")],
        )
        .await;
    assert!(res.location().unwrap_or_default().contains("masque"));
    // Hidden: out of the list and of anonymous reading; the thread was only this post.
    assert_eq!(posts_of(&app, id)[0].state, "hidden");
    assert!(
        !app.browser()
            .get("/echanges/entraide")
            .await
            .body
            .contains("Super affaire")
    );
    assert_eq!(
        app.browser()
            .get(&format!("/echanges/sujet/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // In the agents' queue, with both reports.
    let agent = app.logged_in(Role::Agent).await;
    let queue = agent.get("/gestion/moderation?file=signalements").await;
    queue.assert_contains("Super affaire à saisir");
    queue.assert_contains("montres");
    // Two agents decide at once: one decision is written, the other finds it decided.
    let other_agent = app.logged_in(Role::Agent).await;
    let agents: Vec<users::User> = app
        .store()
        .read(|c| {
            Ok(u::table
                .filter(u::role.eq("agent"))
                .order(u::id)
                .select(users::User::as_select())
                .load(c)?)
        })
        .expect("agents");
    let outcomes: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = agents
            .iter()
            .zip([
                exchange::Decision::HideReported,
                exchange::Decision::KeepReported,
            ])
            .map(|(who, decision)| {
                let store = app.store().clone();
                scope.spawn(move || {
                    match store.write(|c| {
                        exchange::decide(c, who, lieu_core::PostId(post), decision, "", start())
                    }) {
                        Ok(()) => true,
                        Err(lieu_store::StoreError::Conflict) => false,
                        Err(e) => panic!("{e}"),
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
    // Through the site, the late agent is told and sees the post as it now is.
    let back = "/gestion/moderation?file=signalements";
    let path = format!("/echanges/message/{post}/decision");
    let late = other_agent
        .post(
            &path,
            &[
                ("decision", "keep_reported"),
                ("reason", ""),
                ("back", back),
            ],
        )
        .await;
    let location = late.location().unwrap_or_default().to_owned();
    assert!(location.contains("erreur=deja-decide"), "{location}");
    other_agent
        .get(&location)
        .await
        .assert_contains("déjà décidé");
    // The reports are decided; the log shows who and why.
    let queue = agent.get("/gestion/moderation?file=signalements").await;
    queue.assert_contains("Aucun message signalé");
    queue.assert_contains("Journal de modération");
    // A member may not decide.
    let res = first
        .post(
            &path,
            &[("decision", "restore"), ("reason", ""), ("back", back)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The spammer is suspended and their posts hidden in one action.
    let (agent_user, spammer_user) = app
        .store()
        .read(|c| {
            Ok((
                users::by_email(c, "agent@example.org")?,
                users::by_email(c, "spam@example.org")?.expect("spammer"),
            ))
        })
        .expect("read");
    drop(agent_user);
    let moderator = app
        .store()
        .read(|c| {
            Ok(u::table
                .filter(u::role.eq("agent"))
                .select(users::User::as_select())
                .first(c)?)
        })
        .expect("agent");
    app.store()
        .write(|c| {
            exchange::suspend(
                c,
                &moderator,
                &spammer_user,
                Some(start() + TimeDelta::days(30)),
                "publicité répétée",
                start(),
            )?;
            exchange::hide_posts_of(c, &moderator, spammer_user.user_id(), "spam")?;
            Ok(())
        })
        .expect("suspend");
    let res = spammer
        .post(
            &format!("{}/nouveau", "/echanges/entraide"),
            &[
                ("title", "Encore une affaire"),
                ("kind", "discussion"),
                ("body", "Achetez !"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let form = spammer.get("/echanges/entraide/nouveau").await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    form.assert_contains("publicité répétée");
}

async fn new_members_post_no_links_at_a_bounded_rate_and_unconfirmed_or_suspended_members_cannot_post(
    backend: Backend,
) {
    let app = app(backend).await;
    let newcomer = member(&app, "new@example.org", "Nouveau").await;
    let res = newcomer
        .post(
            "/echanges/entraide/nouveau",
            &[
                ("title", "Mon site de vente"),
                ("kind", "discussion"),
                ("body", "Voyez [ici](https://spam.example.com)"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("Les liens vers d’autres sites");
    // What was typed comes back.
    assert_eq!(res.field("title").as_deref(), Some("Mon site de vente"));
    // Five posts an hour while new.
    for n in 0..5 {
        ask(
            &newcomer,
            "/echanges/entraide",
            &format!("Question numéro {n}"),
            "Bonjour à tous",
        )
        .await;
    }
    let res = newcomer
        .post(
            "/echanges/entraide/nouveau",
            &[
                ("title", "Question numéro 6"),
                ("kind", "question"),
                ("body", "Encore"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("beaucoup de messages");
    // An hour later, again.
    app.set_now(start() + TimeDelta::minutes(61));
    ask(
        &newcomer,
        "/echanges/entraide",
        "Question numéro 6",
        "Encore",
    )
    .await;
    // An unconfirmed member cannot post.
    app.create_user("pas-confirme@example.org", "Pas confirmé", Role::Member);
    let unconfirmed = app.browser();
    unconfirmed
        .login("pas-confirme@example.org", PASSWORD)
        .await;
    let form = unconfirmed.get("/echanges/entraide/nouveau").await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    form.assert_contains("Confirmez d’abord votre adresse");
    let res = unconfirmed
        .post(
            "/echanges/entraide/nouveau",
            &[
                ("title", "Bonjour à vous"),
                ("kind", "question"),
                ("body", "Salut"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    // Trainees and anonymous visitors cannot post at all.
    let res = app
        .browser()
        .post(
            "/echanges/entraide/nouveau",
            &[("title", "Bonjour à vous"), ("body", "Salut")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().unwrap_or_default().starts_with("/connexion"));
}

async fn authors_edit_within_the_window_and_moderators_read_the_history(backend: Backend) {
    let app = app(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let id = ask(
        &editor,
        QUESTIONS,
        "Horaires de la mairie",
        "Quels sont les horaires ?",
    )
    .await;
    let post = posts_of(&app, id)[0].clone();
    let form = editor
        .get(&format!("/echanges/message/{}/modifier", post.id))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let res = editor
        .post(
            &format!("/echanges/message/{}/modifier", post.id),
            &[
                ("version", "1"),
                ("body", "Quels sont les horaires du samedi ?"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The same version again: someone changed it meanwhile.
    let res = editor
        .post(
            &format!("/echanges/message/{}/modifier", post.id),
            &[("version", "1"), ("body", "Autre")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    res.assert_contains("entre-temps");
    // After the window, no more.
    app.set_now(start() + TimeDelta::minutes(61));
    let res = editor
        .post(
            &format!("/echanges/message/{}/modifier", post.id),
            &[("version", "2"), ("body", "Trop tard")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("délai");
    // Someone else cannot.
    let other = app.logged_in(Role::Editor).await;
    assert_eq!(
        other
            .get(&format!("/echanges/message/{}/modifier", post.id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The moderator reads both versions.
    let agent = app.logged_in(Role::Agent).await;
    let history = agent
        .get(&format!("/echanges/message/{}/historique", post.id))
        .await;
    history.assert_contains("Quels sont les horaires ?");
    history.assert_contains("Quels sont les horaires du samedi ?");
    assert_eq!(
        other
            .get(&format!("/echanges/message/{}/historique", post.id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn moderators_lock_pin_move_and_split_threads_and_the_log_shows_it(backend: Backend) {
    let app = app(backend).await;
    let resident = app.logged_in(Role::Editor).await;
    let id = ask(
        &resident,
        QUESTIONS,
        "Covoiturage vers Aurillac",
        "Qui va à Aurillac mardi ?",
    )
    .await;
    for text in [
        "Moi, à 8 h.",
        "Hors sujet : la fête du village est samedi.",
        "Et la buvette ?",
    ] {
        let res = resident
            .post(&format!("/echanges/sujet/{id}/repondre"), &[("body", text)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let agent = app.logged_in(Role::Agent).await;
    let version = thread_row(&app, id).version.to_string();
    let res = agent
        .post(
            &format!("/echanges/sujet/{id}/moderer"),
            &[
                ("version", &version),
                ("action", "lock"),
                ("reason", "réglé"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(thread_row(&app, id).is_locked());
    // A stale form is refused.
    let res = agent
        .post(
            &format!("/echanges/sujet/{id}/moderer"),
            &[("version", &version), ("action", "pin"), ("reason", "")],
        )
        .await;
    assert!(res.location().unwrap_or_default().contains("erreur"));
    let res = resident
        .post(
            &format!("/echanges/sujet/{id}/repondre"),
            &[("body", "Encore moi")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("fermé");
    // Move to mutual help.
    let entraide = app
        .store()
        .read(|c| exchange::category_by_slug(c, "entraide"))
        .expect("read")
        .expect("category");
    let version = thread_row(&app, id).version.to_string();
    let res = agent
        .post(
            &format!("/echanges/sujet/{id}/moderer"),
            &[
                ("version", &version),
                ("action", "move"),
                ("category", &entraide.id.to_string()),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        thread_row(&app, id).subject(),
        Some(Subject::Category(entraide.id))
    );
    app.browser()
        .get("/echanges/entraide")
        .await
        .assert_contains("Covoiturage vers Aurillac");
    // Split from the off-topic reply.
    let off_topic = posts_of(&app, id)[2].id;
    let form = agent
        .get(&format!("/echanges/sujet/{id}/scinder?depuis={off_topic}"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let annonces = app
        .store()
        .read(|c| exchange::category_by_slug(c, "annonces-associations"))
        .expect("read")
        .expect("category");
    let res = agent
        .post(
            &format!("/echanges/sujet/{id}/scinder"),
            &[
                ("from", &off_topic.to_string()),
                ("title", "Fête du village"),
                ("category", &annonces.id.to_string()),
                ("reason", "hors sujet"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let new_id = thread_id_of(res.location().expect("location"));
    assert_eq!(posts_of(&app, new_id).len(), 2);
    assert_eq!(thread_row(&app, id).reply_count, 1);
    assert_eq!(thread_row(&app, new_id).reply_count, 1);
    let queue = agent.get("/gestion/moderation").await;
    queue.assert_contains("a fermé");
    queue.assert_contains("a scindé");
    queue.assert_contains("hors sujet");
    // A member cannot moderate.
    let member = member(&app, "m@example.org", "Membre").await;
    let res = member
        .post(
            &format!("/echanges/sujet/{id}/moderer"),
            &[("version", "9"), ("action", "unlock"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

async fn pages_and_entries_have_their_own_discussion(backend: Backend) {
    let app = app(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor
        .create_page("Aide au numérique", "Les ateliers du mardi.")
        .await;
    let page = app.browser().get("/wiki/aide-au-numerique").await;
    page.assert_contains("/wiki/aide-au-numerique/discussion");
    let id = ask(
        &editor,
        "/wiki/aide-au-numerique/discussion",
        "Ateliers du samedi",
        "Y en a-t-il le samedi ?",
    )
    .await;
    let list = app
        .browser()
        .get("/wiki/aide-au-numerique/discussion")
        .await;
    list.assert_contains("Ateliers du samedi");
    list.assert_contains("Aide au numérique");
    assert_eq!(thread_row(&app, id).subject_kind, "page");
    // An entry of the directory.
    let agent = app.logged_in(Role::Agent).await;
    let created = agent
        .create_entry(
            "service",
            &[
                ("title", "Point numérique"),
                ("commune", "79901"),
                ("summary", "Aide aux démarches en ligne."),
                ("themes", "famille--soutien-aidants"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().expect("entry").to_owned();
    let mut parts = location.trim_start_matches("/annuaire/").split('/');
    let (segment, slug) = (
        parts.next().expect("kind").to_owned(),
        parts
            .next()
            .expect("slug")
            .split('?')
            .next()
            .expect("slug")
            .to_owned(),
    );
    let entry_page = app
        .browser()
        .get(&format!("/annuaire/{segment}/{slug}"))
        .await;
    entry_page.assert_contains(&format!("/annuaire/{segment}/{slug}/discussion"));
    let space = format!("/annuaire/{segment}/{slug}/discussion");
    let id = ask(
        &editor,
        &space,
        "Ouvert le lundi ?",
        "Est-ce ouvert le lundi matin ?",
    )
    .await;
    app.browser()
        .get(&space)
        .await
        .assert_contains("Ouvert le lundi ?");
    assert_eq!(thread_row(&app, id).subject_kind, "entry");
    // Unknown spaces are 404.
    assert_eq!(
        app.browser()
            .get("/wiki/page-absente/discussion")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browser()
            .get(&format!("/annuaire/emplois/{slug}/discussion"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browser()
            .get("/echanges/categorie-absente")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn lists_filter_unanswered_threads_and_page_by_cursor(backend: Backend) {
    let app = app(backend).await;
    let author = app
        .store()
        .read(|c| {
            Ok(users::by_id(
                c,
                app.create_user("auteur@example.org", "Auteur", Role::Editor),
            )?)
        })
        .expect("read")
        .expect("user");
    let category = app
        .store()
        .read(|c| exchange::category_by_slug(c, "entraide"))
        .expect("read")
        .expect("category");
    app.store()
        .write(|c| {
            for n in 0..65 {
                let at = start() + TimeDelta::minutes(n);
                let (thread, _) = exchange::start_thread(
                    c,
                    &author,
                    Subject::Category(category.id),
                    &format!("Sujet numéro {n:02}"),
                    ThreadKind::Question,
                    "Bonjour",
                    at,
                )?;
                if n % 2 == 0 {
                    exchange::reply(c, &author, thread.thread_id(), "Réponse", None, false, at)?;
                }
            }
            Ok(())
        })
        .expect("threads");
    let browser = app.browser();
    let mut seen = Vec::new();
    let mut next = Some("/echanges/entraide".to_owned());
    while let Some(path) = next.take() {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        for n in 0..65 {
            if page.body.contains(&format!("Sujet numéro {n:02}<")) {
                seen.push(n);
            }
        }
        next = page
            .body
            .split("rel=\"next\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(lieu_tests::unescape);
    }
    assert_eq!(seen.len(), 65, "{seen:?}");
    let first = browser.get("/echanges/entraide").await;
    let at = |n: i32| first.body.find(&format!("Sujet numéro {n:02}<"));
    assert!(at(64).is_some() && at(64) < at(63), "latest activity first");
    assert!(at(0).is_none(), "the oldest are on a later page");
    let unanswered = browser.get("/echanges/entraide?sans-reponse=1").await;
    assert!(unanswered.body.contains("Sujet numéro 63<"));
    assert!(!unanswered.body.contains("Sujet numéro 64<"));
    // The category counts kept up to date.
    let category = app
        .store()
        .read(|c| exchange::category_by_slug(c, "entraide"))
        .expect("read")
        .expect("category");
    assert_eq!(category.thread_count, 65);
    assert_eq!(category.post_count, 65 + 33);
    // A bad cursor is ignored, not an error.
    assert_eq!(
        browser.get("/echanges/entraide?apres=abc-def").await.status,
        StatusCode::OK
    );
    assert_eq!(
        browser
            .get("/echanges/entraide?apres=99999999999999-1")
            .await
            .status,
        StatusCode::OK
    );
}

async fn hostile_text_is_escaped_and_absurd_input_is_refused_cleanly(backend: Backend) {
    let app = app(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let id = ask(
        &editor,
        QUESTIONS,
        "<script>alert(1)</script> titre",
        "<img src=x onerror=alert(1)> **gras** <script>alert(2)</script>",
    )
    .await;
    let page = app.browser().get(&format!("/echanges/sujet/{id}")).await;
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("onerror"));
    page.assert_contains("<strong>gras</strong>");
    // Empty and huge fields.
    let res = editor
        .post(
            &format!("{QUESTIONS}/nouveau"),
            &[("title", ""), ("body", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("Indiquez un titre");
    let huge = "a".repeat(30_000);
    let res = editor
        .post(
            &format!("{QUESTIONS}/nouveau"),
            &[("title", "Un long message"), ("body", &huge)],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("trop long");
    // Absurd numbers in addresses and forms.
    for path in [
        "/echanges/sujet/0",
        "/echanges/sujet/99999999",
        "/echanges/message/-1",
        "/echanges/sujet/1?apres=-5&avant=abc",
        &format!("/echanges/sujet/{id}?message=2147483647"),
        &format!("/echanges/sujet/{id}?citer=-1"),
    ] {
        let status = app.browser().get(path).await.status;
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
    }
    let res = editor
        .post(
            &format!("/echanges/sujet/{id}/reponse"),
            &[("post", "2147483648")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let post = posts_of(&app, id)[0].id;
    let res = editor
        .post(
            &format!("/echanges/message/{post}/modifier"),
            &[("version", "99999999999999999"), ("body", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    // Settings out of range.
    let admin = app.logged_in(Role::Admin).await;
    let res = admin
        .post(
            "/gestion/echanges/reglages",
            &[
                ("held_posts", "-1"),
                ("edit_minutes", "1e9"),
                ("report_threshold", "0"),
                ("new_member_posts_per_hour", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("limites permises");
    // Categories: created, renamed, a taken name refused.
    let res = admin
        .post(
            "/gestion/echanges/categories",
            &[("name", "Vie du village"), ("description", "<b>x</b>")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = admin
        .post(
            "/gestion/echanges/categories",
            &[("name", "Vie du village"), ("description", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("déjà ce nom");
    let home = app.browser().get("/echanges").await;
    home.assert_contains("Vie du village");
    assert!(!home.body.contains("<b>x</b>"));
    assert_eq!(posts_of(&app, id)[0].state, PostState::Visible.as_str());
}
