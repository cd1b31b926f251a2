//! Choosing the next question, and saying why.
//!
//! Every question that passes the filter and has not been asked in this session gets a utility:
//!
//! - **closeness** (weight 1): how near its difficulty is to a target on the question's weakest
//!   topic, as a Gaussian of the gap (σ = 0.6 logits). The target is the user's rating there — a
//!   sharpened form of the Rasch item information `p(1 − p)`, which peaks where difficulty equals
//!   ability — plus a staircase step from the latest answer on the topic (0.7 logits per point
//!   above or below 2.5, at most ±1.5): a strong answer probes higher at once, a weak one backs
//!   off, instead of waiting for the slower rating to cross the gap between difficulty bands.
//!   An unseen topic's rating is the level's start moved toward the user's standing on the
//!   topics already answered ([`ability::prior_rating`]), and it takes half the step of the
//!   latest answer on any topic, so momentum carries across topics.
//! - **weak topic** (up to 0.35): the further the topic's rating sits below the level's start, the
//!   more it is favoured; a low latest score on the topic adds 0.15.
//! - **unseen topic** (0.25): topics never answered are explored early.
//! - **level match** (0.1): questions written for the chosen level, as a tie-breaker.
//! - **recency** (down to −0.8): questions answered before are pushed back, most strongly in the
//!   first days (the penalty halves about every two days).
//! - **jitter** (up to 0.1): a hash of the seed and the question id, so two sessions with
//!   different seeds do not walk the bank in the same order, yet one seed always gives the same
//!   walk.
//!
//! Because a topic's rating starts from the chosen level, the level visibly changes what is asked:
//! entry sessions open with easy questions written for juniors, principal sessions with hard ones.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mockloop_domain::{Ability, Attempt, Difficulty, Filter, Level, Outcome, Pack, Question};

use crate::ability::{self, question_difficulty, start_rating};
use crate::hash;

/// What the selector needs to know about the user and the session.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Level the session targets (`entry` … `principal`).
    pub level: &'a str,
    /// Which questions are allowed (topics, category, round, level, difficulty).
    pub filter: &'a Filter,
    /// The user's per-topic abilities.
    pub abilities: &'a [Ability],
    /// Past attempts, any order (used for recency and latest scores per topic).
    pub history: &'a [Attempt],
    /// Question ids already asked in this session; never asked again.
    pub asked: &'a [String],
    /// The current time.
    pub now: DateTime<Utc>,
    /// Seed for tie-breaking variety.
    pub seed: u64,
}

/// A chosen question and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick<'a> {
    /// The question.
    pub question: &'a Question,
    /// The topic the pick works on (the question's weakest topic for this user).
    pub topic: String,
    /// Question difficulty on the ability scale.
    pub difficulty: f64,
    /// The user's rating on `topic` (the level's start when unseen).
    pub rating: f64,
    /// The selection utility (higher is better); useful for debugging and tests.
    pub utility: f64,
    /// One line for the user: why this question now.
    pub reason: String,
}

/// The best next question, or `None` when every allowed question has been asked this session.
pub fn next_question<'a>(pack: &'a Pack, req: &Request<'_>) -> Option<Pick<'a>> {
    rank(pack, req).into_iter().next()
}

/// Every candidate, best first. The reason is filled in for each.
pub fn rank<'a>(pack: &'a Pack, req: &Request<'_>) -> Vec<Pick<'a>> {
    let ctx = Context::new(pack, req);
    let mut picks: Vec<Pick<'a>> = pack
        .questions
        .iter()
        .filter(|q| req.filter.matches(q) && !req.asked.contains(&q.id))
        .map(|q| ctx.score(q))
        .collect();
    picks.sort_by(|a, b| b.utility.total_cmp(&a.utility).then_with(|| a.question.id.cmp(&b.question.id)));
    picks
}

/// The latest graded answer on a topic.
#[derive(Debug, Clone, Copy)]
struct Latest {
    score: f32,
    difficulty: f64,
    at: DateTime<Utc>,
}

/// "a" or "an" before `word`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Logits the target moves per point of the latest score above or below 2.5.
const STEP: f64 = 0.7;

