//! Members through the API: the list and its CSV (personal data, audited),
//! changing and removing roles, and a CSV of roles to set (people join by
//! invitation, `invitations.rs`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::programme::member_csv::import_members as import;
use useit_app::programme::members::{members, remove_member as remove, set_role};
use useit_core::auth::member_csv::MemberImportOutcome;
use useit_core::auth::{Member, MemberListQuery, RoleInput};
use useit_core::clock;
use utoipa::ToSchema;

use super::ImportQuery;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::programme::view::{members_csv, user_id};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub since: String,
    pub disabled: bool,
}

impl From<&Member> for MemberJson {
    fn from(m: &Member) -> Self {
        MemberJson {
            user_id: m.user.id.to_string(),
            email: m.user.email.clone(),
            display_name: m.user.display_name.clone(),
            role: m.role.slug().into(),
            since: clock::rfc3339(m.since),
            disabled: m.user.disabled,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberPageJson {
    pub items: Vec<MemberJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

/// Members and their roles (personal data; the read is audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/members", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), MemberListQuery),
    responses((status = 200, body = MemberPageJson)))]
pub async fn list_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<MemberListQuery>,
) -> Result<Json<MemberPageJson>, ApiError> {
    let page = members(app.store.as_ref(), &ctx.caller()?, &p.query(), p.page()).await?;
    Ok(Json(MemberPageJson {
        total_pages: page.total_pages(),
        items: page.items.iter().map(MemberJson::from).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Members as CSV (audited as an export).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/members.csv", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), MemberListQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<MemberListQuery>,
) -> Result<Response, ApiError> {
    Ok(members_csv(&app, &ctx, &p).await?)
}

#[derive(Serialize, ToSchema)]
pub struct MemberImportJson {
    pub file: String,
    #[serde(flatten)]
    pub outcome: MemberImportOutcome,
}

/// Sets the roles a members CSV lists (existing accounts only), all or nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/members/import", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = MemberImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<MemberImportJson>, ApiError> {
    let name = q.file_name();
    let upload = q.upload(&name, &body);
    let imported = import(app.store.as_ref(), &ctx.caller()?, upload).await?;
    Ok(Json(MemberImportJson {
        file: imported.report.file,
        outcome: imported.outcome,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct RoleChangeJson {
    pub role: String,
}

/// Changes a member's role (a programme keeps at least one administrator).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/members/{user_id}", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), ("user_id" = String, Path, description = "The member's user id")),
    request_body = RoleChangeJson,
    responses((status = 204), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn set_member_role(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<RoleChangeJson>,
) -> Result<Response, ApiError> {
    let id = path.1;
    let input = RoleInput { role: body.role };
    set_role(app.store.as_ref(), &ctx.caller()?, user_id(&id)?, &input).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Removes a member from the programme.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/members/{user_id}", tag = "members",
    params(("programme" = String, Path, description = "Programme short name"), ("user_id" = String, Path, description = "The member's user id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn remove_member(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = path.1;
    remove(app.store.as_ref(), &ctx.caller()?, user_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
