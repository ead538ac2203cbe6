//! Members of the exchange space (issue 12) through the real app: a resident signs up, gets a
//! single-use link by e-mail and cannot post until they follow it; the sign-up form is
//! throttled like the referencing form and refuses bad input in French; an address that has
//! an account gets no second one; agents find members, suspend them with a reason the member
//! reads, lift it, hide all their posts at once and link the organisation they speak for; a
//! member who deletes their account chooses whether their posts stay or are erased.

use actix_web::http::StatusCode;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lieu_core::exchange::{PostState, Subject, ThreadKind};
use lieu_core::{Role, UserId};
use lieu_store::StoreError;
use lieu_store::exchange::{self, Post};
use lieu_store::models::users::{self, User};
use lieu_tests::{Backend, Browser, PASSWORD, TestApp, on_both_backends};
use lieu_web::WebConfig;

on_both_backends!(
    a_resident_signs_up_confirms_through_the_emailed_link_and_may_then_post,
    a_confirmation_link_can_be_sent_again_and_only_the_last_one_works,
    an_address_that_has_an_account_gets_no_second_one_and_its_owner_is_told,
    two_sign_ups_of_one_address_at_once_make_one_account,
    the_signup_form_is_throttled_per_client_like_the_referencing_form,
    hostile_signup_input_comes_back_in_french_without_an_account,
    agents_find_members_by_name_handle_or_address_page_after_page,
    a_suspended_member_reads_why_and_until_when_and_the_suspension_is_lifted,
    an_agent_hides_every_post_of_a_member_in_one_action,
    an_agent_links_and_unlinks_the_organisation_a_member_speaks_for,
    a_deleted_member_s_posts_stay_under_a_neutral_name_or_are_erased,
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

const STRONG: &str = "la chèvre broute au lavoir";

fn signup_fields<'a>(name: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("email", email),
        ("password", STRONG),
        ("password2", STRONG),
        ("consent", "oui"),
    ]
}

/// The path of the first link to `prefix` in the newest message to `to`.
fn link_in_mail(app: &TestApp, to: &str, prefix: &str) -> String {
    let mails = app.send_mail();
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.to.contains(to))
        .unwrap_or_else(|| panic!("no message to {to} among {mails:?}"));
    let at = mail
        .text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in {}", mail.text));
    let rest = &mail.text[at..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    rest[..end]
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned()
}

fn user(app: &TestApp, email: &str) -> User {
    app.store()
        .read(|c| Ok(users::by_email(c, email)?))
        .expect("read")
        .expect("the account exists")
}

fn user_by_id(app: &TestApp, id: UserId) -> User {
    app.store()
        .read(|c| Ok(users::by_id(c, id)?))
        .expect("read")
        .expect("the account exists")
}

fn count_accounts(app: &TestApp) -> i64 {
    app.store().read(|c| Ok(users::count(c)?)).expect("count")
}

/// A member whose address is confirmed, with `approved` posts already published (0: a new
/// member, whose posts wait for approval).
fn confirmed_member(app: &TestApp, email: &str, name: &str, approved: i32) -> UserId {
    use lieu_store::schema::users as u;
    let id = app.create_user(email, name, Role::Member);
    let now = app.now();
    app.store()
        .write(|c| {
            diesel::update(u::table.find(id.0))
                .set((
                    u::email_confirmed_at.eq(Some(now)),
                    u::approved_posts.eq(approved),
                ))
                .execute(c)?;
            Ok(())
        })
        .expect("confirm");
    id
}

fn first_category(app: &TestApp) -> i32 {
    app.store()
        .read(|c| exchange::categories(c, false))
        .expect("categories")
        .first()
        .expect("a seeded category")
        .id
}

/// `author` starts a thread directly through the store.
fn start_thread(app: &TestApp, author: UserId, title: &str) -> Result<Post, StoreError> {
    let category = first_category(app);
    let author = user_by_id(app, author);
    let now = app.now();
    app.store()
        .write(|c| {
            exchange::start_thread(
                c,
                &author,
                Subject::Category(category),
                title,
                ThreadKind::Question,
                "Comment renouveler une carte grise ?",
                now,
            )
        })
        .map(|(_, post)| post)
}

#[track_caller]
fn refused_with(result: Result<Post, StoreError>, code: &str) {
    match result {
        Err(StoreError::Invalid(invalid)) => {
            assert!(invalid.errors.iter().any(|e| e.code == code), "{invalid:?}");
        }
        other => panic!("expected {code}, got {other:?}"),
    }
}

