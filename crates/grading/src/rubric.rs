//! What an answer is graded against: the question's rubric.

use serde::{Deserialize, Serialize};

/// The kind of question, which decides which signals matter (STAR structure for behavioral
/// stories, design hygiene for scenarios).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Explain a concept.
    Technical,
    /// How the role works, what it owns, how the candidate would operate in it.
    RoleSpecific,
    /// A concrete scenario: design, troubleshooting, an incident.
    Situational,
    /// "Tell me about a time…": a STAR story.
    Behavioral,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 4] =
        [Category::Technical, Category::RoleSpecific, Category::Situational, Category::Behavioral];

    /// The id used in packs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Technical => "technical",
            Category::RoleSpecific => "role-specific",
            Category::Situational => "situational",
            Category::Behavioral => "behavioral",
        }
    }

    /// Parses a pack/CLI id.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One point a strong answer makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyPoint {
    /// Short id, unique within the question.
    pub id: String,
    /// The claim, in one sentence.
    pub text: String,
    /// Relative importance, 1 (nice to have) to 3 (essential).
    pub weight: u8,
    /// Other ways a candidate may phrase the point; matched alongside `text`.
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// A probe an interviewer asks when a key point is missing or thin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The key point this probes.
    pub key_point: String,
    /// The question to ask.
    pub prompt: String,
}

/// A wrong belief candidates state, and its correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Misconception {
    /// The wrong claim.
    pub claim: String,
    /// Ways candidates phrase it.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// One line that sets it right.
    pub correction: String,
}

/// Everything the grader needs about a question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rubric {
    /// The question as asked.
    pub prompt: String,
    /// Its category; `None` when unknown (pack-free grading infers what it can).
    pub category: Option<Category>,
    /// Key points; when empty they are derived from `reference`.
    pub key_points: Vec<KeyPoint>,
    /// Follow-up probes.
    pub follow_ups: Vec<FollowUp>,
    /// Known misconceptions.
    pub misconceptions: Vec<Misconception>,
    /// The model answer.
    pub reference: String,
    /// Suggested answer time in minutes, used to judge length; `None` to infer.
    pub time_minutes: Option<u32>,
}
