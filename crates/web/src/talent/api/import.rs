//! The people file through the API: the CSV download and the import that
//! reads it back (the same path the page and the console take).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use useit_app::talent::import::{PeopleUpload, import_people as import};
use useit_app::talent::people::people_file;
use useit_core::talent::person::PeopleParams;

use super::ImportJson;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::views::csv_download;
use crate::state::AppState;

/// The people as CSV (the columns the import reads). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), PeopleParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
) -> Result<Response, ApiError> {
    let body = people_file(app.store.as_ref(), &ctx.caller()?, &p.query()).await?;
    Ok(csv_download(&ctx, "people", body)?)
}

/// Imports people from CSV, all or nothing; an id from an export updates that
/// person. A blank caseworker on a new row makes the caller the caseworker;
/// an e-mail names one (any other rejects the file at its line).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = ImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_people(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Json<ImportJson>, ApiError> {
    let upload = PeopleUpload {
        file_name: "people.csv",
        bytes: &body,
    };
    let imported = import(app.store.as_ref(), &ctx.caller()?, upload, &|_| {}).await?;
    Ok(Json(imported.outcome.into()))
}
