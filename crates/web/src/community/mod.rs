//! Communities and their CED plans on the web: the list (with each plan's
//! status and progress), a community's page, its printable plan, the forms
//! to add and change a community (its area and members), its plan and its
//! actions — all plain forms that work without JavaScript — and the same
//! through the JSON API (`api`).

pub mod api;
pub mod asset_form;
pub mod assets;
pub mod edit;
pub mod list;
pub mod page;
pub mod plan;
pub mod view;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

/// Who may use the community routes. `edit` lets a role in; the app then
/// narrows it to the communities the caller is a member of.
pub struct Levels {
    pub view: Access,
    pub edit: Access,
    pub manage: Access,
}

pub fn levels() -> Levels {
    Levels {
        view: Access::Programme(Capability::ViewCommunities),
        edit: Access::Programme(Capability::EditCommunityPlans),
        manage: Access::Programme(Capability::ManageCommunities),
    }
}

pub fn routes() -> Vec<Route> {
    let Levels { view, edit, manage } = levels();
    let c = "/p/{programme}/communities/{community_id}";
    let a = "/p/{programme}/communities/assets";
    let one = "/p/{programme}/communities/assets/{asset_id}";
    let mut r = vec![
        page(Method::GET, a, view, assets::list_page),
        page(Method::POST, a, edit, asset_form::create),
        page(
            Method::GET,
            "/p/{programme}/communities/assets.csv",
            manage,
            assets::export,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/assets/map",
            view,
            assets::map_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/assets/hsds.json",
            view,
            assets::hsds_json,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/assets/hsds.zip",
            view,
            assets::hsds_zip_file,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/assets/new",
            edit,
            asset_form::new_form,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/assets/import",
            manage,
            assets::import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities/assets/import",
            manage,
            assets::import,
        ),
        page(Method::GET, one, view, asset_form::asset_page),
        page(Method::POST, one, edit, asset_form::update),
        page(
            Method::GET,
            "/p/{programme}/communities/assets/{asset_id}/edit",
            edit,
            asset_form::edit_form,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities",
            view,
            list::list_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities",
            manage,
            list::create,
        ),
        page(Method::GET, c, view, page::community_page),
        page(Method::POST, c, manage, edit::update),
        page(
            Method::GET,
            "/p/{programme}/communities/{community_id}/print",
            view,
            page::print_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/{community_id}/edit",
            manage,
            edit::edit_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities/{community_id}/members",
            manage,
            edit::member_add,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities/{community_id}/members/{user_id}/remove",
            manage,
            edit::member_remove,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/{community_id}/plan",
            edit,
            plan::plan_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities/{community_id}/plan",
            edit,
            plan::plan_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities/{community_id}/actions",
            edit,
            plan::action_add,
        ),
        page(
            Method::GET,
            "/p/{programme}/communities/{community_id}/actions/{action_id}",
            edit,
            plan::action_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/communities/{community_id}/actions/{action_id}",
            edit,
            plan::action_save,
        ),
    ];
    r.extend(api::routes());
    r
}
