//! `practice`, `loop`, `report` and `history`, driven by scripted answers as a user would type them.

use serde_json::Value;

use super::Home;

const STRONG: &str = "I would lower the TTL to 60 seconds at least one old TTL before the cutover, \
because resolvers cache for the old TTL. Then I switch the record, keep the old endpoint serving \
until traffic drains, watch resolver query rates and error rates in Grafana, and roll back by \
restoring the record. The trade-off is more DNS queries and cost while the TTL is low.";

fn attempts(home: &Home) -> Vec<Value> {
    match home.run(&["history", "--json", "--limit", "1000"]).json() {
        Value::Array(v) => v,
        other => panic!("expected an array, got {other}"),
    }
}

#[test]
fn practice_from_an_answers_file_grades_saves_and_explains_each_pick() {
    let home = Home::new();
    let file =
        home.write("answers.txt", &format!("{STRONG}\n---\n:skip\n---\nNot sure, I would check the logs.\n"));
    let out = home.run(&["practice", "--level", "senior", "--count", "3", "--answers", &file]);
    let text = out.ok();
    assert!(text.contains("Practice · Senior (L5) · 3 questions"), "{text}");
    assert_eq!(text.matches("Why this one:").count(), 3, "{text}");
    assert!(text.contains("Key points") && text.contains("Signals"), "feedback shown at once:\n{text}");
    assert_eq!(text.matches("✓ saved").count(), 3, "{text}");
    assert!(text.contains("Skipped."), "{text}");
    assert!(text.contains("ability"), "ability updates are shown:\n{text}");
    let saved = attempts(&home);
    let outcomes: Vec<_> = saved.iter().map(|a| a["outcome"].as_str().unwrap().to_owned()).collect();
    assert_eq!(outcomes, ["answered", "skipped", "answered"]);
    assert!(saved[0]["answer"].as_str().unwrap().starts_with("I would lower the TTL"));
    assert!(saved[0]["assessment"]["key_points"].is_array());
}

#[test]
fn a_follow_up_block_answers_the_probe_and_is_linked_to_its_question() {
    let home = Home::new();
    let file = home.write(
        "answers.txt",
        "We use Terraform.\n---\n:follow-up\nState lives in S3 with DynamoDB locking and encryption; plans run in CI on every pull request.\n",
    );
    let text = home
        .run(&["practice", "--topic", "iac-terraform", "--count", "1", "--answers", &file])
        .ok()
        .to_owned();
    assert!(text.contains("Interviewer follow-up:"), "{text}");
    assert!(text.contains("Follow-up score"), "{text}");
    let saved = attempts(&home);
    assert_eq!(saved.len(), 2, "question and probe saved");
    assert_eq!(saved[1]["follow_up_of"], saved[0]["id"]);
    assert_eq!(saved[1]["question"], saved[0]["question"]);
    assert_ne!(saved[1]["prompt"], saved[0]["prompt"], "the probe's own text is kept");
}

#[test]
fn without_a_follow_up_marker_the_next_block_goes_to_the_next_question() {
    let home = Home::new();
    let file = home.write("answers.txt", "We use Terraform.\n---\nAnother short answer about state.\n");
    home.run(&["practice", "--topic", "iac-terraform", "--count", "2", "--answers", &file]).ok();
    let saved = attempts(&home);
    assert_eq!(saved.len(), 2);
    assert!(saved.iter().all(|a| a["follow_up_of"].is_null()));
    assert_ne!(saved[0]["question"], saved[1]["question"], "no repeats within a session");
}

#[test]
fn piped_stdin_runs_the_same_session_without_prompts() {
    let home = Home::new();
    let out = home.run_with_stdin(&["practice", "--count", "1", "--no-follow-up"], &format!("{STRONG}\n"));
    let text = out.ok();
    assert!(!text.contains("› "), "no prompt characters when nobody is typing:\n{text}");
    assert!(text.contains("✓ saved"), "{text}");
    assert_eq!(attempts(&home).len(), 1);
}

#[test]
fn quitting_at_once_saves_nothing_and_says_so() {
    let home = Home::new();
    let text = home.run_with_stdin(&["practice", "--count", "2"], ":quit\n").ok().to_owned();
    assert!(text.contains("Stopping here.") && text.contains("No answers graded"), "{text}");
    assert!(attempts(&home).is_empty());
}

