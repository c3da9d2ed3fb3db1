//! The enterprise context on the web: the directory of social enterprises
//! and their profiles, support and income; the anchors' lots; and per lot
//! who can bid alone and the best consortia. The same through the JSON API
//! (`api`).

pub mod api;
pub mod api_consortia;
pub mod charts;
pub mod consortia;
pub mod directory;
pub mod directory_import;
pub mod duplicates;
pub mod duplicates_api;
pub mod gaps;
pub mod grants;
pub mod grants_api;
pub mod lots;
pub mod milestones;
pub mod profile;
pub mod view;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewEnterprises);
    let edit = Access::Programme(Capability::EditEnterprises);
    let lots_access = Access::Programme(Capability::ManageOpportunities);
    let e = "/p/{programme}/enterprise";
    let mut r = vec![
        page(Method::GET, e, view, directory::directory_page),
        page(
            Method::GET,
            "/p/{programme}/enterprise/enterprises.csv",
            view,
            directory::directory_csv,
        ),
        page(Method::POST, e, edit, directory::add_page),
        page(
            Method::GET,
            "/p/{programme}/enterprise/enterprises/{organisation_id}",
            view,
            profile::detail_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/profile",
            edit,
            profile::profile_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/profile",
            edit,
            profile::profile_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/support",
            edit,
            profile::support_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/enterprises/{organisation_id}/income",
            edit,
            profile::income_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/consortia",
            view,
            consortia::consortia_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/consortia",
            edit,
            consortia::consortium_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/consortia/{consortium_id}/bids",
            edit,
            consortia::bid_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/gaps",
            view,
            gaps::gaps_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/lots",
            view,
            lots::lots_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/lots.csv",
            view,
            lots::lots_csv,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/lots/import",
            lots_access,
            lots::lots_import,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/lots/ocds",
            lots_access,
            lots::lots_ocds,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/lots/new",
            lots_access,
            lots::lot_new,
        ),
        page(
            Method::POST,
            "/p/{programme}/enterprise/lots",
            lots_access,
            lots::lot_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/enterprise/lots/{lot_id}",
            view,
            lots::lot_page,
        ),
    ];
    r.push(page(
        Method::GET,
        "/p/{programme}/enterprise/grants",
        view,
        grants::grants_page,
    ));
    r.push(page(
        Method::POST,
        "/p/{programme}/enterprise/grants",
        edit,
        grants::grants_import,
    ));
    r.extend(grants_api::routes());
    r.extend(directory_import::routes());
    r.extend(duplicates::routes());
    r.extend(duplicates_api::routes());
    r.extend(api::routes());
    r.extend(api_consortia::routes());
    r
}
