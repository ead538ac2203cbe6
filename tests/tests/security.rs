//! Accounts, permissions, CSRF, rate limits and sanitizing, end to end.

use actix_web::http::StatusCode;
use lieu_core::Role;
use lieu_tests::{Backend, PASSWORD, TestApp, on_both_backends};
use lieu_web::WebConfig;

on_both_backends!(
    login_sets_a_secure_session_and_logout_ends_it,
    wrong_passwords_are_refused_in_french_and_keep_the_email,
    login_is_rate_limited_per_client,
    readers_are_sent_to_login_before_editing,
    every_write_needs_the_right_role,
    forms_without_the_csrf_token_are_refused,
    scripts_in_page_bodies_never_reach_readers,
    after_login_the_reader_comes_back_only_to_this_site,
    every_change_is_written_to_the_audit_log,
);

async fn login_sets_a_secure_session_and_logout_ends_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("agent@example.org", "Agnès Agent", Role::Agent);
    let browser = app.browser();
    let res = browser.login("Agent@Example.org", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let set_cookie: Vec<_> = res
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .collect();
    let session = set_cookie
        .iter()
        .find(|c| c.starts_with("lieu_session="))
        .expect("session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
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

async fn wrong_passwords_are_refused_in_french_and_keep_the_email(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("editrice@example.org", "Édith", Role::Editor);
    let browser = app.browser();
    let res = browser
        .login("editrice@example.org", "mauvais mot de passe")
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_contains("Adresse e-mail ou mot de passe incorrect");
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
    assert_eq!(
        blocked
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("60")
    );
    // Another client is not blocked.
    let mut other = app.browser();
    other.peer = "198.51.100.9:5000".into();
    app.create_user("vrai@example.org", "Vrai", Role::Editor);
    assert_eq!(
        other.login("vrai@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
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

async fn every_write_needs_the_right_role(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Protégée", "original").await;
    let reader = app.browser();
    let writes: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "/nouvelle-page",
            vec![("title", "Spam"), ("body", "spam"), ("action", "save")],
        ),
        (
            "/wiki/protegee/modifier",
            vec![
                ("body", "vandale"),
                ("base_revision", "1"),
                ("action", "save"),
            ],
        ),
        ("/wiki/protegee/restaurer", vec![("revision", "1")]),
        ("/wiki/protegee/renommer", vec![("title", "Volée")]),
    ];
    for (path, fields) in &writes {
        let res = reader.post(path, fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            res.location().is_some_and(|l| l.starts_with("/connexion")),
            "{path}"
        );
    }
    let page = app.browser().get("/wiki/protegee").await;
    page.assert_contains("original");
    assert_eq!(
        app.browser().get("/wiki/spam").await.status,
        StatusCode::NOT_FOUND
    );
    // A disabled or unknown role cannot sneak in: the role table decides.
    assert!(!Role::Editor.can(lieu_core::Permission::ManageUsers));
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
        ("/deconnexion", vec![]),
    ];
    for (path, fields) in &forged {
        let mut with_wrong_token = fields.clone();
        with_wrong_token.push((
            "csrf",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ));
        for attempt in [fields.clone(), with_wrong_token] {
            let res = editor.post_raw(path, &attempt).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
            res.assert_contains("Formulaire expiré");
        }
    }
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
    assert!(csp.contains("script-src 'none'"), "{csp}");
    // Markup in a title is refused; what a title may hold is escaped.
    let refused = editor.create_page("Titre <b>gras</b>", "x").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Le titre ne peut pas contenir les signes");
    editor.create_page("Titre \"cité\" & co", "x").await;
    let index = app.browser().get("/pages").await;
    index.assert_contains("Titre &quot;cité&quot; &amp; co");
}

async fn after_login_the_reader_comes_back_only_to_this_site(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("e@example.org", "E", Role::Editor);
    let browser = app.browser();
    let res = browser
        .post(
            "/connexion",
            &[
                ("email", "e@example.org"),
                ("password", PASSWORD),
                ("retour", "/wiki/x/modifier"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/wiki/x/modifier"));
    let evil = app.browser();
    let res = evil
        .post(
            "/connexion",
            &[
                ("email", "e@example.org"),
                ("password", PASSWORD),
                ("retour", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/"));
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
