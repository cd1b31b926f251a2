//! Who is asking: the local user, or (team mode) the account signed in on this browser.
//!
//! **Local mode** (the default) has no accounts: every request acts for the configured user, and
//! the server only listens on loopback. **Team mode** (`WebConfig::team`) puts [`gate`] in front of
//! every route except sign-in, sign-up, health checks, metrics and static files:
//!
//! - The session cookie (`mockloop_session`: HttpOnly, SameSite=Lax, `Secure` behind TLS) holds a
//!   random 256-bit token; the store keeps only its SHA-256, so a database dump signs no one in.
//! - Every POST of a signed-in browser must carry the session's anti-forgery token: a hidden
//!   `csrf` field in forms (views add it with [`csrf_field`]) or the `X-CSRF-Token` header in API
//!   calls (`GET /api/me` returns it). SameSite cookies and the cross-site guard
//!   (`cross_site.rs`) already stop most forgeries; the token also covers old browsers and
//!   same-site subdomains. Sign-in and sign-up forms have no session yet: the cross-site guard
//!   covers them.
//! - Handlers take a [`CurrentUser`] and pass its id to the store, whose every read and write is
//!   scoped by user id: no URL or API call reaches another user's records.
//!
//! The gate also sets a task-local [`PageContext`] so the page layout can show who is signed in
//! and add the anti-forgery field without every view taking it as an argument.

pub mod login_limit;
pub mod password;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maud::{html, Markup};
use mockloop_domain::User;
use mockloop_store::{Account, StoreError};
use sha2::{Digest, Sha256};

use crate::{AppState, WebError};

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "mockloop_session";
/// Header carrying the anti-forgery token in API calls.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Form field carrying the anti-forgery token.
pub const CSRF_FIELD: &str = "csrf";

/// Settings of team mode.
#[derive(Debug, Clone)]
pub struct TeamConfig {
    /// How long a sign-in lasts.
    pub session_ttl: chrono::Duration,
    /// Always mark the cookie `Secure` (set this behind a TLS-terminating proxy that does not
    /// send `X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
}

impl Default for TeamConfig {
    fn default() -> Self {
        Self { session_ttl: chrono::Duration::days(7), secure_cookies: false }
    }
}

/// The signed-in account of a team-mode request, put in the request's extensions by [`gate`].
#[derive(Debug, Clone)]
pub struct Signed {
    /// The account.
    pub account: Account,
    /// The session's anti-forgery token.
    pub csrf: String,
    /// Digest of the cookie token (to sign out).
    pub token_hash: String,
}

/// What the page layout shows about who is signed in.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    /// Team mode is on.
    pub team: bool,
    /// Signed-in user name.
    pub user: Option<String>,
    /// The user is an administrator.
    pub admin: bool,
    /// The session's anti-forgery token.
    pub csrf: Option<String>,
}

tokio::task_local! {
    static PAGE: PageContext;
}

/// The context of the request being handled (empty in local mode).
pub fn page_context() -> PageContext {
    PAGE.try_with(Clone::clone).unwrap_or_default()
}

/// The hidden anti-forgery field every POST form includes (nothing in local mode).
pub fn csrf_field() -> Markup {
    let ctx = page_context();
    html! {
        @if let Some(token) = ctx.csrf {
            input type="hidden" name=(CSRF_FIELD) value=(token);
        }
    }
}

/// A fresh random token: 32 bytes, hex.
pub fn new_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| WebError::Internal(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

/// SHA-256 of a token, hex: what the store keeps instead of the token.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// How long an invitation can be used.
pub const INVITE_TTL: chrono::Duration = chrono::Duration::days(7);

/// Makes and saves an invitation; returns the code to hand out (only its digest is stored, so
/// this is the one moment it can be shown).
pub async fn issue_invite(
    store: &dyn mockloop_store::Store,
    admin: bool,
    created_by: Option<mockloop_domain::UserId>,
) -> Result<(String, mockloop_store::Invite), WebError> {
    let code = new_token()?;
    let now = Utc::now();
    let invite = mockloop_store::Invite {
        code_hash: digest(&code),
        admin,
        created_by,
        created_at: now,
        expires_at: now + INVITE_TTL,
        used_by: None,
    };
    store.create_invite(&invite).await?;
    Ok((code, invite))
}

/// The sign-up link for an invitation code, on the host the request came to.
pub fn invite_link(team: &TeamConfig, headers: &HeaderMap, code: &str) -> String {
    let scheme = if secure(team, headers) { "https" } else { "http" };
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("{scheme}://{host}/signup?invite={code}")
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).map(|q| q[2..].to_owned()).unwrap_or_default()
}

/// Where to go after signing in: a local path only (never `//host` or `https://…`, which would
/// make the sign-in page an open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.contains(['\r', '\n']) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// Whether the browser reached us over TLS (directly or through a proxy that says so).
fn secure(team: &TeamConfig, headers: &HeaderMap) -> bool {
    team.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// `Set-Cookie` for a new session (or, with `None`, one that removes it).
pub fn session_cookie(team: &TeamConfig, headers: &HeaderMap, token: Option<&str>) -> HeaderValue {
    let secure = if secure(team, headers) { "; Secure" } else { "" };
    let value = match token {
        Some(t) => format!(
            "{COOKIE_NAME}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            team.session_ttl.num_seconds()
        ),
        None => format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("mockloop_session=; Max-Age=0"))
}

/// Routes anyone may reach in team mode.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login"
            | "/signup"
            | "/api/login"
            | "/api/signup"
            | "/healthz"
            | "/readyz"
            | "/metrics"
            | "/api/openapi.json"
    ) || path.starts_with("/static/")
}