#[test]
fn the_level_changes_what_is_asked() {
    let difficulties = |level: &str| -> Vec<String> {
        let home = Home::new();
        let file = home.write("a.txt", ":skip\n---\n:skip\n---\n:skip\n---\n:skip\n");
        let text =
            home.run(&["practice", "--level", level, "--count", "4", "--answers", &file]).ok().to_owned();
        text.lines()
            .filter(|l| l.starts_with('['))
            .filter_map(|l| ["easy", "medium", "hard"].into_iter().find(|d| l.contains(&format!("  {d} ·"))))
            .map(str::to_owned)
            .collect()
    };
    let entry = difficulties("entry");
    let principal = difficulties("principal");
    assert_eq!(entry.len(), 4);
    assert!(entry.iter().all(|d| d != "hard"), "entry: {entry:?}");
    assert!(principal.iter().all(|d| d != "easy"), "principal: {principal:?}");
    assert!(principal.iter().filter(|d| *d == "hard").count() >= 2, "principal: {principal:?}");
}

#[test]
fn bad_flags_are_refused_with_the_valid_choices() {
    let home = Home::new();
    let out = home.run(&["practice", "--level", "guru"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("unknown level `guru`") && out.stderr.contains("senior"), "{}", out.stderr);
    let out = home.run(&["practice", "--topic", "basket-weaving"]);
    assert!(out.stderr.contains("unknown topic `basket-weaving`"), "{}", out.stderr);
    let out = home.run(&["loop", "--rounds", "karaoke"]);
    assert!(
        out.stderr.contains("unknown round `karaoke`") && out.stderr.contains("system-design"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_short_loop_runs_each_round_and_ends_with_a_saved_debrief() {
    let home = Home::new();
    let file = home.write("loop.txt", &format!("{STRONG}\n---\n{STRONG}\n---\n:skip\n"));
    let text = home
        .run(&[
            "loop",
            "--level",
            "senior",
            "--short",
            "--rounds",
            "recruiter-screen,system-design,behavioral",
            "--answers",
            &file,
        ])
        .ok()
        .to_owned();
    assert!(text.contains("Interview loop · Senior (L5) · 3 rounds"), "{text}");
    for round in ["Round 1/3 · Recruiter screen", "Round 2/3 · System design", "Round 3/3 · Behavioral"] {
        assert!(text.contains(round), "missing `{round}`:\n{text}");
    }
    assert!(text.contains("remaining"), "time budget shown:\n{text}");
    assert!(text.contains("Loop debrief"), "{text}");
    assert!(text.contains("Verdict:"), "{text}");
    for signal in ["coverage", "specificity", "reasoning", "clarity"] {
        assert!(text.contains(signal), "signal `{signal}` in the debrief:\n{text}");
    }

    let list = home.run(&["report", "--list"]).ok().to_owned();
    assert!(list.contains("senior"), "{list}");
    let md = home.run(&["report", "--markdown"]).ok().to_owned();
    assert!(md.starts_with("# Loop debrief"), "{md}");
    let json = home.run(&["report", "--json"]).json();
    assert_eq!(json["level"], "senior");
    assert!(["strong-hire", "hire", "lean-no-hire", "no-hire"].contains(&json["verdict"].as_str().unwrap()));
    let short = list.lines().nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    assert!(home.run(&["report", &short]).ok().contains("Loop debrief"));
}

#[test]
fn history_replays_an_attempt_and_compares_attempts_at_one_question() {
    let home = Home::new();
    let weak = home.write("weak.txt", "We use DNS.\n");
    let strong = home.write("strong.txt", &format!("{STRONG}\n"));
    for f in [&weak, &strong] {
        home.run(&["practice", "--topic", "dns", "--count", "1", "--no-follow-up", "--answers", f]).ok();
    }
    let saved = attempts(&home);
    let question = saved[0]["question"].as_str().unwrap().to_owned();
    let listing = home.run(&["history"]).ok().to_owned();
    assert!(listing.contains(&question), "{listing}");
    let id = saved[0]["id"].as_str().unwrap();
    let short = &id[id.len() - 8..];
    assert!(listing.contains(short), "the listing shows the short id:\n{listing}");
    let replay = home.run(&["history", "--show", short]).ok().to_owned();
    assert!(replay.contains("Your answer") && replay.contains("We use DNS."), "{replay}");
    assert!(replay.contains("Key points"), "{replay}");
    let missing = home.run(&["history", "--show", "ffffffffffff"]);
    assert!(missing.stderr.contains("no attempt"), "{}", missing.stderr);
    // Make both attempts answers to the same question (through export/import) to compare them.
    let mut doc = home.run(&["export"]).json();
    doc["attempts"][1]["question"] = Value::String(question.clone());
    let other = Home::new();
    let file = other.write("doc.json", &doc.to_string());
    other.run(&["import", &file]).ok();
    let compare = other.run(&["history", "--question", &question]).ok().to_owned();
    assert!(compare.contains("Key points across attempts"), "{compare}");
    assert!(compare.contains("Score ") && compare.contains("→"), "{compare}");
}

#[test]
fn the_coding_round_checks_the_terraform_the_candidate_wrote() {
    use std::io::{BufRead, BufReader, Write};
    let home = Home::new();
    let mut child = home
        .command(&["loop", "--short", "--rounds", "coding-iac", "--level", "senior"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let dir = loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "no exercise offered:\n{seen}");
        seen.push_str(&line);
        if let Some(rest) = line.split("Starter files are in ").nth(1) {
            break rest.split(". Edit").next().unwrap().to_owned();
        }
    };
    // The candidate "writes" the reference solution into the starter folder.
    let id = std::path::Path::new(&dir).file_name().unwrap().to_str().unwrap().to_owned();
    let solution = super::shipped_pack().join("exercises").join(&id).join("solution");
    for f in std::fs::read_dir(&solution).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), home.dir.path().join(&dir).join(f.file_name())).unwrap();
    }
    writeln!(stdin, ":check\n.").unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(rest.contains("all checks pass"), "{rest}");
    assert!(rest.contains("Hands-on") && rest.contains("5.0/5"), "{rest}");
    let saved = home.run(&["history", "--json"]).json();
    assert_eq!(saved[0]["question"], Value::String(id));
    assert_eq!(saved[0]["round"], "coding-iac");
    assert_eq!(saved[0]["score"], 5.0);
    let stats = home.run(&["stats", "--json"]).json();
    assert_eq!(stats["hands_on"][0]["id"], saved[0]["question"]);
    assert_eq!(stats["hands_on"][0]["best"], 5.0);
    assert!(home.run(&["stats"]).ok().contains("Hands-on"));
}

#[test]
fn practice_and_history_work_the_same_on_postgres() {
    let Some(url) = std::env::var("MOCKLOOP_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: PostgreSQL CLI test (set MOCKLOOP_TEST_POSTGRES=postgres://… to run it)");
        return;
    };
    let home = Home::new();
    // A user of its own, so runs sharing the database never see each other's data.
    let user =
        format!("cli{}-{}", std::process::id(), home.dir.path().file_name().unwrap().to_string_lossy());
    let file = home.write("a.txt", &format!("{STRONG}\n"));
    home.run(&[
        "--database",
        &url,
        "--user",
        &user,
        "practice",
        "--count",
        "1",
        "--no-follow-up",
        "--answers",
        &file,
    ])
    .ok();
    let saved = home.run(&["--database", &url, "--user", &user, "history", "--json"]).json();
    assert_eq!(saved.as_array().unwrap().len(), 1);
    assert!(saved[0]["answer"].as_str().unwrap().starts_with("I would lower the TTL"));
    // Nothing went to the local SQLite file.
    assert!(home.run(&["history", "--json"]).json().as_array().unwrap().is_empty());
    let bad = home.run(&["--database", "mysql://x@y/z", "stats"]);
    assert!(bad.stderr.contains("unsupported database URL"), "{}", bad.stderr);
}

