//! Every shipped exercise: its reference solution passes, and each wrong fixture under
//! `tests/fixtures/<id>/<name>/` fails exactly the checks its `expect.toml` lists, with the
//! expected words in the message.

use std::collections::BTreeSet;
use std::path::Path;

use mockloop_exercise::{check, read_tf_dir};
use serde::Deserialize;

use crate::shipped_exercises;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    fails: Vec<ExpectedFailure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFailure {
    check: String,
    contains: String,
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn the_pack_ships_at_least_twelve_exercises_from_easy_to_hard() {
    let exercises = shipped_exercises();
    assert!(exercises.len() >= 12, "{} exercises", exercises.len());
    for d in mockloop_domain::Difficulty::ALL {
        assert!(exercises.iter().any(|e| e.difficulty == d), "no {d} exercise");
    }
}

#[test]
fn every_reference_solution_passes_all_its_checks() {
    for e in shipped_exercises() {
        let report = check(&e, &e.solution);
        assert!(report.all_passed(), "{}: {report:#?}", e.id);
        assert!((report.score - 5.0).abs() < f64::EPSILON, "{}: score {}", e.id, report.score);
    }
}

#[test]
fn every_starter_parses_and_leaves_work_to_do() {
    for e in shipped_exercises().iter().filter(|e| !e.starter.is_empty()) {
        let report = check(e, &e.starter);
        assert!(report.parse_errors.is_empty(), "{}: {:?}", e.id, report.parse_errors);
        assert!(!report.all_passed(), "{}: the starter already passes", e.id);
    }
}

#[test]
fn every_exercise_has_at_least_two_wrong_fixtures_that_fail_as_expected() {
    // Gather every mismatch first, so one run shows all fixtures that need attention.
    let mut problems = Vec::new();
    for e in shipped_exercises() {
        let dir = fixtures().join(&e.id);
        let mut count = 0;
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        for entry in entries {
            let case = entry.expect("dir entry").path();
            if !case.is_dir() {
                continue;
            }
            count += 1;
            let name = format!("{}/{}", e.id, case.file_name().expect("name").to_string_lossy());
            let expect: Expect = toml::from_str(
                &std::fs::read_to_string(case.join("expect.toml"))
                    .unwrap_or_else(|err| panic!("{name}: {err}")),
            )
            .unwrap_or_else(|err| panic!("{name}/expect.toml: {err}"));
            let files = read_tf_dir(&case).expect("read fixture");
            let report = check(&e, &files);
            if !report.parse_errors.is_empty() {
                problems.push(format!("{name}: does not parse: {:?}", report.parse_errors));
                continue;
            }
            let failed: BTreeSet<&str> =
                report.results.iter().filter(|r| !r.passed).map(|r| r.id.as_str()).collect();
            let wanted: BTreeSet<&str> = expect.fails.iter().map(|f| f.check.as_str()).collect();
            if failed != wanted {
                let details: Vec<String> = report
                    .results
                    .iter()
                    .filter(|r| !r.passed)
                    .map(|r| format!("    {}: {}", r.id, r.detail))
                    .collect();
                problems
                    .push(format!("{name}: failed {failed:?}, expected {wanted:?}\n{}", details.join("\n")));
            }
            for f in &expect.fails {
                let Some(r) = report.result(&f.check) else {
                    problems.push(format!("{name}: no check `{}`", f.check));
                    continue;
                };
                let text = format!("{} {}", r.message, r.detail);
                if !text.contains(&f.contains) {
                    problems.push(format!("{name}/{}: `{}` not in `{text}`", f.check, f.contains));
                }
                let loc = r.location.as_ref();
                if !loc.is_none_or(|l| files.iter().any(|file| file.path == l.file) && l.line >= 1) {
                    problems.push(format!("{name}/{}: location {loc:?} is not in the fixture", f.check));
                }
                if r.hint.is_none() {
                    problems.push(format!("{name}/{}: a failed check carries no hint", f.check));
                }
            }
            if report.score >= 5.0 {
                problems.push(format!("{name}: score {}", report.score));
            }
        }
        if count < 2 {
            problems.push(format!("{}: {count} wrong fixture(s), want at least 2", e.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
