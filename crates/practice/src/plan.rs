//! A personal prep plan: the pack's template (fundamentals → patterns → systems → mocks)
//! stretched or compressed to the days available, weighted toward the user's weak topics, with
//! concrete daily items, as Markdown and as an iCalendar file.
//!
//! **Shape.** The last template phase (mocks) gets its proportional share of the days and at
//! least one; the other phases share the rest in proportion. With an interview date, the last
//! day before it is a rest day (when there are five days or more) and the day before that is a
//! mock loop; the mock phase alternates loops with practice. From the second phase on, Saturdays
//! are loop days too.
//!
//! **Weighting.** Each phase practises its template topics plus the user's weak topics (rating
//! below the level's start, or a recent mean score under 2.5). Topics take turns by smooth
//! weighted round-robin, a weak topic weighing up to three times a normal one, so weak topics
//! come back more often without crowding out the rest.
//!
//! **Budget.** Every day fits in `hours_per_day`: flashcards first (a quarter of the day, at most
//! 15 minutes, two cards a minute), then questions (their suggested time plus five minutes to
//! read the model answer) or as many loop rounds as fit.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use mockloop_domain::{Ability, Attempt, Difficulty, Outcome, Pack, PlanWeek, Question};
use serde::{Deserialize, Serialize};

use crate::ability::start_rating;
use crate::hash;

/// How long the plan runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// This many weeks from the start date.
    Weeks(u32),
    /// Every day from the start date up to (not including) the interview date.
    Until(NaiveDate),
}

/// What the planner needs.
#[derive(Debug, Clone)]
pub struct PlanRequest<'a> {
    /// The pack (template, topics, questions, rounds).
    pub pack: &'a Pack,
    /// Target level.
    pub level: &'a str,
    /// First day of the plan.
    pub start: NaiveDate,
    /// How long it runs.
    pub span: Span,
    /// Daily time budget, in hours (clamped to 0.5–12).
    pub hours_per_day: f32,
    /// The user's abilities.
    pub abilities: &'a [Ability],
    /// Past attempts (recent scores mark weak topics; answered questions come later in the plan).
    pub history: &'a [Attempt],
    /// Seed for the order of equally good questions.
    pub seed: u64,
}

/// What an item asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// Answer specific questions (`mockloop practice`).
    Practise,
    /// Review flashcards (`mockloop review`).
    Flashcards,
    /// Run a full loop or some of its rounds (`mockloop loop`).
    MockLoop,
    /// A milestone from the template for the phase.
    Milestone,
    /// Rest.
    Rest,
}

/// One thing to do on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// Kind.
    pub kind: ItemKind,
    /// What to do, in a sentence.
    pub text: String,
    /// Minutes it should take (0 for milestones, which span the phase).
    pub minutes: u32,
    /// Topic practised, for `Practise`.
    pub topic: Option<String>,
    /// Question ids, for `Practise`.
    pub questions: Vec<String>,
    /// Cards to review, for `Flashcards`.
    pub cards: u32,
    /// Round ids, for `MockLoop`.
    pub rounds: Vec<String>,
}

/// One day of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDay {
    /// Date.
    pub date: NaiveDate,
    /// Name of the phase it belongs to.
    pub phase: String,
    /// Things to do.
    pub items: Vec<PlanItem>,
    /// Total minutes (never more than the daily budget).
    pub minutes: u32,
}

/// One phase: a template week stretched or compressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// Name ("Fundamentals").
    pub name: String,
    /// What it is for.
    pub focus: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Topics practised (template topics, then weak topics added).
    pub topics: Vec<String>,
    /// The template's daily routine, as guidance.
    pub guidance: Vec<String>,
    /// Milestones.
    pub milestones: Vec<String>,
}

/// A personal prep plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Target level.
    pub level: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Interview date, when planning toward one.
    pub interview: Option<NaiveDate>,
    /// Daily budget, hours.
    pub hours_per_day: f32,
    /// Weak topics (ids), weakest first.
    pub weak_topics: Vec<String>,
    /// Phases in order.
    pub phases: Vec<Phase>,
    /// Every day in order.
    pub days: Vec<PlanDay>,
}

