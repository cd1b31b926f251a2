//! Request handlers, one module per resource. Page handlers are `<page>_<method>`; JSON handlers
//! are `api_<resource>_<method>`. Both call `crate::service` and differ only in how they answer.

pub mod account;
pub mod admin;
pub mod assets;
pub mod attempts;
pub mod dashboard;
pub mod hands_on;
pub mod health;
pub mod interview_loop;
pub mod plan;
pub mod practice;
pub mod progress;
pub mod questions;
pub mod review;
pub mod role;
