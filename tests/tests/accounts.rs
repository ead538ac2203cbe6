//! Accounts of the team through the real app (issue 10): an admin invites by e-mail and the
//! invited person chooses a password through the link; a forgotten password is reset by a
//! single-use, expiring link that ends every session; roles change and accounts close, never
//! the last administrator; one's own account page; deleting one's account leaves the edits
//! under a neutral name; watchers get at most one message a day per watch, of others' changes.

use actix_web::http::StatusCode;
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::Role;
use lieu_store::models::users;
use lieu_tests::{Backend, Browser, PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    an_admin_invites_an_agent_who_sets_a_password_through_the_emailed_link,
    an_invitation_link_expires_and_an_address_cannot_be_invited_twice,
    a_forgotten_password_is_reset_by_a_single_use_link_that_ends_every_session,
    reset_requests_say_the_same_for_unknown_addresses_and_are_throttled,
    roles_change_and_accounts_close_but_never_the_last_admin,
    two_admins_demoting_each_other_at_once_leave_one_admin,
    the_account_page_changes_name_address_and_password_and_lists_own_edits,
    deleting_ones_account_keeps_the_edits_under_a_neutral_name,
    watchers_get_one_message_a_day_of_the_changes_others_made,
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

const STRONG: &str = "la chèvre broute au lavoir";

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
    rest[..end].to_owned()
}

fn path_of(url: &str) -> String {
    url.trim_start_matches("http://127.0.0.1:8080").to_owned()
}

fn user(app: &TestApp, email: &str) -> users::User {
    app.store()
        .read(|c| Ok(users::by_email(c, email)?))
        .expect("read")
        .expect("the account exists")
}

async fn log_in<'a>(app: &'a TestApp, email: &str, password: &str, peer: &str) -> Browser<'a> {
    let mut browser = app.browser();
    browser.peer = peer.to_owned();
    let res = browser.login(email, password).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "login: {}", res.body);
    browser
}

