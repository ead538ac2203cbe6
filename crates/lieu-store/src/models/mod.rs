//! One module per table: rows, inserts and the queries on that table alone.

pub mod audit_log;
pub mod communes;
pub mod content_imports;
pub mod entries;
pub mod entry_revisions;
pub mod page_aliases;
pub mod page_links;
pub mod pages;
pub mod revisions;
pub mod sessions;
pub mod users;
