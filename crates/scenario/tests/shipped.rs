//! The scenarios shipped in the Infrastructure Engineer pack: every one loads cleanly, its fix path
//! (a script in `tests/fix-paths/<id>.txt`) solves it with a good score, and its risky moves are
//! flagged.
//!
//! A script is one command per line (`#` starts a comment), then a line `---`, then the written
//! root-cause explanation. Each command is typed 40 seconds after the previous one.

use std::path::Path;
use std::time::Duration;

use mockloop_grading::Grader;
use mockloop_scenario::{load_scenarios, Debrief, Run, Scenario};

fn pack() -> mockloop_content::PackSource {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer");
    mockloop_content::read_dir(&root).expect("the shipped pack is readable")
}

fn shipped() -> Vec<Scenario> {
    let (scenarios, diags) = load_scenarios(&pack());
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(diags.is_empty(), "shipped scenarios have problems:\n{}", shown.join("\n"));
    scenarios
}

const STEP: Duration = Duration::from_secs(40);

/// Plays `commands` and finishes with `explanation`, returning the debrief.
fn play(s: &Scenario, commands: &[&str], explanation: &str) -> Debrief {
    let mut run = Run::new(s);
    let mut t = Duration::ZERO;
    for c in commands {
        t += STEP;
        let r = run.execute(c, t);
        assert!(
            r.kind != mockloop_scenario::ResponseKind::Unknown,
            "{}: `{c}` is not simulated: {}",
            s.id,
            r.output
        );
    }
    run.finish(explanation, &Grader::lexical(), t + Duration::from_secs(120)).expect("explanation grades")
}

fn script(id: &str) -> (Vec<String>, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fix-paths").join(format!("{id}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (commands, explanation) = text.split_once("\n---\n").expect("script has a `---` line");
    let commands = commands
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    (commands, explanation.to_owned())
}

#[test]
fn the_pack_ships_at_least_eight_valid_scenarios() {
    assert!(shipped().len() >= 8, "only {} scenarios", shipped().len());
}

#[test]
fn every_fix_path_solves_its_scenario_with_a_good_score() {
    for s in shipped() {
        let (commands, explanation) = script(&s.id);
        let refs: Vec<&str> = commands.iter().map(String::as_str).collect();
        let d = play(&s, &refs, &explanation);
        let why = format!("{}: {:#?}", s.id, (&d.reasons, &d.components, &d.explanation.key_points));
        assert!(d.solved, "{why}");
        assert!(d.systematic, "{why}");
        assert!(d.risky_actions.is_empty(), "{why}");
        assert!(d.clues.iter().all(|c| c.found), "{why}");
        assert!(d.score >= 4.0, "score {} for {why}", d.score);
    }
}

#[test]
fn every_scenario_flags_its_risky_actions_when_taken() {
    for s in shipped() {
        let (commands, explanation) = script(&s.id);
        let risky = s.actions.iter().filter(|a| a.risky.is_some()).count();
        assert!(risky >= 1, "{} has no risky action", s.id);
        // A risky path: the first two evidence commands, then the risky moves the pack lists in its
        // `risky-paths` file, then the fix path anyway.
        let risky_path = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/risky-paths").join(format!("{}.txt", s.id)),
        )
        .unwrap_or_else(|e| panic!("{}: risky path missing: {e}", s.id));
        let mut all: Vec<&str> = commands.iter().take(2).map(String::as_str).collect();
        all.extend(risky_path.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')));
        all.extend(commands.iter().skip(2).map(String::as_str));
        let d = play(&s, &all, &explanation);
        assert!(!d.risky_actions.is_empty(), "{}: no risky action flagged", s.id);
        assert!(d.score <= 3.0, "{}: risky run scored {}", s.id, d.score);
        assert!(d.reasons[0].starts_with("Risky action"), "{}: {:?}", s.id, d.reasons);
    }
}

