//! The end-of-loop debrief: per round, per signal, strongest and weakest areas with evidence, and a
//! verdict calibrated against the level.
//!
//! **Calibration.** The bar is the average score a candidate at the level is expected to reach:
//! 2.8 at the most junior level rising evenly to 4.0 at the most senior (entry 2.8, mid 3.1,
//! senior 3.4, staff 3.7, principal 4.0). Against the bar, the average of the round scores gives:
//!
//! | average            | verdict      |
//! |--------------------|--------------|
//! | ≥ bar + 0.6        | strong hire  |
//! | ≥ bar              | hire         |
//! | ≥ bar − 0.6        | lean no hire |
//! | below              | no hire      |
//!
//! Then, as a real hiring committee would: a round more than 1.0 under the bar blocks a strong
//! hire (one interviewer would object), two such rounds pull the verdict down one step, and any
//! unanswered question blocks a strong hire. Unanswered and skipped questions score 0 in their
//! round. Time overruns are reported but do not change the verdict.

use std::collections::BTreeMap;

use mockloop_domain::{Pack, Question};
use mockloop_grading::{Assessment, Coverage, SignalKind};
use serde::{Deserialize, Serialize};

use crate::ability::{level_offset, LEVEL_SPREAD};

/// One round of a loop as it happened.
#[derive(Debug, Clone)]
pub struct RoundInput<'a> {
    /// Round id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Time budget in minutes.
    pub budget_minutes: u32,
    /// Time actually spent, in seconds.
    pub elapsed_seconds: u64,
    /// Questions the round was meant to ask; slots not reached count as unanswered.
    pub planned_questions: u32,
    /// What was asked, in order.
    pub attempts: Vec<RoundAttempt<'a>>,
    /// Hands-on tasks of the round (a Terraform exercise, a troubleshooting scenario); each fills
    /// one of the planned slots like a question does.
    pub hands_on: Vec<HandsOn>,
}

/// The outcome of a hands-on task, already scored by its own checker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandsOn {
    /// What it was (`Terraform exercise: remote state backend`).
    pub title: String,
    /// Score 0–5; `None` when the candidate skipped it.
    pub score: Option<f32>,
    /// One line on how it went (`5 of 7 checks pass`, `root cause found in 9m`).
    pub summary: String,
}

/// One question of a round and its grading.
#[derive(Debug, Clone, Copy)]
pub struct RoundAttempt<'a> {
    /// The question.
    pub question: &'a Question,
    /// The assessment; `None` when the question was skipped or revealed.
    pub assessment: Option<&'a Assessment>,
}

/// The hiring recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Clearly above the bar everywhere.
    StrongHire,
    /// At or above the bar.
    Hire,
    /// Close, but below the bar.
    LeanNoHire,
    /// Clearly below the bar.
    NoHire,
}

impl Verdict {
    /// The stored id (`strong-hire`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::StrongHire => "strong-hire",
            Verdict::Hire => "hire",
            Verdict::LeanNoHire => "lean-no-hire",
            Verdict::NoHire => "no-hire",
        }
    }

    /// The display label (`Strong hire`, …).
    pub fn label(self) -> &'static str {
        match self {
            Verdict::StrongHire => "Strong hire",
            Verdict::Hire => "Hire",
            Verdict::LeanNoHire => "Lean no hire",
            Verdict::NoHire => "No hire",
        }
    }

    /// Parses the stored id.
    pub fn parse(s: &str) -> Option<Self> {
        [Verdict::StrongHire, Verdict::Hire, Verdict::LeanNoHire, Verdict::NoHire]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    fn down(self) -> Self {
        match self {
            Verdict::StrongHire => Verdict::Hire,
            Verdict::Hire => Verdict::LeanNoHire,
            Verdict::LeanNoHire | Verdict::NoHire => Verdict::NoHire,
        }
    }
}

