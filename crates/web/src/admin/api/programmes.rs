//! The deployment's programmes through the API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use useit_app::programme::programmes::{
    create_programme, programme_by_slug, programmes, set_programme_locale,
};
use useit_core::clock;
use useit_core::programme::{Programme, ProgrammeInput, ProgrammeLocaleInput};
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AdminProgrammeJson {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
    /// The currency its money is shown in: GBP or EUR.
    pub currency: String,
    /// The language of its pages: en or fr.
    pub language: String,
}

impl From<&Programme> for AdminProgrammeJson {
    fn from(p: &Programme) -> Self {
        AdminProgrammeJson {
            id: p.id.to_string(),
            slug: p.slug.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            created_at: clock::rfc3339(p.created_at),
            currency: p.currency.code().into(),
            language: p.language.code().into(),
        }
    }
}

/// Every programme in this deployment.
#[utoipa::path(get, path = "/api/v1/admin/programmes", tag = "admin", responses((status = 200, body = Vec<AdminProgrammeJson>)))]
pub async fn api_programmes(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<AdminProgrammeJson>>, ApiError> {
    Ok(Json(
        programmes(app.store.as_ref(), &ctx.operator()?)
            .await?
            .iter()
            .map(AdminProgrammeJson::from)
            .collect(),
    ))
}

/// Starts a programme.
#[utoipa::path(post, path = "/api/v1/admin/programmes", tag = "admin", request_body = ProgrammeInput,
    responses((status = 201, body = AdminProgrammeJson), (status = 422, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn api_create_programme(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<ProgrammeInput>,
) -> Result<Response, ApiError> {
    let p = create_programme(app.store.as_ref(), &ctx.operator()?, &f).await?;
    Ok((StatusCode::CREATED, Json(AdminProgrammeJson::from(&p))).into_response())
}

/// Sets the currency a programme's money is shown in and the language of
/// its pages (amounts are never converted).
#[utoipa::path(put, path = "/api/v1/admin/programmes/{slug}/locale", tag = "admin",
    params(("slug" = String, Path, description = "The programme's short name")),
    request_body = ProgrammeLocaleInput,
    responses((status = 200, body = AdminProgrammeJson), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn api_set_locale(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Json(f): Json<ProgrammeLocaleInput>,
) -> Result<Json<AdminProgrammeJson>, ApiError> {
    let operator = ctx.operator()?;
    let p = programme_by_slug(app.store.as_ref(), &operator, &slug).await?;
    let p = set_programme_locale(app.store.as_ref(), &operator, p.id, &f).await?;
    Ok(Json(AdminProgrammeJson::from(&p)))
}
