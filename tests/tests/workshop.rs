//! Workshops through the real app: a trainer prepares a workshop for 8 people, prints the
//! cards, the participants practise (a page, a practice entry), the trainer decides in the
//! practice queue and resets everything, and the accounts stop working the next day. Also:
//! nothing a participant does reaches the wiki, the directory, the real queue or any mailbox;
//! each participant reaches only their own workshop; two participants saving one page at once
//! lose nothing; hostile input gets French errors.

use actix_web::http::StatusCode;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lieu_core::Role;
use lieu_store::schema;
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends, wiki_content_dir};
use lieu_web::WebConfig;

on_both_backends!(
    a_workshop_for_eight_runs_from_the_cards_to_the_reset_and_its_accounts_end_the_next_day,
    nothing_a_trainee_does_reaches_the_wiki_the_directory_the_real_queue_or_any_mailbox,
    a_trainee_reaches_only_their_own_workshop_and_no_trainer_page,
    two_trainees_saving_one_page_at_once_get_one_conflict_and_lose_nothing,
    hostile_input_gets_french_errors_and_never_a_server_error,
    the_sandbox_pages_go_page_by_page,
    an_expired_practice_form_comes_back_with_what_was_typed,
);

/// Tuesday 1 December 2026, 10:00 in Paris.
fn start() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

const EMAIL_PAGE: &str = "atelier-adresse-e-mail.md";
const EVENT_PAGE: &str = "atelier-publier-un-evenement.md";
/// The slug of the first starting page (from its title).
const EMAIL_SLUG: &str = "atelier-creer-une-adresse-e-mail";

async fn app(backend: Backend) -> TestApp {
    let config = WebConfig {
        content_dir: wiki_content_dir(),
        // Eight participants log in from one room, behind one address.
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

/// The workshop id in `/ateliers/{id}?fait=cree`.
fn created_id(res: &Page) -> i32 {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location()
        .and_then(|l| l.strip_prefix("/ateliers/"))
        .and_then(|l| l.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a workshop address: {:?}", res.location()))
}

/// Prepares a workshop today for `participants` with `material`; returns its id.
async fn prepare(trainer: &Browser<'_>, participants: &str, material: &[&str]) -> i32 {
    let day = trainer.app().today().format("%Y-%m-%d").to_string();
    let mut fields = vec![
        ("title", "Créer son adresse e-mail"),
        ("day", day.as_str()),
        ("participants", participants),
    ];
    fields.extend(material.iter().map(|m| ("material", *m)));
    created_id(&trainer.post("/ateliers", &fields).await)
}

/// The cards of the printed page: (address, identifier, password) of each.
fn cards(page: &Page) -> Vec<(String, String, String)> {
    let values: Vec<String> = page
        .body
        .split("<dd class=\"carte-valeur")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('>')
                .and_then(|(_, r)| r.split("</dd>").next())
        })
        .map(lieu_tests::unescape)
        .collect();
    values
        .chunks(3)
        .map(|c| (c[0].clone(), c[1].clone(), c[2].clone()))
        .collect()
}

/// A browser logged in with a practice account.
async fn trainee<'a>(app: &'a TestApp, login: &str, password: &str) -> Browser<'a> {
    let browser = app.browser();
    let res = browser.login(login, password).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{login}: {}", res.body);
    browser
}

