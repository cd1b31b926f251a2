//! `load_exercises` reports every problem as `path:line: message`, one kind of mistake per test,
//! and loads a correct exercise with all its parts.

use mockloop_exercise::{load_exercises, PackSource, SourceFile};

const PACK: &str = r#"
[[topics]]
id = "iac-terraform"

[[rounds]]
id = "coding-iac"
"#;

const GOOD_FRONT: &str = r#"id = "bucket"
title = "A bucket"
difficulty = "easy"
topics = ["iac-terraform"]
rounds = ["coding-iac"]
time_minutes = 5
hints = ["Declare it."]

[[checks]]
id = "exists"
kind = "exists"
select = "aws_s3_bucket"
message = "No bucket."
hint = "Add one."
"#;

const SOLUTION: &str = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n";

fn source(files: &[(&str, &str)]) -> PackSource {
    let mut all = vec![SourceFile { path: "pack.toml".to_owned(), text: PACK.to_owned() }];
    all.extend(files.iter().map(|(p, t)| SourceFile { path: (*p).to_owned(), text: (*t).to_owned() }));
    PackSource { root: "pack".to_owned(), files: all }
}

fn exercise(front: &str) -> String {
    format!("+++\n{front}+++\nCreate a bucket.\n\n## Reference solution\n\nJust a bucket.\n")
}

/// Diagnostics for one exercise file `exercises/bucket.md` with a passing solution.
fn diags(front: &str) -> Vec<String> {
    diags_with(&[("exercises/bucket.md", &exercise(front)), ("exercises/bucket/solution/main.tf", SOLUTION)])
}

fn diags_with(files: &[(&str, &str)]) -> Vec<String> {
    load_exercises(&source(files)).1.iter().map(ToString::to_string).collect()
}

#[track_caller]
fn assert_one(diags: &[String], expected: &str) {
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0], expected);
}

#[test]
fn a_correct_exercise_loads_with_statement_notes_starter_and_solution() {
    let (exercises, diags) = load_exercises(&source(&[
        ("exercises/bucket.md", &exercise(GOOD_FRONT)),
        ("exercises/bucket/starter/main.tf", "# write it here\n"),
        ("exercises/bucket/solution/main.tf", SOLUTION),
    ]));
    assert!(diags.is_empty(), "{diags:#?}");
    let e = &exercises[0];
    assert_eq!((e.id.as_str(), e.time_minutes, e.checks.len()), ("bucket", 5, 1));
    assert_eq!(e.statement, "Create a bucket.");
    assert_eq!(e.solution_notes, "Just a bucket.");
    assert_eq!(e.starter[0].path, "main.tf");
    assert_eq!(e.solution[0].text, SOLUTION);
    assert_eq!(e.checks[0].kind(), "exists");
}

#[test]
fn a_pack_without_exercises_has_no_diagnostics() {
    assert!(diags_with(&[]).is_empty());
}

#[test]
fn missing_front_matter_is_reported_on_line_one() {
    assert_one(
        &diags_with(&[("exercises/bucket.md", "Just text\n")]),
        "pack/exercises/bucket.md:1: missing front matter: an exercise starts with TOML between `+++` lines",
    );
}

#[test]
fn malformed_toml_is_reported_at_its_line() {
    let d = diags(&GOOD_FRONT.replace("time_minutes = 5", "time_minutes = = 5"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].starts_with("pack/exercises/bucket.md:7: "), "{d:#?}");
}

#[test]
fn an_unknown_field_is_named() {
    let d = diags(&GOOD_FRONT.replace("hints =", "level = \"mid\"\nhints ="));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].contains("unknown field `level`"), "{d:#?}");
}

#[test]
fn a_missing_field_is_named() {
    let d = diags(&GOOD_FRONT.replace("time_minutes = 5\n", ""));
    assert!(d[0].contains("missing field `time_minutes`"), "{d:#?}");
}

#[test]
fn an_id_that_differs_from_the_file_name_is_reported() {
    assert_one(
        &diags(&GOOD_FRONT.replace("id = \"bucket\"", "id = \"bucket-2\"")),
        "pack/exercises/bucket.md:2: exercise id `bucket-2` does not match its file name `bucket.md`",
    );
}

#[test]
fn an_unknown_difficulty_is_reported() {
    assert_one(
        &diags(&GOOD_FRONT.replace("\"easy\"", "\"trivial\"")),
        "pack/exercises/bucket.md:4: unknown difficulty `trivial` (expected easy, medium or hard)",
    );
}

#[test]
fn unknown_topic_and_round_ids_are_reported() {
    let d = diags(
        &GOOD_FRONT
            .replace("[\"iac-terraform\"]", "[\"terraform\"]")
            .replace("[\"coding-iac\"]", "[\"iac\"]"),
    );
    assert_eq!(
        d,
        [
            "pack/exercises/bucket.md:5: unknown topic `terraform` (not in pack.toml)",
            "pack/exercises/bucket.md:6: unknown round `iac` (not in pack.toml)",
        ]
    );
}

