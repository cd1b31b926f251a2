//! Memoised embeddings, in memory and optionally on disk.
//!
//! A pack's key points are the same on every start, and embedding a few hundred of them costs
//! about a second on one core; answers repeat less, but retries and re-grades do repeat. So
//! [`CachedEmbedder`] keeps every vector it has computed, keyed by the exact text, and can save
//! them to a file.
//!
//! A saved vector is only valid for the model that made it and for whatever the caller was
//! embedding. The file header therefore records the model name, the dimension and a
//! caller-chosen *fingerprint* (for example a hash of the pack); [`CachedEmbedder::load_file`]
//! ignores a file whose header disagrees, and the caller simply re-embeds and saves again.
//!
//! # File format
//!
//! ```text
//! mockloop-embed-cache 1\n                         magic line with the format version
//! {"model":…,"dimension":…,"fingerprint":…,"entries":N}\n   JSON header, one line
//! N × ( u32 LE text length | UTF-8 text | dimension × f32 LE )   sorted by text
//! 32 bytes: SHA-256 of everything above
//! ```
//!
//! Entries are sorted so that the same cache always produces the same bytes, and the trailing
//! checksum turns a truncated or damaged file into an error instead of wrong vectors.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use mockloop_grading::{EmbedError, Embedder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::minilm::dedup;

const MAGIC: &str = "mockloop-embed-cache 1\n";

/// An [`Embedder`] that remembers the vector of every text it has embedded.
///
/// Lookups are by exact text. The wrapped embedder is called only for texts not yet known, in
/// one batch per call, outside the lock, so concurrent callers do not wait for each other's
/// model runs (two callers may then both embed the same new text; the results are identical).
pub struct CachedEmbedder<E: Embedder> {
    inner: E,
    fingerprint: String,
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    vectors: HashMap<String, Arc<[f32]>>,
    dimension: Option<usize>,
}

/// What [`CachedEmbedder::load_file`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheLoad {
    /// The file matched; this many entries were added.
    Loaded {
        /// Entries read from the file.
        entries: usize,
    },
    /// There is no file at that path (a first run).
    Missing,
    /// The file belongs to another model, dimension or fingerprint and was ignored.
    Stale(StaleReason),
}

/// Why a cache file was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleReason {
    /// Written for another model.
    Model {
        /// The model named in the file.
        found: String,
        /// The model of this embedder.
        expected: String,
    },
    /// Written for another fingerprint (for example an edited pack).
    Fingerprint {
        /// The fingerprint in the file.
        found: String,
        /// This cache's fingerprint.
        expected: String,
    },
    /// The vectors have another length than those already in memory.
    Dimension {
        /// The dimension in the file.
        found: usize,
        /// The dimension of the vectors in memory.
        expected: usize,
    },
}

impl std::fmt::Display for StaleReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Model { found, expected } => write!(f, "made by model {found}, not {expected}"),
            Self::Fingerprint { found, expected } => {
                write!(f, "made for fingerprint {found:?}, not {expected:?}")
            }
            Self::Dimension { found, expected } => {
                write!(f, "holds {found}-dimensional vectors, not {expected}")
            }
        }
    }
}

