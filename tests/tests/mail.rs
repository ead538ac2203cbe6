//! The mail outbox and its sender, through lieu's real SMTP transport to a server on
//! 127.0.0.1: messages arrive with their text and HTML parts; a stopped server delays them and
//! loses none; an address that is not one is given up at once and can be tried again; two
//! senders at once never send a message twice; the file transport writes `.eml` files.

use actix_web::http::StatusCode;
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::Role;
use lieu_mail::{MemoryTransport, Outcome, Sender, SmtpSettings, TlsMode, Transport};
use lieu_store::Store;
use lieu_store::mail::{self as outbox, MailStatus, NewMail};
use lieu_tests::smtp::SmtpSink;
use lieu_tests::{Backend, TestApp, on_both_backends};
use std::sync::Arc;
use std::time::Duration;

on_both_backends!(
    messages_go_out_over_smtp_and_wait_out_a_stopped_server,
    an_address_that_is_not_one_is_given_up_and_can_be_tried_again,
    two_senders_at_once_send_each_message_once,
    the_file_transport_writes_one_eml_file_a_message,
    an_admin_sends_a_test_message_and_agents_follow_the_outbox,
    the_outbox_pages_by_fifty_from_the_newest,
);

const FROM: &str = "Lieu partagé <ne-pas-repondre@lieu.test>";

fn now() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

fn smtp(sink: &SmtpSink) -> Transport {
    Transport::smtp(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.port(),
        tls: TlsMode::None,
        username: String::new(),
        password: String::new(),
        timeout: Duration::from_secs(5),
    })
    .expect("SMTP transport")
}

fn mail(n: usize, to: &str) -> NewMail {
    NewMail {
        template: "test".into(),
        to: to.into(),
        subject: format!("Votre demande n° {n} a bien été reçue"),
        text: format!("Bonjour,\n\nNous avons bien reçu votre demande n° {n}.\n"),
        html: format!("<p>Bonjour,</p><p>Nous avons bien reçu votre demande n° {n}.</p>"),
        ..NewMail::default()
    }
}

fn enqueue(store: &Store, mails: &[NewMail]) -> Vec<i32> {
    store
        .write(|c| {
            mails
                .iter()
                .map(|m| Ok(outbox::enqueue(c, m, now())?))
                .collect()
        })
        .expect("enqueue")
}

fn status_counts(store: &Store) -> Vec<(MailStatus, i64)> {
    store.read(|c| Ok(outbox::counts(c)?)).expect("counts")
}

fn count(store: &Store, status: MailStatus) -> i64 {
    status_counts(store)
        .into_iter()
        .find(|(s, _)| *s == status)
        .map_or(0, |(_, n)| n)
}

async fn messages_go_out_over_smtp_and_wait_out_a_stopped_server(backend: Backend) {
    let app = TestApp::new(backend).await;
    let store = app.store();
    let mut sink = SmtpSink::start();
    let sender = Sender::new(smtp(&sink), FROM).expect("sender");

    enqueue(
        store,
        &[
            mail(1, "asso@example.org"),
            mail(2, "Jeanne Dupré <jeanne@example.org>"),
        ],
    );
    let outcome = sender.send_due(store, now()).expect("send");
    assert_eq!(
        outcome,
        Outcome {
            sent: 2,
            delayed: 0,
            failed: 0
        }
    );
    let received = sink.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].to, ["asso@example.org"]);
    assert_eq!(received[1].to, ["jeanne@example.org"]);
    assert_eq!(received[0].from, "ne-pas-repondre@lieu.test");
    let first = &received[0];
    assert!(
        first
            .header("Subject")
            .is_some_and(|s| s.contains("=?utf-8?")),
        "encoded subject"
    );
    assert!(
        first
            .header("Content-Type")
            .is_some_and(|t| t.starts_with("multipart/alternative"))
    );
    assert!(
        first
            .data
            .contains("Content-Type: text/plain; charset=utf-8")
    );
    assert!(
        first
            .data
            .contains("Content-Type: text/html; charset=utf-8")
    );
    assert_eq!(count(store, MailStatus::Sent), 2);

    // The server goes down: five decisions later, nothing is lost and nothing is sent.
    sink.stop();
    enqueue(
        store,
        &(3..8)
            .map(|n| mail(n, "asso@example.org"))
            .collect::<Vec<_>>(),
    );
    let outcome = sender.send_due(store, now()).expect("send while down");
    assert_eq!(
        outcome,
        Outcome {
            sent: 0,
            delayed: 5,
            failed: 0
        }
    );
    assert_eq!(count(store, MailStatus::Waiting), 5);
    let waiting = store
        .read(|c| Ok(outbox::page(c, Some(MailStatus::Waiting), None, 10)?))
        .expect("waiting");
    // The server was asked once: one try counted, the others given back untried; all wait a
    // minute.
    let tries: i32 = waiting.iter().map(|m| m.attempts).sum();
    assert_eq!(tries, 1);
    assert!(
        waiting
            .iter()
            .all(|m| m.next_attempt_at == now() + TimeDelta::minutes(1))
    );
    assert!(
        waiting
            .iter()
            .any(|m| m.last_error.as_deref().is_some_and(|e| e.contains("SMTP")))
    );
    // Not due yet: nothing is tried.
    assert_eq!(
        sender.send_due(store, now()).expect("early"),
        Outcome::default()
    );

    sink.restart();
    let later = now() + TimeDelta::minutes(2);
    let outcome = sender.send_due(store, later).expect("send after restart");
    assert_eq!(
        outcome,
        Outcome {
            sent: 5,
            delayed: 0,
            failed: 0
        }
    );
    assert_eq!(sink.received().len(), 7);
    assert_eq!(count(store, MailStatus::Sent), 7);
    assert_eq!(count(store, MailStatus::Waiting), 0);
    let subjects: Vec<String> = sink
        .received()
        .iter()
        .filter_map(|r| r.header("Subject"))
        .collect();
    assert_eq!(subjects.len(), 7);

    // Sent messages hold addresses: they go after a while.
    let pruned = store
        .write(|c| Ok(outbox::prune(c, later + lieu_mail::KEPT)?))
        .expect("prune");
    assert_eq!(pruned, 7);
}

