//! Storage errors, split the way callers branch on them.

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Why a storage call failed.
///
/// Callers match on `NotFound` and `Invalid` (both are the user's to fix) and report the rest.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist for this user.
    #[error("{0} not found")]
    NotFound(String),
    /// The record already exists (a taken user name).
    #[error("{0}")]
    Conflict(String),
    /// The request or a stored value breaks an invariant (bad import file, dangling reference…).
    #[error("{0}")]
    Invalid(String),
    /// The database URL is malformed or names an unknown backend.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached or opened.
    #[error("cannot open the database: {0}")]
    Connect(String),
    /// Applying migrations failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(String),
}
