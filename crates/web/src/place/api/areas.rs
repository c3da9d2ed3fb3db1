//! The small areas through the API: the list (and its CSV) and one area.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Serialize;
use useit_app::place::areas::{area, areas};
use useit_core::listing::PageRequest;
use useit_core::place::Area;
use useit_core::place::areas::AreaListQuery;
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AreaJson {
    pub code: String,
    pub name: String,
    pub scheme: String,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<i64>,
    pub rank: Option<i64>,
    pub decile: Option<u8>,
}

impl AreaJson {
    fn of(a: Area, rank: Option<i64>, decile: Option<u8>) -> Self {
        AreaJson {
            code: a.code,
            name: a.name,
            scheme: a.scheme,
            local_authority_code: a.local_authority_code,
            local_authority_name: a.local_authority_name,
            ward_code: a.ward_code,
            ward_name: a.ward_name,
            lat: a.lat,
            lon: a.lon,
            population: a.population,
            rank,
            decile,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AreaPageJson {
    pub items: Vec<AreaJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

/// The small areas of the programme's geography, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/areas", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), AreaListQuery),
    responses((status = 200, body = AreaPageJson)))]
pub async fn list_areas(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaListQuery>,
) -> Result<Json<AreaPageJson>, ApiError> {
    let page = areas(
        app.store.as_ref(),
        &ctx.caller()?,
        &p,
        PageRequest::new(p.page, p.per_page),
    )
    .await?
    .areas;
    Ok(Json(AreaPageJson {
        total_pages: page.total_pages(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        items: page
            .items
            .into_iter()
            .map(|r| AreaJson::of(r.area, r.rank, r.decile))
            .collect(),
    }))
}

/// The areas as CSV (its `code` column is what an area of benefit's `areas` take).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/areas.csv", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), AreaListQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn areas_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaListQuery>,
) -> Result<Response, ApiError> {
    Ok(super::super::csv::areas_csv(&app, &ctx, &p).await?)
}

#[derive(Serialize, ToSchema)]
pub struct DomainJson {
    pub domain: String,
    pub rank: i64,
    pub decile: u8,
}

#[derive(Serialize, ToSchema)]
pub struct AreaDetailJson {
    pub area: AreaJson,
    pub index: Option<String>,
    pub areas_ranked: Option<i64>,
    pub score: Option<f64>,
    pub domains: Vec<DomainJson>,
    pub in_area_of_benefit: Option<bool>,
    pub live_postcodes: i64,
}

/// One small area with its deprivation ranks.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/areas/{area_code}", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), ("area_code" = String, Path, description = "e.g. E01009345")),
    responses((status = 200, body = AreaDetailJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_area(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Json<AreaDetailJson>, ApiError> {
    let v = area(app.store.as_ref(), &ctx.caller()?, &path.1).await?;
    let d = v.deprivation.as_ref();
    Ok(Json(AreaDetailJson {
        area: AreaJson::of(v.area.clone(), d.map(|d| d.rank), d.map(|d| d.decile)),
        index: v.index.as_ref().map(|i| i.code.clone()),
        areas_ranked: v.index.as_ref().map(|i| i.areas_ranked),
        score: d.and_then(|d| d.score),
        domains: d
            .map(|d| {
                d.domains
                    .iter()
                    .map(|x| DomainJson {
                        domain: x.domain.clone(),
                        rank: x.rank,
                        decile: x.decile,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        in_area_of_benefit: v.in_aob,
        live_postcodes: v.live_postcodes,
    }))
}
