//! The interview loop in the browser: the pack's rounds in order, a few questions each, then the
//! debrief — what `mockloop loop` does in the terminal.
//!
//! **Stateless between requests.** A loop is a `Loop` session in the store; where it stands is
//! worked out from that session's attempts each time (each attempt records its round). The only
//! thing the store does not keep is "short" (one question a round), which the pages and the API
//! carry in the query string. So a reload, a second tab or a server restart all resume where the
//! user was, and nothing lives in server memory.
//!
//! **Time.** A round's time used is the sum of its answers' times (from when each question was
//! shown to when it was submitted); the page counts down what is left and the debrief notes an
//! overrun, as the terminal does. Nothing is cut off.
//!
//! Question choice and the debrief are `mockloop-practice`'s (`select`, `debrief`); answers are
//! graded and saved by [`crate::service::answer_in_round`], like practice answers. The terminal's
//! hands-on slots (a Terraform exercise or a scenario opening a round) and follow-up probes are
//! not part of the browser loop yet: those rounds are asked as questions.

use chrono::Utc;
use mockloop_domain::{
    Attempt, Filter, LoopReport, Outcome, Pack, Question, ReportId, Round, Session, SessionId, SessionKind,
    User,
};
use mockloop_practice::debrief::{self, Debrief, RoundAttempt, RoundInput};
use mockloop_practice::select;
use mockloop_store::AttemptQuery;
use serde::Serialize;

use crate::service;
use crate::{AppState, WebError};

/// One round and how far the loop got in it.
#[derive(Debug, Clone, Serialize)]
pub struct RoundProgress {
    /// Round id.
    pub id: String,
    /// Round name.
    pub name: String,
    /// Its time budget.
    pub budget_minutes: u32,
    /// Questions it asks.
    pub planned: u32,
    /// Questions answered, revealed or skipped in it so far.
    pub done: u32,
    /// Time used so far (the sum of its answers' times).
    pub elapsed_seconds: u64,
}

impl RoundProgress {
    /// Seconds left in the budget; negative when over.
    pub fn remaining_seconds(&self) -> i64 {
        i64::from(self.budget_minutes) * 60 - self.elapsed_seconds as i64
    }
}

/// Where a loop stands.
#[derive(Debug, Clone, Serialize)]
pub struct LoopState<'p> {
    /// The loop's session.
    pub session: SessionId,
    /// Level it is calibrated against.
    pub level: String,
    /// One question a round.
    pub short: bool,
    /// Every round, in the pack's order.
    pub rounds: Vec<RoundProgress>,
    /// Index into `rounds` of the round being played; `None` when the loop is over.
    pub current: Option<usize>,
    /// The question to answer now (`None` when the loop is over).
    #[serde(skip)]
    pub question: Option<&'p Question>,
    /// Its id, for the JSON API.
    pub question_id: Option<String>,
    /// Its prompt, for the JSON API.
    pub prompt: Option<String>,
    /// The saved debrief, once the loop is over.
    pub report: Option<ReportId>,
}

/// Questions a round asks in this loop.
fn planned(round: &Round, short: bool) -> u32 {
    if short {
        1
    } else {
        round.questions.max(1)
    }
}

/// A seed fixed per session and step, so a reload shows the same question.
fn seed(session: SessionId, step: usize) -> u64 {
    // FNV-1a over the id's text: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in session.to_string().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h.wrapping_add(step as u64)
}

/// Starts a loop at `level` (checked against the pack; the user's latest level when `None`).
pub async fn start(state: &AppState, user: &User, level: Option<&str>) -> Result<Session, WebError> {
    let level = service::level(state, user, level).await?;
    let session = Session {
        id: SessionId::new(),
        user: user.id,
        kind: SessionKind::Loop,
        level: Some(level),
        started_at: Utc::now(),
        finished_at: None,
    };
    state.store.start_session(&session).await?;
    Ok(session)
}

/// The loop's session, refusing sessions of another kind.
async fn loop_session(state: &AppState, user: &User, id: &str) -> Result<Session, WebError> {
    let id = SessionId::parse(id).ok_or_else(|| WebError::NotFound(format!("no loop `{id}`")))?;
    let session = state.store.session(user.id, id).await?;
    if session.kind != SessionKind::Loop {
        return Err(WebError::NotFound(format!("session {id} is not an interview loop")));
    }
    Ok(session)
}