fn post_row(app: &TestApp, id: i32) -> Post {
    app.store()
        .read(|c| exchange::post(c, lieu_core::PostId(id)))
        .expect("read")
        .expect("the post row")
}

async fn log_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let browser = app.browser();
    let res = browser.login(email, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "login: {}", res.body);
    browser
}

async fn a_resident_signs_up_confirms_through_the_emailed_link_and_may_then_post(backend: Backend) {
    let app = app(backend).await;
    let resident = app.browser();
    // The header and the login page lead to the sign-up form.
    resident
        .get("/pages")
        .await
        .assert_contains("href=\"/inscription\"");
    resident
        .get("/connexion")
        .await
        .assert_contains("Créer un compte");
    let form = resident.get("/inscription").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("tant que votre compte existe");
    form.assert_contains("/wiki/donnees-personnelles");
    form.assert_contains("name=\"consent\"");

    let res = resident
        .post(
            "/inscription",
            &signup_fields("Camille Roux", " Camille.Roux@Example.org "),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/inscription/envoyee"));
    assert!(resident.cookie("lieu_session").is_some(), "logged in");
    resident
        .get("/inscription/envoyee")
        .await
        .assert_contains("Vérifiez votre messagerie");

    let camille = user(&app, "camille.roux@example.org");
    assert_eq!(camille.role(), Role::Member);
    assert_eq!(camille.name, "Camille Roux");
    assert_eq!(camille.handle.as_deref(), Some("camille-roux"));
    assert!(camille.email_confirmed_at.is_none());
    assert!(camille.password_hash.starts_with("$argon2id$"));

    // Logged in, but no post before the address is confirmed.
    refused_with(
        start_thread(&app, camille.user_id(), "Carte grise"),
        "exchange.email_unconfirmed",
    );
    let account = resident.get("/compte").await;
    account.assert_contains("Confirmez votre adresse e-mail");
    account.assert_contains("action=\"/compte/confirmation\"");

    // The link of the message: opening it changes nothing, the button confirms.
    let link = link_in_mail(
        &app,
        "camille.roux@example.org",
        "http://127.0.0.1:8080/confirmer/",
    );
    let page = app.browser().get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    page.assert_contains("camille.roux@example.org");
    assert!(
        user(&app, "camille.roux@example.org")
            .email_confirmed_at
            .is_none()
    );
    let done = resident.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/compte?fait=adresse-confirmee"));
    let camille = user(&app, "camille.roux@example.org");
    assert_eq!(camille.email_confirmed_at, Some(app.now()));
    let account = resident.get("/compte?fait=adresse-confirmee").await;
    account.assert_contains("Votre adresse est confirmée");
    assert!(!account.body.contains("action=\"/compte/confirmation\""));

    // Single use.
    assert_eq!(resident.get(&link).await.status, StatusCode::GONE);
    assert_eq!(resident.post(&link, &[]).await.status, StatusCode::GONE);

    // Now a first post goes out, held for approval (a new member).
    let post = start_thread(&app, camille.user_id(), "Carte grise").expect("a post");
    assert_eq!(post.state(), PostState::Pending);

    // A new address is confirmed again before the next post.
    let res = resident
        .post(
            "/compte",
            &[
                ("name", "Camille Roux"),
                ("email", "camille@example.net"),
                ("current", STRONG),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let camille = user(&app, "camille@example.net");
    assert!(camille.email_confirmed_at.is_none());
    refused_with(
        start_thread(&app, camille.user_id(), "Encore"),
        "exchange.email_unconfirmed",
    );
    resident
        .get("/compte")
        .await
        .assert_contains("Confirmez votre adresse e-mail");
}

async fn a_confirmation_link_can_be_sent_again_and_only_the_last_one_works(backend: Backend) {
    let app = app(backend).await;
    let resident = app.browser();
    let res = resident
        .post(
            "/inscription",
            &signup_fields("Léo Petit", "leo@example.org"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let first = link_in_mail(&app, "leo@example.org", "http://127.0.0.1:8080/confirmer/");
    // The link expires after 48 hours.
    app.set_now(start() + TimeDelta::hours(49));
    assert_eq!(app.browser().get(&first).await.status, StatusCode::GONE);

    let again = resident.post("/compte/confirmation", &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    resident
        .get(again.location().expect("back to the account"))
        .await
        .assert_contains("Un nouveau lien vient de vous être envoyé");
    let second = link_in_mail(&app, "leo@example.org", "http://127.0.0.1:8080/confirmer/");
    assert_ne!(first, second);
    // A third one replaces the second.
    resident.post("/compte/confirmation", &[]).await;
    let third = link_in_mail(&app, "leo@example.org", "http://127.0.0.1:8080/confirmer/");
    assert_eq!(app.browser().get(&second).await.status, StatusCode::GONE);
    assert_eq!(
        resident.post(&third, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(user(&app, "leo@example.org").email_confirmed_at.is_some());
    // Nothing more to send; and the resend is throttled per address (3 an hour).
    let res = resident.post("/compte/confirmation", &[]).await;
    assert_eq!(res.location(), Some("/compte?fait=deja-confirmee"));
    let res = resident.post("/compte/confirmation", &[]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Anonymous: log in first.
    let res = app.browser().post("/compte/confirmation", &[]).await;
    assert!(
        res.location().unwrap_or_default().starts_with("/connexion"),
        "{res:?}"
    );
}

async fn an_address_that_has_an_account_gets_no_second_one_and_its_owner_is_told(backend: Backend) {
    let app = app(backend).await;
    app.create_user("agent@example.org", "Agnès Agent", Role::Agent);
    app.send_mail();
    let before = count_accounts(&app);
    let stranger = app.browser();
    let res = stranger
        .post(
            "/inscription",
            &signup_fields("Usurpateur", "Agent@Example.org"),
        )
        .await;
    // The same answer as a new sign-up, without a session.
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/inscription/envoyee"));
    assert!(stranger.cookie("lieu_session").is_none());
    assert_eq!(count_accounts(&app), before);
    let agent = user(&app, "agent@example.org");
    assert_eq!(agent.role(), Role::Agent);
    assert_eq!(agent.name, "Agnès Agent");
    // Its owner is told, with no link that would confirm anything.
    let mails = app.send_mail();
    let told = mails
        .iter()
        .find(|m| m.to.contains("agent@example.org"))
        .expect("a message to the owner");
    assert!(told.text.contains("Un compte existe déjà"), "{}", told.text);
    assert!(!told.text.contains("/confirmer/"), "{}", told.text);
}

async fn the_signup_form_is_throttled_per_client_like_the_referencing_form(backend: Backend) {
    let app = app_with(
        backend,
        WebConfig {
            submissions_per_hour: 2,
            ..WebConfig::default()
        },
    )
    .await;
    for n in 0..2 {
        let res = app
            .browser()
            .post(
                "/inscription",
                &signup_fields("Habitant", &format!("habitant{n}@example.org")),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    // Refused forms do not spend the budget, the third good one does not pass.
    let wrong = app
        .browser()
        .post("/inscription", &[("name", "Habitant")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .browser()
        .post(
            "/inscription",
            &signup_fields("Habitant", "habitant9@example.org"),
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    res.assert_contains("Trop de demandes");
    // What was typed comes back.
    assert_eq!(res.field("email").as_deref(), Some("habitant9@example.org"));
    assert!(
        app.store()
            .read(|c| Ok(users::by_email(c, "habitant9@example.org")?))
            .expect("read")
            .is_none()
    );
    // Another client still can.
    let mut other = app.browser();
    other.peer = "198.51.100.20:5000".into();
    let res = other
        .post(
            "/inscription",
            &signup_fields("Voisine", "voisine@example.org"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

async fn hostile_signup_input_comes_back_in_french_without_an_account(backend: Backend) {
    let app = app(backend).await;
    let before = count_accounts(&app);
    let browser = app.browser();
    let empty = browser.post("/inscription", &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("Indiquez le nom à afficher.");
    empty.assert_contains("Indiquez une adresse e-mail.");
    empty.assert_contains("Cochez la case");
    let long = "a".repeat(5000);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("name", "<script>alert(1)</script>"),
            ("email", "pas une adresse"),
            ("password", STRONG),
            ("password2", STRONG),
            ("consent", "oui"),
        ],
        vec![
            ("name", "Nina"),
            ("email", "nina@example.org"),
            ("password", STRONG),
            ("password2", "autre chose encore"),
            ("consent", "oui"),
        ],
        vec![
            ("name", "Nina"),
            ("email", "nina@example.org"),
            ("password", "court"),
            ("password2", "court"),
            ("consent", "oui"),
        ],
        vec![
            ("name", &long),
            ("email", "nina@example.org"),
            ("password", STRONG),
            ("password2", STRONG),
            ("consent", "oui"),
        ],
        vec![
            ("name", "Nina"),
            ("email", "nina@example.org"),
            ("password", STRONG),
            ("password2", STRONG),
            ("consent", "non"),
        ],
        vec![
            ("name", "\u{202e}\u{feff}"),
            ("email", "nina@example.org\r\nBcc: x@example.org"),
            ("password", STRONG),
            ("password2", STRONG),
            ("consent", "oui"),
        ],
    ];
    for fields in &cases {
        let res = browser.post("/inscription", fields).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            res.body
        );
        res.assert_contains("Le formulaire contient des erreurs");
        assert!(!res.body.contains("<script>alert"), "escaped");
        // Passwords are never sent back.
        assert!(!res.body.contains(STRONG));
    }
    assert_eq!(count_accounts(&app), before);
    // A forged token is refused.
    let res = app
        .browser()
        .post_raw("/inscription", &signup_fields("Nina", "nina@example.org"))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Links that are not links.
    for token in ["x", "%00", &"g".repeat(64), &"0".repeat(64)] {
        let res = browser.get(&format!("/confirmer/{token}")).await;
        assert!(
            matches!(
                res.status,
                StatusCode::GONE | StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST
            ),
            "{token}: {}",
            res.status
        );
    }
    assert_eq!(count_accounts(&app), before);
}

async fn agents_find_members_by_name_handle_or_address_page_after_page(backend: Backend) {
    let app = app(backend).await;
    for n in 0..55 {
        app.create_user(
            &format!("membre{n:02}@village.example"),
            &format!("Membre {n:02}"),
            Role::Member,
        );
    }
    app.create_user("marie.dupont@example.org", "Marie Dupont", Role::Member);
    app.create_user("editrice@example.org", "Marie Éditrice", Role::Editor);
    let agent = app.logged_in(Role::Agent).await;
    let first = agent.get("/gestion/membres").await;
    assert_eq!(first.status, StatusCode::OK);
    first.assert_contains("@marie-dupont");
    // Members only: not the team.
    assert!(!first.body.contains("Marie Éditrice"));
    let next = first
        .body
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(lieu_tests::unescape)
        .expect("a next page");
    let second = agent.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Membre"), "{}", second.body);
    assert!(!second.body.contains("rel=\"next\""));
    // By name (or @name), and by address.
    for q in ["Marie Du", "@marie-d", "marie.dupont@ex"] {
        let found = agent
            .get(&format!(
                "/gestion/membres?{}",
                serde_urlencoded::to_string([("q", q)]).expect("query")
            ))
            .await;
        found.assert_contains("Marie Dupont");
        assert!(!found.body.contains("Membre 01"), "{q}");
    }
    // The team's accounts page lists the team only.
    let admin = app.logged_in(Role::Admin).await;
    let team = admin.get("/gestion/comptes").await;
    team.assert_contains("editrice@example.org");
    assert!(!team.body.contains("marie.dupont@example.org"));
    let none = agent.get("/gestion/membres?q=zzz").await;
    none.assert_contains("Aucun membre trouvé");
    // Members and editors do not see the page.
    let member = log_in(&app, "membre01@village.example").await;
    assert_eq!(
        member.get("/gestion/membres").await.status,
        StatusCode::FORBIDDEN
    );
    // An account of the team has no member page.
    let editor = user(&app, "editrice@example.org");
    assert_eq!(
        agent
            .get(&format!("/gestion/membres/{}", editor.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn a_suspended_member_reads_why_and_until_when_and_the_suspension_is_lifted(
    backend: Backend,
) {
    let app = app(backend).await;
    let id = confirmed_member(&app, "spam@example.org", "Vendeur", 5);
    let agent = app.logged_in(Role::Agent).await;
    let page = format!("/gestion/membres/{}", id.0);
    agent.get(&page).await.assert_contains("Vendeur");
    // Bad durations and a missing reason come back in French.
    let bad: Vec<Vec<(&str, &str)>> = vec![
        vec![("days", "0"), ("reason", "Publicité")],
        vec![("days", "3651"), ("reason", "Publicité")],
        vec![("days", "9223372036854775807"), ("reason", "Publicité")],
        vec![("until", "2026-11-24"), ("reason", "Publicité")],
        vec![("until", "+262142-12-31"), ("reason", "Publicité")],
        vec![("days", "7"), ("until", "2026-12-31"), ("reason", "x")],
        vec![("days", "7"), ("reason", "  ")],
        vec![("reason", "Publicité")],
    ];
    for fields in &bad {
        let res = agent.post(&format!("{page}/suspendre"), fields).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            res.body
        );
        res.assert_contains("Le formulaire contient des erreurs");
    }
    assert!(user_by_id(&app, id).suspended_until.is_none());

    let res = agent
        .post(
            &format!("{page}/suspendre"),
            &[("days", "7"), ("reason", "Publicités répétées <b>")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    agent
        .get(res.location().expect("back"))
        .await
        .assert_contains("Le membre est suspendu");
    let member = user_by_id(&app, id);
    assert_eq!(member.suspended_until, Some(start() + TimeDelta::days(7)));
    assert_eq!(member.suspension_reason, "Publicités répétées <b>");
    // The member reads the reason and the end on their page, and cannot post.
    let browser = log_in(&app, "spam@example.org").await;
    let own = browser.get("/compte").await;
    own.assert_contains("Votre compte est suspendu des échanges");
    own.assert_contains("Publicités répétées &lt;b&gt;");
    own.assert_contains("02/12/2026");
    refused_with(start_thread(&app, id, "Promo"), "exchange.suspended");
    // Until a date (Paris midnight).
    let res = agent
        .post(
            &format!("{page}/suspendre"),
            &[("until", "2027-01-15"), ("reason", "Récidive")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        user_by_id(&app, id).suspended_until,
        chrono::NaiveDate::from_ymd_opt(2027, 1, 14).and_then(|d| d.and_hms_opt(23, 0, 0))
    );
    // Lifted.
    let res = agent.post(&format!("{page}/lever"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let member = user_by_id(&app, id);
    assert!(member.suspended_until.is_none());
    assert!(member.suspension_reason.is_empty());
    assert!(!browser.get("/compte").await.body.contains("suspendu"));
    assert!(start_thread(&app, id, "Bonjour").is_ok());
    // Written to the audit log.
    let actions: Vec<String> = app
        .store()
        .read(|c| {
            use lieu_store::schema::audit_log as al;
            Ok(al::table
                .filter(al::target.eq(format!("user:{}", id.0)))
                .select(al::action)
                .load::<String>(c)?)
        })
        .expect("audit");
    assert!(
        actions.contains(&"exchange.suspend".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"exchange.unsuspend".to_owned()),
        "{actions:?}"
    );
}

async fn an_agent_hides_every_post_of_a_member_in_one_action(backend: Backend) {
    let app = app(backend).await;
    let spammer = confirmed_member(&app, "spam@example.org", "Vendeur", 5);
    let other = confirmed_member(&app, "voisin@example.org", "Voisin", 5);
    let posts: Vec<Post> = (0..3)
        .map(|n| start_thread(&app, spammer, &format!("Promo {n}")).expect("post"))
        .collect();
    let kept = start_thread(&app, other, "Question").expect("post");
    assert!(posts.iter().all(|p| p.state() == PostState::Visible));
    let agent = app.logged_in(Role::Agent).await;
    let page = format!("/gestion/membres/{}", spammer.0);
    agent.get(&page).await.assert_contains("Promo 2");
    let res = agent
        .post(&format!("{page}/masquer"), &[("hide_reason", "spam")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    for p in &posts {
        assert_eq!(post_row(&app, p.id).state(), PostState::Hidden);
    }
    assert_eq!(post_row(&app, kept.id).state(), PostState::Visible);
    agent
        .get(res.location().expect("back"))
        .await
        .assert_contains("masqué");
}

async fn an_agent_links_and_unlinks_the_organisation_a_member_speaks_for(backend: Backend) {
    let app = app(backend).await;
    let id = confirmed_member(&app, "judo@example.org", "Paul du judo", 0);
    let agent = app.logged_in(Role::Agent).await;
    let entry = agent
        .create_entry(
            "association",
            &[
                ("title", "Club de judo"),
                ("commune", "79902"),
                ("summary", "Judo dès 4 ans."),
                ("categories", "sport"),
            ],
        )
        .await;
    assert_eq!(entry.status, StatusCode::SEE_OTHER, "{}", entry.body);
    let page = format!("/gestion/membres/{}", id.0);
    // The small search finds it.
    let found = agent.get(&format!("{page}?org=Club%20de")).await;
    found.assert_contains("Club de judo");
    found.assert_contains("value=\"association/club-de-judo\"");
    agent
        .get(&format!("{page}?org=rien"))
        .await
        .assert_contains("Aucune association");
    // Unknown: refused in French.
    let res = agent
        .post(
            &format!("{page}/organisation"),
            &[("organisation", "nulle-part")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Aucune association ni aucun service publié");
    for typed in ["association/club-de-judo", "club-de-judo"] {
        let res = agent
            .post(&format!("{page}/organisation"), &[("organisation", typed)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let linked = user_by_id(&app, id).organisation_id.expect("linked");
        let title = app
            .store()
            .read(|c| Ok(lieu_store::models::entries::by_id(c, linked)?))
            .expect("read")
            .expect("entry")
            .title;
        assert_eq!(title, "Club de judo");
    }
    agent
        .get(&page)
        .await
        .assert_contains("Retirer le lien avec");
    let res = agent
        .post(&format!("{page}/organisation"), &[("organisation", "")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(user_by_id(&app, id).organisation_id.is_none());
}

async fn a_deleted_member_s_posts_stay_under_a_neutral_name_or_are_erased(backend: Backend) {
    let app = app(backend).await;
    let keeper = confirmed_member(&app, "garde@example.org", "Gaston Garde", 5);
    let eraser = confirmed_member(&app, "efface@example.org", "Emma Efface", 5);
    let kept = start_thread(&app, keeper, "Horaires de la mairie").expect("post");
    let erased = start_thread(&app, eraser, "Mon adresse personnelle").expect("post");

    // The choice is explained before confirming.
    let browser = log_in(&app, "garde@example.org").await;
    let form = browser.get("/compte/supprimer").await;
    form.assert_contains("Vos messages dans les échanges");
    form.assert_contains("value=\"garder\"");
    form.assert_contains("value=\"effacer\"");
    let res = browser
        .post(
            "/compte/supprimer",
            &[("current_password", PASSWORD), ("posts", "garder")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let row = post_row(&app, kept.id);
    assert_eq!(row.author_name, "Compte supprimé");
    assert_eq!(row.state(), PostState::Visible);
    assert!(row.body.contains("carte grise"));
    let gone = user_by_id(&app, keeper);
    assert!(gone.deleted_at.is_some());
    assert!(gone.handle.is_none());

    let browser = log_in(&app, "efface@example.org").await;
    let res = browser
        .post(
            "/compte/supprimer",
            &[("current_password", PASSWORD), ("posts", "effacer")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let row = post_row(&app, erased.id);
    assert_eq!(row.author_name, "Compte supprimé");
    assert_eq!(row.state(), PostState::Deleted);
    assert!(row.body.is_empty() && row.html.is_empty() && row.plain_text.is_empty());
    let thread = app
        .store()
        .read(|c| exchange::thread(c, lieu_core::ThreadId(row.thread_id)))
        .expect("read")
        .expect("thread");
    assert!(thread.title.is_empty());
    assert!(user_by_id(&app, eraser).deleted_at.is_some());
}

async fn two_sign_ups_of_one_address_at_once_make_one_account(backend: Backend) {
    use lieu_store::accounts::{NewLink, SignUp, SignedUp, sign_up};
    let app = app(backend).await;
    let before = count_accounts(&app);
    let now = app.now();
    let mail = |to: &str| lieu_mail::templates::test_message("Lieu", "http://x", to);
    let outcomes: Vec<&'static str> = std::thread::scope(|scope| {
        let store = app.store();
        let tries: Vec<_> = (0..2)
            .map(|n| {
                scope.spawn(move || {
                    let digest = lieu_core::auth::token_digest(&format!("{n:064}"));
                    let outcome = store.write(|c| {
                        sign_up(
                            c,
                            &SignUp {
                                email: "double@example.org",
                                name: "Double",
                                password_hash: "x",
                                link: NewLink {
                                    token_digest: &digest,
                                    expires_at: now + TimeDelta::hours(48),
                                },
                            },
                            now,
                            |u| mail(&u.email),
                            |u| mail(&u.email),
                        )
                    });
                    match outcome {
                        Ok(SignedUp::Created(_)) => "created",
                        Ok(SignedUp::Taken) | Err(StoreError::EmailTaken) => "taken",
                        Err(e) => panic!("{e:?}"),
                    }
                })
            })
            .collect();
        tries
            .into_iter()
            .map(|t| t.join().expect("a sign-up"))
            .collect()
    });
    let mut sorted = outcomes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["created", "taken"], "{outcomes:?}");
    assert_eq!(count_accounts(&app), before + 1);
}
