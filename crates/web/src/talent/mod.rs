//! The skills strand on the web: results (funnel, barriers, savings), people
//! and their pathway records (personal data, a caseworker's own caseload),
//! vacancies, matching and placements, the professions' pathways and the
//! strand's settings; and the same through the JSON API (`api`). One module
//! per resource; what pages and API share is in `useit_app::talent` and
//! `view`.

pub mod api;
pub mod bulk;
pub mod duplicates;
pub mod import;
pub mod matching;
pub mod pathways;
pub mod people;
pub mod person;
pub mod placements;
pub mod records;
pub mod results;
pub mod settings;
pub mod vacancies;
pub mod view;

/// The person page's template calls these by this path.
pub use view::{scores, stage_label};

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

/// Who may use the talent routes, by what the route shows or changes.
pub struct Levels {
    pub results: Access,
    pub view: Access,
    pub edit: Access,
    pub erase: Access,
    pub vacancies: Access,
    pub settings: Access,
}

pub fn levels() -> Levels {
    Levels {
        results: Access::Programme(Capability::ViewTalentResults),
        view: Access::Programme(Capability::ViewPeople),
        edit: Access::Programme(Capability::EditPeople),
        erase: Access::Programme(Capability::ErasePeople),
        vacancies: Access::Programme(Capability::ManageVacancies),
        settings: Access::Programme(Capability::ManageTalentSettings),
    }
}

pub fn routes() -> Vec<Route> {
    let Levels {
        results,
        view,
        edit,
        erase,
        vacancies,
        settings,
    } = levels();
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}/talent",
            results,
            results::results_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/pathways",
            results,
            pathways::pathways_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people",
            view,
            people::people_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people.csv",
            view,
            people::people_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/import",
            edit,
            import::people_import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/import",
            edit,
            import::people_import,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/new",
            edit,
            people::person_new,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/duplicates",
            edit,
            duplicates::duplicates_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/merge",
            edit,
            duplicates::merge,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people",
            edit,
            people::person_create,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/bulk",
            edit,
            bulk::people_bulk,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/placements/bulk",
            edit,
            bulk::placements_bulk,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/{person_id}",
            view,
            person::person_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/{person_id}/edit",
            edit,
            people::person_edit,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/{person_id}",
            edit,
            people::person_update,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/{person_id}/records",
            edit,
            records::person_records,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/{person_id}/erase",
            erase,
            records::person_erase,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/{person_id}/export.json",
            view,
            person::person_export,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/vacancies",
            vacancies,
            vacancies::vacancies_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/vacancies.csv",
            vacancies,
            vacancies::vacancies_csv,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/vacancies",
            vacancies,
            vacancies::vacancy_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/vacancies/import",
            vacancies,
            import::vacancies_import,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/matching",
            edit,
            matching::matching_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/matching",
            edit,
            matching::matching_confirm,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/placements.csv",
            edit,
            placements::placements_csv_download,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/placements/{placement_id}",
            edit,
            placements::placement_move,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/settings",
            settings,
            settings::settings_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/settings",
            settings,
            settings::settings_save,
        ),
    ];
    r.extend(api::routes());
    r
}