/// Why a cache file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Reading or writing the file failed.
    #[error("cannot access embedding cache {}: {source}", path.display())]
    Io {
        /// The cache file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not a cache file or is damaged; deleting it is safe.
    #[error("embedding cache {} is damaged ({reason}); delete it and it will be rebuilt", path.display())]
    Corrupt {
        /// The cache file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The wrapped embedder failed while warming the cache.
    #[error(transparent)]
    Embed(#[from] EmbedError),
}

#[derive(Serialize, Deserialize)]
struct Header {
    model: String,
    dimension: usize,
    fingerprint: String,
    entries: usize,
}

impl<E: Embedder> CachedEmbedder<E> {
    /// Wraps `inner`. `fingerprint` identifies what the saved vectors are valid for (for example
    /// a hash of the pack whose key points they embed); files with another fingerprint are
    /// ignored by [`load_file`](Self::load_file).
    pub fn new(inner: E, fingerprint: impl Into<String>) -> Self {
        Self { inner, fingerprint: fingerprint.into(), capacity: usize::MAX, state: Mutex::default() }
    }

    /// Stops remembering new texts once `capacity` are stored (they are still embedded, just not
    /// kept). Entries are never evicted, so what was loaded or embedded first (a pack's key
    /// points) stays; the bound protects a long-running server from growing without limit on
    /// ever-new answers.
    pub fn with_capacity_limit(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// Wraps `inner` and loads `path` if it matches `fingerprint`; see [`load_file`](Self::load_file).
    pub fn load(
        inner: E,
        path: &Path,
        fingerprint: impl Into<String>,
    ) -> Result<(Self, CacheLoad), CacheError> {
        let cache = Self::new(inner, fingerprint);
        let outcome = cache.load_file(path)?;
        Ok((cache, outcome))
    }

    /// The wrapped embedder.
    pub fn inner(&self) -> &E {
        &self.inner
    }

    /// The fingerprint written to and expected in cache files.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Number of texts remembered.
    pub fn len(&self) -> usize {
        self.lock().vectors.len()
    }

    /// Whether nothing is remembered yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The remembered vector of `text`, if any, without calling the model.
    pub fn get(&self, text: &str) -> Option<Vec<f32>> {
        self.lock().vectors.get(text).map(|v| v.to_vec())
    }

    /// Forgets every remembered vector.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.vectors.clear();
        state.dimension = None;
    }

    /// Adds the entries of a cache file written by [`save`](Self::save), if its header matches
    /// this embedder's model name and fingerprint (and the dimension of vectors already held).
    ///
    /// A missing or stale file is not an error: the outcome says what happened, and the caller
    /// re-embeds what it needs. A damaged file is an error ([`CacheError::Corrupt`]), so the
    /// caller can report it; it is equally safe to ignore.
    pub fn load_file(&self, path: &Path) -> Result<CacheLoad, CacheError> {
        // Cache files are small (about 1.6 kB per entry), so reading one whole is simplest, and it
        // lets the checksum be verified before anything is parsed.
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CacheLoad::Missing),
            Err(source) => return Err(CacheError::Io { path: path.to_path_buf(), source }),
        };
        let corrupt =
            |reason: &str| CacheError::Corrupt { path: path.to_path_buf(), reason: reason.to_owned() };

        let Some(body) = bytes.strip_prefix(MAGIC.as_bytes()) else {
            return Err(corrupt("not an embedding cache file, or an unsupported version"));
        };
        if body.len() < 32 {
            return Err(corrupt("file is truncated"));
        }
        let (body, digest) = body.split_at(body.len() - 32);
        let mut hasher = Sha256::new();
        hasher.update(MAGIC.as_bytes());
        hasher.update(body);
        if hasher.finalize()[..] != digest[..] {
            return Err(corrupt("checksum mismatch (truncated or damaged)"));
        }
        let Some(header_end) = body.iter().position(|&b| b == b'\n') else {
            return Err(corrupt("header line is unterminated"));
        };
        let header: Header =
            serde_json::from_slice(&body[..header_end]).map_err(|e| corrupt(&format!("bad header: {e}")))?;

        if header.model != self.inner.name() {
            return Ok(CacheLoad::Stale(StaleReason::Model {
                found: header.model,
                expected: self.inner.name().to_owned(),
            }));
        }
        if header.fingerprint != self.fingerprint {
            return Ok(CacheLoad::Stale(StaleReason::Fingerprint {
                found: header.fingerprint,
                expected: self.fingerprint.clone(),
            }));
        }
        if let Some(expected) = self.lock().dimension {
            if header.dimension != expected {
                return Ok(CacheLoad::Stale(StaleReason::Dimension { found: header.dimension, expected }));
            }
        }
        if header.dimension == 0 && header.entries > 0 {
            return Err(corrupt("zero-dimensional vectors"));
        }

        // Parse everything before touching the map, so a malformed file adds nothing.
        let mut rest = &body[header_end + 1..];
        let mut take = |n: usize| -> Result<&[u8], CacheError> {
            if rest.len() < n {
                return Err(corrupt("entries run past the end of the file"));
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Ok(head)
        };
        let mut entries = Vec::with_capacity(header.entries.min(1 << 16));
        for _ in 0..header.entries {
            let len = take(4)?;
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            let text = std::str::from_utf8(take(len)?).map_err(|_| corrupt("text is not UTF-8"))?;
            let vector: Arc<[f32]> = take(header.dimension * 4)?
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            entries.push((text.to_owned(), vector));
        }
        if !rest.is_empty() {
            return Err(corrupt("more data than the header announces"));
        }

        let count = entries.len();
        let mut state = self.lock();
        state.dimension = Some(header.dimension).filter(|&d| d > 0).or(state.dimension);
        for (text, vector) in entries {
            if state.vectors.len() >= self.capacity {
                break;
            }
            state.vectors.insert(text, vector);
        }
        Ok(CacheLoad::Loaded { entries: count })
    }

    /// Writes every remembered vector to `path`, replacing it atomically (a temporary file in
    /// the same folder is renamed over it), so a crash never leaves half a cache behind.
    pub fn save(&self, path: &Path) -> Result<(), CacheError> {
        let io = |source| CacheError::Io { path: path.to_path_buf(), source };
        let (mut entries, dimension) = {
            let state = self.lock();
            let entries: Vec<(String, Arc<[f32]>)> =
                state.vectors.iter().map(|(t, v)| (t.clone(), Arc::clone(v))).collect();
            (entries, state.dimension.unwrap_or(0))
        };
        entries.sort_by(|a, b| a.0.cmp(&b.0));

        let header = Header {
            model: self.inner.name().to_owned(),
            dimension,
            fingerprint: self.fingerprint.clone(),
            entries: entries.len(),
        };
        let mut bytes = Vec::with_capacity(MAGIC.len() + 256 + entries.len() * (dimension * 4 + 64));
        bytes.extend_from_slice(MAGIC.as_bytes());
        serde_json::to_writer(&mut bytes, &header).map_err(|e| io(e.into()))?;
        bytes.push(b'\n');
        for (text, vector) in &entries {
            let len = u32::try_from(text.len()).map_err(|_| io(std::io::ErrorKind::InvalidInput.into()))?;
            bytes.extend_from_slice(&len.to_le_bytes());
            bytes.extend_from_slice(text.as_bytes());
            for x in vector.iter() {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);

        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut tmp = tempfile::Builder::new().prefix(".embed-cache-").tempfile_in(dir).map_err(io)?;
        tmp.write_all(&bytes).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the map half-updated in a way that matters
        // (each insert is whole), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<E: Embedder> Embedder for CachedEmbedder<E> {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let (distinct, slots) = dedup(texts);
        let mut found: Vec<Option<Arc<[f32]>>> = {
            let state = self.lock();
            distinct.iter().map(|t| state.vectors.get(*t).cloned()).collect()
        };
        let missing: Vec<&str> =
            distinct.iter().zip(&found).filter(|(_, v)| v.is_none()).map(|(t, _)| *t).collect();
        if !missing.is_empty() {
            let vectors = self.inner.embed(&missing)?;
            if vectors.len() != missing.len() {
                return Err(EmbedError::new(format!(
                    "{} returned {} vectors for {} texts",
                    self.inner.name(),
                    vectors.len(),
                    missing.len()
                )));
            }
            let mut fresh = vectors.into_iter().map(Arc::<[f32]>::from);
            let mut state = self.lock();
            for (text, slot) in distinct.iter().zip(found.iter_mut()) {
                if slot.is_some() {
                    continue;
                }
                let Some(vector) = fresh.next() else { break };
                match state.dimension {
                    Some(d) if d != vector.len() => {
                        return Err(EmbedError::new(format!(
                            "{} returned a {}-dimensional vector, but the cache holds {d}-dimensional ones",
                            self.inner.name(),
                            vector.len()
                        )));
                    }
                    Some(_) => {}
                    None => state.dimension = Some(vector.len()),
                }
                if state.vectors.len() < self.capacity {
                    state.vectors.insert((*text).to_owned(), Arc::clone(&vector));
                }
                *slot = Some(vector);
            }
        }
        Ok(slots.into_iter().map(|i| found[i].as_deref().map(<[f32]>::to_vec).unwrap_or_default()).collect())
    }

    fn name(&self) -> &str {
        self.inner.name()
    }
}
