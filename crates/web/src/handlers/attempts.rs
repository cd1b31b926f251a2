//! Past attempts, replayed with their feedback.

use axum::extract::Path;
use axum::Json;
use chrono::Utc;
use maud::Markup;
use mockloop_domain::{Attempt, AttemptId};
use mockloop_store::AttemptQuery;
use serde::Deserialize;
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{Live, Params};
use crate::service::{self, given, PracticeParams};
use crate::views::{AttemptPage, Page};
use crate::WebError;

fn parse_id(id: &str) -> Result<AttemptId, WebError> {
    AttemptId::parse(id).ok_or_else(|| WebError::NotFound(format!("attempt `{id}` not found")))
}

/// `GET /attempts/{id}`; with practice parameters (after answering) it offers the next question.
#[instrument(skip_all)]
pub async fn attempt_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Params(sitting): Params<PracticeParams>,
) -> Result<Markup, WebError> {
    let attempt = state.store.attempt(user.id, parse_id(&id)?).await?;
    let follow_ups = service::follow_ups_of(&state, &user, &attempt).await?;
    let next_query = given(&sitting.session).map(|_| sitting.query(None));
    Ok(AttemptPage {
        pack: &state.pack,
        attempt: &attempt,
        question: state.pack.question(&attempt.question),
        follow_ups: &follow_ups,
        next_query,
        shown_at: Utc::now(),
    }
    .render())
}

#[derive(Deserialize)]
pub struct ListParams {
    question: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/attempts`: the newest attempts (default 50), oldest first.
#[instrument(skip_all)]
pub async fn api_attempts_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(p): Params<ListParams>,
) -> Result<Json<Vec<Attempt>>, WebError> {
    let query = AttemptQuery {
        question: given(&p.question).map(str::to_owned),
        limit: Some(p.limit.unwrap_or(50).clamp(1, 1000)),
        ..AttemptQuery::default()
    };
    Ok(Json(state.store.attempts(user.id, &query).await?))
}

/// `GET /api/attempts/{id}`.
#[instrument(skip_all)]
pub async fn api_attempt_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Attempt>, WebError> {
    Ok(Json(state.store.attempt(user.id, parse_id(&id)?).await?))
}
