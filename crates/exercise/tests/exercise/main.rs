//! Behaviour of the exercise crate as a user relies on it: shipped exercises and their wrong
//! fixtures, loader diagnostics, and malformed Terraform. One binary, a module per concern.

mod loader;
mod malformed;
mod shipped;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mockloop_exercise::{load_exercises, Exercise, PackSource};

/// The shipped pack's folder.
pub fn shipped_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer")
}

/// The shipped pack read from disk, with an empty root so diagnostics show pack-relative paths.
pub fn shipped_source() -> PackSource {
    let mut src = mockloop_content::read_dir(&shipped_pack()).expect("the shipped pack is readable");
    src.root = String::new();
    src
}

/// Every shipped exercise; fails the test with every diagnostic if any exercise is broken.
/// Loaded once per test binary: property tests call this for every case.
pub fn shipped_exercises() -> Vec<Exercise> {
    static LOADED: OnceLock<(Vec<Exercise>, Vec<String>)> = OnceLock::new();
    let (exercises, diags) = LOADED.get_or_init(|| {
        let (exercises, diags) = load_exercises(&shipped_source());
        (exercises, diags.iter().map(ToString::to_string).collect())
    });
    assert!(diags.is_empty(), "diagnostics:\n{}", diags.join("\n"));
    exercises.clone()
}
