//! Communities and their CED plans through the JSON API.

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
    vec![
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
    ),
    tags((name = "communities", description = "Communities (named, versioned areas with their own members) and their Community Economic Development plans: aspirations, priorities, actions and progress computed from the actions"))
)]
pub struct Doc;
