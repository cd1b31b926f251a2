//! The mockloop pack format: text in, validated [`Pack`] plus diagnostics out.
//!
//! A pack is a folder: `pack.toml` (role, levels, rounds, topics, compensation, prep-plan
//! template), `questions/*.md` (TOML front matter between `+++` lines, then the model answer in
//! Markdown), `mistakes.md` and `faq.md`. See `docs/pack-format.md`.
//!
//! Parsing works on an in-memory [`PackSource`] so the same code validates a folder on disk and the
//! pack embedded in the binary; paths are only used in messages. Like rust-analyzer's parser,
//! loading never stops at the first problem: [`parse_pack`] returns every [`Diagnostic`] it finds,
//! each as `path:line: message`, and a pack only when there are none.

mod front_matter;
pub mod installed;
mod raw;
mod validate;

use std::fmt;
use std::path::Path;

pub use front_matter::split_front_matter;
use mockloop_domain::Pack;

/// One file of a pack: its path relative to the pack root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the pack root, with `/` separators (`questions/dns-ttl.md`).
    pub path: String,
    /// File contents.
    pub text: String,
}

/// All files of a pack, from disk or embedded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackSource {
    /// How to name the pack root in messages (a directory path, or `<built-in>`).
    pub root: String,
    /// Files, in any order.
    pub files: Vec<SourceFile>,
}

/// A problem in a pack, located at a file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// File path as shown to the user (root joined with the relative path).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong, and where possible what to do.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Reading a pack from disk failed before validation could start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The directory or a file in it could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The pack has problems; every one is listed.
    #[error("the pack at {root} has {} problem(s):\n{}", diagnostics.len(), diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// Pack root.
        root: String,
        /// All problems.
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads every pack file (`pack.toml`, `*.md` under the root and `questions/`) into memory.
pub fn read_dir(root: &Path) -> Result<PackSource, LoadError> {
    let io = |path: &Path, source| LoadError::Io { path: path.display().to_string(), source };
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| io(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io(&dir, e))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if installed::is_pack_file(&rel) {
                let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
                files.push(SourceFile { path: rel, text });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(PackSource { root: root.display().to_string(), files })
}

/// Parses and validates a pack, returning it only when there are no diagnostics.
pub fn parse_pack(source: &PackSource) -> (Option<Pack>, Vec<Diagnostic>) {
    validate::parse(source)
}

/// Parses a pack or fails with every problem listed.
pub fn load(source: &PackSource) -> Result<Pack, LoadError> {
    match parse_pack(source) {
        (Some(pack), d) if d.is_empty() => Ok(pack),
        (_, diagnostics) => Err(LoadError::Invalid { root: source.root.clone(), diagnostics }),
    }
}
