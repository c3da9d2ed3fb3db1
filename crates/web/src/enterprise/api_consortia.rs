//! Consortia formed, through the JSON API: the list (with the money after a
//! win, computed from the spend lines), recording one, recording a bid.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use useit_app::enterprise::formed::{ConsortiumView, add_bid, consortia, save_consortium};
use useit_core::auth::Capability;
use useit_core::enterprise::formed::{Bid, BidInput, Consortium, ConsortiumInput};
use utoipa::OpenApi;
use uuid::Uuid;

use crate::http::ctx::Ctx;
use crate::http::error::ApiError;
use crate::http::route::{Access, Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewEnterprises);
    let edit = Access::Programme(Capability::EditEnterprises);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/enterprise/consortia",
            view,
            list_consortia,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/consortia",
            edit,
            post_consortium,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/enterprise/consortia/{consortium_id}/bids",
            edit,
            post_bid,
        ),
    ]
}

/// Consortia formed, newest first: members (the lead first), the lot, the
/// bids (oldest first) and, after a win, `won_spend`: what the lot's anchor
/// paid the lead or members on or after the award, from the resolved spend
/// lines (null: no win, or the lot's anchor is not known).
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/enterprise/consortia", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    responses((status = 200, body = [Object])))]
pub async fn list_consortia(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<ConsortiumView>>, ApiError> {
    Ok(Json(
        consortia(app.store.as_ref(), &ctx.caller()?, &app.ledgers).await?,
    ))
}

/// Records a consortium formed: members (organisation ids of the register,
/// at least two), its lead among them, the lot it bids for. Audited.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/consortia", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name")),
    request_body = ConsortiumInput,
    responses((status = 201, body = Object), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_consortium(
    State(app): State<AppState>,
    ctx: Ctx,
    Json(j): Json<ConsortiumInput>,
) -> Result<Response, ApiError> {
    let c: Consortium = save_consortium(app.store.as_ref(), &ctx.caller()?, None, &j).await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}

/// Records a bid's outcome (submitted, won, lost, withdrawn) on a day, not
/// before the consortium formed nor in the future. Audited.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/enterprise/consortia/{consortium_id}/bids", tag = "enterprise",
    params(("programme" = String, Path, description = "Programme short name"), ("consortium_id" = Uuid, Path, description = "Consortium id")),
    request_body = BidInput,
    responses((status = 201, body = Object), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn post_bid(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, Uuid)>,
    Json(j): Json<BidInput>,
) -> Result<Response, ApiError> {
    let b: Bid = add_bid(app.store.as_ref(), &ctx.caller()?, path.1, &j).await?;
    Ok((StatusCode::CREATED, Json(b)).into_response())
}

/// The consortia paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(list_consortia, post_consortium, post_bid))]
pub struct Doc;
