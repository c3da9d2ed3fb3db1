//! The funder report through the API: the same report as the page (JSON),
//! the PDF, and the programme manager's texts.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use useit_app::programme::report::{report, report_pdf, report_texts, save_report_texts};
use useit_core::programme::report::{ReportQuery, ReportTexts};

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

/// The report for a period: challenge, solution, strands, results against
/// the targets (counts of people suppressed as on every page for roles
/// without personal-data rights), stories with consent, partners, what
/// worked and what did not, and the data's sources.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/report", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"), ReportQuery),
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn get_report(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let r = report(app.store.as_ref(), &ctx.caller()?, &app.ledgers, &q).await?;
    Ok(Json(serde_json::to_value(&r).map_err(AppError::internal)?))
}

/// The same report as a PDF.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/report.pdf", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name"), ReportQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn get_report_pdf(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let bytes = report_pdf(app.store.as_ref(), &ctx.caller()?, &app.ledgers, &q).await?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response())
}

/// What the programme manager wrote for the report.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/report/texts", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ReportTexts)))]
pub async fn get_texts(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<ReportTexts>, ApiError> {
    Ok(Json(
        report_texts(app.store.as_ref(), &ctx.caller()?).await?,
    ))
}

/// Replaces the report's texts.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/report/texts", tag = "programme",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ReportTexts,
    responses((status = 200, body = ReportTexts), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_texts(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<ReportTexts>,
) -> Result<Json<ReportTexts>, ApiError> {
    Ok(Json(
        save_report_texts(app.store.as_ref(), &ctx.caller()?, &input).await?,
    ))
}
