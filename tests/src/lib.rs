//! `TestApp`: a fresh lieu for each test — its own database (a temporary SQLite file, or a
//! PostgreSQL database created for the test and dropped after), the real actix app, and
//! `Browser`s that keep cookies like a browser does.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use lieu_core::{Role, UserId, auth};
use lieu_store::Store;
use lieu_store::models::users;
use lieu_web::{AppState, WebConfig};
use rand::Rng;
use std::cell::RefCell;
use std::collections::HashMap;

pub use actix_web;

pub mod smtp;

/// Password of every account the tests create.
pub const PASSWORD: &str = "mot de passe de test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named test on SQLite, and on PostgreSQL when LIEU_TEST_DATABASE_URL was set at
/// build time (otherwise the PostgreSQL variant is listed as ignored, with the reason).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[$crate::actix_web::test]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[$crate::actix_web::test]
                #[cfg_attr(
                    not(lieu_postgres_tests),
                    ignore = "PostgreSQL run skipped: set LIEU_TEST_DATABASE_URL to run it"
                )]
                async fn $name() {
                    super::$name($crate::Backend::Postgres).await
                }
            )*
        }
    };
}

enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

pub struct TestApp {
    pub state: web::Data<AppState>,
    /// Off (the default), every request first applies the changes waiting in the search
    /// outbox, as the server's indexer does within a second. On, tests drain it themselves.
    pub manual_indexing: std::cell::Cell<bool>,
    /// Where the app's mail goes: read it with [`TestApp::send_mail`].
    pub mailbox: std::sync::Arc<lieu_mail::MemoryTransport>,
    // Dropped after `state`, so the pool is closed before its database goes.
    _db: TestDb,
}

