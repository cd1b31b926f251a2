//! Flashcard scheduling with FSRS (through `rs-fsrs`), on `domain::Card`.
//!
//! Every question the user meets becomes a card. A review in `mockloop review` gives a rating
//! directly; a graded practice answer is converted with [`rating_from_score`] and feeds the same
//! schedule. Short-term learning steps are on (Again 1m, Hard 5–6m, Good 10m for a new card) and
//! fuzz is off, so the schedule is a pure function of the inputs. (`rs-fsrs` seeds its fuzz from
//! the clock when parameters are built; with fuzz off that seed is never used.)

use chrono::{DateTime, Duration, Utc};
use mockloop_domain::{Card, CardPhase, Rating};

/// Desired retention used when none is configured.
pub const DEFAULT_RETENTION: f64 = 0.9;

/// An FSRS scheduler with a desired retention.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: rs_fsrs::FSRS,
    retention: f64,
}

impl Default for Scheduler {
    fn default() -> Self {
        Self::new(DEFAULT_RETENTION)
    }
}

impl Scheduler {
    /// A scheduler aiming for `retention` (the probability of recalling a card when it falls due),
    /// clamped to 0.70–0.99: lower values make reviews rare and forgetting common, higher ones
    /// make review load explode.
    pub fn new(retention: f64) -> Self {
        let retention = if retention.is_finite() { retention.clamp(0.70, 0.99) } else { DEFAULT_RETENTION };
        let params = rs_fsrs::Parameters {
            request_retention: retention,
            enable_fuzz: false,
            enable_short_term: true,
            ..rs_fsrs::Parameters::default()
        };
        Scheduler { fsrs: rs_fsrs::FSRS::new(params), retention }
    }

    /// The desired retention in use.
    pub fn retention(&self) -> f64 {
        self.retention
    }

    /// The card after being rated `rating` at `now`.
    pub fn review(&self, card: &Card, rating: Rating, now: DateTime<Utc>) -> Card {
        let next = self.fsrs.next(to_fsrs(card), now, to_fsrs_rating(rating));
        from_fsrs(&card.question, &next.card)
    }

    /// Feeds a graded practice answer (score 0–5) into the schedule: the question's card, or a new
    /// one when the user has none yet, reviewed with [`rating_from_score`].
    pub fn review_answer(
        &self,
        card: Option<&Card>,
        question_id: &str,
        score: f32,
        now: DateTime<Utc>,
    ) -> Card {
        let card = card.cloned().unwrap_or_else(|| new_card(question_id, now));
        self.review(&card, rating_from_score(score), now)
    }

    /// For each rating, how long until the card would be due again if rated so now.
    pub fn preview(&self, card: &Card, now: DateTime<Utc>) -> [(Rating, Duration); 4] {
        Rating::ALL.map(|r| (r, self.review(card, r, now).due - now))
    }

