//! `mockloop exercise`: list, show (writes starters, refuses to overwrite), check (pass/fail with
//! file:line, exit code, JSON), solution; and `pack check` counting exercises.

use std::path::Path;

use serde_json::Value;

use crate::{copy_dir, run, shipped_pack};

/// A fixture of the exercise crate: a realistic wrong solution.
fn wrong_fixture(id: &str, name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercise/tests/fixtures").join(id).join(name)
}

#[test]
fn exercise_list_shows_every_exercise_easiest_first() {
    let Value::Array(items) = run(&["exercise", "list", "--json"]).json() else {
        panic!("expected an array")
    };
    assert!(items.len() >= 12, "{items:?}");
    let order: Vec<&str> = items.iter().map(|e| e["difficulty"].as_str().expect("difficulty")).collect();
    assert_eq!(order.first(), Some(&"easy"));
    assert_eq!(order.last(), Some(&"hard"));
    let text = run(&["exercise", "list"]).ok().to_owned();
    assert!(text.contains("tf-security-group-chaining"), "{text}");
}

#[test]
fn exercise_show_prints_the_task_and_writes_the_starter_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("work");
    let shown = dir.display().to_string();
    let out = run(&["exercise", "show", "tf-security-group-chaining", "--dir", &shown, "--hints"]);
    let text = out.ok();
    assert!(text.contains("Chain security groups"), "{text}");
    assert!(text.contains("Hints"), "{text}");
    assert!(text.contains(&format!("wrote {shown}/main.tf")), "{text}");
    let starter = std::fs::read_to_string(dir.join("main.tf")).expect("starter written");
    assert!(starter.contains("variable \"vpc_id\""), "{starter}");

    // A second run keeps the candidate's work unless --force is given.
    std::fs::write(dir.join("main.tf"), "# my work\n").expect("write");
    let again = run(&["exercise", "show", "tf-security-group-chaining", "--dir", &shown]);
    assert_ne!(again.code, Some(0));
    assert!(again.stderr.contains("already exist"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("main.tf")).expect("read"), "# my work\n");
    run(&["exercise", "show", "tf-security-group-chaining", "--dir", &shown, "--force"]).ok();
    assert!(std::fs::read_to_string(dir.join("main.tf")).expect("read").contains("vpc_id"));
}

#[test]
fn exercise_check_passes_the_reference_solution_with_exit_code_zero() {
    let dir = shipped_pack().join("exercises/tf-three-tier-vpc/solution");
    let out = run(&["exercise", "check", "tf-three-tier-vpc", dir.to_str().expect("utf-8")]);
    let text = out.ok();
    assert!(text.contains("pass db-isolated"), "{text}");
    assert!(text.contains("all checks pass"), "{text}");
    assert!(text.contains("score 5.0/5"), "{text}");
}

#[test]
fn exercise_check_fails_a_wrong_solution_with_file_line_and_hint() {
    let dir = wrong_fixture("tf-three-tier-vpc", "db-on-public-route-table");
    let shown = dir.display().to_string();
    let out = run(&["exercise", "check", "tf-three-tier-vpc", &shown]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let text = &out.stdout;
    assert!(
        text.contains("FAIL db-isolated: A database subnet must not route to the internet gateway."),
        "{text}"
    );
    // The public route table's internet route is on line 57 of main.tf.
    assert!(text.contains(&format!("at {shown}/main.tf:57")), "{text}");
    assert!(text.contains("hint Associate db subnets with their own route table"), "{text}");
    assert!(text.contains("not yet: 7 of 8 checks"), "{text}");
}

#[test]
fn exercise_check_json_reports_each_check_with_its_location() {
    let dir = wrong_fixture("tf-security-group-chaining", "db-open-to-vpc-cidr");
    let out =
        run(&["exercise", "check", "tf-security-group-chaining", dir.to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.code, Some(1));
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    let failed: Vec<&str> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["passed"] == false)
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(failed, ["db-from-app", "db-no-cidr"]);
    let cidr = &report["results"].as_array().expect("results")[3];
    assert_eq!(cidr["location"]["file"], "main.tf");
    assert!(cidr["location"]["line"].as_u64().expect("line") > 1);
    assert!(report["score"].as_f64().expect("score") < 5.0);
}

#[test]
fn exercise_check_on_broken_hcl_prints_the_parse_error_with_a_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("main.tf"), "terraform {\n  backend \"s3\" {\n    bucket = \n}\n")
        .expect("write");
    let shown = tmp.path().display().to_string();
    let out = run(&["exercise", "check", "tf-remote-state-backend", &shown]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.contains(&format!("{shown}/main.tf:")), "{}", out.stdout);
    assert!(out.stdout.contains("cannot parse HCL"), "{}", out.stdout);
    assert!(out.stdout.contains("score 0/5"), "{}", out.stdout);
}

#[test]
fn exercise_solution_prints_the_reference_files() {
    let text = run(&["exercise", "solution", "tf-remote-state-backend"]).ok().to_owned();
    assert!(text.contains("# backend.tf"), "{text}");
    assert!(text.contains("use_lockfile = true"), "{text}");
}

#[test]
fn an_unknown_exercise_id_suggests_similar_ones() {
    let out = run(&["exercise", "show", "remote-state"]);
    assert_ne!(out.code, Some(0));
    assert!(out.stderr.contains("did you mean tf-remote-state-backend"), "{}", out.stderr);
}

#[test]
fn pack_check_reports_a_broken_exercise_as_path_line_message() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pack");
    copy_dir(&shipped_pack(), &dir);
    let path = dir.join("exercises/tf-rds-multi-az.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("kind = \"no_hardcoded_secrets\"", "kind = \"no_secrets\"", 1))
        .expect("write");
    let shown = dir.display().to_string();
    let out = run(&["pack", "check", &shown]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{shown}/exercises/tf-rds-multi-az.md:"))
            && out.stderr.contains("unknown kind `no_secrets`"),
        "{}",
        out.stderr
    );
}
