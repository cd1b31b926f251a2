//! Team mode's sign-in, sign-up (by invitation) and sign-out, as pages and as API calls.
//!
//! Failed sign-ins are counted per name and per client address (`auth::login_limit`); past the
//! limit the answer is 429 with `Retry-After` and the password is not even checked. An unknown
//! name costs the same argon2 check as a wrong password, so timing does not reveal which names
//! exist, and both get the same message.

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use maud::{html, Markup};
use mockloop_store::{check_account_name, Account, NewAccount, SignIn, StoreError};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::auth::login_limit::LoginLimiter;
use crate::auth::{self, password, ClientAddr, MaybeSigned, SignedIn, TeamConfig};
use crate::extract::{ApiJson, Live, PageForm, Params};
use crate::views::{layout, Nav};
use crate::{AppState, WebError};

fn team(state: &AppState) -> Result<&TeamConfig, WebError> {
    state.config.team.as_ref().ok_or_else(|| {
        WebError::NotFound(
            "this server runs in local mode: one user, no sign-in (team mode: mockloop serve --multi-user)"
                .into(),
        )
    })
}

/// A new sign-in for `account`: a random cookie token (returned) and its stored digest.
async fn open_session(
    state: &AppState,
    team: &TeamConfig,
    user: mockloop_domain::UserId,
) -> Result<(String, SignIn), WebError> {
    let token = auth::new_token()?;
    let now = Utc::now();
    let sign_in = SignIn {
        token_hash: auth::digest(&token),
        user,
        csrf: auth::new_token()?,
        created_at: now,
        expires_at: now + team.session_ttl,
    };
    state.store.create_sign_in(&sign_in).await?;
    Ok((token, sign_in))
}

/// Checks a name and password, with the rate limit; opens a session on success.
async fn sign_in(
    state: &AppState,
    name: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<(Account, String, SignIn), WebError> {
    let team = team(state)?;
    let name = name.trim();
    let client = client.map(|c| c.to_string());
    let now = std::time::Instant::now();
    let locked = limiter(state)?.check(name, client.as_deref(), now);
    if let Err(wait) = locked {
        let secs = wait.as_secs().max(1);
        tracing::warn!(name, client = client.as_deref().unwrap_or("?"), "sign-in refused: too many failures");
        return Err(WebError::TooManyRequests {
            message: format!(
                "too many failed sign-ins for this name or from this address; try again in {} minute(s)",
                secs.div_ceil(60)
            ),
            retry_after: secs,
        });
    }
    let account = match state.store.account(name).await {
        Ok(a) => Some(a),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let hash =
        account.as_ref().map_or_else(|| password::decoy_hash().to_owned(), |a| a.password_hash.clone());
    let given = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || password::verify(&given, &hash))
        .await
        .map_err(|e| WebError::Internal(format!("password check failed: {e}")))?;
    let account = match account {
        Some(account) if ok => account,
        _ => {
            limiter(state)?.failed(name, client.as_deref(), now);
            return Err(WebError::Unauthorized("wrong user name or password".into()));
        }
    };
    limiter(state)?.succeeded(name);
    let (token, sign_in) = open_session(state, team, account.user.id).await?;
    tracing::info!(user = %account.user.name, "signed in");
    Ok((account, token, sign_in))
}

fn limiter(state: &AppState) -> Result<std::sync::MutexGuard<'_, LoginLimiter>, WebError> {
    state.login_limiter.lock().map_err(|_| WebError::Internal("the sign-in limiter is poisoned".into()))
}

/// Creates an account from an invitation and signs it in.
async fn sign_up(state: &AppState, input: &SignupInput) -> Result<(Account, String, SignIn), WebError> {
    let team = team(state)?;
    let name = input.name.trim().to_owned();
    check_account_name(&name).map_err(WebError::BadRequest)?;
    password::check_new(&input.password, &name).map_err(WebError::BadRequest)?;
    if let Some(confirm) = &input.confirm {
        if confirm != &input.password {
            return Err(WebError::BadRequest("the two passwords differ".into()));
        }
    }
    let given = input.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || password::hash(&given))
        .await
        .map_err(|e| WebError::Internal(format!("password hashing failed: {e}")))?
        .map_err(WebError::Internal)?;
    let user = state
        .store
        .redeem_invite(
            &auth::digest(&input.invite),
            &NewAccount { name: name.clone(), password_hash, admin: false },
            Utc::now(),
        )
        .await?;
    let account = state.store.account(&user.name).await?;
    tracing::info!(user = %user.name, admin = account.admin, "account created from an invitation");
    let (token, sign_in) = open_session(state, team, user.id).await?;
    Ok((account, token, sign_in))
}

