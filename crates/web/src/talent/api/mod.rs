//! The skills strand through the JSON API: results, professions, people and
//! their records (personal data, the caller's caseload only, audited),
//! subject access and erasure, vacancies, proposals and placements,
//! settings. Each resource's handlers sit in their own module; what they
//! share with the pages is in `useit_app::talent` and `super::view`.

pub mod bulk;
pub mod duplicates;
pub mod import;
pub mod matching;
pub mod people;
pub mod results;
pub mod settings;
pub mod vacancies;

use axum::Json;
use axum::http::Method;
use serde::Serialize;
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::person::ImportCounts;
use utoipa::{OpenApi, ToSchema};

use crate::http::error::{ApiError, AppError};
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    let super::Levels {
        results,
        view,
        edit,
        erase,
        vacancies,
        settings,
    } = super::levels();
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/results",
            results,
            results::get_results,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/professions",
            results,
            results::get_professions,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people",
            view,
            people::list_people,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people",
            edit,
            people::create_person,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people.csv",
            view,
            import::export_people,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people.csv",
            edit,
            import::import_people,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people/duplicates",
            edit,
            duplicates::get_duplicates,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people/merge",
            edit,
            duplicates::merge_people,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people/bulk",
            edit,
            bulk::change_many_people,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/placements/bulk",
            edit,
            bulk::move_many_placements,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people/{person_id}",
            view,
            people::get_person,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/talent/people/{person_id}",
            edit,
            people::update_person,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/talent/people/{person_id}",
            erase,
            people::erase_person,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/people/{person_id}/records",
            edit,
            people::add_record,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/people/{person_id}/export",
            view,
            people::export_person,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/vacancies",
            vacancies,
            vacancies::list_vacancies,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/vacancies",
            vacancies,
            vacancies::save_vacancy,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/vacancies.csv",
            vacancies,
            vacancies::export_vacancies,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/vacancies.csv",
            vacancies,
            vacancies::import_vacancies,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/proposals",
            edit,
            matching::get_proposals,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/placements",
            edit,
            matching::list_placements,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/placements.csv",
            edit,
            matching::export_placements,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/placements",
            edit,
            matching::confirm_placement,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/talent/placements/{placement_id}/status",
            edit,
            matching::move_placement,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/talent/settings",
            results,
            settings::get_settings,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/talent/settings",
            settings,
            settings::put_settings,
        ),
    ]
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v).map_err(AppError::internal)
}

/// One page of a list: its items, how many in all, and which page.
#[derive(Serialize, ToSchema)]
pub struct PeopleJson {
    #[schema(value_type = Vec<Object>)]
    pub items: serde_json::Value,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl PeopleJson {
    fn page<T: Serialize>(page: Page<T>) -> Result<Json<PeopleJson>, ApiError> {
        Ok(Json(PeopleJson {
            items: json(&page.items)?,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }))
    }

    /// One page of a list selected and sorted in memory.
    fn of<T: Serialize>(all: Vec<T>, req: PageRequest) -> Result<Json<PeopleJson>, ApiError> {
        Self::page(Page::of(all, req))
    }
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct ImportJson {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl From<ImportCounts> for ImportJson {
    fn from(o: ImportCounts) -> Self {
        ImportJson {
            created: o.created,
            updated: o.updated,
            unchanged: o.unchanged,
        }
    }
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    results::get_results,
    results::get_professions,
    people::list_people,
    people::create_person,
    import::export_people,
    import::import_people,
    people::get_person,
    people::update_person,
    people::erase_person,
    people::add_record,
    people::export_person,
    vacancies::list_vacancies,
    vacancies::save_vacancy,
    vacancies::export_vacancies,
    vacancies::import_vacancies,
    matching::get_proposals,
    matching::list_placements,
    matching::export_placements,
    matching::confirm_placement,
    matching::move_placement,
    settings::get_settings,
    settings::put_settings,
    duplicates::get_duplicates,
    duplicates::merge_people,
    bulk::change_many_people,
    bulk::move_many_placements,
))]
pub struct Doc;
