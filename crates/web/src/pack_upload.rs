//! Turning an uploaded `.zip` of a pack folder into validated content, and installing it.
//!
//! The archive is read in memory with limits (entries, total size), so a zip bomb or a huge
//! upload fails with a message instead of filling memory or disk. Paths must be relative and stay
//! inside the pack; one top-level folder (how `zip -r pack.zip my-pack/` packs it) is stripped.
//! Only the files the loader reads are kept (`pack.toml`, `*.md`, `*.toml`, `*.tf`). The pack is
//! installed only when the pack, its exercises and its scenarios validate without a single
//! diagnostic, exactly as `mockloop pack check` would demand.

use std::io::Read as _;
use std::sync::Arc;

use mockloop_content::{installed, Diagnostic, PackSource, SourceFile};

use crate::AppState;

/// Most files an archive may hold.
pub const MAX_ENTRIES: usize = 5_000;
/// Most bytes the archive may unpack to.
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// Why an upload was not installed.
#[derive(Debug)]
pub enum UploadError {
    /// Not a usable archive (message says why).
    Archive(String),
    /// The pack has problems; every one is listed.
    Invalid(Vec<Diagnostic>),
    /// Writing the pack failed.
    Install(String),
}

/// What was installed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Installed {
    /// The pack's role id (its folder name).
    pub id: String,
    /// The role's name.
    pub role: String,
    /// Questions in the pack.
    pub questions: usize,
    /// Terraform exercises.
    pub exercises: usize,
    /// Troubleshooting scenarios.
    pub scenarios: usize,
}

/// Reads a zip archive's pack files.
pub fn unzip(bytes: &[u8]) -> Result<PackSource, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a zip archive ({e}); upload a .zip of the pack folder"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("the archive has {} entries; at most {MAX_ENTRIES} are accepted", archive.len()));
    }
    let mut files = Vec::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry =
            archive.by_index(i).map_err(|e| format!("entry {i} of the archive is unreadable: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("entry {i}"));
        let Some(path) = entry.enclosed_name() else {
            return Err(format!("`{name}` points outside the pack folder"));
        };
        let rel = path.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(|part| part.starts_with('.')) || rel.starts_with("__MACOSX/") {
            continue;
        }
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED {
            return Err(format!("the archive unpacks to more than {} MiB", MAX_UNPACKED / (1024 * 1024)));
        }
        let mut text = String::new();
        entry
            .by_ref()
            .take(MAX_UNPACKED)
            .read_to_string(&mut text)
            .map_err(|e| format!("`{rel}` is not UTF-8 text or is damaged: {e}"))?;
        files.push(SourceFile { path: rel, text });
    }
    strip_common_folder(&mut files);
    files.retain(|f| installed::is_pack_file(&f.path));
    if !files.iter().any(|f| f.path == "pack.toml") {
        return Err("the archive has no pack.toml at its top (or inside one top-level folder)".into());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(PackSource { root: "upload".into(), files })
}

/// `my-pack/pack.toml`, `my-pack/questions/…` → `pack.toml`, `questions/…`.
fn strip_common_folder(files: &mut [SourceFile]) {
    if files.iter().any(|f| f.path == "pack.toml") {
        return;
    }
    let Some(first) = files.first().and_then(|f| f.path.split_once('/')).map(|(d, _)| format!("{d}/")) else {
        return;
    };
    if files.iter().all(|f| f.path.starts_with(&first)) {
        for f in files.iter_mut() {
            f.path = f.path[first.len()..].to_owned();
        }
    }
}

/// Validates and installs an uploaded archive, then serves it to every later request.
pub fn install(state: &AppState, bytes: &[u8]) -> Result<Installed, UploadError> {
    let packs_dir = state.config.packs_dir.clone().ok_or_else(|| {
        UploadError::Install("this server was started without a data directory for packs".into())
    })?;
    let src = unzip(bytes).map_err(UploadError::Archive)?;
    let (pack, mut diagnostics) = mockloop_content::parse_pack(&src);
    let (exercises, d) = mockloop_exercise::load_exercises(&src);
    diagnostics.extend(d);
    let (scenarios, d) = mockloop_scenario::load_scenarios(&src);
    diagnostics.extend(d);
    let pack = match pack {
        Some(p) if diagnostics.is_empty() => p,
        _ => {
            diagnostics.sort();
            return Err(UploadError::Invalid(diagnostics));
        }
    };
    let id = pack.role.id.clone();
    installed::install(&packs_dir, &id, &src)
        .map_err(|e| UploadError::Install(format!("writing the pack: {e}")))?;
    let done = Installed {
        id,
        role: pack.role.name.clone(),
        questions: pack.questions.len(),
        exercises: exercises.len(),
        scenarios: scenarios.len(),
    };
    let mut next = state.clone();
    next.pack = Arc::new(pack);
    next.exercises = Arc::new(exercises);
    next.scenarios = Arc::new(scenarios);
    next.publish();
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            for (name, text) in files {
                w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
                w.write_all(text.as_bytes()).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn one_top_folder_is_stripped_and_other_files_are_ignored() {
        let src = unzip(&zip_of(&[
            ("my-pack/pack.toml", "x"),
            ("my-pack/questions/a.md", "A"),
            ("my-pack/logo.png", "p"),
            ("my-pack/.git/config", ""),
        ]))
        .unwrap();
        let paths: Vec<_> = src.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["pack.toml", "questions/a.md"]);
    }

    #[test]
    fn archives_without_a_pack_or_with_escaping_paths_are_refused() {
        assert!(unzip(b"not a zip").unwrap_err().contains("not a zip"));
        assert!(unzip(&zip_of(&[("readme.md", "x")])).unwrap_err().contains("no pack.toml"));
        assert!(unzip(&zip_of(&[("pack.toml", "x"), ("../evil.md", "x")])).unwrap_err().contains("outside"));
    }
}