struct Context<'r, 'p> {
    req: &'r Request<'r>,
    pack: &'p Pack,
    levels: &'p [Level],
    start: f64,
    /// Latest graded answer per topic.
    latest: HashMap<&'p str, Latest>,
    /// Most recent time each question was put to the user.
    last_asked: HashMap<&'p str, DateTime<Utc>>,
    /// The latest graded answer on any topic.
    latest_any: Option<Latest>,
    /// The user's strongest answered topic.
    strongest: Option<&'r str>,
}

impl<'r, 'p> Context<'r, 'p> {
    fn new(pack: &'p Pack, req: &'r Request<'r>) -> Self {
        let levels = pack.levels.as_slice();
        let mut latest: HashMap<&'p str, Latest> = HashMap::new();
        let mut last_asked: HashMap<&'p str, DateTime<Utc>> = HashMap::new();
        let mut latest_any: Option<Latest> = None;
        for attempt in req.history {
            let Some(q) = pack.question(&attempt.question) else { continue };
            let slot = last_asked.entry(q.id.as_str()).or_insert(attempt.started_at);
            if attempt.started_at > *slot {
                *slot = attempt.started_at;
            }
            if attempt.outcome != Outcome::Answered || attempt.follow_up_of.is_some() {
                continue;
            }
            let d = question_difficulty(q, levels);
            if latest_any.is_none_or(|l| attempt.started_at >= l.at) {
                latest_any = Some(Latest { score: attempt.score, difficulty: d, at: attempt.started_at });
            }
            for topic in &q.topics {
                let entry = latest.entry(topic.as_str()).or_insert(Latest {
                    score: attempt.score,
                    difficulty: d,
                    at: attempt.started_at,
                });
                if attempt.started_at >= entry.at {
                    *entry = Latest { score: attempt.score, difficulty: d, at: attempt.started_at };
                }
            }
        }
        let strongest = req
            .abilities
            .iter()
            .filter(|a| a.answers > 0)
            .max_by(|a, b| a.rating.total_cmp(&b.rating))
            .map(|a| a.topic.as_str());
        Context {
            req,
            pack,
            levels,
            start: start_rating(levels, req.level),
            latest,
            last_asked,
            latest_any,
            strongest,
        }
    }

    fn rating(&self, topic: &str) -> f64 {
        ability::rating_or_prior(self.req.abilities, topic, self.levels, self.req.level)
    }

    fn unseen(&self, topic: &str) -> bool {
        ability::find(self.req.abilities, topic).is_none_or(|a| a.answers == 0)
            && !self.latest.contains_key(topic)
    }

