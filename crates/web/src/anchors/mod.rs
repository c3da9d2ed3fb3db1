//! The anchors context on the web: where each anchor's money lands (the
//! dashboard), the lines behind every figure, importing spend files, the
//! supplier review queue, anchors and the programme's spend settings; and
//! the same through the JSON API (`api`). One module per resource; what
//! pages and API share is in `useit_app`, `csv` and `view`.

pub mod anchor;
pub mod api;
pub mod csv;
pub mod dashboard;
pub mod import;
pub mod lines;
pub mod settings;
pub mod suppliers;
pub mod view;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageSpend);
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}/spend",
            view,
            dashboard::dashboard_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/lines",
            view,
            lines::lines_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/lines.csv",
            view,
            lines::lines_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/suppliers",
            view,
            suppliers::suppliers_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/suppliers.csv",
            view,
            suppliers::suppliers_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/suppliers/{supplier}",
            view,
            suppliers::supplier_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/suppliers/{supplier}",
            manage,
            suppliers::decide_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/import",
            manage,
            import::import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/import",
            manage,
            import::import,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/import/{job}",
            manage,
            import::import_job,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/anchors/new",
            manage,
            anchor::anchor_new,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/anchors/{anchor}/edit",
            manage,
            anchor::anchor_edit,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/anchors",
            manage,
            anchor::anchor_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/spend/settings",
            manage,
            settings::settings_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/spend/settings",
            manage,
            settings::settings_save,
        ),
    ];
    r.extend(api::routes());
    r
}
