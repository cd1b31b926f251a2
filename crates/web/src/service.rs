//! What the pages and the API both do, on top of the store and the coaching core.
//!
//! Everything here mirrors a CLI command so both front ends leave the same records: an answer is
//! graded, saved as an `Attempt`, and then fed to the topic abilities and the question's FSRS card
//! exactly as `mockloop practice` does in `commands/practice.rs::learn`.

use chrono::{DateTime, Duration, Local, NaiveDate, Offset, Utc};
use mockloop_domain::{
    Attempt, AttemptId, Card, Category, Difficulty, Filter, Outcome, Pack, Question, Rating, Review,
    ReviewSource, Session, SessionId, SessionKind, User,
};
use mockloop_grading::{Assessment, Coverage, Grader, Rubric};
use mockloop_practice::plan::{make_plan, Plan, PlanRequest, Span};
use mockloop_practice::stats::{self, Stats, StatsInput};
use mockloop_practice::{ability, schedule, select};
use mockloop_store::AttemptQuery;
use serde::{Deserialize, Serialize};

use crate::{AppState, WebError};

/// An empty form field means "not given".
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks a level id against the pack.
pub fn check_level(pack: &Pack, level: &str) -> Result<(), WebError> {
    if pack.level(level).is_none() {
        let ids: Vec<_> = pack.levels.iter().map(|l| l.id.as_str()).collect();
        return Err(WebError::BadRequest(format!(
            "unknown level `{level}`; choose one of: {}",
            ids.join(", ")
        )));
    }
    Ok(())
}

/// The level to use: the one asked for, else that of the user's latest session, else the default
/// (as `mockloop stats` and `plan` do).
pub async fn level(state: &AppState, user: &User, asked: Option<&str>) -> Result<String, WebError> {
    if let Some(l) = asked {
        check_level(&state.pack, l)?;
        return Ok(l.to_owned());
    }
    let sessions = state.store.sessions(user.id, 20).await?;
    Ok(sessions
        .into_iter()
        .find_map(|s| s.level)
        .filter(|l| state.pack.level(l).is_some())
        .unwrap_or_else(|| state.config.default_level.clone()))
}

/// Filters for the question bank and for practice; every field optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FilterParams {
    /// Difficulty id.
    pub difficulty: Option<String>,
    /// Category id.
    pub category: Option<String>,
    /// Topic id.
    pub topic: Option<String>,
    /// Level id (questions suited to it).
    pub level: Option<String>,
    /// Round id.
    pub round: Option<String>,
    /// Search text (ranked with BM25).
    pub q: Option<String>,
}

impl FilterParams {
    /// The domain filter, with every id checked against the pack.
    pub fn filter(&self, pack: &Pack, with_level: bool) -> Result<Filter, WebError> {
        let mut f = Filter::default();
        if let Some(d) = given(&self.difficulty) {
            f.difficulty.push(Difficulty::parse(d).ok_or_else(|| {
                WebError::BadRequest(format!("unknown difficulty `{d}`; choose easy, medium or hard"))
            })?);
        }
        if let Some(c) = given(&self.category) {
            f.category.push(Category::parse(c).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "unknown category `{c}`; choose technical, role-specific, situational or behavioral"
                ))
            })?);
        }
        if let Some(t) = given(&self.topic) {
            if pack.topic(t).is_none() {
                return Err(WebError::BadRequest(format!("unknown topic `{t}`")));
            }
            f.topic.push(t.to_owned());
        }
        if let Some(r) = given(&self.round) {
            if pack.round(r).is_none() {
                return Err(WebError::BadRequest(format!("unknown round `{r}`")));
            }
            f.round.push(r.to_owned());
        }
        if with_level {
            if let Some(l) = given(&self.level) {
                check_level(pack, l)?;
                f.level.push(l.to_owned());
            }
        }
        Ok(f)
    }
}

/// Questions matching the filters; ranked by relevance when there is a search, else in pack order.
pub fn list_questions<'p>(pack: &'p Pack, params: &FilterParams) -> Result<Vec<&'p Question>, WebError> {
    let filter = params.filter(pack, true)?;
    let matching = pack.filter(&filter);
    Ok(match given(&params.q) {
        Some(q) => mockloop_domain::search::search(matching, q).into_iter().map(|h| h.question).collect(),
        None => matching,
    })
}

