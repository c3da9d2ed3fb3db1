//! The programme's spend settings through the API.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use useit_app::anchors::settings::{save_spend_settings, spend_settings};
use useit_core::anchors::settings::{SpendSettings, SpendSettingsInput, optional_pence};
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettingsJson {
    /// e.g. `supplier_kind is public_body`, `expense_type contains pension`.
    pub rules: Vec<String>,
    /// Local authority codes of the city region.
    pub city_region: Vec<String>,
    pub site_radius_km: f64,
    /// Per cent, low and high.
    pub supplier_respend_pct: (f64, f64),
    pub staff_respend_pct: (f64, f64),
    pub local_wages_pence: i64,
    pub all_wages_pence: i64,
    /// The re-spend survey the two shares came from (null: typed, or the
    /// assumptions). Read only: a PUT ignores it, and a PUT with other
    /// shares drops it.
    #[serde(default)]
    pub respend_source: Option<RespendSourceJson>,
}

/// The re-spend survey that set LM3's re-spend shares.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RespendSourceJson {
    /// The research project whose questionnaire it was.
    pub project: uuid::Uuid,
    pub project_title: String,
    /// The questionnaire's title.
    pub survey: String,
    /// The day its results were taken (YYYY-MM-DD).
    pub applied_on: String,
    pub staff_responses: u64,
    pub supplier_responses: u64,
    /// The shares before, per cent, low and high.
    pub previous_supplier_respend_pct: (f64, f64),
    pub previous_staff_respend_pct: (f64, f64),
    /// The citation in words.
    pub text: String,
}

pub fn respend_source_json(s: &useit_core::anchors::settings::RespendSource) -> RespendSourceJson {
    let pct = |bp: i64| bp as f64 / 100.0;
    RespendSourceJson {
        project: s.project,
        project_title: s.project_title.clone(),
        survey: s.survey.clone(),
        applied_on: useit_core::clock::iso_date(s.applied_on),
        staff_responses: s.staff_responses,
        supplier_responses: s.supplier_responses,
        previous_supplier_respend_pct: (
            pct(s.previous_supplier_bp.0),
            pct(s.previous_supplier_bp.1),
        ),
        previous_staff_respend_pct: (pct(s.previous_staff_bp.0), pct(s.previous_staff_bp.1)),
        text: s.citation(),
    }
}

fn settings_json(s: &SpendSettings) -> SettingsJson {
    let pct = |bp: i64| bp as f64 / 100.0;
    SettingsJson {
        rules: s.rules.iter().map(|r| r.describe()).collect(),
        city_region: s.city_region.clone(),
        site_radius_km: s.site_radius_m as f64 / 1000.0,
        supplier_respend_pct: (
            pct(s.lm3.supplier_respend_bp.0),
            pct(s.lm3.supplier_respend_bp.1),
        ),
        staff_respend_pct: (pct(s.lm3.staff_respend_bp.0), pct(s.lm3.staff_respend_bp.1)),
        local_wages_pence: s.lm3.local_wages,
        all_wages_pence: s.lm3.all_wages,
        respend_source: s.lm3.source.as_ref().map(respend_source_json),
    }
}

/// The influenceable-spend rules, the city region, the site radius and the LM3 inputs.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/anchors/spend/settings", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = SettingsJson)))]
pub async fn get_settings(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<SettingsJson>, ApiError> {
    Ok(Json(settings_json(
        &spend_settings(app.store.as_ref(), &ctx.caller()?).await?,
    )))
}

/// Replaces the spend settings.
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/anchors/spend/settings", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = SettingsJson,
    responses((status = 200, body = SettingsJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_settings(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<SettingsJson>,
) -> Result<Json<SettingsJson>, ApiError> {
    let form = SpendSettingsInput {
        rules: j.rules.join("\n"),
        city_region: j.city_region.join(","),
        site_radius_km: j.site_radius_km.to_string(),
        supplier_respend_low: j.supplier_respend_pct.0.to_string(),
        supplier_respend_high: j.supplier_respend_pct.1.to_string(),
        staff_respend_low: j.staff_respend_pct.0.to_string(),
        staff_respend_high: j.staff_respend_pct.1.to_string(),
        local_wages: optional_pence(j.local_wages_pence),
        all_wages: optional_pence(j.all_wages_pence),
    };
    let saved = save_spend_settings(app.store.as_ref(), &ctx.caller()?, &form).await;
    let s = saved.map_err(|e| {
        let useit_app::Error::Invalid(mut errs) = e else {
            return AppError::from(e);
        };
        // The form's field names, as this body names them.
        for e in &mut errs {
            e.field = match e.field.as_str() {
                "supplier_respend_low" => "supplier_respend_pct/0",
                "supplier_respend_high" => "supplier_respend_pct/1",
                "staff_respend_low" => "staff_respend_pct/0",
                "staff_respend_high" => "staff_respend_pct/1",
                "local_wages" => "local_wages_pence",
                "all_wages" => "all_wages_pence",
                other => other,
            }
            .to_string();
        }
        AppError::Invalid(errs)
    })?;
    Ok(Json(settings_json(&s)))
}
