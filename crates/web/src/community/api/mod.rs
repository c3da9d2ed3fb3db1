//! Communities and their CED plans through the JSON API.

pub mod assets;
pub mod communities;

use axum::http::Method;
use serde::Serialize;
use utoipa::OpenApi;

use crate::http::error::AppError;
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    let super::Levels { view, edit, manage } = super::levels();
    let list = "/api/v1/programmes/{programme}/communities";
    let one = "/api/v1/programmes/{programme}/communities/{community_id}";
    let a = "/api/v1/programmes/{programme}/communities/assets";
    let a_one = "/api/v1/programmes/{programme}/communities/assets/{asset_id}";
    let a_csv = "/api/v1/programmes/{programme}/communities/assets.csv";
    vec![
        api(Method::GET, a, view, assets::list),
        api(Method::POST, a, edit, assets::create),
        api(Method::GET, a_one, view, assets::get_one),
        api(Method::PUT, a_one, edit, assets::update),
        api(Method::GET, a_csv, manage, assets::export),
        api(Method::POST, a_csv, manage, assets::import),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/communities/assets/hsds",
            view,
            assets::hsds,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/communities/assets/hsds.zip",
            view,
            assets::hsds_zip_file,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/communities/{community_id}/actions/{action_id}/assets",
            edit,
            communities::put_action_assets,
        ),
        api(Method::GET, list, view, communities::list),
        api(Method::POST, list, manage, communities::create),
        api(Method::GET, one, view, communities::get_one),
        api(Method::PUT, one, manage, communities::update),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/communities/{community_id}/members",
            manage,
            communities::list_members,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/communities/{community_id}/members",
            manage,
            communities::add_member,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/communities/{community_id}/members/{user_id}",
            manage,
            communities::remove_member,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/communities/{community_id}/plan",
            edit,
            communities::put_plan,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/communities/{community_id}/actions",
            edit,
            communities::add_action,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/communities/{community_id}/actions/{action_id}",
            edit,
            communities::put_action,
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
        communities::list,
        communities::create,
        communities::get_one,
        communities::update,
        communities::list_members,
        communities::add_member,
        communities::remove_member,
        communities::put_plan,
        communities::add_action,
        communities::put_action,
        communities::put_action_assets,
        assets::list,
        assets::create,
        assets::get_one,
        assets::update,
        assets::export,
        assets::import,
        assets::hsds,
        assets::hsds_zip_file,
    ),
    tags((name = "communities", description = "Communities (named, versioned areas with their own members) and their Community Economic Development plans: aspirations, priorities, actions and progress computed from the actions; and their asset map (micro and macro assets, services as Open Referral HSDS)"))
)]
pub struct Doc;
