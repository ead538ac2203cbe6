//! The referencing form through the real app (issue 9): a local actor proposes an entry
//! without an account, follows it through a private link, corrects it when an agent asks;
//! the agent approves it and residents find it. Every message goes over SMTP to a server on
//! 127.0.0.1. Also: spam checks that keep what was typed, a correction of an entry compared
//! field by field, two agents deciding at once, withdrawal and the purge, the reminder.

use actix_web::http::StatusCode;
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::Role;
use lieu_core::submission::SubmissionStatus;
use lieu_mail::{Sender, SmtpSettings, TlsMode, Transport};
use lieu_store::submissions::{self as subs, QueueFilter, Submission};
use lieu_tests::smtp::{Received, SmtpSink};
use lieu_tests::{Backend, Browser, Page, TestApp, on_both_backends};
use lieu_web::WebConfig;
use std::time::Duration;

on_both_backends!(
    an_association_is_referenced_from_the_form_to_the_search_with_every_mail_over_smtp,
    spam_checks_and_an_expired_page_keep_everything_typed,
    a_flood_from_one_address_is_refused_politely,
    a_correction_of_an_entry_is_compared_field_by_field_then_saved,
    of_two_agents_deciding_at_once_the_second_is_shown_the_first_decision,
    a_withdrawn_submission_loses_its_personal_data_after_the_delay,
    the_sender_of_a_published_entry_is_asked_whether_it_is_still_right,
    the_sender_of_an_archived_entry_is_erased_after_the_delay,
);

fn start() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

async fn app(backend: Backend) -> TestApp {
    app_with(backend, WebConfig::default()).await
}

async fn app_with(backend: Backend, config: WebConfig) -> TestApp {
    let app = TestApp::with_config(backend, config)
        .await
        .fixed_at(start());
    app.load_territory();
    app
}

/// Lets time pass as a person fills a form.
fn wait(app: &TestApp, seconds: i64) {
    app.set_now(app.now() + TimeDelta::seconds(seconds));
}

const ASSO: &[(&str, &str)] = &[
    ("title", "Les Fils d’Aubin"),
    ("commune", "79901"),
    (
        "summary",
        "Atelier de couture et de tricot, ouvert à toutes et à tous.",
    ),
    ("activities", "Couture, tricot, réparation de vêtements."),
    ("meeting_times", "Le mardi de 18 h à 20 h"),
    ("phone", "05 49 00 11 22"),
];

const SENDER: &[(&str, &str)] = &[
    ("sender_name", "Jeanne Dupré"),
    ("sender_organisation", "Les Fils d’Aubin"),
    ("sender_email", "jeanne@example.org"),
    ("consent", "oui"),
];

/// Opens the form of `kind` (or the address given), waits like a person, and sends `fields`
/// with the form's own hidden fields.
async fn fill_and_send(
    app: &TestApp,
    browser: &Browser<'_>,
    form_path: &str,
    fields: &[(&str, &str)],
) -> Page {
    let form = browser.get(form_path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let hidden: Vec<(&str, String)> = ["debut", "type", "fiche", "version"]
        .into_iter()
        .filter_map(|name| form.field(name).map(|v| (name, v)))
        .collect();
    assert!(
        hidden.iter().any(|(n, _)| *n == "debut"),
        "the form's stamp"
    );
    let mut all: Vec<(&str, &str)> = hidden.iter().map(|(n, v)| (*n, v.as_str())).collect();
    all.extend_from_slice(fields);
    wait(app, 40);
    let action = form
        .body
        .split("form class=\"formulaire\" method=\"post\" action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the form's action")
        .to_owned();
    browser.post(&action, &all).await
}

fn submissions(app: &TestApp) -> Vec<Submission> {
    let filter = QueueFilter {
        status: None,
        ..QueueFilter::default()
    };
    let mut all = app
        .store()
        .read(|c| Ok(subs::queue(c, &filter, None, 1000)?))
        .expect("queue");
    for status in [
        SubmissionStatus::Approved,
        SubmissionStatus::Rejected,
        SubmissionStatus::Withdrawn,
    ] {
        let filter = QueueFilter {
            status: Some(status),
            ..QueueFilter::default()
        };
        all.extend(
            app.store()
                .read(|c| Ok(subs::queue(c, &filter, None, 1000)?))
                .expect("queue"),
        );
    }
    all
}

fn smtp_sender(sink: &SmtpSink) -> Sender {
    let transport = Transport::smtp(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.port(),
        tls: TlsMode::None,
        username: String::new(),
        password: String::new(),
        timeout: Duration::from_secs(5),
    })
    .expect("SMTP transport");
    Sender::new(transport, "Lieu partagé <ne-pas-repondre@lieu.test>").expect("sender")
}

