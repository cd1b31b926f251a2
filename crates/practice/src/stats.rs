//! Progress: per-topic and per-signal series over time, readiness per round, weakest topics, cards
//! due, the practice streak and totals. Days are the user's local days: the caller passes the
//! UTC offset to use.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use mockloop_domain::{Ability, Attempt, Card, CardPhase, Outcome, Pack, Review};
use mockloop_grading::SignalKind;
use serde::Serialize;

use crate::ability::{expected_outcome, question_difficulty, rating_or_prior};

/// Everything the statistics are computed from.
#[derive(Debug, Clone)]
pub struct StatsInput<'a> {
    /// The pack (topics, rounds, questions).
    pub pack: &'a Pack,
    /// The level the user prepares for (readiness is measured against it).
    pub level: &'a str,
    /// Every attempt, any order.
    pub attempts: &'a [Attempt],
    /// Flashcard reviews, any order (they count as activity for the streak).
    pub reviews: &'a [Review],
    /// Per-topic abilities.
    pub abilities: &'a [Ability],
    /// Flashcards.
    pub cards: &'a [Card],
    /// The current time.
    pub now: DateTime<Utc>,
    /// The user's UTC offset, for day boundaries.
    pub offset: FixedOffset,
}

/// One point of a series: the mean of a day's values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Local day.
    pub date: NaiveDate,
    /// Mean value that day.
    pub value: f32,
    /// Values that went into it.
    pub count: u32,
}

/// A value over time, one point per active day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Points, oldest first.
    pub points: Vec<Point>,
    /// The latest point's value.
    pub latest: Option<f32>,
    /// Mean over every value (not over days).
    pub mean: Option<f32>,
    /// Mean of the later half of the points minus the earlier half; `None` under two points.
    pub trend: Option<f32>,
}

impl Series {
    fn from_values(values: &[(NaiveDate, f32)]) -> Series {
        let mut days: BTreeMap<NaiveDate, (f32, u32)> = BTreeMap::new();
        for (d, v) in values {
            let e = days.entry(*d).or_insert((0.0, 0));
            e.0 += v;
            e.1 += 1;
        }
        let points: Vec<Point> = days
            .into_iter()
            .map(|(date, (sum, n))| Point { date, value: sum / n as f32, count: n })
            .collect();
        let mean =
            (!values.is_empty()).then(|| values.iter().map(|(_, v)| v).sum::<f32>() / values.len() as f32);
        let trend = (points.len() >= 2).then(|| {
            let half = points.len() / 2;
            let avg = |p: &[Point]| p.iter().map(|p| p.value).sum::<f32>() / p.len() as f32;
            avg(&points[points.len() - half..]) - avg(&points[..half])
        });
        Series { latest: points.last().map(|p| p.value), points, mean, trend }
    }

    /// The point values, for a sparkline.
    pub fn values(&self) -> Vec<f32> {
        self.points.iter().map(|p| p.value).collect()
    }
}

/// Progress on one topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicStats {
    /// Topic id.
    pub topic: String,
    /// Display name.
    pub name: String,
    /// Ability rating, if the topic has been answered.
    pub rating: Option<f64>,
    /// Graded answers on it.
    pub answers: u32,
    /// Scores (0–5) per day.
    pub scores: Series,
}

/// Progress on one signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalStats {
    /// Which signal.
    pub kind: SignalKind,
    /// Display label.
    pub label: String,
    /// Values (0–1) per day, where the signal applied.
    pub values: Series,
}

/// How ready the user looks for one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundReadiness {
    /// Round id.
    pub round: String,
    /// Display name.
    pub name: String,
    /// 0–1: the expected outcome on the round's questions for the level, blended half and half
    /// with the mean observed score on them when there is one.
    pub readiness: f32,
    /// Graded answers to questions of the round.
    pub answered: u32,
}

/// Flashcard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CardCounts {
    /// All cards.
    pub total: u32,
    /// Never reviewed.
    pub new: u32,
    /// Due now.
    pub due_now: u32,
    /// Due by the end of the local day.
    pub due_today: u32,
}

/// Consecutive days with activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Current streak: consecutive active days ending today, or yesterday when today has no
    /// activity yet (the streak is not lost until the day is over).
    pub current: u32,
    /// Longest streak ever.
    pub longest: u32,
    /// Whether today already counts.
    pub active_today: bool,
}

/// Overall counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Attempts of any outcome.
    pub attempts: u32,
    /// Answered and graded.
    pub answered: u32,
    /// Skipped or revealed.
    pub skipped: u32,
    /// Distinct questions met.
    pub questions: u32,
    /// Mean score of graded answers.
    pub mean_score: Option<f32>,
    /// Minutes spent answering.
    pub minutes: u64,
    /// Days with any activity.
    pub active_days: u32,
    /// Flashcard reviews.
    pub reviews: u32,
}

