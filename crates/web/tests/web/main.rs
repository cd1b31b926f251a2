//! Integration tests of the web app over real HTTP: the router runs on 127.0.0.1:0 with an
//! in-memory SQLite store (or PostgreSQL when `MOCKLOOP_TEST_POSTGRES` is set) and the shipped
//! pack. One test binary with modules (see `autotests = false` in Cargo.toml). `e2e` drives a
//! headless Chromium over WebDriver.

mod api;
mod common;
mod e2e;
mod hands_on;
mod interview_loop;
mod metrics;
mod openapi;
mod pages;
mod postgres;
mod team;
