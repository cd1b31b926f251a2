//! The MiniLM (BERT) sentence embedder: tokenise, chunk by length, run the encoder, mean-pool.
//!
//! sentence-transformers computes an all-MiniLM-L6-v2 embedding as: WordPiece tokens with
//! `[CLS]`/`[SEP]`, truncated to 256 tokens; the BERT encoder's last hidden state; the mean of
//! that state over the text's tokens; L2 normalisation. [`MiniLm`] does exactly that, and
//! `tests/` checks it against an independent numpy implementation.
//!
//! The encoder itself ([`crate::bert`]) packs the texts of a call into one matrix, so padding
//! costs nothing in the dense layers. Texts are still sorted by length and cut into chunks
//! ([`plan_chunks`]) to bound the memory of attention, whose padded score tensor grows with
//! `texts × longest²`.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use candle_core::Device;
use mockloop_grading::{EmbedError, Embedder};
use tokenizers::{Tokenizer, TruncationParams};

use crate::bert::{Bert, BertConfig};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The file names a sentence-transformers BERT folder must contain.
const CONFIG_FILE: &str = "config.json";
const TOKENIZER_FILE: &str = "tokenizer.json";
const WEIGHTS_FILE: &str = "model.safetensors";

/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2 (its `sentence_bert_config.json`).
/// The folder's `tokenizer.json` says 128, which sentence-transformers overrides; we follow it.
pub const DEFAULT_MAX_TOKENS: usize = 256;

/// Packed tokens per forward pass. The widest activation is `tokens × intermediate_size`
/// floats (about 25 MB for MiniLM at this size); a few hundred clauses fit in one pass.
const MAX_CHUNK_TOKENS: usize = 4096;

/// Attention scores per head in one forward pass, `texts × longest²`. With 12 heads this bounds
/// the score and probability tensors to about 25 MB each (8 texts of 256 tokens, or hundreds of
/// short ones).
const MAX_ATTENTION_CELLS: usize = 1 << 19;

/// How to load a model folder. `MiniLmConfig::default()` matches sentence-transformers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiniLmConfig {
    /// Name reported by [`Embedder::name`] and stored in cache headers. Defaults to the folder's
    /// name (for the installed model, `all-MiniLM-L6-v2`).
    pub name: Option<String>,
    /// Texts longer than this many tokens (counting `[CLS]` and `[SEP]`) are truncated. Capped
    /// at the model's `max_position_embeddings`.
    pub max_tokens: usize,
    /// Run forward passes in a private rayon pool with this many threads. `None` runs them on
    /// the calling thread, with candle's parallel sections in the global rayon pool (sized by
    /// `RAYON_NUM_THREADS`, else one thread per core). See the crate docs on threads and memory.
    pub threads: Option<usize>,
}

impl Default for MiniLmConfig {
    fn default() -> Self {
        Self { name: None, max_tokens: DEFAULT_MAX_TOKENS, threads: None }
    }
}

/// Why a model folder could not be loaded. Every variant names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum EmbedLoadError {
    /// The folder itself is not there.
    #[error(
        "model folder {} does not exist; install the model, or pass --model-dir DIR pointing at a \
         sentence-transformers folder (config.json, tokenizer.json, model.safetensors)",
        dir.display()
    )]
    MissingDir {
        /// The folder that was asked for.
        dir: PathBuf,
    },
    /// One of the three required files is absent.
    #[error(
        "{} is missing; a sentence-transformers BERT folder needs config.json, tokenizer.json \
         and model.safetensors (reinstall the model, or pass --model-dir DIR)",
        path.display()
    )]
    MissingFile {
        /// The absent file.
        path: PathBuf,
    },
    /// A file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The unreadable file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// `config.json` is not a BERT configuration.
    #[error("{} is not a usable BERT config: {source}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// `tokenizer.json` could not be parsed or configured.
    #[error("{} is not a usable tokenizer: {source}", path.display())]
    Tokenizer {
        /// The tokenizer file.
        path: PathBuf,
        /// What the tokenizer library reported.
        source: BoxError,
    },
    /// `model.safetensors` is corrupt or lacks tensors the config calls for.
    #[error("{} does not hold the weights {CONFIG_FILE} describes: {source}", path.display())]
    Weights {
        /// The weights file.
        path: PathBuf,
        /// What is wrong (for example a missing tensor or a shape mismatch).
        source: BoxError,
    },
    /// The folder loads but asks for something this crate does not support.
    #[error("cannot use the model in {}: {reason}", dir.display())]
    Unsupported {
        /// The model folder.
        dir: PathBuf,
        /// What is unsupported.
        reason: String,
    },
}

