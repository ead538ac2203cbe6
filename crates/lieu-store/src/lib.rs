//! Persistence of lieu. One schema, two backends: SQLite (embedded default) and PostgreSQL,
//! chosen from the database URL when the store opens. Nothing here knows about HTTP.
//!
//! Every write goes through [`Store::write`], which runs the closure in one transaction (on
//! SQLite a `BEGIN IMMEDIATE` one, behind a process-wide lock, so that concurrent writers,
//! in this process or another, queue instead of failing with "database is locked").

pub mod accounts;
pub mod backup;
pub mod conn;
pub mod content;
pub mod directory;
pub mod error;
pub mod exchange;
pub mod exchange_batch;
pub mod exchange_feeds;
pub mod mail;
pub mod members;
pub mod models;
pub mod notifications;
pub mod open_data;
pub mod opendata;
pub mod opendata_import;
pub mod schema;
pub mod search;
pub mod submissions;
pub mod watches;
pub mod wiki;
pub mod workshops;

pub use conn::{Backend, DatabaseUrl, DbConn, Store};
pub use error::StoreError;

/// The current time in UTC, truncated to the second: timestamps compare equal on both backends.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(0)
}

#[cfg(test)]
mod tests {
    /// Texts users read come from the web catalog (or, for the command-line tools, from
    /// `lieu_core::content::history_text`): a French sentence written here would escape
    /// translation. Accented letters in a string literal give one away.
    #[test]
    fn the_store_writes_no_french_text_of_its_own() {
        let mut found = Vec::new();
        let mut pending = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source");
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    let literals = code.split('"').skip(1).step_by(2);
                    if literals
                        .into_iter()
                        .any(|l| l.chars().any(|c| "\u{e9}\u{e8}\u{ea}\u{e0}\u{e2}\u{e7}\u{f4}\u{ee}\u{fb}\u{f9}\u{eb}\u{ef}\u{2019}".contains(c)))
                    {
                        found.push(format!("{}:{}: {line}", path.display(), n + 1));
                    }
                }
            }
        }
        assert!(found.is_empty(), "French text in lieu-store: {found:#?}");
    }
}
