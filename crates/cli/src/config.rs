//! The settings of `mockloop serve`, layered: built-in defaults < config file < environment <
//! flags.
//!
//! **Two steps.** A file is first parsed into [`RawConfig`] — every key optional, unknown keys
//! refused (`deny_unknown_fields`), so a typo is an error instead of a silently ignored setting.
//! Flags and environment variables (clap reads both, flag first) fill another `RawConfig`. Layers
//! are merged key by key with [`RawConfig::over`], and only then [`RawConfig::resolve`] fills the
//! gaps with defaults and checks what cannot be checked while parsing. Keeping the raw and the
//! resolved shapes apart means the web crate only ever sees complete, valid settings.
//!
//! **Errors point at the line.** A bad file is reported as `FILE:LINE:COLUMN: field `KEY`: …`,
//! the key taken from the line the parser stopped on, so the message names the field even when
//! the parser's own message (a wrong type) does not.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The commented example, printed by `mockloop default-config`.
pub const EXAMPLE: &str = include_str!("../mockloop.example.toml");

/// Where `serve` listens when nothing says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// What the log shows when nothing says otherwise.
pub const DEFAULT_LOG: &str = "info,tower_http=info,sqlx=warn";

/// One layer of settings, as written: every key optional.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub addr: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database: Option<String>,
    pub user: Option<String>,
    pub max_grading: Option<NonZeroUsize>,
    pub max_queued: Option<usize>,
    pub body_limit: Option<NonZeroUsize>,
    pub log_level: Option<String>,
    pub multi_user: Option<bool>,
    pub secure_cookies: Option<bool>,
    pub session_hours: Option<NonZeroUsize>,
}

/// Complete, checked settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// `None`: SQLite in the data directory.
    pub database: Option<String>,
    pub user: String,
    pub max_grading: usize,
    pub max_queued: usize,
    pub body_limit: usize,
    pub log_level: String,
    /// Team mode: accounts and sign-in; required to listen beyond loopback.
    pub multi_user: bool,
    /// Mark the session cookie `Secure` always (behind TLS).
    pub secure_cookies: bool,
    /// How long a sign-in lasts, in hours.
    pub session_hours: usize,
}

impl RawConfig {
    /// Parses a config file's text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| {
            let start = e.span().map_or(0, |s| s.start);
            let (line, column) = line_column(text, start);
            let key = text.lines().nth(line - 1).and_then(key_of_line);
            let message = e.message().trim_end();
            match key {
                Some(key) => anyhow::anyhow!("{}:{line}:{column}: field `{key}`: {message}", path.display()),
                None => anyhow::anyhow!("{}:{line}:{column}: {message}", path.display()),
            }
        })
    }

    /// Reads and parses a config file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the config file {}", path.display()))?;
        Self::parse(path, &text)
    }

    /// `self` laid over `lower`: each key set in `self` wins.
    #[must_use]
    pub fn over(self, lower: RawConfig) -> RawConfig {
        RawConfig {
            addr: self.addr.or(lower.addr),
            data_dir: self.data_dir.or(lower.data_dir),
            database: self.database.or(lower.database),
            user: self.user.or(lower.user),
            max_grading: self.max_grading.or(lower.max_grading),
            max_queued: self.max_queued.or(lower.max_queued),
            body_limit: self.body_limit.or(lower.body_limit),
            log_level: self.log_level.or(lower.log_level),
            multi_user: self.multi_user.or(lower.multi_user),
            secure_cookies: self.secure_cookies.or(lower.secure_cookies),
            session_hours: self.session_hours.or(lower.session_hours),
        }
    }

    /// Fills what no layer set with the defaults and checks the result.
    pub fn resolve(self) -> Result<ServeConfig> {
        let web = mockloop_web::WebConfig::default();
        let user = self.user.unwrap_or_else(|| "local".to_owned());
        if user.trim().is_empty() {
            bail!("user: the user name is empty");
        }
        let log_level = self.log_level.unwrap_or_else(|| DEFAULT_LOG.to_owned());
        tracing_subscriber::EnvFilter::try_new(&log_level).with_context(|| {
            format!("log_level: `{log_level}` is not a log filter (try `info` or `debug`)")
        })?;
        let database = self.database.filter(|d| !d.trim().is_empty());
        Ok(ServeConfig {
            addr: self.addr.unwrap_or_else(|| DEFAULT_ADDR.parse().expect("the default address parses")),
            data_dir: crate::model::data_dir(self.data_dir.as_deref()),
            database,
            user,
            max_grading: self.max_grading.map_or(web.max_grading, NonZeroUsize::get),
            max_queued: self.max_queued.unwrap_or(web.max_queued),
            body_limit: self.body_limit.map_or(web.body_limit, NonZeroUsize::get),
            log_level,
            multi_user: self.multi_user.unwrap_or(false),
            secure_cookies: self.secure_cookies.unwrap_or(false),
            session_hours: self.session_hours.map_or(DEFAULT_SESSION_HOURS, NonZeroUsize::get),
        })
    }
}

/// A sign-in lasts a week unless configured otherwise.
pub const DEFAULT_SESSION_HOURS: usize = 7 * 24;

