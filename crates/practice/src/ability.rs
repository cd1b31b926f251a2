//! Per-topic ability on a logit scale, Elo/Rasch style.
//!
//! Abilities and question difficulties live on one scale, in logits: a user whose rating equals a
//! question's difficulty is expected to score half marks on it, and each logit of advantage
//! multiplies the odds by e. Difficulties come from the question's [`Difficulty`] (easy, medium
//! and hard one logit apart) shifted by the levels it targets, so an easy question written for
//! principals sits above an easy question written for new graduates.
//!
//! A topic the user has never answered starts at the rating of the chosen level (entry −1.5 …
//! principal +1.5 on the five-level ladder), moved toward the user's standing on the topics
//! already answered ([`prior_rating`]). Each graded answer moves it by
//! `K · (observed − expected)`, where `observed = score / 5` and `expected = logistic(rating −
//! difficulty)`. `K` starts large (the first answers say a lot) and shrinks as answers accumulate,
//! so one bad day does not undo months of practice. Ratings are clamped to ±[`RATING_LIMIT`].

use chrono::{DateTime, Utc};
use mockloop_domain::{Ability, Difficulty, Level, Question};

/// Ratings never leave `[-RATING_LIMIT, RATING_LIMIT]`.
pub const RATING_LIMIT: f64 = 4.0;

/// Half the spread of the level ladder: the lowest level starts at `-LEVEL_SPREAD`, the highest
/// at `+LEVEL_SPREAD`.
pub const LEVEL_SPREAD: f64 = 1.5;

/// How much of a question's target-level position carries into its difficulty.
const LEVEL_SHIFT: f64 = 0.6;

/// The ladder used when a pack gives no levels.
const DEFAULT_LADDER: [&str; 5] = ["entry", "mid", "senior", "staff", "principal"];

/// The standard logistic function.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Where `level` sits on the ladder, from `-LEVEL_SPREAD` (most junior) to `+LEVEL_SPREAD` (most
/// senior). `levels` is the pack's ladder, junior first; when it is empty the usual five levels
/// (entry, mid, senior, staff, principal) are assumed. An unknown level sits in the middle.
pub fn level_offset(levels: &[Level], level: &str) -> f64 {
    let ids: Vec<&str> = if levels.is_empty() {
        DEFAULT_LADDER.to_vec()
    } else {
        levels.iter().map(|l| l.id.as_str()).collect()
    };
    match ids.iter().position(|id| *id == level) {
        Some(i) if ids.len() > 1 => -LEVEL_SPREAD + 2.0 * LEVEL_SPREAD * i as f64 / (ids.len() - 1) as f64,
        _ => 0.0,
    }
}

/// The rating an unseen topic starts from at `level`.
pub fn start_rating(levels: &[Level], level: &str) -> f64 {
    level_offset(levels, level)
}

/// A question's difficulty on the ability scale: easy −1, medium 0, hard +1, shifted by the mean
/// position of the levels it targets (scaled by 0.6 so that difficulty still dominates).
pub fn question_difficulty(question: &Question, levels: &[Level]) -> f64 {
    let base = match question.difficulty {
        Difficulty::Easy => -1.0,
        Difficulty::Medium => 0.0,
        Difficulty::Hard => 1.0,
    };
    if question.levels.is_empty() {
        return base;
    }
    let shift =
        question.levels.iter().map(|l| level_offset(levels, l)).sum::<f64>() / question.levels.len() as f64;
    base + LEVEL_SHIFT * shift
}

/// The chance-like expected outcome (0–1) of a user with `rating` on a question of `difficulty`.
pub fn expected_outcome(rating: f64, difficulty: f64) -> f64 {
    logistic(rating - difficulty)
}

/// The step size after `answers` graded answers: 1.5 at first, 0.875 after four, tending to 0.25.
pub fn k_factor(answers: u32) -> f64 {
    0.25 + 1.25 / (1.0 + f64::from(answers) / 4.0)
}

