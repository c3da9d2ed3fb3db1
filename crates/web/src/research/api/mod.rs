//! The research strand through the JSON API: figures, projects, researchers
//! (personal data: the coordinator's, or a researcher's own record),
//! timesheets, approval, the payment run and the pay rule.

pub mod researchers;
pub mod work;

use axum::http::Method;
use serde::Serialize;
use utoipa::OpenApi;

use crate::http::error::AppError;
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    let super::Levels {
        view,
        manage,
        record,
    } = super::levels();
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/summary",
            view,
            work::get_summary,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/projects",
            view,
            work::list_projects,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/projects",
            manage,
            work::create_project,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/projects/{project_id}",
            view,
            work::get_project,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/research/projects/{project_id}",
            manage,
            work::update_project,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/researchers",
            manage,
            researchers::list_researchers,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/researchers",
            manage,
            researchers::create,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/researchers.csv",
            manage,
            researchers::export_researchers,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/researchers/{researcher_id}",
            record,
            researchers::get_researcher,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/research/researchers/{researcher_id}",
            manage,
            researchers::update,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/researchers/{researcher_id}/erase",
            manage,
            researchers::erase,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/researchers/{researcher_id}/export",
            record,
            researchers::export,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/time",
            record,
            work::list_time,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/time",
            record,
            work::submit,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/time/{entry_id}/decision",
            manage,
            work::decide,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/pay-run",
            manage,
            work::get_pay_run,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/pay-run.csv",
            manage,
            work::get_pay_run_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/settings",
            view,
            work::get_settings,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/research/settings",
            manage,
            work::put_settings,
        ),
    ]
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v).map_err(AppError::internal)
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    work::get_summary,
    work::list_projects,
    work::create_project,
    work::get_project,
    work::update_project,
    researchers::list_researchers,
    researchers::create,
    researchers::export_researchers,
    researchers::get_researcher,
    researchers::update,
    researchers::erase,
    researchers::export,
    work::list_time,
    work::submit,
    work::decide,
    work::get_pay_run,
    work::get_pay_run_csv,
    work::get_settings,
    work::put_settings,
))]
pub struct Doc;
