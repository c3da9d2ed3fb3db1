//! The asset map through the API: the list (the same filters as the page),
//! one asset, adding and changing one, the CSV out and back in, and the
//! services as Open Referral (HSDS 3) `service` objects.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use useit_app::community::assets::{
    AssetView, asset, assets, assets_file, hsds_services, hsds_zip, import_assets, save_asset,
};
use useit_app::programme::CsvUpload;
use useit_core::community::asset::{AssetInput, AssetQuery};
use useit_core::listing::PageRequest;

use super::json;
use crate::community::view::hsds_zip_download;
use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, ProblemLine, problem_lines};
use crate::http::views::csv_download;
use crate::state::AppState;

fn view_json(v: &AssetView) -> Result<serde_json::Value, crate::http::error::AppError> {
    let mut o = json(&v.asset)?;
    o["kind"] = serde_json::json!(v.asset.draft.kind.slug());
    o["layer"] = serde_json::json!(v.asset.draft.kind.layer().slug());
    o["place"] = json(&v.place)?;
    // A skill's count as this caller may see it: null and a reason when
    // the count is small and the caller's role has no right to it.
    o["draft"]["people"] = serde_json::json!(v.people);
    o["people_text"] = serde_json::json!(v.people_text);
    o["may_edit"] = serde_json::json!(v.may_edit);
    Ok(o)
}

/// A page of assets.
#[derive(Serialize, ToSchema)]
pub struct AssetsJson {
    /// Each asset: its fields (`draft`), community, organisation, the
    /// interaction that unlocked a space, and `place` (small area, decile,
    /// position; `null` when it has none).
    pub items: Vec<serde_json::Value>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The assets the caller may read (a community's members: theirs and the
/// programme's), filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/assets", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"), AssetQuery),
    responses((status = 200, body = AssetsJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Json<AssetsJson>, ApiError> {
    let page = assets(
        app.store.as_ref(),
        &ctx.caller()?,
        &q,
        PageRequest::new(q.page, None),
    )
    .await?;
    Ok(Json(AssetsJson {
        items: page.items.iter().map(view_json).collect::<Result<_, _>>()?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Adds an asset. A community's members add micro assets to their own
/// community; macro and programme-wide assets are the managers'.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/communities/assets", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = AssetInput,
    responses((status = 201, body = Object), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<AssetInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let caller = ctx.caller()?;
    let a = save_asset(app.store.as_ref(), &caller, None, &f).await?;
    let v = asset(app.store.as_ref(), &caller, a.id).await?;
    Ok((StatusCode::CREATED, Json(view_json(&v)?)))
}

/// One asset the caller may read.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/assets/{asset_id}", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("asset_id" = Uuid, Path, description = "Asset id")),
    responses((status = 200, body = Object), (status = 404, body = crate::http::error::Problem)))]
pub async fn get_one(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = asset(app.store.as_ref(), &ctx.caller()?, path.1).await?;
    Ok(Json(view_json(&v)?))
}

/// Changes an asset (every field, as the form sends them).
#[utoipa::path(put, path = "/api/v1/programmes/{programme}/communities/assets/{asset_id}", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"),
        ("asset_id" = Uuid, Path, description = "Asset id")),
    request_body = AssetInput,
    responses((status = 200, body = Object), (status = 403, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(f): Json<AssetInput>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let caller = ctx.caller()?;
    save_asset(app.store.as_ref(), &caller, Some(path.1), &f).await?;
    let v = asset(app.store.as_ref(), &caller, path.1).await?;
    Ok(Json(view_json(&v)?))
}

/// The assets as CSV, in the format the import takes back (managers).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/assets.csv", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"), AssetQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Response, ApiError> {
    let body = assets_file(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(csv_download(&ctx, "assets", body)?)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check the file and report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

/// What an import did (or, on a dry run, would do), with its warnings.
#[derive(Serialize, ToSchema)]
pub struct AssetsImportJson {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub applied: bool,
    pub problems: Vec<ProblemLine>,
}

/// Imports assets from CSV (the export's columns): any error rejects the
/// whole file (422, each problem with line and column); a postcode the
/// geography does not know is a warning; the same file twice changes
/// nothing.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/communities/assets.csv", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = AssetsImportJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<AssetsImportJson>, ApiError> {
    let name = q.file_name.clone().unwrap_or_else(|| "assets.csv".into());
    let i = import_assets(
        app.store.as_ref(),
        &ctx.caller()?,
        CsvUpload {
            file_name: &name,
            bytes: &body,
            dry_run: q.dry_run,
        },
    )
    .await?;
    Ok(Json(AssetsImportJson {
        added: i.outcome.added,
        changed: i.outcome.changed,
        unchanged: i.outcome.unchanged,
        applied: !q.dry_run,
        problems: problem_lines(&i.report),
    }))
}

/// The services the caller may read as Open Referral (HSDS 3) `service`
/// objects, each with its `organization`, `phones`, `schedules` and
/// `service_at_locations` (location with address) nested.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/assets/hsds", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"), AssetQuery),
    responses((status = 200, body = [Object])))]
pub async fn hsds(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    Ok(Json(
        hsds_services(app.store.as_ref(), &ctx.caller()?, &q).await?,
    ))
}

/// The services the caller may read as the Open Referral (HSDS 3) tabular
/// files — `organization.csv`, `service.csv`, `location.csv`,
/// `address.csv`, `service_at_location.csv`, `phone.csv`, `schedule.csv`
/// — in one zip file (what `useit community assets hsds` writes to a
/// folder). The same filters as the list.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/communities/assets/hsds.zip", tag = "communities",
    params(("programme" = String, Path, description = "Programme short name"), AssetQuery),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>,
        description = "The seven HSDS CSV tables in one zip file")))]
pub async fn hsds_zip_file(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Response, ApiError> {
    let body = hsds_zip(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(hsds_zip_download(&ctx, body)?)
}