impl ServeConfig {
    /// The settings as a config file (the database password hidden), for `serve --print-config`.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let _ = writeln!(out, "addr = {}", quote(&self.addr.to_string()));
        let _ = writeln!(out, "data_dir = {}", quote(&self.data_dir.display().to_string()));
        match &self.database {
            Some(url) => {
                let _ = writeln!(out, "database = {}", quote(&hide_password(url)));
            }
            None => {
                let _ = writeln!(out, "# database: SQLite file mockloop.db in data_dir");
            }
        }
        let _ = writeln!(out, "user = {}", quote(&self.user));
        let _ = writeln!(out, "max_grading = {}", self.max_grading);
        let _ = writeln!(out, "max_queued = {}", self.max_queued);
        let _ = writeln!(out, "body_limit = {}", self.body_limit);
        let _ = writeln!(out, "log_level = {}", quote(&self.log_level));
        let _ = writeln!(out, "multi_user = {}", self.multi_user);
        let _ = writeln!(out, "secure_cookies = {}", self.secure_cookies);
        let _ = writeln!(out, "session_hours = {}", self.session_hours);
        out
    }
}

/// `scheme://user:secret@host` → `scheme://user:***@host`.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// 1-based line and column of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.len(), |nl| before.len() - nl - 1) + 1;
    (line, column)
}

/// The key a `key = value` line sets, if it is one.
fn key_of_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('#') && !key.starts_with('[')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RawConfig> {
        RawConfig::parse(Path::new("mockloop.toml"), text)
    }

    #[test]
    fn the_example_file_parses_and_every_documented_key_is_real() {
        assert_eq!(parse(EXAMPLE).unwrap(), RawConfig::default(), "the example sets nothing by default");
        // Uncommenting every `#key = value` line must give a valid file: no stale keys in the docs.
        let uncommented: String = EXAMPLE
            .lines()
            .map(|l| match l.strip_prefix('#') {
                Some(rest) if key_of_line(rest).is_some() && !rest.starts_with(' ') => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let raw = parse(&uncommented).unwrap();
        assert!(raw.addr.is_some() && raw.database.is_some() && raw.user.is_some());
        assert!(raw.max_grading.is_some() && raw.max_queued.is_some() && raw.body_limit.is_some());
        assert!(raw.data_dir.is_some() && raw.log_level.is_some());
        assert!(raw.multi_user.is_some() && raw.secure_cookies.is_some() && raw.session_hours.is_some());
        raw.resolve().unwrap();
    }

    #[test]
    fn flags_and_env_beat_the_file_and_the_file_beats_defaults() {
        let file = parse("addr = \"127.0.0.1:9000\"\nuser = \"ana\"\nmax_queued = 5\n").unwrap();
        let explicit = RawConfig { user: Some("bo".into()), ..RawConfig::default() };
        let c = explicit.over(file).resolve().unwrap();
        assert_eq!(c.addr, "127.0.0.1:9000".parse().unwrap(), "from the file");
        assert_eq!(c.user, "bo", "the flag wins over the file");
        assert_eq!(c.max_queued, 5, "from the file");
        let defaults = mockloop_web::WebConfig::default();
        assert_eq!((c.max_grading, c.body_limit), (defaults.max_grading, defaults.body_limit));
        assert_eq!(c.log_level, DEFAULT_LOG);
        assert_eq!(c.database, None);
    }

    #[test]
    fn a_misspelt_key_is_an_error_naming_file_line_and_field() {
        let err = parse("user = \"ana\"\n\nmax_grade = 3\n").unwrap_err().to_string();
        assert!(err.starts_with("mockloop.toml:3:1: field `max_grade`"), "{err}");
        assert!(err.contains("unknown field"), "{err}");
    }

    #[test]
    fn a_wrong_value_is_an_error_naming_file_line_and_field() {
        let err = parse("user = \"ana\"\nmax_grading = 0\n").unwrap_err().to_string();
        assert!(err.starts_with("mockloop.toml:2:") && err.contains("field `max_grading`"), "{err}");
        let err = parse("addr = \"localhost\"\n").unwrap_err().to_string();
        assert!(err.starts_with("mockloop.toml:1:") && err.contains("field `addr`"), "{err}");
        let err = parse("max_queued = \"many\"\n").unwrap_err().to_string();
        assert!(err.contains("field `max_queued`") && err.contains("invalid type"), "{err}");
    }

    #[test]
    fn a_bad_log_filter_is_refused_when_resolving() {
        let raw = RawConfig { log_level: Some("info,[".into()), ..RawConfig::default() };
        let err = raw.resolve().unwrap_err().to_string();
        assert!(err.starts_with("log_level:"), "{err}");
    }

    #[test]
    fn printed_settings_hide_the_database_password() {
        let raw =
            RawConfig { database: Some("postgres://ana:s3cret@db:5432/m".into()), ..RawConfig::default() };
        let text = raw.resolve().unwrap().to_toml();
        assert!(text.contains("postgres://ana:***@db:5432/m") && !text.contains("s3cret"), "{text}");
        // And what is printed is itself a valid config file.
        parse(&text).unwrap();
    }
}
