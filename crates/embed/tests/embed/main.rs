//! Integration tests for `mockloop-embed`, in one binary (each file under `tests/` would link
//! separately, and candle makes linking slow).
//!
//! Tests that need the real all-MiniLM-L6-v2 read its folder from `MOCKLOOP_TEST_MODEL_DIR` and
//! print a "skipped" line when it is unset. Everything else (cache, installer failure paths,
//! load errors, batching on a tiny random BERT) always runs.

mod cache;
mod install;
mod model;
mod real_model;
mod support;
