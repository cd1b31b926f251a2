//! What a user does with a pack, as stored: sessions, attempts, per-topic ability, flashcard
//! schedules, reviews and loop reports, and the export document that carries all of them.
//!
//! These are plain values. Storage backends map them to rows; the coaching logic
//! (`mockloop-practice`) computes them; the CLI and the web app show them. Ids are UUIDv7 so they
//! sort by creation time and can be made on any machine without a round trip to the database,
//! which lets an export from one install be imported into another without clashes.

use chrono::{DateTime, Utc};
use mockloop_grading::Assessment;
use serde::{Deserialize, Serialize};

macro_rules! new_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            #[allow(clippy::new_without_default)] // a default id would be a fixed value: misleading
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            /// Parses the hyphenated form; also accepts a unique prefix check by the caller.
            pub fn parse(s: &str) -> Option<Self> {
                uuid::Uuid::parse_str(s).ok().map(Self)
            }

            /// The last eight hex digits (the random part of a UUIDv7; the leading digits are a
            /// timestamp and repeat for items made in the same minutes): enough to tell a user's
            /// items apart on screen.
            pub fn short(&self) -> String {
                self.0.simple().to_string()[24..].to_owned()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

new_id!(
    /// A user of an install (the single local user, or a team member).
    UserId
);
new_id!(
    /// A practice session, loop or review session.
    SessionId
);
new_id!(
    /// One answered (or skipped) question.
    AttemptId
);
new_id!(
    /// A saved loop debrief.
    ReportId
);

/// A person using mockloop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login or display name; unique per install.
    pub name: String,
    /// When the user was created.
    pub created_at: DateTime<Utc>,
}

/// What kind of sitting a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    /// Adaptive practice (`mockloop practice`).
    Practice,
    /// A simulated interview loop (`mockloop loop`).
    Loop,
    /// Flashcard review (`mockloop review`).
    Review,
}

impl SessionKind {
    /// The stored/displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Practice => "practice",
            SessionKind::Loop => "loop",
            SessionKind::Review => "review",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [SessionKind::Practice, SessionKind::Loop, SessionKind::Review].into_iter().find(|k| k.as_str() == s)
    }
}

/// One sitting: a practice session, a loop or a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Id.
    pub id: SessionId,
    /// Owner.
    pub user: UserId,
    /// Kind.
    pub kind: SessionKind,
    /// Level the session targets (`senior`…), when it has one.
    pub level: Option<String>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended normally; `None` while running or when it was interrupted.
    pub finished_at: Option<DateTime<Utc>>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The user answered and it was graded.
    Answered,
    /// The user skipped the question.
    Skipped,
    /// The user asked to see the model answer instead of answering.
    Revealed,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Skipped => "skipped",
            Outcome::Revealed => "revealed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Answered, Outcome::Skipped, Outcome::Revealed].into_iter().find(|k| k.as_str() == s)
    }
}

/// One question put to the user and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Id.
    pub id: AttemptId,
    /// Owner.
    pub user: UserId,
    /// The session it belongs to, if any (`grade` on its own has none).
    pub session: Option<SessionId>,
    /// Pack question id.
    pub question: String,
    /// Round it was asked in (loops), if any.
    pub round: Option<String>,
    /// For a follow-up probe: the attempt it followed.
    pub follow_up_of: Option<AttemptId>,
    /// What was asked (the question's prompt, or the follow-up's text).
    pub prompt: String,
    /// The answer as typed (empty when skipped).
    pub answer: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Score 0–5 (0 for skipped or revealed).
    pub score: f32,
    /// The grader's full assessment, when answered.
    pub assessment: Option<Assessment>,
    /// Hints shown before answering.
    pub hints: u32,
    /// When the question was shown.
    pub started_at: DateTime<Utc>,
    /// Time from showing the question to submitting, in milliseconds.
    pub duration_ms: u64,
}

/// The estimated ability of a user on one topic (Elo-style rating; see `mockloop-practice`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ability {
    /// Topic id.
    pub topic: String,
    /// Rating on the practice scale.
    pub rating: f64,
    /// Graded answers that went into it.
    pub answers: u32,
    /// Last update.
    pub updated_at: DateTime<Utc>,
}

