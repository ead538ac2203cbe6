//! The "Done when" of issue 12, walked through HTTP only, as plain forms (no JavaScript): a
//! resident signs up on a phone, confirms their address through the link mailed over SMTP,
//! asks how to renew a carte grise; the question waits (absent from the list, the search and
//! the feed) until an agent approves it; the agent answers, marks the answer and turns the
//! thread into a wiki page; the resident gets each notification by e-mail over SMTP. A
//! spammer's approved post is hidden by three members' reports, and the spammer, suspended,
//! is refused their next post with the reason. Last, the resident deletes their account and
//! their posts stay under the neutral name.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::{Role, UserId};
use lieu_mail::{Sender, SmtpSettings, TlsMode, Transport};
use lieu_store::schema::users as u;
use lieu_tests::smtp::{Received, SmtpSink};
use lieu_tests::{Backend, Browser, PASSWORD, Page, TestApp, on_both_backends};
use std::time::Duration;

on_both_backends!(
    a_resident_asks_on_a_phone_an_agent_answers_and_a_spammer_is_stopped,
    a_suspended_member_who_still_sends_a_post_reads_why_it_is_refused,
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
const MUTUAL_HELP: &str = "/echanges/entraide";
const QUESTION: &str = "Comment renouveler une carte grise ?";
const RESIDENT: &str = "camille.roux@example.org";
const RESIDENT_PASSWORD: &str = "la chèvre broute au lavoir";
/// A phone's browser: the site has no separate mobile pages, it must simply work there.
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 \
                     (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

async fn phone_get(browser: &Browser<'_>, path: &str) -> Page {
    browser
        .send(
            TestRequest::get()
                .uri(path)
                .insert_header(("user-agent", PHONE)),
        )
        .await
}

/// A form sent from the phone, with its CSRF token, as the page's plain HTML form does.
async fn phone_post(browser: &Browser<'_>, path: &str, fields: &[(&str, &str)]) -> Page {
    let token = browser.csrf().await;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    browser
        .send(
            TestRequest::post()
                .uri(path)
                .insert_header(("user-agent", PHONE))
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(serde_urlencoded::to_string(&all).expect("form encoding")),
        )
        .await
}

/// The server's mail: its sender, over real SMTP to the test's sink.
struct Mail {
    sink: SmtpSink,
    sender: Sender,
}

impl Mail {
    fn start() -> Mail {
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
        Mail { sink, sender }
    }

    /// What the server's jobs do within a minute: the notifications written as messages,
    /// then the outbox sent. Returns the messages `to` received so far.
    fn deliver(&self, app: &TestApp, to: &str) -> Vec<Received> {
        lieu_web::housekeeping::mail_notifications(app.store(), &app.state.config, app.now())
            .expect("the notification mail job");
        self.sender
            .send_due(app.store(), app.now())
            .expect("send the outbox");
        self.sink
            .received()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == to))
            .collect()
    }
}

/// The thread's id in `/echanges/sujet/{id}?…`.
fn thread_id_of(location: &str) -> i32 {
    location
        .trim_start_matches("/echanges/sujet/")
        .split(['?', '/', '#'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a thread address: {location}"))
}

/// The value of `name=` in a location's query string.
fn query_value(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1.split('#').next()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The post id of the first moderation form on `page` after `marker`.
fn decision_post_after(page: &Page, marker: &str) -> i32 {
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in the queue:\n{}", page.body));
    let prefix = "action=\"/echanges/message/";
    let start = page.body[at..]
        .find(prefix)
        .map(|i| at + i + prefix.len())
        .unwrap_or_else(|| panic!("a decision form after {marker:?}:\n{}", page.body));
    page.body[start..]
        .split('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a post id")
}

/// A member whose address is confirmed (the team's fixture: the journey's resident is the
/// one who signs up through the forms).
fn confirmed_member(app: &TestApp, email: &str, name: &str) -> UserId {
    let id = app.create_user(email, name, Role::Member);
    app.store()
        .write(|c| {
            diesel::update(u::table.find(id.0))
                .set(u::email_confirmed_at.eq(Some(start())))
                .execute(c)?;
            Ok(())
        })
        .expect("confirm the address");
    id
}

async fn log_in<'a>(app: &'a TestApp, email: &str, password: &str) -> Browser<'a> {
    let browser = app.browser();
    let res = browser.login(email, password).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "login: {}", res.body);
    browser
}

fn search_path(q: &str) -> String {
    format!(
        "/recherche?{}",
        serde_urlencoded::to_string([("q", q)]).expect("query")
    )
}

/// Whether anonymous visitors find the thread `id` titled `title` in the category's list,
/// the site's search and the category's Atom feed, as a triple.
async fn found_by_others(
    visitor: &Browser<'_>,
    category: &str,
    id: i32,
    title: &str,
    words: &str,
) -> (bool, bool, bool) {
    let list = visitor.get(category).await;
    assert_eq!(list.status, StatusCode::OK);
    let search = visitor.get(&search_path(words)).await;
    assert_eq!(search.status, StatusCode::OK);
    let feed = visitor.get(&format!("{category}/atom.xml")).await;
    assert_eq!(feed.status, StatusCode::OK);
    let link = format!("href=\"/echanges/sujet/{id}\"");
    (
        list.body.contains(title),
        search.body.contains(&link),
        feed.body.contains(title),
    )
}

/// The one message among `mails` whose text holds `needle`.
#[track_caller]
fn one_mail_saying<'a>(mails: &'a [Received], needle: &str) -> &'a Received {
    let found: Vec<_> = mails.iter().filter(|m| m.text().contains(needle)).collect();
    assert_eq!(
        found.len(),
        1,
        "one message saying {needle:?} among {:#?}",
        mails.iter().map(Received::text).collect::<Vec<_>>()
    );
    found[0]
}