/// The template used when a pack has none.
fn default_template() -> Vec<PlanWeek> {
    let week = |n: u32, name: &str, focus: &str, d: &[&str]| PlanWeek {
        week: n,
        name: name.to_owned(),
        focus: focus.to_owned(),
        topics: vec![],
        difficulties: d.iter().map(|s| (*s).to_owned()).collect(),
        daily: vec![],
        milestones: vec![],
    };
    vec![
        week(1, "Fundamentals", "Core concepts.", &["easy", "medium"]),
        week(2, "Patterns", "Common patterns and harder questions.", &["medium", "hard"]),
        week(3, "Systems", "Design under time pressure.", &["medium", "hard"]),
        week(4, "Mocks and polish", "Full mock loops and weak areas.", &["medium", "hard"]),
    ]
}

/// Builds the plan.
pub fn make_plan(req: &PlanRequest<'_>) -> Plan {
    let (days_n, interview) = match req.span {
        Span::Weeks(w) => (w.clamp(1, 52) * 7, None),
        Span::Until(date) => ((date - req.start).num_days().clamp(1, 365) as u32, Some(date)),
    };
    let hours = if req.hours_per_day.is_finite() { req.hours_per_day.clamp(0.5, 12.0) } else { 1.0 };
    let budget = (hours * 60.0).round() as u32;
    let template = if req.pack.prep_plan.weeks.is_empty() {
        default_template()
    } else {
        req.pack.prep_plan.weeks.clone()
    };
    let weights = topic_weights(req);
    let mut weak_topics: Vec<(&String, f64)> =
        weights.iter().filter(|(_, w)| **w > 1.0).map(|(t, w)| (t, *w)).collect();
    weak_topics.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let weak_topics: Vec<String> = weak_topics.into_iter().take(5).map(|(t, _)| t.clone()).collect();

    // Phase boundaries: the mock phase first gets its share, the others split the rest.
    let rest_day = interview.is_some() && days_n >= 5;
    let t = template.len() as u32;
    // With a rest day the mock phase needs two days: a loop, then the rest.
    let last_len = ((days_n + t / 2) / t).max(if rest_day { 2 } else { 1 }).min(days_n);
    let rest = days_n - last_len;
    let mut bounds: Vec<(u32, u32)> =
        (0..t - 1).map(|i| (rest * i / (t - 1), rest * (i + 1) / (t - 1))).collect();
    bounds.push((rest, days_n));

    let mut planner = Planner { req, budget, used: HashSet::new(), answered: answered(req), loop_turn: 0 };
    let mut phases = vec![];
    let mut days = vec![];
    for (i, (week, (from, to))) in template.iter().zip(bounds).enumerate() {
        if from == to {
            continue;
        }
        let is_last = i + 1 == template.len();
        let mut topics: Vec<String> = week.topics.clone();
        if topics.is_empty() {
            topics = req.pack.topics.iter().map(|t| t.id.clone()).collect();
        }
        for w in &weak_topics {
            if !topics.contains(w) {
                topics.push(w.clone());
            }
        }
        let difficulties: Vec<Difficulty> =
            week.difficulties.iter().filter_map(|d| Difficulty::parse(d)).collect();
        let mut rotation = Rotation::new(
            topics.iter().map(|t| (t.clone(), weights.get(t).copied().unwrap_or(1.0))).collect(),
        );
        let start = req.start + Duration::days(i64::from(from));
        let end = req.start + Duration::days(i64::from(to) - 1);
        for d in from..to {
            let date = req.start + Duration::days(i64::from(d));
            let from_end = days_n - 1 - d; // 0 on the last day
            let loop_offset = if rest_day { 1 } else { 0 };
            let mut items = if rest_day && from_end == 0 {
                vec![PlanItem::new(
                    ItemKind::Rest,
                    "Rest: sleep well, skim your notes, no new material.".into(),
                    0,
                )]
            } else if (is_last && from_end >= loop_offset && (from_end - loop_offset) % 2 == 0)
                || (i > 0 && date.weekday() == Weekday::Sat)
            {
                planner.loop_day()
            } else {
                planner.practice_day(&mut rotation, &difficulties)
            };
            if d + 1 == to {
                items.extend(
                    week.milestones
                        .iter()
                        .map(|m| PlanItem::new(ItemKind::Milestone, format!("Milestone: {m}"), 0)),
                );
            }
            let minutes = items.iter().map(|i| i.minutes).sum();
            days.push(PlanDay { date, phase: week.name.clone(), items, minutes });
        }
        phases.push(Phase {
            name: week.name.clone(),
            focus: week.focus.clone(),
            start,
            end,
            topics,
            guidance: week.daily.clone(),
            milestones: week.milestones.clone(),
        });
    }
    Plan {
        level: req.level.to_owned(),
        start: req.start,
        end: req.start + Duration::days(i64::from(days_n) - 1),
        interview,
        hours_per_day: hours,
        weak_topics,
        phases,
        days,
    }
}

