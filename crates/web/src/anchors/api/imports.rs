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
use useit_app::anchors::jobs::{BackgroundUpload, JobEnd, JobView, import_job, start_import};
use useit_core::anchors::jobs::{JobKind, JobState};
use useit_core::clock;
use useit_core::i18n::Message;
use utoipa::ToSchema;

use super::anchors::SpendImportJson;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
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
    Ok(Json(match view {
        // A register load has its own status address.
        JobView::Recorded(r) if r.kind == JobKind::Register => {
            return Err(AppError::NotFound.into());
        }
        JobView::Live(j) if j.kind == JobKind::Register => return Err(AppError::NotFound.into()),
        JobView::Recorded(r) => ImportJobJson {
            id: r.id.to_string(),
            summary: (!r.summary.is_empty()).then(|| r.summary_in_words()),
            anchor: r.anchor_name,
            file: r.file_name,
            state: r.state.slug().into(),
            lines_done: None,
            lines_total: (r.total > 0).then_some(r.total),
            result: None,
            problems: Vec::new(),
            ended_at: r.ended_at.map(clock::rfc3339),
        },
        JobView::Live(j) => {
            let mut json = ImportJobJson {
                id: id.to_string(),
                anchor: j.anchor.clone(),
                file: j.file_name.clone(),
                state: JobState::Running.slug().into(),
                lines_done: Some(j.done()),
                lines_total: j.total,
                summary: None,
                result: None,
                problems: Vec::new(),
                ended_at: None,
            };
            match j.end() {
                None => {}
                Some(JobEnd::Imported(i)) => {
                    json.state = JobState::Imported.slug().into();
                    json.summary = Some(i.outcome.message().text());
                    json.problems = problem_lines(&i.report);
                    json.result = Some(SpendImportJson::new(&i.outcome, &i.report));
                }
                Some(JobEnd::Rejected(report)) => {
                    json.state = JobState::Rejected.slug().into();
                    json.summary = Some(
                        Message::new("upload.has_errors")
                            .arg("count", report.error_count())
                            .text(),
                    );
                    json.problems = problem_lines(&report);
                }
                Some(JobEnd::Failed(reason)) => {
                    json.state = JobState::Failed.slug().into();
                    json.summary = Some(reason);
                }
                Some(JobEnd::Registered(_)) => return Err(AppError::NotFound.into()),
            }
            json
        }
    }))
}
