//! The caller's account and their password, through the API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::auth::account::{change_password as change, memberships};
use useit_core::auth::password::PasswordChange;
use utoipa::ToSchema;

use crate::http::ctx::{Ctx, Via};
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct MembershipJson {
    /// The programme's short name, used in API paths.
    pub programme: String,
    pub name: String,
    /// The role held there, e.g. `programme_manager`.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeJson {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    /// With a token, only the token's programme.
    pub programmes: Vec<MembershipJson>,
}

/// The caller's account and programmes.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = MeJson), (status = 401, body = crate::http::error::Problem)))]
pub async fn me(State(app): State<AppState>, ctx: Ctx) -> Result<Json<MeJson>, ApiError> {
    let user = ctx.user()?;
    let ms = memberships(app.store.as_ref(), &ctx.operator()?).await?;
    let programmes = ms
        .into_iter()
        .filter(|m| match &ctx.via {
            Via::Token { programme, .. } => m.programme.id == *programme,
            _ => true,
        })
        .map(|m| MembershipJson {
            programme: m.programme.slug,
            name: m.programme.name,
            role: match &ctx.via {
                Via::Token { role, .. } => role.slug().to_string(),
                _ => m.role.slug().to_string(),
            },
        })
        .collect();
    Ok(Json(MeJson {
        id: user.id.to_string(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        is_admin: ctx.is_admin(),
        programmes,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChangeJson {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the caller's password and ends their other sessions.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "account", request_body = PasswordChangeJson,
    responses((status = 204), (status = 422, body = crate::http::error::Problem)))]
pub async fn change_password(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(body): Json<PasswordChangeJson>,
) -> Result<Response, ApiError> {
    let input = PasswordChange {
        current_password: body.current_password,
        new_password: body.new_password,
        confirm_password: None,
    };
    change(
        app.store.as_ref(),
        &ctx.operator()?,
        &input,
        ctx.session_hash(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