async fn a_resident_asks_on_a_phone_an_agent_answers_and_a_spammer_is_stopped(backend: Backend) {
    let app = app(backend).await;
    let mail = Mail::start();
    let visitor = app.browser();

    // 1. A resident signs up on their phone; the link comes by e-mail.
    let phone = app.browser();
    let form = phone_get(&phone, "/inscription").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("name=\"consent\"");
    let res = phone_post(
        &phone,
        "/inscription",
        &[
            ("name", "Camille Roux"),
            ("email", RESIDENT),
            ("password", RESIDENT_PASSWORD),
            ("password2", RESIDENT_PASSWORD),
            ("consent", "oui"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/inscription/envoyee"));
    phone_get(&phone, "/inscription/envoyee")
        .await
        .assert_contains("Vérifiez votre messagerie");
    // Before the link is followed, no question.
    let refused = phone_get(&phone, &format!("{QUESTIONS}/nouveau")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.assert_contains("Confirmez d’abord votre adresse");

    let received = mail.deliver(&app, RESIDENT);
    assert_eq!(received.len(), 1, "the confirmation message: {received:?}");
    let text = received[0].text();
    let base = app.state.config.base_url.clone();
    let prefix = format!("{base}/confirmer/");
    let at = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("a confirmation link in {text}"));
    let link = text[at + base.len()..]
        .split(char::is_whitespace)
        .next()
        .expect("the link")
        .to_owned();
    let page = phone_get(&phone, &link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains(RESIDENT);
    let res = phone_post(&phone, &link, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/compte?fait=adresse-confirmee"));
    phone_get(&phone, "/compte?fait=adresse-confirmee")
        .await
        .assert_contains("Votre adresse est confirmée");

    // 2. The question: held for an agent, and the resident is told so.
    let form = phone_get(&phone, &format!("{QUESTIONS}/nouveau")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("relus par un agent");
    let res = phone_post(
        &phone,
        &format!("{QUESTIONS}/nouveau"),
        &[
            ("title", QUESTION),
            ("kind", "question"),
            (
                "body",
                "Bonjour, j’ai déménagé et ma carte grise porte encore mon ancienne adresse. \
                 Que dois-je faire, et faut-il payer ?",
            ),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().expect("the thread").to_owned();
    assert!(location.contains("fait=en-attente"), "{location}");
    let id = thread_id_of(&location);
    let thread_path = format!("/echanges/sujet/{id}");
    let own = phone_get(&phone, &location).await;
    assert_eq!(own.status, StatusCode::OK);
    own.assert_contains("dès qu’un agent l’aura relu");
    own.assert_contains("attend la validation");
    own.assert_contains(QUESTION);

    // Nobody else sees it: not in the list, the search or the feed, nor at its address.
    assert_eq!(
        found_by_others(&visitor, QUESTIONS, id, QUESTION, "renouveler carte grise").await,
        (false, false, false)
    );
    assert_eq!(
        visitor.get(&thread_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get(&format!("{thread_path}/atom.xml")).await.status,
        StatusCode::NOT_FOUND
    );
    let neighbour = {
        confirmed_member(&app, "voisin@example.org", "Victor Voisin");
        log_in(&app, "voisin@example.org", PASSWORD).await
    };
    assert_eq!(
        neighbour.get(&thread_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!neighbour.get(QUESTIONS).await.body.contains(QUESTION));

    // 3. An agent approves it from the moderation queue.
    app.create_user("agnes.agent@example.org", "Agnès Agent", Role::Agent);
    let agent = log_in(&app, "agnes.agent@example.org", PASSWORD).await;
    let queue = agent.get("/gestion/moderation").await;
    assert_eq!(queue.status, StatusCode::OK);
    let question_post = decision_post_after(&queue, QUESTION);
    let res = agent
        .post(
            &format!("/echanges/message/{question_post}/decision"),
            &[
                ("decision", "approve"),
                ("reason", ""),
                ("back", "/gestion/moderation"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = agent.get(res.location().expect("back to the queue")).await;
    assert!(
        !after
            .body
            .contains(&format!("/echanges/message/{question_post}/decision")),
        "the question left the queue"
    );
    assert_eq!(
        found_by_others(&visitor, QUESTIONS, id, QUESTION, "renouveler carte grise").await,
        (true, true, true)
    );
    assert_eq!(visitor.get(&thread_path).await.status, StatusCode::OK);

    let received = mail.deliver(&app, RESIDENT);
    assert_eq!(received.len(), 2, "approved: {received:?}");
    one_mail_saying(
        &received,
        &format!("Votre message dans « {QUESTION} » est publié"),
    );

    // 4. The agent answers; the answer carries "France Services".
    let res = agent
        .post(
            &format!("{thread_path}/repondre"),
            &[(
                "body",
                "Bonjour, le changement d’adresse se fait en ligne sur le site de l’ANTS, \
                 gratuitement. Nous pouvons le faire avec vous au guichet France Services.",
            )],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let answer: i32 = query_value(res.location().expect("the reply"), "message")
        .and_then(|m| m.parse().ok())
        .expect("the reply's id");
    let page = visitor.get(&thread_path).await;
    page.assert_contains("site de l’ANTS");
    page.assert_contains("France Services");
    let received = mail.deliver(&app, RESIDENT);
    assert_eq!(received.len(), 3, "reply: {received:?}");
    one_mail_saying(
        &received,
        &format!("Agnès Agent a répondu dans « {QUESTION} »"),
    );

    // 5. The agent marks it as the answer: it shows right under the question.
    let res = agent
        .post(
            &format!("{thread_path}/reponse"),
            &[("post", &answer.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = visitor.get(&thread_path).await;
    page.assert_contains("La bonne réponse");
    page.assert_contains("Résolu");
    // Between the question's head and the list of posts.
    let chosen = page
        .body
        .find("class=\"reponse-choisie\"")
        .expect("the answer");
    let posts = page.body.find("id=\"lieu_messages\"").expect("the posts");
    assert!(
        chosen < posts && page.body[chosen..posts].contains("site de l’ANTS"),
        "the chosen answer is shown under the question:\n{}",
        page.body
    );
    let received = mail.deliver(&app, RESIDENT);
    assert_eq!(received.len(), 4, "answered: {received:?}");
    one_mail_saying(
        &received,
        &format!("Votre question « {QUESTION} » a reçu sa réponse"),
    );

    // 6. The agent turns the thread into a wiki page, prefilled with question and answer.
    let form = agent.get(&format!("{thread_path}/page-wiki")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let body = form.textarea("body").expect("the page's text");
    assert!(body.contains("ancienne adresse"), "{body}");
    assert!(body.contains("site de l’ANTS"), "{body}");
    let res = agent
        .post(
            &format!("{thread_path}/page-wiki"),
            &[("title", "Renouveler une carte grise"), ("body", &body)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let wiki = res.location().expect("the new page").to_owned();
    assert_eq!(wiki, "/wiki/renouveler-une-carte-grise");
    let page = visitor.get(&wiki).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("site de l’ANTS");
    visitor
        .get(&thread_path)
        .await
        .assert_contains(&format!("href=\"{wiki}\""));

    // The resident got each notification, by e-mail and on their notifications page.
    let notifications = phone_get(&phone, "/notifications").await;
    assert_eq!(notifications.status, StatusCode::OK);
    notifications.assert_contains(QUESTION);
    for mail in &received[1..] {
        assert!(
            mail.header("List-Unsubscribe").is_some(),
            "an unsubscribe link: {}",
            mail.data
        );
    }

    // 7. A spammer's post, approved, is hidden by three members' reports.
    let spammer_id = confirmed_member(&app, "promo@example.org", "Super Promo");
    let spammer = log_in(&app, "promo@example.org", PASSWORD).await;
    let spam = "Montres de luxe à prix cassés";
    let res = spammer
        .post(
            &format!("{MUTUAL_HELP}/nouveau"),
            &[
                ("title", spam),
                ("kind", "discussion"),
                (
                    "body",
                    "Écrivez-moi vite pour profiter de nos montres à 10 euros !",
                ),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let spam_thread = thread_id_of(res.location().expect("the thread"));
    let queue = agent.get("/gestion/moderation").await;
    let spam_post = decision_post_after(&queue, spam);
    let res = agent
        .post(
            &format!("/echanges/message/{spam_post}/decision"),
            &[
                ("decision", "approve"),
                ("reason", ""),
                ("back", "/gestion/moderation"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        found_by_others(&visitor, MUTUAL_HELP, spam_thread, spam, "montres luxe").await,
        (true, true, true)
    );

    let mut reporters = vec![neighbour];
    for (email, name) in [
        ("alice@example.org", "Alice Arnaud"),
        ("bruno@example.org", "Bruno Bernard"),
    ] {
        confirmed_member(&app, email, name);
        reporters.push(log_in(&app, email, PASSWORD).await);
    }
    let report = format!("/echanges/message/{spam_post}/signaler");
    for (n, reporter) in reporters.iter().enumerate() {
        let form = reporter.get(&report).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let res = reporter
            .post(&report, &[("reason", "spam"), ("detail", "publicité")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let hidden = res.location().unwrap_or_default().contains("masque");
        assert_eq!(hidden, n == 2, "hidden at the third report only: {res:?}");
        let seen = found_by_others(&visitor, MUTUAL_HELP, spam_thread, spam, "montres luxe").await;
        if n < 2 {
            assert_eq!(seen, (true, true, true), "after {} report(s)", n + 1);
        } else {
            assert_eq!(seen, (false, false, false), "hidden by the reports");
        }
    }
    assert_eq!(
        visitor
            .get(&format!("/echanges/sujet/{spam_thread}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let reported = agent.get("/gestion/moderation?file=signalements").await;
    reported.assert_contains(spam);

    // 8. An agent suspends the spammer with a reason; their next post is refused with it.
    let reason = "Publicité répétée pour des montres";
    let member_page = format!("/gestion/membres/{}", spammer_id.0);
    agent.get(&member_page).await.assert_contains("Super Promo");
    let res = agent
        .post(
            &format!("{member_page}/suspendre"),
            &[("days", "30"), ("reason", reason)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    agent
        .get(res.location().expect("back"))
        .await
        .assert_contains("Le membre est suspendu");
    let form = spammer.get(&format!("{MUTUAL_HELP}/nouveau")).await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    form.assert_contains(reason);
    form.assert_contains("25/12/2026");
    let res = spammer
        .post(
            &format!("{MUTUAL_HELP}/nouveau"),
            &[
                ("title", "Encore des montres"),
                ("kind", "discussion"),
                ("body", "Dernière chance !"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    res.assert_contains("Votre compte est suspendu des échanges");
    let res = spammer
        .post(
            &format!("{thread_path}/repondre"),
            &[("body", "Et des montres, ça vous dit ?")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    res.assert_contains("Votre compte est suspendu des échanges");
    assert!(!visitor.get(&thread_path).await.body.contains("montres, ça"));
    spammer.get("/compte").await.assert_contains(reason);

    // 9. The resident deletes their account: the question stays, under the neutral name.
    let form = phone_get(&phone, "/compte/supprimer").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("value=\"garder\"");
    let res = phone_post(
        &phone,
        "/compte/supprimer",
        &[("current_password", RESIDENT_PASSWORD), ("posts", "garder")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = visitor.get(&thread_path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(QUESTION);
    page.assert_contains("ancienne adresse");
    page.assert_contains("Compte supprimé");
    assert!(!page.body.contains("Camille Roux"), "{}", page.body);
    let feed = visitor.get(&format!("{thread_path}/atom.xml")).await;
    assert!(!feed.body.contains("Camille Roux"), "{}", feed.body);
    let wiki_page = visitor.get(&wiki).await;
    assert_eq!(wiki_page.status, StatusCode::OK);
    // The account is gone: no login any more.
    let res = app.browser().login(RESIDENT, RESIDENT_PASSWORD).await;
    assert_ne!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Nothing more was mailed to the resident than the four messages.
    assert_eq!(mail.deliver(&app, RESIDENT).len(), 4);
}

/// A member suspended while their form was open sends it: the refusal must say why and until
/// when, as the form and the account page do (issue 12: "with a reason the member sees").
async fn a_suspended_member_who_still_sends_a_post_reads_why_it_is_refused(backend: Backend) {
    let app = app(backend).await;
    let id = confirmed_member(&app, "promo@example.org", "Super Promo");
    let spammer = log_in(&app, "promo@example.org", PASSWORD).await;
    let agent = app.logged_in(Role::Agent).await;
    let reason = "Publicité répétée pour des montres";
    let res = agent
        .post(
            &format!("/gestion/membres/{}/suspendre", id.0),
            &[("days", "30"), ("reason", reason)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = spammer
        .post(
            &format!("{MUTUAL_HELP}/nouveau"),
            &[
                ("title", "Encore des montres"),
                ("kind", "discussion"),
                ("body", "Dernière chance !"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    res.assert_contains(reason);
    res.assert_contains("25/12/2026");
}
