//! Invitations through the API (issue 16 item 9): create one (the answer is
//! the same for every e-mail address), list and withdraw them, and create
//! the invited account from the link's secret. An existing account accepts
//! on the web, signed in: an API token belongs to one programme and cannot
//! join another.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::programme::invitations::{accept_with_new_account, invitations, invite, withdraw};
use useit_core::auth::invitation::{Invitation, InvitationInput, InvitationState};
use useit_core::clock;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::http::link_on_this_host;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct InvitationJson {
    pub id: String,
    pub email: String,
    pub role: String,
    pub state: InvitationState,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339: the link works until then.
    pub expires_at: String,
}

impl From<&Invitation> for InvitationJson {
    fn from(i: &Invitation) -> Self {
        InvitationJson {
            id: i.id.to_string(),
            email: i.email.clone(),
            role: i.role.slug().into(),
            state: i.state(clock::now()),
            created_at: clock::rfc3339(i.created_at),
            expires_at: clock::rfc3339(i.expires_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NewInvitationJson {
    #[serde(flatten)]
    pub invitation: InvitationJson,
    /// The link to send to the person, shown only this once.
    pub link: String,
}

/// Invites an e-mail address with a role; the answer does not say whether
/// the address has an account.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/invitations", tag = "members",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = InvitationInput,
    responses((status = 201, body = NewInvitationJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_invitation(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Json(body): Json<InvitationInput>,
) -> Result<Response, ApiError> {
    let invited = invite(app.store.as_ref(), &ctx.caller()?, &body).await?;
    let link = link_on_this_host(
        &app.config,
        &headers,
        &format!("/invitations/{}", invited.secret),
    );
    Ok((
        StatusCode::CREATED,
        Json(NewInvitationJson {
            invitation: InvitationJson::from(&invited.invitation),
            link,
        }),
    )
        .into_response())
}

/// The programme's invitations, newest first (the read is audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/invitations", tag = "members",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [InvitationJson])))]
pub async fn list_invitations(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<InvitationJson>>, ApiError> {
    let all = invitations(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(all.iter().map(InvitationJson::from).collect()))
}

/// Withdraws an open invitation: its link stops working.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/invitations/{invitation_id}", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"),
        ("invitation_id" = String, Path, description = "The invitation's id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn withdraw_invitation(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = uuid::Uuid::parse_str(&path.1).map_err(|_| AppError::NotFound)?;
    withdraw(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct InvitedAccountJson {
    /// The person's name as others will see it.
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: String,
    /// Their password (at least 12 characters, not easily guessed).
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct JoinedJson {
    /// The programme's short name.
    pub programme: String,
    pub email: String,
    pub role: String,
}

/// Creates the invited e-mail's account from the invitation's secret and
/// joins the programme. No sign-in needed: the secret is the right.
#[utoipa::path(post, path = "/api/v1/invitations/{invitation_secret}/account", tag = "members",
    params(("invitation_secret" = String, Path, description = "The secret at the end of the invitation's link")),
    request_body = InvitedAccountJson,
    responses((status = 201, body = JoinedJson), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)),
    security(()))]
pub async fn create_invited_account(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Json(body): Json<InvitedAccountJson>,
) -> Result<Response, ApiError> {
    let (opened, user) = accept_with_new_account(
        app.store.as_ref(),
        &secret,
        &body.display_name,
        &body.password,
        ctx.actor(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(JoinedJson {
            programme: opened.programme.slug,
            email: user.email,
            role: opened.invitation.role.slug().into(),
        }),
    )
        .into_response())
}
