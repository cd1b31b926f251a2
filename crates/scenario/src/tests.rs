//! Behaviour tests for the loader, the engine and the debrief, on a small fixture scenario.
//! The shipped scenarios are exercised in `tests/shipped.rs`.

use std::time::Duration;

use mockloop_grading::Grader;
use proptest::prelude::*;

use crate::{load_scenarios, PackSource, ResponseKind, Run, Scenario};
use mockloop_content::SourceFile;

const PACK: &str = r#"
[[topics]]
id = "linux"
[[rounds]]
id = "troubleshooting"
"#;

/// A complete, valid scenario. Tests derive broken variants from it with `replace`.
const FIXTURE: &str = r#"id = "web-down"
title = "The web server answers 502"
difficulty = "easy"
topics = ["linux"]
rounds = ["troubleshooting"]
time_minutes = 10
symptom = "The site returns 502 since 10:00."
initial_state = "broken"
hints = ["Look at the upstream service.", "Read its journal."]

[[states]]
id = "broken"
description = "The app crashed on a bad config."

[[states]]
id = "fixed"
solved = true

[[clues]]
id = "bad-config"
text = "The app exits on a config parse error"

[[clues]]
id = "app-dead"
text = "The app service is inactive"

[[commands]]
patterns = ["systemctl status app"]
clue = "app-dead"
output = "inactive (dead)"
outputs.fixed = "active (running)"

[[commands]]
patterns = ["journalctl -u app ..."]
clue = "bad-config"
output = "app: config.yaml line 3: mapping values are not allowed here"

[[commands]]
patterns = ["cat <file>"]
kind = "info"
output = "contents of {{file}}"

[[actions]]
patterns = ["sed -i ... /etc/app/config.yaml"]
from = ["broken"]
to = "fixed"
output = ""

[[actions]]
patterns = ["rm -rf <path...>"]
risky = "Deleting files blindly on a production host."
output = ""

[[actions]]
patterns = ["systemctl restart app"]
output = "Job for app.service failed."
outputs.fixed = ""

[root_cause]
summary = "The app crashed because its config file had a YAML syntax error; nginx had no upstream and returned 502."

[[root_cause.key_points]]
id = "crash"
text = "The app process had crashed so nginx had no upstream"
weight = 3
phrases = ["app crashed", "no upstream"]

[[root_cause.key_points]]
id = "yaml"
text = "The config file had a YAML syntax error"
weight = 3
phrases = ["yaml syntax error", "bad config"]

[[root_cause.key_points]]
id = "fix"
text = "Fixing the config line brought the app back"
weight = 2
phrases = ["fixed the config", "corrected line 3"]

[fix]
summary = "Correct line 3 of /etc/app/config.yaml."
"#;

fn source(scenario: &str) -> PackSource {
    PackSource {
        root: "pack".to_owned(),
        files: vec![
            SourceFile { path: "pack.toml".to_owned(), text: PACK.to_owned() },
            SourceFile { path: "scenarios/web-down.toml".to_owned(), text: scenario.to_owned() },
        ],
    }
}

fn fixture() -> Scenario {
    let (mut s, d) = load_scenarios(&source(FIXTURE));
    assert!(d.is_empty(), "{d:?}");
    s.remove(0)
}

/// Loads `FIXTURE` with `from` replaced by `to` and asserts a diagnostic `path:line: message`
/// containing `expected`.
#[track_caller]
fn check_diag(from: &str, to: &str, expected: &str) {
    assert!(FIXTURE.contains(from), "fixture lacks {from:?}");
    let (scenarios, diags) = load_scenarios(&source(&FIXTURE.replacen(from, to, 1)));
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(
        shown.iter().any(|d| d.contains(expected)),
        "expected a diagnostic containing {expected:?}, got:\n{}",
        shown.join("\n")
    );
    assert!(scenarios.is_empty(), "a scenario with problems must not load");
}

#[test]
fn the_fixture_loads_without_diagnostics() {
    let s = fixture();
    assert_eq!(s.id, "web-down");
    assert_eq!(s.tools(), ["cat", "journalctl", "rm", "sed", "systemctl"]);
}

#[test]
fn malformed_toml_is_reported_at_its_line() {
    check_diag("time_minutes = 10", "time_minutes = ", "pack/scenarios/web-down.toml:6: ");
}

