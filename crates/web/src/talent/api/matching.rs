//! Proposals and placements through the API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use useit_app::talent::matching::{confirm, move_placement as move_on, placements, proposals};
use useit_core::listing::PageRequest;
use useit_core::talent::placement::{ConfirmInput, MoveInput, PlacementParams};
use uuid::Uuid;

use super::{PeopleJson, json};
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::talent::view::{ProposalView, placements_csv};

/// The optimal proposals for the caller's caseload, each with why.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/proposals", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<ProposalView>)))]
pub async fn get_proposals(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    let found = proposals(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(found.iter().map(ProposalView::of).collect()))
}

/// Placements in the caller's caseload: `q` (person or vacancy), `status`
/// (a status, or `current` for those holding a post), `sort` (updated,
/// person, vacancy, status, score), `dir`, `page`, `per_page`. Each read is
/// in the audit log (placements name people).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/placements", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), PlacementParams),
    responses((status = 200, body = PeopleJson)))]
pub async fn list_placements(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PlacementParams>,
) -> Result<Json<PeopleJson>, ApiError> {
    let all = placements(app.store.as_ref(), &ctx.caller()?, &p, "API").await?;
    PeopleJson::of(all, PageRequest::new(p.page, p.per_page))
}

/// The placements the filters select, as CSV (for reporting: placements
/// are made by confirming proposals, not imported). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/placements.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), PlacementParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_placements(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PlacementParams>,
) -> Result<Response, ApiError> {
    let rows = placements(app.store.as_ref(), &ctx.caller()?, &p, "CSV download").await?;
    Ok(placements_csv(&ctx, &rows)?)
}

/// Confirms a current proposal: the person is put forward for the vacancy.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/placements", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ConfirmInput,
    responses((status = 201, body = Object), (status = 409, body = crate::http::error::Problem)))]
pub async fn confirm_placement(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ConfirmInput>,
) -> Result<Response, ApiError> {
    let pl = confirm(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&pl)?)).into_response())
}

/// Moves a placement on: applied, interviewed, offered, started, left or withdrawn.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/placements/{placement_id}/status", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("placement_id" = Uuid, Path, description = "Placement id")),
    request_body = MoveInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn move_placement(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<MoveInput>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let pl = move_on(app.store.as_ref(), &ctx.caller()?, id, &f).await?;
    Ok(Json(json(&pl)?))
}
