//! The port through which a sentence-embedding model plugs into the grader.
//!
//! The grading core never loads a model or touches the file system: callers hand it anything that
//! implements [`Embedder`]. `mockloop-embed` provides the real MiniLM implementation; tests use
//! small fakes. Without an embedder the grader runs on its lexical path alone.

use std::fmt;

/// Turns texts into unit-length vectors whose dot product measures semantic similarity.
pub trait Embedder: Send + Sync {
    /// Embeds every text, in order. Each returned vector is L2-normalised and all have the same
    /// dimension.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;

    /// A short human-readable name of the model (shown in reports, e.g. `all-MiniLM-L6-v2`).
    fn name(&self) -> &str;
}

/// Why an embedder could not produce vectors. The grader falls back to lexical matching on error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedError {
    /// What went wrong, in words a user can act on.
    pub message: String,
}

impl EmbedError {
    /// Builds an error from anything printable.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EmbedError {}

/// Cosine similarity of two unit vectors (their dot product); 0 when dimensions differ.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
