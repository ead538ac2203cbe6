//! Submissions in the store (issue 9, first part): written with the messages that tell of
//! them or not at all; moved by the state machine with a check of their version, so that of
//! two agents deciding at once one wins and the other is told; corrected and withdrawn by
//! their sender; final once decided.

use lieu_core::Role;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::submission::{RejectReason, SubmissionStatus};
use lieu_store::mail::{MailStatus, NewMail};
use lieu_store::submissions::{self as subs, NewSubmission, Refused, SenderContact, Submission};
use lieu_store::{Store, StoreError};
use lieu_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    a_submission_is_written_with_its_messages_or_not_at_all,
    of_two_agents_deciding_at_once_one_wins_and_the_other_is_told,
    the_sender_corrects_then_withdraws_and_a_decided_submission_is_final,
    approval_publishes_the_entry_once_whoever_approves_at_the_same_time,
    a_correction_approved_saves_a_new_revision_of_its_entry,
);

fn form(title: &str) -> EntryForm {
    EntryForm {
        title: title.into(),
        commune: "79901".into(),
        summary: "Des ateliers de couture le mardi soir.".into(),
        ..EntryForm::default()
    }
}

fn sender() -> SenderContact {
    SenderContact {
        name: "Jeanne Dupré".into(),
        organisation: "Les Fils d’Aubin".into(),
        email: "jeanne@example.org".into(),
        phone: String::new(),
    }
}

fn message(to: &str, subject: &str) -> NewMail {
    NewMail {
        template: "received".into(),
        to: to.into(),
        subject: subject.into(),
        text: subject.into(),
        html: format!("<p>{subject}</p>"),
    }
}

fn submit(app: &TestApp, title: &str, token: &str) -> Result<Submission, StoreError> {
    let (f, s) = (form(title), sender());
    let digest = lieu_core::auth::token_digest(token);
    app.store().write(|c| {
        subs::create(
            c,
            &NewSubmission {
                kind: Kind::Association,
                target_entry_id: None,
                form: &f,
                sender: &s,
                token_digest: &digest,
            },
            &[
                message("jeanne@example.org", "Demande reçue"),
                message("accueil@example.org", "Nouvelle demande"),
            ],
            app.now(),
        )
    })
}

fn mails_waiting(store: &Store) -> i64 {
    store
        .read(|c| Ok(lieu_store::mail::counts(c)?))
        .expect("counts")
        .into_iter()
        .find(|(s, _)| *s == MailStatus::Waiting)
        .map_or(0, |(_, n)| n)
}

async fn a_submission_is_written_with_its_messages_or_not_at_all(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let created = submit(&app, "Les Fils d’Aubin", "jeton-un").expect("submitted");
    assert_eq!(created.status(), Some(SubmissionStatus::Waiting));
    assert_eq!(created.version, 1);
    assert_eq!(created.form().expect("fields").title, "Les Fils d’Aubin");
    assert_eq!(created.sender_email, "jeanne@example.org");
    assert_eq!(mails_waiting(app.store()), 2);
    // Found by the digest of its private link, never by the link itself.
    let digest = lieu_core::auth::token_digest("jeton-un");
    let found = app
        .store()
        .read(|c| Ok(subs::by_token(c, &digest)?))
        .expect("read");
    assert_eq!(found.map(|s| s.id), Some(created.id));
    assert!(
        app.store()
            .read(|c| Ok(subs::by_token(c, "jeton-un")?))
            .expect("read")
            .is_none()
    );

    // A transaction that fails (here: the same token twice) leaves neither the submission nor
    // its messages behind.
    assert!(submit(&app, "Autre association", "jeton-un").is_err());
    assert_eq!(mails_waiting(app.store()), 2);
}

