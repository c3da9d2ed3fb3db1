//! The deployment's accounts through the API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use useit_app::auth::users::{create_user, set_disabled, users};
use useit_core::auth::{User, UserInput, UserListQuery};
use useit_core::clock;
use utoipa::ToSchema;

use crate::admin::view::user_id;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct UserJson {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: String,
    pub last_sign_in_at: Option<String>,
}

impl From<&User> for UserJson {
    fn from(u: &User) -> Self {
        UserJson {
            id: u.id.to_string(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            is_admin: u.is_admin,
            disabled: u.disabled,
            created_at: clock::rfc3339(u.created_at),
            last_sign_in_at: u.last_sign_in_at.map(clock::rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserPageJson {
    pub items: Vec<UserJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

/// Every account (the read is audited).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(UserListQuery), responses((status = 200, body = UserPageJson)))]
pub async fn api_users(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<UserListQuery>,
) -> Result<Json<UserPageJson>, ApiError> {
    let users = users(app.store.as_ref(), &ctx.operator()?, &p.query(), p.page()).await?;
    Ok(Json(UserPageJson {
        total_pages: users.total_pages(),
        items: users.items.iter().map(UserJson::from).collect(),
        total: users.total,
        page: users.page,
        per_page: users.per_page,
    }))
}

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = UserInput,
    responses((status = 201, body = UserJson), (status = 422, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn api_create_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<UserInput>,
) -> Result<Response, ApiError> {
    let u = create_user(app.store.as_ref(), &ctx.operator()?, &f, None).await?;
    Ok((StatusCode::CREATED, Json(UserJson::from(&u))).into_response())
}

async fn switch(
    app: &AppState,
    ctx: &Ctx,
    id: &str,
    disabled: bool,
) -> Result<Json<UserJson>, ApiError> {
    let u = set_disabled(app.store.as_ref(), &ctx.operator()?, user_id(id)?, disabled).await?;
    Ok(Json(UserJson::from(&u)))
}

/// Disables an account: it cannot sign in and its tokens stop working.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/disable", tag = "admin",
    params(("user_id" = String, Path, description = "The account's id")), responses((status = 200, body = UserJson)))]
pub async fn api_disable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
) -> Result<Json<UserJson>, ApiError> {
    switch(&app, &ctx, &user_id, true).await
}

/// Enables a disabled account.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/enable", tag = "admin",
    params(("user_id" = String, Path, description = "The account's id")), responses((status = 200, body = UserJson)))]
pub async fn api_enable_user(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
) -> Result<Json<UserJson>, ApiError> {
    switch(&app, &ctx, &user_id, false).await
}
