//! Accounts, permissions, CSRF, rate limits and sanitizing, end to end.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::net::TrustedProxies;
use lieu_core::submission::SubmissionStatus;
use lieu_core::{Permission, Role};
use lieu_store::submissions::{
    self as subs, NewSubmission, QueueFilter, SenderContact, Submission,
};
use lieu_tests::{Backend, PASSWORD, Page, TestApp, on_both_backends};
use lieu_web::WebConfig;
use lieu_web::routes::FORM_LIMIT_BYTES;

on_both_backends!(
    login_sets_a_secure_session_and_logout_ends_it,
    over_https_every_cookie_is_secure,
    wrong_passwords_are_refused_in_french_and_keep_the_email,
    login_is_rate_limited_per_client,
    failed_logins_on_one_account_are_limited_from_every_address,
    the_client_address_comes_from_trusted_proxies_only,
    readers_are_sent_to_login_before_editing,
    every_write_route_answers_each_role_as_the_table_says,
    forms_without_the_csrf_token_are_refused,
    scripts_in_page_bodies_never_reach_readers,
    outside_images_are_blocked_unless_the_admin_allows_them,
    responses_are_gzipped_only_as_the_client_accepts,
    after_login_the_reader_comes_back_only_to_this_site,
    a_text_over_the_content_limit_comes_back_in_its_form,
    a_form_over_the_raw_limit_is_refused_with_a_french_page,
    every_change_is_written_to_the_audit_log,
    a_nul_character_is_refused_as_a_bad_request_on_every_backend,
);