async fn an_admin_invites_an_agent_who_sets_a_password_through_the_emailed_link(backend: Backend) {
    let app = app(backend).await;
    let admin = app.logged_in(Role::Admin).await;
    let list = admin.get("/gestion/comptes").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("Inviter une personne");

    let res = admin
        .post(
            "/gestion/comptes/inviter",
            &[("email", " Lea.Martin@Mairie.fr "), ("role", "agent")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let account_page = admin.get(res.location().expect("account page")).await;
    account_page.assert_contains("Invitation envoyée");
    account_page.assert_contains("lea.martin@mairie.fr");

    // The invited account exists, cannot log in yet, and got its link by e-mail.
    let invited = user(&app, "lea.martin@mairie.fr");
    assert_eq!(invited.role(), Role::Agent);
    assert!(invited.password_hash.is_empty());
    let link = path_of(&link_in_mail(
        &app,
        "lea.martin@mairie.fr",
        "http://127.0.0.1:8080/invitation/",
    ));
    let stranger = app.browser();
    assert_eq!(
        stranger.login("lea.martin@mairie.fr", "").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Léa opens the link: private page, nothing changes by opening it.
    let lea = app.browser();
    let form = lea.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(
        form.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    form.assert_contains("Agent France Services");
    // Weak, then mistyped, passwords are refused with the form again, in French.
    let weak = lea
        .post(
            &link,
            &[
                ("name", "Léa Martin"),
                ("password", "azertyuiop"),
                ("password2", "azertyuiop"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    weak.assert_contains("trop facile à deviner");
    weak.assert_contains("Léa Martin");
    let own_name = lea
        .post(
            &link,
            &[
                ("name", "Léa Martin"),
                ("password", "leamartin2026"),
                ("password2", "leamartin2026"),
            ],
        )
        .await;
    assert_eq!(
        own_name.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "her own name is guessable"
    );
    let mismatch = lea
        .post(
            &link,
            &[
                ("name", "Léa Martin"),
                ("password", STRONG),
                ("password2", "autre chose encore"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    mismatch.assert_contains("ne sont pas identiques");
    let done = lea
        .post(
            &link,
            &[
                ("name", "Léa Martin"),
                ("password", STRONG),
                ("password2", STRONG),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/compte?fait=bienvenue"));
    let welcome = lea.get("/compte?fait=bienvenue").await;
    welcome.assert_contains("Bienvenue");
    // She is an agent now: the review queue opens.
    assert_eq!(
        lea.get("/gestion/propositions").await.status,
        StatusCode::OK
    );

    // The link served once.
    assert_eq!(app.browser().get(&link).await.status, StatusCode::GONE);
    let again = app
        .browser()
        .post(
            &link,
            &[
                ("name", "Intrus"),
                ("password", STRONG),
                ("password2", STRONG),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(user(&app, "lea.martin@mairie.fr").name, "Léa Martin");
    // And the password works from a fresh browser.
    log_in(&app, "lea.martin@mairie.fr", STRONG, "198.51.100.1:1").await;
}

async fn an_invitation_link_expires_and_an_address_cannot_be_invited_twice(backend: Backend) {
    let app = app(backend).await;
    let admin = app.logged_in(Role::Admin).await;
    let invite = |email: &'static str, role: &'static str| {
        let admin = &admin;
        async move {
            admin
                .post(
                    "/gestion/comptes/inviter",
                    &[("email", email), ("role", role)],
                )
                .await
        }
    };
    assert_eq!(
        invite("paul@example.org", "editor").await.status,
        StatusCode::SEE_OTHER
    );
    let first = path_of(&link_in_mail(
        &app,
        "paul@example.org",
        "http://127.0.0.1:8080/invitation/",
    ));
    // An account that exists already is refused; a practice role or an unknown one too.
    app.create_user("deja@example.org", "Déjà", Role::Editor);
    let taken = invite("deja@example.org", "agent").await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    taken.assert_contains("Un compte existe déjà");
    for role in ["trainee", "superadmin", ""] {
        let res = invite("nouveau@example.org", role).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        res.assert_contains("Choisissez un rôle");
    }
    let bad = invite("pas une adresse", "agent").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Eight days later the link no longer works; a new invitation replaces it.
    app.set_now(start() + TimeDelta::days(8));
    assert_eq!(app.browser().get(&first).await.status, StatusCode::GONE);
    let paul = user(&app, "paul@example.org");
    let page = admin.get(&format!("/gestion/comptes/{}", paul.id)).await;
    page.assert_contains("Invitation expirée");
    let res = admin
        .post(&format!("/gestion/comptes/{}/reinviter", paul.id), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let second = path_of(&link_in_mail(
        &app,
        "paul@example.org",
        "http://127.0.0.1:8080/invitation/",
    ));
    assert_ne!(first, second);
    assert_eq!(app.browser().get(&second).await.status, StatusCode::OK);
    // Inviting the pending address again also sends a new link, and the old one dies.
    assert_eq!(
        invite("paul@example.org", "trainer").await.status,
        StatusCode::SEE_OTHER
    );
    let third = path_of(&link_in_mail(
        &app,
        "paul@example.org",
        "http://127.0.0.1:8080/invitation/",
    ));
    assert_eq!(app.browser().get(&second).await.status, StatusCode::GONE);
    assert_eq!(app.browser().get(&third).await.status, StatusCode::OK);
    assert_eq!(user(&app, "paul@example.org").role(), Role::Trainer);
    // A link that was never one.
    assert_eq!(
        app.browser().get("/invitation/abc").await.status,
        StatusCode::GONE
    );
}

async fn a_forgotten_password_is_reset_by_a_single_use_link_that_ends_every_session(
    backend: Backend,
) {
    let app = app(backend).await;
    app.create_user("marie@example.org", "Marie", Role::Editor);
    let elsewhere = log_in(&app, "marie@example.org", PASSWORD, "198.51.100.2:1").await;
    assert_eq!(elsewhere.get("/compte").await.status, StatusCode::OK);

    let marie = app.browser();
    let form = marie.get("/connexion").await;
    form.assert_contains("/mot-de-passe-oublie");
    let asked = marie
        .post("/mot-de-passe-oublie", &[("email", "Marie@Example.org")])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    asked.assert_contains("Si un compte existe");
    let link = path_of(&link_in_mail(
        &app,
        "marie@example.org",
        "http://127.0.0.1:8080/mot-de-passe/",
    ));
    let page = marie.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers
            .get("referrer-policy")
            .and_then(|v| v.to_str().ok()),
        Some("no-referrer")
    );
    let weak = marie
        .post(
            &link,
            &[
                ("password", "motdepasse123"),
                ("password2", "motdepasse123"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = marie
        .post(&link, &[("password", STRONG), ("password2", STRONG)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(marie.get("/compte").await.status, StatusCode::OK);

    // The other session ended, the old password no longer works, the new one does.
    assert_eq!(elsewhere.get("/compte").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser()
            .login("marie@example.org", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    log_in(&app, "marie@example.org", STRONG, "198.51.100.3:1").await;
    // Single use.
    assert_eq!(app.browser().get(&link).await.status, StatusCode::GONE);

    // A link is good for an hour.
    let asked = app
        .browser()
        .post("/mot-de-passe-oublie", &[("email", "marie@example.org")])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let late = path_of(&link_in_mail(
        &app,
        "marie@example.org",
        "http://127.0.0.1:8080/mot-de-passe/",
    ));
    assert_ne!(late, link);
    app.set_now(start() + TimeDelta::minutes(61));
    assert_eq!(app.browser().get(&late).await.status, StatusCode::GONE);
}

async fn reset_requests_say_the_same_for_unknown_addresses_and_are_throttled(backend: Backend) {
    let app = app(backend).await;
    app.create_user("connu@example.org", "Connu", Role::Editor);
    let known = app
        .browser()
        .post("/mot-de-passe-oublie", &[("email", "connu@example.org")])
        .await;
    let unknown = app
        .browser()
        .post("/mot-de-passe-oublie", &[("email", "inconnu@example.org")])
        .await;
    assert_eq!(known.status, unknown.status);
    let alert = |body: &str| {
        body.split("alerte-succes")
            .nth(1)
            .and_then(|s| s.split("</div>").next())
            .map(str::to_owned)
    };
    assert!(alert(&known.body).is_some());
    assert_eq!(alert(&known.body), alert(&unknown.body));
    let mails = app.send_mail();
    assert_eq!(mails.len(), 1, "only the known address got a message");
    assert!(mails[0].to.contains("connu@example.org"));
    // A closed account gets nothing either.
    // Three requests per address and hour, from anywhere.
    for n in 0..2 {
        let mut b = app.browser();
        b.peer = format!("198.51.100.{n}:1");
        let res = b
            .post("/mot-de-passe-oublie", &[("email", "connu@example.org")])
            .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let mut b = app.browser();
    b.peer = "198.51.100.9:1".into();
    let res = b
        .post("/mot-de-passe-oublie", &[("email", "connu@example.org")])
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // A malformed address is said so, with the form again.
    let bad = app
        .browser()
        .post("/mot-de-passe-oublie", &[("email", "<script>x</script>")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.body.contains("<script>x"));
}

async fn roles_change_and_accounts_close_but_never_the_last_admin(backend: Backend) {
    let app = app(backend).await;
    app.create_user("admin@example.org", "Admine", Role::Admin);
    let admin = log_in(&app, "admin@example.org", PASSWORD, "198.51.100.10:1").await;
    let me = user(&app, "admin@example.org");
    // Alone: neither demoted nor closed.
    let res = admin
        .post(
            &format!("/gestion/comptes/{}/role", me.id),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    res.assert_contains("dernier compte administrateur");
    let res = admin
        .post(&format!("/gestion/comptes/{}/desactiver", me.id), &[])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(user(&app, "admin@example.org").role(), Role::Admin);

    // An agent, logged in; the admin makes them an editor: the queue closes to them.
    app.create_user("agent@example.org", "Agent", Role::Agent);
    let agent = log_in(&app, "agent@example.org", PASSWORD, "198.51.100.11:1").await;
    let agent_id = user(&app, "agent@example.org").id;
    assert_eq!(
        agent.get("/gestion/propositions").await.status,
        StatusCode::OK
    );
    let res = admin
        .post(
            &format!("/gestion/comptes/{agent_id}/role"),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        agent.get("/gestion/propositions").await.status,
        StatusCode::FORBIDDEN
    );
    // Closed: the open session stops at once and the login is refused.
    let res = admin
        .post(&format!("/gestion/comptes/{agent_id}/desactiver"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(agent.get("/compte").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser()
            .login("agent@example.org", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    admin
        .get(&format!("/gestion/comptes/{agent_id}"))
        .await
        .assert_contains("Désactivé");
    // Reopened: they log in again.
    let res = admin
        .post(&format!("/gestion/comptes/{agent_id}/reactiver"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    log_in(&app, "agent@example.org", PASSWORD, "198.51.100.12:1").await;
    // A second admin: now the first may step down, and is sent to their own page.
    let res = admin
        .post(
            &format!("/gestion/comptes/{agent_id}/role"),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = admin
        .post(
            &format!("/gestion/comptes/{}/role", me.id),
            &[("role", "trainer")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), Some("/compte?fait=role"));
    assert_eq!(
        admin.get("/gestion/comptes").await.status,
        StatusCode::FORBIDDEN
    );
    // Absurd ids and roles.
    let other = log_in(&app, "agent@example.org", PASSWORD, "198.51.100.13:1").await;
    for path in [
        "/gestion/comptes/0",
        "/gestion/comptes/abc",
        "/gestion/comptes/99999999999",
    ] {
        assert_eq!(
            other.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = other
        .post(
            &format!("/gestion/comptes/{}/role", me.id),
            &[("role", "trainee")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

async fn two_admins_demoting_each_other_at_once_leave_one_admin(backend: Backend) {
    let app = app(backend).await;
    app.create_user("a@example.org", "A", Role::Admin);
    app.create_user("b@example.org", "B", Role::Admin);
    let (a, b) = (user(&app, "a@example.org"), user(&app, "b@example.org"));
    // Each demotes the other at the same moment, from two threads (two requests).
    let outcomes: Vec<bool> = std::thread::scope(|scope| {
        let store = app.store();
        let one = scope.spawn(|| {
            store
                .write(|c| {
                    lieu_store::accounts::change_role(c, &b, Role::Editor, Some(a.user_id()))
                })
                .is_ok()
        });
        let two = scope.spawn(|| {
            store
                .write(|c| {
                    lieu_store::accounts::change_role(c, &a, Role::Editor, Some(b.user_id()))
                })
                .is_ok()
        });
        vec![one.join().expect("thread"), two.join().expect("thread")]
    });
    let admins = [user(&app, "a@example.org"), user(&app, "b@example.org")]
        .iter()
        .filter(|u| u.role() == Role::Admin)
        .count();
    assert_eq!(admins, 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
}

async fn the_account_page_changes_name_address_and_password_and_lists_own_edits(backend: Backend) {
    let app = app(backend).await;
    app.create_user("redac@example.org", "Rédac", Role::Editor);
    let me = log_in(&app, "redac@example.org", PASSWORD, "198.51.100.30:1").await;
    let other_device = log_in(&app, "redac@example.org", PASSWORD, "198.51.100.31:1").await;
    assert_eq!(
        me.create_page("Horaires du marché", "Le samedi.")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    me.edit_page("horaires-du-marche", "Le samedi matin.", "précision")
        .await;
    let page = me.get("/compte").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Horaires du marché");
    page.assert_contains("précision");
    page.assert_contains("/wiki/horaires-du-marche/revision/2");

    // Name: no password needed. Markup is text.
    let res = me
        .post(
            "/compte",
            &[
                ("name", "<b>Rédactrice</b>"),
                ("email", "redac@example.org"),
                ("current", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = me.get("/compte").await;
    assert!(page.body.contains("&lt;b&gt;Rédactrice&lt;/b&gt;"));
    // Address: the current password is asked, and the old address is told.
    let res = me
        .post(
            "/compte",
            &[
                ("name", "Rédactrice"),
                ("email", "nouvelle@example.org"),
                ("current", "faux"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Le mot de passe actuel n’est pas le bon");
    res.assert_contains("nouvelle@example.org");
    app.create_user("prise@example.org", "Prise", Role::Editor);
    let res = me
        .post(
            "/compte",
            &[
                ("name", "Rédactrice"),
                ("email", "prise@example.org"),
                ("current", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Un compte existe déjà");
    let res = me
        .post(
            "/compte",
            &[
                ("name", "Rédactrice"),
                ("email", "nouvelle@example.org"),
                ("current", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mails = app.send_mail();
    assert!(
        mails
            .iter()
            .any(|m| m.to.contains("redac@example.org") && m.text.contains("nouvelle@example.org")),
        "{mails:?}"
    );
    // Password: the current one is asked, the new one must be strong; other sessions end and
    // this one stays.
    let res = me
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", "faux"),
                ("password", STRONG),
                ("password2", STRONG),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = me
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", PASSWORD),
                ("password", "Rédactrice"),
                ("password2", "Rédactrice"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = me
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", PASSWORD),
                ("password", STRONG),
                ("password2", STRONG),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(me.get("/compte").await.status, StatusCode::OK);
    assert_eq!(
        other_device.get("/compte").await.status,
        StatusCode::SEE_OTHER
    );
    log_in(&app, "nouvelle@example.org", STRONG, "198.51.100.32:1").await;
    // A practice account has no account page.
    let trainee = app.logged_in(Role::Trainee).await;
    assert_eq!(trainee.get("/compte").await.status, StatusCode::FORBIDDEN);
}

async fn deleting_ones_account_keeps_the_edits_under_a_neutral_name(backend: Backend) {
    let app = app(backend).await;
    app.create_user("admin@example.org", "Seule Admine", Role::Admin);
    app.create_user("partant@example.org", "Jean Partant", Role::Editor);
    let jean = log_in(&app, "partant@example.org", PASSWORD, "198.51.100.40:1").await;
    jean.create_page("Covoiturage", "Le mardi.").await;
    let history = app.browser().get("/wiki/covoiturage/historique").await;
    history.assert_contains("Jean Partant");
    let confirm = jean.get("/compte/supprimer").await;
    confirm.assert_contains("Compte supprimé");
    let wrong = jean
        .post("/compte/supprimer", &[("current_password", "pas le bon")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = jean
        .post("/compte/supprimer", &[("current_password", PASSWORD)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), Some("/compte/supprime"));
    assert_eq!(jean.get("/compte").await.status, StatusCode::SEE_OTHER);
    let history = app.browser().get("/wiki/covoiturage/historique").await;
    assert!(!history.body.contains("Jean Partant"));
    history.assert_contains("Compte supprimé");
    assert!(
        app.store()
            .read(|c| Ok(users::by_email(c, "partant@example.org")?))
            .expect("read")
            .is_none(),
        "the address is gone"
    );
    assert_eq!(
        app.browser()
            .login("partant@example.org", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The last admin cannot delete their account.
    let admin = log_in(&app, "admin@example.org", PASSWORD, "198.51.100.41:1").await;
    let res = admin
        .post("/compte/supprimer", &[("current_password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    res.assert_contains("dernier compte administrateur");
    assert!(user(&app, "admin@example.org").deleted_at.is_none());
}

async fn watchers_get_one_message_a_day_of_the_changes_others_made(backend: Backend) {
    let app = app(backend).await;
    let config = lieu_web::WebConfig::default();
    let tell = |app: &TestApp| {
        lieu_web::housekeeping::tell_watchers(app.store(), &config, app.now()).expect("tell")
    };
    app.create_user("veille@example.org", "Vera Veille", Role::Agent);
    app.create_user("autre@example.org", "Otto Autre", Role::Editor);
    let vera = log_in(&app, "veille@example.org", PASSWORD, "198.51.100.50:1").await;
    let otto = log_in(&app, "autre@example.org", PASSWORD, "198.51.100.51:1").await;
    otto.create_page("Permanences CAF", "Le lundi.").await;
    let entry = vera
        .create_entry(
            "service",
            &[
                ("title", "Point numérique"),
                ("commune", "79901"),
                ("summary", "Aide aux démarches en ligne."),
                ("themes", "famille--soutien-aidants"),
            ],
        )
        .await;
    assert_eq!(entry.status, StatusCode::SEE_OTHER, "{}", entry.body);
    let entry_url = entry.location().expect("entry").to_owned();

    // The button is on the page and on the entry; it starts watching.
    let page = vera.get("/wiki/permanences-caf").await;
    page.assert_contains("Suivre cette page");
    let target = page
        .field("cible")
        .expect("the watch form names its target");
    let res = vera
        .post(
            "/suivis",
            &[
                ("cible", &target),
                ("action", "suivre"),
                ("retour", "/wiki/permanences-caf"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/wiki/permanences-caf"));
    vera.get("/wiki/permanences-caf")
        .await
        .assert_contains("Ne plus suivre cette page");
    let entry_page = vera.get(&entry_url).await;
    let entry_target = entry_page.field("cible").expect("entry watch form");
    vera.post(
        "/suivis",
        &[
            ("cible", &entry_target),
            ("action", "suivre"),
            ("retour", &entry_url),
        ],
    )
    .await;
    // Twice is once; what does not exist cannot be watched; a foreign return address is not
    // followed.
    let res = vera
        .post(
            "/suivis",
            &[
                ("cible", &target),
                ("action", "suivre"),
                ("retour", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/compte"));
    assert_eq!(
        vera.post(
            "/suivis",
            &[
                ("cible", "page:999999"),
                ("action", "suivre"),
                ("retour", "/")
            ]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    vera.get("/compte").await.assert_contains("Permanences CAF");
    assert_eq!(tell(&app), 0, "nothing changed yet");

    // Otto edits twice, Vera once: one message, with Otto's two changes only.
    app.set_now(start() + TimeDelta::minutes(5));
    otto.edit_page("permanences-caf", "Le lundi et le jeudi.", "ajout du jeudi")
        .await;
    otto.edit_page("permanences-caf", "Le lundi et le jeudi, 9 h.", "heure")
        .await;
    vera.edit_page(
        "permanences-caf",
        "Le lundi et le jeudi, 9 h à 12 h.",
        "fin",
    )
    .await;
    app.set_now(start() + TimeDelta::minutes(10));
    assert_eq!(tell(&app), 1);
    let mails = app.send_mail();
    let digest = mails
        .iter()
        .rfind(|m| m.to.contains("veille@example.org"))
        .expect("digest");
    assert!(
        digest.subject.contains("Permanences CAF"),
        "{}",
        digest.subject
    );
    assert!(digest.text.contains("ajout du jeudi") && digest.text.contains("heure"));
    assert!(
        !digest.text.contains(": fin"),
        "her own change is not told: {}",
        digest.text
    );
    assert!(digest.text.contains("Otto Autre"));
    assert!(
        digest
            .text
            .contains("http://127.0.0.1:8080/wiki/permanences-caf")
    );

    // Another change an hour later waits for the quiet day to end.
    app.set_now(start() + TimeDelta::hours(1));
    otto.edit_page("permanences-caf", "Fermé en août.", "congés")
        .await;
    assert_eq!(tell(&app), 0);
    app.set_now(start() + TimeDelta::hours(25));
    assert_eq!(tell(&app), 1);
    let mails = app.send_mail();
    let digest = mails
        .iter()
        .rfind(|m| m.to.contains("veille@example.org"))
        .expect("digest");
    assert!(digest.text.contains("congés") && !digest.text.contains("ajout du jeudi"));
    assert_eq!(tell(&app), 0, "told once");

    // The entry, changed by someone else, is told too.
    let id = entry_target.trim_start_matches("entry:");
    let agent2 = app.logged_in(Role::Agent).await;
    let form = agent2.get(&format!("/gestion/fiches/{id}/modifier")).await;
    let base = form.field("base_revision").expect("base");
    let res = agent2
        .post(
            &format!("/gestion/fiches/{id}/modifier"),
            &[
                ("type", "service"),
                ("base_revision", &base),
                ("title", "Point numérique"),
                ("commune", "79901"),
                ("summary", "Aide aux démarches en ligne, sans rendez-vous."),
                ("themes", "famille--soutien-aidants"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    app.set_now(start() + TimeDelta::hours(26));
    assert_eq!(tell(&app), 1);
    let mails = app.send_mail();
    let digest = mails
        .iter()
        .rfind(|m| m.to.contains("veille@example.org"))
        .expect("digest");
    assert!(
        digest.subject.contains("Point numérique"),
        "{}",
        digest.subject
    );

    // Stopped: no more messages.
    vera.post(
        "/suivis",
        &[
            ("cible", &target),
            ("action", "arreter"),
            ("retour", "/compte"),
        ],
    )
    .await;
    app.set_now(start() + TimeDelta::hours(60));
    otto.edit_page("permanences-caf", "Rouvert.", "").await;
    assert_eq!(tell(&app), 0);
    // A practice account cannot watch.
    let trainee = app.logged_in(Role::Trainee).await;
    assert!(
        !trainee
            .get("/wiki/permanences-caf")
            .await
            .body
            .contains("Suivre cette page")
    );
    assert_eq!(
        trainee
            .post(
                "/suivis",
                &[("cible", &target), ("action", "suivre"), ("retour", "/")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
