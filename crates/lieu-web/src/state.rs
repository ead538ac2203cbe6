use crate::error::AppError;
use actix_web::web;
use governor::clock::DefaultClock;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use lieu_store::{Store, StoreError};
use std::num::NonZeroU32;

/// Settings of the web layer, taken from the application's configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Name shown in the header and the title of every page.
    pub site_name: String,
    /// Public address of the site, used in feeds (`https://lieu.example.org`).
    pub base_url: String,
    /// Send cookies with `Secure` (set when the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Login attempts allowed per client address and minute.
    pub login_attempts_per_minute: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    /// How long a login lasts, in days.
    pub session_days: i64,
    /// Entries not verified for this many days are listed for the agents to check.
    pub verify_after_days: i64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            site_name: "Lieu partagé du Val de Sorbière".into(),
            base_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            login_attempts_per_minute: 10,
            trust_proxy: false,
            session_days: 30,
            verify_after_days: 183,
        }
    }
}

pub type KeyedLimiter = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

/// What every handler can reach.
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
    pub login_limiter: KeyedLimiter,
    /// Where "now" and "today" come from: the system clock, or a fixed one in tests.
    pub clock: lieu_core::Clock,
    /// Wiki pages in memory, so that a page view needs no database trip.
    pub pages: crate::page_cache::PageCache,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> web::Data<AppState> {
        let per_minute =
            NonZeroU32::new(config.login_attempts_per_minute).unwrap_or(NonZeroU32::MIN);
        web::Data::new(AppState {
            store,
            login_limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            pages: crate::page_cache::PageCache::default(),
            config,
            clock: lieu_core::Clock::System,
        })
    }

    /// Runs blocking database work off the async workers.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        web::block(move || f(&store))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(AppError::from)
    }
}
