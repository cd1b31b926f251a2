//! Running an exercise's checks on a candidate's files.

use mockloop_content::SourceFile;
use serde::Serialize;

use crate::checks::{self, Location};
use crate::graph::{Config, ParseError};
use crate::model::Exercise;

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// Check id.
    pub id: String,
    /// Check kind (`attribute`, `reference`, ...).
    pub kind: String,
    /// Whether it held.
    pub passed: bool,
    /// On failure, the exercise author's explanation; on success, empty.
    pub message: String,
    /// What the check found, e.g. "aws_db_instance.main: `publicly_accessible` is `true`, expected `false`".
    pub detail: String,
    /// The file and line it concerns, when there is one.
    pub location: Option<Location>,
    /// How to fix it (only on failure).
    pub hint: Option<String>,
    /// Weight in the score.
    pub weight: u32,
}

/// Everything `check` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Exercise id.
    pub exercise: String,
    /// One result per check, in the exercise's order; empty when the files do not parse.
    pub results: Vec<CheckResult>,
    /// Why the files could not be read as Terraform (then no check runs).
    pub parse_errors: Vec<ParseError>,
    /// Share of weighted checks passed, on a 0–5 scale, one decimal.
    pub score: f64,
    /// Checks passed.
    pub passed: usize,
    /// Checks run or expected to run.
    pub total: usize,
}

impl CheckReport {
    /// True when the files parsed and every check passed.
    pub fn all_passed(&self) -> bool {
        self.parse_errors.is_empty() && self.passed == self.total && self.total > 0
    }

    /// The result of one check.
    pub fn result(&self, id: &str) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.id == id)
    }
}

/// Parses the candidate's `.tf` files and runs every check of the exercise.
///
/// Never panics on malformed input: files that do not parse produce `parse_errors` (each with
/// file, line and message) and a score of 0; an empty set of files is reported the same way.
pub fn check(exercise: &Exercise, files: &[SourceFile]) -> CheckReport {
    let total = exercise.checks.len();
    let mut report = CheckReport {
        exercise: exercise.id.clone(),
        results: Vec::new(),
        parse_errors: Vec::new(),
        score: 0.0,
        passed: 0,
        total,
    };
    if !files.iter().any(|f| f.path.ends_with(".tf")) {
        report.parse_errors.push(ParseError {
            file: ".".to_owned(),
            line: 1,
            column: 1,
            message: "no .tf files to check".to_owned(),
        });
        return report;
    }
    let config = match Config::parse(files) {
        Ok(c) => c,
        Err(errors) => {
            report.parse_errors = errors;
            return report;
        }
    };
    let mut got = 0u32;
    let mut all = 0u32;
    for c in &exercise.checks {
        let o = checks::run(&c.rule, &config);
        all += c.weight;
        if o.passed {
            got += c.weight;
            report.passed += 1;
        }
        report.results.push(CheckResult {
            id: c.id.clone(),
            kind: c.kind().to_owned(),
            passed: o.passed,
            message: if o.passed { String::new() } else { c.message.clone() },
            detail: o.detail,
            location: o.location,
            hint: (!o.passed).then(|| c.hint.clone()),
            weight: c.weight,
        });
    }
    if all > 0 {
        report.score = (f64::from(got) * 50.0 / f64::from(all)).round() / 10.0;
    }
    report
}
