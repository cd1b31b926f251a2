//! Integration tests that run the real `mockloop` binary, as a user would: one binary, with a module
//! per subcommand (STYLE.md §6).
//!
//! Every run passes `--lexical` and sets `MOCKLOOP_OFFLINE=1` and a fresh `MOCKLOOP_HOME`, so nothing
//! is downloaded and no user data is touched.

mod config;
mod exercise;
mod grade;
mod model;
mod pack;
mod practice;
mod progress;
mod pty;
mod questions;
mod role;
mod show;
mod troubleshoot;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts a zero exit and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, Some(0), "expected success; stderr:\n{}", self.stderr);
        &self.stdout
    }

    /// Parses stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(self.ok())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Runs `mockloop --lexical ARGS` with `stdin` as input, from a scratch working directory.
pub fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mockloop"))
        .arg("--lexical")
        .args(args)
        .current_dir(home.path())
        .env("MOCKLOOP_HOME", home.path())
        .env("MOCKLOOP_OFFLINE", "1")
        .env_remove("MOCKLOOP_PACK")
        .env_remove("MOCKLOOP_MODEL_DIR")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mockloop binary runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("mockloop finishes");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A user's data directory that lives across several runs (practice, then stats, then export…).
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self { dir: tempfile::tempdir().expect("temp dir") }
    }
}

impl Home {
    pub fn new() -> Self {
        Self::default()
    }

    /// The command, set up like [`run_with_stdin`] but keeping data in this home.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockloop"));
        cmd.arg("--lexical")
            .args(args)
            .current_dir(self.dir.path())
            .env("MOCKLOOP_HOME", self.dir.path())
            .env("MOCKLOOP_OFFLINE", "1")
            .env_remove("MOCKLOOP_PACK")
            .env_remove("MOCKLOOP_MODEL_DIR")
            .env_remove("MOCKLOOP_DATABASE_URL")
            .env_remove("MOCKLOOP_USER")
            .env_remove("NO_COLOR");
        cmd
    }

    /// Runs `mockloop --lexical ARGS` in this home with `stdin` as input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the mockloop binary runs");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
        let out = child.wait_with_output().expect("mockloop finishes");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs `mockloop --lexical ARGS` in this home with empty stdin.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    /// Writes a file in this home and returns its path as a string.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write file");
        path.display().to_string()
    }
}

/// Runs `mockloop --lexical ARGS` with empty stdin.
pub fn run(args: &[&str]) -> Output {
    run_with_stdin(args, "")
}

/// The built-in pack's questions, from `questions --json`.
pub fn all_questions() -> Vec<Value> {
    match run(&["questions", "--json"]).json() {
        Value::Array(v) => v,
        other => panic!("expected an array, got {other}"),
    }
}

/// Ids of the questions a `questions --json …` run returns, in order.
pub fn ids(args: &[&str]) -> Vec<String> {
    let mut full = vec!["questions", "--json"];
    full.extend_from_slice(args);
    let Value::Array(qs) = run(&full).json() else { panic!("expected an array") };
    qs.iter().map(|q| q["id"].as_str().expect("id").to_owned()).collect()
}

/// The minimal valid pack from the content crate's fixtures.
pub fn valid_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/tests/fixtures/valid")
}

/// The shipped pack's folder.
pub fn shipped_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer")
}

/// Copies a pack folder into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

#[test]
fn completions_for_bash_are_printed() {
    let text = run(&["completions", "bash"]).ok().to_owned();
    assert!(text.contains("mockloop") && text.contains("complete"), "{text}");
}