/// Where the loop stands; when it has just ended, makes and saves the debrief.
pub async fn progress<'p>(
    state: &'p AppState,
    user: &User,
    id: &str,
    short: bool,
) -> Result<LoopState<'p>, WebError> {
    let pack: &'p Pack = &state.pack;
    let session = loop_session(state, user, id).await?;
    let level = session.level.clone().unwrap_or_else(|| state.config.default_level.clone());
    let history = state.store.attempts(user.id, &AttemptQuery::default()).await?;
    let mine: Vec<&Attempt> =
        history.iter().filter(|a| a.session == Some(session.id) && a.follow_up_of.is_none()).collect();
    let rounds: Vec<RoundProgress> = pack
        .rounds
        .iter()
        .map(|r| {
            let in_round = mine.iter().filter(|a| a.round.as_deref() == Some(r.id.as_str()));
            RoundProgress {
                id: r.id.clone(),
                name: r.name.clone(),
                budget_minutes: r.minutes,
                planned: planned(r, short),
                done: in_round.clone().count() as u32,
                elapsed_seconds: in_round.map(|a| a.duration_ms / 1000).sum(),
            }
        })
        .collect();
    let mut state_out = LoopState {
        session: session.id,
        level: level.clone(),
        short,
        rounds,
        current: None,
        question: None,
        question_id: None,
        prompt: None,
        report: None,
    };
    if session.finished_at.is_some() {
        state_out.report = report_of(state, user, session.id).await?;
        return Ok(state_out);
    }
    let abilities = state.store.abilities(user.id).await?;
    let asked: Vec<String> = mine.iter().map(|a| a.question.clone()).collect();
    let now = Utc::now();
    let next = pack.rounds.iter().zip(&state_out.rounds).enumerate().find_map(|(i, (round, progress))| {
        if progress.done >= progress.planned {
            return None;
        }
        let by_level =
            Filter { round: vec![round.id.clone()], level: vec![level.clone()], ..Filter::default() };
        let any_level = Filter { round: vec![round.id.clone()], ..Filter::default() };
        // A round with no question left to ask is over, answered or not.
        [by_level, any_level].iter().find_map(|f| {
            select::next_question(
                pack,
                &select::Request {
                    level: &level,
                    filter: f,
                    abilities: &abilities,
                    history: &history,
                    asked: &asked,
                    now,
                    seed: seed(session.id, asked.len()),
                },
            )
            .map(|pick| (i, pick.question))
        })
    });
    if let Some((i, q)) = next {
        state_out.current = Some(i);
        state_out.question = Some(q);
        state_out.question_id = Some(q.id.clone());
        state_out.prompt = Some(q.prompt.clone());
        return Ok(state_out);
    }
    state_out.report = Some(finish(state, user, &session, &level, &state_out.rounds, &mine).await?);
    Ok(state_out)
}

/// Scores the loop with the coaching core's debrief, saves it as a report and closes the session.
async fn finish(
    state: &AppState,
    user: &User,
    session: &Session,
    level: &str,
    rounds: &[RoundProgress],
    attempts: &[&Attempt],
) -> Result<ReportId, WebError> {
    let pack = &state.pack;
    let inputs: Vec<RoundInput<'_>> = rounds
        .iter()
        .map(|r| RoundInput {
            id: r.id.clone(),
            name: r.name.clone(),
            budget_minutes: r.budget_minutes,
            elapsed_seconds: r.elapsed_seconds,
            planned_questions: r.planned,
            attempts: attempts
                .iter()
                .filter(|a| a.round.as_deref() == Some(r.id.as_str()))
                .filter_map(|a| {
                    let assessment =
                        (a.outcome == Outcome::Answered).then_some(a.assessment.as_ref()).flatten();
                    pack.question(&a.question).map(|question| RoundAttempt { question, assessment })
                })
                .collect(),
            hands_on: Vec::new(),
        })
        .collect();
    let report = debrief::debrief(pack, level, &inputs);
    let now = Utc::now();
    let saved = LoopReport {
        id: ReportId::new(),
        user: user.id,
        session: session.id,
        level: level.to_owned(),
        verdict: report.verdict.as_str().to_owned(),
        score: report.score,
        created_at: now,
        body: report.to_json(),
    };
    state.store.save_report(&saved).await?;
    state.store.finish_session(user.id, session.id, now).await?;
    tracing::info!(report = %saved.id, verdict = %saved.verdict, "loop debrief saved");
    Ok(saved.id)
}

/// The report that closed a session, if any.
async fn report_of(state: &AppState, user: &User, session: SessionId) -> Result<Option<ReportId>, WebError> {
    Ok(state.store.reports(user.id, 1000).await?.into_iter().find(|r| r.session == session).map(|r| r.id))
}

/// Grades and saves an answer in the loop's current round.
pub async fn answer(
    state: &AppState,
    user: &User,
    id: &str,
    short: bool,
    mut input: service::AnswerInput,
) -> Result<Attempt, WebError> {
    let now = progress(state, user, id, short).await?;
    let Some(current) = now.current else {
        return Err(WebError::BadRequest("this loop is over; its debrief is saved".into()));
    };
    let round = now.rounds[current].id.clone();
    input.session = Some(now.session.to_string());
    input.level = Some(now.level.clone());
    let done = service::answer_in_round(state, user, input, Some(round)).await?;
    Ok(done.attempt)
}

/// A saved debrief.
pub async fn report(state: &AppState, user: &User, id: &str) -> Result<(LoopReport, Debrief), WebError> {
    let rid = ReportId::parse(id).ok_or_else(|| WebError::NotFound(format!("no report `{id}`")))?;
    let saved = state.store.report(user.id, rid).await?;
    let body = Debrief::from_json(&saved.body)
        .map_err(|e| WebError::Internal(format!("report {rid} cannot be read: {e}")))?;
    Ok((saved, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_stable_per_session_and_step() {
        let s = SessionId::new();
        assert_eq!(seed(s, 3), seed(s, 3));
        assert_ne!(seed(s, 3), seed(s, 4));
    }
}
