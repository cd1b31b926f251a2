//! The web layer's one error type.
//!
//! A [`WebError`] always becomes a JSON response `{ "error": "…" }` with its status. It also
//! leaves an [`ErrorPage`] marker in the response extensions; page routes sit behind
//! [`html_errors`], which swaps such responses for an HTML page with the same status and message.
//! Handlers therefore use `?` without knowing whether a browser or a script is asking.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mockloop_grading::GradeError;
use mockloop_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// 404: no such question, attempt or page.
    #[error("{0}")]
    NotFound(String),
    /// 400: the request is malformed or names something invalid (an unknown level…).
    #[error("{0}")]
    BadRequest(String),
    /// 401: team mode, and nobody is signed in (page routes redirect to `/login`).
    #[error("{0}")]
    Unauthorized(String),
    /// 409: the record exists already (a taken user name).
    #[error("{0}")]
    Conflict(String),
    /// 429 with `Retry-After`: too many failed sign-ins; try again after that many seconds.
    #[error("{message}")]
    TooManyRequests {
        /// What to tell the user.
        message: String,
        /// Seconds until another attempt is accepted.
        retry_after: u64,
    },
    /// 403: the request was refused (a cross-site form post).
    #[error("{0}")]
    Forbidden(String),
    /// 413: the body or the answer is larger than accepted.
    #[error("{0}")]
    TooLarge(String),
    /// 415: a JSON endpoint got another content type.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 503: the store cannot be reached.
    #[error("{0}")]
    Unavailable(String),
    /// 503 with `Retry-After`: every grading slot is busy.
    #[error("{0}")]
    Overloaded(String),
    /// 500: anything else. The detail is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::Unavailable(_) | WebError::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the client: internal details stay in the log.
    fn public_message(&self) -> String {
        match self {
            WebError::Internal(_) => "internal error; the server log has the details".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => WebError::NotFound(format!("{what} not found")),
            StoreError::Invalid(msg) => WebError::BadRequest(msg),
            StoreError::Conflict(msg) => WebError::Conflict(msg),
            StoreError::Connect(_) => WebError::Unavailable(e.to_string()),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<GradeError> for WebError {
    fn from(e: GradeError) -> Self {
        match e {
            GradeError::TooLong { .. } => WebError::TooLarge(e.to_string()),
            GradeError::NoRubric => WebError::Internal(e.to_string()),
        }
    }
}

/// Marks a response as an error so page routes can render it as HTML.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// The message.
    pub message: String,
}

#[derive(serde::Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if matches!(self, WebError::Overloaded(_)) {
            tracing::warn!("grading queue full; answered 503");
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, status = status.as_u16(), "request refused");
        }
        let message = self.public_message();
        let mut resp = (status, Json(ErrorBody { error: &message })).into_response();
        if matches!(self, WebError::Overloaded(_)) {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
        }
        if let WebError::TooManyRequests { retry_after, .. } = &self {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*retry_after));
        }
        resp.extensions_mut().insert(ErrorPage { message });
        resp
    }
}

/// Turns error responses of page routes into HTML pages; a 401 (team mode, not signed in) becomes
/// a redirect to the sign-in page that comes back here afterwards.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let back = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .filter(|_| req.method() == axum::http::Method::GET);
    let resp = next.run(req).await;
    match resp.extensions().get::<ErrorPage>() {
        Some(_) if resp.status() == StatusCode::UNAUTHORIZED => {
            let to = match back {
                Some(path) if path != "/" => format!("/login?next={}", crate::auth::url_encode(&path)),
                _ => "/login".to_owned(),
            };
            axum::response::Redirect::to(&to).into_response()
        }
        Some(page) => {
            let status = resp.status();
            (status, crate::views::error_page(status, &page.message)).into_response()
        }
        None => resp,
    }
}