/// Weight per topic: 1, plus up to 1 for a rating below the level's start, plus 1 for a recent
/// mean score under 2.5.
fn topic_weights(req: &PlanRequest<'_>) -> HashMap<String, f64> {
    let start = start_rating(&req.pack.levels, req.level);
    let mut recent: HashMap<&str, Vec<f32>> = HashMap::new();
    let mut history: Vec<&Attempt> = req.history.iter().filter(|a| a.outcome == Outcome::Answered).collect();
    history.sort_by_key(|a| std::cmp::Reverse(a.started_at));
    for a in history {
        if let Some(q) = req.pack.question(&a.question) {
            for t in &q.topics {
                let v = recent.entry(t.as_str()).or_default();
                if v.len() < 5 {
                    v.push(a.score);
                }
            }
        }
    }
    req.pack
        .topics
        .iter()
        .map(|t| {
            let mut w = 1.0;
            if let Some(a) = req.abilities.iter().find(|a| a.topic == t.id && a.answers > 0) {
                w += ((start - a.rating) / 1.5).clamp(0.0, 1.0);
            }
            if let Some(s) = recent.get(t.id.as_str()) {
                if s.iter().sum::<f32>() / (s.len() as f32) < 2.5 {
                    w += 1.0;
                }
            }
            (t.id.clone(), w)
        })
        .collect()
}

fn answered(req: &PlanRequest<'_>) -> HashSet<String> {
    req.history.iter().filter(|a| a.outcome == Outcome::Answered).map(|a| a.question.clone()).collect()
}

/// Smooth weighted round-robin: deterministic, and each topic's share is proportional to its
/// weight with the turns spread out evenly.
struct Rotation {
    topics: Vec<(String, f64, f64)>,
}

impl Rotation {
    fn new(topics: Vec<(String, f64)>) -> Self {
        Rotation { topics: topics.into_iter().map(|(t, w)| (t, w, 0.0)).collect() }
    }

    fn next(&mut self) -> Option<String> {
        let total: f64 = self.topics.iter().map(|t| t.1).sum();
        for t in &mut self.topics {
            t.2 += t.1;
        }
        let best = self.topics.iter_mut().max_by(|a, b| a.2.total_cmp(&b.2).then_with(|| b.0.cmp(&a.0)))?;
        best.2 -= total;
        Some(best.0.clone())
    }
}

/// Candidate order: placed already, off-phase difficulty, off-level, answered before, then a
/// seeded hash (`false` sorts first).
type SortKey = (bool, bool, bool, bool, u64);

struct Planner<'r, 'a> {
    req: &'r PlanRequest<'a>,
    budget: u32,
    /// Questions already placed in the plan.
    used: HashSet<String>,
    /// Questions the user has answered before.
    answered: HashSet<String>,
    /// Which round the next partial loop starts from.
    loop_turn: usize,
}

impl PlanItem {
    fn new(kind: ItemKind, text: String, minutes: u32) -> Self {
        PlanItem { kind, text, minutes, topic: None, questions: vec![], cards: 0, rounds: vec![] }
    }
}

