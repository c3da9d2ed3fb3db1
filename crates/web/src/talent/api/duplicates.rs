//! Possible duplicates and merging them through the API.

use axum::Json;
use axum::extract::State;
use useit_app::talent::duplicates::{duplicates, merge_people as merge};
use useit_core::talent::person::MergeInput;

use super::people::{PersonJson, person_json};
use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::talent::view::DuplicateView;

/// Records in the caller's caseload that may be one person registered twice.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/talent/people/duplicates", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = Vec<DuplicateView>)))]
pub async fn get_duplicates(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<DuplicateView>>, ApiError> {
    let found = duplicates(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(Json(DuplicateView::all(&found)))
}

/// Merges `other` into `keep`: records move, blank fields are filled, `other` is removed.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/talent/people/merge", tag = "talent",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = MergeInput,
    responses((status = 200, body = PersonJson), (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn merge_people(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(f): Json<MergeInput>,
) -> Result<Json<PersonJson>, ApiError> {
    let p = merge(app.store.as_ref(), &ctx.caller()?, &f).await?;
    Ok(Json(person_json(&app, &ctx, p.id).await?))
}