/// A grader score (0–5) as an observed outcome in `[0, 1]`. Non-finite scores count as 0.
pub fn observed_outcome(score: f32) -> f64 {
    if score.is_finite() {
        (f64::from(score) / 5.0).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// A fresh ability for an unseen `topic` at `level`.
pub fn new_ability(topic: &str, levels: &[Level], level: &str, now: DateTime<Utc>) -> Ability {
    Ability { topic: topic.to_owned(), rating: start_rating(levels, level), answers: 0, updated_at: now }
}

/// The ability after one graded answer with `score` (0–5) on a question of `difficulty`.
pub fn update(ability: &Ability, difficulty: f64, score: f32, now: DateTime<Utc>) -> Ability {
    let rating = if ability.rating.is_finite() { ability.rating } else { 0.0 };
    let difficulty = if difficulty.is_finite() { difficulty } else { 0.0 };
    let delta = k_factor(ability.answers) * (observed_outcome(score) - expected_outcome(rating, difficulty));
    Ability {
        topic: ability.topic.clone(),
        rating: (rating + delta).clamp(-RATING_LIMIT, RATING_LIMIT),
        answers: ability.answers.saturating_add(1),
        updated_at: now,
    }
}

/// The ability on `topic`, if the user has one.
pub fn find<'a>(abilities: &'a [Ability], topic: &str) -> Option<&'a Ability> {
    abilities.iter().find(|a| a.topic == topic)
}

/// The rating on `topic`, or the level's start rating when the topic is unseen.
pub fn rating_or_start(abilities: &[Ability], topic: &str, levels: &[Level], level: &str) -> f64 {
    find(abilities, topic).map_or_else(|| start_rating(levels, level), |a| a.rating)
}

/// How much of the user's average standing on answered topics carries over to unseen ones.
pub const PRIOR_WEIGHT: f64 = 0.7;

/// The rating assumed for a topic the user has not answered: the level's start, moved by 70% of
/// the user's mean difference from it on the topics they have answered. Someone who aces every
/// topic is not assumed to know nothing about the next one, and someone struggling everywhere is
/// not thrown in at the top of the level (a hierarchical prior, as in multilevel IRT).
pub fn prior_rating(abilities: &[Ability], levels: &[Level], level: &str) -> f64 {
    let start = start_rating(levels, level);
    let answered: Vec<f64> = abilities
        .iter()
        .filter(|a| a.answers > 0 && a.rating.is_finite())
        .map(|a| a.rating - start)
        .collect();
    if answered.is_empty() {
        return start;
    }
    (start + PRIOR_WEIGHT * answered.iter().sum::<f64>() / answered.len() as f64)
        .clamp(-RATING_LIMIT, RATING_LIMIT)
}

/// The rating on `topic`, or the [`prior_rating`] when the topic is unseen.
pub fn rating_or_prior(abilities: &[Ability], topic: &str, levels: &[Level], level: &str) -> f64 {
    find(abilities, topic).map_or_else(|| prior_rating(abilities, levels, level), |a| a.rating)
}

/// Applies one graded answer to every topic of `question` and returns the updated abilities (one
/// per topic of the question, new ones started from `level`). The caller stores them, replacing
/// the previous values for those topics.
pub fn record_answer(
    abilities: &[Ability],
    question: &Question,
    levels: &[Level],
    level: &str,
    score: f32,
    now: DateTime<Utc>,
) -> Vec<Ability> {
    let difficulty = question_difficulty(question, levels);
    question
        .topics
        .iter()
        .map(|topic| {
            let current =
                find(abilities, topic).cloned().unwrap_or_else(|| new_ability(topic, levels, level, now));
            update(&current, difficulty, score, now)
        })
        .collect()
}