/// How one round went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundResult {
    /// Round id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Score 0–5 (unanswered questions count 0).
    pub score: f32,
    /// Questions answered and graded.
    pub answered: u32,
    /// Questions skipped, revealed or not reached.
    pub unanswered: u32,
    /// Time budget in minutes.
    pub budget_minutes: u32,
    /// Time spent in seconds.
    pub elapsed_seconds: u64,
    /// Seconds over the budget (0 when on time).
    pub overrun_seconds: u64,
    /// A note for the user (overrun, unanswered questions), if any.
    pub note: Option<String>,
    /// Hands-on tasks of the round, as they went.
    #[serde(default)]
    pub hands_on: Vec<HandsOn>,
}

/// One signal averaged over the loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalResult {
    /// Which signal.
    pub kind: SignalKind,
    /// Display label.
    pub label: String,
    /// Mean of the per-round means, 0–1.
    pub value: f32,
    /// Rounds in which the signal applied.
    pub rounds: u32,
}

/// A strong or weak area with the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// What the area is (a topic name or a signal label).
    pub name: String,
    /// Its score: 0–5 for topics, 0–5 scaled from 0–1 for signals.
    pub score: f32,
    /// Quotes that support the judgement.
    pub evidence: Vec<String>,
}

/// A loop debrief. Stored as JSON (`LoopReport::body`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debrief {
    /// Level the loop was calibrated against.
    pub level: String,
    /// The level's bar (expected average score).
    pub bar: f32,
    /// Average of the round scores, 0–5.
    pub score: f32,
    /// The recommendation.
    pub verdict: Verdict,
    /// Why, one sentence each.
    pub reasons: Vec<String>,
    /// Per round, in loop order.
    pub rounds: Vec<RoundResult>,
    /// Per signal, in display order.
    pub signals: Vec<SignalResult>,
    /// Strongest areas, best first.
    pub strengths: Vec<Area>,
    /// Weakest areas, worst first.
    pub weaknesses: Vec<Area>,
}

/// The bar (expected average score) for `level` in `pack`.
pub fn bar_for(pack: &Pack, level: &str) -> f32 {
    let position = (level_offset(&pack.levels, level) + LEVEL_SPREAD) / (2.0 * LEVEL_SPREAD);
    (2.8 + 1.2 * position) as f32
}