/// The participants' logins and passwords, read from the printed cards.
async fn seats(trainer: &Browser<'_>, id: i32) -> Vec<(String, String)> {
    let page = trainer.get(&format!("/ateliers/{id}/cartes")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    cards(&page).into_iter().map(|(_, l, p)| (l, p)).collect()
}

const ASSO: &[(&str, &str)] = &[
    ("type", "association"),
    ("title", "Club de tricot de la Sorbière"),
    ("commune", "79901"),
    ("summary", "Tricot et couture, ouvert à toutes et à tous."),
    ("activities", "Tricot, couture."),
    ("meeting_times", "Le jeudi de 14 h à 17 h"),
    ("sender_name", "Marcel Test"),
    ("sender_email", "marcel@exemple.fr"),
    ("consent", "oui"),
];

/// Sends the practice form; returns the practice submission's address.
async fn practise_entry(browser: &Browser<'_>, id: i32, fields: &[(&str, &str)]) -> String {
    let res = browser
        .post(&format!("/ateliers/{id}/referencer"), fields)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().expect("location").to_owned();
    assert!(
        location.starts_with(&format!("/ateliers/{id}/propositions/")),
        "{location}"
    );
    location.split('?').next().expect("path").to_owned()
}

/// Opens a practice page's form and saves `body` from it.
async fn edit_practice(browser: &Browser<'_>, id: i32, slug: &str, body: &str) -> Page {
    let path = format!("/ateliers/{id}/bac-a-sable/{slug}/modifier");
    let form = browser.get(&path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let base = form.field("base_revision").expect("base_revision");
    browser
        .post(&path, &[("body", body), ("base_revision", &base)])
        .await
}

/// Rows of the tables a practice must never touch.
fn real_rows(app: &TestApp) -> [i64; 7] {
    app.store()
        .read(|c| {
            Ok([
                schema::pages::table.count().get_result(c)?,
                schema::revisions::table.count().get_result(c)?,
                schema::submissions::table.count().get_result(c)?,
                schema::entries::table.count().get_result(c)?,
                schema::index_outbox::table.count().get_result(c)?,
                schema::mail_outbox::table.count().get_result(c)?,
                schema::audit_log::table
                    .filter(schema::audit_log::action.like("submission.%"))
                    .count()
                    .get_result(c)?,
            ])
        })
        .expect("counts")
}

async fn a_workshop_for_eight_runs_from_the_cards_to_the_reset_and_its_accounts_end_the_next_day(
    backend: Backend,
) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let form = trainer.get("/ateliers").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("Atelier : créer une adresse e-mail");
    let id = prepare(&trainer, "8", &[EMAIL_PAGE, EVENT_PAGE]).await;

    // The trainer's page: the day's plan in order, the eight participants.
    let page = trainer.get(&format!("/ateliers/{id}?fait=cree")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("8 comptes d’entraînement ont été créés");
    let first = page.body.find("Atelier : créer une adresse e-mail");
    let second = page.body.find("Atelier : publier un événement");
    assert!(first.is_some() && first < second, "the plan's order");
    for n in 1..=8 {
        page.assert_contains(&format!("<code>atelier{id}-{n}</code>"));
    }
    trainer
        .get("/ateliers")
        .await
        .assert_contains(&format!("href=\"/ateliers/{id}\""));

    // The cards: eight, each with the site's address, an identifier and a password that
    // logs in.
    let printed = trainer.get(&format!("/ateliers/{id}/cartes")).await;
    assert_eq!(
        printed.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let cards = cards(&printed);
    assert_eq!(cards.len(), 8, "{}", printed.body);
    let mut passwords: Vec<&str> = cards.iter().map(|(_, _, p)| p.as_str()).collect();
    passwords.sort_unstable();
    passwords.dedup();
    assert_eq!(passwords.len(), 8, "passwords differ");
    let mut trainees = Vec::new();
    for (n, (address, login, password)) in (1..).zip(&cards) {
        assert_eq!(address, "127.0.0.1:8080/atelier");
        assert_eq!(login, &format!("atelier{id}-{n}"));
        assert!(password.len() >= 10, "{password}");
        trainees.push(trainee(&app, login, password).await);
    }

    // A participant lands in their sandbox, labelled as practice.
    let alice = &trainees[0];
    let res = alice.get("/atelier").await;
    assert_eq!(
        res.location(),
        Some(format!("/ateliers/{id}/bac-a-sable").as_str())
    );
    let sandbox = alice.get(&format!("/ateliers/{id}/bac-a-sable")).await;
    assert_eq!(sandbox.status, StatusCode::OK, "{}", sandbox.body);
    sandbox.assert_contains("Espace d’entraînement — rien ici n’est publié");
    sandbox.assert_contains(&format!("href=\"/ateliers/{id}/bac-a-sable/{EMAIL_SLUG}\""));
    sandbox.assert_contains("Mon atelier (entraînement)");
    // The menu's referencing link leads a participant to the practice form.
    sandbox.assert_contains("<a href=\"/atelier/referencer\">Se faire référencer</a>");
    assert!(!sandbox.body.contains("href=\"/referencer\""));
    let res = alice.get("/atelier/referencer").await;
    assert_eq!(
        res.location(),
        Some(format!("/ateliers/{id}/referencer").as_str())
    );

    // She edits a page.
    let res = edit_practice(
        alice,
        id,
        EMAIL_SLUG,
        "# Mon adresse\n\nJ’ai créé *mon adresse*.",
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = alice
        .get(&format!("/ateliers/{id}/bac-a-sable/{EMAIL_SLUG}"))
        .await;
    shown.assert_contains("J’ai créé <em>mon adresse</em>.");
    shown.assert_contains("Espace d’entraînement — rien ici n’est publié");

    // A second one sends a practice entry; the « received » message is in the practice
    // mailbox.
    let bob = &trainees[1];
    let submission = practise_entry(bob, id, ASSO).await;
    let sent = bob.get(&format!("{submission}?fait=envoyee")).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    sent.assert_contains("Votre demande d’entraînement est envoyée");
    let mailbox = bob.get(&format!("/ateliers/{id}/courriels")).await;
    mailbox.assert_contains("Votre demande de référencement est bien reçue");
    mailbox.assert_contains("marcel@exemple.fr");

    // The trainer approves it in the practice queue, as an agent would.
    let queue = trainer.get(&format!("/ateliers/{id}/propositions")).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    queue.assert_contains("Club de tricot de la Sorbière");
    let one = trainer.get(&submission).await;
    let version = one.field("version").expect("version");
    let res = trainer
        .post(&format!("{submission}/approuver"), &[("version", &version)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    trainer
        .get(&submission)
        .await
        .assert_contains("<strong>acceptée (entraînement : rien n’est publié)</strong>");
    let mailbox = alice.get(&format!("/ateliers/{id}/courriels")).await;
    mailbox.assert_contains("Publiée : « Club de tricot de la Sorbière »");
    let mail_link = mailbox
        .body
        .split(&format!("href=\"/ateliers/{id}/courriels/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a message's link")
        .to_owned();
    let message = alice
        .get(&format!("/ateliers/{id}/courriels/{mail_link}"))
        .await;
    assert_eq!(message.status, StatusCode::OK, "{}", message.body);
    message.assert_contains("Bonjour,");
    assert!(app.send_mail().is_empty(), "no practice mail is sent");

    // The reset restores the starting pages and empties the queue and the mailbox.
    let confirm = trainer.get(&format!("/ateliers/{id}/reinitialiser")).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    let res = trainer
        .post(&format!("/ateliers/{id}/reinitialiser"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let restored = alice
        .get(&format!("/ateliers/{id}/bac-a-sable/{EMAIL_SLUG}"))
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert!(!restored.body.contains("mon adresse</em>"));
    restored.assert_contains("chaque participant repart avec une adresse e-mail");
    let queue = trainer
        .get(&format!("/ateliers/{id}/propositions?etat=approved"))
        .await;
    assert!(!queue.body.contains("Club de tricot"), "{}", queue.body);
    let mailbox = alice.get(&format!("/ateliers/{id}/courriels")).await;
    mailbox.assert_contains("Aucun courriel pour l’instant.");
    assert_eq!(
        alice.get(&submission).await.status,
        StatusCode::NOT_FOUND,
        "the practice submission is gone"
    );

    // The next day, open sessions stop working and the cards no longer log in.
    app.set_now(start() + TimeDelta::days(1));
    let res = alice.get("/atelier").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        res.location().is_some_and(|l| l.starts_with("/connexion")),
        "{:?}",
        res.location()
    );
    let (_, login, password) = &cards[2];
    let res = app.browser().login(login, password).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    // The daily work wipes the printed passwords; the page says the workshop is over.
    let wiped = lieu_web::housekeeping::wipe_workshop_cards(app.store(), app.now()).expect("wipe");
    assert_eq!(wiped, 8);
    let printed = trainer.get(&format!("/ateliers/{id}/cartes")).await;
    printed.assert_contains("L’atelier est terminé");
    assert!(!printed.body.contains(password.as_str()));
}

async fn nothing_a_trainee_does_reaches_the_wiki_the_directory_the_real_queue_or_any_mailbox(
    backend: Backend,
) {
    let app = app(backend).await;
    app.import_wiki_content();
    let agent = app.logged_in(Role::Agent).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let id = prepare(&trainer, "2", &[EMAIL_PAGE]).await;
    let seats = seats(&trainer, id).await;
    let alice = trainee(&app, &seats[0].0, &seats[0].1).await;
    app.drain_index();
    let before = real_rows(&app);

    // Edits, a new page, three practice entries and every decision on them.
    let res = edit_practice(&alice, id, EMAIL_SLUG, "Mot rare : zorglubesque.").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = alice
        .post(
            &format!("/ateliers/{id}/nouvelle-page"),
            &[
                ("title", "Page zorglubesque"),
                ("body", "Encore zorglubesque."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut submissions = Vec::new();
    for _ in 0..3 {
        submissions.push(practise_entry(&alice, id, ASSO).await);
    }
    for (path, action, fields) in [
        (&submissions[0], "approuver", vec![]),
        (
            &submissions[1],
            "demander",
            vec![("message", "Ajoutez un téléphone.")],
        ),
        (
            &submissions[2],
            "refuser",
            vec![("reason", "duplicate"), ("message", "")],
        ),
    ] {
        let version = trainer.get(path).await.field("version").expect("version");
        let mut all = vec![("version", version.as_str())];
        all.extend(fields);
        let res = trainer.post(&format!("{path}/{action}"), &all).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{action}: {}", res.body);
    }
    app.drain_index();
    assert_eq!(
        real_rows(&app),
        before,
        "pages, revisions, submissions, entries, index_outbox, mail_outbox, submission audit"
    );
    assert!(app.send_mail().is_empty(), "no mail was sent");
    let mailbox = alice.get(&format!("/ateliers/{id}/courriels")).await;
    mailbox.assert_contains("est à compléter");
    mailbox.assert_contains("Demande non retenue");

    // The sandbox is found by neither the search nor the list of pages, and the real queue
    // does not hold the practice entries.
    for browser in [&alice, &agent, &app.browser()] {
        let found = browser.get("/recherche?q=zorglubesque").await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(!found.body.contains("bac-a-sable"), "{}", found.body);
        let pages = browser.get("/pages").await;
        assert!(!pages.body.contains("zorglubesque"), "{}", pages.body);
    }
    let queue = agent.get("/gestion/propositions").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(!queue.body.contains("Club de tricot"), "{}", queue.body);
    // The real wiki's page of the same material is untouched.
    let real = app.browser().get(&format!("/wiki/{EMAIL_SLUG}")).await;
    assert_eq!(real.status, StatusCode::OK);
    assert!(!real.body.contains("zorglubesque"));

    // No real write route opens to a participant.
    for path in [
        "/nouvelle-page",
        &format!("/wiki/{EMAIL_SLUG}/modifier"),
        "/gestion/fiches/nouvelle?type=association",
        "/gestion/propositions",
        "/gestion/courriels",
    ] {
        assert_eq!(
            alice.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for (path, fields) in [
        (
            "/nouvelle-page",
            vec![("title", "Intrus"), ("body", "x"), ("action", "save")],
        ),
        (
            &format!("/wiki/{EMAIL_SLUG}/modifier") as &str,
            vec![("body", "x"), ("base_revision", "1"), ("action", "save")],
        ),
        (
            "/gestion/fiches/nouvelle",
            vec![("type", "association"), ("title", "Intrus")],
        ),
        ("/gestion/courriels/essai", vec![]),
    ] {
        let res = alice.post(path, &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
    }
    assert_eq!(real_rows(&app), before);
}

async fn a_trainee_reaches_only_their_own_workshop_and_no_trainer_page(backend: Backend) {
    let app = app(backend).await;
    let trainer_a = app.logged_in(Role::Trainer).await;
    let trainer_b = app.logged_in(Role::Trainer).await;
    let a = prepare(&trainer_a, "1", &[EMAIL_PAGE]).await;
    let b = prepare(&trainer_b, "1", &[EMAIL_PAGE]).await;
    let seat_a = seats(&trainer_a, a).await;
    let seat_b = seats(&trainer_b, b).await;
    let alice = trainee(&app, &seat_a[0].0, &seat_a[0].1).await;
    let bert = trainee(&app, &seat_b[0].0, &seat_b[0].1).await;
    let in_b = practise_entry(&bert, b, ASSO).await;

    // Workshop B is closed to A's participant and to A's trainer.
    for browser in [&alice, &trainer_a] {
        for path in [
            format!("/ateliers/{b}/bac-a-sable"),
            format!("/ateliers/{b}/bac-a-sable/{EMAIL_SLUG}"),
            format!("/ateliers/{b}/bac-a-sable/{EMAIL_SLUG}/modifier"),
            format!("/ateliers/{b}/nouvelle-page"),
            format!("/ateliers/{b}/referencer"),
            format!("/ateliers/{b}/courriels"),
            in_b.clone(),
            format!("/ateliers/{b}"),
            format!("/ateliers/{b}/cartes"),
        ] {
            assert_eq!(
                browser.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let res = browser
            .post(
                &format!("/ateliers/{b}/bac-a-sable/{EMAIL_SLUG}/modifier"),
                &[("body", "intrus"), ("base_revision", "1")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = browser
            .post(&format!("/ateliers/{b}/referencer"), ASSO)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    // A participant opens none of the trainer's pages, even of their own workshop.
    for path in [
        "/ateliers".to_owned(),
        format!("/ateliers/{a}"),
        format!("/ateliers/{a}/cartes"),
        format!("/ateliers/{a}/reinitialiser"),
        format!("/ateliers/{a}/propositions"),
    ] {
        assert_eq!(
            alice.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mine = practise_entry(&alice, a, ASSO).await;
    for (path, fields) in [
        (format!("/ateliers/{a}/reinitialiser"), vec![]),
        (
            "/ateliers".to_owned(),
            vec![("title", "x"), ("day", "2026-12-01"), ("participants", "2")],
        ),
        (format!("{mine}/approuver"), vec![("version", "1")]),
        (
            format!("{mine}/demander"),
            vec![("version", "1"), ("message", "x")],
        ),
        (
            format!("{mine}/refuser"),
            vec![("version", "1"), ("reason", "duplicate")],
        ),
    ] {
        let res = alice.post(&path, &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The participant reads their own practice entry, without the decisions.
    let own = alice.get(&mine).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains("/approuver"));
    // An administrator reaches both; an agent neither; anonymous readers are asked to log in.
    let admin = app.logged_in(Role::Admin).await;
    let agent = app.logged_in(Role::Agent).await;
    for w in [a, b] {
        assert_eq!(
            admin.get(&format!("/ateliers/{w}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            admin
                .get(&format!("/ateliers/{w}/bac-a-sable"))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            agent
                .get(&format!("/ateliers/{w}/bac-a-sable"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let anonymous = app
            .browser()
            .get(&format!("/ateliers/{w}/bac-a-sable"))
            .await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(
            anonymous
                .location()
                .is_some_and(|l| l.starts_with("/connexion"))
        );
    }
    // A trainer's list shows their own workshops; an administrator's, all.
    let list = trainer_a.get("/ateliers").await;
    assert!(list.body.contains(&format!("href=\"/ateliers/{a}\"")));
    assert!(!list.body.contains(&format!("href=\"/ateliers/{b}\"")));
    let all = admin.get("/ateliers").await;
    assert!(all.body.contains(&format!("href=\"/ateliers/{a}\"")));
    assert!(all.body.contains(&format!("href=\"/ateliers/{b}\"")));
}

async fn two_trainees_saving_one_page_at_once_get_one_conflict_and_lose_nothing(backend: Backend) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let id = prepare(&trainer, "2", &[EMAIL_PAGE]).await;
    let seats = seats(&trainer, id).await;
    let alice = trainee(&app, &seats[0].0, &seats[0].1).await;
    let bob = trainee(&app, &seats[1].0, &seats[1].1).await;
    let path = format!("/ateliers/{id}/bac-a-sable/{EMAIL_SLUG}/modifier");
    // Both open the form on the same revision, then both save.
    let base_a = alice.get(&path).await.field("base_revision").expect("a");
    let base_b = bob.get(&path).await.field("base_revision").expect("b");
    assert_eq!(base_a, base_b);
    let first = alice
        .post(
            &path,
            &[("body", "Le texte d’Alice."), ("base_revision", &base_a)],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = bob
        .post(
            &path,
            &[("body", "Le texte de Bob."), ("base_revision", &base_b)],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    // Bob's text is kept in his form, with Alice's shown beside it.
    assert_eq!(second.textarea("body").as_deref(), Some("Le texte de Bob."));
    second.assert_contains("Le texte d’Alice.");
    second.assert_contains("Participant 1");
    let page = alice
        .get(&format!("/ateliers/{id}/bac-a-sable/{EMAIL_SLUG}"))
        .await;
    page.assert_contains("Le texte d’Alice.");
    // Saved from the conflict form, his text goes over Alice's knowingly.
    let base = second.field("base_revision").expect("new base");
    let again = bob
        .post(
            &path,
            &[("body", "Le texte de Bob."), ("base_revision", &base)],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    bob.get(&format!("/ateliers/{id}/bac-a-sable/{EMAIL_SLUG}"))
        .await
        .assert_contains("Le texte de Bob.");

    // Two trainees creating one title at once: the second is told, with their text kept.
    let new = format!("/ateliers/{id}/nouvelle-page");
    let res = alice
        .post(&new, &[("title", "Mes notes"), ("body", "Notes d’Alice")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = bob
        .post(&new, &[("title", "Mes notes"), ("body", "Notes de Bob")])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    res.assert_contains("Une page porte déjà ce titre");
    assert_eq!(res.textarea("body").as_deref(), Some("Notes de Bob"));
}

async fn hostile_input_gets_french_errors_and_never_a_server_error(backend: Backend) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let long = "é".repeat(10_000);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("title", ""), ("day", ""), ("participants", "")],
            "Indiquez le titre de l’atelier.",
        ),
        (
            &[("title", ""), ("day", ""), ("participants", "")],
            "Indiquez la date de l’atelier.",
        ),
        (
            &[("title", ""), ("day", ""), ("participants", "")],
            "Indiquez le nombre de participants.",
        ),
        (
            &[
                ("title", &long),
                ("day", "2026-12-01"),
                ("participants", "8"),
            ],
            "120 caractères au plus",
        ),
        (
            &[("title", "A"), ("day", "2026-11-30"), ("participants", "8")],
            "Cette date est passée",
        ),
        (
            &[("title", "A"), ("day", "2099-01-01"), ("participants", "8")],
            "dans l’année qui vient",
        ),
        (
            &[("title", "A"), ("day", "9999-99-99"), ("participants", "8")],
            "La date n’est pas valide",
        ),
        (
            &[
                ("title", "A"),
                ("day", "+275760-09-13"),
                ("participants", "8"),
            ],
            "La date n’est pas valide",
        ),
        (
            &[("title", "A"), ("day", "2026-12-01"), ("participants", "0")],
            "de 1 à 30 participants",
        ),
        (
            &[
                ("title", "A"),
                ("day", "2026-12-01"),
                ("participants", "31"),
            ],
            "de 1 à 30 participants",
        ),
        (
            &[
                ("title", "A"),
                ("day", "2026-12-01"),
                ("participants", "-2147483649"),
            ],
            "de 1 à 30 participants",
        ),
        (
            &[
                ("title", "A"),
                ("day", "2026-12-01"),
                ("participants", "99999999999999999999999"),
            ],
            "nombre entier",
        ),
        (
            &[
                ("title", "A"),
                ("day", "2026-12-01"),
                ("participants", "1e3"),
            ],
            "nombre entier",
        ),
        (
            &[
                ("title", "A"),
                ("day", "2026-12-01"),
                ("participants", "2"),
                ("material", "../../../etc/passwd"),
            ],
            "pages de départ choisies",
        ),
    ];
    for (fields, error) in cases {
        let res = trainer.post("/ateliers", fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        res.assert_contains(error);
        if !fields.iter().any(|(k, _)| *k == "material") {
            res.assert_contains("aria-invalid=\"true\"");
        }
    }
    // Markup in a title is text.
    let res = trainer
        .post(
            "/ateliers",
            &[
                ("title", "<script>alert(1)</script>"),
                ("day", "2026-12-01"),
                ("participants", "1"),
            ],
        )
        .await;
    let id = created_id(&res);
    let page = trainer.get(&format!("/ateliers/{id}")).await;
    assert!(!page.body.contains("<script>alert"));
    page.assert_contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Nothing was created by the refused forms.
    let workshops: i64 = app
        .store()
        .read(|c| Ok(schema::workshops::table.count().get_result(c)?))
        .expect("count");
    assert_eq!(workshops, 1);

    // The sandbox's forms.
    let res = trainer
        .post(
            &format!("/ateliers/{id}/nouvelle-page"),
            &[("title", ""), ("body", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Indiquez un titre.");
    let huge = "x".repeat(300_000);
    let res = trainer
        .post(
            &format!("/ateliers/{id}/nouvelle-page"),
            &[("title", "Grande"), ("body", &huge)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = trainer
        .post(
            &format!("/ateliers/{id}/nouvelle-page"),
            &[
                ("title", "Piège"),
                (
                    "body",
                    "<script>alert(1)</script><img src=x onerror=alert(1)>",
                ),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let shown = trainer
        .get(&format!("/ateliers/{id}/bac-a-sable/piege"))
        .await;
    assert!(!shown.body.contains("<script>alert"), "{}", shown.body);
    assert!(!shown.body.contains("onerror"), "{}", shown.body);
    let res = trainer
        .post(
            &format!("/ateliers/{id}/referencer"),
            &[("type", "association"), ("sender_email", "pas une adresse")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Le formulaire contient des erreurs");

    // Ids that are not ids, unknown kinds, versions that are not numbers.
    for path in [
        "/ateliers/abc".to_owned(),
        "/ateliers/0".to_owned(),
        "/ateliers/99999999999999999999".to_owned(),
        "/ateliers/-1/bac-a-sable".to_owned(),
        format!("/ateliers/{id}/propositions/abc"),
        format!("/ateliers/{id}/propositions/999999"),
        format!("/ateliers/{id}/courriels/abc"),
        format!("/ateliers/{id}/bac-a-sable/{}", "a".repeat(5000)),
    ] {
        let res = trainer.get(&path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/ateliers/{id}?apres=zzz"),
        "/ateliers?apres=9999-99-99.x".to_owned(),
        format!("/ateliers/{id}/propositions?etat=%3Cscript%3E&apres=-5"),
        format!("/ateliers/{id}/courriels?avant=abc"),
        format!("/ateliers/{id}/referencer?type=fusee"),
    ] {
        let res = trainer.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
    }
    let res = trainer
        .post(
            &format!("/ateliers/{id}/propositions/1/approuver"),
            &[("version", "abc")],
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    let res = trainer
        .post(&format!("/ateliers/{id}/referencer"), &[("type", "fusee")])
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
}

/// The `href` of the link with `rel="next"`, if the page has one.
fn next_link(page: &Page) -> Option<String> {
    let (_, rest) = page.body.split_once("rel=\"next\" href=\"")?;
    rest.split('"').next().map(lieu_tests::unescape)
}

async fn the_sandbox_pages_go_page_by_page(backend: Backend) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let id = prepare(&trainer, "1", &[EMAIL_PAGE]).await;
    let sandbox = format!("/ateliers/{id}/bac-a-sable");
    // One starting page: one page of the list, and no paging links.
    let first = trainer.get(&sandbox).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        !first.body.contains("class=\"pagination\""),
        "{}",
        first.body
    );
    // Fifty more: 51 pages, one more than a page of the list holds.
    for n in 1..=50 {
        let res = trainer
            .post(
                &format!("/ateliers/{id}/nouvelle-page"),
                &[("title", &format!("Page {n:02}")), ("body", "Exercice.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let first = trainer.get(&sandbox).await;
    assert_eq!(first.status, StatusCode::OK);
    let next = next_link(&first).expect("a link to the next page");
    assert!(next.starts_with(&format!("{sandbox}?apres=")), "{next}");
    assert!(!first.body.contains("Première page"));
    let second = trainer.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    // By slug: the starting page, « page-01 » to « page-49 », then « page-50 » alone.
    first.assert_contains(&format!("href=\"{sandbox}/{EMAIL_SLUG}\""));
    assert!(!first.body.contains(&format!("href=\"{sandbox}/page-50\"")));
    second.assert_contains(&format!("href=\"{sandbox}/page-50\""));
    assert!(!second.body.contains(&format!("href=\"{sandbox}/page-49\"")));
    second.assert_contains(&format!("href=\"{sandbox}\">Première page"));
    assert_eq!(next_link(&second), None);
}

async fn an_expired_practice_form_comes_back_with_what_was_typed(backend: Backend) {
    let app = app(backend).await;
    let trainer = app.logged_in(Role::Trainer).await;
    let id = prepare(&trainer, "1", &[]).await;
    let seat = seats(&trainer, id).await;
    let alice = trainee(&app, &seat[0].0, &seat[0].1).await;
    alice.csrf().await;
    let mut fields = vec![("csrf", "un-jeton-perime")];
    fields.extend_from_slice(ASSO);
    let res = alice
        .post_raw(&format!("/ateliers/{id}/referencer"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    res.assert_contains("Ce formulaire a expiré");
    assert_eq!(
        res.field("title").as_deref(),
        Some("Club de tricot de la Sorbière")
    );
    assert_eq!(
        res.field("sender_email").as_deref(),
        Some("marcel@exemple.fr")
    );
    let written: i64 = app
        .store()
        .read(|c| Ok(schema::practice_submissions::table.count().get_result(c)?))
        .expect("count");
    assert_eq!(written, 0);
    // Sent again from the page that came back, it goes through.
    practise_entry(&alice, id, ASSO).await;
}
