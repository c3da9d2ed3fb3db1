//! The place context through the JSON API: the geographies loaded, the
//! area of benefit (read, preview, save a version, versions), areas, and
//! postcode look-ups (one or up to 10,000). Each resource's handlers sit in
//! their own module; what they share with the pages is in `useit_app` and
//! `super::csv`.

pub mod area_of_benefit;
pub mod areas;
pub mod geographies;
pub mod postcodes;

use axum::http::Method;
use useit_core::auth::Capability;
use utoipa::OpenApi;

use crate::http::route::{Access, Route, api};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewPlace);
    let edit = Access::Programme(Capability::EditAreaOfBenefit);
    vec![
        api(
            Method::GET,
            "/api/v1/place/geographies",
            Access::SignedIn,
            geographies::geographies,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/area-of-benefit",
            view,
            area_of_benefit::get_aob,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/place/area-of-benefit",
            edit,
            area_of_benefit::put_aob,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/area-of-benefit/versions",
            view,
            area_of_benefit::versions,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/areas",
            view,
            areas::list_areas,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/areas.csv",
            view,
            areas::areas_csv,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/areas/{area_code}",
            view,
            areas::get_area,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/place/postcodes/{postcode}",
            view,
            postcodes::get_postcode,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/place/postcodes",
            view,
            postcodes::bulk_postcodes,
        ),
    ]
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    geographies::geographies,
    area_of_benefit::get_aob,
    area_of_benefit::put_aob,
    area_of_benefit::versions,
    areas::list_areas,
    areas::areas_csv,
    areas::get_area,
    postcodes::get_postcode,
    postcodes::bulk_postcodes,
))]
pub struct Doc;
