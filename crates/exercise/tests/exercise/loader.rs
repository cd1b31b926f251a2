//! Loader diagnostics.