/// Ends the browser's sign-in, if it has one (signing out twice is not an error).
async fn sign_out(state: &AppState, signed: Option<auth::Signed>) -> Result<(), WebError> {
    team(state)?;
    if let Some(s) = signed {
        state.store.sign_out(&s.token_hash).await?;
        tracing::info!(user = %s.account.user.name, "signed out");
    }
    Ok(())
}

fn with_cookie(mut resp: Response, state: &AppState, headers: &HeaderMap, token: Option<&str>) -> Response {
    if let Some(team) = &state.config.team {
        resp.headers_mut().insert(SET_COOKIE, auth::session_cookie(team, headers, token));
    }
    resp
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response()
}

// Pages

#[derive(Deserialize, Default)]
pub struct LoginParams {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

fn login_page(name: &str, next: &str, problem: Option<&str>) -> Markup {
    layout(
        "Sign in",
        Nav::None,
        html! {
            section.card.auth {
                h1 { "Sign in" }
                p.muted { "Practice on your team's mockloop. Your answers and progress are visible to you only." }
                @if let Some(p) = problem { p.notice.bad role="alert" { (p) } }
                form method="post" action="/login" {
                    input type="hidden" name="next" value=(next);
                    label for="name" { "User name" }
                    input #name type="text" name="name" value=(name) autocomplete="username" required autofocus;
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    div.actions {
                        button.primary type="submit" { "Sign in" }
                    }
                }
                p.muted.after { "No account yet? Ask an administrator of this server for an invitation link." }
            }
        },
    )
}

/// `GET /login`.
pub async fn login_get(
    Live(state): Live,
    MaybeSigned(signed): MaybeSigned,
    Params(p): Params<LoginParams>,
) -> Result<Response, WebError> {
    team(&state)?;
    let next = auth::safe_next(p.next.as_deref());
    if signed.is_some() {
        return Ok(see_other(&next));
    }
    Ok(login_page("", &next, None).into_response())
}

/// `POST /login`: signs in and goes back where the user was headed (303), or shows the form
/// again with what went wrong.
#[instrument(skip_all)]
pub async fn login_post(
    Live(state): Live,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, WebError> {
    team(&state)?;
    let next = auth::safe_next(form.next.as_deref());
    match sign_in(&state, &form.name, &form.password, client).await {
        Ok((_, token, _)) => Ok(with_cookie(see_other(&next), &state, &headers, Some(&token))),
        Err(e @ (WebError::Unauthorized(_) | WebError::TooManyRequests { .. })) => {
            let mut resp =
                (e.status(), login_page(form.name.trim(), &next, Some(&e.to_string()))).into_response();
            if let WebError::TooManyRequests { retry_after, .. } = e {
                resp.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after.into());
            }
            Ok(resp)
        }
        Err(e) => Err(e),
    }
}

/// `POST /logout`.
pub async fn logout_post(
    Live(state): Live,
    MaybeSigned(signed): MaybeSigned,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    sign_out(&state, signed).await?;
    Ok(with_cookie(see_other("/login"), &state, &headers, None))
}

#[derive(Deserialize, Default)]
pub struct SignupParams {
    invite: Option<String>,
}

/// What sign-up needs (form and JSON).
#[derive(Deserialize)]
pub struct SignupInput {
    invite: String,
    name: String,
    password: String,
    /// The password typed again (forms; optional in the API).
    confirm: Option<String>,
}

fn signup_page(invite: &str, name: &str, problem: Option<&str>) -> Markup {
    layout(
        "Create your account",
        Nav::None,
        html! {
            section.card.auth {
                h1 { "Create your account" }
                p.muted { "You were invited to practise infrastructure interviews on this server." }
                @if let Some(p) = problem { p.notice.bad role="alert" { (p) } }
                form method="post" action="/signup" {
                    @if invite.is_empty() {
                        label for="invite" { "Invitation code" }
                        input #invite type="text" name="invite" required autocomplete="off";
                    } @else {
                        input type="hidden" name="invite" value=(invite);
                    }
                    label for="name" { "User name" }
                    input #name type="text" name="name" value=(name) autocomplete="username" required autofocus
                        minlength="2" maxlength="40" pattern="[A-Za-z0-9._\\-]+"
                        title="2 to 40 letters, digits, dots, dashes or underscores";
                    label for="password" { "Password (at least " (password::MIN_LEN) " characters)" }
                    input #password type="password" name="password" autocomplete="new-password" required
                        minlength=(password::MIN_LEN);
                    label for="confirm" { "Password again" }
                    input #confirm type="password" name="confirm" autocomplete="new-password" required;
                    div.actions {
                        a href="/login" { "I have an account" }
                        button.primary type="submit" { "Create account" }
                    }
                }
            }
        },
    )
}

/// `GET /signup?invite=CODE`.
pub async fn signup_get(Live(state): Live, Params(p): Params<SignupParams>) -> Result<Markup, WebError> {
    team(&state)?;
    Ok(signup_page(p.invite.as_deref().unwrap_or("").trim(), "", None))
}

/// `POST /signup`: creates the account, signs it in and opens the dashboard.
#[instrument(skip_all)]
pub async fn signup_post(
    Live(state): Live,
    headers: HeaderMap,
    PageForm(form): PageForm<SignupInput>,
) -> Result<Response, WebError> {
    team(&state)?;
    match sign_up(&state, &form).await {
        Ok((_, token, _)) => Ok(with_cookie(see_other("/"), &state, &headers, Some(&token))),
        Err(e @ (WebError::BadRequest(_) | WebError::Conflict(_))) => {
            Ok((e.status(), signup_page(form.invite.trim(), form.name.trim(), Some(&e.to_string())))
                .into_response())
        }
        Err(e) => Err(e),
    }
}

// API

#[derive(Serialize)]
pub struct Me {
    /// `local` (one user, no sign-in) or `team`.
    mode: &'static str,
    /// The user's name.
    user: String,
    /// Whether the user is an administrator (always false in local mode).
    admin: bool,
    /// The anti-forgery token to send as `X-CSRF-Token` on every POST (team mode).
    csrf: Option<String>,
}

/// `GET /api/me`: who the API acts for, and the anti-forgery token for writes.
pub async fn api_me_get(Live(state): Live, MaybeSigned(signed): MaybeSigned) -> Result<Json<Me>, WebError> {
    if state.config.team.is_none() {
        return Ok(Json(Me { mode: "local", user: state.config.user.clone(), admin: false, csrf: None }));
    }
    let s = signed.ok_or_else(|| WebError::Unauthorized("sign in first".into()))?;
    Ok(Json(Me { mode: "team", user: s.account.user.name, admin: s.account.admin, csrf: Some(s.csrf) }))
}

#[derive(Deserialize)]
pub struct LoginInput {
    name: String,
    password: String,
}

fn me_of(account: &Account, sign_in: &SignIn) -> Me {
    Me {
        mode: "team",
        user: account.user.name.clone(),
        admin: account.admin,
        csrf: Some(sign_in.csrf.clone()),
    }
}

/// `POST /api/login`: sets the session cookie; the body has the anti-forgery token.
#[instrument(skip_all)]
pub async fn api_login_post(
    Live(state): Live,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Response, WebError> {
    let (account, token, sign_in) = sign_in(&state, &input.name, &input.password, client).await?;
    Ok(with_cookie(Json(me_of(&account, &sign_in)).into_response(), &state, &headers, Some(&token)))
}

/// `POST /api/logout`.
pub async fn api_logout_post(
    Live(state): Live,
    MaybeSigned(signed): MaybeSigned,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    sign_out(&state, signed).await?;
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &state, &headers, None))
}

