//! Flashcard review (FSRS).

use axum::response::Redirect;
use axum::Json;
use chrono::Utc;
use maud::Markup;
use mockloop_domain::Card;
use mockloop_practice::schedule;
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Live, PageForm, Params};
use crate::service::{self, RateInput, Rated};
use crate::views::{Page, ReviewPage};
use crate::WebError;

/// Cards per day at most, as `mockloop review --limit`.
const LIMIT: usize = 20;

#[derive(Deserialize)]
pub struct ReviewParams {
    /// What the previous rating did (`rated=good&next=10m`), shown once.
    rated: Option<String>,
    next: Option<String>,
}

/// `GET /review`: the next card.
#[instrument(skip_all)]
pub async fn review_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(p): Params<ReviewParams>,
) -> Result<Markup, WebError> {
    let cards = service::due_cards(&state, &user, LIMIT).await?;
    let now = Utc::now();
    let card = cards.iter().find_map(|c| state.pack.question(&c.question).map(|q| (c, q)));
    let options = card
        .map(|(c, _)| {
            schedule::Scheduler::default()
                .preview(c, now)
                .iter()
                .enumerate()
                .map(|(i, (r, d))| (i as u8 + 1, schedule::rating_label(*r), schedule::format_interval(*d)))
                .collect()
        })
        .unwrap_or_default();
    let flash = match (p.rated.as_deref(), p.next.as_deref()) {
        (Some(r), Some(n)) if r.len() < 10 && n.len() < 10 => Some(format!("Rated {r}; next review in {n}.")),
        _ => None,
    };
    Ok(ReviewPage { pack: &state.pack, card, remaining: cards.len(), options, flash }.render())
}

/// `POST /review`: saves a rating, then shows the next card.
#[instrument(skip_all)]
pub async fn review_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    PageForm(input): PageForm<RateInput>,
) -> Result<Redirect, WebError> {
    let rated = service::rate(&state, &user, &input).await?;
    Ok(Redirect::to(&format!("/review?rated={}&next={}", rated.rating.as_str(), rated.next_in)))
}

#[derive(Serialize)]
pub struct DueCard {
    #[serde(flatten)]
    card: Card,
    prompt: String,
    answer: String,
}

/// `GET /api/review/due`: today's cards, each with its prompt and flashcard answer.
#[instrument(skip_all)]
pub async fn api_due_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<DueCard>>, WebError> {
    let cards = service::due_cards(&state, &user, LIMIT).await?;
    Ok(Json(
        cards
            .into_iter()
            .filter_map(|card| {
                let q = state.pack.question(&card.question)?;
                Some(DueCard { prompt: q.prompt.clone(), answer: q.flashcard.clone(), card })
            })
            .collect(),
    ))
}

/// `POST /api/review/rate`.
#[instrument(skip_all)]
pub async fn api_rate_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    ApiJson(input): ApiJson<RateInput>,
) -> Result<Json<Rated>, WebError> {
    Ok(Json(service::rate(&state, &user, &input).await?))
}
