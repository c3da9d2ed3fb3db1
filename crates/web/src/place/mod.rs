//! The place context on the web: the programme's area of benefit (profile,
//! map, versions, editor), its small areas, one area, and postcode
//! look-ups; and the same through the JSON API (`api`). One module per
//! resource; what pages and API share is in `useit_app`, `csv` and `view`.

pub mod api;
pub mod area;
pub mod areas;
pub mod csv;
pub mod edit;
pub mod map;
pub mod postcode;
pub mod profile;
pub mod view;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewPlace);
    let edit = Access::Programme(Capability::EditAreaOfBenefit);
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}/place",
            view,
            profile::profile_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/map.svg",
            view,
            map::map_svg,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/areas",
            view,
            areas::areas_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/areas.csv",
            view,
            areas::areas_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/areas/{area_code}",
            view,
            area::area_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/postcode",
            view,
            postcode::postcode_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/place/area-of-benefit/edit",
            edit,
            edit::edit_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/place/area-of-benefit",
            edit,
            edit::save,
        ),
    ];
    r.extend(api::routes());
    r
}
