//! The programme's area of benefit through the API: read a version, preview
//! or save a new one, list the versions.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_app::place::area_of_benefit::{
    preview_area_of_benefit, save_area_of_benefit, versions as saved_versions,
};
use useit_core::clock;
use useit_core::place::input::SelectionInput;
use useit_core::place::selection::{AreaOfBenefit, AreaSelection, DecileProfile, Resolution};
use utoipa::{IntoParams, ToSchema};

use super::super::view::VersionQuery;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RadiusJson {
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    pub km: f64,
}

#[derive(Serialize, ToSchema)]
pub struct SelectionJson {
    pub scheme: String,
    pub index: String,
    pub local_authorities: Vec<String>,
    pub wards: Vec<String>,
    pub radii: Vec<RadiusJson>,
    pub areas: Vec<String>,
    pub deciles: Vec<u8>,
    pub exclude: Vec<String>,
}

impl From<&AreaSelection> for SelectionJson {
    fn from(s: &AreaSelection) -> Self {
        SelectionJson {
            scheme: s.scheme.clone(),
            index: s.index.clone(),
            local_authorities: s.local_authorities.clone(),
            wards: s.wards.clone(),
            radii: s
                .radii
                .iter()
                .map(|r| RadiusJson {
                    label: r.label.clone(),
                    lat: r.lat,
                    lon: r.lon,
                    km: r.km,
                })
                .collect(),
            areas: s.areas.clone(),
            deciles: s.deciles.clone(),
            exclude: s.exclude.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DecileJson {
    /// 1 = most deprived.
    pub decile: u8,
    pub areas: u64,
    pub population: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileJson {
    pub areas: u64,
    pub population: i64,
    /// Share of the population in deciles 1 and 2, 0–1.
    pub population_share_deciles_1_2: f64,
    pub by_decile: Vec<DecileJson>,
    pub areas_without_decile: u64,
}

impl From<&DecileProfile> for ProfileJson {
    fn from(p: &DecileProfile) -> Self {
        ProfileJson {
            areas: p.total_areas,
            population: p.total_population,
            population_share_deciles_1_2: (p.population_share_up_to(2) * 10_000.0).round()
                / 10_000.0,
            by_decile: (0..10)
                .map(|i| DecileJson {
                    decile: i as u8 + 1,
                    areas: p.areas[i],
                    population: p.population[i],
                })
                .collect(),
            areas_without_decile: p.areas_without_decile,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AreaOfBenefitJson {
    pub id: String,
    pub version: i64,
    pub note: String,
    pub created_at: String,
    pub created_by: String,
    pub selection: SelectionJson,
    pub area_codes: Vec<String>,
    pub profile: ProfileJson,
}

fn aob_json(aob: &AreaOfBenefit, codes: Vec<String>, p: &DecileProfile) -> AreaOfBenefitJson {
    AreaOfBenefitJson {
        id: aob.id.to_string(),
        version: aob.version,
        note: aob.note.clone(),
        created_at: clock::rfc3339(aob.created_at),
        created_by: aob.created_by.clone(),
        selection: (&aob.selection).into(),
        area_codes: codes,
        profile: p.into(),
    }
}

/// The programme's area of benefit: how it is chosen, its areas and their deprivation.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/area-of-benefit", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), VersionQuery),
    responses((status = 200, body = AreaOfBenefitJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_aob(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<VersionQuery>,
) -> Result<Json<AreaOfBenefitJson>, ApiError> {
    let p = useit_app::place::profile(app.store.as_ref(), &ctx.caller()?, q.version)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(aob_json(
        &p.aob,
        p.codes.iter().cloned().collect(),
        &p.deciles,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct VersionJson {
    pub id: String,
    pub version: i64,
    pub area_count: i64,
    pub note: String,
    pub created_at: String,
    pub created_by: String,
}

/// Every saved version, newest first.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/area-of-benefit/versions", tag = "place",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<VersionJson>)))]
pub async fn versions(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<VersionJson>>, ApiError> {
    let v = saved_versions(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(
        v.iter()
            .map(|a| VersionJson {
                id: a.id.to_string(),
                version: a.version,
                area_count: a.area_count,
                note: a.note.clone(),
                created_at: clock::rfc3339(a.created_at),
                created_by: a.created_by.clone(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DryRunQuery {
    /// Work out the areas and their profile without saving.
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewJson {
    pub area_codes: Vec<String>,
    pub profile: ProfileJson,
    pub by_local_authority: usize,
    pub by_ward: usize,
    pub by_radius: usize,
    pub by_list: usize,
    pub dropped_by_decile: usize,
    pub excluded: usize,
}

fn preview_json(r: &Resolution, p: &DecileProfile) -> PreviewJson {
    PreviewJson {
        area_codes: r.codes.iter().cloned().collect(),
        profile: p.into(),
        by_local_authority: r.by_local_authority,
        by_ward: r.by_ward,
        by_radius: r.by_radius,
        by_list: r.by_list,
        dropped_by_decile: r.dropped_by_decile,
        excluded: r.excluded,
    }
}

/// Saves a new version of the area of benefit (or, with `dry_run`, says what it would be).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/place/area-of-benefit", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), DryRunQuery),
    request_body = SelectionInput,
    responses((status = 201, body = AreaOfBenefitJson), (status = 200, body = PreviewJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn put_aob(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DryRunQuery>,
    Json(input): Json<SelectionInput>,
) -> Result<Response, ApiError> {
    let store = app.store.as_ref();
    let caller = ctx.caller()?;
    if q.dry_run {
        let p = preview_area_of_benefit(store, &caller, &input).await?;
        return Ok(Json(preview_json(&p.resolution, &p.profile)).into_response());
    }
    let saved = save_area_of_benefit(store, &caller, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(aob_json(
            &saved.aob,
            saved.codes.into_iter().collect(),
            &saved.profile,
        )),
    )
        .into_response())
}
