//! Which database to use, from one URL.

use std::fmt;
use std::path::Path;

use crate::{StoreError, StoreResult};

/// The backends mockloop ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbType {
    /// A local SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server (team installs).
    Postgres,
}

/// Database settings: a URL, `sqlite:PATH` or `postgres://…`.
///
/// `Debug` and `Display` hide any password in the URL, so settings can be logged safely.
#[derive(Clone, PartialEq, Eq)]
pub struct DbSettings {
    /// The URL as given.
    pub url: String,
}

impl DbSettings {
    /// Settings for the SQLite file at `path`.
    pub fn sqlite_file(path: &Path) -> Self {
        Self { url: format!("sqlite://{}", path.display()) }
    }

    /// The backend the URL names.
    pub fn db_type(&self) -> StoreResult<DbType> {
        let url = self.url.trim();
        if url.starts_with("sqlite:") {
            Ok(DbType::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbType::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL `{}`: use sqlite:PATH (e.g. sqlite:///home/me/mockloop.db) \
                 or postgres://USER@HOST:PORT/DB",
                self.redacted()
            )))
        }
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.url)
    }
}

fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_owned() };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &url[..scheme_end + 3], &authority[..colon], &rest[at..])
        }
        _ => url.to_owned(),
    }
}

impl fmt::Debug for DbSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbSettings").field("url", &self.redacted()).finish()
    }
}

impl fmt::Display for DbSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_picks_the_backend() {
        let t = |u: &str| DbSettings { url: u.into() }.db_type().ok();
        assert_eq!(t("sqlite:///tmp/x.db"), Some(DbType::Sqlite));
        assert_eq!(t("sqlite::memory:"), Some(DbType::Sqlite));
        assert_eq!(t("postgres://u@h/db"), Some(DbType::Postgres));
        assert_eq!(t("postgresql://u@h/db"), Some(DbType::Postgres));
        assert_eq!(t("mysql://u@h/db"), None);
    }

    #[test]
    fn unknown_scheme_error_says_what_is_accepted() {
        let err = DbSettings { url: "mysql://root:pw@h/db".into() }.db_type().unwrap_err().to_string();
        assert!(err.contains("sqlite:PATH") && err.contains("postgres://"), "{err}");
        assert!(!err.contains("pw"), "password leaked: {err}");
    }

    #[test]
    fn passwords_never_appear_in_debug_output() {
        let s = DbSettings { url: "postgres://alice:s3cret@db.internal:5432/mockloop".into() };
        let shown = format!("{s:?} {s}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("alice:***@db.internal"), "{shown}");
        let plain = DbSettings { url: "postgres://postgres@127.0.0.1/test".into() };
        assert_eq!(plain.redacted(), plain.url);
    }
}
