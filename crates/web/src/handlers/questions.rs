//! The question bank.

use axum::extract::Path;
use axum::Json;
use maud::Markup;
use mockloop_domain::{Category, Difficulty, Question};
use serde::Serialize;
use tracing::instrument;

use crate::extract::{Live, Params};
use crate::service::{self, FilterParams};
use crate::views::{Page, QuestionPage, QuestionsPage};
use crate::{AppState, WebError};

/// `GET /questions`.
#[instrument(skip_all)]
pub async fn questions_get(
    Live(state): Live,
    Params(params): Params<FilterParams>,
) -> Result<Markup, WebError> {
    let questions = service::list_questions(&state.pack, &params)?;
    Ok(QuestionsPage { pack: &state.pack, params: &params, questions }.render())
}

fn find<'p>(state: &'p AppState, id: &str) -> Result<&'p Question, WebError> {
    state.pack.question(id).ok_or_else(|| {
        let similar = state.pack.similar_ids(id);
        let hint = if similar.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", similar.join(", "))
        };
        WebError::NotFound(format!("question `{id}` not found{hint}"))
    })
}

/// `GET /questions/{id}`.
#[instrument(skip_all)]
pub async fn question_get(Live(state): Live, Path(id): Path<String>) -> Result<Markup, WebError> {
    let question = find(&state, &id)?;
    Ok(QuestionPage { pack: &state.pack, question }.render())
}

/// A question in a listing (no answer or rubric).
#[derive(Serialize)]
pub struct QuestionSummary<'a> {
    id: &'a str,
    prompt: &'a str,
    difficulty: Difficulty,
    category: Category,
    topics: &'a [String],
    levels: &'a [String],
    rounds: &'a [String],
    time_minutes: u32,
}

impl<'a> From<&'a Question> for QuestionSummary<'a> {
    fn from(q: &'a Question) -> Self {
        QuestionSummary {
            id: &q.id,
            prompt: &q.prompt,
            difficulty: q.difficulty,
            category: q.category,
            topics: &q.topics,
            levels: &q.levels,
            rounds: &q.rounds,
            time_minutes: q.time_minutes,
        }
    }
}

#[derive(Serialize)]
pub struct QuestionList<'a> {
    count: usize,
    questions: Vec<QuestionSummary<'a>>,
}

/// `GET /api/questions`.
#[instrument(skip_all)]
pub async fn api_questions_get(
    Live(state): Live,
    Params(params): Params<FilterParams>,
) -> Result<Json<serde_json::Value>, WebError> {
    let questions = service::list_questions(&state.pack, &params)?;
    let list =
        QuestionList { count: questions.len(), questions: questions.into_iter().map(Into::into).collect() };
    Ok(Json(serde_json::to_value(list).map_err(|e| WebError::Internal(e.to_string()))?))
}

/// `GET /api/questions/{id}`: the question with its rubric and model answer.
#[instrument(skip_all)]
pub async fn api_question_get(Live(state): Live, Path(id): Path<String>) -> Result<Json<Question>, WebError> {
    Ok(Json(find(&state, &id)?.clone()))
}