#[test]
fn an_id_that_differs_from_the_file_name_is_reported() {
    check_diag(
        r#"id = "web-down""#,
        r#"id = "web-up""#,
        "web-down.toml:1: scenario id `web-up` does not match its file name",
    );
}

#[test]
fn unknown_difficulty_topic_and_round_are_reported() {
    check_diag(r#"difficulty = "easy""#, r#"difficulty = "brutal""#, ":3: unknown difficulty `brutal`");
    check_diag(r#"topics = ["linux"]"#, r#"topics = ["cobol"]"#, ":4: unknown topic `cobol`");
    check_diag(r#"rounds = ["troubleshooting"]"#, r#"rounds = ["lunch"]"#, ":5: unknown round `lunch`");
}

#[test]
fn an_action_pointing_at_an_unknown_state_is_reported() {
    check_diag(r#"to = "fixed""#, r#"to = "fixd""#, "points at unknown state `fixd`");
}

#[test]
fn an_action_from_an_unknown_state_is_reported() {
    check_diag(r#"from = ["broken"]"#, r#"from = ["brokn"]"#, "starts from unknown state `brokn`");
}

#[test]
fn unreachable_states_are_reported() {
    check_diag(
        "[[states]]\nid = \"fixed\"",
        "[[states]]\nid = \"limbo\"\n\n[[states]]\nid = \"fixed\"",
        "state `limbo` is unreachable from `broken`",
    );
}

#[test]
fn a_scenario_nobody_can_solve_is_reported() {
    check_diag("id = \"fixed\"\nsolved = true", "id = \"fixed\"", "nothing ends the incident");
    check_diag(r#"to = "fixed""#, r#"to = "broken""#, "no sequence of actions reaches a solved state");
}

#[test]
fn bad_patterns_and_regexes_are_reported_at_their_line() {
    check_diag(
        r#"patterns = ["systemctl status app"]"#,
        r#"patterns = ["re:systemctl (status"]"#,
        ":28: command `re:systemctl (status`: invalid regex: error: unclosed group",
    );
    check_diag(
        r#"patterns = ["systemctl status app"]"#,
        r#"patterns = ["systemctl [status app"]"#,
        "unbalanced `[` `]`",
    );
    check_diag(r#"patterns = ["cat <file>"]"#, r#"patterns = ["cat <fi le>"]"#, "bad placeholder");
}

#[test]
fn missing_outputs_are_reported() {
    check_diag(r#"output = "inactive (dead)""#, "", "has no output in state(s) `broken`");
    check_diag(
        r#"outputs.fixed = "active (running)""#,
        r#"outputs.fixd = "active (running)""#,
        "output for unknown state `fixd`",
    );
}

#[test]
fn unknown_and_unrevealed_clues_are_reported() {
    check_diag(r#"clue = "app-dead""#, r#"clue = "app-gone""#, "reveals unknown clue `app-gone`");
    check_diag(r#"clue = "bad-config""#, "", "clue `bad-config` is revealed by no command");
}

#[test]
fn a_scenario_without_a_risky_action_is_reported() {
    check_diag(
        r#"risky = "Deleting files blindly on a production host.""#,
        "",
        "no action is marked `risky`",
    );
}

#[test]
fn too_few_key_points_and_empty_phrases_are_reported() {
    let fewer = FIXTURE.split("[[root_cause.key_points]]\nid = \"fix\"").next().expect("split").to_owned()
        + "[fix]\nsummary = \"Correct line 3.\"\n";
    let (_, diags) = load_scenarios(&source(&fewer));
    assert!(diags.iter().any(|d| d.message.contains("give at least 3")), "{diags:?}");
    check_diag(
        r#"phrases = ["app crashed", "no upstream"]"#,
        "phrases = []",
        "key point `crash` has no phrases",
    );
}

#[test]
fn files_outside_scenarios_are_ignored() {
    let mut src = source(FIXTURE);
    src.files.push(SourceFile { path: "questions/x.md".to_owned(), text: "not toml".to_owned() });
    let (s, d) = load_scenarios(&src);
    assert_eq!((s.len(), d.len()), (1, 0));
}

fn at(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

#[test]
fn evidence_reveals_clues_and_the_fix_action_solves() {
    let s = fixture();
    let mut run = Run::new(&s);
    let r = run.execute("systemctl status app", at(10));
    assert_eq!((r.kind, r.output.as_str(), r.solved), (ResponseKind::Evidence, "inactive (dead)", false));
    let r = run.execute("sudo journalctl -u app --since today", at(20));
    assert!(r.output.contains("line 3"));
    let r = run.execute("sed -i 's/a: b: c/a: b/' /etc/app/config.yaml", at(60));
    assert!(r.state_changed && r.solved && !r.risky);
    assert_eq!(run.execute("systemctl status app", at(70)).output, "active (running)");
}

#[test]
fn outputs_substitute_captured_arguments() {
    let s = fixture();
    assert_eq!(Run::new(&s).execute("cat /etc/hosts", at(1)).output, "contents of /etc/hosts");
}

#[test]
fn an_action_that_does_not_apply_prints_its_output_and_changes_nothing() {
    let s = fixture();
    let mut run = Run::new(&s);
    let r = run.execute("systemctl restart app", at(5));
    assert_eq!(
        (r.kind, r.state_changed, r.output.as_str()),
        (ResponseKind::Action, false, "Job for app.service failed.")
    );
    assert_eq!(run.state(), "broken");
}

#[test]
fn unknown_commands_say_so_without_revealing_answers() {
    let s = fixture();
    let mut run = Run::new(&s);
    assert_eq!(
        run.execute("kubectl get pods", at(1)).output,
        "bash: kubectl: command not found (not available in this scenario; type `help`)"
    );
    let r = run.execute("systemctl list-units", at(2));
    assert_eq!(r.kind, ResponseKind::Unknown);
    assert!(r.output.starts_with("systemctl: this invocation is not simulated"), "{}", r.output);
    let help = run.execute("help", at(3)).output;
    assert!(help.contains("Tools available here: cat, journalctl, rm, sed, systemctl"), "{help}");
    assert!(!help.contains("config.yaml"));
}

#[test]
fn hints_come_in_order_and_run_out() {
    let s = fixture();
    let mut run = Run::new(&s);
    assert_eq!(run.execute("hint", at(1)).output, "hint 1/2: Look at the upstream service.");
    assert_eq!(run.execute("hint", at(2)).output, "hint 2/2: Read its journal.");
    assert_eq!(run.execute("hint", at(3)).output, "no more hints: trust your evidence.");
    assert_eq!(run.hints_used(), 2);
}

#[test]
fn notes_history_and_solve_are_session_commands() {
    let s = fixture();
    let mut run = Run::new(&s);
    assert_eq!(run.execute("notes app looks dead", at(65)).output, "noted.");
    assert_eq!(run.execute("notes", at(66)).output, "[01:05] app looks dead");
    run.execute("systemctl status app", at(70));
    assert_eq!(run.execute("history", at(71)).output, "   1  [01:10] systemctl status app");
    let r = run.execute("solve", at(80));
    assert!(r.finish_requested);
    assert_eq!(run.execute("   ", at(81)).kind, ResponseKind::Empty);
}

#[test]
fn pipes_filter_the_simulated_output() {
    let s = fixture();
    let mut run = Run::new(&s);
    assert_eq!(run.execute("journalctl -u app | grep -c yaml", at(1)).output, "1");
    assert_eq!(run.execute("journalctl -u app | grep nothing-here", at(2)).output, "");
}

const GOOD: &str = "The app crashed because its config file had a YAML syntax error on line 3, so nginx had \
no upstream and returned 502. The journal showed the parse error and systemctl showed the app dead. I fixed the \
config by correcting line 3 and the app came back; restarting alone would not have helped.";

fn finish(commands: &[(&str, u64)], explanation: &str, end: u64) -> crate::Debrief {
    let s = fixture();
    let mut run = Run::new(&s);
    for (c, t) in commands {
        run.execute(c, at(*t));
    }
    run.finish(explanation, &Grader::lexical(), at(end)).expect("grades")
}

#[test]
fn a_methodical_safe_run_scores_well() {
    let d = finish(
        &[
            ("systemctl status app", 30),
            ("journalctl -u app", 60),
            ("sed -i 's/x/y/' /etc/app/config.yaml", 120),
        ],
        GOOD,
        240,
    );
    assert!(d.solved && d.systematic && d.risky_actions.is_empty(), "{:?}", d.reasons);
    assert_eq!(d.evidence_before_first_action, 2);
    assert!(d.clues.iter().all(|c| c.found && c.before_first_action));
    assert_eq!(d.solved_at, Some(at(120)));
    assert!(d.score >= 4.0, "{} {:?}", d.score, d.components);
}

#[test]
fn acting_before_looking_is_marked_unsystematic() {
    let d = finish(
        &[
            ("sed -i 's/x/y/' /etc/app/config.yaml", 10),
            ("systemctl status app", 30),
            ("journalctl -u app", 60),
        ],
        GOOD,
        240,
    );
    assert!(d.solved);
    assert!(!d.systematic);
    assert_eq!(d.evidence_before_first_action, 0);
    assert!(d.reasons.iter().any(|r| r.starts_with("Acted before looking")), "{:?}", d.reasons);
    assert!(d.score <= 3.5);
    // Clues seen after the fix was applied do not count: the incident was over.
    assert!(d.clues.iter().all(|c| !c.found));
}

#[test]
fn a_risky_action_is_flagged_with_its_reason_and_caps_the_score() {
    let d = finish(
        &[
            ("systemctl status app", 30),
            ("journalctl -u app", 60),
            ("rm -rf /var/cache/app", 90),
            ("sed -i 's/x/y/' /etc/app/config.yaml", 120),
        ],
        GOOD,
        240,
    );
    assert_eq!(d.risky_actions.len(), 1);
    assert_eq!(d.risky_actions[0].command, "rm -rf /var/cache/app");
    assert_eq!(d.risky_actions[0].at, at(90));
    assert!(d.reasons[0].contains("Deleting files blindly"), "{:?}", d.reasons);
    assert!(d.score <= 3.0);
}

#[test]
fn an_unresolved_incident_caps_the_score_even_with_a_good_explanation() {
    let d = finish(&[("systemctl status app", 30), ("journalctl -u app", 60)], GOOD, 240);
    assert!(!d.solved);
    assert!(d.systematic, "looking without acting is still systematic");
    assert!(d.score <= 2.5);
}

#[test]
fn running_over_budget_and_using_hints_cost_points() {
    let quick = finish(
        &[
            ("systemctl status app", 30),
            ("journalctl -u app", 60),
            ("sed -i 's/x/y/' /etc/app/config.yaml", 120),
        ],
        GOOD,
        240,
    );
    let slow = finish(
        &[
            ("hint", 10),
            ("systemctl status app", 30),
            ("journalctl -u app", 60),
            ("sed -i 's/x/y/' /etc/app/config.yaml", 120),
        ],
        GOOD,
        1200,
    );
    assert!(slow.score < quick.score, "{} vs {}", slow.score, quick.score);
    assert!(slow.reasons.iter().any(|r| r.starts_with("Over the time budget")));
    assert!(slow.reasons.iter().any(|r| r.starts_with("1 hint(s) used")));
}

#[test]
fn a_vague_explanation_scores_lower_than_a_specific_one() {
    let cmds = [
        ("systemctl status app", 30),
        ("journalctl -u app", 60),
        ("sed -i 's/x/y/' /etc/app/config.yaml", 120),
    ];
    let vague = finish(&cmds, "It was broken and I fixed it.", 240);
    let good = finish(&cmds, GOOD, 240);
    assert!(vague.explanation.score < good.explanation.score);
    assert!(vague.score < good.score);
}

#[test]
fn the_debrief_serialises_to_json_with_seconds() {
    let d = finish(&[("systemctl status app", 30)], GOOD, 240);
    let v = serde_json::to_value(&d).expect("serialises");
    assert_eq!(v["elapsed_secs"], 240);
    assert_eq!(v["budget_secs"], 600);
    assert_eq!(v["log"][0]["at_secs"], 30);
    assert!(v["explanation"]["key_points"].is_array());
}

proptest! {
    #[test]
    fn random_command_input_never_panics(lines in proptest::collection::vec(".{0,80}", 1..20)) {
        let s = fixture();
        let mut run = Run::new(&s);
        for (i, l) in lines.iter().enumerate() {
            let _ = run.execute(l, at(i as u64));
        }
        prop_assert!(run.finish("whatever", &Grader::lexical(), at(999)).is_ok());
    }

    #[test]
    fn shell_like_input_never_panics(line in "(sudo )?(systemctl|journalctl|cat|rm|sed|help|hint|notes)( [-a-z/|'\"*<>.]{0,12}){0,6}") {
        let s = fixture();
        let mut run = Run::new(&s);
        let _ = run.execute(&line, at(1));
    }

    #[test]
    fn any_pattern_text_compiles_or_errors_without_panicking(p in ".{0,60}") {
        let _ = crate::Pattern::new(&p);
    }
}
