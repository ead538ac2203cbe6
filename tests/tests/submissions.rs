//! Submissions in the store (issue 9, first part): written with the messages that tell of
//! them or not at all; moved by the state machine with a check of their version, so that of
//! two agents deciding at once one wins and the other is told; corrected and withdrawn by
//! their sender; final once decided.

use lieu_core::Role;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::submission::{RejectReason, SubmissionStatus};
use lieu_store::mail::{MailStatus, NewMail};
use lieu_store::submissions::{
    self as subs, NewSubmission, QueueFilter, Refused, SenderContact, Submission,
};
use lieu_store::{Store, StoreError};
use lieu_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    a_submission_is_written_with_its_messages_or_not_at_all,
    of_two_agents_deciding_at_once_one_wins_and_the_other_is_told,
    the_sender_corrects_then_withdraws_and_a_decided_submission_is_final,
    approval_publishes_the_entry_once_whoever_approves_at_the_same_time,
    a_correction_approved_saves_a_new_revision_of_its_entry,
    the_queue_pages_oldest_first_with_no_row_twice_or_missing_and_filters,
    similar_finds_the_same_sender_or_title_among_open_submissions_only,
    the_purge_erases_only_old_refused_and_withdrawn_senders_once,
    approved_senders_are_reminded_once_per_delay_and_confirm_their_entry,
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
        ..NewMail::default()
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
        at: app.now(),
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

/// A submission of `kind` in `commune`, from `sender`, sent at `at`.
fn submit_as(
    app: &TestApp,
    f: &EntryForm,
    kind: Kind,
    sender: &SenderContact,
    token: &str,
    at: chrono::NaiveDateTime,
) -> Submission {
    let digest = lieu_core::auth::token_digest(token);
    app.store()
        .write(|c| {
            subs::create(
                c,
                &NewSubmission {
                    kind,
                    target_entry_id: None,
                    form: f,
                    sender,
                    token_digest: &digest,
                },
                &[],
                at,
            )
        })
        .expect("submitted")
}

fn queue_ids(app: &TestApp, filter: &QueueFilter, limit: i64) -> Vec<Vec<i32>> {
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = app
            .store()
            .read(|c| Ok(subs::queue(c, filter, after, limit)?))
            .expect("queue");
        if page.is_empty() {
            return pages;
        }
        after = page.last().map(|s| (s.created_at, s.id));
        pages.push(page.iter().map(|s| s.id).collect());
    }
}

/// Which submissions a filter should keep.
type Keep = Box<dyn Fn(&Submission) -> bool>;