/// A sentence-transformers BERT model (all-MiniLM-L6-v2 by default) running on the CPU.
///
/// Loading reads about 90 MB and takes a fraction of a second; keep one instance and share it
/// (`MiniLm` is `Send + Sync`, and `embed` takes `&self`).
pub struct MiniLm {
    model: Bert,
    tokenizer: Tokenizer,
    name: String,
    dimension: usize,
    max_tokens: usize,
    pool: Option<rayon::ThreadPool>,
}

impl fmt::Debug for MiniLm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiniLm")
            .field("name", &self.name)
            .field("dimension", &self.dimension)
            .field("max_tokens", &self.max_tokens)
            .field("threads", &self.pool.as_ref().map(rayon::ThreadPool::current_num_threads))
            .finish_non_exhaustive()
    }
}

impl MiniLm {
    /// Loads a sentence-transformers BERT folder with the defaults of [`MiniLmConfig`].
    pub fn load(dir: &Path) -> Result<MiniLm, EmbedLoadError> {
        Self::load_with(dir, &MiniLmConfig::default())
    }

    /// Loads a sentence-transformers BERT folder (`config.json`, `tokenizer.json`,
    /// `model.safetensors`).
    pub fn load_with(dir: &Path, config: &MiniLmConfig) -> Result<MiniLm, EmbedLoadError> {
        if !dir.is_dir() {
            return Err(EmbedLoadError::MissingDir { dir: dir.to_path_buf() });
        }
        let config_path = required_file(dir, CONFIG_FILE)?;
        let tokenizer_path = required_file(dir, TOKENIZER_FILE)?;
        let weights_path = required_file(dir, WEIGHTS_FILE)?;

        let config_text = read_to_string(&config_path)?;
        let bert: BertConfig = serde_json::from_str(&config_text)
            .map_err(|source| EmbedLoadError::Config { path: config_path.clone(), source })?;
        let unsupported = |reason: String| EmbedLoadError::Unsupported { dir: dir.to_path_buf(), reason };
        if let Some(reason) = bert.unsupported() {
            return Err(unsupported(reason));
        }
        // Like sentence-transformers, never feed more tokens than the position table covers.
        let max_tokens = config.max_tokens.min(bert.max_position_embeddings);
        if max_tokens < 2 {
            return Err(unsupported(format!(
                "max_tokens must leave room for [CLS] and [SEP], but is {max_tokens} \
                 (max_tokens {}, max_position_embeddings {})",
                config.max_tokens, bert.max_position_embeddings
            )));
        }

        let tokenizer = load_tokenizer(&tokenizer_path, max_tokens)?;

        let weights = std::fs::read(&weights_path)
            .map_err(|source| EmbedLoadError::Io { path: weights_path.clone(), source })?;
        let weights_error = |source: BoxError| EmbedLoadError::Weights { path: weights_path.clone(), source };
        // Copying the tensors out of the buffer (rather than memory-mapping the file) keeps this
        // crate free of `unsafe`; the buffer is dropped once the model holds its own copies.
        let tensors = candle_core::safetensors::load_buffer(&weights, &Device::Cpu)
            .map_err(|e| weights_error(e.into()))?;
        drop(weights);
        let model = Bert::from_tensors(tensors, &bert).map_err(|e| weights_error(e.into()))?;

        let pool = match config.threads {
            Some(threads) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads.max(1))
                    .thread_name(|i| format!("minilm-{i}"))
                    .build()
                    .map_err(|e| unsupported(format!("cannot start {threads} worker threads: {e}")))?,
            ),
            None => None,
        };

        let name = config.name.clone().unwrap_or_else(|| {
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "sentence-embedder".to_owned())
        });
        Ok(MiniLm { model, tokenizer, name, dimension: bert.hidden_size, max_tokens, pool })
    }

    /// Length of every embedding vector (384 for all-MiniLM-L6-v2).
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Token limit per text, counting `[CLS]` and `[SEP]`; longer texts are truncated.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Token ids the model sees for `text` (with `[CLS]`/`[SEP]`, after truncation). Useful for
    /// checking tokenisation against another implementation, and for telling a user that an
    /// answer was cut off.
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, EmbedError> {
        let encoding = self
            .tokenizer
            .encode_fast(text, true)
            .map_err(|e| EmbedError::new(format!("cannot tokenise text: {e}")))?;
        Ok(encoding.get_ids().to_vec())
    }

    fn embed_all(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut token_ids = Vec::with_capacity(texts.len());
        for text in texts {
            token_ids.push(self.token_ids(text)?);
        }
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| token_ids[i].len());
        let sorted_lengths: Vec<usize> = order.iter().map(|&i| token_ids[i].len()).collect();

        let mut out = vec![Vec::new(); texts.len()];
        let mut start = 0;
        for end in plan_chunks(&sorted_lengths, MAX_CHUNK_TOKENS, MAX_ATTENTION_CELLS) {
            let chunk: Vec<&[u32]> = order[start..end].iter().map(|&i| token_ids[i].as_slice()).collect();
            let hidden = self
                .model
                .forward_packed(&chunk)
                .map_err(|e| EmbedError::new(format!("{} failed to embed a batch: {e}", self.name)))?;
            let mut rows = hidden.chunks_exact(self.dimension);
            for (&i, tokens) in order[start..end].iter().zip(&chunk) {
                out[i] = mean_pool(rows.by_ref().take(tokens.len()), self.dimension);
            }
            start = end;
        }
        Ok(out)
    }
}

