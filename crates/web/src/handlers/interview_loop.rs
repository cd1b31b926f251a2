//! The interview loop and its debriefs: pages and their JSON mirrors. The logic is in
//! `crate::interview_loop`.

use axum::extract::Path;
use axum::response::Redirect;
use axum::Json;
use chrono::Utc;
use maud::Markup;
use serde::Deserialize;
use serde_json::{json, Value};
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Live, PageForm, Params};
use crate::interview_loop::{self, LoopState};
use crate::service::{self, given, AnswerInput};
use crate::views::{LoopPage, LoopStartPage, Page, ReportPage};
use crate::WebError;

/// `short` as a form checkbox or a query value.
#[derive(Debug, Default, Deserialize)]
pub struct LoopParams {
    /// Level (only when starting).
    pub level: Option<String>,
    /// `1`, `true` or `on`: one question a round.
    pub short: Option<String>,
}

impl LoopParams {
    fn short(&self) -> bool {
        matches!(given(&self.short), Some("1" | "true" | "on"))
    }
}

/// Where the loop goes next: the debrief when it is over, else its page.
fn next_location(s: &LoopState<'_>) -> String {
    match s.report {
        Some(r) => format!("/reports/{r}"),
        None => format!("/loop/{}{}", s.session, if s.short { "?short=1" } else { "" }),
    }
}

/// `GET /loop`: choose a level and the length, and see past debriefs.
#[instrument(skip_all)]
pub async fn loop_start_get(Live(state): Live, CurrentUser(user): CurrentUser) -> Result<Markup, WebError> {
    let level = service::level(&state, &user, None).await?;
    let reports = state.store.reports(user.id, 50).await?;
    Ok(LoopStartPage { pack: &state.pack, level: &level, reports: &reports }.render())
}

/// `POST /loop`: starts a loop and goes to its first question.
#[instrument(skip_all)]
pub async fn loop_start_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    PageForm(form): PageForm<LoopParams>,
) -> Result<Redirect, WebError> {
    let session = interview_loop::start(&state, &user, given(&form.level)).await?;
    let short = if form.short() { "?short=1" } else { "" };
    Ok(Redirect::to(&format!("/loop/{}{short}", session.id)))
}

/// `GET /loop/{id}`: the current round and question (or, when over, on to the debrief).
#[instrument(skip_all)]
pub async fn loop_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Params(params): Params<LoopParams>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let s = interview_loop::progress(&state, &user, &id, params.short()).await?;
    if s.question.is_none() {
        return Ok(Redirect::to(&next_location(&s)).into_response());
    }
    Ok(LoopPage { pack: &state.pack, state: &s, shown_at: Utc::now() }.render().into_response())
}

/// The answer form of a loop page.
#[derive(Deserialize)]
pub struct LoopAnswerForm {
    #[serde(flatten)]
    answer: AnswerInput,
    short: Option<String>,
}

/// `POST /loop/{id}`: grades and saves the answer in the current round, then the next question
/// (or the debrief after the last one).
#[instrument(skip_all)]
pub async fn loop_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<LoopAnswerForm>,
) -> Result<Redirect, WebError> {
    let short = LoopParams { level: None, short: form.short }.short();
    interview_loop::answer(&state, &user, &id, short, form.answer).await?;
    let s = interview_loop::progress(&state, &user, &id, short).await?;
    Ok(Redirect::to(&next_location(&s)))
}

/// `GET /reports/{id}`: a saved debrief.
#[instrument(skip_all)]
pub async fn report_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let (saved, debrief) = interview_loop::report(&state, &user, &id).await?;
    Ok(ReportPage { saved: &saved, debrief: &debrief }.render())
}

/// `{ "level": …, "short": … }`.
#[derive(Debug, Deserialize)]
pub struct LoopStartInput {
    level: Option<String>,
    #[serde(default)]
    short: bool,
}

/// `POST /api/loop`: starts a loop; answers with where it stands (its first question).
#[instrument(skip_all)]
pub async fn api_loop_start_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    ApiJson(input): ApiJson<LoopStartInput>,
) -> Result<Json<Value>, WebError> {
    let session = interview_loop::start(&state, &user, given(&input.level)).await?;
    let s = interview_loop::progress(&state, &user, &session.id.to_string(), input.short).await?;
    Ok(Json(json!(s)))
}

/// `GET /api/loop/{id}`: where a loop stands.
#[instrument(skip_all)]
pub async fn api_loop_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Params(params): Params<LoopParams>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(interview_loop::progress(&state, &user, &id, params.short()).await?)))
}

/// An answer in a loop: the practice answer fields plus `short`.
#[derive(Deserialize)]
pub struct LoopAnswerInput {
    #[serde(flatten)]
    answer: AnswerInput,
    #[serde(default)]
    short: bool,
}

/// `POST /api/loop/{id}/answer`: grades and saves the answer; returns the attempt and where the
/// loop stands now (with `report` set after the last question).
#[instrument(skip_all)]
pub async fn api_loop_answer_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LoopAnswerInput>,
) -> Result<Json<Value>, WebError> {
    let attempt = interview_loop::answer(&state, &user, &id, input.short, input.answer).await?;
    let s = interview_loop::progress(&state, &user, &id, input.short).await?;
    Ok(Json(json!({ "attempt": attempt, "loop": s })))
}

/// `GET /api/reports`: saved debriefs, newest first (without their bodies).
#[instrument(skip_all)]
pub async fn api_reports_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Value>, WebError> {
    let reports = state.store.reports(user.id, 200).await?;
    let list: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({ "id": r.id, "session": r.session, "level": r.level, "verdict": r.verdict,
                    "score": r.score, "created_at": r.created_at })
        })
        .collect();
    Ok(Json(json!(list)))
}

/// `GET /api/reports/{id}`: one saved debrief with its body.
#[instrument(skip_all)]
pub async fn api_report_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<mockloop_domain::LoopReport>, WebError> {
    Ok(Json(interview_loop::report(&state, &user, &id).await?.0))
}
