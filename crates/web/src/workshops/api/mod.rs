//! Workshops through the JSON API: plans, the harvest, the synthesis, the
//! summary, guest links, the lineage; and the guest's own two calls, which
//! need no account (the link's secret is in the path).

pub mod guest;
pub mod workshops;

use axum::http::Method;
use serde::Serialize;
use utoipa::OpenApi;

use crate::http::error::AppError;
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    let super::Levels {
        view,
        organise,
        guest,
    } = super::levels();
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/workshops",
            view,
            workshops::list,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/workshops",
            organise,
            workshops::create,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/workshops/lineage",
            view,
            workshops::get_lineage,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/workshops/lineage",
            organise,
            workshops::add_lineage,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}",
            view,
            workshops::get_summary,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}",
            organise,
            workshops::update,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/notes",
            organise,
            workshops::add_note,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/groups",
            organise,
            workshops::put_groups,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/actions",
            organise,
            workshops::add_action,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/actions/{action_id}",
            organise,
            workshops::remove_action,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/links",
            organise,
            workshops::list_links,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/links",
            organise,
            workshops::open_link,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/workshops/{workshop_id}/links/{link_id}/revoke",
            organise,
            workshops::revoke_link,
        ),
        api(
            Method::GET,
            "/api/v1/guest/workshops/{guest_token}",
            guest,
            guest::get_workshop,
        ),
        api(
            Method::POST,
            "/api/v1/guest/workshops/{guest_token}/notes",
            guest,
            guest::add_note,
        ),
    ]
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v).map_err(AppError::internal)
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        workshops::list,
        workshops::create,
        workshops::get_lineage,
        workshops::add_lineage,
        workshops::get_summary,
        workshops::update,
        workshops::add_note,
        workshops::put_groups,
        workshops::add_action,
        workshops::remove_action,
        workshops::list_links,
        workshops::open_link,
        workshops::revoke_link,
        guest::get_workshop,
        guest::add_note,
    ),
    tags((name = "workshops", description = "Co-learning workshops (world café): plans, guest links, the harvest, the synthesis and the lineage of replications"))
)]
pub struct Doc;