/// What practice asks next.
#[derive(Debug, Clone, Serialize)]
pub struct Next<'p> {
    /// The question.
    #[serde(skip)]
    pub question: &'p Question,
    /// Its id.
    pub id: String,
    /// The topic it works on.
    pub topic: String,
    /// Why this question now.
    pub reason: String,
    /// Level of the session.
    pub level: String,
    /// The session it belongs to, when one has started.
    pub session: Option<SessionId>,
}

/// Where a practice sitting stands: level, filters and session.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PracticeParams {
    /// Level to practise at.
    pub level: Option<String>,
    /// Running session (questions already asked in it are not asked again).
    pub session: Option<String>,
    /// Only this topic.
    pub topic: Option<String>,
    /// Only this category.
    pub category: Option<String>,
    /// Only this round.
    pub round: Option<String>,
    /// Ask this question (from "Practise this" in the bank) instead of choosing one.
    pub question: Option<String>,
}

impl PracticeParams {
    fn filter(&self, pack: &Pack) -> Result<Filter, WebError> {
        FilterParams {
            topic: self.topic.clone(),
            category: self.category.clone(),
            round: self.round.clone(),
            ..FilterParams::default()
        }
        .filter(pack, false)
    }

    /// The session id, if one is given and well-formed.
    pub fn session_id(&self) -> Result<Option<SessionId>, WebError> {
        given(&self.session)
            .map(|s| {
                SessionId::parse(s).ok_or_else(|| WebError::BadRequest(format!("`{s}` is not a session id")))
            })
            .transpose()
    }

    /// The query string that continues this sitting (`level=…&session=…`).
    pub fn query(&self, session: Option<SessionId>) -> String {
        let session = session.map(|s| s.to_string()).or_else(|| given(&self.session).map(str::to_owned));
        let pairs = [
            ("level", given(&self.level).map(str::to_owned)),
            ("session", session),
            ("topic", given(&self.topic).map(str::to_owned)),
            ("category", given(&self.category).map(str::to_owned)),
            ("round", given(&self.round).map(str::to_owned)),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", urlencode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (ids are plain, but names typed by a user may not be).
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A seed that varies between requests (selection is otherwise deterministic).
fn seed() -> u64 {
    Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64
}

/// The next question for this sitting, or `None` when every allowed one has been asked.
pub async fn next<'p>(
    state: &'p AppState,
    user: &User,
    params: &PracticeParams,
) -> Result<Option<Next<'p>>, WebError> {
    let pack: &'p Pack = &state.pack;
    let level = level(state, user, given(&params.level)).await?;
    let filter = params.filter(pack)?;
    let session = params.session_id()?;
    let abilities = state.store.abilities(user.id).await?;
    let history = state.store.attempts(user.id, &AttemptQuery::default()).await?;
    let asked: Vec<String> = match session {
        Some(s) => history.iter().filter(|a| a.session == Some(s)).map(|a| a.question.clone()).collect(),
        None => Vec::new(),
    };
    if let Some(id) = given(&params.question) {
        let q = pack.question(id).ok_or_else(|| WebError::NotFound(format!("question `{id}` not found")))?;
        return Ok(Some(Next {
            question: q,
            id: q.id.clone(),
            topic: q.topics.first().cloned().unwrap_or_default(),
            reason: "you picked it from the question bank".to_owned(),
            level,
            session,
        }));
    }
    let req = select::Request {
        level: &level,
        filter: &filter,
        abilities: &abilities,
        history: &history,
        asked: &asked,
        now: Utc::now(),
        seed: seed(),
    };
    Ok(select::next_question(pack, &req).map(|pick| Next {
        question: pick.question,
        id: pick.question.id.clone(),
        topic: pick.topic,
        reason: pick.reason,
        level: level.clone(),
        session,
    }))
}

/// What the user did with a question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Submitted an answer to grade.
    #[default]
    Answer,
    /// Skipped it.
    Skip,
    /// Asked for the model answer instead.
    Reveal,
}

/// An answer to a practice question.
#[derive(Debug, Clone, Deserialize)]
pub struct AnswerInput {
    /// Question id.
    pub question: String,
    /// The answer text (ignored for skip and reveal).
    #[serde(default)]
    pub answer: String,
    /// What the user did.
    #[serde(default)]
    pub action: Action,
    /// Level of the sitting.
    pub level: Option<String>,
    /// Session to add the attempt to; a new practice session is started when absent.
    pub session: Option<String>,
    /// When the question was shown (for the time taken).
    pub shown_at: Option<DateTime<Utc>>,
}

