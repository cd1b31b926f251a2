//! From measurements to a 0–5 score: a small linear model plus hard limits.
//!
//! The weights were fitted by ridge regression on the development set (`devset/devset.jsonl`),
//! with cross-validation grouped by question so that no question's answers are both fitted and
//! scored; `scripts/fit-weights.py` reproduces them. They are few on purpose: each feature is a
//! general property of an answer (coverage, specifics, reasoning, length), so the model carries to
//! questions it has never seen. The hard limits encode what no weighting should undo: pure fluff,
//! keyword lists, echoes and off-topic answers stay at or below 2.

use serde::{Deserialize, Serialize};

/// Everything the score is computed from, kept in the assessment so a score can be explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Measurements {
    /// Weighted key-point coverage from lexical matching alone (0–1).
    pub coverage_lexical: f32,
    /// Weighted key-point coverage from sentence embeddings alone (0–1); `None` without a model.
    pub coverage_semantic: Option<f32>,
    /// Weighted coverage from the stronger of the two per key point (0–1).
    pub coverage: f32,
    /// Specificity signal (0–1).
    pub specificity: f32,
    /// Reasoning signal (0–1).
    pub reasoning: f32,
    /// Clarity signal (0–1).
    pub clarity: f32,
    /// STAR structure (0–1) on behavioral questions; 0 otherwise.
    pub structure: f32,
    /// Design hygiene (0–1) on design questions; 0 otherwise.
    pub hygiene: f32,
    /// Answer length in words, capped at 150, divided by 150: short answers lose, long ones gain nothing.
    pub length: f32,
    /// Share of the answer's content words that belong to the question's vocabulary.
    pub topicality: f32,
    /// Buzzword count, capped at 4, divided by 4.
    pub buzz: f32,
    /// Share of the answer written as bare lists of terms.
    pub list_ratio: f32,
    /// Misconceptions stated.
    pub misconceptions: u32,
    /// Key points contradicted.
    pub contradictions: u32,
    /// Whether the question is a behavioral story.
    pub behavioral: bool,
}

/// Linear weights over the measurements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weights {
    pub bias: f32,
    pub coverage_lexical: f32,
    pub coverage_semantic: f32,
    pub coverage: f32,
    pub specificity: f32,
    pub reasoning: f32,
    pub clarity: f32,
    pub structure: f32,
    pub hygiene: f32,
    pub length: f32,
    pub topicality: f32,
    pub buzz: f32,
    pub list_ratio: f32,
    pub behavioral: f32,
}

include!("weights.rs");

/// The raw linear score, before limits.
pub(crate) fn linear(m: &Measurements) -> f32 {
    let w = if m.coverage_semantic.is_some() { SEMANTIC } else { LEXICAL };
    let b = if m.behavioral { 1.0 } else { 0.0 };
    w.bias
        + w.coverage_lexical * m.coverage_lexical
        + w.coverage_semantic * m.coverage_semantic.unwrap_or(0.0)
        + w.coverage * m.coverage
        + w.specificity * m.specificity
        + w.reasoning * m.reasoning
        + w.clarity * m.clarity
        + w.structure * m.structure
        + w.hygiene * m.hygiene
        + w.length * m.length
        + w.topicality * m.topicality
        + w.buzz * m.buzz
        + w.list_ratio * m.list_ratio
        + w.behavioral * b
        - 0.8 * m.misconceptions.min(3) as f32
        - 0.3 * m.contradictions.min(3) as f32
}