impl Embedder for MiniLm {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        match &self.pool {
            Some(pool) => pool.install(|| self.embed_all(texts)),
            None => self.embed_all(texts),
        }
    }

    fn name(&self) -> &str {
        &self.name
    }
}

/// Mean of a text's token vectors, L2-normalised: sentence-transformers' pooling and
/// `Normalize` modules.
fn mean_pool<'a>(rows: impl Iterator<Item = &'a [f32]>, dimension: usize) -> Vec<f32> {
    let mut pooled = vec![0f32; dimension];
    let mut count = 0usize;
    for row in rows {
        for (p, h) in pooled.iter_mut().zip(row) {
            *p += h;
        }
        count += 1;
    }
    let count = count.max(1) as f32;
    pooled.iter_mut().for_each(|p| *p /= count);
    normalize(&mut pooled);
    pooled
}

/// Scales `v` to unit length, as `torch.nn.functional.normalize` does (norm floored at 1e-12).
pub(crate) fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
}

/// Splits texts sorted by ascending token count into consecutive chunks, returning each
/// chunk's end index. A chunk grows until it would exceed `max_tokens` packed tokens or
/// `max_cells` attention cells (`texts × longest²`); a single text always fits. Fewer chunks
/// mean fewer passes over the weights, and sorting keeps attention padding small.
pub(crate) fn plan_chunks(sorted_lengths: &[usize], max_tokens: usize, max_cells: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let (mut texts, mut tokens) = (0usize, 0usize);
    for (i, &len) in sorted_lengths.iter().enumerate() {
        let fits = tokens + len <= max_tokens && (texts + 1) * len * len <= max_cells;
        if texts > 0 && !fits {
            ends.push(i);
            (texts, tokens) = (0, 0);
        }
        texts += 1;
        tokens += len;
    }
    if texts > 0 {
        ends.push(sorted_lengths.len());
    }
    ends
}

