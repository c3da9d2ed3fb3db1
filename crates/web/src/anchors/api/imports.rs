//! Large spend files through the API (issue 16 item 6): like the page, a
//! file over about 20,000 lines (or a workbook over 1 MiB) imports in the
//! background, so no request waits for it; the upload answers 202 with the
//! address of its status, which says how far it has got and, at the end,
//! what was imported or why nothing was.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use useit_app::anchors::jobs::{BackgroundUpload, JobEnd, import_job, start_import};
use useit_core::anchors::jobs::{JobKind, JobState};
use utoipa::ToSchema;

use super::anchors::SpendImportJson;
use super::jobs::job_status;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine};
use crate::state::AppState;

/// A background import as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct ImportJobJson {
    pub id: String,
    pub anchor: String,
    pub file: String,
    /// `running`, `imported`, `rejected` (the file had errors: nothing was
    /// written) or `failed` (nothing was written).
    pub state: String,
    /// Lines read so far while it runs.
    pub lines_done: Option<u64>,
    /// Lines in the file; not known for a workbook until it is read.
    pub lines_total: Option<u64>,
    /// The outcome in words, once it has ended.
    pub summary: Option<String>,
    /// What was imported, while this server still holds the details.
    pub result: Option<SpendImportJson>,
    /// The report's problems (errors when rejected, warnings otherwise).
    pub problems: Vec<ProblemLine>,
    /// When it ended (RFC 3339).
    pub ended_at: Option<String>,
}

/// Starts `upload` in the background and answers 202 with its status
/// address (also in `Location`).
pub fn accepted(app: &AppState, ctx: &Ctx, upload: BackgroundUpload) -> Result<Response, AppError> {
    let slug = ctx.programme()?.slug.clone();
    let (anchor, file) = (upload.anchor_name.clone(), upload.file_name.clone());
    let id = start_import(app.store.clone(), ctx.caller()?, &app.imports, upload);
    let href = format!("/api/v1/programmes/{slug}/anchors/spend/imports/{id}");
    let body = ImportJobJson {
        id: id.to_string(),
        anchor,
        file,
        state: JobState::Running.slug().into(),
        lines_done: Some(0),
        lines_total: None,
        summary: None,
        result: None,
        problems: Vec::new(),
        ended_at: None,
    };
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, href)], Json(body)).into_response())
}

/// Where a background spend import has got, or how it ended.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/spend/imports/{job}", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"),
        ("job" = String, Path, description = "The import's id, from the 202 answer")),
    responses((status = 200, body = ImportJobJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_import_job(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<ImportJobJson>, ApiError> {
    let id = uuid::Uuid::parse_str(&path.1).map_err(|_| AppError::NotFound)?;
    let view = import_job(app.store.as_ref(), &ctx.caller()?, &app.imports, id).await?;
    let s = job_status(view, JobKind::Spend)?;
    Ok(Json(ImportJobJson {
        id: id.to_string(),
        anchor: s.name,
        file: s.file,
        state: s.state,
        lines_done: s.done,
        lines_total: s.total,
        summary: s.summary,
        result: match &s.finished {
            Some(JobEnd::Imported(i)) => Some(SpendImportJson::new(&i.outcome, &i.report)),
            _ => None,
        },
        problems: s.problems,
        ended_at: s.ended_at,
    }))
}