    /// The preview as one line: `Again 1m · Hard 6m · Good 10m · Easy 4d`.
    pub fn preview_line(&self, card: &Card, now: DateTime<Utc>) -> String {
        self.preview(card, now)
            .iter()
            .map(|(r, d)| format!("{} {}", rating_label(*r), format_interval(*d)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// A new card for `question_id`, due now.
pub fn new_card(question_id: &str, now: DateTime<Utc>) -> Card {
    Card {
        question: question_id.to_owned(),
        due: now,
        stability: 0.0,
        difficulty: 0.0,
        elapsed_days: 0,
        scheduled_days: 0,
        reps: 0,
        lapses: 0,
        phase: CardPhase::New,
        last_review: None,
    }
}

/// The flashcard rating a graded practice answer (score 0–5) stands for.
///
/// - below 1.5 → **Again**: the answer missed most key points; the user could not recall it.
/// - below 2.75 → **Hard**: roughly half covered — recalled, with serious gaps.
/// - below 4.0 → **Good**: most of it, the usual successful recall.
/// - 4.0 and up → **Easy**: near-complete; the grader's "strong answer" range.
///
/// The cut points sit where the grader's verdicts change, so a "weak" answer is never scheduled
/// as a success and only a strong one earns the long Easy interval. Non-finite scores are Again.
pub fn rating_from_score(score: f32) -> Rating {
    match score {
        s if !s.is_finite() || s < 1.5 => Rating::Again,
        s if s < 2.75 => Rating::Hard,
        s if s < 4.0 => Rating::Good,
        _ => Rating::Easy,
    }
}

/// Cards due at `now`, most overdue first (ties by question id).
pub fn due(cards: &[Card], now: DateTime<Utc>) -> Vec<&Card> {
    let mut due: Vec<&Card> = cards.iter().filter(|c| c.due <= now).collect();
    due.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.question.cmp(&b.question)));
    due
}

/// The probability (0–1) of recalling the card at `now`; 0 for a new card.
pub fn retrievability(card: &Card, now: DateTime<Utc>) -> f64 {
    to_fsrs(card).get_retrievability(now)
}

/// The display name of a rating.
pub fn rating_label(rating: Rating) -> &'static str {
    match rating {
        Rating::Again => "Again",
        Rating::Hard => "Hard",
        Rating::Good => "Good",
        Rating::Easy => "Easy",
    }
}

/// A compact interval: `1m`, `6m`, `3h`, `4d`, `3mo`, `1.2y` (never negative).
pub fn format_interval(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let days = minutes as f64 / 1440.0;
    if minutes < 60 {
        format!("{}m", minutes.max(1))
    } else if minutes < 1440 {
        format!("{}h", (minutes as f64 / 60.0).round())
    } else if days < 30.0 {
        format!("{}d", days.round())
    } else if days < 365.0 {
        format!("{}mo", (days / 30.0).round())
    } else {
        format!("{:.1}y", days / 365.0)
    }
}

fn to_fsrs_rating(r: Rating) -> rs_fsrs::Rating {
    match r {
        Rating::Again => rs_fsrs::Rating::Again,
        Rating::Hard => rs_fsrs::Rating::Hard,
        Rating::Good => rs_fsrs::Rating::Good,
        Rating::Easy => rs_fsrs::Rating::Easy,
    }
}

fn to_fsrs(card: &Card) -> rs_fsrs::Card {
    rs_fsrs::Card {
        due: card.due,
        stability: card.stability,
        difficulty: card.difficulty,
        elapsed_days: card.elapsed_days,
        scheduled_days: card.scheduled_days,
        reps: card.reps,
        lapses: card.lapses,
        state: match card.phase {
            CardPhase::New => rs_fsrs::State::New,
            CardPhase::Learning => rs_fsrs::State::Learning,
            CardPhase::Review => rs_fsrs::State::Review,
            CardPhase::Relearning => rs_fsrs::State::Relearning,
        },
        // A new card has no last review; FSRS ignores the field in that state.
        last_review: card.last_review.unwrap_or(card.due),
    }
}

fn from_fsrs(question: &str, c: &rs_fsrs::Card) -> Card {
    Card {
        question: question.to_owned(),
        due: c.due,
        stability: c.stability,
        difficulty: c.difficulty,
        elapsed_days: c.elapsed_days,
        scheduled_days: c.scheduled_days,
        reps: c.reps,
        lapses: c.lapses,
        phase: match c.state {
            rs_fsrs::State::New => CardPhase::New,
            rs_fsrs::State::Learning => CardPhase::Learning,
            rs_fsrs::State::Review => CardPhase::Review,
            rs_fsrs::State::Relearning => CardPhase::Relearning,
        },
        last_review: Some(c.last_review),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ability::tests::t0;

    /// A card reviewed Good now and again once due: in the long-interval Review phase.
    fn graduated(s: &Scheduler) -> Card {
        let c = s.review(&new_card("dns-ttl", t0()), Rating::Good, t0());
        let c = s.review(&c, Rating::Good, c.due);
        assert_eq!(c.phase, CardPhase::Review);
        c
    }

    #[test]
    fn again_gives_a_shorter_interval_than_easy() {
        let s = Scheduler::default();
        for card in [new_card("dns-ttl", t0()), graduated(&s)] {
            let now = card.due;
            let p = s.preview(&card, now);
            assert!(p[0].1 < p[1].1 || card.phase == CardPhase::Review, "{p:?}");
            assert!(p[0].1 < p[2].1 && p[2].1 < p[3].1, "{p:?}");
        }
    }

    #[test]
    fn a_new_card_previews_like_anki() {
        let s = Scheduler::default();
        let line = s.preview_line(&new_card("q", t0()), t0());
        assert!(line.starts_with("Again 1m · Hard 5m · Good 10m · Easy "), "{line}");
        assert!(line.ends_with('d'), "{line}");
    }

    #[test]
    fn higher_retention_gives_shorter_intervals() {
        let loose = Scheduler::new(0.80);
        let strict = Scheduler::new(0.97);
        let a = graduated(&loose);
        let b = graduated(&strict);
        let next_loose = loose.review(&a, Rating::Good, a.due).due - a.due;
        let next_strict = strict.review(&b, Rating::Good, b.due).due - b.due;
        assert!(next_strict < next_loose, "{next_strict} vs {next_loose}");
        assert_eq!(Scheduler::new(2.0).retention(), 0.99);
        assert_eq!(Scheduler::new(f64::NAN).retention(), DEFAULT_RETENTION);
    }

    #[test]
    fn a_review_keeps_the_question_and_counts_reps_and_lapses() {
        let s = Scheduler::default();
        let c = graduated(&s);
        let lapsed = s.review(&c, Rating::Again, c.due);
        assert_eq!(lapsed.question, "dns-ttl");
        assert_eq!(lapsed.reps, 3);
        assert_eq!(lapsed.lapses, 1);
        assert_eq!(lapsed.phase, CardPhase::Relearning);
        assert_eq!(lapsed.last_review, Some(c.due));
    }

    #[test]
    fn a_practice_answer_creates_or_advances_the_card() {
        let s = Scheduler::default();
        let weak = s.review_answer(None, "dns-ttl", 1.0, t0());
        let strong = s.review_answer(None, "dns-ttl", 4.5, t0());
        assert_eq!(weak.question, "dns-ttl");
        assert!(weak.due < strong.due, "a weak answer comes back sooner");
        let again = s.review_answer(Some(&strong), "dns-ttl", 4.5, strong.due);
        assert_eq!(again.reps, 2);
        assert!(again.due - strong.due > strong.due - t0(), "intervals grow");
    }

    #[test]
    fn practice_scores_map_to_ratings() {
        let cases = [
            (0.0, Rating::Again),
            (1.4, Rating::Again),
            (1.5, Rating::Hard),
            (2.7, Rating::Hard),
            (2.75, Rating::Good),
            (3.9, Rating::Good),
            (4.0, Rating::Easy),
            (5.0, Rating::Easy),
            (f32::NAN, Rating::Again),
        ];
        for (score, want) in cases {
            assert_eq!(rating_from_score(score), want, "{score}");
        }
    }

    #[test]
    fn due_lists_overdue_cards_first_and_skips_future_ones() {
        let mut a = new_card("a", t0() - Duration::days(1));
        a.phase = CardPhase::Review;
        let b = new_card("b", t0() - Duration::days(3));
        let c = new_card("c", t0() + Duration::hours(1));
        let d = new_card("d", t0());
        let cards = [a, b, c, d];
        let ids: Vec<&str> = due(&cards, t0()).iter().map(|c| c.question.as_str()).collect();
        assert_eq!(ids, ["b", "a", "d"]);
    }

    #[test]
    fn intervals_format_compactly() {
        let cases = [
            (Duration::seconds(20), "1m"),
            (Duration::minutes(6), "6m"),
            (Duration::hours(3), "3h"),
            (Duration::days(4), "4d"),
            (Duration::days(90), "3mo"),
            (Duration::days(438), "1.2y"),
        ];
        for (d, want) in cases {
            assert_eq!(format_interval(d), want);
        }
    }

    #[test]
    fn retrievability_falls_with_time() {
        let s = Scheduler::default();
        let c = graduated(&s);
        let soon = retrievability(&c, c.due);
        let late = retrievability(&c, c.due + Duration::days(60));
        assert!(soon > late && late > 0.0, "{soon} {late}");
        assert_eq!(retrievability(&new_card("x", t0()), t0()), 0.0);
    }
}
