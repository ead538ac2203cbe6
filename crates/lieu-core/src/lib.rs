//! Domain of lieu: ids, roles and permissions, slugs, validation and password hashing.
//!
//! This crate does no I/O: every function here is pure or CPU-bound, so that the store, the
//! web layer and the command line can share one set of rules.

pub mod account;
pub mod auth;
pub mod clock;
pub mod collation;
pub mod content;
pub mod entry;
pub mod exchange;
pub mod french;
pub mod hours;
pub mod ids;
pub mod net;
pub mod opendata;
pub mod page;
pub mod paper;
pub mod redirect;
pub mod role;
pub mod search;
pub mod slug;
pub mod submission;
pub mod territory;
pub mod validation;
pub mod vocab;
pub mod workshop;

pub use clock::Clock;
pub use ids::{CategoryId, NotificationId, PageId, PostId, RevisionId, ThreadId, UserId};
pub use role::{Permission, Role};
pub use validation::{FieldError, Invalid};
