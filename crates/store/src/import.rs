//! Checking an export document before any of it is written.

use std::collections::HashSet;

use mockloop_domain::UserData;
use serde::Serialize;

use crate::{StoreError, StoreResult};

/// What an import added and what it skipped as already present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Records added, all kinds together.
    pub added: u64,
    /// Records skipped because the same id (or key) was already stored.
    pub skipped: u64,
}

/// Checks a document as a whole: format marker, version, unique ids, references between records
/// and value ranges. Reports the first problem with the record it concerns, before anything is
/// written, so a malformed or partial file changes nothing.
pub fn check_user_data(data: &UserData) -> StoreResult<()> {
    let bad = |msg: String| Err(StoreError::Invalid(msg));
    if data.format != UserData::FORMAT {
        return bad(format!(
            "not a mockloop export: `format` is `{}`, expected `{}`",
            data.format,
            UserData::FORMAT
        ));
    }
    if data.version != UserData::VERSION {
        return bad(format!(
            "export version {} is not supported by this build (it reads version {})",
            data.version,
            UserData::VERSION
        ));
    }
    let mut sessions = HashSet::new();
    for (i, s) in data.sessions.iter().enumerate() {
        if !sessions.insert(s.id) {
            return bad(format!("sessions[{i}]: duplicate id {}", s.id));
        }
        if s.finished_at.is_some_and(|f| f < s.started_at) {
            return bad(format!("sessions[{i}]: finished before it started"));
        }
    }
    let mut attempts = HashSet::new();
    for (i, a) in data.attempts.iter().enumerate() {
        if !attempts.insert(a.id) {
            return bad(format!("attempts[{i}]: duplicate id {}", a.id));
        }
        if let Some(s) = a.session.filter(|s| !sessions.contains(s)) {
            return bad(format!("attempts[{i}]: session {s} is not in the file"));
        }
        if !(0.0..=5.0).contains(&a.score) {
            return bad(format!("attempts[{i}]: score {} is outside 0–5", a.score));
        }
        if a.question.trim().is_empty() {
            return bad(format!("attempts[{i}]: empty question id"));
        }
    }
    for (i, a) in data.attempts.iter().enumerate() {
        if let Some(p) = a.follow_up_of.filter(|p| !attempts.contains(p)) {
            return bad(format!("attempts[{i}]: follow_up_of {p} is not in the file"));
        }
    }
    let mut topics = HashSet::new();
    for (i, a) in data.abilities.iter().enumerate() {
        if !topics.insert(a.topic.as_str()) {
            return bad(format!("abilities[{i}]: topic `{}` appears twice", a.topic));
        }
        if !a.rating.is_finite() {
            return bad(format!("abilities[{i}]: rating is not a number"));
        }
    }
    let mut cards = HashSet::new();
    for (i, c) in data.cards.iter().enumerate() {
        if !cards.insert(c.question.as_str()) {
            return bad(format!("cards[{i}]: question `{}` appears twice", c.question));
        }
        if !(c.stability.is_finite() && c.difficulty.is_finite()) {
            return bad(format!("cards[{i}]: stability/difficulty is not a number"));
        }
    }
    let mut reports = HashSet::new();
    for (i, r) in data.reports.iter().enumerate() {
        if !reports.insert(r.id) {
            return bad(format!("reports[{i}]: duplicate id {}", r.id));
        }
        if !sessions.contains(&r.session) {
            return bad(format!("reports[{i}]: session {} is not in the file", r.session));
        }
    }
    Ok(())
}
