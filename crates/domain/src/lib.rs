//! The domain model shared by every front end: questions, packs and the role reference.
//!
//! Types here are plain data with invariants established by `mockloop-content` when a pack is
//! loaded. This crate performs no I/O; it owns filtering and ranked search over a pack because both
//! are pure functions of the data.

mod pack;
mod question;
pub mod search;

pub use mockloop_grading::{Category, FollowUp, KeyPoint, Misconception};
pub use pack::*;
pub use question::*;
