//! Place through the JSON API: the area of benefit (read, preview, save a
//! version), areas, postcode look-ups (one or up to 10,000), the map.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::listing::PageRequest;
use useit_core::place::lookup::LookupResult;
use useit_core::place::selection::{AreaOfBenefit, AreaSelection, DecileProfile, Resolution};
use useit_core::validation::FieldError;
use utoipa::{IntoParams, ToSchema};

use super::service::{self, SelectionInput};
use super::{AreaParams, area_view, areas_csv_response};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::{ApiError, AppError};
use crate::http::route::{Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewPlace);
    let edit = Access::Programme(Capability::EditAreaOfBenefit);
    vec![
        api(
            Method::GET,
            "/api/v1/place/geographies",
            Access::SignedIn,
            geographies,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/area-of-benefit",
            view,
            get_aob,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/place/area-of-benefit",
            edit,
            put_aob,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/area-of-benefit/versions",
            view,
            versions,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/areas",
            view,
            list_areas,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/areas.csv",
            view,
            areas_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/areas/{area_code}",
            view,
            get_area,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/postcodes/{postcode}",
            view,
            get_postcode,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/place/postcodes",
            view,
            bulk_postcodes,
        ),
    ]
}

#[derive(Serialize, ToSchema)]
pub struct SchemeJson {
    pub code: String,
    pub name: String,
    pub country: String,
    pub level: String,
    pub areas: i64,
    pub areas_with_boundaries: i64,
    pub postcodes: i64,
}

