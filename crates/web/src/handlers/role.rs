//! `/role`: the role reference.

use axum::extract::State;
use maud::Markup;
use tracing::instrument;

use crate::views::{Page, RolePage};
use crate::AppState;

/// `GET /role`.
#[instrument(skip_all)]
pub async fn role_get(State(state): State<AppState>) -> Markup {
    RolePage { pack: &state.pack }.render()
}
