//! Deployment administration through the JSON API: programmes and accounts.

pub mod programmes;
pub mod users;

use axum::http::Method;
use utoipa::OpenApi;

use crate::http::ctx::Access;
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    let a = Access::Admin;
    vec![
        api(
            Method::GET,
            "/api/v1/admin/programmes",
            a,
            programmes::api_programmes,
        ),
        api(
            Method::POST,
            "/api/v1/admin/programmes",
            a,
            programmes::api_create_programme,
        ),
        api(
            Method::PUT,
            "/api/v1/admin/programmes/{slug}/locale",
            a,
            programmes::api_set_locale,
        ),
        api(Method::GET, "/api/v1/admin/users", a, users::api_users),
        api(
            Method::POST,
            "/api/v1/admin/users",
            a,
            users::api_create_user,
        ),
        api(
            Method::POST,
            "/api/v1/admin/users/{user_id}/disable",
            a,
            users::api_disable_user,
        ),
        api(
            Method::POST,
            "/api/v1/admin/users/{user_id}/enable",
            a,
            users::api_enable_user,
        ),
    ]
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    programmes::api_programmes,
    programmes::api_create_programme,
    programmes::api_set_locale,
    users::api_users,
    users::api_create_user,
    users::api_disable_user,
    users::api_enable_user,
))]
pub struct Doc;
