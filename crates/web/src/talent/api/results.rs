//! The strand's results and the professions' pathways through the API.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use useit_app::talent::results::{pathways, results};
use utoipa::ToSchema;

use super::json;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// The funnel against the targets, the barrier report and the savings.
#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    #[schema(value_type = Object)]
    pub funnel: serde_json::Value,
    /// The programme's target for people engaged; null when none is set.
    pub target_engaged: Option<u64>,
    /// The programme's target for people into work; null when none is set.
    pub target_into_work: Option<u64>,
    #[schema(value_type = Vec<Object>)]
    pub barriers: serde_json::Value,
    #[schema(value_type = Object)]
    pub savings: serde_json::Value,
    #[schema(value_type = Object)]
    pub savings_settings: serde_json::Value,
}

/// The strand's results, counted from the records (no personal data).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/results", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = ResultsJson)))]
pub async fn get_results(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<ResultsJson>, ApiError> {
    let r = results(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(ResultsJson {
        funnel: json(&serde_json::json!({
            "engaged": r.funnel.engaged, "on_pathway": r.funnel.on_pathway, "registered": r.funnel.registered,
            "into_work": r.funnel.into_work(), "into_nhs": r.funnel.into_nhs, "into_care": r.funnel.into_care,
            "into_other": r.funnel.into_other,
        }))?,
        target_engaged: r.target_engaged,
        target_into_work: r.target_into_work,
        barriers: json(&r.barriers)?,
        savings: json(&r.savings)?,
        savings_settings: json(&r.settings.savings)?,
    }))
}

/// The professions, their dated rule sets (steps, fees, durations, validity,
/// English thresholds) and interim roles, as shipped in `data/talent/professions`.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/professions", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<Object>)))]
pub async fn get_professions(ctx: Ctx) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(json(&pathways(&ctx.caller()?)?)?))
}
