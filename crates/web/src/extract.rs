//! Extractors whose rejections are [`WebError`]s, so a bad body gets the same JSON (or HTML) error
//! as everything else, and an over-long one a 413 that says what the limit is.

use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::{AppState, WebError};

fn too_large(limit: usize) -> WebError {
    WebError::TooLarge(format!(
        "request body is larger than the {} KiB limit; an answer may be at most {} KiB",
        limit / 1024,
        mockloop_grading::MAX_ANSWER_BYTES / 1024
    ))
}

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(state.config.body_limit),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => WebError::UnsupportedMediaType(
                    "send the body as JSON (Content-Type: application/json)".into(),
                ),
                _ => WebError::BadRequest(json_message(&e)),
            }),
        }
    }
}

fn json_message(e: &JsonRejection) -> String {
    format!("invalid JSON body: {}", e.body_text())
}

/// A URL-encoded form body.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(e) => Err(match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(state.config.body_limit),
                _ => WebError::BadRequest(form_message(&e)),
            }),
        }
    }
}

fn form_message(e: &FormRejection) -> String {
    format!("invalid form: {}", e.body_text())
}

/// Query parameters.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for Params<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Params(v)),
            Err(e) => Err(WebError::BadRequest(query_message(&e))),
        }
    }
}

fn query_message(e: &QueryRejection) -> String {
    format!("invalid query: {}", e.body_text())
}

/// The app state with the content in use right now (see `AppState::current`): what every handler
/// takes instead of axum's `State`, so a pack installed by an administrator shows up at once.
pub struct Live(pub AppState);

impl FromRequestParts<AppState> for Live {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Live(state.current()))
    }
}