/// `POST /api/signup`: creates an account from an invitation and signs it in (201).
#[instrument(skip_all)]
pub async fn api_signup_post(
    Live(state): Live,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SignupInput>,
) -> Result<Response, WebError> {
    let (account, token, sign_in) = sign_up(&state, &input).await?;
    let resp = (StatusCode::CREATED, Json(me_of(&account, &sign_in))).into_response();
    Ok(with_cookie(resp, &state, &headers, Some(&token)))
}

// Changing one's password

/// What a password change needs (form and JSON).
#[derive(Deserialize)]
pub struct PasswordInput {
    /// The password in use now.
    current: String,
    /// The new one.
    new: String,
    /// The new one typed again (forms; optional in the API).
    confirm: Option<String>,
}

/// Checks the current password, stores the new hash, ends every sign-in of the user (other
/// browsers included) and opens a fresh one for this browser.
async fn change_password(
    state: &AppState,
    signed: &auth::Signed,
    input: &PasswordInput,
) -> Result<(String, SignIn), WebError> {
    let team = team(state)?;
    let name = signed.account.user.name.clone();
    password::check_new(&input.new, &name).map_err(WebError::BadRequest)?;
    if input.confirm.as_ref().is_some_and(|c| c != &input.new) {
        return Err(WebError::BadRequest("the two new passwords differ".into()));
    }
    // The stored hash, not the one cached in the session, in case it changed a moment ago.
    let hash = state.store.account(&name).await?.password_hash;
    let (current, new) = (input.current.clone(), input.new.clone());
    let new_hash = tokio::task::spawn_blocking(move || {
        if password::verify(&current, &hash) {
            password::hash(&new).map(Some)
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(|e| WebError::Internal(format!("password hashing failed: {e}")))?
    .map_err(WebError::Internal)?
    .ok_or_else(|| WebError::BadRequest("the current password is not right".into()))?;
    state.store.set_password(signed.account.user.id, &new_hash).await?;
    tracing::info!(user = %name, "password changed; every other sign-in ended");
    open_session(state, team, signed.account.user.id).await
}

fn account_page(name: &str, notice: Option<Result<&str, &str>>) -> Markup {
    layout(
        "Your account",
        Nav::None,
        html! {
            section.card.auth {
                h1 { "Your account" }
                p.muted { "Signed in as " strong { (name) } "." }
                @match notice {
                    Some(Ok(msg)) => { p.notice.good role="status" { (msg) } }
                    Some(Err(msg)) => { p.notice.bad role="alert" { (msg) } }
                    None => {}
                }
                h2 { "Change your password" }
                form method="post" action="/account/password" {
                    (auth::csrf_field())
                    label for="current" { "Current password" }
                    input #current type="password" name="current" autocomplete="current-password" required;
                    label for="new" { "New password (at least " (password::MIN_LEN) " characters)" }
                    input #new type="password" name="new" autocomplete="new-password" required minlength=(password::MIN_LEN);
                    label for="confirm" { "New password again" }
                    input #confirm type="password" name="confirm" autocomplete="new-password" required;
                    div.actions {
                        span.muted { "Every other browser is signed out." }
                        button.primary type="submit" { "Change password" }
                    }
                }
            }
        },
    )
}

/// `GET /account`.
pub async fn account_get(SignedIn(s): SignedIn) -> Markup {
    account_page(&s.account.user.name, None)
}

/// `POST /account/password`.
#[instrument(skip_all)]
pub async fn password_post(
    Live(state): Live,
    SignedIn(s): SignedIn,
    headers: HeaderMap,
    PageForm(form): PageForm<PasswordInput>,
) -> Result<Response, WebError> {
    match change_password(&state, &s, &form).await {
        Ok((token, _)) => {
            let page = account_page(
                &s.account.user.name,
                Some(Ok("Password changed. Other browsers were signed out.")),
            );
            Ok(with_cookie(page.into_response(), &state, &headers, Some(&token)))
        }
        Err(WebError::BadRequest(msg)) => {
            Ok((StatusCode::BAD_REQUEST, account_page(&s.account.user.name, Some(Err(&msg)))).into_response())
        }
        Err(e) => Err(e),
    }
}

/// `POST /api/account/password`: 200 with a fresh anti-forgery token and session cookie.
#[instrument(skip_all)]
pub async fn api_password_post(
    Live(state): Live,
    SignedIn(s): SignedIn,
    headers: HeaderMap,
    ApiJson(input): ApiJson<PasswordInput>,
) -> Result<Response, WebError> {
    let (token, sign_in) = change_password(&state, &s, &input).await?;
    Ok(with_cookie(Json(me_of(&s.account, &sign_in)).into_response(), &state, &headers, Some(&token)))
}
