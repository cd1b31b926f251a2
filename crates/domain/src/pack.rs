use serde::{Deserialize, Serialize};

use crate::{Filter, Question};

/// The role a pack prepares for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    /// Machine id, e.g. `infrastructure-engineer`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the role is, in a paragraph.
    pub summary: String,
}

/// A seniority level and what it is expected to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// Id used by questions (`entry`, `mid`, …).
    pub id: String,
    /// Ladder code, e.g. `L5`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Typical experience, e.g. `5–8 years`.
    #[serde(default)]
    pub experience: String,
    /// What interviewers expect at this level.
    pub expectations: Vec<String>,
}

/// One round of the interview loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// Id used by questions.
    pub id: String,
    /// Display name.
    pub name: String,
    /// How it is run (phone, video, whiteboard…).
    pub format: String,
    /// Time budget.
    pub minutes: u32,
    /// What the round is about.
    pub focus: String,
    /// Signals the interviewers evaluate.
    pub signals: Vec<String>,
    /// How many questions a simulated loop asks in this round.
    pub questions: u32,
}

/// A topic of the question bank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Id used by questions.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it covers.
    pub description: String,
}

/// A money range: `[min, max]`, or `[min]` meaning "min and up".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range(pub Vec<u32>);

impl Range {
    /// Formats as `120K–134K` or `350K+`.
    pub fn display_k(&self) -> String {
        let k = |v: u32| format!("{}K", v / 1000);
        match self.0.as_slice() {
            [] => "—".to_owned(),
            [min] => format!("{}+", k(*min)),
            [min, max, ..] if min == max => k(*min),
            [min, max, ..] => format!("{}–{}", k(*min), k(*max)),
        }
    }
}

/// Pay for one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompBand {
    /// Level id.
    pub level: String,
    /// Base salary.
    pub base: Range,
    /// Equity per year.
    pub equity: Range,
    /// Sign-on bonus.
    pub sign_on: Range,
    /// Total compensation.
    pub total: Range,
}

/// Compensation reference for the role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compensation {
    /// ISO currency code.
    pub currency: String,
    /// Year the figures describe.
    pub year: u32,
    /// Where the figures come from.
    pub source: String,
    /// Caveats for reading the table.
    #[serde(default)]
    pub note: String,
    /// One band per level.
    pub bands: Vec<CompBand>,
}

/// One week of the prep-plan template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanWeek {
    /// Week number, from 1.
    pub week: u32,
    /// Short name ("Fundamentals").
    pub name: String,
    /// What the week is for.
    pub focus: String,
    /// Topic ids to emphasise.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Difficulties to practise.
    #[serde(default)]
    pub difficulties: Vec<String>,
    /// Daily tasks.
    pub daily: Vec<String>,
    /// Milestones for the week (a full mock loop, a written design…).
    #[serde(default)]
    pub milestones: Vec<String>,
}

/// The prep-plan template the planner personalises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepPlan {
    /// Weeks, in order.
    pub weeks: Vec<PlanWeek>,
}

/// A loaded, validated content pack for one role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    /// The role.
    pub role: Role,
    /// Seniority levels, junior first.
    pub levels: Vec<Level>,
    /// Rounds of the loop, in order.
    pub rounds: Vec<Round>,
    /// Topics.
    pub topics: Vec<Topic>,
    /// Compensation reference.
    pub compensation: Compensation,
    /// Prep-plan template.
    pub prep_plan: PrepPlan,
    /// The question bank, sorted by id.
    pub questions: Vec<Question>,
    /// Common mistakes page, Markdown.
    pub mistakes: String,
    /// FAQ page, Markdown.
    pub faq: String,
}

impl Pack {
    /// Looks a question up by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Questions passing `filter`, in pack order.
    pub fn filter<'a>(&'a self, filter: &Filter) -> Vec<&'a Question> {
        self.questions.iter().filter(|q| filter.matches(q)).collect()
    }

    /// Looks a topic up by id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// Looks a level up by id.
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }

    /// Looks a round up by id.
    pub fn round(&self, id: &str) -> Option<&Round> {
        self.rounds.iter().find(|r| r.id == id)
    }

    /// Ids of questions whose ids are similar to `id`, to suggest on a typo.
    pub fn similar_ids(&self, id: &str) -> Vec<&str> {
        let needle: Vec<&str> = id.split('-').filter(|p| p.len() > 2).collect();
        let mut hits: Vec<(usize, &str)> = self
            .questions
            .iter()
            .map(|q| (needle.iter().filter(|p| q.id.contains(*p)).count(), q.id.as_str()))
            .filter(|(n, _)| *n > 0)
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        hits.into_iter().take(3).map(|(_, id)| id).collect()
    }
}