impl<'a> Planner<'_, 'a> {
    fn flashcards(&self) -> PlanItem {
        let minutes = (self.budget / 4).clamp(5, 15).min(self.budget);
        let mut item = PlanItem::new(
            ItemKind::Flashcards,
            format!("Review up to {} due flashcards.", minutes * 2),
            minutes,
        );
        item.cards = minutes * 2;
        item
    }

    fn practice_day(&mut self, rotation: &mut Rotation, difficulties: &[Difficulty]) -> Vec<PlanItem> {
        let cards = self.flashcards();
        let mut left = self.budget - cards.minutes;
        let mut items = vec![];
        let topics_today = if self.budget >= 90 { 2 } else { 1 };
        for n in 0..topics_today {
            let Some(topic) = rotation.next() else { break };
            let share = if n + 1 == topics_today { left } else { left / 2 };
            let mut chosen: Vec<&'a Question> = vec![];
            let mut spent = 0;
            for q in self.candidates(&topic, difficulties) {
                let cost = q.time_minutes + 5;
                if spent + cost > share && !(chosen.is_empty() && items.is_empty() && cost <= left) {
                    break;
                }
                spent += cost;
                chosen.push(q);
                if chosen.len() == 4 {
                    break;
                }
            }
            if chosen.is_empty() {
                continue;
            }
            left -= spent;
            for q in &chosen {
                self.used.insert(q.id.clone());
            }
            let name = self.req.pack.topic(&topic).map_or(topic.as_str(), |t| t.name.as_str());
            let ids: Vec<String> = chosen.iter().map(|q| q.id.clone()).collect();
            let mut item = PlanItem::new(
                ItemKind::Practise,
                format!(
                    "Practise {name}: {}",
                    ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
                ),
                spent,
            );
            item.topic = Some(topic);
            item.questions = ids;
            items.push(item);
        }
        items.push(cards);
        items
    }

    /// Questions on `topic`, best first: not yet in the plan, of the phase's difficulties, suited
    /// to the level, not answered before; seeded order among equals.
    fn candidates(&self, topic: &str, difficulties: &[Difficulty]) -> Vec<&'a Question> {
        let level = self.req.level;
        let pack: &'a Pack = self.req.pack;
        let mut qs: Vec<(&'a Question, SortKey)> = pack
            .questions
            .iter()
            .filter(|q| q.has_topic(topic))
            .map(|q| {
                let key = (
                    self.used.contains(&q.id),
                    !(difficulties.is_empty() || difficulties.contains(&q.difficulty)),
                    !q.levels.iter().any(|l| l == level),
                    self.answered.contains(&q.id),
                    hash::hash64(&[q.id.as_bytes()], self.req.seed),
                );
                (q, key)
            })
            .collect();
        qs.sort_by_key(|(_, k)| *k);
        qs.into_iter().map(|(q, _)| q).collect()
    }

    fn loop_day(&mut self) -> Vec<PlanItem> {
        let cards = self.flashcards();
        let rounds = &self.req.pack.rounds;
        let full: u32 = rounds.iter().map(|r| r.minutes).sum();
        let left = self.budget - cards.minutes;
        let level = self.req.level;
        let item = if !rounds.is_empty() && full <= left {
            let mut item = PlanItem::new(
                ItemKind::MockLoop,
                format!("Run a full mock loop: `mockloop loop --level {level}`; drill the weakest signal in its debrief."),
                full,
            );
            item.rounds = rounds.iter().map(|r| r.id.clone()).collect();
            item
        } else {
            // As many consecutive rounds as fit, continuing where the last loop day stopped.
            let mut picked = vec![];
            let mut spent = 0;
            for k in 0..rounds.len() {
                let r = &rounds[(self.loop_turn + k) % rounds.len()];
                if spent + r.minutes > left {
                    break;
                }
                spent += r.minutes;
                picked.push(r);
            }
            self.loop_turn = (self.loop_turn + picked.len().max(1)) % rounds.len().max(1);
            if picked.is_empty() {
                let mut item = PlanItem::new(
                    ItemKind::MockLoop,
                    format!("Answer one question under loop conditions: `mockloop loop --level {level}` for as long as you have."),
                    left,
                );
                item.rounds = rounds.iter().take(1).map(|r| r.id.clone()).collect();
                item
            } else {
                let names: Vec<&str> = picked.iter().map(|r| r.name.as_str()).collect();
                let mut item = PlanItem::new(
                    ItemKind::MockLoop,
                    format!(
                        "Mock loop rounds under time: {} (`mockloop loop --level {level}`).",
                        names.join(", ")
                    ),
                    spent,
                );
                item.rounds = picked.iter().map(|r| r.id.clone()).collect();
                item
            }
        };
        vec![item, cards]
    }
}