/// `abilities` with `updates` merged in (same topic replaced, new topics appended).
pub fn merge(abilities: &[Ability], updates: &[Ability]) -> Vec<Ability> {
    let mut out: Vec<Ability> = abilities.to_vec();
    for u in updates {
        match out.iter_mut().find(|a| a.topic == u.topic) {
            Some(slot) => *slot = u.clone(),
            None => out.push(u.clone()),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    pub(crate) fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().expect("valid date")
    }

    pub(crate) fn ladder() -> Vec<Level> {
        DEFAULT_LADDER
            .iter()
            .map(|id| Level {
                id: (*id).to_owned(),
                code: String::new(),
                name: id.to_owned().to_owned(),
                experience: String::new(),
                expectations: vec![],
            })
            .collect()
    }

    fn after(scores: &[f32]) -> f64 {
        let mut a = new_ability("dns", &ladder(), "senior", t0());
        for s in scores {
            a = update(&a, 0.0, *s, t0());
        }
        a.rating
    }

    #[test]
    fn unseen_topics_start_from_the_chosen_level() {
        let cases = [("entry", -1.5), ("mid", -0.75), ("senior", 0.0), ("staff", 0.75), ("principal", 1.5)];
        for (level, want) in cases {
            assert!((start_rating(&ladder(), level) - want).abs() < 1e-9, "{level}");
        }
        assert_eq!(start_rating(&[], "principal"), 1.5, "empty ladder falls back to the usual five");
        assert_eq!(start_rating(&ladder(), "wizard"), 0.0, "unknown level sits in the middle");
    }

    #[test]
    fn ability_rises_after_strong_answers_and_falls_after_weak_ones() {
        assert!(after(&[4.5, 4.5, 5.0]) > 0.5);
        assert!(after(&[1.0, 0.5, 1.5]) < -0.5);
        assert!(after(&[4.5]) > after(&[3.0]));
        assert!((after(&[2.5])).abs() < 1e-9, "half marks on an even question change nothing");
    }

    #[test]
    fn unseen_topics_borrow_from_the_users_standing_elsewhere() {
        let a =
            |topic: &str, rating: f64| Ability { topic: topic.into(), rating, answers: 3, updated_at: t0() };
        assert_eq!(prior_rating(&[], &ladder(), "senior"), 0.0);
        let strong = [a("dns", 1.0), a("cdn", 2.0)];
        assert!((prior_rating(&strong, &ladder(), "senior") - 1.05).abs() < 1e-9);
        assert!((rating_or_prior(&strong, "storage", &ladder(), "senior") - 1.05).abs() < 1e-9);
        assert_eq!(rating_or_prior(&strong, "dns", &ladder(), "senior"), 1.0);
        assert!(prior_rating(&[a("dns", -2.0)], &ladder(), "mid") < start_rating(&ladder(), "mid"));
    }

    #[test]
    fn later_answers_move_the_rating_less() {
        assert!(k_factor(0) > k_factor(4));
        assert!(k_factor(4) > k_factor(40));
        assert!(k_factor(10_000) >= 0.25);
    }

    #[test]
    fn difficulty_orders_by_difficulty_then_by_target_level() {
        let q = |d: Difficulty, levels: &[&str]| Question {
            id: "q".into(),
            prompt: String::new(),
            difficulty: d,
            category: mockloop_domain::Category::Technical,
            topics: vec!["dns".into()],
            levels: levels.iter().map(|s| (*s).to_owned()).collect(),
            rounds: vec![],
            time_minutes: 5,
            key_points: vec![],
            follow_ups: vec![],
            misconceptions: vec![],
            flashcard: String::new(),
            answer: String::new(),
        };
        let l = ladder();
        let easy_entry = question_difficulty(&q(Difficulty::Easy, &["entry", "mid"]), &l);
        let medium_mid = question_difficulty(&q(Difficulty::Medium, &["mid", "senior"]), &l);
        let hard_staff = question_difficulty(&q(Difficulty::Hard, &["staff", "principal"]), &l);
        let easy_staff = question_difficulty(&q(Difficulty::Easy, &["staff", "principal"]), &l);
        assert!(easy_entry < medium_mid && medium_mid < hard_staff);
        assert!(easy_staff > easy_entry);
        // Each level's starting rating is closest to questions written for it.
        assert!((start_rating(&l, "entry") - easy_entry).abs() < 0.3);
        assert!((start_rating(&l, "principal") - hard_staff).abs() < 0.3);
    }

    #[test]
    fn record_answer_updates_every_topic_of_the_question() {
        let mut q = crate::select::tests::question("q1", Difficulty::Medium, &["dns", "cdn"], &["senior"]);
        q.rounds.clear();
        let existing = vec![Ability { topic: "dns".into(), rating: 1.0, answers: 3, updated_at: t0() }];
        let got = record_answer(&existing, &q, &ladder(), "senior", 5.0, t0());
        assert_eq!(got.len(), 2);
        assert!(got[0].rating > 1.0 && got[0].answers == 4);
        assert!(got[1].rating > 0.0 && got[1].answers == 1);
        let merged = merge(&existing, &got);
        assert_eq!(merged.len(), 2);
    }

    proptest! {
        #[test]
        fn ability_stays_finite_and_bounded_for_any_score_sequence(
            scores in proptest::collection::vec(prop_oneof![-10.0f32..20.0, Just(f32::NAN), Just(f32::INFINITY)], 0..200),
            difficulty in -10.0f64..10.0,
        ) {
            let mut a = new_ability("dns", &ladder(), "staff", t0());
            for s in scores {
                a = update(&a, difficulty, s, t0());
                prop_assert!(a.rating.is_finite());
                prop_assert!(a.rating.abs() <= RATING_LIMIT);
            }
        }
    }
}
