//! Notifications of the exchange space: a mention is mailed over SMTP with its one-click
//! unsubscribe headers; a daily digest groups several; `none` sends nothing; a post hidden
//! before the mail job runs is never mailed; the unsubscribe link works in one click and a
//! wrong key does nothing; the notifications page pages by thirty and the menu counts the
//! unread ones; following and no longer following.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::exchange::{NotificationKind, NotifyMail, Subject, ThreadKind};
use lieu_core::{Role, UserId};
use lieu_mail::{Sender, SmtpSettings, TlsMode, Transport};
use lieu_store::exchange::{self, Decision, Post, Thread};
use lieu_store::models::users::{self, User};
use lieu_store::notifications::{self, Target};
use lieu_tests::smtp::SmtpSink;
use lieu_tests::{Backend, PASSWORD, TestApp, on_both_backends};
use std::time::Duration;

on_both_backends!(
    a_mention_is_mailed_over_smtp_with_the_unsubscribe_headers,
    a_daily_digest_groups_several_and_none_sends_nothing,
    a_post_hidden_before_the_mail_job_runs_is_never_mailed,
    the_unsubscribe_link_works_in_one_click_and_a_wrong_key_does_nothing,
    the_notifications_page_pages_and_the_menu_counts_the_unread,
    one_follows_and_stops_following_threads_and_categories,
    a_mention_added_by_an_edit_is_told_once,
);

fn start_time() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

async fn app(backend: Backend) -> TestApp {
    TestApp::new(backend).await.fixed_at(start_time())
}

fn user(app: &TestApp, id: UserId) -> User {
    app.store()
        .read(|c| Ok(users::by_id(c, id)?))
        .expect("read the user")
        .expect("the user")
}

/// A team account (trusted: its posts go out at once), and its `@name`.
fn person(app: &TestApp, email: &str, name: &str, role: Role) -> (UserId, String) {
    let id = app.create_user(email, name, role);
    let handle = user(app, id).handle.expect("a handle");
    (id, handle)
}

/// A thread of the first category, started by `author`.
fn start(app: &TestApp, author: UserId, title: &str, body: &str) -> (Thread, Post) {
    let author = user(app, author);
    let now = app.now();
    app.store()
        .write(|c| {
            exchange::start_thread(
                c,
                &author,
                Subject::Category(1),
                title,
                ThreadKind::Question,
                body,
                now,
            )
        })
        .expect("start a thread")
}

fn reply(app: &TestApp, author: UserId, thread: &Thread, body: &str) -> Post {
    let author = user(app, author);
    let now = app.now();
    app.store()
        .write(|c| exchange::reply(c, &author, thread.thread_id(), body, None, false, now))
        .expect("reply")
}

/// What the server's job does every minute; returns how many messages it wrote.
fn mail_job(app: &TestApp) -> usize {
    lieu_web::housekeeping::mail_notifications(app.store(), &app.state.config, app.now())
        .expect("the notification mail job")
}

fn set_mode(app: &TestApp, id: UserId, mode: NotifyMail) {
    app.store()
        .write(|c| notifications::set_notify_mail(c, id, mode))
        .expect("set the mail preference");
}

fn unmailed(app: &TestApp, id: UserId) -> usize {
    app.store()
        .read(|c| notifications::pending_of(c, id, 1000))
        .expect("pending notifications")
        .len()
}

/// The address of a raw message's `List-Unsubscribe` header.
fn unsubscribe_link(raw: &str) -> String {
    let line = raw
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe:"))
        .unwrap_or_else(|| panic!("a List-Unsubscribe header in {raw}"));
    line.split('<')
        .nth(1)
        .and_then(|s| s.split('>').next())
        .expect("an address in <>")
        .to_owned()
}