/// Where a flashcard stands in its learning cycle (FSRS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CardPhase {
    /// Never reviewed.
    New,
    /// In its first short steps.
    Learning,
    /// Graduated; long intervals.
    Review,
    /// Forgotten and being relearned.
    Relearning,
}

impl CardPhase {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CardPhase::New => "new",
            CardPhase::Learning => "learning",
            CardPhase::Review => "review",
            CardPhase::Relearning => "relearning",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [CardPhase::New, CardPhase::Learning, CardPhase::Review, CardPhase::Relearning]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The FSRS memory state of one flashcard (one per question the user has met).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Question id the card is made from.
    pub question: String,
    /// When it is next due.
    pub due: DateTime<Utc>,
    /// FSRS stability (days until retrievability falls to 90%).
    pub stability: f64,
    /// FSRS difficulty (1–10).
    pub difficulty: f64,
    /// Days between the last two reviews.
    pub elapsed_days: i64,
    /// Interval scheduled at the last review, in days.
    pub scheduled_days: i64,
    /// Reviews so far.
    pub reps: i32,
    /// Times forgotten.
    pub lapses: i32,
    /// Phase.
    pub phase: CardPhase,
    /// Last review, if any.
    pub last_review: Option<DateTime<Utc>>,
}

/// A flashcard rating, as in Anki.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// Forgot.
    Again,
    /// Recalled with serious effort.
    Hard,
    /// Recalled.
    Good,
    /// Recalled at once.
    Easy,
}

impl Rating {
    /// All ratings, worst first.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }

    /// Parses the stored name, a digit 1–4, or the initial letter.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "1" | "a" => Some(Rating::Again),
            "2" | "h" => Some(Rating::Hard),
            "3" | "g" => Some(Rating::Good),
            "4" | "e" => Some(Rating::Easy),
            _ => Self::ALL.into_iter().find(|r| r.as_str() == s),
        }
    }
}

/// Why a card was rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewSource {
    /// The user rated it in `review`.
    Flashcard,
    /// A graded practice answer, converted to a rating.
    Practice,
}

impl ReviewSource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSource::Flashcard => "flashcard",
            ReviewSource::Practice => "practice",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [ReviewSource::Flashcard, ReviewSource::Practice].into_iter().find(|k| k.as_str() == s)
    }
}

/// One rating of one card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Question id of the card.
    pub question: String,
    /// The rating.
    pub rating: Rating,
    /// Where it came from.
    pub source: ReviewSource,
    /// When.
    pub reviewed_at: DateTime<Utc>,
}

/// A saved loop debrief. The body is kept as JSON so that older reports stay readable when the
/// debrief grows new fields; `verdict` and `score` are copied out for listings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoopReport {
    /// Id.
    pub id: ReportId,
    /// Owner.
    pub user: UserId,
    /// The loop session it closes.
    pub session: SessionId,
    /// Level the loop was calibrated against.
    pub level: String,
    /// Verdict id (`strong-hire`, `hire`, `lean-no-hire`, `no-hire`).
    pub verdict: String,
    /// Overall score 0–5.
    pub score: f32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The whole debrief.
    pub body: serde_json::Value,
}

/// Everything one user has, as one document (`mockloop export` / `import`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserData {
    /// Always [`UserData::FORMAT`]; lets import refuse unrelated JSON.
    pub format: String,
    /// Document version; import refuses versions it does not know.
    pub version: u32,
    /// When it was exported.
    pub exported_at: DateTime<Utc>,
    /// Name of the exporting user (informational: import attaches data to the importing user).
    pub user: String,
    /// Sessions.
    pub sessions: Vec<Session>,
    /// Attempts.
    pub attempts: Vec<Attempt>,
    /// Per-topic abilities.
    pub abilities: Vec<Ability>,
    /// Flashcards.
    pub cards: Vec<Card>,
    /// Card reviews.
    pub reviews: Vec<Review>,
    /// Loop reports.
    pub reports: Vec<LoopReport>,
}

impl UserData {
    /// The `format` marker.
    pub const FORMAT: &'static str = "mockloop-user-data";
    /// The version this build writes and reads.
    pub const VERSION: u32 = 1;
}
