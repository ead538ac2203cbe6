use lieu_core::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("{0}")]
    BadUrl(String),
    #[error("not found")]
    NotFound,
    #[error("invalid: {0}")]
    Invalid(#[from] Invalid),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Turns "no row" into `NotFound`, which callers show as a 404.
    pub fn or_not_found(self) -> Self {
        match self {
            StoreError::Db(diesel::result::Error::NotFound) => StoreError::NotFound,
            other => other,
        }
    }
}