#[test]
fn the_troubleshooting_round_runs_a_scenario_and_scores_the_investigation() {
    use std::io::{BufRead, BufReader, Write};
    let home = Home::new();
    let Value::Array(scenarios) = home.run(&["troubleshoot", "list", "--json"]).json() else {
        panic!("array")
    };
    let mut child = home
        .command(&["loop", "--short", "--rounds", "troubleshooting", "--level", "senior"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let id = loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "no scenario started:\n{seen}");
        seen.push_str(&line);
        if let Some(s) = scenarios.iter().find(|s| line.trim() == s["title"].as_str().unwrap()) {
            break s["id"].as_str().unwrap().to_owned();
        }
    };
    // Play the scenario's known fix path, as a candidate would type it.
    let script = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../scenario/tests/fix-paths")
            .join(format!("{id}.txt")),
    )
    .unwrap();
    let (commands, explanation) = script.split_once("\n---\n").unwrap();
    for c in commands.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        writeln!(stdin, "{c}").unwrap();
    }
    writeln!(stdin, "solve\n{explanation}\n.").unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    assert!(rest.contains("Hands-on") && rest.contains("Troubleshooting:"), "{rest}");
    let saved = home.run(&["history", "--json"]).json();
    assert_eq!(saved[0]["question"], Value::String(id));
    assert_eq!(saved[0]["round"], "troubleshooting");
    assert!(saved[0]["score"].as_f64().unwrap() >= 3.0, "the fix path scores well: {}", saved[0]["score"]);
    assert!(saved[0]["answer"].as_str().unwrap().contains("$ "), "the command log is kept");
}
