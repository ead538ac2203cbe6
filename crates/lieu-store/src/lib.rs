//! Persistence of lieu. One schema, two backends: SQLite (embedded default) and PostgreSQL,
//! chosen from the database URL when the store opens. Nothing here knows about HTTP.
//!
//! Every write goes through [`Store::write`], which runs the closure in one transaction (on
//! SQLite a `BEGIN IMMEDIATE` one, behind a process-wide lock, so that concurrent writers,
//! in this process or another, queue instead of failing with "database is locked").

pub mod accounts;
pub mod conn;
pub mod content;
pub mod directory;
pub mod error;
pub mod models;
pub mod schema;
pub mod wiki;

pub use conn::{Backend, DatabaseUrl, DbConn, Store};
pub use error::StoreError;

/// The current time in UTC, truncated to the second: timestamps compare equal on both backends.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(0)
}