/// The whole progress picture (`mockloop stats [--json]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Totals.
    pub totals: Totals,
    /// Per topic, in pack order (unpractised topics included, with empty series).
    pub topics: Vec<TopicStats>,
    /// Per signal, in display order (signals never measured are left out).
    pub signals: Vec<SignalStats>,
    /// Per round, in loop order.
    pub rounds: Vec<RoundReadiness>,
    /// Up to three weakest answered topics (ids), weakest first.
    pub weakest: Vec<String>,
    /// Flashcards.
    pub cards: CardCounts,
    /// Streak.
    pub streak: Streak,
}

/// Computes the statistics.
pub fn stats(input: &StatsInput<'_>) -> Stats {
    let day = |t: DateTime<Utc>| t.with_timezone(&input.offset).date_naive();
    let graded: Vec<&Attempt> = input.attempts.iter().filter(|a| a.outcome == Outcome::Answered).collect();

    let topics = input
        .pack
        .topics
        .iter()
        .map(|t| {
            let values: Vec<(NaiveDate, f32)> = graded
                .iter()
                .filter(|a| input.pack.question(&a.question).is_some_and(|q| q.has_topic(&t.id)))
                .map(|a| (day(a.started_at), a.score))
                .collect();
            let ability = input.abilities.iter().find(|a| a.topic == t.id);
            TopicStats {
                topic: t.id.clone(),
                name: t.name.clone(),
                rating: ability.map(|a| a.rating),
                answers: ability.map_or(values.len() as u32, |a| a.answers),
                scores: Series::from_values(&values),
            }
        })
        .collect();

    let signals = SignalKind::ALL
        .iter()
        .filter_map(|&kind| {
            let values: Vec<(NaiveDate, f32)> = graded
                .iter()
                .filter_map(|a| {
                    let s = a.assessment.as_ref()?.signal(kind).filter(|s| s.applies)?;
                    Some((day(a.started_at), s.value))
                })
                .collect();
            (!values.is_empty()).then(|| SignalStats {
                kind,
                label: kind.label().to_owned(),
                values: Series::from_values(&values),
            })
        })
        .collect();

    let levels = &input.pack.levels;
    let rounds = input
        .pack
        .rounds
        .iter()
        .map(|r| {
            let in_round: Vec<_> = input.pack.questions.iter().filter(|q| q.rounds.contains(&r.id)).collect();
            let suited: Vec<_> =
                in_round.iter().filter(|q| q.levels.iter().any(|l| l == input.level)).collect();
            let pool = if suited.is_empty() { in_round.iter().collect() } else { suited };
            let model = if pool.is_empty() {
                0.0
            } else {
                pool.iter()
                    .map(|q| {
                        let rating = q
                            .topics
                            .iter()
                            .map(|t| rating_or_prior(input.abilities, t, levels, input.level))
                            .fold(f64::INFINITY, f64::min);
                        let rating = if rating.is_finite() { rating } else { 0.0 };
                        expected_outcome(rating, question_difficulty(q, levels))
                    })
                    .sum::<f64>()
                    / pool.len() as f64
            } as f32;
            let scores: Vec<f32> = graded
                .iter()
                .filter(|a| {
                    a.round.as_deref() == Some(r.id.as_str()) || in_round.iter().any(|q| q.id == a.question)
                })
                .map(|a| a.score)
                .collect();
            let readiness = if scores.is_empty() {
                model
            } else {
                0.5 * model + 0.5 * (scores.iter().sum::<f32>() / scores.len() as f32 / 5.0).clamp(0.0, 1.0)
            };
            RoundReadiness {
                round: r.id.clone(),
                name: r.name.clone(),
                readiness,
                answered: scores.len() as u32,
            }
        })
        .collect();

    let mut answered: Vec<&Ability> = input.abilities.iter().filter(|a| a.answers > 0).collect();
    answered.sort_by(|a, b| a.rating.total_cmp(&b.rating).then_with(|| a.topic.cmp(&b.topic)));
    let weakest = answered.iter().take(3).map(|a| a.topic.clone()).collect();

    let today = day(input.now);
    let end_of_today = (today + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(input.offset).single())
        .map_or(input.now, |t| t.with_timezone(&Utc));
    let cards = CardCounts {
        total: input.cards.len() as u32,
        new: input.cards.iter().filter(|c| c.phase == CardPhase::New).count() as u32,
        due_now: input.cards.iter().filter(|c| c.due <= input.now).count() as u32,
        due_today: input.cards.iter().filter(|c| c.due < end_of_today).count() as u32,
    };

    let active: BTreeSet<NaiveDate> = input
        .attempts
        .iter()
        .map(|a| day(a.started_at))
        .chain(input.reviews.iter().map(|r| day(r.reviewed_at)))
        .collect();
    let streak = streak(&active, today);

    let mut distinct: Vec<&str> = input.attempts.iter().map(|a| a.question.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let totals = Totals {
        attempts: input.attempts.len() as u32,
        answered: graded.len() as u32,
        skipped: (input.attempts.len() - graded.len()) as u32,
        questions: distinct.len() as u32,
        mean_score: (!graded.is_empty())
            .then(|| graded.iter().map(|a| a.score).sum::<f32>() / graded.len() as f32),
        minutes: input.attempts.iter().map(|a| a.duration_ms).sum::<u64>() / 60_000,
        active_days: active.len() as u32,
        reviews: input.reviews.len() as u32,
    };

    Stats { totals, topics, signals, rounds, weakest, cards, streak }
}

/// The streak given the set of active days and today.
pub fn streak(active: &BTreeSet<NaiveDate>, today: NaiveDate) -> Streak {
    let run_back = |mut d: NaiveDate| {
        let mut n = 0;
        while active.contains(&d) {
            n += 1;
            match d.pred_opt() {
                Some(p) => d = p,
                None => break,
            }
        }
        n
    };
    let active_today = active.contains(&today);
    let current = if active_today { run_back(today) } else { today.pred_opt().map_or(0, run_back) };
    let mut longest = 0;
    let mut run = 0;
    let mut prev: Option<NaiveDate> = None;
    for d in active {
        run = if prev.and_then(|p| p.succ_opt()) == Some(*d) { run + 1 } else { 1 };
        longest = longest.max(run);
        prev = Some(*d);
    }
    Streak { current, longest, active_today }
}

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of the values, scaled between their minimum and maximum (`▁▂▃▄▅▆▇█`). Equal values
/// draw a flat middle line; non-finite values draw a space.
pub fn sparkline(values: &[f32]) -> String {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (min, max) = finite.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    values
        .iter()
        .map(|&v| {
            if !v.is_finite() {
                ' '
            } else if (max - min).abs() < f32::EPSILON {
                BLOCKS[3]
            } else {
                let i = ((v - min) / (max - min) * 7.0).round() as usize;
                BLOCKS[i.min(7)]
            }
        })
        .collect()
}

/// A horizontal bar `width` cells wide, filled in proportion to `value / max` with eighth-cell
/// precision and padded with `░`.
pub fn bar(value: f32, max: f32, width: usize) -> String {
    const PARTIAL: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let frac = if max > 0.0 && value.is_finite() { (value / max).clamp(0.0, 1.0) } else { 0.0 };
    let eighths = (frac * width as f32 * 8.0).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s: String = std::iter::repeat_n('█', full).collect();
    if part > 0 && full < width {
        s.push(PARTIAL[part]);
    }
    let used = s.chars().count();
    s.extend(std::iter::repeat_n('░', width.saturating_sub(used)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ability::tests::t0;
    use crate::debrief::tests::assessment;
    use crate::schedule::new_card;
    use crate::select::tests::{attempt, pack};
    use mockloop_domain::{Rating, ReviewSource};

    fn days(ds: &[i64]) -> BTreeSet<NaiveDate> {
        ds.iter().map(|d| t0().date_naive() + Duration::days(*d)).collect()
    }

    #[test]
    fn the_streak_counts_today_or_yesterday() {
        let today = t0().date_naive();
        let cases: [(&[i64], u32, u32, bool); 5] = [
            (&[0, -1, -2], 3, 3, true),
            (&[-1, -2], 2, 2, false),
            (&[-2, -3, -4, -5], 0, 4, false),
            (&[0, -2, -3], 1, 2, true),
            (&[], 0, 0, false),
        ];
        for (active, current, longest, today_active) in cases {
            let s = streak(&days(active), today);
            assert_eq!(
                (s.current, s.longest, s.active_today),
                (current, longest, today_active),
                "{active:?}"
            );
        }
    }

    fn input<'a>(
        pack: &'a Pack,
        attempts: &'a [Attempt],
        reviews: &'a [Review],
        cards: &'a [Card],
    ) -> StatsInput<'a> {
        StatsInput {
            pack,
            level: "senior",
            attempts,
            reviews,
            abilities: &[],
            cards,
            now: t0(),
            offset: FixedOffset::east_opt(0).expect("utc"),
        }
    }

    #[test]
    fn topic_series_average_each_day_and_show_the_trend() {
        let p = pack();
        let at = |d: i64, h: i64| t0() - Duration::days(d) + Duration::hours(h);
        let mut attempts = vec![
            attempt("dns-easy-01", 1.0, at(3, 0)),
            attempt("dns-easy-02", 2.0, at(3, 1)),
            attempt("dns-medium-21", 3.0, at(1, 0)),
            attempt("dns-hard-41", 4.5, at(0, 0)),
            attempt("networking-easy-01", 2.0, at(0, 0)),
        ];
        attempts[3].assessment = Some(assessment(4.5, 0.9));
        let mut skipped = attempt("kubernetes-easy-01", 0.0, at(0, 0));
        skipped.outcome = Outcome::Skipped;
        attempts.push(skipped);
        let s = stats(&input(&p, &attempts, &[], &[]));
        let dns = s.topics.iter().find(|t| t.topic == "dns").expect("dns");
        assert_eq!(dns.scores.values(), [1.5, 3.0, 4.5]);
        assert_eq!(dns.scores.latest, Some(4.5));
        assert_eq!(dns.scores.mean, Some(2.625));
        assert_eq!(dns.scores.trend, Some(3.0));
        let k8s = s.topics.iter().find(|t| t.topic == "kubernetes").expect("k8s");
        assert!(k8s.scores.points.is_empty(), "skipped answers are not scores");
        let clarity = s.signals.iter().find(|s| s.kind == SignalKind::Clarity).expect("clarity");
        assert_eq!(clarity.values.latest, Some(0.9));
        assert_eq!((s.totals.attempts, s.totals.answered, s.totals.skipped), (6, 5, 1));
        assert_eq!(s.totals.active_days, 3);
        assert_eq!(s.streak.current, 2, "today and yesterday");
        let json = serde_json::to_value(&s).expect("json");
        assert_eq!(json["streak"]["current"], 2);
    }

    #[test]
    fn readiness_follows_ability_and_weakest_topics_are_listed() {
        let p = pack();
        let strong: Vec<Ability> = ["dns", "networking", "kubernetes"]
            .iter()
            .map(|t| Ability { topic: (*t).into(), rating: 2.0, answers: 5, updated_at: t0() })
            .collect();
        let mut weak = strong.clone();
        weak[1].rating = -2.0;
        weak[0].rating = -1.0;
        let base = input(&p, &[], &[], &[]);
        let hi = stats(&StatsInput { abilities: &strong, ..base.clone() });
        let lo = stats(&StatsInput { abilities: &weak, ..base });
        assert!(hi.rounds[0].readiness > lo.rounds[0].readiness);
        assert_eq!(lo.weakest, ["networking", "dns", "kubernetes"]);
    }

    #[test]
    fn cards_due_now_and_today_are_counted_in_local_time() {
        let p = pack();
        let cards = [
            new_card("a", t0() - Duration::hours(1)),
            new_card("b", t0() + Duration::hours(5)),
            new_card("c", t0() + Duration::days(2)),
        ];
        let reviews = [Review {
            question: "a".into(),
            rating: Rating::Good,
            source: ReviewSource::Flashcard,
            reviewed_at: t0(),
        }];
        let s = stats(&input(&p, &[], &reviews, &cards));
        assert_eq!(s.cards, CardCounts { total: 3, new: 3, due_now: 1, due_today: 2 });
        assert!(s.streak.active_today, "a review counts as activity");
        // Eleven hours east, 09:00 UTC is 20:00 and local midnight is 13:00 UTC: card b falls tomorrow.
        let east = stats(&StatsInput {
            offset: FixedOffset::east_opt(11 * 3600).expect("offset"),
            ..input(&p, &[], &[], &cards)
        });
        assert_eq!(east.cards.due_today, 1);
    }

    #[test]
    fn sparklines_and_bars_draw_as_expected() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]), "▁▂▃▄▅▆▇█");
        assert_eq!(sparkline(&[2.0, 2.0]), "▄▄");
        assert_eq!(sparkline(&[1.0, f32::NAN, 3.0]), "▁ █");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(bar(5.0, 5.0, 4), "████");
        assert_eq!(bar(0.0, 5.0, 4), "░░░░");
        assert_eq!(bar(2.5, 5.0, 4), "██░░");
        assert_eq!(bar(1.0, 5.0, 5), "█░░░░");
        assert_eq!(bar(1.0, 4.0, 2), "▌░");
        assert_eq!(bar(0.5, 4.0, 2), "▎░");
        assert_eq!(bar(9.0, 0.0, 3), "░░░");
        assert_eq!(bar(3.0, 5.0, 10).chars().count(), 10);
    }
}
