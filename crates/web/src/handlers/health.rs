//! Liveness and readiness.

use axum::Json;
use serde_json::{json, Value};
use tracing::instrument;

use crate::extract::Live;
use crate::WebError;

/// `GET /healthz`: the process is up (no dependencies checked, so a slow database does not get
/// the server restarted).
#[instrument(skip_all)]
pub async fn healthz_get() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the store answers a query; 503 otherwise. (A read: in team mode it must not
/// create the local user, whose name would then be taken.)
#[instrument(skip_all)]
pub async fn readyz_get(Live(state): Live) -> Result<Json<Value>, WebError> {
    match state.store.account_count().await {
        Ok(_) => Ok(Json(json!({ "status": "ready", "store": state.store.backend() }))),
        Err(e) => {
            Err(WebError::Unavailable(format!("the {} store is not answering: {e}", state.store.backend())))
        }
    }
}