/// Sends what the outbox holds over SMTP and returns what arrived since `seen` messages.
fn deliver(app: &TestApp, sender: &Sender, sink: &SmtpSink, seen: &mut usize) -> Vec<Received> {
    sender.send_due(app.store(), app.now()).expect("send");
    let all = sink.received();
    let new = all[*seen..].to_vec();
    *seen = all.len();
    new
}

/// The path of the private link in a message's text.
fn link_in(message: &Received) -> String {
    let text = message.text();
    let start = text.find("/suivi/").expect("a private link");
    text[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .expect("link")
        .to_owned()
}

fn for_address<'a>(messages: &'a [Received], to: &str) -> Vec<&'a Received> {
    messages.iter().filter(|m| m.to == [to]).collect()
}

async fn an_association_is_referenced_from_the_form_to_the_search_with_every_mail_over_smtp(
    backend: Backend,
) {
    let app = app(backend).await;
    let sink = SmtpSink::start();
    let sender = smtp_sender(&sink);
    let mut seen = 0;
    let agent = app.logged_in(Role::Agent).await;
    let agent_email = app
        .store()
        .read(|c| Ok(lieu_store::models::users::reviewers(c)?))
        .expect("reviewers")[0]
        .email
        .clone();
    let phone = app.browser();

    // The form starts with the choice of what to propose.
    let choice = phone.get("/referencer").await;
    choice.assert_contains("Se faire référencer");
    choice.assert_contains("href=\"/referencer?type=association\"");

    // Invalid input comes back with every field kept and each error in French.
    let mut invalid: Vec<(&str, &str)> = vec![("title", ""), ("commune", "79901")];
    invalid.extend_from_slice(&[
        ("summary", "Atelier de couture <b>ouvert</b>"),
        ("sender_name", "Jeanne Dupré"),
        ("sender_email", "jeanne-at-example.org"),
    ]);
    let res = fill_and_send(&app, &phone, "/referencer?type=association", &invalid).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Indiquez le nom ou le titre.");
    res.assert_contains("Cochez la case pour accepter");
    assert_eq!(res.field("sender_name").as_deref(), Some("Jeanne Dupré"));
    assert_eq!(
        res.field("sender_email").as_deref(),
        Some("jeanne-at-example.org")
    );
    assert_eq!(
        res.textarea("summary").as_deref(),
        Some("Atelier de couture <b>ouvert</b>")
    );
    assert!(!res.body.contains("<b>ouvert</b>"), "markup is escaped");
    assert!(submissions(&app).is_empty());

    // A valid form is recorded; the private page is shown only then.
    let mut fields = ASSO.to_vec();
    fields.extend_from_slice(SENDER);
    let sent = fill_and_send(&app, &phone, "/referencer?type=association", &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let tracking = sent.location().expect("private page").to_owned();
    assert!(tracking.starts_with("/suivi/"), "{tracking}");
    let private = phone.get(&tracking).await;
    assert_eq!(private.status, StatusCode::OK);
    private.assert_contains("Merci, votre demande est enregistrée");
    private.assert_contains("en attente de relecture");
    // The address the confirmation goes to is shown, so that a typo can be seen.
    private.assert_contains("<strong>jeanne@example.org</strong>");
    assert_eq!(
        private.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let all = submissions(&app);
    assert_eq!(all.len(), 1);
    let id = all[0].id;

    // Two messages over SMTP: « received » with the same private link, and one to the agent.
    let arrived = deliver(&app, &sender, &sink, &mut seen);
    assert_eq!(arrived.len(), 2, "{arrived:?}");
    let to_sender = for_address(&arrived, "jeanne@example.org");
    assert_eq!(to_sender.len(), 1);
    assert!(
        tracking.starts_with(&link_in(to_sender[0]).replace("?fait=envoyee", "")),
        "{tracking}"
    );
    let to_agent = for_address(&arrived, &agent_email);
    assert_eq!(to_agent.len(), 1);
    assert!(
        to_agent[0]
            .text()
            .contains(&format!("/gestion/propositions/{id}"))
    );

    // The agent sees it in the queue, with the count in the menu, and asks for a change.
    let queue = agent.get("/gestion/propositions").await;
    assert_eq!(queue.status, StatusCode::OK);
    queue.assert_contains("Les Fils d’Aubin");
    queue.assert_contains("Demandes à traiter");
    queue.assert_contains("<span class=\"compteur\">1</span>");
    let page = agent.get(&format!("/gestion/propositions/{id}")).await;
    page.assert_contains("Ce qui serait publié");
    page.assert_contains("Le mardi de 18 h à 20 h");
    page.assert_contains("jeanne@example.org");
    let asked = agent
        .post(
            &format!("/gestion/propositions/{id}/demander"),
            &[
                ("version", "1"),
                ("message", "Pouvez-vous préciser le lieu des ateliers ?"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let arrived = deliver(&app, &sender, &sink, &mut seen);
    assert_eq!(arrived.len(), 1);
    assert!(arrived[0].text().contains("préciser le lieu des ateliers"));
    let new_link = link_in(&arrived[0]);
    // The link of each message replaces the one before.
    assert_eq!(phone.get(&tracking).await.status, StatusCode::NOT_FOUND);
    let private = phone.get(&new_link).await;
    private.assert_contains("à compléter");
    private.assert_contains("préciser le lieu des ateliers");

    // The association corrects its submission through the link.
    let corrected = fill_and_send(
        &app,
        &phone,
        &format!("{new_link}/corriger"),
        &[
            ("title", "Les Fils d’Aubin"),
            ("commune", "79901"),
            (
                "summary",
                "Atelier de couture et de tricot, ouvert à toutes et à tous.",
            ),
            ("address", "Salle des fêtes, 2 rue des Écoles"),
            ("activities", "Couture, tricot, réparation de vêtements."),
            ("meeting_times", "Le mardi de 18 h à 20 h"),
        ],
    )
    .await;
    assert_eq!(
        corrected.status,
        StatusCode::SEE_OTHER,
        "{}",
        corrected.body
    );
    phone
        .get(corrected.location().expect("back"))
        .await
        .assert_contains("Votre correction est enregistrée");
    let arrived = deliver(&app, &sender, &sink, &mut seen);
    assert_eq!(for_address(&arrived, &agent_email).len(), 1, "{arrived:?}");

    // The agent approves: the entry is published, indexed, and the sender told.
    let approved = agent
        .post(
            &format!("/gestion/propositions/{id}/approuver"),
            &[("version", "3")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let arrived = deliver(&app, &sender, &sink, &mut seen);
    assert_eq!(arrived.len(), 1);
    let text = arrived[0].text();
    assert!(
        text.contains("/annuaire/associations/les-fils-d-aubin"),
        "{text}"
    );
    let entry = phone.get("/annuaire/associations/les-fils-d-aubin").await;
    assert_eq!(entry.status, StatusCode::OK);
    entry.assert_contains("Salle des fêtes, 2 rue des Écoles");
    entry.assert_contains("Suggérer une correction");
    let found = phone.get("/recherche?q=tricot").await;
    found.assert_contains("Les Fils d’Aubin");
    // Approving again (another tab, the old version) changes nothing and says why.
    let again = agent
        .post(
            &format!("/gestion/propositions/{id}/approuver"),
            &[("version", "3")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    again.assert_contains("déjà été décidée");
    // The decisions are in the history of the submission, with who made them.
    let page = agent.get(&format!("/gestion/propositions/{id}")).await;
    page.assert_contains("modifications demandées");
    page.assert_contains("corrigée par l’expéditeur");
    page.assert_contains("approuvée et publiée");
    // Five messages in all, each over SMTP.
    assert_eq!(sink.received().len(), 5);
}

async fn spam_checks_and_an_expired_page_keep_everything_typed(backend: Backend) {
    let app = app(backend).await;
    let robot = app.browser();
    let mut fields = ASSO.to_vec();
    fields.extend_from_slice(SENDER);

    // The trap field filled: the form comes back, typed values kept, the trap emptied.
    let mut trapped = fields.clone();
    trapped.push(("site_internet_2", "http://spam.example"));
    let res = fill_and_send(&app, &robot, "/referencer?type=association", &trapped).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("réservé à la lutte contre les robots");
    assert_eq!(res.field("site_internet_2").as_deref(), Some(""));
    assert_eq!(res.field("title").as_deref(), Some("Les Fils d’Aubin"));

    // Sent as soon as shown.
    let form = robot.get("/referencer?type=association").await;
    let stamp = form.field("debut").expect("stamp");
    let mut fast: Vec<(&str, &str)> = vec![("type", "association"), ("debut", &stamp)];
    fast.extend_from_slice(&fields);
    let res = robot.post("/referencer", &fast).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("très vite");
    // A browser that refuses cookies is told so, not that its page expired.
    let no_cookies = app.browser();
    let mut cookieless: Vec<(&str, &str)> = vec![
        (
            "csrf",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ),
        ("type", "association"),
        ("debut", &stamp),
    ];
    cookieless.extend_from_slice(&fields);
    let res = no_cookies.post_raw("/referencer", &cookieless).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("refuse peut-être les cookies");
    // A stamp made up by the robot is not trusted either.
    wait(&app, 60);
    let mut forged: Vec<(&str, &str)> = vec![("type", "association"), ("debut", "1-abc")];
    forged.extend_from_slice(&fields);
    let res = robot.post("/referencer", &forged).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(submissions(&app).is_empty());

    // A person whose page expired (another CSRF token): everything comes back, and sending
    // the page as it comes back works.
    let person = app.browser();
    let form = person.get("/referencer?type=association").await;
    let stamp = form.field("debut").expect("stamp");
    wait(&app, 600);
    let mut stale: Vec<(&str, &str)> = vec![
        (
            "csrf",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ),
        ("type", "association"),
        ("debut", &stamp),
    ];
    stale.extend_from_slice(&fields);
    let res = person.post_raw("/referencer", &stale).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Tout ce que vous avez saisi est conservé");
    assert_eq!(res.field("sender_name").as_deref(), Some("Jeanne Dupré"));
    assert_eq!(
        res.field("meeting_times").as_deref(),
        Some("Le mardi de 18 h à 20 h")
    );
    let fresh = res.field("debut").expect("a fresh stamp");
    wait(&app, 20);
    let mut resend: Vec<(&str, &str)> = vec![("type", "association"), ("debut", &fresh)];
    resend.extend_from_slice(&fields);
    let res = person.post("/referencer", &resend).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(submissions(&app).len(), 1);
}

async fn a_flood_from_one_address_is_refused_politely(backend: Backend) {
    let app = app_with(
        backend,
        WebConfig {
            submissions_per_hour: 2,
            ..WebConfig::default()
        },
    )
    .await;
    let browser = app.browser();
    for n in 0..3 {
        let title = format!("Association numéro {n}");
        let mut fields = vec![("title", title.as_str())];
        fields.extend_from_slice(&ASSO[1..]);
        fields.extend_from_slice(SENDER);
        let res = fill_and_send(&app, &browser, "/referencer?type=association", &fields).await;
        if n < 2 {
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{n}: {}", res.body);
        } else {
            assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
            res.assert_contains("Trop de demandes ont été envoyées depuis votre connexion");
            assert_eq!(res.field("title").as_deref(), Some(title.as_str()));
        }
    }
    assert_eq!(submissions(&app).len(), 2);
    // Corrections through a private link spend the same budget: each one tells every agent.
    let sub = &submissions(&app)[0];
    let token = "c".repeat(64);
    app.store()
        .write(|c| subs::replace_token(c, sub.id, &lieu_core::auth::token_digest(&token)))
        .expect("a known link");
    let mut fields = ASSO.to_vec();
    fields.truncate(3);
    let res = fill_and_send(&app, &browser, &format!("/suivi/{token}/corriger"), &fields).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    assert_eq!(res.field("title").as_deref(), Some("Les Fils d’Aubin"));
}

async fn a_correction_of_an_entry_is_compared_field_by_field_then_saved(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    let created = agent
        .create_entry(
            "service",
            &[
                ("title", "Permanence logement"),
                ("commune", "79901"),
                ("summary", "Conseils sur le logement, le mardi."),
                ("phone", "05 49 00 00 01"),
                ("themes", "logement-hebergement--louer-un-logement"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let entry_url = created.location().expect("entry").to_owned();
    let entry_page = app.browser().get(&entry_url).await;
    let suggest = entry_page
        .body
        .split("href=\"/referencer?fiche=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the suggestion link")
        .to_owned();
    let resident = app.browser();
    let form = resident.get(&format!("/referencer?fiche={suggest}")).await;
    // The form starts from the entry as published.
    assert_eq!(form.field("title").as_deref(), Some("Permanence logement"));
    let mut fields: Vec<(&str, &str)> = vec![
        ("title", "Permanence logement"),
        ("commune", "79901"),
        ("summary", "Conseils sur le logement, le mardi."),
        ("phone", "05 49 00 00 99"),
        ("themes", "logement-hebergement--louer-un-logement"),
    ];
    fields.extend_from_slice(SENDER);
    let sent = fill_and_send(
        &app,
        &resident,
        &format!("/referencer?fiche={suggest}"),
        &fields,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let sub = submissions(&app).pop().expect("the correction");
    assert_eq!(
        sub.target_entry_id.map(|i| i.to_string()),
        Some(suggest.clone())
    );
    let page = agent
        .get(&format!("/gestion/propositions/{}", sub.id))
        .await;
    page.assert_contains("Comparaison avec la fiche actuelle");
    let changed_row = page
        .body
        .split("<tr class=\"change\">")
        .nth(1)
        .expect("a changed row")
        .split("</tr>")
        .next()
        .expect("row")
        .to_owned();
    assert!(
        changed_row.contains("05 49 00 00 01") && changed_row.contains("05 49 00 00 99"),
        "{changed_row}"
    );
    assert_eq!(
        page.body.matches("<tr class=\"change\">").count(),
        1,
        "only the phone changed"
    );
    // Without the revision compared with, a correction is not saved over the entry.
    let blind = agent
        .post(
            &format!("/gestion/propositions/{}/approuver", sub.id),
            &[("version", "1")],
        )
        .await;
    assert_eq!(blind.status, StatusCode::CONFLICT);
    let garbage = agent
        .post(
            &format!("/gestion/propositions/{}/approuver", sub.id),
            &[("version", "1"), ("entry_revision", "abc")],
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    app.browser()
        .get(&entry_url)
        .await
        .assert_contains("05 49 00 00 01");
    let approved = agent
        .post(
            &format!("/gestion/propositions/{}/approuver", sub.id),
            &[("version", "1"), ("entry_revision", "1")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let entry = app.browser().get(&entry_url).await;
    entry.assert_contains("05 49 00 00 99");
    let history = agent
        .get(&format!("/gestion/fiches/{suggest}/historique"))
        .await;
    history.assert_contains("Correction proposée par un usager");
}

async fn of_two_agents_deciding_at_once_the_second_is_shown_the_first_decision(backend: Backend) {
    let app = app(backend).await;
    let first = app.logged_in(Role::Agent).await;
    let second = app.logged_in(Role::Admin).await;
    let mut fields = ASSO.to_vec();
    fields.extend_from_slice(SENDER);
    let sent = fill_and_send(
        &app,
        &app.browser(),
        "/referencer?type=association",
        &fields,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let id = submissions(&app)[0].id;
    // Both opened the page at version 1.
    let path = format!("/gestion/propositions/{id}");
    first
        .get(&path)
        .await
        .assert_contains("name=\"version\" value=\"1\"");
    let refused = first
        .post(
            &format!("{path}/refuser"),
            &[("version", "1"), ("reason", "duplicate"), ("message", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    let late = second
        .post(&format!("{path}/approuver"), &[("version", "1")])
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    late.assert_contains("déjà été décidée");
    late.assert_contains("refusée");
    // The history says who refused it and why, in words.
    late.assert_contains("refusée par agent");
    late.assert_contains("figure déjà dans l’annuaire");
    assert_eq!(
        app.browser()
            .get("/annuaire/associations/les-fils-d-aubin")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Refusing for « another reason » needs words for the sender.
    let sent = fill_and_send(
        &app,
        &app.browser(),
        "/referencer?type=association",
        &fields,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let other = submissions(&app)
        .into_iter()
        .find(|s| s.status() == Some(SubmissionStatus::Waiting))
        .expect("the second one");
    let res = second
        .post(
            &format!("/gestion/propositions/{}/refuser", other.id),
            &[("version", "1"), ("reason", "other"), ("message", " ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Écrivez un message pour l’expéditeur");
    let long = "é".repeat(5_001);
    let res = second
        .post(
            &format!("/gestion/propositions/{}/demander", other.id),
            &[("version", "1"), ("message", &long)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Le message est trop long");
}

async fn a_withdrawn_submission_loses_its_personal_data_after_the_delay(backend: Backend) {
    let app = app(backend).await;
    let phone = app.browser();
    let mut fields = ASSO.to_vec();
    fields.extend_from_slice(SENDER);
    let sent = fill_and_send(&app, &phone, "/referencer?type=association", &fields).await;
    let link = sent.location().expect("link").replace("?fait=envoyee", "");
    let confirm = phone.get(&format!("{link}/retirer")).await;
    confirm.assert_contains("Oui, retirer ma demande");
    let version = confirm.field("version").expect("version");
    let res = phone
        .post(&format!("{link}/retirer"), &[("version", &version)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    phone
        .get(res.location().expect("back"))
        .await
        .assert_contains("Votre demande est retirée");
    let config = WebConfig::default();
    // Not before the delay...
    app.set_now(app.now() + TimeDelta::days(config.purge_after_days - 1));
    assert_eq!(
        lieu_web::housekeeping::purge(app.store(), &config, app.now()).expect("purge"),
        0
    );
    // ...then the sender's data is gone, and the link leads nowhere.
    app.set_now(app.now() + TimeDelta::days(2));
    assert_eq!(
        lieu_web::housekeeping::purge(app.store(), &config, app.now()).expect("purge"),
        1
    );
    let sub = &submissions(&app)[0];
    assert_eq!(
        (sub.sender_name.as_str(), sub.sender_email.as_str()),
        ("", "")
    );
    assert!(!sub.fields_json.contains("05 49 00 11 22"));
    assert_eq!(phone.get(&link).await.status, StatusCode::NOT_FOUND);
}

async fn the_sender_of_a_published_entry_is_asked_whether_it_is_still_right(backend: Backend) {
    let app = app(backend).await;
    let agent = app.logged_in(Role::Agent).await;
    let phone = app.browser();
    let mut fields = ASSO.to_vec();
    fields.extend_from_slice(SENDER);
    fill_and_send(&app, &phone, "/referencer?type=association", &fields).await;
    let id = submissions(&app)[0].id;
    let res = agent
        .post(
            &format!("/gestion/propositions/{id}/approuver"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let config = WebConfig::default();
    assert_eq!(
        lieu_web::housekeeping::remind(app.store(), &config, app.now()).expect("remind"),
        0,
        "just verified"
    );
    app.set_now(app.now() + TimeDelta::days(config.reminder_after_days + 1));
    assert_eq!(
        lieu_web::housekeeping::remind(app.store(), &config, app.now()).expect("remind"),
        1
    );
    assert_eq!(
        lieu_web::housekeeping::remind(app.store(), &config, app.now()).expect("remind"),
        0,
        "asked once"
    );
    let reminder = app
        .send_mail()
        .into_iter()
        .find(|m| m.subject.contains("toujours à jour"))
        .expect("the reminder");
    let text = reminder.text.clone();
    let start = text.find("/suivi/").expect("link");
    let link: String = text[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .expect("link")
        .to_owned();
    assert!(link.ends_with("/toujours-valide"), "{link}");
    // Opening the link changes nothing (mail scanners open links); the button does.
    let page = phone.get(&link).await;
    page.assert_contains("Oui, tout est à jour");
    let version = page.field("version").expect("version");
    let done = phone.post(&link, &[("version", &version)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    phone
        .get(done.location().expect("back"))
        .await
        .assert_contains("notée comme vérifiée");
    let entry = app
        .store()
        .read(|c| Ok(lieu_store::models::entries::by_slug(c, "les-fils-d-aubin")?))
        .expect("read")
        .expect("entry");
    assert_eq!(entry.verified_at, app.now());
}

async fn the_sender_of_an_archived_entry_is_erased_after_the_delay(backend: Backend) {
    // Years pass: sessions (which end by the app's clock) last as long.
    let app = app_with(
        backend,
        WebConfig {
            session_days: 100_000,
            ..WebConfig::default()
        },
    )
    .await;
    let agent = app.logged_in(Role::Agent).await;
    let mut fields = ASSO.to_vec();
    fields.extend_from_slice(SENDER);
    fill_and_send(
        &app,
        &app.browser(),
        "/referencer?type=association",
        &fields,
    )
    .await;
    let id = submissions(&app)[0].id;
    let res = agent
        .post(
            &format!("/gestion/propositions/{id}/approuver"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let config = WebConfig::default();
    let purge = |app: &TestApp| {
        lieu_web::housekeeping::purge(app.store(), &config, app.now()).expect("purge")
    };
    // Published: the sender is its contact, kept however long.
    app.set_now(app.now() + TimeDelta::days(config.purge_after_days * 3));
    assert_eq!(purge(&app), 0);
    let entry_id = submissions(&app)[0].entry_id.expect("the entry");
    let archived = agent
        .post(
            &format!("/gestion/fiches/{entry_id}/archiver"),
            &[("base_revision", "1")],
        )
        .await;
    assert_eq!(archived.status, StatusCode::SEE_OTHER, "{}", archived.body);
    app.set_now(app.now() + TimeDelta::days(config.purge_after_days - 1));
    assert_eq!(purge(&app), 0, "archived, not for long enough");
    app.set_now(app.now() + TimeDelta::days(2));
    assert_eq!(purge(&app), 1);
    let sub = &submissions(&app)[0];
    assert_eq!(
        (sub.sender_email.as_str(), sub.sender_name.as_str()),
        ("", "")
    );
    assert!(sub.sender_erased_at.is_some());
}