impl Plan {
    /// The plan as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut md = format!("# Prep plan: {} level\n\n", self.level);
        md.push_str(&format!(
            "{} to {}{}, {:.1} hours a day.\n",
            self.start,
            self.end,
            self.interview.map_or(String::new(), |d| format!(" (interview on {d})")),
            self.hours_per_day
        ));
        if !self.weak_topics.is_empty() {
            md.push_str(&format!("Weighted toward your weak topics: {}.\n", self.weak_topics.join(", ")));
        }
        for phase in &self.phases {
            md.push_str(&format!(
                "\n## {} ({} to {})\n\n{}\n",
                phase.name, phase.start, phase.end, phase.focus
            ));
            if !phase.guidance.is_empty() {
                md.push_str("\nEvery day:\n");
                for g in &phase.guidance {
                    md.push_str(&format!("- {g}\n"));
                }
            }
            md.push('\n');
            for day in self.days.iter().filter(|d| d.date >= phase.start && d.date <= phase.end) {
                md.push_str(&format!("### {} {} ({} min)\n\n", day.date.weekday(), day.date, day.minutes));
                for item in &day.items {
                    if item.minutes > 0 {
                        md.push_str(&format!("- [ ] {} ({} min)\n", item.text, item.minutes));
                    } else {
                        md.push_str(&format!("- [ ] {}\n", item.text));
                    }
                }
                md.push('\n');
            }
        }
        md
    }

    /// The plan as an iCalendar file (RFC 5545): one all-day event per day, plus the interview.
    /// CRLF line endings, lines folded at 75 octets, text escaped.
    pub fn to_ics(&self, now: DateTime<Utc>) -> String {
        let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
        let plan_id = hash::hash64(&[self.level.as_bytes(), self.start.to_string().as_bytes()], 0);
        let mut lines: Vec<String> = vec![
            "BEGIN:VCALENDAR".into(),
            "VERSION:2.0".into(),
            "PRODID:-//mockloop//prep plan//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            "METHOD:PUBLISH".into(),
            format!("X-WR-CALNAME:{}", ics_escape(&format!("mockloop prep plan ({})", self.level))),
        ];
        let mut event = |date: NaiveDate, summary: String, description: String| {
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}-{plan_id:016x}@mockloop", date.format("%Y%m%d")));
            lines.push(format!("DTSTAMP:{stamp}"));
            lines.push(format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")));
            lines.push(format!("DTEND;VALUE=DATE:{}", (date + Duration::days(1)).format("%Y%m%d")));
            lines.push(format!("SUMMARY:{}", ics_escape(&summary)));
            if !description.is_empty() {
                lines.push(format!("DESCRIPTION:{}", ics_escape(&description)));
            }
            lines.push("TRANSP:TRANSPARENT".into());
            lines.push("END:VEVENT".into());
        };
        for day in &self.days {
            event(
                day.date,
                day.summary(),
                day.items.iter().map(|i| format!("- {}", i.text)).collect::<Vec<_>>().join("\n"),
            );
        }
        if let Some(date) = self.interview {
            event(date, "Interview day: good luck".into(), String::new());
        }
        lines.push("END:VCALENDAR".into());
        lines.iter().map(|l| fold(l)).collect()
    }
}

impl PlanDay {
    /// A one-line title for the day ("mockloop: Fundamentals, 3 questions, 30 cards").
    pub fn summary(&self) -> String {
        if self.items.iter().any(|i| i.kind == ItemKind::Rest) {
            return "mockloop: rest day".into();
        }
        if self.items.iter().any(|i| i.kind == ItemKind::MockLoop) {
            return format!("mockloop: mock loop ({} min)", self.minutes);
        }
        let questions: usize = self.items.iter().map(|i| i.questions.len()).sum();
        let cards: u32 = self.items.iter().map(|i| i.cards).sum();
        format!("mockloop: {}, {questions} questions, {cards} cards", self.phase)
    }
}

