//! Partners as CSV through the API: the list in the format the import takes
//! back, and that import.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Serialize;
use useit_app::programme::partner_csv::import_partners as import;
use useit_core::programme::PartnerListQuery;
use utoipa::ToSchema;

use super::ImportQuery;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, ProblemLine, problem_lines};
use crate::programme::view::partners_csv;
use crate::state::AppState;

/// The partner list as CSV, in the format the import takes back.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners.csv", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), PartnerListQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_partners(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PartnerListQuery>,
) -> Result<Response, ApiError> {
    Ok(partners_csv(&app, &ctx, &p).await?)
}

#[derive(Serialize, ToSchema)]
pub struct ImportResultJson {
    pub file: String,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// False on a dry run.
    pub applied: bool,
    /// Warnings (errors come back as a 422 problem instead).
    pub problems: Vec<ProblemLine>,
}

/// Imports partners from CSV (the export's format): all or nothing, and
/// importing the same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/partners/import", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = ImportResultJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_partners(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportResultJson>, ApiError> {
    let name = q.file_name();
    let upload = q.upload(&name, &body);
    let imported = import(app.store.as_ref(), &ctx.caller()?, upload).await?;
    let (o, report) = (imported.outcome, imported.report);
    Ok(Json(ImportResultJson {
        file: report.file.clone(),
        created: o.created,
        updated: o.updated,
        unchanged: o.unchanged,
        applied: o.applied,
        problems: problem_lines(&report),
    }))
}
