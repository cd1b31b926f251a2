//! Refuses state-changing requests that a browser sent on behalf of another site.
//!
//! The local app has no login, so any page the user visits could otherwise post a form to
//! `127.0.0.1:8080` and write into their history (classic CSRF). Browsers say where a request
//! comes from: every cross-origin POST carries `Origin`, and modern ones add `Sec-Fetch-Site`.
//! A POST (or PUT, PATCH, DELETE) is refused with 403 when `Sec-Fetch-Site` is `cross-site` or
//! `same-site`, or when `Origin` names a different host and port than the request's `Host`
//! (another port on localhost is another origin). Requests without either header are not from a
//! browser page (curl, scripts, the test client) and cannot be forged by one, so they pass.
//!
//! This guard does not replace the per-session tokens team mode will need; it closes the hole in
//! the one-user mode, where there is no session to bind a token to.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::WebError;

/// Why `headers` show a cross-site request, or `None` when the request may proceed.
pub(crate) fn cross_site_reason(method: &Method, headers: &HeaderMap) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(site) = text("sec-fetch-site") {
        if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
            return Some(format!("the browser marked this request as {site} (Sec-Fetch-Site)"));
        }
    }
    let origin = text(header::ORIGIN.as_str())?;
    let host = text(header::HOST.as_str()).unwrap_or("");
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest).trim_end_matches('/');
    if origin == "null" || !authority.eq_ignore_ascii_case(host) {
        return Some(format!("it came from {origin}, not from this server ({host})"));
    }
    None
}

/// Middleware: 403 for cross-site state-changing requests.
pub(crate) async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if let Some(why) = cross_site_reason(req.method(), req.headers()) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "refused a cross-site request: {why}");
        return WebError::Forbidden(format!(
            "refused: {why}. Forms of mockloop can only be sent from mockloop's own pages."
        ))
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_post_from_the_apps_own_page_passes() {
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(cross_site_reason(&Method::POST, &h), None);
    }

    #[test]
    fn a_post_without_browser_headers_passes() {
        assert_eq!(cross_site_reason(&Method::POST, &headers(&[("host", "127.0.0.1:8080")])), None);
    }

    #[test]
    fn a_post_from_another_site_is_refused() {
        let h = headers(&[("host", "127.0.0.1:8080"), ("origin", "https://evil.example")]);
        assert!(cross_site_reason(&Method::POST, &h).unwrap().contains("evil.example"));
    }

    #[test]
    fn a_post_from_another_port_on_localhost_is_refused() {
        let h = headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:3000")]);
        assert!(cross_site_reason(&Method::POST, &h).is_some());
    }

    #[test]
    fn a_post_marked_cross_site_is_refused_even_without_origin() {
        let h = headers(&[("host", "127.0.0.1:8080"), ("sec-fetch-site", "cross-site")]);
        assert!(cross_site_reason(&Method::POST, &h).is_some());
    }

    #[test]
    fn an_opaque_origin_is_refused() {
        let h = headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]);
        assert!(cross_site_reason(&Method::POST, &h).is_some());
    }

    #[test]
    fn reading_is_never_refused() {
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert_eq!(cross_site_reason(&Method::GET, &h), None);
    }
}
