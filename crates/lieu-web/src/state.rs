use crate::error::AppError;
use crate::limit::LoginLimiter;
use crate::territory::Territory;
use actix_web::web;
use chrono::NaiveDateTime;
use lieu_core::entry::list::Period;
use lieu_core::net::TrustedProxies;
use lieu_search::Answers;
use lieu_store::directory::{AgendaDays, AgendaRow};
use lieu_store::models::entries::Entry;
use lieu_store::{DbConn, Store, StoreError};
use std::hash::Hash;
use std::sync::Arc;

/// Settings of the web layer, taken from the application's configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Name shown in the header and the title of every page.
    pub site_name: String,
    /// Public address of the site, used in feeds (`https://lieu.example.org`); `https://`
    /// makes every cookie `Secure`.
    pub base_url: String,
    /// Login attempts allowed per client address and minute.
    pub login_attempts_per_minute: u32,
    /// Login attempts allowed per account (typed e-mail address) and hour, from anywhere.
    pub login_attempts_per_account_per_hour: u32,
    /// Reverse proxies whose `X-Forwarded-For` tells the client address (none: the peer is
    /// the client).
    pub trusted_proxies: TrustedProxies,
    /// Let pages show images from other sites (`img-src https:`); off, only this site's and
    /// inline images load, so no page can carry a third-party tracking pixel.
    pub allow_external_images: bool,
    /// How long a login lasts, in days.
    pub session_days: i64,
    /// Entries not verified for this many days are listed for the agents to check.
    pub verify_after_days: i64,
    /// The France Services desk's phone number, offered when a search finds nothing.
    pub desk_phone: String,
    /// Submissions of the referencing form accepted per client address and hour.
    pub submissions_per_hour: u32,
    /// Days after which the personal data of a refused or withdrawn submission is erased.
    pub purge_after_days: i64,
    /// Days after which the sender of an approved submission is asked whether the entry is
    /// still right (and again as often).
    pub reminder_after_days: i64,
    /// The content folder (`wiki-content`): workshops take their starting pages from its
    /// `ateliers` folder, and a sandbox reset reads them again from there.
    pub content_dir: std::path::PathBuf,
    /// The licence of the published data, named in the API's answers, the exports and the
    /// footer, and the address of its text.
    pub data_licence: String,
    pub data_licence_url: String,
    /// Requests to the JSON API per client address and minute (0: no limit).
    pub api_requests_per_minute: u32,
    /// Folder of the open data files served under `/donnees`.
    pub export_dir: std::path::PathBuf,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            site_name: "Lieu partagé du Val de Sorbière".into(),
            data_licence: "Licence Ouverte 2.0".into(),
            data_licence_url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/".into(),
            api_requests_per_minute: 600,
            base_url: "http://127.0.0.1:8080".into(),
            login_attempts_per_minute: 10,
            login_attempts_per_account_per_hour: 20,
            trusted_proxies: TrustedProxies::default(),
            allow_external_images: false,
            session_days: 30,
            verify_after_days: 183,
            desk_phone: "01 99 00 12 34".into(),
            submissions_per_hour: 5,
            purge_after_days: 365,
            reminder_after_days: 183,
            content_dir: "wiki-content".into(),
            export_dir: "data/exports".into(),
        }
    }
}

impl WebConfig {
    /// The public address of `path` (`/suivi/…`), for messages.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }

    /// The producer of the open data: the site, its address and the data's licence.
    pub fn producer(&self) -> lieu_core::opendata::Producer {
        lieu_core::opendata::Producer::new(
            &self.site_name,
            &self.base_url,
            &self.data_licence,
            &self.data_licence_url,
        )
    }

    /// Who sends the site's messages.
    pub fn mail_site(&self) -> lieu_mail::templates::Site<'_> {
        lieu_mail::templates::Site {
            name: &self.site_name,
            base_url: &self.base_url,
        }
    }

    /// Months the personal data of a refused or withdrawn submission is kept, as told to its
    /// sender.
    pub fn keep_months(&self) -> i64 {
        (self.purge_after_days + 15) / 30
    }

    /// Whether cookies carry `Secure`: when the public address is HTTPS. Derived rather than set
    /// apart, so the two cannot disagree.
    pub fn secure_cookies(&self) -> bool {
        self.base_url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    }
}