async fn an_address_that_is_not_one_is_given_up_and_can_be_tried_again(backend: Backend) {
    let app = TestApp::new(backend).await;
    let store = app.store();
    let memory = Arc::new(MemoryTransport::default());
    let sender = Sender::new(Transport::Memory(Arc::clone(&memory)), FROM).expect("sender");
    let ids = enqueue(
        store,
        &[mail(1, "pas une adresse"), mail(2, "asso@example.org")],
    );
    let outcome = sender.send_due(store, now()).expect("send");
    assert_eq!(
        outcome,
        Outcome {
            sent: 1,
            delayed: 0,
            failed: 1
        }
    );
    let failed = store
        .read(|c| Ok(outbox::by_id(c, ids[0])?))
        .expect("read")
        .expect("message");
    assert_eq!(failed.status(), Some(MailStatus::Failed));
    assert!(
        failed
            .last_error
            .is_some_and(|e| e.contains("pas une adresse"))
    );
    assert_eq!(memory.delivered().len(), 1);

    // An agent tries it again: it is due at once, and fails again.
    assert_eq!(
        store
            .write(|c| Ok(outbox::retry(c, ids[0], now())?))
            .expect("retry"),
        Some(true)
    );
    assert_eq!(
        store
            .write(|c| Ok(outbox::retry(c, ids[1], now())?))
            .expect("sent"),
        Some(false)
    );
    assert_eq!(
        store
            .write(|c| Ok(outbox::retry(c, 999_999, now())?))
            .expect("none"),
        None
    );
    assert_eq!(count(store, MailStatus::Waiting), 1);
    let outcome = sender.send_due(store, now()).expect("send");
    assert_eq!(outcome.failed, 1);

    // A server that keeps failing: each wait is longer, and the message is given up in the end.
    memory.refuse(true);
    enqueue(store, &[mail(3, "asso@example.org")]);
    let mut at = now();
    let mut waits = Vec::new();
    for _ in 0..lieu_mail::MAX_ATTEMPTS {
        let outcome = sender.send_due(store, at).expect("send");
        if outcome.failed == 1 {
            break;
        }
        assert_eq!(outcome.delayed, 1);
        let next = store
            .read(|c| Ok(outbox::page(c, Some(MailStatus::Waiting), None, 1)?))
            .expect("waiting")[0]
            .next_attempt_at;
        waits.push(next - at);
        at = next;
    }
    assert_eq!(
        waits.len(),
        usize::try_from(lieu_mail::MAX_ATTEMPTS - 1).expect("small")
    );
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
    assert_eq!(count(store, MailStatus::Failed), 2);
}

async fn two_senders_at_once_send_each_message_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let store = app.store().clone();
    enqueue(
        &store,
        &(0..60)
            .map(|n| mail(n, "asso@example.org"))
            .collect::<Vec<_>>(),
    );
    let memories: Vec<Arc<MemoryTransport>> = (0..2).map(|_| Arc::default()).collect();
    let threads: Vec<_> = memories
        .iter()
        .map(|memory| {
            let sender = Sender::new(Transport::Memory(Arc::clone(memory)), FROM).expect("sender");
            let store = store.clone();
            std::thread::spawn(move || sender.send_due(&store, now()).expect("send"))
        })
        .collect();
    let sent: usize = threads
        .into_iter()
        .map(|t| t.join().expect("sender thread").sent)
        .sum();
    assert_eq!(sent, 60);
    let mut subjects: Vec<String> = memories
        .iter()
        .flat_map(|m| m.delivered())
        .map(|d| d.subject)
        .collect();
    assert_eq!(subjects.len(), 60);
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 60, "no message twice");
    assert_eq!(count(&store, MailStatus::Sent), 60);
}

