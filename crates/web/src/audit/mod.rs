//! The audit log on the web: a programme's (for its administrators) and the
//! whole deployment's (for deployment administrators), on pages (`log`) and
//! through the JSON API (`api`). Filterable, paged, and downloadable;
//! looking at it is itself recorded (`useit_app::audit`).

pub mod api;
pub mod log;
pub mod view;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::ctx::Access;
use crate::http::route::{Route, api as api_route, page};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewAudit);
    vec![
        page(
            Method::GET,
            "/p/{programme}/audit",
            view,
            log::programme_log,
        ),
        page(
            Method::GET,
            "/p/{programme}/audit.csv",
            view,
            log::programme_csv,
        ),
        page(
            Method::GET,
            "/admin/audit",
            Access::Admin,
            log::deployment_log,
        ),
        page(
            Method::GET,
            "/admin/audit.csv",
            Access::Admin,
            log::deployment_csv,
        ),
        api_route(
            Method::GET,
            "/api/v1/programmes/{programme}/audit",
            view,
            api::api_programme_log,
        ),
        api_route(
            Method::GET,
            "/api/v1/admin/audit",
            Access::Admin,
            api::api_deployment_log,
        ),
    ]
}