/// Builds the debrief of a loop at `level` from its rounds.
pub fn debrief(pack: &Pack, level: &str, rounds: &[RoundInput<'_>]) -> Debrief {
    let bar = bar_for(pack, level);
    let results: Vec<RoundResult> = rounds.iter().map(round_result).collect();
    let scored: Vec<&RoundResult> = results.iter().filter(|r| r.answered + r.unanswered > 0).collect();
    let score = if scored.is_empty() {
        0.0
    } else {
        scored.iter().map(|r| r.score).sum::<f32>() / scored.len() as f32
    };
    let score = (score * 10.0).round() / 10.0 + 0.0;

    let mut reasons = vec![format!("Average {score:.1} against the {level} bar of {bar:.1}.")];
    let mut verdict = if score >= bar + 0.6 {
        Verdict::StrongHire
    } else if score >= bar {
        Verdict::Hire
    } else if score >= bar - 0.6 {
        Verdict::LeanNoHire
    } else {
        Verdict::NoHire
    };
    let low: Vec<&RoundResult> = scored.iter().copied().filter(|r| r.score < bar - 1.0).collect();
    for r in &low {
        reasons.push(format!("{} scored {:.1}, well under the bar.", r.name, r.score));
    }
    if !low.is_empty() && verdict == Verdict::StrongHire {
        verdict = Verdict::Hire;
        reasons.push("A round well under the bar rules out a strong hire.".to_owned());
    }
    if low.len() >= 2 && verdict <= Verdict::LeanNoHire {
        verdict = verdict.down();
        reasons.push(format!("{} rounds well under the bar pull the verdict down a step.", low.len()));
    }
    let unanswered: u32 = results.iter().map(|r| r.unanswered).sum();
    if unanswered > 0 {
        reasons.push(format!(
            "{unanswered} question{} unanswered, scored as 0.",
            if unanswered == 1 { " was" } else { "s were" }
        ));
        if verdict == Verdict::StrongHire {
            verdict = Verdict::Hire;
            reasons.push("An unanswered question rules out a strong hire.".to_owned());
        }
    }
    for r in results.iter().filter(|r| r.overrun_seconds * 5 > u64::from(r.budget_minutes) * 60) {
        reasons.push(format!(
            "{} ran {} over its budget: watch the clock.",
            r.name,
            minutes(r.overrun_seconds)
        ));
    }
    if verdict == Verdict::StrongHire {
        reasons.push("Every round is at or near the bar, with nothing left unanswered.".to_owned());
    }

    let signals = signal_results(rounds);
    let (strengths, weaknesses) = areas(pack, rounds, &signals);
    Debrief {
        level: level.to_owned(),
        bar,
        score,
        verdict,
        reasons,
        rounds: results,
        signals,
        strengths,
        weaknesses,
    }
}

fn minutes(seconds: u64) -> String {
    format!("{}m", seconds.div_ceil(60))
}

fn round_result(r: &RoundInput<'_>) -> RoundResult {
    let mut scores: Vec<f32> = r.attempts.iter().filter_map(|a| a.assessment).map(|a| a.score).collect();
    scores.extend(r.hands_on.iter().filter_map(|h| h.score));
    let slots = (r.planned_questions as usize).max(r.attempts.len() + r.hands_on.len());
    let score =
        if slots == 0 { 0.0 } else { scores.iter().map(|s| s.clamp(0.0, 5.0)).sum::<f32>() / slots as f32 };
    let unanswered = (slots - scores.len()) as u32;
    let budget = u64::from(r.budget_minutes) * 60;
    let overrun_seconds = r.elapsed_seconds.saturating_sub(budget);
    let mut notes = vec![];
    if overrun_seconds > 0 {
        notes.push(format!("over time by {}", minutes(overrun_seconds)));
    }
    if unanswered > 0 {
        notes.push(format!("{unanswered} unanswered"));
    }
    RoundResult {
        id: r.id.clone(),
        name: r.name.clone(),
        // `+ 0.0` turns a negative zero into zero, so no round ever shows "-0.0".
        score: (score * 10.0).round() / 10.0 + 0.0,
        answered: scores.len() as u32,
        unanswered,
        budget_minutes: r.budget_minutes,
        elapsed_seconds: r.elapsed_seconds,
        overrun_seconds,
        note: if notes.is_empty() { None } else { Some(notes.join("; ")) },
        hands_on: r.hands_on.clone(),
    }
}

fn signal_results(rounds: &[RoundInput<'_>]) -> Vec<SignalResult> {
    SignalKind::ALL
        .iter()
        .filter_map(|&kind| {
            let per_round: Vec<f32> = rounds
                .iter()
                .filter_map(|r| {
                    let values: Vec<f32> = r
                        .attempts
                        .iter()
                        .filter_map(|a| a.assessment?.signal(kind).filter(|s| s.applies).map(|s| s.value))
                        .collect();
                    (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32)
                })
                .collect();
            (!per_round.is_empty()).then(|| SignalResult {
                kind,
                label: kind.label().to_owned(),
                value: per_round.iter().sum::<f32>() / per_round.len() as f32,
                rounds: per_round.len() as u32,
            })
        })
        .collect()
}

fn quote(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = s.chars().take(160).collect();
    if cut.len() < s.len() {
        format!("“{}…”", cut.trim_end())
    } else {
        format!("“{cut}”")
    }
}

/// The graded answers touching one topic.
type TopicAnswers<'a> = Vec<(&'a Question, &'a Assessment)>;

fn areas(pack: &Pack, rounds: &[RoundInput<'_>], signals: &[SignalResult]) -> (Vec<Area>, Vec<Area>) {
    // Per topic: every graded answer touching it.
    let mut by_topic: BTreeMap<&str, TopicAnswers<'_>> = BTreeMap::new();
    for a in rounds.iter().flat_map(|r| &r.attempts) {
        if let Some(assessment) = a.assessment {
            for t in &a.question.topics {
                by_topic.entry(t.as_str()).or_default().push((a.question, assessment));
            }
        }
    }
    let mut topics: Vec<(&str, f32, &TopicAnswers<'_>)> = by_topic
        .iter()
        .map(|(t, v)| (*t, v.iter().map(|(_, a)| a.score).sum::<f32>() / v.len() as f32, v))
        .collect();
    topics.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let name = |t: &str| pack.topic(t).map_or_else(|| t.to_owned(), |t| t.name.clone());

    let mut strengths = vec![];
    let mut weaknesses = vec![];
    let n = topics.len();
    let strong_n = n.div_ceil(2).min(2);
    for (t, score, answers) in topics.iter().take(strong_n) {
        let evidence = answers
            .iter()
            .flat_map(|(_, a)| &a.key_points)
            .filter(|k| k.status == Coverage::Covered)
            .take(2)
            .map(|k| match &k.evidence {
                Some(e) => format!("covered {}: {}", quote(&k.text), quote(&e.text)),
                None => format!("covered {}", quote(&k.text)),
            })
            .collect();
        strengths.push(Area { name: name(t), score: *score, evidence });
    }
    for (t, score, answers) in topics.iter().rev().take((n - strong_n).min(2)) {
        let mut evidence: Vec<String> = answers
            .iter()
            .flat_map(|(_, a)| &a.key_points)
            .filter(|k| k.status != Coverage::Covered)
            .take(2)
            .map(|k| format!("missed {}", quote(&k.text)))
            .collect();
        evidence.extend(
            answers
                .iter()
                .flat_map(|(_, a)| &a.misconceptions)
                .take(1)
                .map(|m| format!("stated {}; in fact {}", quote(&m.claim), quote(&m.correction))),
        );
        weaknesses.push(Area { name: name(t), score: *score, evidence });
    }

    // The best and worst signal, with the explanation from the answer that shows it most.
    let explain = |kind: SignalKind, best: bool| -> Vec<String> {
        let mut found: Vec<(f32, &str, &str)> = rounds
            .iter()
            .flat_map(|r| &r.attempts)
            .filter_map(|a| {
                let s = a.assessment?.signal(kind).filter(|s| s.applies)?;
                Some((s.value, s.explanation.as_str(), a.question.id.as_str()))
            })
            .collect();
        found.sort_by(|a, b| if best { b.0.total_cmp(&a.0) } else { a.0.total_cmp(&b.0) });
        found.first().map(|(_, e, q)| format!("{} ({q})", quote(e))).into_iter().collect()
    };
    let mut sorted: Vec<&SignalResult> = signals.iter().collect();
    sorted.sort_by(|a, b| b.value.total_cmp(&a.value));
    if let (Some(best), Some(worst)) = (sorted.first(), sorted.last()) {
        strengths.push(Area {
            name: best.label.clone(),
            score: best.value * 5.0,
            evidence: explain(best.kind, true),
        });
        if sorted.len() > 1 {
            weaknesses.push(Area {
                name: worst.label.clone(),
                score: worst.value * 5.0,
                evidence: explain(worst.kind, false),
            });
        }
    }
    (strengths, weaknesses)
}

impl Debrief {
    /// The debrief as the JSON kept in `LoopReport::body`.
    pub fn to_json(&self) -> serde_json::Value {
        // Serializing plain structs, enums and finite numbers cannot fail; NaN becomes null.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Reads a debrief back from `LoopReport::body`.
    pub fn from_json(body: &serde_json::Value) -> Result<Debrief, serde_json::Error> {
        Debrief::deserialize(body)
    }

    /// The debrief as a Markdown document (`mockloop report --markdown`).
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        md.push_str(&format!("# Loop debrief: {}\n\n", self.level));
        md.push_str(&format!(
            "**Verdict: {}** (average {:.1} against the {} bar of {:.1})\n\n",
            self.verdict.label(),
            self.score,
            self.level,
            self.bar
        ));
        for r in &self.reasons {
            md.push_str(&format!("- {r}\n"));
        }
        md.push_str("\n## Rounds\n\n| Round | Score | Answered | Time | Note |\n|---|---:|---:|---:|---|\n");
        for r in &self.rounds {
            md.push_str(&format!(
                "| {} | {:.1} | {}/{} | {} of {}m | {} |\n",
                cell(&r.name),
                r.score,
                r.answered,
                r.answered + r.unanswered,
                minutes(r.elapsed_seconds),
                r.budget_minutes,
                cell(r.note.as_deref().unwrap_or(""))
            ));
        }
        let hands_on: Vec<&HandsOn> = self.rounds.iter().flat_map(|r| &r.hands_on).collect();
        if !hands_on.is_empty() {
            md.push_str("\n## Hands-on\n\n");
            for h in hands_on {
                let score = h.score.map_or("skipped".to_owned(), |s| format!("{s:.1}/5"));
                md.push_str(&format!("- **{}**: {score}. {}\n", h.title, h.summary));
            }
        }
        if !self.signals.is_empty() {
            md.push_str("\n## Signals\n\n| Signal | Average | Rounds |\n|---|---:|---:|\n");
            for s in &self.signals {
                md.push_str(&format!("| {} | {:.0}% | {} |\n", s.label, s.value * 100.0, s.rounds));
            }
        }
        for (title, areas) in [("Strongest areas", &self.strengths), ("Weakest areas", &self.weaknesses)] {
            if areas.is_empty() {
                continue;
            }
            md.push_str(&format!("\n## {title}\n\n"));
            for a in areas {
                md.push_str(&format!("- **{}** ({:.1})\n", a.name, a.score));
                for e in &a.evidence {
                    md.push_str(&format!("  - {e}\n"));
                }
            }
        }
        md
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::select::tests::{pack, question};
    use mockloop_domain::Difficulty;
    use mockloop_grading::{Evidence, KeyPointResult, Measurements, Method, Signal};

    pub(crate) fn assessment(score: f32, signal: f32) -> Assessment {
        Assessment {
            score,
            verdict: String::new(),
            key_points: vec![
                KeyPointResult {
                    id: "ttl".into(),
                    text: "Explains TTL caching".into(),
                    weight: 2,
                    status: Coverage::Covered,
                    strength: 1.0,
                    lexical: 1.0,
                    similarity: None,
                    evidence: Some(Evidence {
                        start: 0,
                        end: 10,
                        text: "resolvers cache for the TTL".into(),
                    }),
                    contradicted: false,
                },
                KeyPointResult {
                    id: "neg".into(),
                    text: "Mentions negative caching".into(),
                    weight: 1,
                    status: Coverage::Missed,
                    strength: 0.0,
                    lexical: 0.0,
                    similarity: None,
                    evidence: None,
                    contradicted: false,
                },
            ],
            derived_key_points: false,
            signals: SignalKind::ALL
                .iter()
                .map(|&kind| Signal {
                    kind,
                    value: if kind == SignalKind::Clarity { signal } else { 0.6 },
                    applies: kind != SignalKind::Structure,
                    explanation: format!("{} explanation at {signal}", kind.label()),
                })
                .collect(),
            misconceptions: vec![],
            flags: vec![],
            strengths: vec![],
            gaps: vec![],
            follow_up: None,
            method: Method::Lexical,
            measurements: Measurements::default(),
        }
    }

    struct Loop {
        questions: Vec<Question>,
        assessments: Vec<Assessment>,
    }

    /// One round per score, two questions each, both scored the same; `None` = skipped.
    fn run(level: &str, rounds: &[&[Option<f32>]]) -> Debrief {
        let topics = ["dns", "networking", "kubernetes"];
        let mut l = Loop { questions: vec![], assessments: vec![] };
        for (i, r) in rounds.iter().enumerate() {
            for (j, s) in r.iter().enumerate() {
                let topic = topics[(i + j) % topics.len()];
                l.questions.push(question(&format!("q{i}{j}"), Difficulty::Medium, &[topic], &["senior"]));
                l.assessments.push(assessment(s.unwrap_or(0.0), s.unwrap_or(0.0) / 5.0));
            }
        }
        let mut k = 0;
        let inputs: Vec<RoundInput<'_>> = rounds
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let attempts = r
                    .iter()
                    .map(|s| {
                        let a = RoundAttempt {
                            question: &l.questions[k],
                            assessment: s.map(|_| &l.assessments[k]),
                        };
                        k += 1;
                        a
                    })
                    .collect();
                RoundInput {
                    id: format!("r{i}"),
                    name: format!("Round {i}"),
                    budget_minutes: 45,
                    elapsed_seconds: 40 * 60,
                    planned_questions: r.len() as u32,
                    attempts,
                    hands_on: vec![],
                }
            })
            .collect();
        debrief(&pack(), level, &inputs)
    }

    #[test]
    fn the_bar_rises_with_level() {
        let cases = [
            ("entry", 3.2, Verdict::Hire),
            ("staff", 3.2, Verdict::LeanNoHire),
            ("senior", 4.1, Verdict::StrongHire),
            ("senior", 3.5, Verdict::Hire),
            ("senior", 2.0, Verdict::NoHire),
            ("principal", 3.6, Verdict::LeanNoHire),
            ("principal", 4.7, Verdict::StrongHire),
            ("entry", 2.0, Verdict::NoHire),
        ];
        for (level, score, want) in cases {
            let s = Some(score);
            let d = run(level, &[&[s, s], &[s, s], &[s, s]]);
            assert_eq!(d.verdict, want, "{level} at {score}: {:?}", d.reasons);
        }
    }

    #[test]
    fn a_round_well_under_the_bar_blocks_strong_hire() {
        let (hi, lo) = (Some(4.5), Some(1.5));
        let d = run("entry", &[&[hi, hi], &[hi, hi], &[hi, hi], &[lo, lo]]);
        assert!(d.score >= d.bar + 0.6, "the average alone would be a strong hire");
        assert_eq!(d.verdict, Verdict::Hire);
        assert!(
            d.reasons.iter().any(|r| r.contains("Round 3 scored 1.5, well under the bar")),
            "{:?}",
            d.reasons
        );
    }

    #[test]
    fn two_weak_rounds_pull_a_hire_down() {
        let (hi, lo) = (Some(4.8), Some(1.6));
        let d = run("mid", &[&[hi, hi], &[hi, hi], &[hi, hi], &[lo, lo], &[lo, lo]]);
        assert!(d.score >= d.bar, "{}", d.score);
        assert_eq!(d.verdict, Verdict::LeanNoHire, "{:?}", d.reasons);
    }

    #[test]
    fn skipped_questions_count_against() {
        let s = Some(4.6);
        let full = run("senior", &[&[s, s], &[s, s]]);
        let skipped = run("senior", &[&[s, None], &[s, s]]);
        assert_eq!(full.verdict, Verdict::StrongHire);
        assert!(skipped.score < full.score);
        assert_eq!(skipped.rounds[0].unanswered, 1);
        assert_eq!(skipped.rounds[0].note.as_deref(), Some("1 unanswered"));
        assert!(skipped.verdict > Verdict::StrongHire);
        assert!(skipped.reasons.iter().any(|r| r.contains("1 question was unanswered")));
    }

    #[test]
    fn overruns_are_noted_per_round() {
        let q = question("q", Difficulty::Easy, &["dns"], &["entry"]);
        let a = assessment(3.0, 0.6);
        let round = RoundInput {
            id: "troubleshooting".into(),
            name: "Live troubleshooting".into(),
            budget_minutes: 45,
            elapsed_seconds: 61 * 60,
            planned_questions: 1,
            attempts: vec![RoundAttempt { question: &q, assessment: Some(&a) }],
            hands_on: vec![],
        };
        let d = debrief(&pack(), "entry", &[round]);
        assert_eq!(d.rounds[0].overrun_seconds, 16 * 60);
        assert_eq!(d.rounds[0].note.as_deref(), Some("over time by 16m"));
        assert!(d.reasons.iter().any(|r| r.contains("ran 16m over its budget")));
    }

    #[test]
    fn areas_quote_the_evidence_and_signals_are_averaged() {
        let (hi, lo) = (Some(4.5), Some(1.0));
        let d = run("senior", &[&[hi, lo], &[lo, hi]]);
        let clarity = d.signals.iter().find(|s| s.kind == SignalKind::Clarity).expect("clarity");
        assert!((clarity.value - 0.55).abs() < 1e-3, "{}", clarity.value);
        assert!(d.signals.iter().all(|s| s.kind != SignalKind::Structure), "structure did not apply");
        let best = &d.strengths[0];
        assert!(
            best.evidence[0].contains("covered “Explains TTL caching”: “resolvers cache for the TTL”"),
            "{best:?}"
        );
        let worst = &d.weaknesses[0];
        assert!(worst.evidence[0].contains("missed “Mentions negative caching”"), "{worst:?}");
    }

    #[test]
    fn the_debrief_round_trips_through_json_and_renders_markdown() {
        let s = Some(3.6);
        let d = run("entry", &[&[s, s], &[s, None]]);
        let json = serde_json::to_string(&d).expect("serialize");
        assert!(json.contains("\"verdict\":\"lean-no-hire\""), "{json}");
        let back: Debrief = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, d);
        assert_eq!(Debrief::from_json(&d.to_json()).expect("from body"), d);
        let md = d.to_markdown();
        assert!(md.starts_with("# Loop debrief: entry\n\n**Verdict: Lean no hire**"), "{md}");
        assert!(md.contains("| Round 1 | 1.8 | 1/2 | 40m of 45m | 1 unanswered |"), "{md}");
        assert!(md.contains("## Weakest areas"));
        assert_eq!(Verdict::parse("lean-no-hire"), Some(Verdict::LeanNoHire));
    }

    #[test]
    fn hands_on_tasks_fill_round_slots_and_appear_in_the_markdown() {
        let q = question("q", Difficulty::Easy, &["dns"], &["entry"]);
        let a = assessment(4.0, 0.6);
        let round = RoundInput {
            id: "coding-iac".into(),
            name: "Infrastructure coding".into(),
            budget_minutes: 60,
            elapsed_seconds: 30 * 60,
            planned_questions: 2,
            attempts: vec![RoundAttempt { question: &q, assessment: Some(&a) }],
            hands_on: vec![HandsOn {
                title: "Terraform exercise: remote state".into(),
                score: Some(2.0),
                summary: "3 of 5 checks pass".into(),
            }],
        };
        let d = debrief(&pack(), "entry", std::slice::from_ref(&round));
        assert_eq!((d.rounds[0].answered, d.rounds[0].unanswered), (2, 0));
        assert!((d.rounds[0].score - 3.0).abs() < 1e-6, "{}", d.rounds[0].score);
        assert!(d.to_markdown().contains("**Terraform exercise: remote state**: 2.0/5. 3 of 5 checks pass"));

        let skipped = RoundInput {
            hands_on: vec![HandsOn { title: "Scenario".into(), score: None, summary: "skipped".into() }],
            attempts: vec![],
            ..round
        };
        let d = debrief(&pack(), "entry", &[skipped]);
        assert_eq!(d.rounds[0].unanswered, 2);
        assert_eq!(d.rounds[0].score.to_string(), "0", "never a negative zero");
    }
}
