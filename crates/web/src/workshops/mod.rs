//! Co-learning workshops on the web: the list, one workshop (plan, harvest,
//! guest links), the synthesis, the printable summary, the lineage of
//! replications, the guest's note form (public: its link's secret is the
//! right) and the same through the JSON API (`api`).

pub mod api;
pub mod guest;
pub mod lineage;
pub mod list;
pub mod synthesis;
pub mod view;
pub mod workshop;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

/// Who may use the workshop routes.
pub struct Levels {
    pub view: Access,
    pub organise: Access,
    /// A guest with a link: no account; the app checks the link.
    pub guest: Access,
}

pub fn levels() -> Levels {
    Levels {
        view: Access::Programme(Capability::ViewWorkshops),
        organise: Access::Programme(Capability::OrganiseWorkshops),
        guest: Access::Public,
    }
}

pub fn routes() -> Vec<Route> {
    let Levels {
        view,
        organise,
        guest,
    } = levels();
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}/workshops",
            view,
            list::list_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops",
            organise,
            list::create,
        ),
        page(
            Method::GET,
            "/p/{programme}/workshops/lineage",
            view,
            lineage::lineage_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/lineage",
            organise,
            lineage::lineage_add,
        ),
        page(
            Method::GET,
            "/p/{programme}/workshops/{workshop_id}",
            view,
            workshop::workshop_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}",
            organise,
            workshop::update,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}/notes",
            organise,
            workshop::note_add,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}/links",
            organise,
            workshop::link_open,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}/links/{link_id}/revoke",
            organise,
            workshop::link_revoke,
        ),
        page(
            Method::GET,
            "/p/{programme}/workshops/{workshop_id}/synthesis",
            organise,
            synthesis::synthesis_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}/synthesis",
            organise,
            synthesis::synthesis_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}/actions",
            organise,
            synthesis::action_add,
        ),
        page(
            Method::POST,
            "/p/{programme}/workshops/{workshop_id}/actions/{action_id}/remove",
            organise,
            synthesis::action_remove,
        ),
        page(
            Method::GET,
            "/p/{programme}/workshops/{workshop_id}/summary",
            view,
            synthesis::summary_page,
        ),
        page(
            Method::GET,
            "/guest/workshops/{guest_token}",
            guest,
            guest::guest_page,
        ),
        page(
            Method::POST,
            "/guest/workshops/{guest_token}",
            guest,
            guest::guest_note,
        ),
    ];
    r.extend(api::routes());
    r
}
