//! Team mode's administration: the accounts, and invitations to create new ones.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::auth::{self, Admin};
use crate::extract::{ApiJson, PageForm};
use crate::views::{layout, when, Nav};
use crate::{AppState, WebError};

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

async fn admin_page(state: &AppState, created: Option<&NewInvite>) -> Result<Markup, WebError> {
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
                }
                form method="post" action="/admin/invites" {
                    (auth::csrf_field())
                    label { input type="checkbox" name="admin" value="true"; " The new account is an administrator" }
                    p { button.primary type="submit" { "Create invitation link" } }
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
pub async fn admin_get(State(state): State<AppState>, _admin: Admin) -> Result<Markup, WebError> {
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
    State(state): State<AppState>,
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
    State(state): State<AppState>,
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
pub async fn api_accounts_get(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Json<Vec<AccountRow>>, WebError> {
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
