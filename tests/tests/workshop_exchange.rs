//! A workshop's practice space of the exchange (issue 12): participants ask and answer in
//! their workshop, their first posts wait for the trainer, who moderates them in the
//! workshop's own queue and empties everything with the sandbox's reset. Nothing of it
//! reaches the real space: its lists, search, feeds, the agents' queue, notifications or any
//! mailbox; no one outside the workshop sees it.

use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::Role;
use lieu_store::exchange;
use lieu_store::schema::{exchange_posts, exchange_threads, mail_outbox, notifications, users};
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends, wiki_content_dir};
use lieu_web::WebConfig;

on_both_backends!(
    trainees_practise_the_exchange_and_the_trainer_moderates_and_resets_it,
    the_practice_space_is_walled_off_from_the_real_one,
);

fn start() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

async fn app(backend: Backend) -> TestApp {
    let config = WebConfig {
        content_dir: wiki_content_dir(),
        login_attempts_per_minute: 1000,
        login_attempts_per_account_per_hour: 1000,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config)
        .await
        .fixed_at(start());
    app.load_territory();
    app
}

/// Prepares a workshop today for `participants`; returns its id and the participants'
/// browsers, logged in with the printed cards.
async fn workshop<'a>(
    app: &'a TestApp,
    trainer: &Browser<'a>,
    participants: usize,
) -> (i32, Vec<Browser<'a>>) {
    let day = app.today().format("%Y-%m-%d").to_string();
    let n = participants.to_string();
    let res = trainer
        .post(
            "/ateliers",
            &[
                ("title", "Poser une question en ligne"),
                ("day", &day),
                ("participants", &n),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i32 = res
        .location()
        .and_then(|l| l.strip_prefix("/ateliers/"))
        .and_then(|l| l.split('?').next())
        .and_then(|id| id.parse().ok())
        .expect("a workshop address");
    let cards = trainer.get(&format!("/ateliers/{id}/cartes")).await;
    let values: Vec<String> = cards
        .body
        .split("<dd class=\"carte-valeur")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('>')
                .and_then(|(_, r)| r.split("</dd>").next())
        })
        .map(lieu_tests::unescape)
        .collect();
    let mut browsers = Vec::new();
    for card in values.chunks(3) {
        let browser = app.browser();
        let res = browser.login(&card[1], &card[2]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        browsers.push(browser);
    }
    assert_eq!(browsers.len(), participants);
    (id, browsers)
}

fn thread_id_of(res: &Page) -> i32 {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().expect("location");
    location
        .trim_start_matches("/echanges/sujet/")
        .split(['?', '/', '#'])
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

/// Rows that tell whether anything left the workshop: mails queued, notifications.
fn outside_rows(app: &TestApp) -> [i64; 2] {
    app.store()
        .read(|c| {
            Ok([
                mail_outbox::table.count().get_result(c)?,
                notifications::table.count().get_result(c)?,
            ])
        })
        .expect("counts")
}

async fn decide(browser: &Browser<'_>, post: i32, decision: &str) -> Page {
    browser
        .post(
            &format!("/echanges/message/{post}/decision"),
            &[("decision", decision), ("reason", ""), ("back", "")],
        )
        .await
}

async fn trainees_practise_the_exchange_and_the_trainer_moderates_and_resets_it(backend: Backend) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let (id, trainees) = workshop(&app, &trainer, 2).await;
    let (alice, bob) = (&trainees[0], &trainees[1]);
    let space = format!("/ateliers/{id}/echanges");
    let before = outside_rows(&app);

    // The sandbox's menu leads to the practice space, which says what it is.
    let sandbox = alice.get(&format!("/ateliers/{id}/bac-a-sable")).await;
    sandbox.assert_contains(&format!("href=\"{space}\""));
    let page = alice.get(&space).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("Échanges d’entraînement");
    page.assert_contains("personne d’autre ne les voit");
    page.assert_contains(&format!("href=\"{space}/nouveau\""));
    assert!(!page.body.contains("/moderation"), "no queue for a trainee");

    // Alice's first question waits for the trainer, as a new member's would.
    let form = alice.get(&format!("{space}/nouveau")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("relus par");
    let thread = thread_id_of(
        &alice
            .post(
                &format!("{space}/nouveau"),
                &[
                    ("title", "Comment renouveler une carte grise ?"),
                    ("kind", "question"),
                    (
                        "body",
                        "Bonjour, je dois renouveler ma carte grise. Par où commencer ?",
                    ),
                ],
            )
            .await,
    );
    let path = format!("/echanges/sujet/{thread}");
    alice
        .get(&path)
        .await
        .assert_contains("attend la validation");
    assert_eq!(bob.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!bob.get(&space).await.body.contains("carte grise"));

    // The trainer's page counts it; the trainer's queue holds it; the trainer approves it.
    trainer
        .get(&format!("/ateliers/{id}"))
        .await
        .assert_contains("Modération des échanges (1)");
    let queue = trainer.get(&format!("{space}/moderation")).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    queue.assert_contains("Comment renouveler une carte grise ?");
    assert_eq!(
        alice.get(&format!("{space}/moderation")).await.status,
        StatusCode::FORBIDDEN
    );
    let question = posts_of(&app, thread)[0].id;
    let res = decide(&trainer, question, "approve").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.location(),
        Some(format!("{space}/moderation?fait=decision").as_str())
    );
    // Twice: the second sees it was decided.
    let again = decide(&trainer, question, "approve").await;
    assert!(
        again
            .location()
            .is_some_and(|l| l.contains("erreur=deja-decide")),
        "{:?}",
        again.location()
    );
    let listed = bob.get(&space).await;
    listed.assert_contains("Comment renouveler une carte grise ?");

    // Bob answers (held too), the trainer approves, Alice marks the answer.
    let res = bob
        .post(
            &format!("{path}/repondre"),
            &[("body", "Sur le site de l’ANTS, avec FranceConnect.")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.location().is_some_and(|l| l.contains("en-attente")));
    let answer = posts_of(&app, thread)[1].id;
    assert_eq!(
        decide(&trainer, answer, "approve").await.status,
        StatusCode::SEE_OTHER
    );
    let res = alice
        .post(&format!("{path}/reponse"), &[("post", &answer.to_string())])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = alice.get(&path).await;
    shown.assert_contains("La bonne réponse");
    shown.assert_contains("Espace d’entraînement");

    // Bob reports Alice's question; the trainer sees the report and keeps the post.
    let res = bob
        .post(
            &format!("/echanges/message/{question}/signaler"),
            &[("reason", "off_topic"), ("detail", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let reported = trainer
        .get(&format!("{space}/moderation?file=signalements"))
        .await;
    reported.assert_contains("Comment renouveler une carte grise ?");
    assert_eq!(
        decide(&trainer, question, "keep_reported").await.status,
        StatusCode::SEE_OTHER
    );

    // The trainer locks the thread; a participant cannot, nor can anyone move it out.
    let version = app
        .store()
        .read(|c| exchange::thread(c, lieu_core::ThreadId(thread)))
        .expect("read")
        .expect("thread")
        .version
        .to_string();
    let lock = [
        ("action", "lock"),
        ("reason", ""),
        ("version", version.as_str()),
    ];
    assert_eq!(
        alice.post(&format!("{path}/moderer"), &lock).await.status,
        StatusCode::FORBIDDEN
    );
    let res = trainer.post(&format!("{path}/moderer"), &lock).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    alice.get(&path).await.assert_contains("Fermé");
    let res = alice
        .post(&format!("{path}/repondre"), &[("body", "Merci beaucoup !")])
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    let questions = app
        .store()
        .read(|c| exchange::categories(c, false))
        .expect("categories")[0]
        .id
        .to_string();
    let version = (version.parse::<i32>().expect("version") + 1).to_string();
    let res = trainer
        .post(
            &format!("{path}/moderer"),
            &[
                ("action", "move"),
                ("category", &questions),
                ("reason", ""),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);

    // Nothing went out: no mail, no notification.
    assert_eq!(outside_rows(&app), before);

    // The reset empties the practice space, and the participants are new again.
    let res = trainer
        .post(&format!("/ateliers/{id}/reinitialiser"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(alice.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!alice.get(&space).await.body.contains("carte grise"));
    let left: i64 = app
        .store()
        .read(|c| {
            Ok(exchange_threads::table
                .filter(exchange_threads::subject_kind.eq("workshop"))
                .count()
                .get_result(c)?)
        })
        .expect("count");
    assert_eq!(left, 0);
    let approved: Vec<i32> = app
        .store()
        .read(|c| {
            Ok(users::table
                .filter(users::role.eq("trainee"))
                .select(users::approved_posts)
                .load(c)?)
        })
        .expect("approved");
    assert!(approved.iter().all(|n| *n == 0), "{approved:?}");
    let res = bob
        .post(
            &format!("{space}/nouveau"),
            &[
                ("title", "Un autre essai"),
                ("kind", "discussion"),
                ("body", "Je recommence l’exercice."),
            ],
        )
        .await;
    assert!(res.location().is_some_and(|l| l.contains("en-attente")));
}

async fn the_practice_space_is_walled_off_from_the_real_one(backend: Backend) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let (id, trainees) = workshop(&app, &trainer, 1).await;
    let (other_id, others) = workshop(&app, &trainer, 1).await;
    let alice = &trainees[0];
    let space = format!("/ateliers/{id}/echanges");

    // The trainer's post goes out at once in the practice space.
    let thread = thread_id_of(
        &trainer
            .post(
                &format!("{space}/nouveau"),
                &[
                    ("title", "Exercice : la prime d’activité"),
                    ("kind", "question"),
                    ("body", "Qui peut demander la prime d’activité ?"),
                ],
            )
            .await,
    );
    let path = format!("/echanges/sujet/{thread}");
    alice.get(&path).await.assert_contains("prime d’activité");
    app.drain_index();

    // No one outside the workshop sees it: anonymous readers, members, agents, another
    // workshop's participants.
    let anonymous = app.browser();
    let agent = app.logged_in(Role::Agent).await;
    let member = app.logged_in(Role::Member).await;
    for (who, browser) in [
        ("anonymous", &anonymous),
        ("agent", &agent),
        ("member", &member),
        ("another workshop", &others[0]),
    ] {
        assert_eq!(
            browser.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
        let list = browser.get(&space).await;
        assert!(
            list.status == StatusCode::NOT_FOUND
                || list.status == StatusCode::SEE_OTHER
                || list.status == StatusCode::FORBIDDEN,
            "{who}: {}",
            list.status
        );
        let search = browser.get("/recherche?q=prime+activite").await;
        assert!(!search.body.contains("Exercice : la prime"), "{who}");
        for page in ["/echanges", "/echanges/questions-services-publics"] {
            assert!(!browser.get(page).await.body.contains("Exercice"), "{who}");
        }
    }
    assert!(
        !agent
            .get("/gestion/moderation")
            .await
            .body
            .contains("Exercice")
    );
    assert_eq!(
        anonymous.get(&format!("{path}/atom.xml")).await.status,
        StatusCode::NOT_FOUND
    );
    let feed = anonymous
        .get("/echanges/questions-services-publics/atom.xml")
        .await;
    assert!(!feed.body.contains("Exercice"));
    // An agent may not moderate it; another workshop's participant may not reply.
    let first = posts_of(&app, thread)[0].id;
    assert_eq!(
        decide(&agent, first, "hide").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        others[0]
            .post(&format!("{path}/repondre"), &[("body", "Moi aussi")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        others[0]
            .get(&format!("/ateliers/{id}/echanges/nouveau"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Its own space is empty.
    assert!(
        !others[0]
            .get(&format!("/ateliers/{other_id}/echanges"))
            .await
            .body
            .contains("Exercice")
    );

    // A participant practises only in the workshop: the real space is closed to them.
    for page in [
        "/echanges/questions-services-publics/nouveau",
        "/echanges/entraide/nouveau",
    ] {
        assert_eq!(
            alice.get(page).await.status,
            StatusCode::FORBIDDEN,
            "{page}"
        );
    }
    let res = alice
        .post(
            "/echanges/entraide/nouveau",
            &[
                ("title", "Bonjour"),
                ("kind", "discussion"),
                ("body", "Essai"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let count: i64 = app
        .store()
        .read(|c| {
            Ok(exchange_threads::table
                .filter(exchange_threads::subject_kind.ne("workshop"))
                .count()
                .get_result(c)?)
        })
        .expect("count");
    assert_eq!(count, 0);
}
