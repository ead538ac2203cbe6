//! The account administration behind `lieu user` (`lieu_store::accounts`), seen from the web:
//! a closed account cannot log in and its sessions end; a new password replaces the old one
//! and logs everyone out; the last active administrator cannot be closed or demoted.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use lieu_core::{Role, auth};
use lieu_store::schema::sessions;
use lieu_store::{StoreError, accounts};
use lieu_tests::{Backend, PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    a_deactivated_account_cannot_log_in_and_its_sessions_end,
    a_reset_password_replaces_the_old_one_and_ends_sessions,
    the_last_active_admin_cannot_be_deactivated_or_demoted,
    accounts_are_listed_by_email_with_role_and_state,
    a_closed_account_reopens_and_closing_it_twice_records_once,
);

async fn a_deactivated_account_cannot_log_in_and_its_sessions_end(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("eve@example.org", "Eve", Role::Editor);
    let open = app.browser();
    let res = open.login("eve@example.org", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(open.get("/nouvelle-page").await.status, StatusCode::OK);

    let user = app
        .store()
        .write(|c| accounts::deactivate(c, "Eve@Example.org"))
        .expect("deactivate");
    assert!(user.is_disabled());
    // Its sessions are gone, not merely refused (reactivating it must not revive them).
    let sessions: i64 = app
        .store()
        .read(|c| {
            Ok(sessions::table
                .filter(sessions::user_id.eq(user.id))
                .count()
                .get_result(c)?)
        })
        .expect("count");
    assert_eq!(sessions, 0);

    // The open session ended: the form now asks to log in.
    let after = open.get("/nouvelle-page").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    // And logging in again is refused.
    let again = app.browser().login("eve@example.org", PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

async fn a_reset_password_replaces_the_old_one_and_ends_sessions(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("eve@example.org", "Eve", Role::Editor);
    let open = app.browser();
    open.login("eve@example.org", PASSWORD).await;
    assert_eq!(open.get("/nouvelle-page").await.status, StatusCode::OK);

    let new_password = "un tout nouveau mot de passe";
    let hash = auth::hash_password(new_password).expect("hash");
    app.store()
        .write(|c| accounts::reset_password(c, "eve@example.org", &hash))
        .expect("reset");

    assert_eq!(
        open.get("/nouvelle-page").await.status,
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
    let old = app.browser().login("eve@example.org", PASSWORD).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app.browser().login("eve@example.org", new_password).await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

async fn the_last_active_admin_cannot_be_deactivated_or_demoted(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("admin@example.org", "Admin", Role::Admin);
    app.create_user("second@example.org", "Second", Role::Admin);
    let store = app.store();

    // While another admin is active, either may go.
    store
        .write(|c| accounts::set_role(c, "second@example.org", Role::Agent))
        .expect("demote the second admin");
    let demote = store.write(|c| accounts::set_role(c, "admin@example.org", Role::Editor));
    assert!(matches!(demote, Err(StoreError::LastAdmin)), "{demote:?}");
    let close = store.write(|c| accounts::deactivate(c, "admin@example.org"));
    assert!(matches!(close, Err(StoreError::LastAdmin)), "{close:?}");

    // A disabled admin does not count as the other one.
    store
        .write(|c| accounts::set_role(c, "second@example.org", Role::Admin))
        .expect("promote");
    store
        .write(|c| accounts::deactivate(c, "second@example.org"))
        .expect("close the second admin");
    let close = store.write(|c| accounts::deactivate(c, "admin@example.org"));
    assert!(matches!(close, Err(StoreError::LastAdmin)), "{close:?}");
    let admin = app.browser().login("admin@example.org", PASSWORD).await;
    assert_eq!(
        admin.status,
        StatusCode::SEE_OTHER,
        "the admin still logs in"
    );
}

async fn accounts_are_listed_by_email_with_role_and_state(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("zoe@example.org", "Zoé", Role::Agent);
    app.create_user("adam@example.org", "Adam", Role::Editor);
    app.store()
        .write(|c| accounts::deactivate(c, "adam@example.org"))
        .expect("deactivate");
    let all = app.store().read(accounts::list).expect("list");
    let rows: Vec<_> = all
        .iter()
        .map(|u| (u.email.as_str(), u.role(), u.is_disabled()))
        .collect();
    assert_eq!(
        rows,
        [
            ("adam@example.org", Role::Editor, true),
            ("zoe@example.org", Role::Agent, false)
        ]
    );
    let unknown = app
        .store()
        .write(|c| accounts::deactivate(c, "nobody@example.org"));
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
}

async fn a_closed_account_reopens_and_closing_it_twice_records_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_user("eve@example.org", "Eve", Role::Editor);
    let store = app.store();
    store
        .write(|c| accounts::deactivate(c, "eve@example.org"))
        .expect("close");
    store
        .write(|c| accounts::deactivate(c, "eve@example.org"))
        .expect("close again");
    let closings: i64 = store
        .read(|c| {
            use lieu_store::schema::audit_log as a;
            Ok(a::table
                .filter(a::action.eq("user.deactivate"))
                .count()
                .get_result(c)?)
        })
        .expect("count");
    assert_eq!(closings, 1, "closing a closed account records nothing");
    assert_eq!(
        app.browser()
            .login("eve@example.org", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let user = store
        .write(|c| accounts::activate(c, "eve@example.org"))
        .expect("open");
    assert!(!user.is_disabled());
    assert_eq!(
        app.browser()
            .login("eve@example.org", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}