/// A topic ability that moved.
#[derive(Debug, Clone, Serialize)]
pub struct AbilityChange {
    /// Topic id.
    pub topic: String,
    /// Rating before.
    pub before: f64,
    /// Rating after.
    pub after: f64,
}

/// The saved attempt and what it changed.
#[derive(Debug, Clone, Serialize)]
pub struct Answered {
    /// The attempt as stored (with its assessment).
    pub attempt: Attempt,
    /// The session it belongs to.
    pub session: SessionId,
    /// Topic abilities that moved.
    pub abilities: Vec<AbilityChange>,
    /// When the question's flashcard is next due.
    pub card_due: Option<DateTime<Utc>>,
}

/// Grades off the async threads: the semantic path runs a neural model for tens of milliseconds.
async fn grade(state: &AppState, rubric: Rubric, answer: String) -> Result<Assessment, WebError> {
    let permit = state.grading_slot().await?;
    let embedder = state.grader.embedder.clone();
    let assessment = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let grader = match &embedder {
            Some(e) => Grader::with_embedder(e.as_ref()),
            None => Grader::lexical(),
        };
        grader.assess(&rubric, &answer)
    })
    .await
    .map_err(|e| WebError::Internal(format!("grading task failed: {e}")))?
    .map_err(WebError::from)?;
    state.metrics.graded(&assessment.method);
    Ok(assessment)
}

