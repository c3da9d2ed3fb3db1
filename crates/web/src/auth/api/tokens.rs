//! The caller's API tokens, through the API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::auth::account::{
    create_token as issue, memberships, revoke_token as revoke, tokens,
};
use useit_core::ApiTokenId;
use useit_core::auth::ApiToken;
use useit_core::auth::token::TokenInput;
use useit_core::clock;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    pub id: String,
    pub name: String,
    pub programme_id: String,
    pub role: String,
    /// The first characters of the secret.
    pub hint: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub usable: bool,
}

impl From<&ApiToken> for TokenJson {
    fn from(t: &ApiToken) -> Self {
        TokenJson {
            id: t.id.to_string(),
            name: t.name.clone(),
            programme_id: t.programme_id.to_string(),
            role: t.role.slug().to_string(),
            hint: t.hint.clone(),
            created_at: clock::rfc3339(t.created_at),
            expires_at: t.expires_at.map(clock::rfc3339),
            last_used_at: t.last_used_at.map(clock::rfc3339),
            revoked_at: t.revoked_at.map(clock::rfc3339),
            usable: t.is_usable_at(clock::now()),
        }
    }
}

/// The caller's tokens (secrets are never shown again).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account", responses((status = 200, body = Vec<TokenJson>)))]
pub async fn list_tokens(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<TokenJson>>, ApiError> {
    let tokens = tokens(app.store.as_ref(), &ctx.operator()?).await?;
    Ok(Json(tokens.iter().map(TokenJson::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewTokenJson {
    pub name: String,
    /// The programme's short name; the token gets the caller's role there.
    pub programme: String,
    /// Days until it stops working; omit for a token that does not expire.
    pub expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedTokenJson {
    pub token: TokenJson,
    /// The secret: send it as `Authorization: Bearer <secret>`. Shown once.
    pub secret: String,
}

/// Issues a bearer token scoped to one programme and the caller's role there.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = NewTokenJson,
    responses((status = 201, body = IssuedTokenJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(body): Json<NewTokenJson>,
) -> Result<Response, ApiError> {
    let me = ctx.operator()?;
    // The programme by its short name, among the caller's own.
    let programme = memberships(app.store.as_ref(), &me)
        .await?
        .into_iter()
        .find(|m| m.programme.slug == body.programme)
        .map(|m| m.programme.id);
    let input = TokenInput {
        name: body.name,
        programme,
        expires_in_days: body.expires_in_days,
    };
    let (t, secret) = issue(app.store.as_ref(), &me, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedTokenJson {
            token: TokenJson::from(&t),
            secret,
        }),
    )
        .into_response())
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{token_id}", tag = "account",
    params(("token_id" = String, Path, description = "The token's id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn revoke_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(token_id): Path<String>,
) -> Result<Response, ApiError> {
    let id: ApiTokenId = token_id.parse().map_err(|_| AppError::NotFound)?;
    revoke(app.store.as_ref(), &ctx.operator()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
