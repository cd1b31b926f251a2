//! Adaptive practice: the next question, grading an answer, the follow-up probe.

use axum::response::Redirect;
use axum::Json;
use chrono::Utc;
use maud::Markup;
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Live, PageForm, Params};
use crate::service::{self, AnswerInput, Answered, FollowUpInput, PracticeParams};
use crate::views::{Page, PracticePage};
use crate::WebError;

/// `GET /practice`.
#[instrument(skip_all)]
pub async fn practice_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(params): Params<PracticeParams>,
) -> Result<Markup, WebError> {
    let next = service::next(&state, &user, &params).await?;
    Ok(PracticePage { pack: &state.pack, next, params: &params, shown_at: Utc::now() }.render())
}

/// The practice form: the answer plus the sitting's filters, carried along.
#[derive(Deserialize)]
pub struct PracticeForm {
    #[serde(flatten)]
    answer: AnswerInput,
    topic: Option<String>,
    category: Option<String>,
    round: Option<String>,
}

/// `POST /practice`: grades and saves, then shows the attempt with its feedback (303 to
/// `/attempts/{id}`, so reloading the page does not answer twice).
#[instrument(skip_all)]
pub async fn practice_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    PageForm(form): PageForm<PracticeForm>,
) -> Result<Redirect, WebError> {
    let sitting = PracticeParams {
        level: form.answer.level.clone(),
        session: None,
        topic: form.topic,
        category: form.category,
        round: form.round,
        question: None,
    };
    let done = service::answer(&state, &user, form.answer).await?;
    let next = sitting.query(Some(done.session));
    Ok(Redirect::to(&format!("/attempts/{}?{next}", done.attempt.id)))
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    #[serde(flatten)]
    input: FollowUpInput,
    next: Option<String>,
}

/// `POST /practice/follow-up`: grades the follow-up and goes back to the attempt.
#[instrument(skip_all)]
pub async fn practice_follow_up_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    PageForm(form): PageForm<FollowUpForm>,
) -> Result<Redirect, WebError> {
    let a = service::follow_up(&state, &user, form.input).await?;
    let first = a.follow_up_of.map(|id| id.to_string()).unwrap_or_default();
    // Only our own query strings are carried; anything odd is dropped rather than redirected to.
    let next = form.next.filter(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b"=&-_.%~".contains(&b)));
    Ok(Redirect::to(&match next {
        Some(n) => format!("/attempts/{first}?{n}"),
        None => format!("/attempts/{first}"),
    }))
}

#[derive(Serialize)]
pub struct NextQuestion<'a> {
    #[serde(flatten)]
    next: service::Next<'a>,
    prompt: &'a str,
    time_minutes: u32,
}

/// `GET /api/practice/next`: the next question and why; `{"question": null}` when none is left.
#[instrument(skip_all)]
pub async fn api_next_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(params): Params<PracticeParams>,
) -> Result<Json<serde_json::Value>, WebError> {
    let next = service::next(&state, &user, &params).await?;
    let body = match next {
        Some(n) => {
            let (prompt, time_minutes) = (n.question.prompt.as_str(), n.question.time_minutes);
            serde_json::json!({ "question": NextQuestion { next: n, prompt, time_minutes } })
        }
        None => serde_json::json!({ "question": null }),
    };
    Ok(Json(body))
}

/// `POST /api/practice/answer`: grades, saves, updates abilities and the card.
#[instrument(skip_all)]
pub async fn api_answer_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Json<Answered>, WebError> {
    Ok(Json(service::answer(&state, &user, input).await?))
}

/// `POST /api/practice/follow-up`: grades and saves the answer to an attempt's probe.
#[instrument(skip_all)]
pub async fn api_follow_up_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<Json<mockloop_domain::Attempt>, WebError> {
    Ok(Json(service::follow_up(&state, &user, input).await?))
}