async fn the_queue_pages_oldest_first_with_no_row_twice_or_missing_and_filters(backend: Backend) {
    let app = TestApp::new(backend).await;
    let agent = app.create_user("agent@example.org", "Agent", Role::Agent);
    let start = app.now() - chrono::TimeDelta::days(30);
    // 120 submissions, three sharing each instant, the last sent holding the oldest instants:
    // the queue's order is (created_at, id), not the order of the ids.
    let mut all = Vec::new();
    for i in 0..120_i64 {
        let mut f = form(&format!("Association {i}"));
        f.commune = if i % 4 == 0 { "79049" } else { "79901" }.into();
        let kind = if i % 3 == 0 {
            Kind::Event
        } else {
            Kind::Association
        };
        let at = start + chrono::TimeDelta::minutes((119 - i) / 3);
        let sub = submit_as(&app, &f, kind, &sender(), &format!("jeton-q{i}"), at);
        let sub = if i % 5 == 0 {
            app.store()
                .write(|c| subs::request_changes(c, sub.id, 1, "Précisez.", agent, &[], at))
                .expect("write")
                .expect("asked")
        } else if i % 11 == 0 {
            app.store()
                .write(|c| subs::reject(c, sub.id, 1, RejectReason::Other, "", agent, &[], at))
                .expect("write")
                .expect("refused")
        } else {
            sub
        };
        all.push(sub);
    }
    all.sort_by_key(|s| (s.created_at, s.id));
    let expected = |keep: &dyn Fn(&Submission) -> bool| -> Vec<i32> {
        all.iter().filter(|s| keep(s)).map(|s| s.id).collect()
    };
    let is_open = |s: &Submission| s.status().is_some_and(SubmissionStatus::is_open);

    // The open ones: 112, in three pages of 50, 50 and 12, each row once.
    let open = QueueFilter::default();
    let pages = queue_ids(&app, &open, 50);
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![50, 50, 12]
    );
    assert_eq!(pages.concat(), expected(&is_open));
    let count = |f: &QueueFilter| app.store().read(|c| Ok(subs::count(c, f)?)).expect("count");
    assert_eq!(count(&open), 112);
    assert_eq!(
        app.store()
            .read(|c| Ok(subs::count_waiting(c)?))
            .expect("count"),
        expected(&|s| s.status() == Some(SubmissionStatus::Waiting)).len() as i64
    );

    let filters: Vec<(QueueFilter, Keep)> = vec![
        (
            QueueFilter {
                kind: Some(Kind::Event),
                ..QueueFilter::default()
            },
            Box::new(move |s| is_open(s) && s.kind() == Some(Kind::Event)),
        ),
        (
            QueueFilter {
                commune: Some("79049".into()),
                ..QueueFilter::default()
            },
            Box::new(move |s| is_open(s) && s.commune_insee == "79049"),
        ),
        (
            QueueFilter {
                status: Some(SubmissionStatus::ChangesRequested),
                ..QueueFilter::default()
            },
            Box::new(|s| s.status() == Some(SubmissionStatus::ChangesRequested)),
        ),
        (
            QueueFilter {
                status: Some(SubmissionStatus::Rejected),
                kind: Some(Kind::Association),
                ..QueueFilter::default()
            },
            Box::new(|s| {
                s.status() == Some(SubmissionStatus::Rejected)
                    && s.kind() == Some(Kind::Association)
            }),
        ),
        (
            QueueFilter {
                created_before: Some(start + chrono::TimeDelta::minutes(10)),
                commune: Some("79901".into()),
                ..QueueFilter::default()
            },
            Box::new(move |s| {
                is_open(s)
                    && s.created_at < start + chrono::TimeDelta::minutes(10)
                    && s.commune_insee == "79901"
            }),
        ),
    ];
    for (filter, keep) in &filters {
        let want = expected(keep.as_ref());
        assert!(!want.is_empty(), "{filter:?} selects something");
        assert!(want.len() < 112, "{filter:?} leaves something out");
        assert_eq!(queue_ids(&app, filter, 7).concat(), want, "{filter:?}");
        assert_eq!(count(filter), want.len() as i64, "{filter:?}");
    }
}