fn postgres_url_with_db(base: &str, db: &str) -> String {
    // Replace the path (database name) of the URL, keep any query string.
    let (without_query, query) = match base.split_once('?') {
        Some((u, q)) => (u, Some(q)),
        None => (base, None),
    };
    let scheme_end = without_query.find("://").map_or(0, |i| i + 3);
    let path_start = without_query[scheme_end..]
        .find('/')
        .map_or(without_query.len(), |i| scheme_end + i);
    let mut url = format!("{}/{db}", &without_query[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// A mail sender that delivers into memory, and where its messages are.
pub fn memory_mail() -> (
    std::sync::Arc<lieu_mail::MemoryTransport>,
    std::sync::Arc<lieu_mail::Sender>,
) {
    let mailbox = std::sync::Arc::new(lieu_mail::MemoryTransport::default());
    let sender = lieu_mail::Sender::new(
        lieu_mail::Transport::Memory(std::sync::Arc::clone(&mailbox)),
        "Lieu partagé <ne-pas-repondre@lieu.test>",
    )
    .expect("mail sender");
    (mailbox, std::sync::Arc::new(sender))
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_config(backend, WebConfig::default()).await
    }

    pub async fn with_config(backend: Backend, config: WebConfig) -> TestApp {
        let (db, url) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("lieu.sqlite3").display());
                (TestDb::Sqlite(dir), url)
            }
            Backend::Postgres => {
                let admin_url = std::env::var("LIEU_TEST_DATABASE_URL").expect(
                    "LIEU_TEST_DATABASE_URL must be set to run the PostgreSQL tests \
                     (e.g. postgres://postgres@127.0.0.1:5432/test)",
                );
                let name = format!("lieu_test_{:016x}", rand::rng().random::<u64>());
                let mut conn = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
                conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("create the test database");
                let url = postgres_url_with_db(&admin_url, &name);
                (TestDb::Postgres { admin_url, name }, url)
            }
        };
        let (store, search) = web::block(move || {
            let store = Store::open(&url, 4).expect("open the test store");
            let search = lieu_search::SearchIndex::in_memory(&store).expect("search index");
            (store, search)
        })
        .await
        .expect("blocking task");
        let (mailbox, sender) = memory_mail();
        TestApp {
            state: AppState::new(store, std::sync::Arc::new(search), sender, config),
            manual_indexing: std::cell::Cell::new(false),
            mailbox,
            _db: db,
        }
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Sends the mail due at the app's now, as the server's sender does at once, and returns
    /// every message delivered since the app started.
    pub fn send_mail(&self) -> Vec<lieu_mail::Delivered> {
        self.state
            .mail
            .send_due(&self.state.store, self.now())
            .expect("send the mail outbox");
        self.mailbox.delivered()
    }

    /// Applies the changes waiting in the search outbox; returns how many rows it read.
    pub fn drain_index(&self) -> usize {
        self.state
            .search
            .drain(&self.state.store)
            .expect("apply the search outbox")
    }

    /// The same app with its clock stopped at `now` (UTC): "today" is then the test's choice,
    /// and [`TestApp::set_now`] makes time pass.
    pub fn fixed_at(self, now: chrono::NaiveDateTime) -> TestApp {
        let TestApp {
            state,
            manual_indexing,
            mailbox,
            _db,
        } = self;
        let Ok(mut state) = std::sync::Arc::try_unwrap(state.into_inner()) else {
            panic!("fixed_at is called before the app is shared");
        };
        state.clock = lieu_core::Clock::fixed(now);
        TestApp {
            state: web::Data::new(state),
            manual_indexing,
            mailbox,
            _db,
        }
    }

    /// Moves the clock of an app built with [`TestApp::fixed_at`].
    pub fn set_now(&self, now: chrono::NaiveDateTime) {
        assert!(self.state.clock.set(now), "the clock is fixed by fixed_at");
    }

    /// Now (UTC) by the app's clock.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.state.clock.now()
    }

    /// Today (Paris) by the app's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.clock.today()
    }

    /// Creates an account with [`PASSWORD`].
    pub fn create_user(&self, email: &str, name: &str, role: Role) -> UserId {
        let hash = auth::hash_password(PASSWORD).expect("hash");
        self.store()
            .write(|c| {
                Ok(users::insert(
                    c,
                    &users::NewUser {
                        email,
                        name,
                        role: role.as_str(),
                        password_hash: &hash,
                        disabled: 0,
                        created_at: lieu_store::now(),
                    },
                )?)
            })
            .expect("create user")
            .user_id()
    }

    /// A new browser with no cookie.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: RefCell::new(HashMap::new()),
            peer: "203.0.113.7:41000".into(),
        }
    }

    /// A browser logged in with a new account of this role.
    pub async fn logged_in(&self, role: Role) -> Browser<'_> {
        let n: u32 = rand::rng().random();
        let email = format!("{}-{n}@example.org", role.as_str());
        let name = format!("{} {n}", role.as_str());
        self.create_user(&email, &name, role);
        let browser = self.browser();
        let res = browser.login(&email, PASSWORD).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login failed: {}",
            res.body
        );
        browser
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    /// Size of the body as sent (compressed if it was).
    pub bytes: usize,
    pub body: String,
    pub headers: actix_web::http::header::HeaderMap,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(actix_web::http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The value of the form field `name` (an `<input name=... value=...>`), unescaped.
    pub fn field(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(unescape(&self.body[start..end]))
    }

    /// The text of the `<textarea name=...>`, unescaped.
    pub fn textarea(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\"");
        let at = self.body.find(&marker)?;
        let start = self.body[at..].find('>')? + at + 1;
        let end = self.body[start..].find("</textarea>")? + start;
        Some(unescape(&self.body[start..end]))
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "expected {needle:?} in the page (status {}):\n{}",
            self.status,
            self.body
        );
    }
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Keeps cookies between requests, as a browser does.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: RefCell<HashMap<String, String>>,
    pub peer: String,
}

