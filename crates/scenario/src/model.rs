//! A validated scenario: the simulated system, what it answers, and how it is judged.

use std::collections::BTreeMap;

use mockloop_domain::Difficulty;
use mockloop_grading::{Category, KeyPoint, Misconception, Rubric};

use crate::pattern::Pattern;

/// One troubleshooting scenario from `scenarios/<id>.toml`.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Unique id, equal to the file name without `.toml`.
    pub id: String,
    /// One-line title for lists.
    pub title: String,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Topic ids from `pack.toml`.
    pub topics: Vec<String>,
    /// Round ids from `pack.toml` (normally `troubleshooting`).
    pub rounds: Vec<String>,
    /// The time budget.
    pub time_minutes: u32,
    /// What the candidate is told at the start, as an on-call page or a colleague would say it.
    pub symptom: String,
    /// Progressive hints, mildest first.
    pub hints: Vec<String>,
    /// Every state the system can be in.
    pub states: Vec<State>,
    /// The state a run starts in.
    pub initial_state: String,
    /// Facts an investigation can uncover.
    pub clues: Vec<Clue>,
    /// Read-only commands and what they print.
    pub commands: Vec<Command>,
    /// Commands that change the system.
    pub actions: Vec<Action>,
    /// What actually went wrong, graded against the candidate's explanation.
    pub root_cause: RootCause,
    /// The remediation that ends the incident, shown in the debrief.
    pub fix: String,
}

/// A state of the simulated system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Id, unique within the scenario.
    pub id: String,
    /// What is true in this state (for authors and the debrief).
    pub description: String,
    /// Reaching this state resolves the incident.
    pub solved: bool,
}

/// A fact about the fault that a command reveals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clue {
    /// Id, unique within the scenario.
    pub id: String,
    /// What the candidate learns, in one line.
    pub text: String,
}

/// Whether a command's output bears on the fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Reads the system's state: counts as investigation.
    Evidence,
    /// Harmless but says nothing about the fault (`whoami`, `ls`).
    Info,
}

/// A read-only command.
#[derive(Debug, Clone)]
pub struct Command {
    /// Any of these matches; the first command (in file order) whose pattern matches wins.
    pub patterns: Vec<Pattern>,
    /// Evidence or info.
    pub kind: Kind,
    /// The clue its output reveals while the incident is unresolved.
    pub clue: Option<String>,
    /// Output in states without their own entry in `outputs`.
    pub output: Option<String>,
    /// Output per state id.
    pub outputs: BTreeMap<String, String>,
}

/// A command that changes (or tries to change) the system.
#[derive(Debug, Clone)]
pub struct Action {
    /// Any of these matches.
    pub patterns: Vec<Pattern>,
    /// States it applies in; empty means every state.
    pub from: Vec<String>,
    /// The state it leads to from those states; `None` keeps the state (a futile action).
    pub to: Option<String>,
    /// Why it is dangerous, when it is.
    pub risky: Option<String>,
    /// Output in states without their own entry in `outputs`.
    pub output: Option<String>,
    /// Output per state id (the state the action was typed in).
    pub outputs: BTreeMap<String, String>,
}

/// The root cause the candidate must explain.
#[derive(Debug, Clone)]
pub struct RootCause {
    /// The question the explanation answers.
    pub prompt: String,
    /// The reference explanation.
    pub summary: String,
    /// What a complete explanation says.
    pub key_points: Vec<KeyPoint>,
    /// Wrong explanations candidates give.
    pub misconceptions: Vec<Misconception>,
}

impl Scenario {
    /// The rubric the written root-cause explanation is graded against.
    pub fn rubric(&self) -> Rubric {
        Rubric {
            prompt: self.root_cause.prompt.clone(),
            category: Some(Category::Situational),
            key_points: self.root_cause.key_points.clone(),
            follow_ups: Vec::new(),
            misconceptions: self.root_cause.misconceptions.clone(),
            reference: format!("{}\n\n{}", self.root_cause.summary, self.fix),
            time_minutes: Some(5),
        }
    }

    /// The state with this id.
    pub fn state(&self, id: &str) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    /// The clue with this id.
    pub fn clue(&self, id: &str) -> Option<&Clue> {
        self.clues.iter().find(|c| c.id == id)
    }

    /// The tools a candidate can use here (first words of every pattern), sorted, for `help`.
    pub fn tools(&self) -> Vec<&str> {
        let mut tools: Vec<&str> = self
            .commands
            .iter()
            .flat_map(|c| &c.patterns)
            .chain(self.actions.iter().flat_map(|a| &a.patterns))
            .filter_map(Pattern::tool)
            .collect();
        tools.sort_unstable();
        tools.dedup();
        tools
    }
}

impl Command {
    /// What the command prints in `state`.
    pub fn output_in(&self, state: &str) -> Option<&str> {
        self.outputs.get(state).or(self.output.as_ref()).map(String::as_str)
    }
}

impl Action {
    /// Whether it changes state when typed in `state`.
    pub fn applies_in(&self, state: &str) -> bool {
        self.from.is_empty() || self.from.iter().any(|f| f == state)
    }

    /// What the action prints when typed in `state`.
    pub fn output_in(&self, state: &str) -> &str {
        self.outputs.get(state).or(self.output.as_ref()).map_or("", String::as_str)
    }
}
