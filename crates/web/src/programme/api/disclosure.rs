//! The programme's disclosure threshold through the API.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::programme::disclosure::{disclosure_settings, save_disclosure_settings};
use useit_core::disclosure::{
    DEFAULT_K, DisclosureSettings, DisclosureSettingsInput, MAX_K, MIN_K,
};
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// The threshold in force and the range it may take.
#[derive(Serialize, ToSchema)]
pub struct DisclosureJson {
    /// Counts from 1 to k − 1 are hidden from roles without personal-data
    /// rights, on pages, charts, API answers and CSV downloads.
    pub k: u32,
    pub default_k: u32,
    pub min_k: u32,
    pub max_k: u32,
}

impl From<DisclosureSettings> for DisclosureJson {
    fn from(s: DisclosureSettings) -> Self {
        DisclosureJson {
            k: s.k(),
            default_k: DEFAULT_K,
            min_k: MIN_K,
            max_k: MAX_K,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/programmes/{programme}/disclosure", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = DisclosureJson)))]
pub async fn get_disclosure(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<DisclosureJson>, ApiError> {
    let s = disclosure_settings(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(s.into()))
}

/// Sets the threshold (`{"k": "7"}`).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/disclosure", tag = "programmes",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = DisclosureSettingsInput,
    responses((status = 200, body = DisclosureJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_disclosure(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<DisclosureSettingsInput>,
) -> Result<Json<DisclosureJson>, ApiError> {
    let s = save_disclosure_settings(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok(Json(s.into()))
}