async fn of_two_agents_deciding_at_once_one_wins_and_the_other_is_told(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let alice = app.create_user("alice@example.org", "Alice", Role::Agent);
    let bruno = app.create_user("bruno@example.org", "Bruno", Role::Agent);
    let now = app.now();

    // Both opened version 1; Alice asks for changes first, Bruno's refusal is refused.
    let sub = submit(&app, "Club de pétanque", "jeton-a").expect("submitted");
    let asked = app
        .store()
        .write(|c| subs::request_changes(c, sub.id, 1, "Ajoutez vos horaires.", alice, &[], now))
        .expect("write")
        .expect("Alice first");
    assert_eq!(asked.status(), Some(SubmissionStatus::ChangesRequested));
    assert_eq!(asked.version, 2);
    assert_eq!(asked.decision_message, "Ajoutez vos horaires.");
    let late = app
        .store()
        .write(|c| {
            subs::reject(
                c,
                sub.id,
                1,
                RejectReason::Duplicate,
                "",
                bruno,
                &[message("x@example.org", "Refus")],
                now,
            )
        })
        .expect("write");
    match late {
        Err(Refused::Stale(current)) => {
            assert_eq!(current.status(), Some(SubmissionStatus::ChangesRequested));
            assert_eq!(current.decided_by, Some(alice.0));
        }
        other => panic!("Bruno must be told: {other:?}"),
    }
    assert_eq!(
        mails_waiting(app.store()),
        2,
        "the late refusal sent nothing"
    );

    // At the same moment, for real: threads on their own connections, one winner.
    for round in 0..5 {
        let sub = submit(&app, &format!("Chorale {round}"), &format!("jeton-{round}"))
            .expect("submitted");
        let outcomes: Vec<bool> = std::thread::scope(|scope| {
            let store = app.store();
            let handles: Vec<_> = [alice, bruno]
                .into_iter()
                .enumerate()
                .map(|(i, agent)| {
                    scope.spawn(move || {
                        store
                            .write(|c| {
                                if i == 0 {
                                    subs::request_changes(
                                        c,
                                        sub.id,
                                        1,
                                        "Précisez.",
                                        agent,
                                        &[],
                                        now,
                                    )
                                } else {
                                    subs::reject(
                                        c,
                                        sub.id,
                                        1,
                                        RejectReason::Other,
                                        "Non.",
                                        agent,
                                        &[],
                                        now,
                                    )
                                }
                            })
                            .expect("write")
                            .is_ok()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        assert_eq!(
            outcomes.iter().filter(|won| **won).count(),
            1,
            "round {round}: {outcomes:?}"
        );
        let after = app
            .store()
            .read(|c| Ok(subs::by_id(c, sub.id)?))
            .expect("read")
            .expect("there");
        assert_eq!(after.version, 2);
    }
    let audit: i64 = app
        .store()
        .read(|c| {
            use diesel::prelude::*;
            use lieu_store::schema::audit_log;
            Ok(audit_log::table
                .filter(audit_log::target.like("submission:%"))
                .count()
                .get_result(c)?)
        })
        .expect("audit");
    assert_eq!(
        audit, 6,
        "one audit row per decision taken, none for those refused"
    );
}

async fn the_sender_corrects_then_withdraws_and_a_decided_submission_is_final(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.create_user("agent@example.org", "Agent", Role::Agent);
    let now = app.now();
    let sub = submit(&app, "Atelier vélo", "jeton-v").expect("submitted");
    app.store()
        .write(|c| subs::request_changes(c, sub.id, 1, "Le jour ?", agent, &[], now))
        .expect("write")
        .expect("asked");
    let mut fixed = form("Atelier vélo solidaire");
    fixed.description = "Le samedi matin, au garage municipal.".into();
    let corrected = app
        .store()
        .write(|c| {
            subs::correct(
                c,
                sub.id,
                2,
                &fixed,
                &[message("accueil@example.org", "Corrigée")],
                now,
            )
        })
        .expect("write")
        .expect("corrected");
    assert_eq!(corrected.status(), Some(SubmissionStatus::Waiting));
    assert_eq!(corrected.version, 3);
    assert_eq!(corrected.title, "Atelier vélo solidaire");
    assert_eq!(
        corrected.form().expect("fields").description,
        "Le samedi matin, au garage municipal."
    );
    let withdrawn = app
        .store()
        .write(|c| subs::withdraw(c, sub.id, 3, &[], now))
        .expect("write")
        .expect("withdrawn");
    assert_eq!(withdrawn.status(), Some(SubmissionStatus::Withdrawn));
    assert!(
        withdrawn
            .status()
            .is_some_and(SubmissionStatus::erases_sender)
    );

    // Final: nobody moves it again, whatever version they name.
    for version in [3, 4] {
        let again = app
            .store()
            .write(|c| subs::request_changes(c, sub.id, version, "Encore ?", agent, &[], now))
            .expect("write");
        assert!(matches!(again, Err(Refused::Closed(_))), "{again:?}");
        let again = app
            .store()
            .write(|c| subs::correct(c, sub.id, version, &fixed, &[], now))
            .expect("write");
        assert!(matches!(again, Err(Refused::Closed(_))), "{again:?}");
    }
    assert!(matches!(
        app.store()
            .write(|c| subs::withdraw(c, 999_999, 1, &[], now)),
        Err(StoreError::NotFound)
    ));
}

const SUMMARY: &str = "Fiche proposée par le formulaire de référencement";

fn agent_author(app: &TestApp, email: &str) -> lieu_store::wiki::Author {
    lieu_store::wiki::Author {
        id: Some(app.create_user(email, "Agent", Role::Agent)),
        name: "Agent".into(),
    }
}

async fn approval_publishes_the_entry_once_whoever_approves_at_the_same_time(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let (alice, bruno) = (
        agent_author(&app, "alice@example.org"),
        agent_author(&app, "bruno@example.org"),
    );
    let (now, today) = (app.now(), app.today());

    // Fields that no longer pass (a commune outside the territory): nothing at all happens.
    let sub = submit(&app, "Les Fils d’Aubin", "jeton-f").expect("submitted");
    let mut wrong = form("Les Fils d’Aubin");
    wrong.commune = "99999".into();
    let refused = app.store().write(|c| {
        subs::approve(
            c,
            sub.id,
            1,
            Some(&wrong),
            None,
            &alice,
            SUMMARY,
            today,
            now,
            |_| vec![message("jeanne@example.org", "Publiée")],
        )
    });
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    let still = app
        .store()
        .read(|c| Ok(subs::by_id(c, sub.id)?))
        .expect("read")
        .expect("there");
    assert_eq!(
        (still.status(), still.version),
        (Some(SubmissionStatus::Waiting), 1)
    );
    assert_eq!(mails_waiting(app.store()), 2);

    // Two agents approve at once: one entry, one approval, one « published » message.
    let outcomes: Vec<bool> = std::thread::scope(|scope| {
        let store = app.store();
        let handles: Vec<_> = [&alice, &bruno]
            .into_iter()
            .map(|agent| {
                scope.spawn(move || {
                    store
                        .write(|c| {
                            subs::approve(
                                c,
                                sub.id,
                                1,
                                None,
                                None,
                                agent,
                                SUMMARY,
                                today,
                                now,
                                |entry| {
                                    vec![message(
                                        "jeanne@example.org",
                                        &format!("Publiée : {}", entry.slug),
                                    )]
                                },
                            )
                        })
                        .expect("write")
                        .is_ok()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(
        outcomes.iter().filter(|won| **won).count(),
        1,
        "{outcomes:?}"
    );
    let approved = app
        .store()
        .read(|c| Ok(subs::by_id(c, sub.id)?))
        .expect("read")
        .expect("there");
    assert_eq!(approved.status(), Some(SubmissionStatus::Approved));
    let entry_id = approved.entry_id.expect("the entry");
    let entry = app
        .store()
        .read(|c| Ok(lieu_store::models::entries::by_id(c, entry_id)?))
        .expect("read")
        .expect("entry");
    assert_eq!(entry.title, "Les Fils d’Aubin");
    assert_eq!(entry.status, "published");
    let same_title: i64 = app
        .store()
        .read(|c| {
            use diesel::prelude::*;
            use lieu_store::schema::entries;
            Ok(entries::table
                .filter(entries::title.eq("Les Fils d’Aubin"))
                .count()
                .get_result(c)?)
        })
        .expect("count");
    assert_eq!(same_title, 1);
    assert_eq!(mails_waiting(app.store()), 3, "one « published » message");

    // A resident finds it: the approval wrote its row of the index outbox.
    app.drain_index();
    let page = app.browser().get("/recherche?q=fils+aubin").await;
    page.assert_contains("Les Fils d’Aubin");
}

async fn a_correction_approved_saves_a_new_revision_of_its_entry(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = agent_author(&app, "agent@example.org");
    let (now, today) = (app.now(), app.today());
    // An entry, published by an agent, then a correction proposed for it.
    let first = submit(&app, "Club de lecture", "jeton-c").expect("submitted");
    let published = app
        .store()
        .write(|c| {
            subs::approve(
                c,
                first.id,
                1,
                None,
                None,
                &agent,
                SUMMARY,
                today,
                now,
                |_| vec![],
            )
        })
        .expect("write")
        .expect("approved")
        .entry;
    let mut corrected = form("Club de lecture");
    corrected.summary = "Le club se retrouve désormais le jeudi.".into();
    let (f, s) = (corrected.clone(), sender());
    let digest = lieu_core::auth::token_digest("jeton-c2");
    let correction = app
        .store()
        .write(|c| {
            subs::create(
                c,
                &NewSubmission {
                    kind: Kind::Association,
                    target_entry_id: Some(published.id),
                    form: &f,
                    sender: &s,
                    token_digest: &digest,
                },
                &[],
                now,
            )
        })
        .expect("correction");
    // The entry was edited since the agent compared (revision 1): the approval is undone.
    let stale = app.store().write(|c| {
        subs::approve(
            c,
            correction.id,
            1,
            None,
            Some(0),
            &agent,
            SUMMARY,
            today,
            now,
            |_| vec![],
        )
    });
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let saved = app
        .store()
        .write(|c| {
            subs::approve(
                c,
                correction.id,
                1,
                None,
                Some(published.revision_number),
                &agent,
                SUMMARY,
                today,
                now,
                |_| vec![],
            )
        })
        .expect("write")
        .expect("approved")
        .entry;
    assert_eq!(saved.id, published.id);
    assert_eq!(saved.revision_number, published.revision_number + 1);
    assert_eq!(saved.summary, "Le club se retrouve désormais le jeudi.");
}