async fn similar_finds_the_same_sender_or_title_among_open_submissions_only(backend: Backend) {
    let app = TestApp::new(backend).await;
    let agent = app.create_user("agent@example.org", "Agent", Role::Agent);
    let now = app.now();
    let person = |email: &str, phone: &str| SenderContact {
        name: "Quelqu’un".into(),
        organisation: String::new(),
        email: email.into(),
        phone: phone.into(),
    };
    let at = |minutes: i64| now + chrono::TimeDelta::minutes(minutes);
    let of = submit_as(
        &app,
        &form("Club de Lecture"),
        Kind::Association,
        &person("lire@example.org", "05 49 00 00 01"),
        "jeton-of",
        at(0),
    );
    let same_title = submit_as(
        &app,
        &form("  CLUB DE LECTURE "),
        Kind::Association,
        &person("autre@example.org", ""),
        "jeton-t",
        at(1),
    );
    let same_email = submit_as(
        &app,
        &form("Bibliothèque"),
        Kind::Association,
        &person("lire@example.org", ""),
        "jeton-e",
        at(2),
    );
    let same_phone = submit_as(
        &app,
        &form("Atelier d’écriture"),
        Kind::Event,
        &person("ecrire@example.org", "05 49 00 00 01"),
        "jeton-p",
        at(3),
    );
    let unrelated = submit_as(
        &app,
        &form("Club de lecture junior"),
        Kind::Association,
        &person("junior@example.org", "05 49 00 00 02"),
        "jeton-u",
        at(4),
    );
    let refused = submit_as(
        &app,
        &form("club de lecture"),
        Kind::Association,
        &person("lire@example.org", "05 49 00 00 01"),
        "jeton-r",
        at(5),
    );
    app.store()
        .write(|c| {
            subs::reject(
                c,
                refused.id,
                1,
                RejectReason::Duplicate,
                "",
                agent,
                &[],
                now,
            )
        })
        .expect("write")
        .expect("refused");
    let similar = |of: &Submission, limit: i64| -> Vec<i32> {
        app.store()
            .read(|c| Ok(subs::similar(c, of, limit)?))
            .expect("similar")
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    // Newest first; neither the unrelated one, nor the refused one, nor itself.
    assert_eq!(
        similar(&of, 10),
        vec![same_phone.id, same_email.id, same_title.id]
    );
    assert_eq!(similar(&of, 2), vec![same_phone.id, same_email.id]);
    // An empty phone is no likeness: `same_title` shares only that with `same_email`.
    assert_eq!(similar(&same_title, 10), vec![of.id]);
    assert!(similar(&unrelated, 10).is_empty());
}

/// The form as sent, with the contact fields the purge must erase.
fn form_with_contact(title: &str) -> EntryForm {
    EntryForm {
        contact_name: "Jeanne Dupré".into(),
        email: "contact@example.org".into(),
        phone: "05 49 00 00 00".into(),
        ..form(title)
    }
}

async fn the_purge_erases_only_old_refused_and_withdrawn_senders_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = agent_author(&app, "agent@example.org");
    let agent_id = agent.id.expect("id");
    let (now, today) = (app.now(), app.today());
    let old = now - chrono::TimeDelta::days(400);
    let recent = now - chrono::TimeDelta::days(10);
    let before = now - chrono::TimeDelta::days(365);
    let send = |title: &str, token: &str| {
        submit_as(
            &app,
            &form_with_contact(title),
            Kind::Association,
            &sender(),
            token,
            old,
        )
    };
    let refused_old = send("Refusée il y a longtemps", "jeton-ro");
    app.store()
        .write(|c| {
            subs::reject(
                c,
                refused_old.id,
                1,
                RejectReason::Other,
                "",
                agent_id,
                &[],
                old,
            )
        })
        .expect("write")
        .expect("refused");
    let withdrawn_old = send("Retirée il y a longtemps", "jeton-wo");
    app.store()
        .write(|c| subs::withdraw(c, withdrawn_old.id, 1, &[], old))
        .expect("write")
        .expect("withdrawn");
    let refused_recent = send("Refusée récemment", "jeton-rr");
    app.store()
        .write(|c| {
            subs::reject(
                c,
                refused_recent.id,
                1,
                RejectReason::Other,
                "",
                agent_id,
                &[],
                recent,
            )
        })
        .expect("write")
        .expect("refused");
    let approved_old = send("Publiée il y a longtemps", "jeton-ao");
    app.store()
        .write(|c| {
            subs::approve(
                c,
                approved_old.id,
                1,
                None,
                None,
                &agent,
                SUMMARY,
                today,
                old,
                |_| vec![],
            )
        })
        .expect("write")
        .expect("approved");
    let waiting_old = send("En attente depuis longtemps", "jeton-eo");

    let purge = || {
        app.store()
            .write(|c| subs::purge(c, before, now))
            .expect("purge")
    };
    assert_eq!(purge(), 2);
    let get = |id: i32| {
        app.store()
            .read(|c| Ok(subs::by_id(c, id)?))
            .expect("read")
            .expect("kept")
    };
    for (erased, token, status) in [
        (&refused_old, "jeton-ro", "rejected"),
        (&withdrawn_old, "jeton-wo", "withdrawn"),
    ] {
        let now_stored = get(erased.id);
        assert_eq!(
            (
                now_stored.sender_name.as_str(),
                now_stored.sender_organisation.as_str(),
                now_stored.sender_email.as_str(),
                now_stored.sender_phone.as_str()
            ),
            ("", "", "", "")
        );
        let fields = now_stored.form().expect("fields");
        assert_eq!(
            (
                fields.contact_name.as_str(),
                fields.email.as_str(),
                fields.phone.as_str()
            ),
            ("", "", "")
        );
        assert_eq!(fields.title, erased.title, "what was proposed stays");
        assert_eq!(now_stored.sender_erased_at, Some(now));
        assert_eq!(now_stored.status, status, "the purge changes no status");
        let digest = lieu_core::auth::token_digest(token);
        assert!(
            app.store()
                .read(|c| Ok(subs::by_token(c, &digest)?))
                .expect("read")
                .is_none(),
            "the private link no longer opens it"
        );
    }
    for kept in [&refused_recent, &approved_old, &waiting_old] {
        let now_stored = get(kept.id);
        assert_eq!(now_stored.sender_email, "jeanne@example.org");
        assert_eq!(
            now_stored.form().expect("fields").email,
            "contact@example.org"
        );
        assert_eq!(now_stored.sender_erased_at, None);
    }
    // Run again: nothing left to erase, and a row in the log for each run.
    assert_eq!(purge(), 0);
    let purges: Vec<String> = app
        .store()
        .read(|c| {
            use diesel::prelude::*;
            use lieu_store::schema::audit_log;
            Ok(audit_log::table
                .filter(audit_log::action.eq("submission.purged"))
                .order(audit_log::id.asc())
                .select(audit_log::detail)
                .load(c)?)
        })
        .expect("audit");
    assert_eq!(purges, vec!["2".to_owned(), "0".to_owned()]);
}

