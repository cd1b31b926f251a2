//! Where the pack comes from: `--pack DIR`, `MOCKLOOP_PACK`, or the one built into the binary.

use std::path::Path;

use anyhow::{Context, Result};
use mockloop_content::{PackSource, SourceFile};
use mockloop_domain::Pack;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));
}

/// The built-in Infrastructure Engineer pack as a source.
pub fn builtin_source() -> PackSource {
    PackSource {
        root: "<built-in>".to_owned(),
        files: embedded::FILES
            .iter()
            .map(|(p, t)| SourceFile { path: (*p).to_owned(), text: (*t).to_owned() })
            .collect(),
    }
}

/// The pack installed into the data directory through the web app's admin page, if any.
pub fn installed(data_dir: &Path) -> Option<std::path::PathBuf> {
    mockloop_content::installed::active(&packs_dir(data_dir))
}

/// Where installed packs live.
pub fn packs_dir(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("packs")
}

/// Reads a pack source from a directory, or the built-in one.
pub fn source(dir: Option<&Path>) -> Result<PackSource> {
    match dir {
        Some(d) => mockloop_content::read_dir(d).with_context(|| format!("reading pack {}", d.display())),
        None => Ok(builtin_source()),
    }
}

/// Loads and validates a pack.
pub fn load(dir: Option<&Path>) -> Result<Pack> {
    let src = source(dir)?;
    Ok(mockloop_content::load(&src)?)
}

/// A short hash of a pack's files, so caches keyed on it are invalidated when the pack changes.
pub fn fingerprint(src: &PackSource) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for f in &src.files {
        h.update(f.path.as_bytes());
        h.update([0]);
        h.update(f.text.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}
