//! The semantic model: lexical fallback when it is absent, semantic grading when it is present.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

const LINE: &str = r#"{"question":"Why lower a DNS TTL before a migration?","reference":"Resolvers cache answers for the TTL, so lowering it a day ahead lets clients move quickly and keeps rollback fast.","answer":"Caches keep the old address until the TTL runs out, so I shorten it a day early; then the switch and any rollback take effect within a minute."}"#;

/// Runs the binary without `--lexical`, with the given extra environment.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> (i32, String, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockloop"));
    cmd.args(args)
        .current_dir(home.path())
        .env("MOCKLOOP_HOME", home.path())
        .env_remove("MOCKLOOP_MODEL_DIR")
        .env_remove("MOCKLOOP_OFFLINE")
        .env_remove("MOCKLOOP_PACK");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn without_a_model_grading_says_so_once_and_uses_the_lexical_path() {
    let (code, stdout, stderr) = run(&["grade", "--jsonl"], &[("MOCKLOOP_OFFLINE", "1")], LINE);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("notice: semantic model not installed"), "{stderr}");
    assert!(stderr.contains("grading path: lexical"), "{stderr}");
    let v: Value = serde_json::from_str(stdout.trim()).expect("json");
    assert_eq!(v["feedback"]["method"]["path"], "lexical");
}

#[test]
fn model_status_explains_how_to_enable_semantic_grading() {
    let (code, stdout, _) = run(&["model", "status"], &[], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("not installed"), "{stdout}");
    assert!(stdout.contains("mockloop model install"), "{stdout}");
}

#[test]
fn with_the_real_model_grading_reports_the_semantic_path() {
    let Ok(dir) = std::env::var("MOCKLOOP_TEST_MODEL_DIR") else {
        eprintln!(
            "with_the_real_model_grading_reports_the_semantic_path: skipped: MOCKLOOP_TEST_MODEL_DIR not set"
        );
        return;
    };
    let (code, stdout, stderr) = run(&["--model-dir", &dir, "grade", "--jsonl"], &[], LINE);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("grading path: semantic"), "{stderr}");
    let v: Value = serde_json::from_str(stdout.trim()).expect("json");
    assert_eq!(v["feedback"]["method"]["path"], "semantic");
    let sims: Vec<f64> = v["feedback"]["key_points"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["similarity"].as_f64())
        .collect();
    assert!(!sims.is_empty() && sims.iter().all(|s| (-1.0..=1.0).contains(s)));
}
