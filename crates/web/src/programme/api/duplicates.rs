//! Partners entered twice, through the API: the likely pairs, and merging.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use useit_app::programme::duplicates::{duplicates as find_duplicates, merge_partners};
use utoipa::ToSchema;

use super::partners::PartnerJson;
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::programme::view::partner_id;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct DuplicateJson {
    pub a: PartnerJson,
    pub b: PartnerJson,
    /// same_identifier, same_name or similar_name
    pub reason: String,
    pub score: f64,
}

/// Pairs of partners that may be the same organisation.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/partners/duplicates", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<DuplicateJson>)))]
pub async fn duplicates(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<DuplicateJson>>, ApiError> {
    let pairs = find_duplicates(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(
        pairs
            .iter()
            .map(|d| DuplicateJson {
                a: PartnerJson::from(&d.a),
                b: PartnerJson::from(&d.b),
                reason: serde_json::to_value(d.pair.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                score: (d.pair.score * 1000.0).round() / 1000.0,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct MergeJson {
    /// The partner to merge into this one; it is hidden afterwards.
    pub other: String,
}

/// Merges another partner into this one.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/partners/{partner_id}/merge", tag = "partners",
    params(("programme" = String, Path, description = "Programme short name"), ("partner_id" = String, Path, description = "The partner to keep")),
    request_body = MergeJson,
    responses((status = 200, body = PartnerJson), (status = 404, body = crate::http::error::Problem)))]
pub async fn merge_partner(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Json(body): Json<MergeJson>,
) -> Result<Json<PartnerJson>, ApiError> {
    let id = path.1;
    let (keep, other) = (partner_id(&id)?, partner_id(&body.other)?);
    let p = merge_partners(app.store.as_ref(), &ctx.caller()?, keep, other).await?;
    Ok(Json(PartnerJson::from(&p)))
}