#[test]
fn an_unknown_check_kind_lists_the_known_ones() {
    let d = diags(&GOOD_FRONT.replace("kind = \"exists\"", "kind = \"resource_present\""));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].starts_with("pack/exercises/bucket.md:10: check `exists` has unknown kind `resource_present` (expected one of exists, attribute,"),
        "{d:#?}"
    );
}

#[test]
fn a_check_without_message_or_hint_is_reported() {
    let d = diags(&GOOD_FRONT.replace("hint = \"Add one.\"\n", ""));
    assert_one(&d, "pack/exercises/bucket.md:10: check is missing `hint` (check `exists`)");
}

#[test]
fn an_unknown_check_parameter_is_reported() {
    let d = diags(&GOOD_FRONT.replace("select = \"aws_s3_bucket\"", "select = \"aws_s3_bucket\"\ncount = 2"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].contains("check `exists`: unknown field `count`"), "{d:#?}");
}

#[test]
fn a_bad_regex_is_reported_with_the_pattern() {
    let front = GOOD_FRONT.replace(
        "kind = \"exists\"\nselect = \"aws_s3_bucket\"",
        "kind = \"attribute\"\nselect = \"aws_s3_bucket\"\npath = \"bucket\"\nmatches = \"([a-z\"",
    );
    let d = diags(&front);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].contains("check `exists`: bad regex `([a-z`"), "{d:#?}");
}

#[test]
fn an_attribute_check_needs_exactly_one_predicate() {
    let front = GOOD_FRONT.replace(
        "kind = \"exists\"\nselect = \"aws_s3_bucket\"",
        "kind = \"attribute\"\nselect = \"aws_s3_bucket\"\npath = \"bucket\"\npresent = true\nequals = \"x\"",
    );
    let d = diags(&front);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].contains("needs exactly one of present, absent, equals"), "{d:#?}");
}

#[test]
fn a_malformed_selector_is_reported() {
    let d = diags(&GOOD_FRONT.replace("select = \"aws_s3_bucket\"", "select = \"bucket\""));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].contains("malformed selector `bucket`"), "{d:#?}");
}

#[test]
fn duplicate_check_ids_are_reported_at_the_second() {
    let second = "\n[[checks]]\nid = \"exists\"\nkind = \"exists\"\nselect = \"aws_s3_bucket\"\nmessage = \"m\"\nhint = \"h\"\n";
    let d = diags(&format!("{GOOD_FRONT}{second}"));
    assert_one(&d, "pack/exercises/bucket.md:17: duplicate check id `exists`");
}

#[test]
fn an_exercise_without_a_solution_is_reported() {
    assert_one(
        &diags_with(&[("exercises/bucket.md", &exercise(GOOD_FRONT))]),
        "pack/exercises/bucket.md:1: no reference solution: add exercises/bucket/solution/*.tf",
    );
}

#[test]
fn a_solution_that_fails_its_own_check_is_reported_at_the_solution() {
    let d = diags_with(&[
        ("exercises/bucket.md", &exercise(GOOD_FRONT)),
        ("exercises/bucket/solution/main.tf", "resource \"aws_sqs_queue\" \"q\" {\n}\n"),
    ]);
    assert_one(
        &d,
        "pack/exercises/bucket.md:1: reference solution fails check `exists`: found none of aws_s3_bucket (need at least 1)",
    );
}

#[test]
fn a_solution_that_does_not_parse_is_reported_at_its_line() {
    let d = diags_with(&[
        ("exercises/bucket.md", &exercise(GOOD_FRONT)),
        ("exercises/bucket/solution/main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n"),
    ]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].starts_with("pack/exercises/bucket/solution/main.tf:"), "{d:#?}");
    assert!(d[0].contains("reference solution: cannot parse HCL"), "{d:#?}");
}

#[test]
fn a_starter_that_does_not_parse_is_reported() {
    let d = diags_with(&[
        ("exercises/bucket.md", &exercise(GOOD_FRONT)),
        ("exercises/bucket/starter/main.tf", "resource {\n"),
        ("exercises/bucket/solution/main.tf", SOLUTION),
    ]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].starts_with("pack/exercises/bucket/starter/main.tf:1: starter:"), "{d:#?}");
}

#[test]
fn a_folder_without_an_exercise_file_is_reported() {
    let d = diags_with(&[("exercises/old-name/solution/main.tf", SOLUTION)]);
    assert_one(
        &d,
        "pack/exercises/old-name/solution/main.tf:1: exercises/old-name/ has no exercises/old-name.md",
    );
}

#[test]
fn an_empty_statement_is_reported() {
    let d = diags_with(&[
        ("exercises/bucket.md", &format!("+++\n{GOOD_FRONT}+++\n\n")),
        ("exercises/bucket/solution/main.tf", SOLUTION),
    ]);
    assert_one(
        &d,
        "pack/exercises/bucket.md:1: empty task statement: write the task after the closing `+++`",
    );
}