async fn the_file_transport_writes_one_eml_file_a_message(backend: Backend) {
    let app = TestApp::new(backend).await;
    let store = app.store();
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("mail");
    let sender = Sender::new(Transport::Files(folder.clone()), FROM).expect("sender");
    let ids = enqueue(
        store,
        &[mail(1, "asso@example.org"), mail(2, "mairie@example.org")],
    );
    assert_eq!(sender.send_due(store, now()).expect("send").sent, 2);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("file").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("{:08}-test.eml", ids[0]),
            format!("{:08}-test.eml", ids[1])
        ]
    );
    let text = std::fs::read_to_string(folder.join(&names[1])).expect("eml");
    assert!(text.contains("To: mairie@example.org"), "{text}");
    assert!(text.contains("multipart/alternative"));
}

async fn an_admin_sends_a_test_message_and_agents_follow_the_outbox(backend: Backend) {
    let app = TestApp::new(backend).await;
    let admin = app.logged_in(Role::Admin).await;
    let page = admin.get("/gestion/courriels").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Envoyer un courriel d’essai");
    page.assert_contains("Aucun courriel.");

    // A mistyped address: the form comes back with it and the reason, nothing is written.
    let refused = admin
        .post(
            "/gestion/courriels/essai",
            &[("to", "admin<script>@exemple")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Adresse e-mail non reconnue");
    refused.assert_contains("value=\"admin&lt;script&gt;@exemple\"");
    assert_eq!(count(app.store(), MailStatus::Waiting), 0);

    let sent = admin
        .post("/gestion/courriels/essai", &[("to", "admin@example.org")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    admin
        .get(sent.location().expect("back"))
        .await
        .assert_contains("Le courriel d’essai est prêt à partir");
    let delivered = app.send_mail();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].to, "admin@example.org");
    assert!(delivered[0].subject.starts_with("Courriel d’essai de "));
    assert!(delivered[0].raw.contains("multipart/alternative"));

    // The mail server goes down: an agent sees the message wait, with the error, and puts it
    // back once the server is up.
    app.mailbox.refuse(true);
    admin
        .post("/gestion/courriels/essai", &[("to", "mairie@example.org")])
        .await;
    assert_eq!(app.send_mail().len(), 1);
    let agent = app.logged_in(Role::Agent).await;
    let waiting = agent.get("/gestion/courriels?etat=en-attente").await;
    waiting.assert_contains("mairie@example.org");
    waiting.assert_contains("Dernière erreur");
    waiting.assert_contains("refuses");
    waiting.assert_contains("Réessayer maintenant");
    assert!(
        !waiting.body.contains("Envoyer un courriel d’essai"),
        "agents send no test"
    );
    assert!(
        !waiting.body.contains("admin@example.org"),
        "filtered: the sent one is not there"
    );
    app.mailbox.refuse(false);
    let id = waiting
        .body
        .split("/gestion/courriels/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("retry form")
        .to_owned();
    let retried = agent
        .post(
            &format!("/gestion/courriels/{id}/reessayer"),
            &[("etat", "en-attente")],
        )
        .await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    assert_eq!(
        retried.location(),
        Some("/gestion/courriels?fait=reessai&etat=en-attente")
    );
    let delivered = app.send_mail();
    assert_eq!(delivered.len(), 2);
    assert_eq!(delivered[1].to, "mairie@example.org");
    let again = agent
        .post(&format!("/gestion/courriels/{id}/reessayer"), &[])
        .await;
    assert_eq!(again.location(), Some("/gestion/courriels?fait=deja"));
    assert_eq!(
        agent
            .post("/gestion/courriels/999999/reessayer", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    agent
        .get("/gestion/courriels?etat=envoyes")
        .await
        .assert_contains("Envoyés (2)");
}

async fn the_outbox_pages_by_fifty_from_the_newest(backend: Backend) {
    let app = TestApp::new(backend).await;
    enqueue(
        app.store(),
        &(0..120)
            .map(|n| mail(n, "asso@example.org"))
            .collect::<Vec<_>>(),
    );
    let agent = app.logged_in(Role::Agent).await;
    let mut url = "/gestion/courriels".to_owned();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let page = agent.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        let numbers: Vec<usize> = page
            .body
            .split("Votre demande n° ")
            .skip(1)
            .filter_map(|s| s.split(' ').next()?.parse().ok())
            .collect();
        seen.extend(numbers);
        match page.body.split("rel=\"next\" href=\"").nth(1) {
            Some(rest) => url = lieu_tests::unescape(rest.split('"').next().expect("href")),
            None => break,
        }
    }
    let newest_first: Vec<usize> = (0..120).rev().collect();
    assert_eq!(seen, newest_first);
    // Addresses edited by hand: the first page, never an error.
    for odd in [
        "?avant=abc",
        "?etat=inconnu",
        "?avant=-5",
        "?avant=99999999999999",
    ] {
        assert_eq!(
            agent.get(&format!("/gestion/courriels{odd}")).await.status,
            StatusCode::OK,
            "{odd}"
        );
    }
}
