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
/// Every count of people is a figure `{"value": 12, "text": "12"}`; for
/// roles without the right to personal data a count under the programme's
/// threshold (or one the others would give away) has `"value": null` and
/// says why (`"suppressed": "fewer_than"` or `"withheld"`); roles with the
/// right get `"exact": true` on every figure.
#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    /// Counts from 1 to threshold − 1 are hidden for roles without the
    /// right to personal data.
    pub threshold: u32,
    /// The figures are exact, including numbers under the threshold.
    pub exact: bool,
    #[schema(value_type = Object)]
    pub funnel: serde_json::Value,
    /// The programme's target for people engaged; null when none is set.
    pub target_engaged: Option<u64>,
    /// The programme's target for people into work; null when none is set.
    pub target_into_work: Option<u64>,
    /// The lines (barrier, rule, people, median days; open, resolved and
    /// the longest wait for exact viewers only) and the people held back
    /// by any barrier.
    #[schema(value_type = Object)]
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
        threshold: r.viewer.k(),
        exact: r.viewer.exact(),
        funnel: json(&r.funnel)?,
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
