//! Serde mirrors of a scenario file, exactly as written. `load` validates them into [`crate::Scenario`].

use std::collections::BTreeMap;

use mockloop_grading::{KeyPoint, Misconception};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub id: Spanned<String>,
    pub title: String,
    pub difficulty: Spanned<String>,
    pub topics: Spanned<Vec<String>>,
    pub rounds: Spanned<Vec<String>>,
    pub time_minutes: Spanned<u32>,
    pub symptom: Spanned<String>,
    pub initial_state: Spanned<String>,
    #[serde(default)]
    pub hints: Vec<String>,
    #[serde(default)]
    pub states: Vec<Spanned<RawState>>,
    #[serde(default)]
    pub clues: Vec<Spanned<RawClue>>,
    #[serde(default)]
    pub commands: Vec<Spanned<RawCommand>>,
    #[serde(default)]
    pub actions: Vec<Spanned<RawAction>>,
    pub root_cause: Spanned<RawRootCause>,
    pub fix: Spanned<RawFix>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawState {
    pub id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub solved: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClue {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawKind {
    Evidence,
    Info,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommand {
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub kind: Option<RawKind>,
    #[serde(default)]
    pub clue: Option<Spanned<String>>,
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub outputs: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub from: Vec<Spanned<String>>,
    #[serde(default)]
    pub to: Option<Spanned<String>>,
    #[serde(default)]
    pub risky: Option<String>,
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub outputs: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRootCause {
    #[serde(default)]
    pub prompt: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub key_points: Vec<Spanned<KeyPoint>>,
    #[serde(default)]
    pub misconceptions: Vec<Misconception>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFix {
    pub summary: String,
}

/// The slice of `pack.toml` scenarios are checked against.
#[derive(Debug, Deserialize, Default)]
pub struct RawPackIds {
    #[serde(default)]
    pub topics: Vec<RawId>,
    #[serde(default)]
    pub rounds: Vec<RawId>,
}

#[derive(Debug, Deserialize)]
pub struct RawId {
    pub id: String,
}
