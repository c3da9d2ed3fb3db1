//! The strand's settings through the API.

use axum::Json;
use axum::extract::State;
use useit_app::talent::settings::{save_talent_settings, talent_settings};
use useit_core::talent::settings::TalentSettingsInput;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// The targets and the savings inputs (percentages).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/settings", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = TalentSettingsInput)))]
pub async fn get_settings(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<TalentSettingsInput>, ApiError> {
    let s = talent_settings(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(TalentSettingsInput::of(&s)))
}

/// Replaces the targets and the savings inputs.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/talent/settings", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = TalentSettingsInput,
    responses((status = 200, body = TalentSettingsInput), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_settings(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<TalentSettingsInput>,
) -> Result<Json<TalentSettingsInput>, ApiError> {
    let s = save_talent_settings(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok(Json(TalentSettingsInput::of(&s)))
}
