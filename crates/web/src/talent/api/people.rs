//! People and their records through the API: personal data, the caller's
//! caseload only, every read audited.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use useit_app::talent::people::{
    Profile, create_person as create, erase_person as erase, people, profile,
    update_person as update,
};
use useit_app::talent::records::change_records;
use useit_core::listing::PageRequest;
use useit_core::talent::casework::PersonInput;
use useit_core::talent::person::PeopleParams;
use useit_core::talent::record::RecordInput;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{PeopleJson, json};
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;
use crate::talent::view::subject_access_json;

#[derive(Serialize, ToSchema)]
pub struct PersonJson {
    #[schema(value_type = Object)]
    /// The profile, with `area_name` beside `area_code`.
    pub person: serde_json::Value,
    #[schema(value_type = Object)]
    pub records: serde_json::Value,
    /// Steps with their state, next steps, expiry warnings, remaining fees.
    #[schema(value_type = Object)]
    pub progress: serde_json::Value,
    /// Each open vacancy: the score's parts, or the gates that block it.
    #[schema(value_type = Vec<Object>)]
    pub vacancies: serde_json::Value,
}

/// A person as the API shows them (the read is audited).
pub(super) async fn person_json(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
) -> Result<PersonJson, AppError> {
    let Profile {
        person,
        records,
        progress,
        fits,
        area_name,
    } = profile(app.store.as_ref(), &ctx.caller()?, id).await?;
    let vacancies: Vec<serde_json::Value> = fits
        .iter()
        .map(|f| match &f.result {
            Ok(s) => serde_json::json!({"vacancy_id": f.vacancy.id, "reference": f.vacancy.input.reference, "eligible": true, "score": s}),
            Err(g) => serde_json::json!({"vacancy_id": f.vacancy.id, "reference": f.vacancy.input.reference, "eligible": false, "gates": g}),
        })
        .collect();
    let mut person = json(&person)?;
    person["area_name"] = serde_json::json!(area_name);
    Ok(PersonJson {
        person,
        records: json(&records)?,
        progress: json(&progress)?,
        vacancies: json(&vacancies)?,
    })
}

/// People in the caller's caseload (everyone's for managers). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), PeopleParams),
    responses((status = 200, body = PeopleJson)))]
pub async fn list_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
) -> Result<Json<PeopleJson>, ApiError> {
    let page = people(
        app.store.as_ref(),
        &ctx.caller()?,
        &p.query(),
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    PeopleJson::page(page)
}

/// Adds a person (the caller is their caseworker unless a manager names another).
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = PersonInput,
    responses((status = 201, body = PersonJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(input): Json<PersonInput>,
) -> Result<Response, ApiError> {
    let p = create(app.store.as_ref(), &ctx.caller()?, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(person_json(&app, &ctx, p.id).await?),
    )
        .into_response())
}

/// One person with their records, pathway progress and how each open vacancy fits.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people/{person_id}", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person_id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = PersonJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<PersonJson>, ApiError> {
    let id = path.1;
    Ok(Json(person_json(&app, &ctx, id).await?))
}

/// Replaces a person's profile.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/talent/people/{person_id}", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person_id" = Uuid, Path, description = "Person id")),
    request_body = PersonInput,
    responses((status = 200, body = PersonJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn update_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(input): Json<PersonInput>,
) -> Result<Json<PersonJson>, ApiError> {
    let id = path.1;
    update(app.store.as_ref(), &ctx.caller()?, id, &input).await?;
    Ok(Json(person_json(&app, &ctx, id).await?))
}

/// Erases the person's personal data; anonymous counts stay.
#[utoipa::path(delete, path = "/api/v1/programmes/{programme}/talent/people/{person_id}", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person_id" = Uuid, Path, description = "Person id")),
    responses((status = 204, description = "Erased"), (status = 404, body = crate::http::error::Problem)))]
pub async fn erase_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let id = path.1;
    erase(app.store.as_ref(), &ctx.caller()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a pathway step, a language result, a barrier (or its resolution),
/// support, a case note, a withdrawal of consent or a work outcome.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people/{person_id}/records", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person_id" = Uuid, Path, description = "Person id")),
    request_body = RecordInput,
    responses((status = 201, body = PersonJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn add_record(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<RecordInput>,
) -> Result<Response, ApiError> {
    let id = path.1;
    change_records(app.store.as_ref(), &ctx.caller()?, id, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(person_json(&app, &ctx, id).await?),
    )
        .into_response())
}

/// Everything held about the person (subject access request). Audited.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people/{person_id}/export", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name"), ("person_id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = Object)))]
pub async fn export_person(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path.1;
    Ok(Json(subject_access_json(&app, &ctx, id).await?))
}
