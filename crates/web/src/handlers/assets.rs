//! The stylesheet, the small script, and the not-found fallbacks.

use axum::http::{header, Uri};
use axum::response::IntoResponse;

use crate::WebError;

const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");

/// `GET /static/app.css`.
pub async fn css_get() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        CSS,
    )
}

/// `GET /static/app.js`.
pub async fn js_get() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}

/// Any unknown page.
pub async fn not_found_page(uri: Uri) -> WebError {
    WebError::NotFound(format!("there is no page at {}", uri.path()))
}

/// Any unknown `/api/…` route.
pub async fn not_found_api(uri: Uri) -> WebError {
    WebError::NotFound(format!("no API route {}; see /api/openapi.json", uri.path()))
}
