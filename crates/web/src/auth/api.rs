//! The account through the API: who am I, my tokens, my password.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_core::ApiTokenId;
use useit_core::auth::ApiToken;
use useit_core::clock;
use utoipa::ToSchema;

use crate::http::ctx::{Access, Ctx, Via};
use crate::http::error::{ApiError, AppError};
use crate::http::route::{Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    vec![
        api(Method::GET, "/api/v1/me", Access::SignedIn, me),
        api(
            Method::PUT,
            "/api/v1/me/password",
            Access::SignedIn,
            change_password,
        ),
        api(Method::GET, "/api/v1/tokens", Access::SignedIn, list_tokens),
        api(
            Method::POST,
            "/api/v1/tokens",
            Access::SignedIn,
            create_token,
        ),
        api(
            Method::DELETE,
            "/api/v1/tokens/{token_id}",
            Access::SignedIn,
            revoke_token,
        ),
    ]
}

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
    let ms = app.store.memberships(user.id).await?;
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
    match super::check_password_change(&app, &ctx, &body.current_password, &body.new_password, None)
        .await
    {
        Ok(hash) => {
            app.store
                .set_password(ctx.user()?.id, &hash, ctx.session_hash(), &ctx.actor())
                .await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        Err(errs) => Err(AppError::Invalid(errs).into()),
    }
}

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
    let tokens = app.store.tokens_of_user(ctx.user()?.id).await?;
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
    let programme_id = match app.store.programme_by_slug(&body.programme).await? {
        Some(p) => p.id.to_string(),
        None => String::new(),
    };
    let (t, secret) =
        super::issue_token(&app, &ctx, &body.name, &programme_id, body.expires_in_days).await?;
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
    app.store
        .revoke_token(ctx.user()?.id, id, &ctx.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The context's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(me, change_password, list_tokens, create_token, revoke_token,))]
pub struct Doc;