async fn a_mention_is_mailed_over_smtp_with_the_unsubscribe_headers(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@example.org", "Agnès Agent", Role::Agent);
    let (editor, handle) = person(&app, "eric@example.org", "Éric Éditeur", Role::Editor);
    // A member who never confirmed their address may have typed a stranger's: not mailed.
    let (member, member_handle) = person(&app, "inconnu@example.org", "Mona Membre", Role::Member);
    let (thread, post) = start(
        &app,
        agent,
        "Renouveler une carte grise",
        &format!(
            "Bonjour @{handle}, pouvez-vous compléter la page sur la carte grise ? Et @{member_handle} ?"
        ),
    );
    assert_eq!(mail_job(&app), 1);
    assert_eq!(unmailed(&app, member), 0);
    // Once written, a notification is not mailed again.
    assert_eq!(mail_job(&app), 0);
    assert_eq!(unmailed(&app, editor), 0);

    let sink = SmtpSink::start();
    let sender = Sender::new(
        Transport::smtp(&SmtpSettings {
            host: "127.0.0.1".into(),
            port: sink.port(),
            tls: TlsMode::None,
            username: String::new(),
            password: String::new(),
            timeout: Duration::from_secs(5),
        })
        .expect("SMTP transport"),
        "Lieu partagé <ne-pas-repondre@lieu.test>",
    )
    .expect("sender");
    let outcome = sender.send_due(app.store(), app.now()).expect("send");
    assert_eq!(outcome.sent, 1);
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!(message.to, ["eric@example.org"]);
    let key = user(&app, editor).mail_key;
    assert_eq!(key.len(), 64, "a key made with the first message");
    let link = format!(
        "{}/desabonnement/{}/{key}",
        app.state.config.base_url, editor.0
    );
    assert_eq!(
        message.header("List-Unsubscribe").as_deref(),
        Some(format!("<{link}>").as_str())
    );
    assert_eq!(
        message.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let text = message.text();
    assert!(text.contains("Agnès Agent vous a mentionné"), "{text}");
    assert!(text.contains("Renouveler une carte grise"), "{text}");
    assert!(text.contains("> Bonjour @"), "the post is quoted: {text}");
    assert!(
        text.contains(&format!(
            "/echanges/sujet/{}?message={}#message-{}",
            thread.id, post.id, post.id
        )),
        "{text}"
    );
    assert!(text.contains(&link), "{text}");
}

async fn a_daily_digest_groups_several_and_none_sends_nothing(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@example.org", "Agnès Agent", Role::Agent);
    let (daily, daily_handle) = person(&app, "daily@example.org", "Denise Daily", Role::Editor);
    let (quiet, quiet_handle) = person(&app, "quiet@example.org", "Quentin Quiet", Role::Editor);
    // The daily reader chooses on their account page.
    let browser = app.browser();
    browser.login("daily@example.org", PASSWORD).await;
    let res = browser
        .post("/compte/notifications", &[("notify_mail", "daily")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let account = browser
        .get(res.location().expect("back to the account"))
        .await;
    account.assert_contains("Votre choix de courriels est enregistré.");
    account.assert_contains("value=\"daily\" checked");
    let unknown = browser
        .post("/compte/notifications", &[("notify_mail", "weekly")])
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    set_mode(&app, quiet, NotifyMail::None);

    let mentions = format!("Bonjour @{daily_handle} et @{quiet_handle}.");
    let (thread, _) = start(&app, agent, "Horaires de la mairie", &mentions);
    reply(&app, agent, &thread, &format!("Encore vous, {mentions}"));
    reply(
        &app,
        agent,
        &thread,
        &format!("Et une dernière fois : {mentions}"),
    );
    assert_eq!(mail_job(&app), 1, "one digest");
    let mail = app.send_mail();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].to, "daily@example.org");
    assert!(
        mail[0].subject.contains("3 notifications"),
        "{}",
        mail[0].subject
    );
    assert_eq!(mail[0].text.matches("vous a mentionné").count(), 3);
    assert!(
        mail[0].raw.contains("List-Unsubscribe: <http"),
        "{}",
        mail[0].raw
    );

    // Within the day, the next mention waits for tomorrow's digest.
    app.set_now(start_time() + TimeDelta::hours(2));
    reply(&app, agent, &thread, &format!("Demain ? {mentions}"));
    assert_eq!(mail_job(&app), 0);
    assert_eq!(unmailed(&app, daily), 1);
    app.set_now(start_time() + TimeDelta::hours(25));
    assert_eq!(mail_job(&app), 1);
    let mail = app.send_mail();
    assert_eq!(mail.len(), 2);
    assert!(
        mail[1].subject.contains("1 notification"),
        "{}",
        mail[1].subject
    );
    // The person who chose no e-mail got none, and still sees their notifications.
    assert!(mail.iter().all(|m| m.to != "quiet@example.org"));
    assert_eq!(unmailed(&app, quiet), 0);
    let listed = app
        .store()
        .read(|c| notifications::listed_page(c, quiet, None, 10))
        .expect("notifications");
    assert_eq!(listed.len(), 4);
}

async fn a_post_hidden_before_the_mail_job_runs_is_never_mailed(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@example.org", "Agnès Agent", Role::Agent);
    let (_, handle) = person(&app, "eric@example.org", "Éric Éditeur", Role::Editor);
    let (other, _) = person(&app, "autre@example.org", "Autre Agent", Role::Agent);
    let (thread, _) = start(&app, agent, "Aide aux devoirs", "Qui peut aider ?");
    let post = reply(
        &app,
        other,
        &thread,
        &format!("@{handle} voici mon numéro personnel : 06 00 00 00 00"),
    );
    let moderator = user(&app, agent);
    let now = app.now();
    app.store()
        .write(|c| {
            exchange::decide(
                c,
                &moderator,
                post.post_id(),
                Decision::Hide,
                "données personnelles",
                now,
            )
        })
        .expect("hide the post");
    // The author is told their post was hidden (no words of it); the mention goes nowhere.
    assert_eq!(mail_job(&app), 1);
    let mail = app.send_mail();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].to, "autre@example.org");
    assert!(!mail[0].text.contains("06 00"), "{}", mail[0].text);
    assert!(!mail[0].html.contains("06 00"), "{}", mail[0].html);
    assert_eq!(mail_job(&app), 0, "the mention was marked, not kept");

    // Nor does the notifications page link to the hidden post.
    let browser = app.browser();
    browser.login("eric@example.org", PASSWORD).await;
    let page = browser.get("/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("vous a mentionné");
    assert!(
        !page.body.contains(&format!("#message-{}", post.id)),
        "{}",
        page.body
    );
}

