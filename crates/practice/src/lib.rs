//! The coaching core of mockloop: everything that turns a user's history into the next step.
//!
//! - [`ability`]: a per-topic ability estimate on a logit scale (Elo/Rasch style), started from the
//!   chosen level and nudged by every graded answer.
//! - [`select`]: the next question, the most informative one for the user's ability, favouring weak
//!   and unseen topics, with a human reason.
//! - [`schedule`]: FSRS flashcard scheduling through `rs-fsrs`, converting to and from
//!   `domain::Card`.
//! - [`anki`]: an Anki-importable text export.
//! - [`debrief`]: the end-of-loop debrief and its calibrated verdict.
//! - [`plan`]: a personal prep plan (Markdown and iCalendar).
//! - [`stats`]: progress series, readiness, streaks, sparklines.
//!
//! **Design decision: values in, values out.** Nothing here reads a clock, a file, the environment
//! or the operating system's randomness. Callers pass `now` and, where variety matters, a `seed`;
//! the same inputs always give the same output. That makes every behaviour testable with plain
//! data, and lets the CLI and the web app share one implementation while owning storage and
//! rendering themselves.
#![deny(missing_docs)]

pub mod ability;
pub mod anki;
pub mod debrief;
mod hash;
pub mod plan;
pub mod schedule;
pub mod select;
pub mod stats;

#[cfg(test)]
mod shipped_pack_tests;