impl<'a> Browser<'a> {
    /// The app this browser talks to.
    pub fn app(&self) -> &'a TestApp {
        self.app
    }

    fn with_cookies(&self, mut req: TestRequest) -> TestRequest {
        let jar = self.cookies.borrow();
        if !jar.is_empty() {
            let header: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.insert_header(("cookie", header.join("; ")));
        }
        req.peer_addr(self.peer.parse().expect("peer address"))
    }

    pub async fn send(&self, req: TestRequest) -> Page {
        if !self.app.manual_indexing.get() {
            self.app.drain_index();
        }
        let app = test::init_service(lieu_web::app(self.app.state.clone())).await;
        let res = test::call_service(&app, self.with_cookies(req).to_request()).await;
        let status = res.status();
        let headers = res.headers().clone();
        for value in headers.get_all("set-cookie") {
            if let Ok(c) =
                actix_web::cookie::Cookie::parse(value.to_str().unwrap_or_default().to_owned())
            {
                let expired = c.max_age().is_some_and(|a| a.is_zero() || a.is_negative())
                    || c.value().is_empty();
                if expired {
                    self.cookies.borrow_mut().remove(c.name());
                } else {
                    self.cookies
                        .borrow_mut()
                        .insert(c.name().to_owned(), c.value().to_owned());
                }
            }
        }
        let bytes = test::read_body(res).await;
        Page {
            status,
            bytes: bytes.len(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(TestRequest::get().uri(path)).await
    }

    /// The CSRF token this browser holds (visits `/` first if it has none yet).
    pub async fn csrf(&self) -> String {
        if !self.cookies.borrow().contains_key("lieu_csrf") {
            self.get("/pages").await;
        }
        self.cookies
            .borrow()
            .get("lieu_csrf")
            .cloned()
            .expect("the site sets a CSRF cookie")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.borrow().get(name).cloned()
    }

    /// Posts a form as a browser would, with this browser's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form encoding");
        self.send(
            TestRequest::post()
                .uri(path)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(body),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.post(
            "/connexion",
            &[("email", email), ("password", password), ("retour", "/")],
        )
        .await
    }

    /// Creates a page through the form; returns the response (303 on success).
    pub async fn create_page(&self, title: &str, body: &str) -> Page {
        self.post(
            "/nouvelle-page",
            &[
                ("title", title),
                ("body", body),
                ("summary", ""),
                ("action", "save"),
            ],
        )
        .await
    }

    /// Opens the edit form of `slug` and saves `body` from it.
    pub async fn edit_page(&self, slug: &str, body: &str, summary: &str) -> Page {
        let form = self.get(&format!("/wiki/{slug}/modifier")).await;
        assert_eq!(form.status, StatusCode::OK, "edit form: {}", form.body);
        let base = form.field("base_revision").expect("base_revision field");
        self.post(
            &format!("/wiki/{slug}/modifier"),
            &[
                ("body", body),
                ("summary", summary),
                ("base_revision", &base),
                ("action", "save"),
            ],
        )
        .await
    }
}

/// The starter content folder of the repository.
pub fn wiki_content_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wiki-content")
}

impl TestApp {
    /// Imports the repository's `wiki-content/` (territory, pages, directory), as `lieu serve`
    /// does on an empty database. Returns the number of Markdown pages.
    pub fn import_wiki_content(&self) -> usize {
        use lieu_store::content::{self, ItemOutcome};
        let dir = wiki_content_dir();
        let today = lieu_core::entry::utc_to_paris(lieu_store::now()).date();
        let mut pages = 0;
        for path in content::import_items(&dir).expect("wiki-content") {
            match content::import_item(self.store(), &dir, &path, today) {
                Ok(ItemOutcome::Page(_)) => pages += 1,
                Ok(_) => {}
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        pages
    }
}

impl TestApp {
    /// Loads the communes and categories of `wiki-content/territory.toml`.
    pub fn load_territory(&self) {
        let text =
            std::fs::read_to_string(wiki_content_dir().join("territory.toml")).expect("territory");
        lieu_store::content::import_territory(self.store(), &text).expect("import territory");
    }
}

impl Browser<'_> {
    /// Posts the agents' form that creates an entry of `kind` (`service`, `job`, ...).
    pub async fn create_entry(&self, kind: &str, fields: &[(&str, &str)]) -> Page {
        let mut all = vec![("type", kind)];
        all.extend_from_slice(fields);
        self.post("/gestion/fiches/nouvelle", &all).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_of_a_postgres_url_is_replaced() {
        assert_eq!(
            postgres_url_with_db("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            postgres_url_with_db("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            postgres_url_with_db("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
    }
}
