use mockloop_grading::{Category, FollowUp, KeyPoint, Misconception, Rubric};
use serde::{Deserialize, Serialize};

/// How hard a question is for the level it targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// Fundamentals.
    Easy,
    /// Applied knowledge.
    Medium,
    /// Depth, scale and judgement.
    Hard,
}

impl Difficulty {
    /// All difficulties, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The id used in packs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    /// Parses a pack/CLI id.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl std::fmt::Display for Difficulty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One interview question with its rubric and model answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Unique id within the pack (the file stem).
    pub id: String,
    /// The question as the interviewer asks it.
    pub prompt: String,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Category.
    pub category: Category,
    /// Topic ids from the pack.
    pub topics: Vec<String>,
    /// Level ids the question suits.
    pub levels: Vec<String>,
    /// Round ids it can appear in.
    pub rounds: Vec<String>,
    /// Suggested answer time.
    pub time_minutes: u32,
    /// What a strong answer covers.
    pub key_points: Vec<KeyPoint>,
    /// Probes tied to key points.
    pub follow_ups: Vec<FollowUp>,
    /// Wrong beliefs and their corrections.
    pub misconceptions: Vec<Misconception>,
    /// A one- or two-sentence answer for flashcards.
    pub flashcard: String,
    /// The model answer, Markdown.
    pub answer: String,
}

impl Question {
    /// The grading rubric for this question.
    pub fn rubric(&self) -> Rubric {
        Rubric {
            prompt: self.prompt.clone(),
            category: Some(self.category),
            key_points: self.key_points.clone(),
            follow_ups: self.follow_ups.clone(),
            misconceptions: self.misconceptions.clone(),
            reference: self.answer.clone(),
            time_minutes: Some(self.time_minutes),
        }
    }

    /// Whether the question has the given topic.
    pub fn has_topic(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t == topic)
    }
}

/// Criteria for listing questions; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these difficulties.
    pub difficulty: Vec<Difficulty>,
    /// Only these categories.
    pub category: Vec<Category>,
    /// Questions with any of these topics.
    pub topic: Vec<String>,
    /// Questions suited to any of these levels.
    pub level: Vec<String>,
    /// Questions that can appear in any of these rounds.
    pub round: Vec<String>,
}

impl Filter {
    /// Whether `q` passes every criterion.
    pub fn matches(&self, q: &Question) -> bool {
        fn any_in(wanted: &[String], have: &[String]) -> bool {
            wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
        }
        (self.difficulty.is_empty() || self.difficulty.contains(&q.difficulty))
            && (self.category.is_empty() || self.category.contains(&q.category))
            && any_in(&self.topic, &q.topics)
            && any_in(&self.level, &q.levels)
            && any_in(&self.round, &q.rounds)
    }
}