/// Team mode's door: finds the signed-in account, refuses anonymous requests to private routes
/// (401; page routes turn it into a redirect to `/login`) and POSTs without the session's
/// anti-forgery token (403). A pass-through in local mode.
pub async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.config.team.is_none() {
        return next.run(req).await;
    }
    match admit(&state, req).await {
        Ok((req, ctx)) => PAGE.scope(ctx, next.run(req)).await,
        Err(e) => e.into_response(),
    }
}

async fn admit(state: &AppState, mut req: Request) -> Result<(Request, PageContext), WebError> {
    let signed = match cookie(req.headers(), COOKIE_NAME) {
        Some(token) if !token.is_empty() => {
            let token_hash = digest(token);
            match state.store.signed_in(&token_hash, Utc::now()).await {
                Ok((account, sign_in)) => Some(Signed { account, csrf: sign_in.csrf, token_hash }),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    let public = is_public(req.uri().path());
    let Some(signed) = signed else {
        if public {
            return Ok((req, PageContext { team: true, ..PageContext::default() }));
        }
        return Err(WebError::Unauthorized("sign in first: this server runs in team mode".into()));
    };
    if req.method() == Method::POST && !public {
        req = check_csrf(state, req, &signed.csrf).await?;
    }
    let ctx = PageContext {
        team: true,
        user: Some(signed.account.user.name.clone()),
        admin: signed.account.admin,
        csrf: Some(signed.csrf.clone()),
    };
    req.extensions_mut().insert(signed);
    Ok((req, ctx))
}

/// Checks the anti-forgery token of a POST: the header, else the `csrf` field of a form body
/// (read and put back for the handler).
async fn check_csrf(state: &AppState, req: Request, expected: &str) -> Result<Request, WebError> {
    let refused = || {
        WebError::Forbidden(
            "the anti-forgery token is missing or out of date: reload the page and send the form again \
             (API clients: send the X-CSRF-Token header that GET /api/me returns)"
                .into(),
        )
    };
    if let Some(v) = req.headers().get(CSRF_HEADER) {
        return if v.to_str().is_ok_and(|v| same_secret(v.trim(), expected)) {
            Ok(req)
        } else {
            Err(refused())
        };
    }
    // Multipart forms (the pack upload) carry the token in the query string: reading it from the
    // body would mean buffering a whole archive here.
    let in_query =
        req.uri().query().and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok());
    if let Some(v) =
        in_query.as_ref().and_then(|q| q.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.clone()))
    {
        return if same_secret(&v, expected) { Ok(req) } else { Err(refused()) };
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refused());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, state.config.body_limit).await.map_err(|_| {
        WebError::TooLarge(format!(
            "request body is larger than the {} KiB limit",
            state.config.body_limit / 1024
        ))
    })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let ok = fields.iter().any(|(k, v)| k == CSRF_FIELD && same_secret(v, expected));
    if !ok {
        return Err(refused());
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// The user a request acts for: the configured user in local mode, the signed-in account in team
/// mode. Handlers take this and pass `user.id` to the store.
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config.team.is_some() {
            parts
                .extensions
                .get::<Signed>()
                .map(|s| CurrentUser(s.account.user.clone()))
                .ok_or_else(|| WebError::Unauthorized("sign in first".into()))
        } else {
            let user = state.local_user.get_or_try_init(|| state.store.user(&state.config.user)).await?;
            Ok(CurrentUser(user.clone()))
        }
    }
}

/// The signed-in account (team mode only): 404 in local mode, 401 without a session.
pub struct SignedIn(pub Signed);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config.team.is_none() {
            return Err(WebError::NotFound(
                "accounts exist in team mode only (mockloop serve --multi-user)".into(),
            ));
        }
        parts
            .extensions
            .get::<Signed>()
            .map(|s| SignedIn(s.clone()))
            .ok_or_else(|| WebError::Unauthorized("sign in first".into()))
    }
}

/// A signed-in administrator (team mode only).
pub struct Admin(pub Signed);

impl FromRequestParts<AppState> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(s) = SignedIn::from_request_parts(parts, state).await?;
        if s.account.admin {
            Ok(Admin(s))
        } else {
            Err(WebError::Forbidden("only an administrator can do this".into()))
        }
    }
}

/// The signed-in session, if any (team mode).
pub struct MaybeSigned(pub Option<Signed>);

impl FromRequestParts<AppState> for MaybeSigned {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeSigned(parts.extensions.get::<Signed>().cloned()))
    }
}

/// The client's address, when the server was started with connection info.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
        assert_eq!(digest(&a), digest(&format!(" {a}\n")));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("theme=dark; mockloop_session=abc123 ; x=y"));
        assert_eq!(cookie(&h, COOKIE_NAME), Some("abc123"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn cookies_are_http_only_same_site_and_secure_behind_tls() {
        let team = TeamConfig::default();
        let plain = session_cookie(&team, &HeaderMap::new(), Some("t"));
        let plain = plain.to_str().unwrap();
        assert!(
            plain.contains("HttpOnly") && plain.contains("SameSite=Lax") && !plain.contains("Secure"),
            "{plain}"
        );
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(session_cookie(&team, &h, Some("t")).to_str().unwrap().ends_with("; Secure"));
        let gone = session_cookie(&team, &h, None);
        assert!(gone.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn sign_in_only_returns_to_local_paths() {
        assert_eq!(safe_next(Some("/practice?topic=dns")), "/practice?topic=dns");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(url_encode("/a?b=c&d"), "%2Fa%3Fb%3Dc%26d");
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