async fn the_unsubscribe_link_works_in_one_click_and_a_wrong_key_does_nothing(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@example.org", "Agnès Agent", Role::Agent);
    let (editor, handle) = person(&app, "eric@example.org", "Éric Éditeur", Role::Editor);
    start(&app, agent, "Premier sujet", &format!("@{handle} bonjour"));
    mail_job(&app);
    let mail = app.send_mail();
    let link = unsubscribe_link(&mail[0].raw);
    let path = link
        .strip_prefix(app.state.config.base_url.as_str())
        .expect("a link of the site")
        .to_owned();

    // A wrong key, or another account's id, opens nothing and changes nothing.
    let visitor = app.browser();
    let wrong = format!("/desabonnement/{}/{}", editor.0, "0".repeat(64));
    assert_eq!(visitor.get(&wrong).await.status, StatusCode::NOT_FOUND);
    let res = visitor
        .send(
            TestRequest::post()
                .uri(&wrong)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload("List-Unsubscribe=One-Click"),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let key = path.rsplit('/').next().expect("key");
    let other_user = format!("/desabonnement/{}/{key}", agent.0);
    assert_eq!(visitor.get(&other_user).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor
            .get(&format!("/desabonnement/{}/", editor.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(user(&app, editor).notify_mail(), NotifyMail::Each);

    // Opening the link only asks.
    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("eric@example.org");
    page.assert_contains("Confirmer : plus aucun courriel");
    assert_eq!(user(&app, editor).notify_mail(), NotifyMail::Each);

    // A mail program's one-click POST: no session, no CSRF token.
    let res = app
        .browser()
        .send(
            TestRequest::post()
                .uri(&path)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload("List-Unsubscribe=One-Click"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.assert_contains("Vous êtes désabonné");
    assert_eq!(user(&app, editor).notify_mail(), NotifyMail::None);

    start(&app, agent, "Second sujet", &format!("@{handle} encore"));
    assert_eq!(mail_job(&app), 0);
    assert_eq!(app.send_mail().len(), 1);
}

async fn the_notifications_page_pages_and_the_menu_counts_the_unread(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@example.org", "Agnès Agent", Role::Agent);
    let (editor, handle) = person(&app, "eric@example.org", "Éric Éditeur", Role::Editor);
    let (thread, post) = start(&app, agent, "Un long fil", &format!("@{handle} regardez"));
    let write = |count: usize| {
        let now = app.now();
        app.store()
            .write(|c| {
                for _ in 0..count {
                    notifications::notify(
                        c,
                        editor,
                        NotificationKind::Reply,
                        Some(thread.id),
                        Some(post.id),
                        "Agnès Agent",
                        now,
                    )?;
                }
                Ok(())
            })
            .expect("notifications");
    };
    write(104);
    let browser = app.browser();
    browser.login("eric@example.org", PASSWORD).await;
    let home = browser.get("/pages").await;
    home.assert_contains("Notifications (99+)");

    let first = browser.get("/notifications").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert_eq!(
        first
            .body
            .matches("<li class=\"notification-non-lue\"")
            .count(),
        30
    );
    first.assert_contains(&format!(
        "href=\"/echanges/sujet/{}?message={}#message-{}\"",
        thread.id, post.id, post.id
    ));
    first.assert_contains("Tout marquer comme lu");
    let mut seen = 30;
    let mut next = first.body.clone();
    while let Some(link) = next
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .filter(|l| l.starts_with("/notifications?avant="))
    {
        let page = browser.get(&lieu_tests::unescape(link)).await;
        assert_eq!(page.status, StatusCode::OK);
        seen += page
            .body
            .matches("<li class=\"notification-non-lue\"")
            .count();
        next = page.body;
    }
    assert_eq!(seen, 105, "every notification once");

    // A notification that comes after the page was shown stays unread.
    let newest = first.field("jusqua").expect("the newest shown");
    write(1);
    let res = browser
        .post("/notifications/lues", &[("jusqua", &newest)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let after = browser.get(res.location().expect("back")).await;
    after.assert_contains("Vos notifications sont marquées comme lues.");
    after.assert_contains("Notifications (1)");
    assert_eq!(
        after
            .body
            .matches("<li class=\"notification-non-lue\"")
            .count(),
        1
    );
    browser.post("/notifications/lues", &[]).await;
    let read = browser.get("/notifications").await;
    assert!(!read.body.contains("Notifications ("), "{}", read.body);
    assert!(!read.body.contains("Tout marquer comme lu"));

    // Anonymous visitors log in first; a workshop's participant has no notifications page.
    let anonymous = app.browser().get("/notifications").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    let trainee = app.logged_in(Role::Trainee).await;
    assert_eq!(
        trainee.get("/notifications").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!trainee.get("/pages").await.body.contains("Notifications"));
}

async fn one_follows_and_stops_following_threads_and_categories(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@example.org", "Agnès Agent", Role::Agent);
    let (editor, _) = person(&app, "eric@example.org", "Éric Éditeur", Role::Editor);
    let browser = app.browser();
    browser.login("eric@example.org", PASSWORD).await;

    let res = browser
        .post("/suivre", &[("cible", "category:1"), ("retour", "/pages")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), Some("/pages"));
    let (thread, first) = start(&app, agent, "Covoiturage vers Niort", "Qui part lundi ?");
    // Someone else's site is no place to go back to.
    let res = browser
        .post(
            "/suivre",
            &[
                ("cible", &format!("thread:{}", thread.id)),
                ("retour", "https://ailleurs.example.com/"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/notifications/suivis"));
    let second = reply(&app, agent, &thread, "Moi, à 8 heures.");
    let listed = app
        .store()
        .read(|c| notifications::listed_page(c, editor, None, 10))
        .expect("notifications");
    let kinds: Vec<_> = listed
        .iter()
        .map(|l| (l.notification.kind(), l.notification.post_id))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some(NotificationKind::Reply), Some(second.id)),
            (Some(NotificationKind::Thread), Some(first.id)),
        ]
    );
    let page = browser.get("/notifications").await;
    page.assert_contains("a ouvert un nouveau sujet");
    // What one follows has a page of its own, linked from the notifications.
    page.assert_contains("<a href=\"/notifications/suivis\">Ce que je suis</a>");
    assert!(!page.body.contains("Ne plus suivre"), "no follow list here");
    let page = browser.get("/notifications/suivis").await;
    page.assert_contains("Catégorie : <a href=\"/echanges/questions-services-publics\">");
    page.assert_contains("Covoiturage vers Niort</a>");
    page.assert_contains("Ne plus suivre cette catégorie");
    page.assert_contains("value=\"/notifications/suivis\"");
    assert_eq!(
        app.browser().get("/notifications/suivis").await.status,
        StatusCode::SEE_OTHER,
        "anonymous readers log in first"
    );

    let res = browser
        .post(
            "/ne-plus-suivre",
            &[("cible", "category:1"), ("retour", "/notifications")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let following = |target| {
        app.store()
            .read(|c| notifications::is_subscribed(c, editor, target))
            .expect("subscribed?")
    };
    assert!(!following(Target::Category(1)));
    assert!(following(Target::Thread(thread.id)));
    browser
        .post(
            "/ne-plus-suivre",
            &[("cible", &format!("thread:{}", thread.id))],
        )
        .await;
    assert!(!following(Target::Thread(thread.id)));

    // What does not exist cannot be followed.
    for target in ["category:999", "thread:999", "page:999", "rien:1", ""] {
        let res = browser.post("/suivre", &[("cible", target)]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{target}");
    }
    // Stopping again is harmless.
    let res = browser
        .post("/ne-plus-suivre", &[("cible", "category:1")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Without a session, one logs in first.
    let anonymous = app.browser();
    let res = anonymous.post("/suivre", &[("cible", "category:1")]).await;
    assert!(
        res.location().is_some_and(|l| l.starts_with("/connexion")),
        "{:?}",
        res.location()
    );
}

/// The notifications of `id` of one kind.
fn told(app: &TestApp, id: UserId, kind: NotificationKind) -> usize {
    app.store()
        .read(|c| notifications::page(c, id, None, 1000))
        .expect("notifications")
        .iter()
        .filter(|(n, _)| n.kind() == Some(kind))
        .count()
}

async fn a_mention_added_by_an_edit_is_told_once(backend: Backend) {
    let app = app(backend).await;
    let (agent, _) = person(&app, "agent@lieu.test", "Agnès Agent", Role::Agent);
    let (marie_id, marie) = person(&app, "marie@lieu.test", "Marie Durand", Role::Editor);
    let (_, post) = start(&app, agent, "Horaires", "Bonjour à toutes et à tous.");
    assert_eq!(told(&app, marie_id, NotificationKind::Mention), 0);
    let edit = |body: String, version: i32| {
        let editor = user(&app, agent);
        let now = app.now();
        app.store()
            .write(|c| exchange::edit_post(c, &editor, false, post.post_id(), version, &body, now))
            .expect("edit")
    };
    edit(format!("Bonjour @{marie}, pouvez-vous regarder ?"), 1);
    assert_eq!(told(&app, marie_id, NotificationKind::Mention), 1);
    // Edited again, still naming her: not told twice.
    edit(
        format!("Bonjour @{marie}, pouvez-vous regarder ce soir ?"),
        2,
    );
    assert_eq!(told(&app, marie_id, NotificationKind::Mention), 1);
}
