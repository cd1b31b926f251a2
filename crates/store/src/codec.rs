//! Conversions between domain values and the plain column values both backends store.
//!
//! Both schemas keep ids as text, times as Unix milliseconds and nested values as JSON text, so
//! the two backends share these helpers and differ only in their SQL.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{StoreError, StoreResult};

/// A time as stored: milliseconds since the Unix epoch.
pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A stored time back as a `DateTime`.
pub fn from_millis(ms: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Invalid(format!("stored time {ms} is out of range")))
}

/// An optional stored time.
pub fn from_millis_opt(ms: Option<i64>) -> StoreResult<Option<DateTime<Utc>>> {
    ms.map(from_millis).transpose()
}

/// A stored id back as a UUID.
pub fn parse_uuid(s: &str) -> StoreResult<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|_| StoreError::Invalid(format!("stored id `{s}` is not a UUID")))
}

/// A value as JSON text.
pub fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(format!("cannot encode value: {e}")))
}

/// JSON text back as a value.
pub fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Invalid(format!("stored {what} is unreadable: {e}")))
}

/// A stored enum name back as its value.
pub fn parse_name<T>(s: &str, what: &str, parse: impl Fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(s).ok_or_else(|| StoreError::Invalid(format!("stored {what} `{s}` is unknown")))
}