fn elapsed_ms(shown_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> u64 {
    // A stale or forged timestamp must not produce nonsense: clamp to 0–6 hours.
    shown_at.map_or(0, |t| (now - t).num_milliseconds().clamp(0, 6 * 3_600_000) as u64)
}

/// Grades (unless skipped or revealed) and saves an answer, then updates abilities and the card.
pub async fn answer(state: &AppState, user: &User, input: AnswerInput) -> Result<Answered, WebError> {
    answer_in_round(state, user, input, None).await
}

/// [`answer`], recording the interview round the attempt belongs to (the loop's rounds).
pub async fn answer_in_round(
    state: &AppState,
    user: &User,
    input: AnswerInput,
    round: Option<String>,
) -> Result<Answered, WebError> {
    let pack = &state.pack;
    let q = pack
        .question(&input.question)
        .ok_or_else(|| WebError::NotFound(format!("question `{}` not found", input.question)))?;
    let level = level(state, user, given(&input.level)).await?;
    let now = Utc::now();
    let session = match given(&input.session) {
        Some(s) => {
            let id = SessionId::parse(s)
                .ok_or_else(|| WebError::BadRequest(format!("`{s}` is not a session id")))?;
            state.store.session(user.id, id).await?.id
        }
        None => {
            let s = Session {
                id: SessionId::new(),
                user: user.id,
                kind: SessionKind::Practice,
                level: Some(level.clone()),
                started_at: now,
                finished_at: None,
            };
            state.store.start_session(&s).await?;
            s.id
        }
    };
    let mut attempt = Attempt {
        id: AttemptId::new(),
        user: user.id,
        session: Some(session),
        question: q.id.clone(),
        round,
        follow_up_of: None,
        prompt: q.prompt.clone(),
        answer: String::new(),
        outcome: Outcome::Skipped,
        score: 0.0,
        assessment: None,
        hints: 0,
        started_at: input.shown_at.unwrap_or(now),
        duration_ms: elapsed_ms(input.shown_at, now),
    };
    match input.action {
        Action::Skip => {}
        Action::Reveal => attempt.outcome = Outcome::Revealed,
        Action::Answer => {
            if input.answer.trim().is_empty() {
                return Err(WebError::BadRequest(
                    "the answer is empty: write one, or skip the question".into(),
                ));
            }
            let assessment = grade(state, q.rubric(), input.answer.clone()).await?;
            attempt.outcome = Outcome::Answered;
            attempt.answer = input.answer;
            attempt.score = assessment.score;
            attempt.assessment = Some(assessment);
        }
    }
    state.store.add_attempt(&attempt).await?;
    let (abilities, card_due) = learn(state, user, &level, q, &attempt).await?;
    tracing::info!(question = %q.id, outcome = attempt.outcome.as_str(), score = attempt.score, "attempt saved");
    Ok(Answered { attempt, session, abilities, card_due })
}

/// Feeds an attempt into the user's progress, as `mockloop practice` does: the question's card
/// (answered, or revealed as a failed recall) and, for graded answers, the topic abilities.
async fn learn(
    state: &AppState,
    user: &User,
    level: &str,
    q: &Question,
    attempt: &Attempt,
) -> Result<(Vec<AbilityChange>, Option<DateTime<Utc>>), WebError> {
    let now = Utc::now();
    let rating = match attempt.outcome {
        Outcome::Answered => schedule::rating_from_score(attempt.score),
        Outcome::Revealed => Rating::Again,
        Outcome::Skipped => return Ok((Vec::new(), None)),
    };
    let cards = state.store.cards(user.id).await?;
    let base =
        cards.iter().find(|c| c.question == q.id).cloned().unwrap_or_else(|| schedule::new_card(&q.id, now));
    let next = schedule::Scheduler::default().review(&base, rating, now);
    let review = Review { question: q.id.clone(), rating, source: ReviewSource::Practice, reviewed_at: now };
    state.store.record_review(user.id, &next, &review).await?;
    if attempt.outcome != Outcome::Answered {
        return Ok((Vec::new(), Some(next.due)));
    }
    let abilities = state.store.abilities(user.id).await?;
    let updates = ability::record_answer(&abilities, q, &state.pack.levels, level, attempt.score, now);
    let mut changes = Vec::new();
    for u in &updates {
        let before = ability::rating_or_prior(&abilities, &u.topic, &state.pack.levels, level);
        state.store.put_ability(user.id, u).await?;
        changes.push(AbilityChange { topic: u.topic.clone(), before, after: u.rating });
    }
    Ok((changes, Some(next.due)))
}

/// Ids of key points the answer missed or only touched.
pub fn gaps(a: &Assessment) -> Vec<String> {
    a.key_points.iter().filter(|k| k.status != Coverage::Covered).map(|k| k.id.clone()).collect()
}

/// The rubric for a follow-up: the probed key points, judged against the same reference (as the
/// terminal interviewer does).
fn probe_rubric(rubric: &Rubric, prompt: &str, missed: &[String]) -> Rubric {
    Rubric {
        prompt: prompt.to_owned(),
        key_points: rubric.key_points.iter().filter(|k| missed.contains(&k.id)).cloned().collect(),
        follow_ups: Vec::new(),
        time_minutes: Some(3),
        ..rubric.clone()
    }
}

/// An answer to the follow-up probe of an attempt.
#[derive(Debug, Clone, Deserialize)]
pub struct FollowUpInput {
    /// The attempt whose follow-up is answered.
    pub attempt: String,
    /// The answer.
    pub answer: String,
    /// When the probe was shown.
    pub shown_at: Option<DateTime<Utc>>,
}

/// Grades and saves the answer to an attempt's follow-up probe.
pub async fn follow_up(state: &AppState, user: &User, input: FollowUpInput) -> Result<Attempt, WebError> {
    let id = AttemptId::parse(input.attempt.trim())
        .ok_or_else(|| WebError::BadRequest(format!("`{}` is not an attempt id", input.attempt)))?;
    let first = state.store.attempt(user.id, id).await?;
    let q = state.pack.question(&first.question).ok_or_else(|| {
        WebError::NotFound(format!("question `{}` is no longer in the pack", first.question))
    })?;
    let (prompt, missed) = match (&first.assessment, first.follow_up_of) {
        (Some(a), None) => match &a.follow_up {
            Some(p) if !gaps(a).is_empty() => (p.clone(), gaps(a)),
            _ => return Err(WebError::BadRequest("this attempt has no follow-up probe".into())),
        },
        _ => return Err(WebError::BadRequest("this attempt has no follow-up probe".into())),
    };
    if input.answer.trim().is_empty() {
        return Err(WebError::BadRequest("the answer is empty".into()));
    }
    let rubric = probe_rubric(&q.rubric(), &prompt, &missed);
    let assessment = grade(state, rubric, input.answer.clone()).await?;
    let now = Utc::now();
    let attempt = Attempt {
        id: AttemptId::new(),
        user: user.id,
        session: first.session,
        question: q.id.clone(),
        round: first.round.clone(),
        follow_up_of: Some(first.id),
        prompt,
        answer: input.answer,
        outcome: Outcome::Answered,
        score: assessment.score,
        assessment: Some(assessment),
        hints: 0,
        started_at: input.shown_at.unwrap_or(now),
        duration_ms: elapsed_ms(input.shown_at, now),
    };
    state.store.add_attempt(&attempt).await?;
    Ok(attempt)
}

/// The follow-up attempts made after `first`.
pub async fn follow_ups_of(state: &AppState, user: &User, first: &Attempt) -> Result<Vec<Attempt>, WebError> {
    let query = AttemptQuery { question: Some(first.question.clone()), ..AttemptQuery::default() };
    let all = state.store.attempts(user.id, &query).await?;
    Ok(all.into_iter().filter(|a| a.follow_up_of == Some(first.id)).collect())
}

/// New cards introduced per day at most (the CLI's `review --new` default).
const NEW_PER_DAY: usize = 5;

/// The cards to review now: due ones first, most overdue first; then, while fewer than `limit` are
/// due, new cards from questions never met, easy first, at most [`NEW_PER_DAY`] a day. The CLI
/// caps new cards per sitting; a web page has no sittings, so the cap counts cards first reviewed
/// today.
pub fn todays_cards(
    pack: &Pack,
    cards: &[Card],
    reviews: &[Review],
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<Card> {
    let mut out: Vec<Card> = schedule::due(cards, now).into_iter().take(limit).cloned().collect();
    let today = now.with_timezone(&Local).date_naive();
    let mut first_seen: std::collections::HashMap<&str, NaiveDate> = std::collections::HashMap::new();
    for r in reviews {
        let d = r.reviewed_at.with_timezone(&Local).date_naive();
        first_seen.entry(r.question.as_str()).and_modify(|e| *e = (*e).min(d)).or_insert(d);
    }
    let introduced_today = first_seen.values().filter(|d| **d == today).count();
    let new_allowed = NEW_PER_DAY.saturating_sub(introduced_today);
    if out.len() < limit && new_allowed > 0 {
        let mut fresh: Vec<_> = pack
            .questions
            .iter()
            .filter(|q| !q.flashcard.is_empty() && !cards.iter().any(|c| c.question == q.id))
            .collect();
        fresh.sort_by_key(|q| (q.difficulty, q.id.clone()));
        out.extend(
            fresh
                .into_iter()
                .take(new_allowed.min(limit - out.len()))
                .map(|q| schedule::new_card(&q.id, now)),
        );
    }
    out
}

/// Today's review queue for the user.
pub async fn due_cards(state: &AppState, user: &User, limit: usize) -> Result<Vec<Card>, WebError> {
    let cards = state.store.cards(user.id).await?;
    let reviews = state.store.reviews(user.id).await?;
    Ok(todays_cards(&state.pack, &cards, &reviews, Utc::now(), limit))
}

/// A flashcard rating.
#[derive(Debug, Clone, Deserialize)]
pub struct RateInput {
    /// Question id of the card.
    pub question: String,
    /// `1`–`4`, `again`/`hard`/`good`/`easy`.
    pub rating: String,
}

/// The card after a rating.
#[derive(Debug, Clone, Serialize)]
pub struct Rated {
    /// The card's new state.
    pub card: Card,
    /// The rating given.
    pub rating: Rating,
    /// Time until it is due again, e.g. `10m`, `4d`.
    pub next_in: String,
}

/// Rates a flashcard and saves the review with the card's new schedule.
pub async fn rate(state: &AppState, user: &User, input: &RateInput) -> Result<Rated, WebError> {
    let q = state
        .pack
        .question(&input.question)
        .ok_or_else(|| WebError::NotFound(format!("question `{}` not found", input.question)))?;
    let rating = Rating::parse(&input.rating).ok_or_else(|| {
        WebError::BadRequest(format!("`{}` is not a rating: use 1–4 or again/hard/good/easy", input.rating))
    })?;
    let now = Utc::now();
    let cards = state.store.cards(user.id).await?;
    let card =
        cards.iter().find(|c| c.question == q.id).cloned().unwrap_or_else(|| schedule::new_card(&q.id, now));
    let next = schedule::Scheduler::default().review(&card, rating, now);
    let review = Review { question: q.id.clone(), rating, source: ReviewSource::Flashcard, reviewed_at: now };
    state.store.record_review(user.id, &next, &review).await?;
    Ok(Rated { next_in: schedule::format_interval(next.due - now), card: next, rating })
}

/// Everything the progress pages show.
pub struct Progress {
    /// Level readiness is measured against.
    pub level: String,
    /// The statistics.
    pub stats: Stats,
    /// All attempts, oldest first.
    pub attempts: Vec<Attempt>,
}

/// Computes the user's statistics (as `mockloop stats`).
pub async fn progress(
    state: &AppState,
    user: &User,
    level_param: Option<&str>,
) -> Result<Progress, WebError> {
    let level = level(state, user, level_param).await?;
    let attempts = state.store.attempts(user.id, &AttemptQuery::default()).await?;
    let reviews = state.store.reviews(user.id).await?;
    let abilities = state.store.abilities(user.id).await?;
    let cards = state.store.cards(user.id).await?;
    let stats = stats::stats(&StatsInput {
        pack: &state.pack,
        level: &level,
        attempts: &attempts,
        reviews: &reviews,
        abilities: &abilities,
        cards: &cards,
        now: Utc::now(),
        offset: Local::now().offset().fix(),
    });
    Ok(Progress { level, stats, attempts })
}

/// Plan form fields (all optional; defaults as `mockloop plan`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PlanParams {
    /// Weeks to plan (1–52), when there is no interview date.
    pub weeks: Option<String>,
    /// Interview date, YYYY-MM-DD.
    pub interview_date: Option<String>,
    /// Hours per day (0.25–16).
    pub hours_per_day: Option<String>,
    /// Target level.
    pub level: Option<String>,
    /// First day, YYYY-MM-DD.
    pub start: Option<String>,
}

impl PlanParams {
    /// The same parameters as a query string.
    pub fn query(&self) -> String {
        [
            ("weeks", &self.weeks),
            ("interview_date", &self.interview_date),
            ("hours_per_day", &self.hours_per_day),
            ("level", &self.level),
            ("start", &self.start),
        ]
        .iter()
        .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", urlencode(v))))
        .collect::<Vec<_>>()
        .join("&")
    }
}

fn date(field: &str, s: &str) -> Result<NaiveDate, WebError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| WebError::BadRequest(format!("{field} `{s}` is not a date like 2026-12-15")))
}

