//! Team mode's administration: the accounts, and invitations to create new ones.

use std::collections::HashMap;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::auth::{self, Admin};
use crate::extract::{ApiJson, Live, PageForm};
use crate::pack_upload::{self, Installed, UploadError};
use crate::views::{layout, when, Nav};
use crate::{AppState, WebError};

/// Largest pack archive accepted, in bytes.
pub const MAX_PACK_UPLOAD: usize = 16 * 1024 * 1024;

/// A new invitation, shown once.
#[derive(Serialize)]
pub struct NewInvite {
    /// The code (only its digest is kept: this is the one time it is shown).
    code: String,
    /// The sign-up link carrying the code.
    link: String,
    /// Whether the account it creates is an administrator.
    admin: bool,
    /// Last moment it can be used.
    expires_at: DateTime<Utc>,
}

async fn invite(
    state: &AppState,
    admin: &Admin,
    headers: &HeaderMap,
    as_admin: bool,
) -> Result<NewInvite, WebError> {
    let team = state.config.team.as_ref().ok_or_else(|| WebError::NotFound("team mode is off".into()))?;
    let (code, invite) = auth::issue_invite(&*state.store, as_admin, Some(admin.0.account.user.id)).await?;
    tracing::info!(by = %admin.0.account.user.name, admin = as_admin, "invitation created");
    Ok(NewInvite {
        link: auth::invite_link(team, headers, &code),
        code,
        admin: as_admin,
        expires_at: invite.expires_at,
    })
}

/// What the pack section reports after an upload.
enum PackOutcome {
    Installed(Installed),
    Refused(String, Vec<String>),
}

async fn admin_page(state: &AppState, created: Option<&NewInvite>) -> Result<Markup, WebError> {
    admin_page_with(state, created, None).await
}

