//! Explainable grading of interview answers.
//!
//! [`Grader::assess`] takes a [`Rubric`] (the question, its key points, misconceptions and model
//! answer) and the candidate's text, and returns an [`Assessment`]: a 0–5 score, a verdict, the
//! key points covered with the sentence that covers each, six quality signals with one-line
//! explanations, misconceptions stated, whole-answer flags, and advice with a follow-up question.
//!
//! Why not similarity to the model answer? Cosine similarity, lexical or neural, rewards an answer
//! for sharing vocabulary with the reference: a keyword list scores above an honest partial answer,
//! and a fluent but wrong answer scores like a right one. This crate instead asks the questions an
//! interviewer asks — which points were made, where, with what reasoning and specifics — and
//! applies explicit penalties for buzzwords, stuffing, echoing, word salad, contradictions and
//! known misconceptions. A sentence-embedding model plugs in through [`Embedder`] to recognise
//! paraphrased key points; without one, the lexical path (stems, synonym folding, phrase lists and
//! reference-sentence alignment) still works.
//!
//! The crate is pure: no I/O, no threads, no global state. Callers bring text and get values back.
#![deny(missing_docs)]

mod analysis;
mod assessment;
mod coverage;
mod embed;
mod feedback;
mod grader;
pub mod lexicon;
mod rubric;
mod scoring;
mod signals;
pub mod text;

pub use assessment::*;
pub use embed::{cosine, EmbedError, Embedder};
pub use grader::{assess, GradeError, Grader, MAX_ANSWER_BYTES};
pub use rubric::*;
pub use scoring::Measurements;

#[cfg(test)]
mod tests;