async fn login_sets_a_secure_session_and_logout_ends_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("agent@example.org", "Agnès Agent", Role::Agent);
    let browser = app.browser();
    let res = browser.login("Agent@Example.org", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let session = set_cookie(&res, "lieu_session").expect("session cookie");
    assert_eq!(session.http_only(), Some(true), "{session}");
    assert_eq!(session.same_site(), Some(SameSite::Lax), "{session}");
    // The default base_url is http://: a Secure cookie would never come back over plain HTTP.
    assert_eq!(session.secure(), None, "{session}");
    let home = browser.get("/pages").await;
    home.assert_contains("Agnès Agent");
    home.assert_contains("Se déconnecter");

    let token = browser.cookie("lieu_session").expect("session");
    let out = browser.post("/deconnexion", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(browser.cookie("lieu_session").is_none());
    assert!(!browser.get("/pages").await.body.contains("Agnès Agent"));

    // The old token no longer works, even if replayed.
    let replay = app.browser();
    replay.post_raw("/x", &[]).await; // get a CSRF cookie
    let res = replay
        .send(
            actix_web::test::TestRequest::get()
                .uri("/pages")
                .insert_header(("cookie", format!("lieu_session={token}"))),
        )
        .await;
    assert!(!res.body.contains("Agnès Agent"));
}

async fn over_https_every_cookie_is_secure(backend: Backend) {
    let config = WebConfig {
        base_url: "https://lieu.example.org".into(),
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    app.create_user("agent@example.org", "Agnès Agent", Role::Agent);
    let browser = app.browser();
    let first = browser.get("/pages").await;
    let csrf = set_cookie(&first, "lieu_csrf").expect("CSRF cookie");
    assert_eq!(csrf.secure(), Some(true), "{csrf}");
    let res = browser.login("agent@example.org", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let session = set_cookie(&res, "lieu_session").expect("session cookie");
    assert_eq!(session.secure(), Some(true), "{session}");
    assert_eq!(session.http_only(), Some(true), "{session}");
    let out = browser.post("/deconnexion", &[]).await;
    let removal = set_cookie(&out, "lieu_session").expect("removal cookie");
    assert_eq!(removal.secure(), Some(true), "{removal}");
}

/// The seconds of the `Retry-After` header.
#[track_caller]
fn retry_after(res: &Page) -> u64 {
    res.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After header in seconds")
}

/// The cookie `name` set by this response, parsed.
fn set_cookie(res: &Page, name: &str) -> Option<Cookie<'static>> {
    res.headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| Cookie::parse(v.to_owned()).ok())
        .find(|c| c.name() == name)
}

async fn wrong_passwords_are_refused_in_french_and_keep_the_email(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("editrice@example.org", "Édith", Role::Editor);
    let browser = app.browser();
    let res = browser
        .login("editrice@example.org", "mauvais mot de passe")
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_contains("Adresse e-mail (ou identifiant) ou mot de passe incorrect");
    assert_eq!(res.field("email").as_deref(), Some("editrice@example.org"));
    assert!(browser.cookie("lieu_session").is_none());
    let unknown = browser.login("personne@example.org", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}

async fn login_is_rate_limited_per_client(backend: Backend) {
    let config = WebConfig {
        login_attempts_per_minute: 3,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    let attacker = app.browser();
    for _ in 0..3 {
        let res = attacker.login("x@example.org", "essai essai essai").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = attacker.login("x@example.org", "essai essai essai").await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    blocked.assert_contains("Trop de tentatives");
    // Three attempts a minute: one comes back within twenty seconds.
    let wait = retry_after(&blocked);
    assert!((1..=20).contains(&wait), "{wait}");
    // Another client is not blocked.
    let mut other = app.browser();
    other.peer = "198.51.100.9:5000".into();
    app.create_user("vrai@example.org", "Vrai", Role::Editor);
    assert_eq!(
        other.login("vrai@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

async fn failed_logins_on_one_account_are_limited_from_every_address(backend: Backend) {
    let config = WebConfig {
        login_attempts_per_account_per_hour: 3,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    app.create_user("cible@example.org", "Cible", Role::Admin);
    // One attempt from each of many addresses: no address reaches its own limit.
    let mut peers = (1..).map(|n| format!("198.51.100.{n}:4000"));
    let mut from_new_address = || {
        let mut b = app.browser();
        b.peer = peers.next().expect("address");
        b
    };
    let mut refusals = Vec::new();
    for email in ["cible@example.org", "personne@example.org"] {
        for _ in 0..3 {
            let res = from_new_address()
                .login(email, "devine devine devine")
                .await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{email}");
        }
        // The account's budget is spent: even the right password waits, and the typed
        // address written differently is the same account.
        let upper = email.to_uppercase();
        let res = from_new_address().login(&upper, PASSWORD).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{email}");
        res.assert_contains("Trop de tentatives");
        refusals.push(res);
    }
    // An existing account and an unknown address are refused alike: the answer tells nothing.
    assert_eq!(refusals[0].body, refusals[1].body);
    for refusal in &refusals {
        let wait = retry_after(refusal);
        assert!((1..=20 * 60).contains(&wait), "{wait}");
    }
    // Other accounts are not affected.
    app.create_user("autre@example.org", "Autre", Role::Editor);
    assert_eq!(
        from_new_address()
            .login("autre@example.org", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

/// Logs in through a proxy: the request comes from `peer`, with these `X-Forwarded-For` values.
async fn login_through(app: &TestApp, peer: &str, forwarded_for: &[&str]) -> Page {
    let mut browser = app.browser();
    browser.peer = peer.into();
    let token = browser.csrf().await;
    let body = serde_urlencoded::to_string([
        ("csrf", token.as_str()),
        ("email", "x@example.org"),
        ("password", "essai essai essai"),
    ])
    .expect("form");
    let mut req = actix_web::test::TestRequest::post()
        .uri("/connexion")
        .insert_header(("content-type", "application/x-www-form-urlencoded"));
    for value in forwarded_for {
        req = req.append_header(("x-forwarded-for", *value));
    }
    browser.send(req.set_payload(body)).await
}

async fn the_client_address_comes_from_trusted_proxies_only(backend: Backend) {
    let config = WebConfig {
        login_attempts_per_minute: 2,
        login_attempts_per_account_per_hour: 1000,
        trusted_proxies: TrustedProxies::parse(&["127.0.0.1/32", "10.0.0.0/8"]).expect("proxies"),
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    // Through the proxy, an attacker writes a new first hop each time: the proxy's own hop
    // (the right-most one) is what counts.
    for n in 0..2 {
        let forged = format!("6.6.6.{n}, 203.0.113.50");
        let res = login_through(&app, "127.0.0.1:50000", &[&forged]).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = login_through(&app, "127.0.0.1:50000", &["6.6.6.9, 203.0.113.50"]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Same when the forged hop comes as a header of its own, and through two proxies.
    let res = login_through(
        &app,
        "127.0.0.1:50000",
        &["6.6.6.10", "203.0.113.50, 10.0.0.2"],
    )
    .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy has its own budget.
    let res = login_through(&app, "127.0.0.1:50000", &["203.0.113.51"]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    // A client that is not a trusted proxy cannot pick its key with the header.
    for n in 0..2 {
        let claim = format!("192.0.2.{n}");
        let res = login_through(&app, "198.51.100.77:1234", &[&claim]).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = login_through(&app, "198.51.100.77:1234", &["192.0.2.99"]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn readers_are_sent_to_login_before_editing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Page", "x").await;
    let reader = app.browser();
    let res = reader.get("/wiki/page/modifier").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        res.location(),
        Some("/connexion?retour=%2Fwiki%2Fpage%2Fmodifier")
    );
    let form = reader
        .get("/connexion?retour=%2Fwiki%2Fpage%2Fmodifier")
        .await;
    assert_eq!(form.field("retour").as_deref(), Some("/wiki/page/modifier"));
}

/// What a role should get from a write route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Sent to the login form.
    Login,
    Forbidden,
    /// Done: 303 to the result.
    Done,
}

/// A password the rules accept.
const STRONG: &str = "la chèvre broute au lavoir";

/// What the permission table says `role` gets from a route that needs `permission`.
fn expect(role: Option<Role>, permission: Permission) -> Expect {
    match role {
        None => Expect::Login,
        Some(role) if role.can(permission) => Expect::Done,
        Some(_) => Expect::Forbidden,
    }
}

/// The fields of a form.
type Form<'a> = Vec<(&'a str, &'a str)>;

async fn every_write_route_answers_each_role_as_the_table_says(backend: Backend) {
    // Every role logs in and confirms its password from one address: no throttling here
    // (it has its own tests).
    let app = TestApp::with_config(
        backend,
        WebConfig {
            login_attempts_per_minute: 1_000,
            login_attempts_per_account_per_hour: 1_000,
            submissions_per_hour: 1_000,
            ..WebConfig::default()
        },
    )
    .await;
    app.load_territory();
    let owner = app.logged_in(Role::Admin).await;
    let roles: Vec<(&str, Option<Role>)> = std::iter::once(("anonymous", None))
        .chain(Role::ALL.iter().map(|r| (r.as_str(), Some(*r))))
        .collect();
    for (who, role) in roles {
        // Each role works on its own page and entry, so that one role's success does not
        // change what the next one finds.
        let title = format!("Page de {who}");
        let slug = format!("page-de-{who}");
        assert_eq!(
            owner.create_page(&title, "original").await.status,
            StatusCode::SEE_OTHER
        );
        owner.edit_page(&slug, "deuxième version", "").await;
        let entry = owner
            .create_entry(
                "service",
                &[
                    ("title", &format!("Service de {who}")),
                    ("commune", "79901"),
                    ("summary", "Un service pour les habitants."),
                    ("themes", "famille--soutien-aidants"),
                ],
            )
            .await;
        assert_eq!(entry.status, StatusCode::SEE_OTHER, "{}", entry.body);
        let entry_page = owner.get(entry.location().expect("entry url")).await;
        let id = entry_page
            .body
            .split("/gestion/fiches/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .expect("agent tools link")
            .to_owned();

        let browser = match role {
            Some(role) => app.logged_in(role).await,
            None => app.browser(),
        };
        // A member who confirmed their address (the exchange space asks it before posting).
        app.store()
            .write(|c| {
                use diesel::prelude::*;
                use lieu_store::schema::users;
                diesel::update(users::table.filter(users::role.eq("member")))
                    .set(users::email_confirmed_at.eq(Some(app.now())))
                    .execute(c)?;
                Ok(())
            })
            .expect("confirm members");
        let wiki = expect(role, Permission::EditPages);
        let entries = expect(role, Permission::ManageEntries);
        let mail = expect(role, Permission::ManageMail);
        let test_mail = expect(role, Permission::TestMail);
        let review = expect(role, Permission::ReviewSubmissions);
        // One waiting submission per decision, of this role alone.
        let to_approve = waiting_submission(&app, &format!("Association de {who}"));
        let to_edit = waiting_submission(&app, &format!("Club de {who}"));
        let to_ask = waiting_submission(&app, &format!("Collectif de {who}"));
        let to_reject = waiting_submission(&app, &format!("Amicale de {who}"));
        let edited_title = format!("Club modifié de {who}");
        let mail_id = app
            .store()
            .write(|c| {
                Ok(lieu_store::mail::enqueue(
                    c,
                    &lieu_store::mail::NewMail {
                        template: "test".into(),
                        to: "asso@example.org".into(),
                        subject: "Essai".into(),
                        text: "Essai".into(),
                        html: "<p>Essai</p>".into(),
                        ..Default::default()
                    },
                    app.now(),
                )?)
            })
            .expect("a message");
        let accounts = expect(role, Permission::ManageUsers);
        let post = expect(role, Permission::Post);
        let moderate = expect(role, Permission::Moderate);
        let manage_exchange = expect(role, Permission::ManageExchange);
        // This role's thread: an answered question of someone else, with a reply.
        let (thread, reply) = exchange_thread(&app, &format!("Question de {who}"));
        let category = app
            .store()
            .read(|c| lieu_store::exchange::category_by_slug(c, "entraide"))
            .expect("read")
            .expect("a category")
            .id;
        let category_name = format!("Catégorie de {who}");
        let (reply_id, category_id) = (reply.to_string(), category.to_string());
        let page_from_thread = format!("Réponse pour {who}");
        let own = expect(role, Permission::OwnAccount);
        let workshops = expect(role, Permission::RunWorkshops);
        let target = app.create_user(&format!("cible-{who}@example.org"), "Cible", Role::Editor);
        // Invited, never came: an invitation can be sent again.
        let pending = app
            .store()
            .write(|c| {
                Ok(lieu_store::models::users::insert(
                    c,
                    &lieu_store::models::users::NewUser {
                        email: &format!("attente-{who}@example.org"),
                        name: "",
                        role: "editor",
                        password_hash: "",
                        disabled: 0,
                        created_at: app.now(),
                    },
                )?)
            })
            .expect("a pending invitation")
            .id;
        let own_page = browser.get("/compte").await;
        let own_email = own_page
            .field("email")
            .unwrap_or_else(|| "personne@example.org".into());
        let page_id = app
            .store()
            .read(|c| Ok(lieu_store::wiki::page(c, &slug)?.id))
            .expect("the role's page");
        let watch_target = format!("page:{page_id}");
        let invited = format!("invite-{who}@example.org");
        let tomorrow = (app.today() + chrono::Days::new(1)).to_string();
        let new_title = format!("Nouvelle page de {who}");
        let renamed = format!("Page renommée de {who}");
        let entry_title = format!("Autre service de {who}");
        // Members (issue 12): a member for the agents to act on, and a confirmation link.
        let member = app.create_user(&format!("membre-{who}@example.org"), "Membre", Role::Member);
        let confirm_token = lieu_core::auth::random_token();
        let member_row = app
            .store()
            .read(|c| Ok(lieu_store::models::users::by_id(c, member)?))
            .expect("read")
            .expect("the member");
        app.store()
            .write(|c| {
                lieu_store::accounts::resend_confirmation(
                    c,
                    &member_row,
                    &lieu_store::accounts::NewLink {
                        token_digest: &lieu_core::auth::token_digest(&confirm_token),
                        expires_at: app.now() + chrono::TimeDelta::hours(1),
                    },
                    app.now(),
                    |u| lieu_store::mail::NewMail {
                        template: "test".into(),
                        to: u.email.clone(),
                        subject: "Lien".into(),
                        text: "Lien".into(),
                        html: "<p>Lien</p>".into(),
                        unsubscribe_url: String::new(),
                    },
                )
            })
            .expect("a confirmation link");
        // An address that has an account: nobody is logged in by signing up here.
        let signup_email = format!("cible-{who}@example.org");
        let writes: Vec<(String, Form, Expect)> = vec![
            (
                "/nouvelle-page".into(),
                vec![("title", &new_title), ("body", "x"), ("action", "save")],
                wiki,
            ),
            (
                format!("/wiki/{slug}/modifier"),
                vec![
                    ("body", "modifiée"),
                    ("base_revision", "2"),
                    ("action", "save"),
                ],
                wiki,
            ),
            (
                format!("/wiki/{slug}/restaurer"),
                vec![("revision", "1")],
                wiki,
            ),
            (
                format!("/wiki/{slug}/renommer"),
                vec![("title", &renamed)],
                wiki,
            ),
            (
                "/gestion/fiches/nouvelle".into(),
                vec![
                    ("type", "service"),
                    ("title", &entry_title),
                    ("commune", "79901"),
                    ("summary", "Un autre service."),
                    ("themes", "famille--soutien-aidants"),
                ],
                entries,
            ),
            (
                format!("/gestion/fiches/{id}/modifier"),
                vec![
                    ("type", "service"),
                    ("base_revision", "1"),
                    ("title", "Service modifié"),
                    ("commune", "79901"),
                    ("summary", "Modifié."),
                    ("themes", "famille--soutien-aidants"),
                ],
                entries,
            ),
            (format!("/gestion/fiches/{id}/verifier"), vec![], entries),
            // The edit above made revision 2 (verifying makes none).
            (
                format!("/gestion/fiches/{id}/archiver"),
                vec![("base_revision", "2")],
                entries,
            ),
            (
                format!("/gestion/fiches/{id}/restaurer"),
                vec![("base_revision", "3")],
                entries,
            ),
            (
                format!("/gestion/courriels/{mail_id}/reessayer"),
                vec![],
                mail,
            ),
            (
                "/gestion/courriels/essai".into(),
                vec![("to", "essai@example.org")],
                test_mail,
            ),
            (
                format!("/gestion/propositions/{}/approuver", to_approve.id),
                vec![("version", "1"), ("entry_revision", "")],
                review,
            ),
            (
                format!("/gestion/propositions/{}/modifier", to_edit.id),
                vec![
                    ("version", "1"),
                    ("entry_revision", ""),
                    ("title", &edited_title),
                    ("commune", "79901"),
                    ("summary", "Un club modifié par l’agent."),
                ],
                review,
            ),
            (
                format!("/gestion/propositions/{}/demander", to_ask.id),
                vec![("version", "1"), ("message", "Ajoutez vos horaires.")],
                review,
            ),
            (
                format!("/gestion/propositions/{}/refuser", to_reject.id),
                vec![("version", "1"), ("reason", "duplicate"), ("message", "")],
                review,
            ),
            (
                "/gestion/comptes/inviter".into(),
                vec![("email", &invited), ("role", "editor")],
                accounts,
            ),
            (
                format!("/gestion/comptes/{}/role", target.0),
                vec![("role", "agent")],
                accounts,
            ),
            (
                format!("/gestion/comptes/{}/desactiver", target.0),
                vec![],
                accounts,
            ),
            (
                format!("/gestion/comptes/{}/reactiver", target.0),
                vec![],
                accounts,
            ),
            (
                format!("/gestion/comptes/{pending}/reinviter"),
                vec![],
                accounts,
            ),
            (
                "/ateliers".into(),
                vec![
                    ("title", "Atelier courriel"),
                    ("day", &tomorrow),
                    ("participants", "2"),
                ],
                workshops,
            ),
            (
                "/echanges/entraide/nouveau".into(),
                vec![
                    ("title", "Un sujet de test"),
                    ("kind", "question"),
                    ("body", "Bonjour"),
                ],
                post,
            ),
            (
                format!("/wiki/{slug}/discussion/nouveau"),
                vec![
                    ("title", "Une remarque sur la page"),
                    ("kind", "discussion"),
                    ("body", "Bonjour"),
                ],
                post,
            ),
            (
                format!(
                    "{}/discussion/nouveau",
                    entry
                        .location()
                        .and_then(|l| l.split('?').next())
                        .expect("entry url")
                ),
                vec![
                    ("title", "Une question sur la fiche"),
                    ("kind", "question"),
                    ("body", "Bonjour"),
                ],
                post,
            ),
            (
                format!("/echanges/sujet/{thread}/repondre"),
                vec![("body", "Une réponse")],
                post,
            ),
            (
                format!("/echanges/message/{reply}/signaler"),
                vec![("reason", "spam"), ("detail", "")],
                post,
            ),
            (
                format!("/echanges/message/{reply}/modifier"),
                vec![("version", "1"), ("body", "Réponse corrigée")],
                moderate,
            ),
            (
                format!("/echanges/sujet/{thread}/page-wiki"),
                vec![
                    ("title", &page_from_thread),
                    ("body", "La question et la réponse."),
                ],
                moderate,
            ),
            (
                format!("/echanges/sujet/{thread}/reponse"),
                vec![("post", "")],
                moderate,
            ),
            (
                format!("/echanges/sujet/{thread}/moderer"),
                vec![("version", "1"), ("action", "pin"), ("reason", "")],
                moderate,
            ),
            (
                format!("/echanges/message/{reply}/decision"),
                vec![
                    ("decision", "hide_reported"),
                    ("reason", ""),
                    ("back", "/gestion/moderation"),
                ],
                moderate,
            ),
            (
                format!("/echanges/sujet/{thread}/scinder"),
                vec![
                    ("from", &reply_id),
                    ("title", "Un sujet à part"),
                    ("category", &category_id),
                    ("reason", ""),
                ],
                moderate,
            ),
            (
                "/gestion/echanges/reglages".into(),
                vec![
                    ("held_posts", "2"),
                    ("edit_minutes", "60"),
                    ("report_threshold", "3"),
                    ("new_member_posts_per_hour", "5"),
                ],
                manage_exchange,
            ),
            (
                "/gestion/echanges/categories".into(),
                vec![("name", &category_name), ("description", "")],
                manage_exchange,
            ),
            (
                format!("/gestion/echanges/categories/{category}"),
                vec![
                    ("name", "Entraide entre habitants"),
                    ("description", ""),
                    ("position", "2"),
                ],
                manage_exchange,
            ),
            (
                "/suivis".into(),
                vec![
                    ("cible", &watch_target),
                    ("action", "suivre"),
                    ("retour", "/"),
                ],
                own,
            ),
            // Notifications of the exchange space (issue 12).
            (
                "/suivre".into(),
                vec![("cible", &watch_target), ("retour", "/")],
                own,
            ),
            (
                "/ne-plus-suivre".into(),
                vec![("cible", &watch_target), ("retour", "/")],
                own,
            ),
            ("/notifications/lues".into(), vec![], own),
            (
                "/compte/notifications".into(),
                vec![("notify_mail", "daily")],
                own,
            ),
            (
                "/compte".into(),
                vec![
                    ("name", "Nom changé"),
                    ("email", &own_email),
                    ("current", ""),
                ],
                own,
            ),
            (
                "/compte/mot-de-passe".into(),
                vec![
                    ("current_password", PASSWORD),
                    ("password", STRONG),
                    ("password2", STRONG),
                ],
                own,
            ),
            // Members (issue 12).
            (
                "/inscription".into(),
                vec![
                    ("name", "Nouvel habitant"),
                    ("email", &signup_email),
                    ("password", STRONG),
                    ("password2", STRONG),
                    ("consent", "oui"),
                ],
                Expect::Done,
            ),
            (format!("/confirmer/{confirm_token}"), vec![], Expect::Done),
            ("/compte/confirmation".into(), vec![], own),
            (
                format!("/gestion/membres/{}/suspendre", member.0),
                vec![("days", "3"), ("reason", "Essai")],
                moderate,
            ),
            (
                format!("/gestion/membres/{}/lever", member.0),
                vec![],
                moderate,
            ),
            (
                format!("/gestion/membres/{}/masquer", member.0),
                vec![("hide_reason", "Essai")],
                moderate,
            ),
            (
                format!("/gestion/membres/{}/organisation", member.0),
                vec![("organisation", "")],
                moderate,
            ),
            // Last: the account goes.
            (
                "/compte/supprimer".into(),
                vec![("current_password", STRONG)],
                own,
            ),
        ];
        for (path, fields, expect) in &writes {
            let res = browser.post(path, fields).await;
            let location = res.location().unwrap_or_default();
            match expect {
                Expect::Login => {
                    assert_eq!(res.status, StatusCode::SEE_OTHER, "{who} {path}");
                    assert!(
                        location.starts_with("/connexion"),
                        "{who} {path}: {location}"
                    );
                }
                Expect::Forbidden => {
                    assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
                    res.assert_contains("Accès refusé");
                }
                Expect::Done => {
                    assert_eq!(
                        res.status,
                        StatusCode::SEE_OTHER,
                        "{who} {path}: {}",
                        res.body
                    );
                    assert!(
                        !location.starts_with("/connexion"),
                        "{who} {path}: {location}"
                    );
                }
            }
        }
        // What was refused left no trace.
        let reader = app.browser();
        let page_after = reader.get(&format!("/wiki/{slug}")).await;
        let entry_after = owner.get(&format!("/gestion/fiches/{id}/historique")).await;
        if wiki == Expect::Login {
            page_after.assert_contains("deuxième version");
            assert_eq!(
                reader
                    .get(&format!("/wiki/{}", slug_of(&new_title)))
                    .await
                    .status,
                StatusCode::NOT_FOUND,
                "{who}"
            );
        }
        if entries != Expect::Done {
            assert!(!entry_after.body.contains("Service modifié"), "{who}");
            assert!(!entry_after.body.contains("Fiche archivée"), "{who}");
            assert!(
                !reader
                    .get("/annuaire/services")
                    .await
                    .body
                    .contains(&entry_title),
                "{who}"
            );
        } else {
            entry_after.assert_contains("Service modifié");
            entry_after.assert_contains("Fiche archivée");
        }
        // The decisions took, or nothing moved.
        let decided = [
            (&to_approve, SubmissionStatus::Approved),
            (&to_edit, SubmissionStatus::Approved),
            (&to_ask, SubmissionStatus::ChangesRequested),
            (&to_reject, SubmissionStatus::Rejected),
        ];
        for (before, done) in decided {
            let after = submission(&app, before.id);
            if review == Expect::Done {
                assert_eq!(after.status(), Some(done), "{who} {}", before.title);
                assert_eq!(after.version, 2, "{who} {}", before.title);
            } else {
                assert_eq!(after, *before, "{who}: {} moved", before.title);
            }
        }
        let published = submission(&app, to_edit.id)
            .entry_id
            .and_then(|id| {
                app.store()
                    .read(|c| Ok(lieu_store::models::entries::by_id(c, id)?))
                    .expect("read the entry")
            })
            .map(|e| e.title);
        let approved = submission(&app, to_approve.id).entry_id;
        if review == Expect::Done {
            assert_eq!(published, Some(edited_title), "{who}: the agent's edits");
            assert!(approved.is_some(), "{who}: approval made an entry");
        } else {
            assert_eq!(published, None, "{who}");
            assert_eq!(approved, None, "{who}");
        }
    }
}

/// A submission waiting for an agent, written in the store as the referencing form writes it,
/// with `token` as its private link.
fn waiting_submission_with(app: &TestApp, title: &str, token: &str) -> Submission {
    let form = EntryForm {
        title: title.into(),
        commune: "79901".into(),
        summary: "Des ateliers de couture le mardi soir.".into(),
        ..EntryForm::default()
    };
    let sender = SenderContact {
        name: "Jeanne Dupré".into(),
        organisation: String::new(),
        email: "jeanne@example.org".into(),
        phone: String::new(),
    };
    let digest = lieu_core::auth::token_digest(token);
    app.store()
        .write(|c| {
            subs::create(
                c,
                &NewSubmission {
                    kind: Kind::Association,
                    target_entry_id: None,
                    form: &form,
                    sender: &sender,
                    token_digest: &digest,
                },
                &[],
                app.now(),
            )
        })
        .expect("a submission")
}

fn waiting_submission(app: &TestApp, title: &str) -> Submission {
    waiting_submission_with(app, title, &lieu_core::auth::random_token())
}

fn submission(app: &TestApp, id: i32) -> Submission {
    app.store()
        .read(|c| Ok(subs::by_id(c, id)?))
        .expect("read")
        .expect("the submission")
}

/// Submissions still to decide.
fn open_submissions(app: &TestApp) -> i64 {
    app.store()
        .read(|c| Ok(subs::count(c, &QueueFilter::default())?))
        .expect("count")
}

fn slug_of(title: &str) -> String {
    lieu_core::slug::slugify(title)
}

async fn forms_without_the_csrf_token_are_refused(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Cible", "original").await;
    let forged = [
        (
            "/nouvelle-page",
            vec![("title", "Forgée"), ("body", "x"), ("action", "save")],
        ),
        (
            "/wiki/cible/modifier",
            vec![
                ("body", "forgé"),
                ("base_revision", "1"),
                ("action", "save"),
            ],
        ),
        ("/wiki/cible/restaurer", vec![("revision", "1")]),
        ("/wiki/cible/renommer", vec![("title", "Forgée")]),
        // Notifications of the exchange space (issue 12).
        ("/suivre", vec![("cible", "category:1"), ("retour", "/")]),
        (
            "/ne-plus-suivre",
            vec![("cible", "category:1"), ("retour", "/")],
        ),
        ("/notifications/lues", vec![]),
        ("/compte/notifications", vec![("notify_mail", "none")]),
        ("/deconnexion", vec![]),
    ];
    for (path, fields) in &forged {
        for attempt in [fields.clone(), with_wrong_token(fields)] {
            let res = editor.post_raw(path, &attempt).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
            if path.ends_with("/modifier") || *path == "/nouvelle-page" {
                // Typed text is not lost: the form comes back with it and a fresh token.
                res.assert_contains("Ce formulaire a expiré");
                let body = fields.iter().find(|(k, _)| *k == "body").map(|(_, v)| *v);
                assert_eq!(res.textarea("body").as_deref(), body, "{path}");
            } else {
                res.assert_contains("Formulaire expiré");
            }
        }
    }
    // From another site, an edit is refused outright: no form filled with its text.
    let res = editor
        .send(
            actix_web::test::TestRequest::post()
                .uri("/wiki/cible/modifier")
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .insert_header(("sec-fetch-site", "cross-site"))
                .set_payload("body=pi%C3%A9ge&base_revision=1&action=save"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!res.body.contains("piège"), "{}", res.body);
    // A cross-site request is refused even with the right token.
    let token = editor.csrf().await;
    let res = editor
        .send(
            actix_web::test::TestRequest::post()
                .uri("/wiki/cible/renommer")
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .insert_header(("sec-fetch-site", "cross-site"))
                .set_payload(format!("csrf={token}&title=Forgee")),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    app.browser()
        .get("/wiki/cible")
        .await
        .assert_contains("original");
    assert!(
        editor.get("/pages").await.body.contains("Se déconnecter"),
        "still logged in"
    );

    // The sender's private link needs no account, an agent's decision needs one: a forged
    // token is refused all the same, and the submission does not move.
    app.load_territory();
    let token = lieu_core::auth::random_token();
    let waiting = waiting_submission_with(&app, "Les Fils d’Aubin", &token);
    let agent = app.logged_in(Role::Agent).await;
    let sender = app.browser();
    sender.csrf().await;
    let decisions = [
        (
            &sender,
            format!("/suivi/{token}/retirer"),
            vec![("version", "1")],
        ),
        (
            &agent,
            format!("/gestion/propositions/{}/refuser", waiting.id),
            vec![("version", "1"), ("reason", "duplicate"), ("message", "")],
        ),
    ];
    for (browser, path, fields) in &decisions {
        for attempt in [fields.clone(), with_wrong_token(fields)] {
            let res = browser.post_raw(path, &attempt).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
            res.assert_contains("Formulaire expiré");
        }
    }
    assert_eq!(submission(&app, waiting.id), waiting, "nothing moved");

    // The referencing form comes back with what was typed and a notice, and records nothing.
    let shown = sender.get("/referencer?type=association").await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    let stamp = shown.field("debut").expect("the form's stamp");
    let proposal = vec![
        ("type", "association"),
        ("debut", stamp.as_str()),
        ("title", "Club forgé"),
        ("commune", "79901"),
        ("summary", "Un club qui n’existe pas."),
        ("sender_name", "Robot"),
        ("sender_email", "robot@example.org"),
        ("consent", "oui"),
    ];
    let open_before = open_submissions(&app);
    for attempt in [proposal.clone(), with_wrong_token(&proposal)] {
        let res = sender.post_raw("/referencer", &attempt).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        res.assert_contains("Votre page était ouverte depuis longtemps");
        assert_eq!(res.field("title").as_deref(), Some("Club forgé"));
        assert_eq!(
            res.field("sender_email").as_deref(),
            Some("robot@example.org")
        );
    }
    assert_eq!(open_submissions(&app), open_before, "nothing recorded");
    assert!(
        app.send_mail().is_empty(),
        "no message for a refused proposal"
    );

    // Accounts, watches, workshops and the exchange space: a forged form changes nothing and
    // sends nothing.
    let admin = app.logged_in(Role::Admin).await;
    let (forged_thread, forged_reply) = exchange_thread(&app, "Question forgée");
    let posts_before = exchange_rows(&app);
    // The forms that carry a text come back with it (an expired page), and write nothing.
    for (path, fields) in [
        (
            "/echanges/entraide/nouveau".to_owned(),
            vec![
                ("title", "Sujet forgé"),
                ("kind", "question"),
                ("body", "Forgé"),
            ],
        ),
        (
            format!("/echanges/sujet/{forged_thread}/repondre"),
            vec![("body", "Réponse forgée")],
        ),
        (
            format!("/echanges/message/{forged_reply}/modifier"),
            vec![("version", "1"), ("body", "Modifié par un pirate")],
        ),
        (
            format!("/echanges/message/{forged_reply}/signaler"),
            vec![("reason", "spam"), ("detail", "")],
        ),
    ] {
        for attempt in [fields.clone(), with_wrong_token(&fields)] {
            let res = admin.post_raw(&path, &attempt).await;
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}: {}", res.body);
            res.assert_contains("Ce formulaire a expiré");
        }
    }
    let victim = app.create_user("victime@example.org", "Victime", Role::Editor);
    let suspect = app.create_user("suspect@example.org", "Suspect", Role::Member);
    let accounts_before = app
        .store()
        .read(|c| Ok(lieu_store::accounts::page(c, None, 1_000)?.len()))
        .expect("accounts");
    let forged = [
        (
            "/gestion/comptes/inviter".to_owned(),
            vec![("email", "pirate@example.org"), ("role", "admin")],
        ),
        (
            format!("/gestion/comptes/{}/role", victim.0),
            vec![("role", "admin")],
        ),
        (format!("/gestion/comptes/{}/desactiver", victim.0), vec![]),
        (
            "/compte".to_owned(),
            vec![("name", "Pirate"), ("email", "pirate@example.org")],
        ),
        (
            "/compte/mot-de-passe".to_owned(),
            vec![
                ("current_password", PASSWORD),
                ("password", STRONG),
                ("password2", STRONG),
            ],
        ),
        (
            "/compte/supprimer".to_owned(),
            vec![("current_password", PASSWORD)],
        ),
        (
            "/suivis".to_owned(),
            vec![("cible", "page:1"), ("action", "suivre"), ("retour", "/")],
        ),
        (
            "/ateliers".to_owned(),
            vec![
                ("title", "Forgé"),
                ("day", "2030-01-01"),
                ("participants", "3"),
            ],
        ),
        (
            "/mot-de-passe-oublie".to_owned(),
            vec![("email", "victime@example.org")],
        ),
        (
            format!("/echanges/message/{forged_reply}/decision"),
            vec![("decision", "hide_reported"), ("reason", ""), ("back", "/")],
        ),
        (
            format!("/echanges/sujet/{forged_thread}/reponse"),
            vec![("post", "")],
        ),
        (
            format!("/echanges/sujet/{forged_thread}/moderer"),
            vec![("version", "1"), ("action", "lock"), ("reason", "")],
        ),
        (
            "/gestion/echanges/reglages".to_owned(),
            vec![
                ("held_posts", "0"),
                ("edit_minutes", "0"),
                ("report_threshold", "1"),
                ("new_member_posts_per_hour", "500"),
            ],
        ),
        (
            "/gestion/echanges/categories".to_owned(),
            vec![("name", "Forgée"), ("description", "")],
        ),
        // Members (issue 12).
        (
            "/inscription".to_owned(),
            vec![
                ("name", "Pirate"),
                ("email", "pirate@example.org"),
                ("password", STRONG),
                ("password2", STRONG),
                ("consent", "oui"),
            ],
        ),
        (format!("/confirmer/{}", "0".repeat(64)), vec![]),
        ("/compte/confirmation".to_owned(), vec![]),
        (
            format!("/gestion/membres/{}/suspendre", suspect.0),
            vec![("days", "3"), ("reason", "Forgé")],
        ),
        (format!("/gestion/membres/{}/lever", suspect.0), vec![]),
        (format!("/gestion/membres/{}/masquer", suspect.0), vec![]),
        (
            format!("/gestion/membres/{}/organisation", suspect.0),
            vec![("organisation", "")],
        ),
    ];
    for (path, fields) in &forged {
        for attempt in [fields.clone(), with_wrong_token(fields)] {
            let res = admin.post_raw(path, &attempt).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
        }
    }
    let after = app
        .store()
        .read(|c| lieu_store::accounts::page(c, None, 1_000))
        .expect("accounts");
    assert_eq!(after.len(), accounts_before, "no account invited");
    let victim = after
        .iter()
        .find(|u| u.id == victim.0)
        .expect("the victim's account");
    assert_eq!((victim.role(), victim.is_disabled()), (Role::Editor, false));
    assert!(
        admin.get("/compte").await.status == StatusCode::OK,
        "still there"
    );
    assert!(app.send_mail().is_empty(), "no message for a forged form");
    let suspect = app
        .store()
        .read(|c| Ok(lieu_store::models::users::by_id(c, suspect)?))
        .expect("read")
        .expect("the member");
    assert!(suspect.suspended_until.is_none(), "no suspension forged");
    assert_eq!(
        exchange_rows(&app),
        posts_before,
        "no post, report or decision"
    );
}

/// What the exchange space holds, to compare before and after: (posts with their state,
/// version and open reports, threads with their flags, categories, settings).
fn exchange_rows(app: &TestApp) -> String {
    use diesel::prelude::*;
    use lieu_store::schema::{
        exchange_categories, exchange_posts, exchange_settings, exchange_threads,
    };
    app.store()
        .read(|c| {
            let posts: Vec<(i32, String, i32, i32)> = exchange_posts::table
                .select((
                    exchange_posts::id,
                    exchange_posts::state,
                    exchange_posts::version,
                    exchange_posts::open_reports,
                ))
                .order(exchange_posts::id)
                .load(c)?;
            let threads: Vec<(i32, i32, i32, Option<i32>)> = exchange_threads::table
                .select((
                    exchange_threads::id,
                    exchange_threads::locked,
                    exchange_threads::pinned,
                    exchange_threads::answer_post_id,
                ))
                .order(exchange_threads::id)
                .load(c)?;
            let categories: i64 = exchange_categories::table.count().get_result(c)?;
            let settings: Vec<(i32, i32, i32, i32)> = exchange_settings::table
                .select((
                    exchange_settings::held_posts,
                    exchange_settings::edit_minutes,
                    exchange_settings::report_threshold,
                    exchange_settings::new_member_posts_per_hour,
                ))
                .load(c)?;
            Ok(format!("{posts:?} {threads:?} {categories} {settings:?}"))
        })
        .expect("read the exchange space")
}

/// `fields` with a CSRF token that is not the browser's.
fn with_wrong_token<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut forged = fields.to_vec();
    forged.push((
        "csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    forged
}

async fn scripts_in_page_bodies_never_reach_readers(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let attack = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[clic](javascript:alert(3))\n\n<a href=\"https://example.org\" onclick=\"alert(4)\">lien</a>";
    editor.create_page("Piège", attack).await;
    let page = app.browser().get("/wiki/piege").await;
    assert_eq!(page.status, StatusCode::OK);
    for bad in ["<script>alert", "onerror=", "javascript:", "onclick="] {
        assert!(!page.body.contains(bad), "{bad} reached the page");
    }
    page.assert_contains("rel=\"nofollow noopener\"");
    let csp = page
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("script-src 'self';"), "{csp}");
    // Markup in a title is refused; what a title may hold is escaped.
    let refused = editor.create_page("Titre <b>gras</b>", "x").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Le titre ne peut pas contenir les signes");
    editor.create_page("Titre \"cité\" & co", "x").await;
    let index = app.browser().get("/pages").await;
    index.assert_contains("Titre &quot;cité&quot; &amp; co");
}

/// Ways to write "another site" that browsers follow and naive checks let through.
const OFF_SITE: &[&str] = &[
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/%5cevil.example",
    "%2f%2fevil.example",
    "/%2f%2fevil.example",
    "https:evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%252f%252fevil.example",
    "/%0d%0aLocation:evil",
    "/a/../..//evil.example",
];

/// What a browser would do with a `Location`: stay on this site only for a path that starts
/// with exactly one slash and holds nothing a browser strips or rewrites.
#[track_caller]
fn assert_local(location: Option<&str>, sent: &str) {
    let location = location.expect("a Location header");
    assert!(
        location.starts_with('/')
            && !location.starts_with("//")
            && !location.contains('\\')
            && !location.chars().any(|c| c.is_control()),
        "{sent:?} led to {location:?}"
    );
}

async fn after_login_the_reader_comes_back_only_to_this_site(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("e@example.org", "E", Role::Editor);
    let mut n = 0;
    let mut login_with = async |retour: &str| {
        n += 1;
        let mut browser = app.browser();
        browser.peer = format!("192.0.2.{n}:4000");
        let res = browser
            .post(
                "/connexion",
                &[
                    ("email", "e@example.org"),
                    ("password", PASSWORD),
                    ("retour", retour),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{retour:?}: {}",
            res.body
        );
        res
    };
    let res = login_with("/wiki/accueil?x=1").await;
    assert_eq!(res.location(), Some("/wiki/accueil?x=1"));
    for retour in OFF_SITE {
        let res = login_with(retour).await;
        assert_local(res.location(), retour);
        assert_eq!(res.location(), Some("/"), "{retour:?}");
    }
    // The login form does not carry an off-site value forward either.
    let reader = app.browser();
    for retour in OFF_SITE {
        let query = serde_urlencoded::to_string([("retour", retour)]).expect("query");
        let form = reader.get(&format!("/connexion?{query}")).await;
        assert_eq!(form.field("retour").as_deref(), Some("/"), "{retour:?}");
    }
    let form = reader.get("/connexion?retour=/%09/evil.example").await;
    assert_eq!(form.field("retour").as_deref(), Some("/"));
}

fn csp(res: &Page) -> String {
    res.headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .expect("a Content-Security-Policy")
        .to_owned()
}

/// The sources a CSP directive allows.
fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map(|rest| rest.split_whitespace().collect())
        .unwrap_or_default()
}

async fn outside_images_are_blocked_unless_the_admin_allows_them(backend: Backend) {
    let app = TestApp::new(backend).await;
    let policy = csp(&app.browser().get("/pages").await);
    assert_eq!(
        directive(&policy, "img-src"),
        ["'self'", "data:"],
        "{policy}"
    );
    assert_eq!(directive(&policy, "script-src"), ["'self'"], "{policy}");

    let config = WebConfig {
        allow_external_images: true,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(backend, config).await;
    let policy = csp(&app.browser().get("/pages").await);
    assert_eq!(
        directive(&policy, "img-src"),
        ["'self'", "data:", "https:"],
        "{policy}"
    );
    assert_eq!(directive(&policy, "script-src"), ["'self'"], "{policy}");
}

async fn responses_are_gzipped_only_as_the_client_accepts(backend: Backend) {
    let app = TestApp::new(backend).await;
    let browser = app.browser();
    for (accept, gzipped) in [
        (None, false),
        (Some("gzip"), true),
        (Some("br, gzip;q=0.5"), true),
        (Some("gzip, deflate, br, zstd"), true),
        (Some("gzip;q=0"), false),
        (Some("identity"), false),
        (Some("identity, gzip;q=0.5"), false),
        (Some("gzip;q=0, *"), false),
        (Some("*"), false),
        (Some("br"), false),
    ] {
        let mut req = actix_web::test::TestRequest::get().uri("/static/lieu.css");
        if let Some(value) = accept {
            req = req.insert_header(("accept-encoding", value));
        }
        let res = browser.send(req).await;
        assert_eq!(res.status, StatusCode::OK);
        let encoding = res.headers.get("content-encoding").map(|v| v.as_bytes());
        assert_eq!(encoding == Some(b"gzip"), gzipped, "{accept:?}");
        if !gzipped {
            assert_eq!(encoding, None, "{accept:?}");
            assert!(res.body.contains("font-family"), "{accept:?}: plain CSS");
        }
        assert_eq!(
            res.headers.get("vary").map(|v| v.as_bytes()),
            Some(&b"accept-encoding"[..]),
            "{accept:?}"
        );
    }
}

/// A text of `bytes` bytes that URL-encoding makes three times larger (like French text full
/// of accents), ending with a marker to find it whole.
fn long_text(bytes: usize) -> String {
    let mut text = "é".repeat(bytes / 2);
    text.push_str(" FIN-DU-TEXTE");
    text
}

async fn a_text_over_the_content_limit_comes_back_in_its_form(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    agent.create_page("Longue", "court").await;

    // 300 KB of text, 1.8 MB once encoded: over the page limit, under the raw limit.
    let text = long_text(300_000);
    let res = agent
        .edit_page("longue", &text, "collé depuis un document")
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &res.body[..200.min(res.body.len())]
    );
    res.assert_contains("Le texte est trop long");
    assert_eq!(res.textarea("body").as_deref(), Some(text.as_str()));
    assert_eq!(
        res.field("summary").as_deref(),
        Some("collé depuis un document")
    );
    app.browser()
        .get("/wiki/longue")
        .await
        .assert_contains("court");

    let res = agent
        .create_entry(
            "service",
            &[
                ("title", "Service au long cours"),
                ("commune", "79901"),
                ("summary", "Un service."),
                ("themes", "famille--soutien-aidants"),
                ("description", &text),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &res.body[..200.min(res.body.len())]
    );
    res.assert_contains("Ce texte est trop long");
    assert_eq!(res.textarea("description").as_deref(), Some(text.as_str()));
    assert_eq!(res.field("title").as_deref(), Some("Service au long cours"));
}

async fn a_form_over_the_raw_limit_is_refused_with_a_french_page(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.load_territory();
    let agent = app.logged_in(Role::Agent).await;
    agent.create_page("Longue", "court").await;
    let text = long_text(FORM_LIMIT_BYTES);
    let edit = agent.get("/wiki/longue/modifier").await;
    let base = edit.field("base_revision").expect("base");
    let attempts = [
        (
            "/wiki/longue/modifier",
            vec![
                ("body", text.as_str()),
                ("base_revision", &base),
                ("action", "save"),
            ],
        ),
        (
            "/gestion/fiches/nouvelle",
            vec![
                ("type", "service"),
                ("title", "Service"),
                ("commune", "79901"),
                ("description", text.as_str()),
            ],
        ),
    ];
    for (path, fields) in &attempts {
        let res = agent.post(path, fields).await;
        assert_eq!(
            res.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{path}: {}",
            res.body
        );
        res.assert_contains("Formulaire trop volumineux");
        res.assert_contains("4 Mo");
        res.assert_contains("bouton « Retour »");
        res.assert_contains("rien n’a été enregistré");
        assert!(
            res.headers
                .get("content-type")
                .is_some_and(|v| v.as_bytes().starts_with(b"text/html")),
            "{path}"
        );
    }
    app.browser()
        .get("/wiki/longue")
        .await
        .assert_contains("court");
}

async fn every_change_is_written_to_the_audit_log(backend: Backend) {
    use lieu_store::models::audit_log;
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Journal", "a").await;
    editor.edit_page("journal", "b", "").await;
    editor
        .post("/wiki/journal/restaurer", &[("revision", "1")])
        .await;
    editor
        .post("/wiki/journal/renommer", &[("title", "Journal de bord")])
        .await;
    let actions: Vec<String> = app
        .store()
        .read(|c| Ok(audit_log::recent(c, 10)?))
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "page.rename",
            "page.revert",
            "page.edit",
            "page.create",
            "user.login"
        ]
    );
}

/// PostgreSQL text cannot hold NUL: left to the database, `%00` answered 500 there (and was
/// stored on SQLite). Refused before any handler, in addresses and in forms alike.
async fn a_nul_character_is_refused_as_a_bad_request_on_every_backend(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.import_wiki_content();
    let anonymous = app.browser();
    for path in [
        "/annuaire/services?theme=%00",
        "/wiki/%00",
        "/wiki/accueil%00/historique",
        "/annuaire/evenements/%00.ics",
    ] {
        let res = anonymous.get(path).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}");
        res.assert_contains("lang=\"fr\"");
    }
    let editor = app.logged_in(Role::Editor).await;
    let res = editor
        .post(
            "/nouvelle-page",
            &[("title", "Nul\0part"), ("body", "texte"), ("summary", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(
        !editor.get("/pages").await.body.contains("Nul"),
        "nothing was saved"
    );
    // A percent sign typed on purpose is not a NUL.
    let res = editor
        .post(
            "/nouvelle-page",
            &[
                ("title", "Remise de 100 %00"),
                ("body", "a"),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// An answered question with a reply, asked by an agent of its own: (thread id, reply id).
fn exchange_thread(app: &TestApp, title: &str) -> (i32, i32) {
    let n: u32 = rand::random();
    let asker = app.create_user(&format!("auteur-{n}@example.org"), "Auteur", Role::Agent);
    app.store()
        .write(|c| {
            let user = lieu_store::models::users::by_id(c, asker)?.expect("the asker");
            let category =
                lieu_store::exchange::category_by_slug(c, "entraide")?.expect("a category");
            let now = app.now();
            let (thread, _) = lieu_store::exchange::start_thread(
                c,
                &user,
                lieu_core::exchange::Subject::Category(category.id),
                title,
                lieu_core::exchange::ThreadKind::Question,
                "Comment faire ?",
                now,
            )?;
            let reply = lieu_store::exchange::reply(
                c,
                &user,
                thread.thread_id(),
                "Ainsi.",
                None,
                false,
                now,
            )?;
            lieu_store::exchange::mark_answer(
                c,
                &user,
                true,
                thread.thread_id(),
                Some(reply.post_id()),
                now,
            )?;
            // Reported by someone, so that a moderator has a report to decide.
            let reporter = lieu_store::models::users::insert(
                c,
                &lieu_store::models::users::NewUser {
                    email: &format!("signale-{n}@example.org"),
                    name: "Signaleur",
                    role: "editor",
                    password_hash: "",
                    disabled: 0,
                    created_at: now,
                },
            )?;
            lieu_store::exchange::report(
                c,
                &reporter,
                reply.post_id(),
                lieu_core::exchange::ReportReason::Spam,
                "",
                now,
            )?;
            Ok((thread.id, reply.id))
        })
        .expect("a thread")
}