async fn admin_page_with(
    state: &AppState,
    created: Option<&NewInvite>,
    pack_outcome: Option<&PackOutcome>,
) -> Result<Markup, WebError> {
    let accounts = state.store.accounts().await?;
    let invites = state.store.invites().await?;
    let names: HashMap<_, _> = accounts.iter().map(|a| (a.user.id, a.user.name.as_str())).collect();
    let now = Utc::now();
    Ok(layout(
        "Administration",
        Nav::Admin,
        html! {
            h1 { "Administration" }
            section.card {
                h2 { "Invite someone" }
                p.muted { "An invitation link creates one account and works for "
                    (auth::INVITE_TTL.num_days()) " days. Send it over a channel you trust." }
                @if let Some(n) = created {
                    div.notice.good role="status" {
                        "Invitation created" @if n.admin { " (administrator)" } ". Copy the link now: it is not shown again."
                    }
                    code.invite-link #invite-link { (n.link) }
                    p { button type="button" data-copy="#invite-link" hidden { "Copy link" } }
                }
                form method="post" action="/admin/invites" {
                    (auth::csrf_field())
                    label { input type="checkbox" name="admin" value="true"; " The new account is an administrator" }
                    p { button.primary type="submit" { "Create invitation link" } }
                }
            }
            section.card #pack {
                h2 { "Content pack" }
                p { "In use: " strong { (state.pack.role.name) } " (" code { (state.pack.role.id) } "), "
                    (state.pack.questions.len()) " questions, " (state.exercises.len()) " Terraform exercises, "
                    (state.scenarios.len()) " troubleshooting scenarios." }
                @match pack_outcome {
                    Some(PackOutcome::Installed(i)) => {
                        div.notice.good role="status" { "Installed " (i.role) ": " (i.questions) " questions, "
                            (i.exercises) " exercises, " (i.scenarios) " scenarios. Everyone sees it from now on." }
                    }
                    Some(PackOutcome::Refused(why, problems)) => {
                        div.notice.bad role="alert" { (why) }
                        @if !problems.is_empty() {
                            ul.diagnostics { @for p in problems { li { code { (p) } } } }
                        }
                    }
                    None => {}
                }
                @if state.config.packs_dir.is_some() {
                    p.muted { "Upload a .zip of a pack folder (see docs/pack-format.md). It is checked as "
                        code { "mockloop pack check" } " would check it and installed only without problems; "
                        "the terminal uses it too when no --pack is given." }
                    form method="post" enctype="multipart/form-data"
                        action=(format!("/admin/pack?csrf={}", auth::page_context().csrf.unwrap_or_default())) {
                        input type="file" name="pack" accept=".zip,application/zip" required;
                        " "
                        button.primary type="submit" { "Check and install" }
                    }
                } @else {
                    p.muted { "Uploads are off: the server was started without a data directory for packs." }
                }
            }
            section.card {
                h2 { "Accounts (" (accounts.len()) ")" }
                table.compact {
                    thead { tr { th { "Name" } th { "Role" } th { "Since" } } }
                    tbody {
                        @for a in &accounts {
                            tr { td { (a.user.name) } td { @if a.admin { "administrator" } @else { "member" } } td { (when(a.user.created_at)) } }
                        }
                    }
                }
            }
            section.card {
                h2 { "Invitations" }
                @if invites.is_empty() { p.muted { "None yet." } } @else {
                    table.compact {
                        thead { tr { th { "Created" } th { "By" } th { "Role" } th { "Status" } } }
                        tbody {
                            @for i in &invites {
                                tr {
                                    td { (when(i.created_at)) }
                                    td { (i.created_by.and_then(|u| names.get(&u).copied()).unwrap_or("first run")) }
                                    td { @if i.admin { "administrator" } @else { "member" } }
                                    td {
                                        @if let Some(u) = i.used_by { "used by " (names.get(&u).copied().unwrap_or("a removed user")) }
                                        @else if i.expires_at <= now { "expired" }
                                        @else { "open until " (when(i.expires_at)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /admin`.
pub async fn admin_get(Live(state): Live, _admin: Admin) -> Result<Markup, WebError> {
    admin_page(&state, None).await
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    /// Checkbox: present when ticked.
    admin: Option<String>,
}

/// `POST /admin/invites`: creates an invitation and shows its link once.
#[instrument(skip_all)]
pub async fn invite_post(
    Live(state): Live,
    admin: Admin,
    headers: HeaderMap,
    PageForm(form): PageForm<InviteForm>,
) -> Result<Markup, WebError> {
    let as_admin = form.admin.as_deref().is_some_and(|v| v == "true" || v == "on");
    let created = invite(&state, &admin, &headers, as_admin).await?;
    admin_page(&state, Some(&created)).await
}

#[derive(Deserialize, Default)]
pub struct InviteInput {
    /// Whether the new account is an administrator (default false).
    #[serde(default)]
    admin: bool,
}

/// `POST /api/admin/invites`: 201 with the code and link (shown this once).
#[instrument(skip_all)]
pub async fn api_invite_post(
    Live(state): Live,
    admin: Admin,
    headers: HeaderMap,
    ApiJson(input): ApiJson<InviteInput>,
) -> Result<impl IntoResponse, WebError> {
    Ok((StatusCode::CREATED, Json(invite(&state, &admin, &headers, input.admin).await?)))
}

#[derive(Serialize)]
pub struct AccountRow {
    name: String,
    admin: bool,
    created_at: DateTime<Utc>,
}

/// `GET /api/admin/accounts`.
pub async fn api_accounts_get(Live(state): Live, _admin: Admin) -> Result<Json<Vec<AccountRow>>, WebError> {
    Ok(Json(
        state
            .store
            .accounts()
            .await?
            .into_iter()
            .map(|a| AccountRow { name: a.user.name, admin: a.admin, created_at: a.user.created_at })
            .collect(),
    ))
}

/// Runs the (blocking) check and install off the async threads.
async fn install_upload(
    state: &AppState,
    bytes: Vec<u8>,
) -> Result<Result<Installed, UploadError>, WebError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || pack_upload::install(&state, &bytes))
        .await
        .map_err(|e| WebError::Internal(format!("pack installation failed: {e}")))
}

impl From<UploadError> for WebError {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::Archive(why) => WebError::BadRequest(why),
            UploadError::Invalid(diagnostics) => WebError::BadRequest(format!(
                "{}:\n{}",
                refused_summary(diagnostics.len()),
                diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
            )),
            UploadError::Install(why) => WebError::Internal(why),
        }
    }
}

fn refused_summary(problems: usize) -> String {
    format!("the pack has {problems} problem(s); nothing was installed")
}

/// `POST /admin/pack` (multipart, field `pack`): checks and installs an uploaded pack.
#[instrument(skip_all)]
pub async fn pack_post(
    Live(state): Live,
    admin: Admin,
    mut form: axum::extract::Multipart,
) -> Result<axum::response::Response, WebError> {
    let mut bytes = None;
    while let Some(field) =
        form.next_field().await.map_err(|e| WebError::BadRequest(format!("bad upload: {e}")))?
    {
        if field.name() == Some("pack") {
            let data = field.bytes().await.map_err(|e| WebError::BadRequest(format!("bad upload: {e}")))?;
            bytes = Some(data.to_vec());
        }
    }
    let bytes = bytes
        .ok_or_else(|| WebError::BadRequest("choose a .zip file to upload (form field `pack`)".into()))?;
    let outcome = match install_upload(&state, bytes).await? {
        Ok(done) => {
            tracing::info!(by = %admin.0.account.user.name, pack = %done.id, questions = done.questions, "pack installed");
            PackOutcome::Installed(done)
        }
        Err(UploadError::Archive(why)) => PackOutcome::Refused(why, Vec::new()),
        Err(UploadError::Invalid(diagnostics)) => PackOutcome::Refused(
            refused_summary(diagnostics.len()),
            diagnostics.iter().map(ToString::to_string).collect(),
        ),
        Err(e @ UploadError::Install(_)) => return Err(e.into()),
    };
    let status =
        if matches!(outcome, PackOutcome::Installed(_)) { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = admin_page_with(&state.current(), None, Some(&outcome)).await?;
    Ok((status, page).into_response())
}

/// `POST /api/admin/pack` (body: the .zip): checks and installs a pack.
#[instrument(skip_all)]
pub async fn api_pack_post(
    Live(state): Live,
    admin: Admin,
    body: axum::body::Bytes,
) -> Result<Json<Installed>, WebError> {
    let done = install_upload(&state, body.to_vec()).await??;
    tracing::info!(by = %admin.0.account.user.name, pack = %done.id, questions = done.questions, "pack installed");
    Ok(Json(done))
}
