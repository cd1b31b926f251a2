//! `/`: the dashboard.

use chrono::Utc;
use maud::Markup;
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::Live;
use crate::service;
use crate::views::{DashboardPage, Page};
use crate::WebError;

/// `GET /`.
#[instrument(skip_all)]
pub async fn dashboard_get(Live(state): Live, CurrentUser(user): CurrentUser) -> Result<Markup, WebError> {
    let progress = service::progress(&state, &user, None).await?;
    let daily = service::daily_scores(&progress.attempts, Utc::now(), 30)
        .into_iter()
        .map(|(d, v, _)| (d.format("%d %b").to_string(), v))
        .collect();
    Ok(DashboardPage { pack: &state.pack, progress: &progress, daily }.render())
}