/// What every handler can reach.
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
    /// Budgets of login attempts per client address and per account (memory only).
    pub login_limiter: LoginLimiter,
    /// Budgets of password-reset requests per client address and per typed address (memory
    /// only): nobody floods a mailbox with links.
    pub reset_limiter: LoginLimiter,
    /// How many unanswered searches each client address may have recorded (memory only), so
    /// that a flood of random queries is not a flood of writes.
    pub miss_budget: crate::limit::KeyedBudget,
    /// How many submissions of the referencing form each client address may send (memory
    /// only).
    pub submit_budget: crate::limit::KeyedBudget,
    /// How many API requests each client address may send (memory only); `None`: no limit.
    pub api_budget: Option<crate::limit::KeyedBudget>,
    /// The key that signs the moment a public form was shown (see
    /// `handlers::submit::Stamp`): random at each start.
    pub form_key: String,
    /// Where "now" and "today" come from: the system clock, or a fixed one in tests.
    pub clock: lieu_core::Clock,
    /// Wiki pages in memory, so that a page view needs no database trip.
    pub pages: crate::page_cache::PageCache,
    /// The search index: full-text search, and the directory's public lists.
    pub search: std::sync::Arc<lieu_search::SearchIndex>,
    /// The mail sender, woken after each write so that a message goes out at once.
    pub mail: std::sync::Arc<lieu_mail::Sender>,
    /// The communes and categories, in memory (see [`AppState::territory`]).
    pub territory_cache: crate::territory::TerritoryCache,
    /// Answers read from the database for the public pages, kept while the content does not
    /// change (see [`AppState::kept`]).
    pub kept: Kept,
    /// One permit per connection of the pool: database work waits here, as a future, for a
    /// free connection, instead of in a blocking thread parked on the pool (32 requests at
    /// once were 32 threads, 24 of them woken and put back to sleep at each hand-back).
    db_slots: Arc<tokio::sync::Semaphore>,
}

/// What a day of the agenda shows: its paging, the events still running from before, a page
/// of the day's events.
pub type AgendaDayAnswer = (crate::views::Paging, Vec<AgendaRow>, Vec<AgendaRow>);

/// Answers read from the database for the public pages, by question. Keyed by the state of the
/// search index, which every change of an entry moves on (see [`lieu_search::Answers`]); what
/// is current is judged to the minute ([`to_the_minute`]).
///
/// [`to_the_minute`]: lieu_core::entry::list::to_the_minute
pub struct Kept {
    /// The rows of a page of a list, by the ids the index found.
    pub entries: Answers<Vec<i32>, Vec<Entry>>,
    /// A week of the agenda: its days, and the minute it is judged at.
    pub agenda_weeks: Answers<(Vec<Period>, NaiveDateTime), AgendaDays>,
    /// A day of the agenda, the minute, the page asked.
    pub agenda_days: Answers<(Period, NaiveDateTime, Option<i64>), AgendaDayAnswer>,
}

impl Default for Kept {
    fn default() -> Self {
        // A page of entries weighs some 180 KB (texts and details of 20 entries, measured at
        // 100,000 entries), a day of the agenda a few KB. Pages asked again are few: the first
        // of each list and filter.
        Kept {
            entries: Answers::new(64),
            agenda_weeks: Answers::new(64),
            agenda_days: Answers::new(256),
        }
    }
}

impl AppState {
    pub fn new(
        store: Store,
        search: std::sync::Arc<lieu_search::SearchIndex>,
        mail: std::sync::Arc<lieu_mail::Sender>,
        config: WebConfig,
    ) -> web::Data<AppState> {
        let slots = usize::try_from(store.max_connections()).unwrap_or(1).max(1);
        web::Data::new(AppState {
            db_slots: Arc::new(tokio::sync::Semaphore::new(slots)),
            store,
            search,
            mail,
            login_limiter: LoginLimiter::new(
                config.login_attempts_per_minute,
                config.login_attempts_per_account_per_hour,
            ),
            reset_limiter: LoginLimiter::new(5, 3),
            miss_budget: crate::limit::miss_budget(),
            submit_budget: crate::limit::hourly_budget(config.submissions_per_hour),
            api_budget: (config.api_requests_per_minute > 0)
                .then(|| crate::limit::minute_budget(config.api_requests_per_minute)),
            form_key: lieu_core::auth::random_token(),
            pages: crate::page_cache::PageCache::default(),
            territory_cache: crate::territory::TerritoryCache::default(),
            kept: Kept::default(),
            config,
            clock: lieu_core::Clock::System,
        })
    }

    /// The territory's communes and the directory's categories: from memory, read again from
    /// the database every few seconds.
    pub async fn territory(&self) -> Result<Arc<Territory>, AppError> {
        if let Some(territory) = self.territory_cache.get() {
            return Ok(territory);
        }
        let territory = Arc::new(self.db(|s| s.read(Territory::load)).await?);
        self.territory_cache.put(Arc::clone(&territory));
        Ok(territory)
    }

    /// The answer to `question`: kept from an earlier request while the content has not
    /// changed, else read by `load` (off the async workers) and kept.
    pub async fn kept<K, V, F>(
        &self,
        answers: &Answers<K, V>,
        question: K,
        load: F,
    ) -> Result<Arc<V>, AppError>
    where
        K: Hash + Eq,
        V: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<V, StoreError> + Send + 'static,
    {
        // Read before the database: an answer read after a change but kept under the state
        // before it is only ever given to requests that saw that earlier state.
        let epoch = self.search.epoch();
        if let Some(answer) = answers.get(epoch, &question) {
            return Ok(answer);
        }
        let answer = Arc::new(self.db(move |s| s.read(load)).await?);
        answers.put(epoch, question, Arc::clone(&answer));
        Ok(answer)
    }

    /// Runs blocking database work off the async workers.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        // The semaphore is never closed: `acquire` cannot fail.
        let _slot = self
            .db_slots
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        web::block(move || f(&store))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(AppError::from)
    }
}