fn required_file(dir: &Path, name: &str) -> Result<PathBuf, EmbedLoadError> {
    let path = dir.join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(EmbedLoadError::MissingFile { path })
    }
}

fn read_to_string(path: &Path) -> Result<String, EmbedLoadError> {
    std::fs::read_to_string(path).map_err(|source| EmbedLoadError::Io { path: path.to_path_buf(), source })
}

fn load_tokenizer(path: &Path, max_tokens: usize) -> Result<Tokenizer, EmbedLoadError> {
    let tokenizer_error = |source: BoxError| EmbedLoadError::Tokenizer { path: path.to_path_buf(), source };
    let mut tokenizer = Tokenizer::from_file(path).map_err(tokenizer_error)?;
    // The file ships with fixed padding to 128 and truncation at 128. We pad per batch ourselves
    // and truncate where sentence-transformers does.
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams { max_length: max_tokens, ..TruncationParams::default() }))
        .map_err(tokenizer_error)?;
    Ok(tokenizer)
}

/// Texts repeated within one call are embedded once. Returns the distinct texts and, for each
/// input, the index of its distinct text.
pub(crate) fn dedup<'a>(texts: &[&'a str]) -> (Vec<&'a str>, Vec<usize>) {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(texts.len());
    let mut distinct = Vec::new();
    let slots = texts
        .iter()
        .map(|&text| {
            *seen.entry(text).or_insert_with(|| {
                distinct.push(text);
                distinct.len() - 1
            })
        })
        .collect();
    (distinct, slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_chunks_puts_short_texts_in_one_chunk() {
        assert_eq!(plan_chunks(&[6, 8, 9, 13, 21], 4096, 1 << 19), vec![5]);
    }

    #[test]
    fn plan_chunks_respects_the_token_budget() {
        let ends = plan_chunks(&[10; 25], 100, usize::MAX);
        assert_eq!(ends, vec![10, 20, 25]);
    }

    #[test]
    fn plan_chunks_respects_the_attention_budget() {
        let lengths = [8, 8, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256];
        let ends = plan_chunks(&lengths, 4096, 1 << 19);
        // At width 256 a chunk holds 8 texts (2^19 cells), short ones included.
        assert_eq!(ends, vec![8, 12]);
        assert_eq!(plan_chunks(&[5000], 4096, 1 << 19), vec![1], "a single text always fits");
    }

    #[test]
    fn plan_chunks_of_nothing_is_empty() {
        assert!(plan_chunks(&[], 4096, 1 << 19).is_empty());
    }

    #[test]
    fn dedup_maps_repeats_to_one_slot() {
        let (distinct, slots) = dedup(&["a", "b", "a", "c", "b"]);
        assert_eq!(distinct, vec!["a", "b", "c"]);
        assert_eq!(slots, vec![0, 1, 0, 2, 1]);
    }

    #[test]
    fn mean_pool_averages_rows_and_normalises() {
        let rows = [[1.0f32, 0.0], [3.0, 0.0]];
        assert_eq!(mean_pool(rows.iter().map(|r| r.as_slice()), 2), vec![1.0, 0.0]);
    }

    #[test]
    fn normalize_gives_unit_length_and_tolerates_zero() {
        let mut v = vec![3.0, 4.0];
        normalize(&mut v);
        assert_eq!(v, vec![0.6, 0.8]);
        let mut zero = vec![0.0, 0.0];
        normalize(&mut zero);
        assert_eq!(zero, vec![0.0, 0.0]);
    }
}
