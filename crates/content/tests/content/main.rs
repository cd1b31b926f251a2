//! Integration tests for pack validation: one binary, with modules (STYLE.md §6).
//!
//! `diagnostics` breaks a minimal valid fixture one way at a time and checks the exact
//! `path:line: message` a pack author sees; `shipped_pack` holds the built-in pack to the counts the
//! product promises.

mod diagnostics;
mod shipped_pack;

use std::path::{Path, PathBuf};

use mockloop_content::{parse_pack, read_dir, PackSource, SourceFile};

/// The folder holding test packs.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A pack held in memory, to break one file at a time.
pub struct Fixture(pub PackSource);

impl Fixture {
    /// The minimal valid pack in `tests/fixtures/valid`, with messages rooted at `fixture`.
    pub fn valid() -> Self {
        let mut src = read_dir(&fixtures().join("valid")).expect("the valid fixture is readable");
        src.root = "fixture".to_owned();
        Fixture(src)
    }

    /// Replaces the first `from` in `path` by `to`; panics if either is missing, so a fixture edit
    /// cannot silently turn a test into a no-op.
    pub fn replace(mut self, path: &str, from: &str, to: &str) -> Self {
        let file = self.file_mut(path);
        assert!(file.text.contains(from), "{path} does not contain {from:?}");
        file.text = file.text.replacen(from, to, 1);
        self
    }

    /// Removes the line of `path` containing `needle`.
    pub fn remove_line(self, path: &str, needle: &str) -> Self {
        let text = &self.0.files.iter().find(|f| f.path == path).expect("file exists").text;
        let line = text
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{path} has no line with {needle:?}"));
        let line = format!("{line}\n");
        self.replace(path, &line, "")
    }

    /// Deletes a file.
    pub fn remove(mut self, path: &str) -> Self {
        let before = self.0.files.len();
        self.0.files.retain(|f| f.path != path);
        assert_eq!(self.0.files.len(), before - 1, "{path} is not in the fixture");
        self
    }

    /// Adds a file, keeping the sorted order `read_dir` produces.
    pub fn add(mut self, path: &str, text: &str) -> Self {
        self.0.files.push(SourceFile { path: path.to_owned(), text: text.to_owned() });
        self.0.files.sort_by(|a, b| a.path.cmp(&b.path));
        self
    }

    /// The text of a file.
    pub fn text(&self, path: &str) -> String {
        self.0.files.iter().find(|f| f.path == path).expect("file exists").text.clone()
    }

    fn file_mut(&mut self, path: &str) -> &mut SourceFile {
        self.0
            .files
            .iter_mut()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the fixture"))
    }

    /// Every diagnostic as the user sees it; asserts that no pack comes back alongside them.
    pub fn diagnostics(&self) -> Vec<String> {
        let (pack, diags) = parse_pack(&self.0);
        assert_eq!(
            pack.is_some(),
            diags.is_empty(),
            "a pack is returned exactly when there are no diagnostics"
        );
        diags.iter().map(ToString::to_string).collect()
    }
}
