//! Live troubleshooting scenarios: a broken system described in a pack, a pure engine that plays
//! it, and a debrief that scores the investigation the way an interviewer would.
//!
//! A scenario (`scenarios/<id>.toml`, see `docs/pack-format.md`) is a small state machine: states,
//! read-only [`Command`]s whose output depends on the state and may reveal a [`Clue`], and
//! [`Action`]s that move between states (some marked risky). [`load_scenarios`] validates every
//! file of a [`PackSource`] and reports each problem as a [`Diagnostic`].
//!
//! [`Run`] plays a scenario: [`Run::execute`] takes one typed line and the elapsed time and returns
//! a [`Response`]; [`Run::finish`] grades the written root cause through the `mockloop-grading`
//! [`Grader`](mockloop_grading::Grader) and returns a [`Debrief`].
//!
//! Why a state machine and not a real sandbox? Interview practice needs the same fault every time,
//! offline and instantly, on any laptop; and the debrief needs to know what each command *meant*
//! (evidence, clue, risky) — which a real container cannot tell it. The cost is that only the
//! commands an author anticipated are simulated; patterns (see [`Pattern`]) absorb the common
//! variants, and anything else gets an honest "not simulated" answer.
//!
//! Like the grader, this crate does no I/O and reads no clock: callers pass text and elapsed time.

mod debrief;
mod engine;
mod load;
mod model;
mod pattern;
mod raw;

pub use debrief::{ClueResult, Component, Debrief, DebriefError, RiskyAction};
pub use engine::{clock, Entry, Response, ResponseKind, Run};
pub use load::load_scenarios;
pub use mockloop_content::{Diagnostic, PackSource};
pub use model::{Action, Clue, Command, Kind, RootCause, Scenario, State};
pub use pattern::{normalize, Pattern, PatternError};

#[cfg(test)]
mod tests;
