//! Researchers through the API: the list and file (the coordinator), one
//! researcher (the coordinator or the researcher themself), changes,
//! erasure and the subject access export.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use useit_app::programme::stories::researcher_export;
use useit_app::research::researchers::{
    create_researcher, erase_researcher, researcher, researchers, researchers_file,
    update_researcher,
};
use useit_core::research::researcher::{ResearcherInput, ResearcherParams};
use uuid::Uuid;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::views::csv_download;
use crate::state::AppState;

/// Researchers (personal data; the listing is audited): `q`, `channel`,
/// `accredited` (yes/no), `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/researchers", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), ResearcherParams),
    responses((status = 200, body = Object)))]
pub async fn list_researchers(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ResearcherParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let page = researchers(app.store.as_ref(), &ctx.caller()?, &p).await?;
    Ok(Json(json(&page)?))
}

/// Adds a researcher; `account_email` links their own account.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/researchers", tag = "research",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ResearcherInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ResearcherInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let r = create_researcher(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok((StatusCode::CREATED, Json(json(&r)?)))
}

/// The researchers as CSV (audited).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/researchers.csv", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"), ResearcherParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_researchers(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ResearcherParams>,
) -> Result<Response, ApiError> {
    let body = researchers_file(app.store.as_ref(), &ctx.caller()?, &p).await?;
    Ok(csv_download(&ctx, "researchers", body)?)
}

/// One researcher (audited); a researcher reaches only their own record.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/researchers/{researcher_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("researcher_id" = Uuid, Path, description = "Researcher id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_researcher(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let r = researcher(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(Json(json(&r)?))
}

/// Replaces a researcher's details.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/research/researchers/{researcher_id}", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("researcher_id" = Uuid, Path, description = "Researcher id")),
    request_body = ResearcherInput,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<ResearcherInput>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let r = update_researcher(app.store.as_ref(), &ctx.caller()?, id, &f).await?;
    Ok(Json(json(&r)?))
}

/// Erases a researcher's personal data; the counts and hours stay.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/research/researchers/{researcher_id}/erase", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("researcher_id" = Uuid, Path, description = "Researcher id")),
    responses((status = 204), (status = 404, body = crate::http::error::Problem)))]
pub async fn erase(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let id = path.1;
    erase_researcher(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything held about a researcher (a subject access request; audited
/// as an export).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/research/researchers/{researcher_id}/export", tag = "research",
    params(("programme" = String, Path, description = "Programme short name"),
        ("researcher_id" = Uuid, Path, description = "Researcher id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    let (r, stories) = researcher_export(app.store.as_ref(), &ctx.caller()?, id).await?;
    let mut v = json(&r)?;
    v["stories"] = json(&stories)?;
    Ok(Json(v))
}
