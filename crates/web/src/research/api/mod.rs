//! The research strand through the JSON API: figures, projects, researchers
//! (personal data: the coordinator's, or a researcher's own record),
//! timesheets, approval, the payment run and the pay rule.

pub mod researchers;
pub mod survey;
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
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/questionnaire",
            view,
            survey::get_questionnaire,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/questionnaire",
            manage,
            survey::put_questionnaire,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/questionnaire/xlsform",
            manage,
            survey::post_xlsform,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/responses",
            view,
            survey::get_responses,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/responses",
            record,
            survey::post_response,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/responses.csv",
            manage,
            survey::post_responses_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/income",
            view,
            survey::get_income,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/research/projects/{project_id}/income",
            manage,
            survey::post_income,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/research/social-lab",
            view,
            survey::get_social_lab,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/research/social-lab",
            manage,
            survey::put_social_lab,
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
    survey::get_questionnaire,
    survey::put_questionnaire,
    survey::post_xlsform,
    survey::get_responses,
    survey::post_response,
    survey::post_responses_csv,
    survey::get_income,
    survey::post_income,
    survey::get_social_lab,
    survey::put_social_lab,
))]
pub struct Doc;
