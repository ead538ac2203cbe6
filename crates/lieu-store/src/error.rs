use diesel::result::{DatabaseErrorKind, Error as DbError};
use lieu_core::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbError),
    #[error("no database connection available: {0}")]
    Pool(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A backup or a restore could not be made; says why (the file, the tool that failed).
    #[error("backup: {0}")]
    Backup(String),
    #[error("{0}")]
    BadUrl(String),
    #[error("not found")]
    NotFound,
    #[error("invalid: {0}")]
    Invalid(#[from] Invalid),
    /// Another row already has this slug (the unique index said so, possibly because a
    /// concurrent writer took it first). Nothing was written.
    #[error("the slug `{0}` is already taken")]
    SlugTaken(String),
    /// The row changed since the caller read it (another writer won the race). Nothing was
    /// written.
    #[error("changed by someone else in the meantime")]
    Conflict,
    /// The change would leave no active administrator. Nothing was written.
    #[error("this is the last active administrator")]
    LastAdmin,
    /// Another account already has this address. Nothing was written.
    #[error("an account already has this address")]
    EmailTaken,
    /// The link (invitation, password reset) is unknown, used or expired. Nothing was written.
    #[error("this link is unknown, already used or expired")]
    LinkInvalid,
    /// The data forbids this person the action (someone else's post, a suspended account).
    /// Nothing was written.
    #[error("not allowed")]
    Forbidden,
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Turns "no row" into `NotFound`, which callers show as a 404.
    pub fn or_not_found(self) -> Self {
        match self {
            StoreError::Db(DbError::NotFound) => StoreError::NotFound,
            other => other,
        }
    }

    /// Turns a unique violation, on either backend, into `SlugTaken(slug)`.
    pub(crate) fn slug_taken_if_unique(error: DbError, slug: &str) -> Self {
        if is_unique_violation(&error) {
            StoreError::SlugTaken(slug.to_owned())
        } else {
            StoreError::Db(error)
        }
    }
}

pub(crate) fn is_unique_violation(error: &DbError) -> bool {
    matches!(
        error,
        DbError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
