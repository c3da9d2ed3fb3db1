//! The directory file imported back: the page with the upload form and
//! the result (every problem by line and column, graded error or warning),
//! and the same through the API.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use useit_app::Imported;
use useit_app::enterprise::directory_csv::{directory_file, import_directory};
use useit_core::auth::Capability;
use useit_core::csv_import::Report;
use useit_core::enterprise::directory_csv::COLUMNS;
use useit_core::enterprise::profile::EnterpriseQuery;
use useit_core::i18n::{Message, format_count, t, tf};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, PageError, ProblemLine, problem_lines};
use crate::http::forms::Upload;
use crate::http::route::{Access, Route, api, page};
use crate::http::views::{FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewEnterprises);
    let edit = Access::Programme(Capability::EditEnterprises);
    vec![
        page(
            Method::GET,
            "/p/{programme}/enterprise/import",
            edit,
            import_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/import",
            edit,
            import_post,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/enterprises.csv",
            view,
            get_directory_csv,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/enterprises.csv",
            edit,
            post_directory_csv,
        ),
    ]
}

#[derive(Template)]
#[template(path = "enterprise/import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    columns: String,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

async fn import_view(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    summary: Option<String>,
) -> Result<ImportPage, AppError> {
    let rejected = report.as_ref().is_some_and(|r| r.has_errors());
    Ok(ImportPage {
        layout: Layout::new(app, ctx, t("enterprise.directory_csv.import"), "enterprise")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        columns: COLUMNS.join(", "),
        errors,
        report,
        state: match (&summary, rejected) {
            (_, true) => "rejected",
            (Some(_), false) => "applied",
            (None, false) => "",
        },
        summary: summary.unwrap_or_default(),
    })
}

pub async fn import_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &import_view(&app, &ctx, FormErrors::default(), None, None).await?,
    )?)
}

pub async fn import_post(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_view(&app, &ctx, errors, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    match import_directory(app.store.as_ref(), &ctx.caller()?, &up.file_name, &up.bytes).await {
        Ok(Imported { outcome, report }) => {
            let summary = tf(
                "enterprise.directory_csv.imported",
                &[
                    ("created", &format_count(outcome.created)),
                    ("changed", &format_count(outcome.changed)),
                    ("unchanged", &format_count(outcome.unchanged)),
                ],
            );
            let page = import_view(
                &app,
                &ctx,
                FormErrors::default(),
                Some(report),
                Some(summary),
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page = import_view(&app, &ctx, errors, Some(report), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The directory as CSV: every profile field with the org-id (open data
/// with identifiers), filtered as the list is. It imports back.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/enterprises.csv", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), EnterpriseQuery),
    responses((status = 200, body = String, content_type = "text/csv")))]
pub async fn get_directory_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<EnterpriseQuery>,
) -> Result<Response, ApiError> {
    let body = directory_file(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(axum::response::IntoResponse::into_response((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        body,
    )))
}

#[derive(Deserialize, IntoParams)]
pub struct DirectoryImportQuery {
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DirectoryImported {
    /// Organisations the register did not hold, added with their profile.
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Warnings (a new organisation; the register's name or postcode kept).
    pub problems: Vec<ProblemLine>,
}

/// Imports the directory CSV back: each row changes the profile of the
/// organisation with its org-id (else its name and postcode); a row that
/// matches none adds the organisation (a warning). Any error rejects the whole file (422,
/// each problem with line and column); the same file twice changes
/// nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/enterprises.csv", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), DirectoryImportQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = DirectoryImported), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_directory_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DirectoryImportQuery>,
    body: Bytes,
) -> Result<Json<DirectoryImported>, ApiError> {
    let name = q.file_name.unwrap_or_else(|| "enterprises.csv".into());
    let i = import_directory(app.store.as_ref(), &ctx.caller()?, &name, &body).await?;
    Ok(Json(DirectoryImported {
        created: i.outcome.created,
        changed: i.outcome.changed,
        unchanged: i.outcome.unchanged,
        problems: problem_lines(&i.report),
    }))
}

#[derive(OpenApi)]
#[openapi(paths(get_directory_csv, post_directory_csv))]
pub struct Doc;
