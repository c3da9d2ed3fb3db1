//! Communities, their members and their CED plans.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use useit_app::community::{
    add_community, add_member as app_add_member, communities_in, community, edit_community,
    members, remove_member as app_remove_member, save_action, save_plan,
};
use useit_core::UserId;
use useit_core::clock;
use useit_core::community::plan::{ActionInput, PlanInput};
use useit_core::community::record::{CommunityInput, MemberInput};
use useit_core::programme::indicators::CountedQuery;
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

type JsonResult = Result<Json<serde_json::Value>, ApiError>;
type Created = Result<(StatusCode, Json<serde_json::Value>), ApiError>;

/// The programme's communities by name, each with its area in force, its
/// plan's status and its progress (done ÷ actions not dropped; `null`
/// share when no action counts).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"), CountedQuery),
    responses((status = 200, body = [Object])))]
pub async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CountedQuery>,
) -> JsonResult {
    let all = communities_in(app.store.as_ref(), &ctx.caller()?, &q).await?;
    let v: Vec<serde_json::Value> = all
        .iter()
        .map(|c| {
            let mut o = json(c)?;
            o["progress_share"] = serde_json::json!(c.progress.share());
            o["progress_text"] = serde_json::json!(c.progress.text());
            Ok(o)
        })
        .collect::<Result<_, crate::http::error::AppError>>()?;
    Ok(Json(serde_json::Value::Array(v)))
}

/// Adds a community with its area, chosen as the area of benefit is
/// (`area`: index, wards, areas, deciles …); errors in the area are named
/// `area/…`.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/communities", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = CommunityInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<CommunityInput>,
) -> Created {
    let c = add_community(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&c)?)))
}

/// The community with its plan, its actions and the plan's progress.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/{community_id}", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_one(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> JsonResult {
    let v = community(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    let mut o = json(&v)?;
    o["progress_share"] = serde_json::json!(v.progress.share());
    o["progress_text"] = serde_json::json!(v.progress.text());
    Ok(Json(o))
}

/// Changes the community; its area is saved as a new version only when the
/// selection changed.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/communities/{community_id}", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id")),
    request_body = CommunityInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<CommunityInput>,
) -> JsonResult {
    let c = edit_community(app.store.as_ref(), &ctx.caller()?, path.1, &f).await?;
    Ok(Json(json(&c)?))
}

/// Who the community's members are (personal data; the read is audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/{community_id}/members", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id")),
    responses((status = 200, body = [Object]), (status = 404, body = crate::http::error::Problem)))]
pub async fn list_members(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> JsonResult {
    let all = members(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    let v: Vec<serde_json::Value> = all
        .iter()
        .map(|m| {
            serde_json::json!({
                "user_id": m.user_id.0, "display_name": m.display_name, "email": m.email,
                "added_at": clock::rfc3339(m.added_at),
            })
        })
        .collect();
    Ok(Json(serde_json::Value::Array(v)))
}

/// Makes an account of the programme a member, by its e-mail.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/communities/{community_id}/members", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id")),
    request_body = MemberInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_member(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<MemberInput>,
) -> Created {
    let user = app_add_member(app.store.as_ref(), &ctx.caller()?, path.1, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "user_id": user.0 })),
    ))
}

#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/communities/{community_id}/members/{user_id}", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id"),
        ("user_id" = Uuid, Path, description = "The member's account id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn remove_member(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    app_remove_member(app.store.as_ref(), &ctx.caller()?, path.1, UserId(path.2)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Writes the plan: aspirations and priorities one a line, its status and
/// the day it was adopted. Refused (403) to anyone who neither manages
/// communities nor is a member of this one.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/communities/{community_id}/plan", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id")),
    request_body = PlanInput,
    responses((status = 200, body = Object), (status = 403, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn put_plan(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<PlanInput>,
) -> JsonResult {
    let p = save_plan(app.store.as_ref(), &ctx.caller()?, path.1, &f).await?;
    Ok(Json(json(&p)?))
}

/// Adds an action to the plan (same refusal as the plan).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/communities/{community_id}/actions", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id")),
    request_body = ActionInput,
    responses((status = 201, body = Object), (status = 403, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn add_action(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<ActionInput>,
) -> Created {
    let a = save_action(app.store.as_ref(), &ctx.caller()?, path.1, None, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&a)?)))
}

/// Changes an action of the plan: its status moves the plan's progress.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/communities/{community_id}/actions/{action_id}", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id"),
        ("action_id" = Uuid, Path, description = "Action id")),
    request_body = ActionInput,
    responses((status = 200, body = Object), (status = 403, body = crate::http::error::Problem),
        (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_action(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid, Uuid)>,
    Json(f): Json<ActionInput>,
) -> JsonResult {
    let a = save_action(app.store.as_ref(), &ctx.caller()?, path.1, Some(path.2), &f).await?;
    Ok(Json(json(&a)?))
}

/// The assets an action builds on, by id.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionAssetsInput {
    /// Assets of the community or of the whole programme.
    pub assets: Vec<Uuid>,
}

/// Sets the assets an action of the plan builds on (its community's or
/// the programme's own; another community's is named under `assets`).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/communities/{community_id}/actions/{action_id}/assets", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("community_id" = Uuid, Path, description = "Community id"),
        ("action_id" = Uuid, Path, description = "Action id")),
    request_body = ActionAssetsInput,
    responses((status = 204), (status = 403, body = crate::http::error::Problem),
        (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_action_assets(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid, Uuid)>,
    Json(f): Json<ActionAssetsInput>,
) -> Result<StatusCode, ApiError> {
    useit_app::community::assets::link_action_assets(
        app.store.as_ref(),
        &ctx.caller()?,
        path.1,
        path.2,
        &f.assets,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
