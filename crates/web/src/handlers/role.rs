//! `/role`: the role reference.

use crate::extract::Live;
use maud::Markup;
use tracing::instrument;

use crate::views::{Page, RolePage};

/// `GET /role`.
#[instrument(skip_all)]
pub async fn role_get(Live(state): Live) -> Markup {
    RolePage { pack: &state.pack }.render()
}
