//! The debrief: how an interviewer would judge the run, as a 0–5 score with its reasons.
//!
//! A troubleshooting round is judged on more than the fix. The score blends five components —
//! resolution, investigation, explanation, safety and time — and then applies caps for the things
//! that end a real interview badly however the rest went: a risky action on production, acting
//! before looking, leaving the incident unresolved, or fixing it without being able to say why.

use std::time::Duration;

use mockloop_grading::{Assessment, GradeError, Grader};
use serde::Serialize;

use crate::engine::{secs, Entry, ResponseKind, Run};

/// Weights of the components; they sum to 1.
const RESOLUTION: f32 = 0.25;
const INVESTIGATION: f32 = 0.20;
const EXPLANATION: f32 = 0.30;
const SAFETY: f32 = 0.15;
const TIME: f32 = 0.10;
/// Score lost per hint used, up to [`MAX_HINT_PENALTY`].
const HINT_PENALTY: f32 = 0.2;
const MAX_HINT_PENALTY: f32 = 0.6;
/// Evidence commands a systematic candidate runs before acting.
const MIN_EVIDENCE_BEFORE_ACTION: usize = 2;

/// Why a run could not be debriefed.
#[derive(Debug, thiserror::Error)]
pub enum DebriefError {
    /// The written explanation could not be graded (for example, it is too long).
    #[error("cannot grade the explanation: {0}")]
    Grade(#[from] GradeError),
}

/// The scored outcome of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Overall score 0–5, one decimal.
    pub score: f32,
    /// One-line verdict.
    pub verdict: String,
    /// The system ended in a solved state.
    pub solved: bool,
    /// The state it ended in.
    pub final_state: String,
    /// Time until the candidate declared the root cause.
    #[serde(rename = "elapsed_secs", serialize_with = "secs")]
    pub elapsed: Duration,
    /// The scenario's time budget.
    #[serde(rename = "budget_secs", serialize_with = "secs")]
    pub budget: Duration,
    /// When the fix took effect, if it did.
    #[serde(rename = "solved_at_secs", serialize_with = "opt_secs")]
    pub solved_at: Option<Duration>,
    /// When the first state-changing command was typed, if any.
    #[serde(rename = "first_action_at_secs", serialize_with = "opt_secs")]
    pub first_action_at: Option<Duration>,
    /// Evidence commands run before the first action (all of them if there was none).
    pub evidence_before_first_action: usize,
    /// Whether the investigation came before the action.
    pub systematic: bool,
    /// Every clue, found or not.
    pub clues: Vec<ClueResult>,
    /// Risky actions taken.
    pub risky_actions: Vec<RiskyAction>,
    /// Hints used.
    pub hints_used: usize,
    /// The grader's assessment of the written explanation.
    pub explanation: Assessment,
    /// The reference root cause.
    pub root_cause: String,
    /// The reference fix.
    pub fix: String,
    /// The score's components.
    pub components: Vec<Component>,
    /// Why the score is what it is, most important first.
    pub reasons: Vec<String>,
    /// Everything typed, in order.
    pub log: Vec<Entry>,
}

fn opt_secs<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&d.as_secs()),
        None => s.serialize_none(),
    }
}

/// One clue and whether the candidate found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClueResult {
    /// Clue id.
    pub id: String,
    /// What it tells.
    pub text: String,
    /// Found at all.
    pub found: bool,
    /// Found before the first action.
    pub before_first_action: bool,
    /// When.
    #[serde(rename = "at_secs", serialize_with = "opt_secs")]
    pub at: Option<Duration>,
}

/// A risky action and why it was risky.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskyAction {
    /// The command as matched (normalised).
    pub command: String,
    /// Why an interviewer would stop you.
    pub reason: String,
    /// When.
    #[serde(rename = "at_secs", serialize_with = "secs")]
    pub at: Duration,
}

/// One weighted part of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// `resolution`, `investigation`, `explanation`, `safety` or `time`.
    pub name: &'static str,
    /// Its weight in the blend.
    pub weight: f32,
    /// 0–1.
    pub value: f32,
    /// One line explaining the value.
    pub note: String,
}

