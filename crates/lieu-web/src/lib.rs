//! HTTP layer of lieu: routes, extractors, errors and maud views. Handlers extract what the
//! request carries, call `lieu-store`/`lieu-core`, and return a view; no SQL and no business
//! rule lives here.

pub mod api;
pub mod compress;
pub mod error;
pub mod extract;
pub mod handlers;
pub mod housekeeping;
pub mod i18n;
pub mod input;
pub mod limit;
pub mod page_cache;
pub mod routes;
pub mod state;
pub mod territory;
pub mod views;

pub use error::AppError;
pub use routes::app;
pub use state::{AppState, WebConfig};
