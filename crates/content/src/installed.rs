//! Packs installed into a data directory (an administrator uploads them in the web app): each
//! lives in `<packs_dir>/<role id>/`, and the file `<packs_dir>/active` names the one that every
//! command uses when no `--pack` is given, so the terminal and the server agree on the content.
//!
//! Installing never leaves a half-written pack in use: files go to a fresh folder first, which
//! then replaces the old one by renames, and `active` is replaced by a rename too.

use std::io;
use std::path::{Path, PathBuf};

use crate::PackSource;

/// The file naming the active installed pack.
pub const ACTIVE_FILE: &str = "active";

/// Whether a pack file at relative path `rel` is one the loader reads.
pub fn is_pack_file(rel: &str) -> bool {
    rel == "pack.toml" || rel.ends_with(".md") || rel.ends_with(".toml") || rel.ends_with(".tf")
}

/// Whether `id` can name a folder: the role ids packs use (`infrastructure-engineer`).
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The folder of the active installed pack, if one is installed and still there.
pub fn active(packs_dir: &Path) -> Option<PathBuf> {
    let id = std::fs::read_to_string(packs_dir.join(ACTIVE_FILE)).ok()?;
    let id = id.trim();
    if !is_safe_id(id) {
        return None;
    }
    let dir = packs_dir.join(id);
    dir.join("pack.toml").is_file().then_some(dir)
}

/// Writes `src` as the installed pack `id` (replacing an earlier version) and makes it active.
/// Returns its folder. Relative paths in `src` must already be checked (no `..`, not absolute).
pub fn install(packs_dir: &Path, id: &str, src: &PackSource) -> io::Result<PathBuf> {
    if !is_safe_id(id) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("`{id}` cannot name a pack folder")));
    }
    std::fs::create_dir_all(packs_dir)?;
    let nonce = std::process::id();
    let incoming = packs_dir.join(format!(".incoming-{id}-{nonce}"));
    let _ = std::fs::remove_dir_all(&incoming);
    for f in &src.files {
        let rel = Path::new(&f.path);
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe path `{}` in the pack", f.path),
            ));
        }
        let path = incoming.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.text)?;
    }
    let target = packs_dir.join(id);
    let old = packs_dir.join(format!(".old-{id}-{nonce}"));
    if target.exists() {
        std::fs::rename(&target, &old)?;
    }
    if let Err(e) = std::fs::rename(&incoming, &target) {
        // Put the previous version back so nothing that worked stops working.
        let _ = std::fs::rename(&old, &target);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    let tmp = packs_dir.join(format!(".{ACTIVE_FILE}-{nonce}"));
    std::fs::write(&tmp, format!("{id}\n"))?;
    std::fs::rename(&tmp, packs_dir.join(ACTIVE_FILE))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn src(files: &[(&str, &str)]) -> PackSource {
        PackSource {
            root: "upload".into(),
            files: files.iter().map(|(p, t)| SourceFile { path: (*p).into(), text: (*t).into() }).collect(),
        }
    }

    #[test]
    fn an_installed_pack_becomes_active_and_replaces_its_earlier_version() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(active(dir.path()), None);
        install(dir.path(), "sre", &src(&[("pack.toml", "v1"), ("questions/a.md", "A")])).unwrap();
        let at = active(dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(at.join("questions/a.md")).unwrap(), "A");
        install(dir.path(), "sre", &src(&[("pack.toml", "v2")])).unwrap();
        let at = active(dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(at.join("pack.toml")).unwrap(), "v2");
        assert!(!at.join("questions/a.md").exists(), "files of the old version are gone");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "only the pack and `active` remain: {names:?}");
    }

    #[test]
    fn unsafe_ids_and_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(install(dir.path(), "../x", &src(&[("pack.toml", "")])).is_err());
        assert!(install(dir.path(), "ok", &src(&[("../evil.md", "")])).is_err());
        assert!(install(dir.path(), "ok", &src(&[("/etc/evil.md", "")])).is_err());
        std::fs::write(dir.path().join(ACTIVE_FILE), "../../etc").unwrap();
        assert_eq!(active(dir.path()), None);
    }
}