#[derive(Serialize, ToSchema)]
pub struct IndexJson {
    pub code: String,
    pub name: String,
    pub scheme: String,
    /// The N of the deciles: decile = ceil(10 × rank / N), rank 1 = most deprived.
    pub areas_ranked: i64,
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct GeographiesJson {
    pub schemes: Vec<SchemeJson>,
    pub indices: Vec<IndexJson>,
}

/// The area schemes and deprivation indices loaded in this deployment.
#[utoipa::path(get, path = "/api/v1/place/geographies", tag = "place", responses((status = 200, body = GeographiesJson)))]
pub async fn geographies(State(app): State<AppState>) -> Result<Json<GeographiesJson>, ApiError> {
    let schemes = app.store.schemes().await?;
    let indices = app.store.indices().await?;
    Ok(Json(GeographiesJson {
        schemes: schemes
            .into_iter()
            .map(|s| SchemeJson {
                code: s.scheme.code,
                name: s.scheme.name,
                country: s.scheme.country,
                level: s.scheme.level,
                areas: s.areas,
                areas_with_boundaries: s.with_boundaries,
                postcodes: s.postcodes,
            })
            .collect(),
        indices: indices
            .into_iter()
            .map(|i| IndexJson {
                code: i.code,
                name: i.name,
                scheme: i.scheme,
                areas_ranked: i.areas_ranked,
                source: i.source,
            })
            .collect(),
    }))
}

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

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct VersionQuery {
    /// A saved version; the current one if left out.
    pub version: Option<i64>,
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
    let v = app
        .store
        .area_of_benefit_versions(ctx.programme_id()?)
        .await?;
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
    let (sel, facts) = service::build_selection(&*app.store, &input).await?;
    let (r, p) = service::preview(&sel, &facts);
    if q.dry_run {
        return Ok(Json(preview_json(&r, &p)).into_response());
    }
    if r.codes.is_empty() {
        return Err(AppError::Invalid(vec![FieldError {
            field: "local_authorities".into(),
            message: Message::new("aob.empty"),
        }])
        .into());
    }
    let aob = app
        .store
        .save_area_of_benefit(
            ctx.programme_id()?,
            &sel,
            &r.codes,
            input.note.trim(),
            &ctx.actor(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(aob_json(&aob, r.codes.into_iter().collect(), &p)),
    )
        .into_response())
}

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

#[derive(Serialize, ToSchema)]
pub struct AreaPageJson {
    pub items: Vec<AreaJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AreaListQuery {
    /// Free text over code, name and ward.
    q: Option<String>,
    local_authority: Option<String>,
    ward: Option<String>,
    /// One decile (`1`) or a range (`1-2`).
    decile: Option<String>,
    /// `yes`: only the areas of the area of benefit.
    in_aob: Option<String>,
    /// `code` (default), `name`, `local_authority`, `ward`, `rank` or `population`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    dir: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// The small areas of the programme's geography, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/areas", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), AreaListQuery),
    responses((status = 200, body = AreaPageJson)))]
pub async fn list_areas(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<AreaParams>,
) -> Result<Json<AreaPageJson>, ApiError> {
    let (query, _) = p.query(&app, &ctx).await?;
    let page = app
        .store
        .list_areas(&query, PageRequest::new(p.page, p.per_page))
        .await?;
    Ok(Json(AreaPageJson {
        total_pages: page.total_pages(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        items: page
            .items
            .into_iter()
            .map(|r| AreaJson {
                code: r.area.code,
                name: r.area.name,
                scheme: r.area.scheme,
                local_authority_code: r.area.local_authority_code,
                local_authority_name: r.area.local_authority_name,
                ward_code: r.area.ward_code,
                ward_name: r.area.ward_name,
                lat: r.area.lat,
                lon: r.area.lon,
                population: r.area.population,
                rank: r.rank,
                decile: r.decile,
            })
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
    Query(p): Query<AreaParams>,
) -> Result<Response, ApiError> {
    Ok(areas_csv_response(&app, &ctx, &p).await?)
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
    let v = area_view(&app, &ctx, &path.1).await?;
    let d = v.deprivation.as_ref();
    Ok(Json(AreaDetailJson {
        area: AreaJson {
            code: v.area.code.clone(),
            name: v.area.name.clone(),
            scheme: v.area.scheme.clone(),
            local_authority_code: v.area.local_authority_code.clone(),
            local_authority_name: v.area.local_authority_name.clone(),
            ward_code: v.area.ward_code.clone(),
            ward_name: v.area.ward_name.clone(),
            lat: v.area.lat,
            lon: v.area.lon,
            population: v.area.population,
            rank: d.map(|d| d.rank),
            decile: d.map(|d| d.decile),
        },
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

/// One postcode: its small area, decile, district and ward, and whether it
/// is in the area of benefit; or why not (`status` and `message`).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/postcodes/{postcode}", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), ("postcode" = String, Path, description = "Any case and spacing, e.g. b18 7qh")),
    responses((status = 200, body = LookupResultJson), (status = 404, body = LookupResultJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn get_postcode(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let r = service::lookup(
        &*app.store,
        ctx.programme_id()?,
        std::slice::from_ref(&path.1),
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    use useit_core::place::lookup::LookupStatus;
    match r.status {
        LookupStatus::Invalid => Err(AppError::Invalid(vec![FieldError {
            field: "postcode".into(),
            message: Message::new("raw.text").arg("text", r.message.unwrap_or_default()),
        }])
        .into()),
        LookupStatus::Unknown => {
            Ok((StatusCode::NOT_FOUND, Json(LookupResultJson::from(r))).into_response())
        }
        _ => Ok(Json(LookupResultJson::from(r)).into_response()),
    }
}

/// A look-up answer.
#[derive(Serialize, ToSchema)]
pub struct LookupResultJson {
    pub input: String,
    pub postcode: Option<String>,
    /// ok, invalid, unknown, terminated or no_area
    pub status: String,
    pub message: Option<String>,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub rank: Option<i64>,
    pub decile: Option<u8>,
    pub in_area_of_benefit: Option<bool>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl From<LookupResult> for LookupResultJson {
    fn from(r: LookupResult) -> Self {
        LookupResultJson {
            input: r.input,
            postcode: r.postcode,
            status: r.status.slug().into(),
            message: r.message,
            area_code: r.area_code,
            area_name: r.area_name,
            local_authority_code: r.local_authority_code,
            local_authority_name: r.local_authority_name,
            ward_code: r.ward_code,
            ward_name: r.ward_name,
            rank: r.rank,
            decile: r.decile,
            in_area_of_benefit: r.in_area_of_benefit,
            lat: r.lat,
            lon: r.lon,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct BulkLookupJson {
    /// Up to 10,000 postcodes, any case and spacing.
    pub postcodes: Vec<String>,
}

/// Many postcodes at once, answered in the order given.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/place/postcodes", tag = "place",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = BulkLookupJson,
    responses((status = 200, body = Vec<LookupResultJson>), (status = 422, body = crate::http::error::Problem)))]
pub async fn bulk_postcodes(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(body): Json<BulkLookupJson>,
) -> Result<Json<Vec<LookupResultJson>>, ApiError> {
    if body.postcodes.len() > service::MAX_BULK {
        return Err(AppError::Invalid(vec![FieldError {
            field: "postcodes".into(),
            message: Message::new("lookup.too_many").arg("max", service::MAX_BULK),
        }])
        .into());
    }
    let r = service::lookup(&*app.store, ctx.programme_id()?, &body.postcodes).await?;
    Ok(Json(r.into_iter().map(LookupResultJson::from).collect()))
}

/// The context's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    geographies,
    get_aob,
    put_aob,
    versions,
    list_areas,
    areas_csv,
    get_area,
    get_postcode,
    bulk_postcodes,
))]
pub struct Doc;
