//! Postcode look-ups through the API: one, or up to 10,000 at once.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use useit_app::place::lookup::{lookup, postcode};
use useit_core::place::lookup::{LookupResult, LookupStatus};
use utoipa::ToSchema;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;

/// One postcode: its small area, decile, district and ward, and whether it
/// is in the area of benefit; or why not (`status` and `message`).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/place/postcodes/{postcode}", tag = "place",
    params(("programme" = String, Path, description = "Programme short name"), ("postcode" = String, Path, description = "Any case and spacing, e.g. b18 7qh (described as capitals with the space, B18 7QH)", pattern = "^[A-PR-UWYZ]([0-9]{1,2}|[A-Z][0-9]{1,2}|[0-9][A-Z]|[A-Z][0-9][A-Z]) [0-9][ABD-HJLNP-UW-Z]{2}$")),
    responses((status = 200, body = LookupResult), (status = 404, body = LookupResult), (status = 422, body = crate::http::error::Problem)))]
pub async fn get_postcode(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let r = postcode(app.store.as_ref(), &ctx.caller()?, &path.1).await?;
    let status = if r.status == LookupStatus::Unknown {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    Ok((status, Json(r)).into_response())
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
    responses((status = 200, body = Vec<LookupResult>), (status = 422, body = crate::http::error::Problem)))]
pub async fn bulk_postcodes(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(body): Json<BulkLookupJson>,
) -> Result<Json<Vec<LookupResult>>, ApiError> {
    let r = lookup(app.store.as_ref(), &ctx.caller()?, &body.postcodes).await?;
    Ok(Json(r))
}
