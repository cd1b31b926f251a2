//! Progress: statistics, charts, history.

use axum::Json;
use maud::Markup;
use mockloop_practice::stats::Stats;
use serde::Deserialize;
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{Live, Params};
use crate::service::{self, given};
use crate::views::{Page, ProgressPage};
use crate::WebError;

#[derive(Deserialize)]
pub struct LevelParam {
    level: Option<String>,
}

/// `GET /progress`.
#[instrument(skip_all)]
pub async fn progress_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(p): Params<LevelParam>,
) -> Result<Markup, WebError> {
    let progress = service::progress(&state, &user, given(&p.level)).await?;
    let daily = service::daily_scores(&progress.attempts, chrono::Utc::now(), 3650)
        .into_iter()
        .map(|(d, v, _)| (d.format("%d %b %Y").to_string(), v))
        .collect();
    Ok(ProgressPage { progress: &progress, daily }.render())
}

/// `GET /api/stats`: the same statistics as `mockloop stats --json`.
#[instrument(skip_all)]
pub async fn api_stats_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(p): Params<LevelParam>,
) -> Result<Json<Stats>, WebError> {
    Ok(Json(service::progress(&state, &user, given(&p.level)).await?.stats))
}