/// Escapes TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character, and ends
/// every physical line with CRLF. Continuation lines start with one space, which counts toward
/// their 75 octets.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ability::tests::t0;
    use crate::select::tests::{attempt, pack};
    use proptest::prelude::*;

    fn template_pack() -> Pack {
        let mut p = pack();
        let week = |n: u32, name: &str, topics: &[&str], d: &[&str]| PlanWeek {
            week: n,
            name: name.into(),
            focus: format!("{name} focus."),
            topics: topics.iter().map(|s| (*s).to_owned()).collect(),
            difficulties: d.iter().map(|s| (*s).to_owned()).collect(),
            daily: vec!["Answer questions out loud.".into()],
            milestones: vec![format!("{name} milestone")],
        };
        p.prep_plan.weeks = vec![
            week(1, "Fundamentals", &["networking", "kubernetes"], &["easy", "medium"]),
            week(2, "Patterns", &["networking", "kubernetes"], &["medium", "hard"]),
            week(3, "Systems", &["kubernetes"], &["medium", "hard"]),
            week(4, "Mocks", &["networking"], &["medium", "hard"]),
        ];
        p.rounds = ["screen", "design", "troubleshooting", "behavioral"]
            .iter()
            .map(|id| mockloop_domain::Round {
                id: (*id).into(),
                name: format!("{id} round"),
                format: String::new(),
                minutes: 45,
                focus: String::new(),
                signals: vec![],
                questions: 2,
            })
            .collect();
        p
    }

    fn start() -> NaiveDate {
        t0().date_naive() // a Monday
    }

    fn request<'a>(pack: &'a Pack, span: Span, hours: f32) -> PlanRequest<'a> {
        PlanRequest {
            pack,
            level: "senior",
            start: start(),
            span,
            hours_per_day: hours,
            abilities: &[],
            history: &[],
            seed: 1,
        }
    }

    #[test]
    fn the_plan_covers_every_day_of_the_span() {
        let p = template_pack();
        let cases =
            [(Span::Weeks(3), 21), (Span::Weeks(1), 7), (Span::Until(start() + Duration::days(10)), 10)];
        for (span, n) in cases {
            let plan = make_plan(&request(&p, span, 1.5));
            assert_eq!(plan.days.len(), n, "{span:?}");
            for (i, d) in plan.days.iter().enumerate() {
                assert_eq!(d.date, start() + Duration::days(i as i64));
            }
            assert_eq!(plan.end, plan.days.last().expect("a day").date);
        }
    }

    #[test]
    fn the_phases_follow_the_template_order() {
        let p = template_pack();
        let plan = make_plan(&request(&p, Span::Weeks(8), 1.0));
        let names: Vec<&str> = plan.phases.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Fundamentals", "Patterns", "Systems", "Mocks"]);
        assert_eq!(plan.days[0].phase, "Fundamentals");
        assert_eq!(plan.phases[3].end, plan.end);
        assert_eq!((plan.phases[0].end - plan.phases[0].start).num_days(), 13, "eight weeks: two per phase");
    }

    #[test]
    fn the_plan_ends_with_mock_loops_and_rest_before_the_interview() {
        let p = template_pack();
        for days in [3, 5, 12, 30] {
            let interview = start() + Duration::days(days);
            let plan = make_plan(&request(&p, Span::Until(interview), 2.0));
            assert!(plan.days.iter().all(|d| d.date < interview));
            let last = plan.days.last().expect("a day");
            let loop_day = if days >= 5 {
                assert_eq!(last.items[0].kind, ItemKind::Rest, "{days} days");
                &plan.days[plan.days.len() - 2]
            } else {
                last
            };
            assert_eq!(loop_day.items[0].kind, ItemKind::MockLoop, "{days} days");
        }
    }

    #[test]
    fn long_days_run_a_full_loop_and_short_days_run_some_rounds() {
        let p = template_pack();
        let long = make_plan(&request(&p, Span::Weeks(1), 4.0));
        let item = &long.days.last().expect("a day").items[0];
        assert_eq!(item.rounds.len(), 4, "{item:?}");
        assert!(item.text.contains("full mock loop"));
        let short = make_plan(&request(&p, Span::Weeks(1), 1.0));
        let item = &short.days.last().expect("a day").items[0];
        assert_eq!(item.rounds.len(), 1, "{item:?}");
    }

    #[test]
    fn every_day_fits_the_daily_budget() {
        let p = template_pack();
        for hours in [0.5, 1.0, 1.5, 3.0, 8.0] {
            let plan = make_plan(&request(&p, Span::Weeks(4), hours));
            for d in &plan.days {
                assert!(d.minutes <= (hours * 60.0) as u32, "{hours}h: {d:?}");
                assert_eq!(d.minutes, d.items.iter().map(|i| i.minutes).sum::<u32>());
            }
        }
    }

    #[test]
    fn practice_days_name_questions_of_the_phase_and_cards() {
        let p = template_pack();
        let plan = make_plan(&request(&p, Span::Weeks(4), 1.5));
        let first = &plan.days[0];
        let practise: Vec<&PlanItem> = first.items.iter().filter(|i| i.kind == ItemKind::Practise).collect();
        assert!(!practise.is_empty());
        for item in practise {
            assert!(["networking", "kubernetes"].contains(&item.topic.as_deref().unwrap_or("")));
            for id in &item.questions {
                let q = p.question(id).expect("a pack question");
                assert!(q.difficulty <= Difficulty::Medium, "fundamentals practise easy and medium: {id}");
            }
        }
        assert!(first.items.iter().any(|i| i.kind == ItemKind::Flashcards && i.cards > 0));
    }

    #[test]
    fn weak_topics_come_up_more_often() {
        let p = template_pack();
        let abilities = vec![Ability { topic: "dns".into(), rating: -1.5, answers: 6, updated_at: t0() }];
        let history = vec![attempt("dns-easy-01", 1.0, t0() - Duration::days(1))];
        let req =
            PlanRequest { abilities: &abilities, history: &history, ..request(&p, Span::Weeks(4), 1.0) };
        let plan = make_plan(&req);
        assert_eq!(plan.weak_topics, ["dns"]);
        let count = |topic: &str| {
            plan.days.iter().flat_map(|d| &d.items).filter(|i| i.topic.as_deref() == Some(topic)).count()
        };
        assert!(
            count("dns") > count("kubernetes"),
            "dns {} vs kubernetes {}",
            count("dns"),
            count("kubernetes")
        );
        let without = make_plan(&request(&p, Span::Weeks(4), 1.0));
        assert!(without.days.iter().flat_map(|d| &d.items).all(|i| i.topic.as_deref() != Some("dns")));
    }

    #[test]
    fn the_markdown_lists_days_with_checkboxes() {
        let p = template_pack();
        let md = make_plan(&request(&p, Span::Until(start() + Duration::days(14)), 1.0)).to_markdown();
        assert!(
            md.starts_with("# Prep plan: senior level\n\n2026-11-02 to 2026-11-15 (interview on 2026-11-16)"),
            "{md}"
        );
        assert!(md.contains("## Fundamentals (2026-11-02 to "));
        assert!(md.contains("### Mon 2026-11-02 ("));
        assert!(md.contains("- [ ] Review up to "));
        assert!(md.contains("- [ ] Rest: sleep well"));
    }

    fn check_ics(ics: &str) {
        assert!(ics.ends_with("\r\n"));
        let body = ics.replace("\r\n", "");
        assert!(!body.contains('\n') && !body.contains('\r'), "bare line breaks");
        let lines: Vec<&str> = ics.split("\r\n").filter(|l| !l.is_empty()).collect();
        for l in &lines {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let mut stack = vec![];
        for l in &lines {
            if let Some(name) = l.strip_prefix("BEGIN:") {
                stack.push(name);
            } else if let Some(name) = l.strip_prefix("END:") {
                assert_eq!(stack.pop(), Some(name));
            }
        }
        assert!(stack.is_empty());
    }

    #[test]
    fn the_ics_file_is_valid_icalendar() {
        let p = template_pack();
        let plan = make_plan(&request(&p, Span::Until(start() + Duration::days(9)), 1.5));
        let ics = plan.to_ics(t0());
        check_ics(&ics);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 10, "nine days and the interview");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261102\r\nDTEND;VALUE=DATE:20261103\r\n"));
        assert!(ics.contains("DTSTAMP:20261102T090000Z\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20261111\r\n"), "the interview day");
        let uids: HashSet<&str> = ics.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(uids.len(), 10, "unique UIDs");
        assert!(ics.contains("\r\n "), "long descriptions are folded");
    }

    #[test]
    fn ics_text_is_escaped() {
        assert_eq!(ics_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    proptest! {
        #[test]
        fn any_plan_covers_its_span_within_budget_and_exports_valid_ics(
            weeks in 1u32..7,
            until in 1i64..60,
            hours in 0.4f32..9.0,
            by_date in any::<bool>(),
        ) {
            let p = template_pack();
            let span = if by_date { Span::Until(start() + Duration::days(until)) } else { Span::Weeks(weeks) };
            let plan = make_plan(&request(&p, span, hours));
            let n = if by_date { until as usize } else { weeks as usize * 7 };
            prop_assert_eq!(plan.days.len(), n);
            let budget = (plan.hours_per_day * 60.0).round() as u32;
            for d in &plan.days {
                prop_assert!(d.minutes <= budget);
            }
            prop_assert!(plan.days.iter().rev().take(2).any(|d| d.items.iter().any(|i| i.kind == ItemKind::MockLoop)));
            check_ics(&plan.to_ics(t0()));
        }

        #[test]
        fn folded_lines_never_exceed_75_octets_and_unfold_to_the_original(line in "\\PC{0,300}") {
            let folded = fold(&line);
            for l in folded.split("\r\n") {
                prop_assert!(l.len() <= 75);
            }
            let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
            prop_assert_eq!(unfolded, line);
        }
    }
}