    fn score<'q>(&self, q: &'q Question) -> Pick<'q> {
        // Work on the question's weakest topic among those the filter asks for.
        let wanted = |t: &String| self.req.filter.topic.is_empty() || self.req.filter.topic.contains(t);
        let topic = q
            .topics
            .iter()
            .filter(|t| wanted(t))
            .min_by(|a, b| self.rating(a).total_cmp(&self.rating(b)).then_with(|| a.cmp(b)))
            .or_else(|| q.topics.first())
            .cloned()
            .unwrap_or_default();
        let rating = self.rating(&topic);
        let difficulty = question_difficulty(q, self.levels);
        // Staircase on the latest answer: probe up after a strong one, back off after a weak one.
        let step = self.step(&topic);
        let gap = rating + step - difficulty;
        let closeness = (-(gap * gap) / (2.0 * 0.6 * 0.6)).exp();
        let mut weak = 0.35 * ((self.start - rating) / 1.5).clamp(0.0, 1.0);
        if self.latest.get(topic.as_str()).is_some_and(|l| l.score < 2.5) {
            weak += 0.15;
        }
        let unseen = if self.unseen(&topic) { 0.25 } else { 0.0 };
        let level_match = if q.levels.iter().any(|l| l == self.req.level) { 0.1 } else { 0.0 };
        let recency = self.last_asked.get(q.id.as_str()).map_or(0.0, |at| {
            let days = (self.req.now - *at).num_minutes().max(0) as f64 / 1440.0;
            0.8 * (-days / 3.0).exp()
        });
        let jitter = 0.1 * hash::unit(&[q.id.as_bytes()], self.req.seed);
        let utility = closeness + weak + unseen + level_match - recency + jitter;
        let reason = self.reason(q, &topic, rating, difficulty);
        Pick { question: q, topic, difficulty, rating, utility, reason }
    }

    /// The staircase step: from the latest answer on the topic, or at half strength from the
    /// latest answer on any topic (momentum carries into a topic not yet answered).
    fn step(&self, topic: &str) -> f64 {
        let step = |l: &Latest| (STEP * (f64::from(l.score) - 2.5)).clamp(-1.5, 1.5);
        match (self.latest.get(topic), &self.latest_any) {
            (Some(l), _) => step(l),
            (None, Some(l)) => 0.5 * step(l),
            (None, None) => 0.0,
        }
    }

    fn reason(&self, q: &Question, topic: &str, rating: f64, difficulty: f64) -> String {
        let name = self.pack.topic(topic).map_or(topic, |t| t.name.as_str());
        let diff = q.difficulty.as_str();
        if let Some(last) = self.latest.get(topic) {
            let score = last.score;
            if score < 2.5 && difficulty < last.difficulty - 0.2 {
                return format!("you scored {score:.1} on {name}; here is an easier one ({diff})");
            }
            if score >= 4.0 && difficulty > last.difficulty + 0.2 {
                return format!("you scored {score:.1} on {name}; here is a harder one ({diff})");
            }
            if score < 2.5 {
                return format!("you scored {score:.1} on {name}; another {diff} one to build it up");
            }
        }
        if self.unseen(topic) {
            let target = rating + self.step(topic);
            if target > self.start + 0.4 && difficulty > self.start + 0.4 {
                return format!(
                    "{name} is unseen so far; after your strong answers, {} {diff} one",
                    article(diff)
                );
            }
            if target < self.start - 0.4 && difficulty < self.start - 0.4 {
                return format!(
                    "{name} is unseen so far; after a tough stretch, {} {diff} one to find your footing",
                    article(diff)
                );
            }
            return format!(
                "{name} is unseen so far; {} {diff} question at the {} level",
                article(diff),
                self.req.level
            );
        }
        if self.strongest == Some(topic) && q.difficulty == Difficulty::Hard {
            return format!("your strongest topic is {name}; stepping up to a hard one");
        }
        if rating < self.start - 0.3 {
            return format!(
                "{name} is one of your weaker topics (rating {rating:+.1}); a {diff} question to build it up"
            );
        }
        format!("a {diff} {name} question close to your current rating ({rating:+.1})")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ability::tests::{ladder, t0};
    use mockloop_domain::{AttemptId, Category, Compensation, PrepPlan, Role, Round, Topic, UserId};

    pub(crate) fn question(id: &str, d: Difficulty, topics: &[&str], levels: &[&str]) -> Question {
        Question {
            id: id.to_owned(),
            prompt: format!("Prompt for {id}?"),
            difficulty: d,
            category: Category::Technical,
            topics: topics.iter().map(|s| (*s).to_owned()).collect(),
            levels: levels.iter().map(|s| (*s).to_owned()).collect(),
            rounds: vec!["system-design".into()],
            time_minutes: 5,
            key_points: vec![],
            follow_ups: vec![],
            misconceptions: vec![],
            flashcard: format!("Flashcard for {id}."),
            answer: String::new(),
        }
    }

    /// Three topics; per topic, easy to hard questions for every band of the ladder, twice.
    pub(crate) fn pack() -> Pack {
        let bands: [(Difficulty, &[&str]); 6] = [
            (Difficulty::Easy, &["entry"]),
            (Difficulty::Easy, &["entry", "mid"]),
            (Difficulty::Medium, &["mid", "senior"]),
            (Difficulty::Medium, &["senior", "staff"]),
            (Difficulty::Hard, &["senior", "staff"]),
            (Difficulty::Hard, &["staff", "principal"]),
        ];
        let topics = [("dns", "DNS"), ("networking", "Cloud networking"), ("kubernetes", "Kubernetes")];
        let mut questions = vec![];
        for (topic, _) in topics {
            for (i, (d, levels)) in bands.iter().enumerate() {
                for copy in 1..=2 {
                    questions.push(question(
                        &format!("{topic}-{}-{i}{copy}", d.as_str()),
                        *d,
                        &[topic],
                        levels,
                    ));
                }
            }
        }
        questions.sort_by(|a, b| a.id.cmp(&b.id));
        Pack {
            role: Role { id: "infra".into(), name: "Infrastructure Engineer".into(), summary: String::new() },
            levels: ladder(),
            rounds: vec![Round {
                id: "system-design".into(),
                name: "System design".into(),
                format: String::new(),
                minutes: 60,
                focus: String::new(),
                signals: vec![],
                questions: 2,
            }],
            topics: topics
                .iter()
                .map(|(id, name)| Topic {
                    id: (*id).into(),
                    name: (*name).into(),
                    description: String::new(),
                })
                .collect(),
            compensation: Compensation {
                currency: "USD".into(),
                year: 2026,
                source: String::new(),
                note: String::new(),
                bands: vec![],
            },
            prep_plan: PrepPlan { weeks: vec![] },
            questions,
            mistakes: String::new(),
            faq: String::new(),
        }
    }

    pub(crate) fn attempt(question: &str, score: f32, at: DateTime<Utc>) -> Attempt {
        Attempt {
            id: AttemptId::new(),
            user: UserId::new(),
            session: None,
            question: question.to_owned(),
            round: None,
            follow_up_of: None,
            prompt: String::new(),
            answer: "an answer".into(),
            outcome: Outcome::Answered,
            score,
            assessment: None,
            hints: 0,
            started_at: at,
            duration_ms: 60_000,
        }
    }

    /// Runs a session answering every question with `score`; returns the picks' difficulties and
    /// reasons.
    fn session(level: &str, filter: &Filter, count: usize, score: f32) -> Vec<(String, f64, String)> {
        let pack = pack();
        let mut abilities: Vec<Ability> = vec![];
        let mut history: Vec<Attempt> = vec![];
        let mut asked: Vec<String> = vec![];
        let mut out = vec![];
        for i in 0..count {
            let now = t0() + chrono::Duration::minutes(10 * i as i64);
            let req = Request {
                level,
                filter,
                abilities: &abilities,
                history: &history,
                asked: &asked,
                now,
                seed: 42,
            };
            let Some(pick) = next_question(&pack, &req) else { break };
            out.push((pick.question.id.clone(), pick.difficulty, pick.reason.clone()));
            let updates = ability::record_answer(&abilities, pick.question, &pack.levels, level, score, now);
            abilities = ability::merge(&abilities, &updates);
            history.push(attempt(&pick.question.id, score, now));
            asked.push(pick.question.id.clone());
        }
        out
    }

    fn mean(xs: &[(String, f64, String)]) -> f64 {
        xs.iter().map(|x| x.1).sum::<f64>() / xs.len() as f64
    }

    #[test]
    fn strong_answers_move_selection_to_harder_questions() {
        let picks = session("senior", &Filter::default(), 9, 4.5);
        assert!(mean(&picks[3..]) > picks[0].1 + 0.9, "{picks:#?}");
        let average = session("senior", &Filter::default(), 9, 2.5);
        assert!(mean(&picks[3..]) > mean(&average[3..]) + 0.9, "{average:#?}");
    }

    #[test]
    fn weak_answers_move_selection_to_easier_questions() {
        let picks = session("senior", &Filter::default(), 9, 1.0);
        assert!(mean(&picks[3..]) < picks[0].1 - 0.9, "{picks:#?}");
        let average = session("senior", &Filter::default(), 9, 2.5);
        assert!(mean(&picks[3..]) < mean(&average[3..]) - 0.9, "{average:#?}");
    }

    #[test]
    fn a_weak_answer_on_one_topic_explains_the_easier_pick() {
        let filter = Filter { topic: vec!["dns".into()], ..Filter::default() };
        let picks = session("senior", &filter, 3, 1.5);
        assert!(picks[1].2.starts_with("you scored 1.5 on DNS; here is an easier one"), "{picks:#?}");
        assert_eq!(picks[0].2, "DNS is unseen so far; a medium question at the senior level");
        let strong = session("senior", &filter, 3, 4.5);
        assert!(strong[1].2.starts_with("you scored 4.5 on DNS; here is a harder one"), "{strong:#?}");
    }

    #[test]
    fn entry_and_principal_sessions_ask_different_difficulties() {
        let pack = pack();
        for (level, want) in [("entry", Difficulty::Easy), ("principal", Difficulty::Hard)] {
            let picks = session(level, &Filter::default(), 3, 2.5);
            for (id, _, _) in picks {
                assert_eq!(pack.question(&id).map(|q| q.difficulty), Some(want), "{level}: {id}");
            }
        }
    }

    #[test]
    fn no_question_is_repeated_within_a_session() {
        let picks = session("mid", &Filter::default(), 40, 3.0);
        assert_eq!(picks.len(), 36, "the bank runs out after every question was asked once");
        let mut ids: Vec<&str> = picks.iter().map(|p| p.0.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 36);
    }

    #[test]
    fn weak_topics_are_favoured() {
        let pack = pack();
        let abilities = vec![
            Ability { topic: "dns".into(), rating: -1.2, answers: 6, updated_at: t0() },
            Ability { topic: "networking".into(), rating: 0.6, answers: 6, updated_at: t0() },
            Ability { topic: "kubernetes".into(), rating: 0.6, answers: 6, updated_at: t0() },
        ];
        let req = Request {
            level: "senior",
            filter: &Filter::default(),
            abilities: &abilities,
            history: &[],
            asked: &[],
            now: t0(),
            seed: 1,
        };
        let pick = next_question(&pack, &req).expect("a pick");
        assert_eq!(pick.topic, "dns");
        assert!(pick.question.difficulty <= Difficulty::Medium);
        assert!(pick.reason.contains("DNS is one of your weaker topics"), "{}", pick.reason);
    }

    #[test]
    fn questions_answered_recently_are_avoided() {
        let pack = pack();
        let filter = Filter { topic: vec!["dns".into()], ..Filter::default() };
        let base = Request {
            level: "senior",
            filter: &filter,
            abilities: &[],
            history: &[],
            asked: &[],
            now: t0(),
            seed: 3,
        };
        let first = next_question(&pack, &base).expect("a pick").question.id.clone();
        let history = vec![attempt(&first, 3.0, t0() - chrono::Duration::hours(2))];
        let again = next_question(&pack, &Request { history: &history, ..base.clone() }).expect("a pick");
        assert_ne!(again.question.id, first);
    }

    #[test]
    fn the_filter_is_respected_and_selection_is_deterministic() {
        let pack = pack();
        let filter = Filter {
            topic: vec!["kubernetes".into()],
            difficulty: vec![Difficulty::Hard],
            ..Filter::default()
        };
        let req = Request {
            level: "entry",
            filter: &filter,
            abilities: &[],
            history: &[],
            asked: &[],
            now: t0(),
            seed: 9,
        };
        let ranked = rank(&pack, &req);
        assert_eq!(ranked.len(), 4);
        assert!(ranked
            .iter()
            .all(|p| p.question.has_topic("kubernetes") && p.question.difficulty == Difficulty::Hard));
        assert_eq!(ranked, rank(&pack, &req));
    }

    #[test]
    fn momentum_carries_into_unseen_topics() {
        let pack = pack();
        let networking = Filter { topic: vec!["networking".into()], ..Filter::default() };
        let after_dns = |score: f32| {
            let dns = pack.question("dns-medium-21").expect("question");
            let abilities = ability::record_answer(&[], dns, &pack.levels, "senior", score, t0());
            let history = vec![attempt(&dns.id, score, t0())];
            let req = Request {
                level: "senior",
                filter: &networking,
                abilities: &abilities,
                history: &history,
                asked: &[],
                now: t0(),
                seed: 4,
            };
            let pick = next_question(&pack, &req).expect("a pick");
            (pick.question.difficulty, pick.reason)
        };
        let (d, reason) = after_dns(4.8);
        assert_eq!(d, Difficulty::Hard);
        assert_eq!(reason, "Cloud networking is unseen so far; after your strong answers, a hard one");
        let (d, reason) = after_dns(0.5);
        assert_eq!(d, Difficulty::Easy);
        assert_eq!(
            reason,
            "Cloud networking is unseen so far; after a tough stretch, an easy one to find your footing"
        );
        assert_eq!(after_dns(2.5).0, Difficulty::Medium);
    }

    #[test]
    fn the_strongest_topic_steps_up_to_a_hard_question() {
        let pack = pack();
        let abilities = vec![
            Ability { topic: "dns".into(), rating: 1.4, answers: 8, updated_at: t0() },
            Ability { topic: "networking".into(), rating: 0.0, answers: 8, updated_at: t0() },
        ];
        let filter = Filter { topic: vec!["dns".into()], ..Filter::default() };
        let req = Request {
            level: "senior",
            filter: &filter,
            abilities: &abilities,
            history: &[],
            asked: &[],
            now: t0(),
            seed: 5,
        };
        let pick = next_question(&pack, &req).expect("a pick");
        assert_eq!(pick.question.difficulty, Difficulty::Hard);
        assert_eq!(pick.reason, "your strongest topic is DNS; stepping up to a hard one");
    }
}
