//! The deployment's programmes through the API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use useit_app::programme::programmes::{create_programme, programmes};
use useit_core::clock;
use useit_core::programme::{Programme, ProgrammeInput};
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
}

impl From<&Programme> for AdminProgrammeJson {
    fn from(p: &Programme) -> Self {
        AdminProgrammeJson {
            id: p.id.to_string(),
            slug: p.slug.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            created_at: clock::rfc3339(p.created_at),
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