/// Builds the user's prep plan.
pub async fn plan(state: &AppState, user: &User, p: &PlanParams) -> Result<Plan, WebError> {
    let start = match given(&p.start) {
        Some(s) => date("start", s)?,
        None => Local::now().date_naive(),
    };
    let span = match given(&p.interview_date) {
        Some(d) => {
            let d = date("interview_date", d)?;
            if d <= start {
                return Err(WebError::BadRequest(format!(
                    "the interview date {d} is not after the start date {start}"
                )));
            }
            Span::Until(d)
        }
        None => {
            let weeks = match given(&p.weeks) {
                Some(w) => w
                    .parse::<u32>()
                    .map_err(|_| WebError::BadRequest(format!("weeks `{w}` is not a number")))?,
                None => 4,
            };
            if !(1..=52).contains(&weeks) {
                return Err(WebError::BadRequest("weeks must be between 1 and 52".into()));
            }
            Span::Weeks(weeks)
        }
    };
    let hours_per_day = match given(&p.hours_per_day) {
        Some(h) => h
            .parse::<f32>()
            .map_err(|_| WebError::BadRequest(format!("hours per day `{h}` is not a number")))?,
        None => 1.5,
    };
    if !(0.25..=16.0).contains(&hours_per_day) {
        return Err(WebError::BadRequest("hours per day must be between 0.25 and 16".into()));
    }
    let level = level(state, user, given(&p.level)).await?;
    let abilities = state.store.abilities(user.id).await?;
    let history = state.store.attempts(user.id, &AttemptQuery::default()).await?;
    Ok(make_plan(&PlanRequest {
        pack: &state.pack,
        level: &level,
        start,
        span,
        hours_per_day,
        abilities: &abilities,
        history: &history,
        seed: 7,
    }))
}

/// Daily mean score of graded answers over the last `days` days (for the dashboard chart).
pub fn daily_scores(attempts: &[Attempt], now: DateTime<Utc>, days: i64) -> Vec<(NaiveDate, f32, u32)> {
    let since = now - Duration::days(days);
    let mut by_day: std::collections::BTreeMap<NaiveDate, (f32, u32)> = std::collections::BTreeMap::new();
    for a in attempts
        .iter()
        .filter(|a| a.outcome == Outcome::Answered && a.follow_up_of.is_none() && a.started_at >= since)
    {
        let e = by_day.entry(a.started_at.with_timezone(&Local).date_naive()).or_insert((0.0, 0));
        e.0 += a.score;
        e.1 += 1;
    }
    by_day.into_iter().map(|(d, (s, n))| (d, s / n as f32, n)).collect()
}
