//! The anchors context through the JSON API. Each resource's handlers sit
//! in their own module; what they share with the pages is in `useit_app`
//! and `super::csv`.

pub mod anchors;
pub mod files;
pub mod imports;
pub mod inspect;
pub mod interaction_figures;
pub mod interactions;
mod jobs;
pub mod measures;
pub mod register_search;
pub mod registers;
pub mod settings;
pub mod suppliers;
pub mod workforce;

use axum::http::Method;
use useit_core::auth::Capability;
use utoipa::OpenApi;

use crate::http::route::{Access, Route, api};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageSpend);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors",
            view,
            anchors::list_anchors,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/anchors/{anchor}",
            manage,
            anchors::put_anchor,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchor-organisations",
            manage,
            anchors::list_organisations,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/{anchor}/spend-files",
            manage,
            anchors::import_file,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/spend/imports/{job}",
            manage,
            imports::get_import_job,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/{anchor}/spend-files/inspect",
            manage,
            inspect::inspect,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/spend/files",
            view,
            files::list_files,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/anchors/spend/files/{file}",
            manage,
            files::undo_file,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/spend/measures",
            view,
            measures::measures,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/spend/lines",
            view,
            measures::lines,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/spend/lines.csv",
            view,
            measures::lines_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/spend/settings",
            view,
            settings::get_settings,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/anchors/spend/settings",
            manage,
            settings::put_settings,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/suppliers",
            view,
            suppliers::list_suppliers,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/suppliers.csv",
            view,
            suppliers::suppliers_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/suppliers/{supplier}",
            view,
            suppliers::get_supplier,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/anchors/suppliers/{supplier}/decision",
            manage,
            suppliers::decide,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/supplier-decisions",
            manage,
            suppliers::decide_many,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/organisations",
            view,
            register_search::search,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/organisations",
            manage,
            registers::load_register,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/organisations/loads/{job}",
            manage,
            registers::get_register_job,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/anchors/{anchor}/workforce-files",
            manage,
            workforce::import_file,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/workforce/files",
            view,
            workforce::list_files,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/workforce",
            view,
            workforce::measures,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/anchors/workforce.csv",
            view,
            workforce::measures_csv,
        ),
    ]
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    anchors::list_anchors,
    anchors::put_anchor,
    anchors::list_organisations,
    anchors::import_file,
    imports::get_import_job,
    files::list_files,
    files::undo_file,
    registers::load_register,
    registers::get_register_job,
    measures::measures,
    measures::lines,
    measures::lines_csv,
    settings::get_settings,
    settings::put_settings,
    suppliers::list_suppliers,
    suppliers::suppliers_csv,
    suppliers::get_supplier,
    suppliers::decide,
    suppliers::decide_many,
    register_search::search,
    inspect::inspect,
    workforce::import_file,
    workforce::list_files,
    workforce::measures,
    workforce::measures_csv,
))]
pub struct Doc;