async fn approved_senders_are_reminded_once_per_delay_and_confirm_their_entry(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = agent_author(&app, "agent@example.org");
    let (now, today) = (app.now(), app.today());
    let long_ago = now - chrono::TimeDelta::days(200);
    let half_year = chrono::TimeDelta::days(180);
    let approve = |sub: &Submission, at| {
        app.store()
            .write(|c| {
                subs::approve(
                    c,
                    sub.id,
                    1,
                    None,
                    None,
                    &agent,
                    SUMMARY,
                    today,
                    at,
                    |_| vec![],
                )
            })
            .expect("write")
            .expect("approved")
    };
    let send = |title: &str, token: &str| {
        submit_as(
            &app,
            &form(title),
            Kind::Association,
            &sender(),
            token,
            long_ago,
        )
    };
    // Verified 200 days ago, then corrected through a second submission (the entry stays
    // unverified since): only the sender of the correction is asked.
    let first = send("Club de lecture", "jeton-1");
    let entry = approve(&first, long_ago).entry;
    let digest = lieu_core::auth::token_digest("jeton-2");
    let (f, s) = (form("Club de lecture"), sender());
    let correction = app
        .store()
        .write(|c| {
            subs::create(
                c,
                &NewSubmission {
                    kind: Kind::Association,
                    target_entry_id: Some(entry.id),
                    form: &f,
                    sender: &s,
                    token_digest: &digest,
                },
                &[],
                long_ago,
            )
        })
        .expect("correction");
    approve(&correction, long_ago);
    // Archived: not due, however old.
    let archived = approve(&send("Chorale dissoute", "jeton-3"), long_ago).entry;
    app.store()
        .write(|c| {
            lieu_store::directory::set_status(
                c,
                archived.id,
                lieu_core::entry::Status::Archived,
                &lieu_store::directory::StatusChange {
                    author: &agent,
                    summary: SUMMARY,
                    now: long_ago,
                },
            )
        })
        .expect("archive");
    // Verified ten days ago: not due yet.
    let recent_sub = send("Atelier vélo", "jeton-4");
    let recent = (
        recent_sub.id,
        approve(&recent_sub, now - chrono::TimeDelta::days(10))
            .entry
            .id,
    );
    // Refused: no entry, never due.
    let refused = send("Hors territoire", "jeton-5");
    app.store()
        .write(|c| {
            subs::reject(
                c,
                refused.id,
                1,
                RejectReason::OutsideTerritory,
                "",
                agent.id.expect("id"),
                &[],
                now,
            )
        })
        .expect("write")
        .expect("refused");

    let due = |at: chrono::NaiveDateTime| -> Vec<(i32, i32)> {
        app.store()
            .read(|c| Ok(subs::due_reminders(c, at - half_year, at - half_year, 10)?))
            .expect("due")
            .into_iter()
            .map(|(s, e)| (s.id, e.id))
            .collect()
    };
    assert_eq!(due(now), vec![(correction.id, entry.id)]);

    let before = mails_waiting(app.store());
    app.store()
        .write(|c| {
            subs::mark_reminded(
                c,
                correction.id,
                &message("jeanne@example.org", "Votre fiche est-elle à jour ?"),
                now,
            )
        })
        .expect("reminded");
    assert_eq!(
        mails_waiting(app.store()),
        before + 1,
        "the message is enqueued"
    );
    assert_eq!(get_submission(&app, correction.id).reminded_at, Some(now));
    // Not due again until the delay has passed since the reminder.
    assert!(due(now).is_empty());
    assert!(due(now + chrono::TimeDelta::days(100)).is_empty());
    assert_eq!(
        due(now + chrono::TimeDelta::days(181)),
        vec![(correction.id, entry.id), recent],
        "oldest verified first"
    );
    assert!(matches!(
        app.store()
            .write(|c| subs::mark_reminded(c, 999_999, &message("x@example.org", "?"), now)),
        Err(StoreError::NotFound)
    ));

    // The sender answers: the entry is verified now, and the log says by whom.
    let answered = now + chrono::TimeDelta::days(1);
    let confirmed = app
        .store()
        .write(|c| subs::confirm_still_valid(c, correction.id, answered))
        .expect("confirmed");
    assert_eq!(confirmed.id, entry.id);
    assert_eq!(confirmed.verified_at, answered);
    let logged: Vec<(String, String)> = app
        .store()
        .read(|c| {
            use diesel::prelude::*;
            use lieu_store::schema::audit_log;
            Ok(audit_log::table
                .filter(audit_log::action.eq("entry.verify_by_sender"))
                .select((audit_log::target, audit_log::detail))
                .load(c)?)
        })
        .expect("audit");
    assert_eq!(
        logged,
        vec![(entry.slug.clone(), format!("submission:{}", correction.id))]
    );
    // Verified: not due even once the reminder is old.
    assert_eq!(due(now + chrono::TimeDelta::days(181)), vec![recent]);
    assert_eq!(
        due(answered + chrono::TimeDelta::days(181)),
        vec![recent, (correction.id, entry.id)]
    );

    // Only an approved submission with its entry can confirm it.
    let waiting = send("Encore en attente", "jeton-6");
    for id in [refused.id, waiting.id, 999_999] {
        assert!(
            matches!(
                app.store()
                    .write(|c| subs::confirm_still_valid(c, id, answered)),
                Err(StoreError::NotFound)
            ),
            "{id}"
        );
    }
}

fn get_submission(app: &TestApp, id: i32) -> Submission {
    app.store()
        .read(|c| Ok(subs::by_id(c, id)?))
        .expect("read")
        .expect("there")
}