#[test]
fn every_scenario_answers_help_and_unknown_commands_without_giving_the_answer_away() {
    for s in shipped() {
        let mut run = Run::new(&s);
        let help = run.execute("help", Duration::ZERO).output;
        assert!(help.contains("Tools available here:"), "{help}");
        for a in &s.actions {
            for p in &a.patterns {
                let words: Vec<&str> = p.source().split_whitespace().take(3).collect();
                if words.len() == 3 && !words[2].starts_with(['[', '<', '.']) {
                    assert!(!help.contains(&words.join(" ")), "{}: help leaks `{}`", s.id, p.source());
                }
            }
        }
        let r = run.execute("frobnicate --now", Duration::from_secs(1));
        assert_eq!(r.kind, mockloop_scenario::ResponseKind::Unknown);
        assert!(r.output.contains("command not found"), "{}", r.output);
    }
}

#[test]
fn acting_first_on_any_scenario_is_marked_unsystematic() {
    for s in shipped() {
        let (commands, explanation) = script(&s.id);
        // The fix command alone, no investigation.
        let fix = commands
            .iter()
            .find(|c| {
                let mut run = Run::new(&s);
                run.execute(c, Duration::ZERO).state_changed
            })
            .unwrap_or_else(|| panic!("{}: the fix path changes no state", s.id));
        let d = play(&s, &[fix.as_str()], &explanation);
        assert!(!d.systematic, "{}", s.id);
        assert!(d.reasons.iter().any(|r| r.starts_with("Acted before looking")), "{}: {:?}", s.id, d.reasons);
        assert!(d.score <= 3.5, "{}: {}", s.id, d.score);
    }
}

#[test]
fn the_example_in_the_pack_format_docs_is_a_valid_scenario() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/pack-format.md"))
            .expect("docs/pack-format.md");
    let section = docs.split("## Troubleshooting scenarios").nth(1).expect("the scenario section");
    let example =
        section.split("```toml\n").nth(1).and_then(|b| b.split("\n```").next()).expect("a toml block");
    let src = mockloop_content::PackSource {
        root: String::new(),
        files: vec![
            mockloop_content::SourceFile {
                path: "pack.toml".to_owned(),
                text: "[[topics]]\nid = \"linux\"\n[[rounds]]\nid = \"troubleshooting\"\n".to_owned(),
            },
            mockloop_content::SourceFile {
                path: "scenarios/web-down.toml".to_owned(),
                text: example.to_owned(),
            },
        ],
    };
    let (scenarios, diags) = load_scenarios(&src);
    assert!(diags.is_empty(), "{diags:?}");
    let d = play(
        &scenarios[0],
        &["systemctl status app", "journalctl -u app -n 20", "sed -i 's/a: b: c/a: b/' /etc/app/config.yaml"],
        "The app crashed on a YAML syntax error in its config file, so nginx had no upstream. I fixed the config at line 3.",
    );
    assert!(d.solved && d.systematic, "{:?}", d.reasons);
}

#[test]
fn deleting_an_open_log_frees_nothing_until_the_service_restarts() {
    let s = shipped().into_iter().find(|s| s.id == "disk-full-unrotated-logs").expect("scenario");
    let mut run = Run::new(&s);
    assert!(
        run.execute("systemctl restart invoice-api", STEP).risky,
        "restarting with the disk full is risky"
    );
    assert!(run.execute("rm /var/log/invoice-api/app.log", STEP * 2).state_changed);
    assert!(run.execute("df -h", STEP * 3).output.contains("100% /"));
    assert!(run.execute("lsof +L1", STEP * 4).output.contains("(deleted)"));
    let r = run.execute("systemctl restart invoice-api", STEP * 5);
    assert!(r.solved && !r.risky, "{r:?}");
    assert!(run.execute("df -h", STEP * 6).output.contains("51% /"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn random_input_on_any_shipped_scenario_never_panics(
        lines in proptest::collection::vec("(sudo )?(kubectl|curl|dig|df|du|aws|terraform|systemctl|rm|sed|cat|hint|help)?( [-a-z0-9/.@=|'\"*:_]{0,14}){0,6}", 1..12),
    ) {
        for s in shipped() {
            let mut run = Run::new(&s);
            for (i, l) in lines.iter().enumerate() {
                let _ = run.execute(l, STEP * i as u32);
            }
            proptest::prop_assert!(run.finish("", &Grader::lexical(), STEP * 20).is_ok());
        }
    }
}
