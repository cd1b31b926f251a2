//! The domain model shared by every front end: questions, packs, the role reference, and the
//! user's progress records (`progress`).
//!
//! Types here are plain data with invariants established by `mockloop-content` when a pack is
//! loaded. This crate performs no I/O; it owns filtering and ranked search over a pack because both
//! are pure functions of the data.

mod pack;
mod progress;
mod question;
pub mod search;

pub use mockloop_grading::{Category, FollowUp, KeyPoint, Misconception};
pub use pack::*;
pub use progress::*;
pub use question::*;
