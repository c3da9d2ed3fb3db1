//! Vacancies through the API: the list, one saved, the file out and in.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use useit_app::talent::vacancies::{
    VacancyUpload, import_vacancies as import, save_vacancy as save, vacancies,
};
use useit_core::listing::PageRequest;
use useit_core::talent::vacancy::{self, VacancyFields, VacancyParams};

use super::{ImportJson, PeopleJson, json};
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::views::csv_download;
use crate::state::AppState;

/// Vacancies with their posts held and filled: `q`, `role`, `state`
/// (open/closed), `sort` (reference, title, opens_on, posts), `dir`, `page`.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/vacancies", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), VacancyParams),
    responses((status = 200, body = PeopleJson)))]
pub async fn list_vacancies(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<VacancyParams>,
) -> Result<Json<PeopleJson>, ApiError> {
    let all = vacancies(app.store.as_ref(), &ctx.caller()?, &p).await?;
    PeopleJson::of(all, PageRequest::new(p.page, p.per_page))
}

/// Adds a vacancy, or updates the one with the same reference.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/vacancies", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = VacancyFields,
    responses((status = 200, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn save_vacancy(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<VacancyFields>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = save(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok(Json(json(&v)?))
}

/// The vacancies as CSV.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/vacancies.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), VacancyParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_vacancies(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<VacancyParams>,
) -> Result<Response, ApiError> {
    let rows: Vec<_> = vacancies(app.store.as_ref(), &ctx.caller()?, &p)
        .await?
        .into_iter()
        .map(|v| v.input)
        .collect();
    Ok(csv_download(&ctx, "vacancies", vacancy::write_csv(&rows))?)
}

/// Imports vacancies from CSV, all or nothing, matched by reference.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/vacancies.csv", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = ImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import_vacancies(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Json<ImportJson>, ApiError> {
    let upload = VacancyUpload {
        file_name: "vacancies.csv",
        bytes: &body,
    };
    let imported = import(app.store.as_ref(), &ctx.caller()?, upload).await?;
    Ok(Json(imported.outcome.into()))
}