impl Run<'_> {
    /// Ends the run: grades `explanation` with `grader` and scores the whole session at `elapsed`.
    pub fn finish(
        &self,
        explanation: &str,
        grader: &Grader<'_>,
        elapsed: Duration,
    ) -> Result<Debrief, DebriefError> {
        let sc = self.scenario;
        let assessment = grader.assess(&sc.rubric(), explanation)?;
        let budget = Duration::from_secs(u64::from(sc.time_minutes) * 60);
        let solved = self.is_solved();

        // Evidence typed before the first action line (all evidence when nothing was changed).
        let first_action_line =
            self.log.iter().position(|e| e.kind == ResponseKind::Action).unwrap_or(self.log.len());
        let evidence_before =
            self.log[..first_action_line].iter().filter(|e| e.kind == ResponseKind::Evidence).count();
        let clues: Vec<ClueResult> = sc
            .clues
            .iter()
            .map(|c| {
                let f = self.found.iter().find(|f| f.id == c.id);
                ClueResult {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    found: f.is_some(),
                    before_first_action: f.is_some_and(|f| f.before_action),
                    at: f.map(|f| f.at),
                }
            })
            .collect();
        let total_clues = clues.len().max(1) as f32;
        let clues_before = clues.iter().filter(|c| c.before_first_action).count();
        let clues_found = clues.iter().filter(|c| c.found).count();
        let acted = self.first_action.is_some();
        let systematic = evidence_before >= MIN_EVIDENCE_BEFORE_ACTION && clues_before >= 1;

        let mut components = Vec::new();
        let mut reasons = Vec::new();

        let resolution = if solved { 1.0 } else { 0.0 };
        components.push(Component {
            name: "resolution",
            weight: RESOLUTION,
            value: resolution,
            note: if solved {
                format!("the fix took effect at {}", crate::clock(self.solved_at.unwrap_or(elapsed)))
            } else {
                "the system is still broken".to_owned()
            },
        });

        let investigation = clues_before as f32 / total_clues;
        components.push(Component {
            name: "investigation",
            weight: INVESTIGATION,
            value: investigation,
            note: format!(
                "{clues_before} of {} clue(s) found before {}; {evidence_before} evidence command(s) first",
                clues.len(),
                if acted { "the first change" } else { "the end" }
            ),
        });

        let explanation_value = (assessment.score / 5.0).clamp(0.0, 1.0);
        let covered =
            assessment.key_points.iter().filter(|k| k.status == mockloop_grading::Coverage::Covered).count();
        components.push(Component {
            name: "explanation",
            weight: EXPLANATION,
            value: explanation_value,
            note: format!(
                "root-cause explanation scored {:.1}/5 ({covered} of {} key points covered)",
                assessment.score,
                assessment.key_points.len()
            ),
        });

        let risky: Vec<RiskyAction> = self
            .risks
            .iter()
            .map(|r| RiskyAction { command: r.command.clone(), reason: r.reason.clone(), at: r.at })
            .collect();
        let safety = (1.0 - 0.5 * risky.len() as f32).max(0.0);
        components.push(Component {
            name: "safety",
            weight: SAFETY,
            value: safety,
            note: if risky.is_empty() {
                "no risky actions".to_owned()
            } else {
                format!("{} risky action(s)", risky.len())
            },
        });

        let ratio = elapsed.as_secs_f32() / budget.as_secs_f32().max(1.0);
        let time = (2.0 - ratio).clamp(0.0, 1.0);
        components.push(Component {
            name: "time",
            weight: TIME,
            value: time,
            note: format!("{} of a {} budget", crate::clock(elapsed), crate::clock(budget)),
        });

        let blended: f32 = components.iter().map(|c| c.weight * c.value).sum::<f32>() * 5.0;
        let hint_penalty = (HINT_PENALTY * self.hints_used as f32).min(MAX_HINT_PENALTY);
        let mut score = blended - hint_penalty;

        let mut cap = |limit: f32, why: String, reasons: &mut Vec<String>| {
            if score > limit {
                score = limit;
            }
            reasons.push(why);
        };
        for r in &risky {
            cap(
                3.0,
                format!("Risky action `{}` at {}: {}", r.command, crate::clock(r.at), r.reason),
                &mut reasons,
            );
        }
        if !solved {
            cap(2.5, "The incident is not resolved: the fix was never applied.".to_owned(), &mut reasons);
        }
        if acted && !systematic {
            cap(
                3.5,
                format!(
                    "Acted before looking: {evidence_before} evidence command(s) and {clues_before} clue(s) before the first change at {}.",
                    crate::clock(self.first_action.unwrap_or_default())
                ),
                &mut reasons,
            );
        }
        if solved && assessment.score < 2.0 {
            cap(
                3.0,
                "Fixed, but the written root cause does not explain why it broke.".to_owned(),
                &mut reasons,
            );
        }
        if solved {
            reasons.push(format!(
                "Resolved at {} ({} budget).",
                crate::clock(self.solved_at.unwrap_or(elapsed)),
                crate::clock(budget)
            ));
        }
        if systematic {
            reasons.push(format!(
                "Systematic: {evidence_before} evidence command(s) and {clues_before} clue(s) before {}.",
                if acted { "the first change" } else { "the end" }
            ));
        }
        reasons.push(format!("Clues found: {clues_found} of {}.", clues.len()));
        reasons.push(format!(
            "Explanation {:.1}/5: {covered} of {} key points covered.",
            assessment.score,
            assessment.key_points.len()
        ));
        if ratio > 1.0 {
            reasons.push(format!(
                "Over the time budget: {} of {}.",
                crate::clock(elapsed),
                crate::clock(budget)
            ));
        }
        if self.hints_used > 0 {
            reasons.push(format!("{} hint(s) used: −{hint_penalty:.1}.", self.hints_used));
        }

        let score = (score.clamp(0.0, 5.0) * 10.0).round() / 10.0;
        let verdict = match score {
            s if s >= 4.5 => "Strong: methodical, safe and clearly explained.",
            s if s >= 3.5 => "Solid: resolved it with a sound approach; polish the gaps below.",
            s if s >= 2.5 => "Mixed: parts of a good investigation, with a gap an interviewer would probe.",
            _ => "Not yet: practise looking before acting and explaining the cause.",
        }
        .to_owned();

        Ok(Debrief {
            scenario: sc.id.clone(),
            title: sc.title.clone(),
            score,
            verdict,
            solved,
            final_state: self.state.clone(),
            elapsed,
            budget,
            solved_at: self.solved_at,
            first_action_at: self.first_action,
            evidence_before_first_action: evidence_before,
            systematic,
            clues,
            risky_actions: risky,
            hints_used: self.hints_used,
            explanation: assessment,
            root_cause: sc.root_cause.summary.clone(),
            fix: sc.fix.clone(),
            components,
            reasons,
            log: self.log.clone(),
        })
    }
}
