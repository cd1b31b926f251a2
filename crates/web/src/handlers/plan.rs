//! The prep plan, as a page, JSON, and an iCalendar download.

use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use maud::Markup;
use mockloop_practice::plan::Plan;
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{Live, Params};
use crate::service::{self, PlanParams};
use crate::views::{Page, PlanPage};
use crate::WebError;

#[derive(serde::Deserialize)]
pub struct PlanForm {
    #[serde(flatten)]
    params: PlanParams,
    /// Set by the form's button: without it the page shows only the form.
    go: Option<String>,
}

/// `GET /plan`: the form, and the plan once it is sent.
#[instrument(skip_all)]
pub async fn plan_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(form): Params<PlanForm>,
) -> Result<Markup, WebError> {
    let plan = match form.go {
        Some(_) => Some(service::plan(&state, &user, &form.params).await?),
        None => None,
    };
    Ok(PlanPage { pack: &state.pack, params: &form.params, plan }.render())
}

/// `GET /plan.ics`: the plan as a calendar file.
#[instrument(skip_all)]
pub async fn plan_ics_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(p): Params<PlanParams>,
) -> Result<impl IntoResponse, WebError> {
    let plan = service::plan(&state, &user, &p).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"mockloop-plan.ics\""),
        ],
        plan.to_ics(Utc::now()),
    ))
}

/// `GET /api/plan`.
#[instrument(skip_all)]
pub async fn api_plan_get(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Params(p): Params<PlanParams>,
) -> Result<Json<Plan>, WebError> {
    Ok(Json(service::plan(&state, &user, &p).await?))
}
