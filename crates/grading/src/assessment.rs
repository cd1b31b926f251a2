//! The grader's output: a score with the evidence and advice behind it.

use serde::{Deserialize, Serialize};

/// How well a key point is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// Stated clearly.
    Covered,
    /// Touched on, incompletely or vaguely.
    Partly,
    /// Not found.
    Missed,
}

/// A byte range of the answer and the text in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Start byte (inclusive).
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// `answer[start..end]`.
    pub text: String,
}

/// The verdict on one key point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyPointResult {
    /// Key point id.
    pub id: String,
    /// Key point statement.
    pub text: String,
    /// Its weight.
    pub weight: u8,
    /// Covered, partly or missed.
    pub status: Coverage,
    /// Match strength 0–1.
    pub strength: f32,
    /// Lexical match strength 0–1 (stems, synonyms, phrasings).
    pub lexical: f32,
    /// Highest sentence-embedding cosine with any answer sentence, when a model was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
    /// Where the answer covers it.
    pub evidence: Option<Evidence>,
    /// The best-matching sentence states the opposite (negation or antonym).
    pub contradicted: bool,
}

/// Which quality a signal measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum SignalKind {
    /// Share of weighted key points covered.
    Coverage,
    /// Concrete systems, commands, numbers, outcomes.
    Specificity,
    /// Why, alternatives, costs.
    Reasoning,
    /// STAR structure for stories; organisation otherwise.
    Structure,
    /// Security, monitoring, failure handling and cost in designs.
    DesignHygiene,
    /// Length fit, repetition, filler, rambling.
    Clarity,
}

impl SignalKind {
    /// All signals in display order.
    pub const ALL: [SignalKind; 6] = [
        SignalKind::Coverage,
        SignalKind::Specificity,
        SignalKind::Reasoning,
        SignalKind::Structure,
        SignalKind::DesignHygiene,
        SignalKind::Clarity,
    ];

    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            SignalKind::Coverage => "coverage",
            SignalKind::Specificity => "specificity",
            SignalKind::Reasoning => "reasoning & trade-offs",
            SignalKind::Structure => "structure",
            SignalKind::DesignHygiene => "design hygiene",
            SignalKind::Clarity => "clarity",
        }
    }
}

/// One quality signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Which signal.
    pub kind: SignalKind,
    /// 0–1.
    pub value: f32,
    /// Whether it counts for this question (structure only for stories, hygiene only for designs).
    pub applies: bool,
    /// One line explaining the value.
    pub explanation: String,
}

/// A known misconception the answer states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MisconceptionHit {
    /// The wrong claim.
    pub claim: String,
    /// Its correction.
    pub correction: String,
    /// Where the answer states it.
    pub evidence: Evidence,
}

/// Something about the answer as a whole that lowered the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// Nothing was written.
    Empty,
    /// Far too short to show understanding.
    TooShort,
    /// Mostly buzzwords and generic claims.
    Generic,
    /// Terms listed without sentences or reasoning.
    KeywordStuffing,
    /// Mostly repeats the question.
    EchoesQuestion,
    /// Sentences repeated.
    Repetitive,
    /// Reference words in an order that does not make sense.
    WordSalad,
    /// Does not address the question.
    OffTopic,
    /// States the opposite of key points.
    Contradicts,
    /// A behavioral story that blames others.
    Blaming,
}

impl Flag {
    /// Advice shown to the candidate for this flag.
    pub fn advice(self) -> &'static str {
        match self {
            Flag::Empty => "Write an answer: even a partial one gets specific feedback.",
            Flag::TooShort => {
                "Say more: a one-liner cannot show how you think. Aim for the key steps and why."
            }
            Flag::Generic => {
                "Drop the buzzwords: name the systems, numbers and decisions instead of adjectives."
            }
            Flag::KeywordStuffing => {
                "Listing terms is not an answer: explain how the pieces work together and why."
            }
            Flag::EchoesQuestion => "Restating the question earns nothing: answer it.",
            Flag::Repetitive => "You repeat yourself: say each point once, clearly.",
            Flag::WordSalad => "The sentences do not hang together: explain in your own words.",
            Flag::OffTopic => "This does not answer the question asked: re-read it and address it directly.",
            Flag::Contradicts => {
                "Part of the answer states the opposite of what is correct; check the facts."
            }
            Flag::Blaming => "Own your part of the story: interviewers mark down blaming others.",
        }
    }
}

/// Which matching path produced the assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "path", rename_all = "lowercase")]
pub enum Method {
    /// Words, stems and concept vocabulary only.
    Lexical,
    /// Lexical plus sentence embeddings from the named model.
    Semantic {
        /// Model name.
        model: String,
    },
}

/// The full assessment of one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// Overall score 0–5, one decimal.
    pub score: f32,
    /// A short verdict.
    pub verdict: String,
    /// Per key point.
    pub key_points: Vec<KeyPointResult>,
    /// Key points were derived from the reference answer (none were given).
    pub derived_key_points: bool,
    /// Quality signals.
    pub signals: Vec<Signal>,
    /// Misconceptions stated.
    pub misconceptions: Vec<MisconceptionHit>,
    /// Whole-answer problems.
    pub flags: Vec<Flag>,
    /// What was strong.
    pub strengths: Vec<String>,
    /// The most important gaps, as advice (at most three).
    pub gaps: Vec<String>,
    /// The follow-up an interviewer would ask now.
    pub follow_up: Option<String>,
    /// Matching path used.
    pub method: Method,
    /// The measurements the score was computed from.
    pub measurements: crate::scoring::Measurements,
}

impl Assessment {
    /// The value of a signal.
    pub fn signal(&self, kind: SignalKind) -> Option<&Signal> {
        self.signals.iter().find(|s| s.kind == kind)
    }
}
