//! Deployment administration: programmes (tenants) and accounts, on pages
//! and through the JSON API (`api`). A deployment administrator manages
//! these but sees a programme's data only through a membership of it. The
//! use cases are `useit_app::programme::programmes` and
//! `useit_app::auth::users`.

pub mod api;
pub mod locale;
pub mod programmes;
pub mod users;
pub mod view;

use axum::http::Method;

use crate::http::ctx::Access;
use crate::http::route::{Route, page};

pub fn routes() -> Vec<Route> {
    let a = Access::Admin;
    let mut r = vec![
        page(Method::GET, "/admin", a, programmes::programmes),
        page(
            Method::GET,
            "/admin/programmes/new",
            a,
            programmes::new_programme_form,
        ),
        page(
            Method::POST,
            "/admin/programmes",
            a,
            programmes::create_programme,
        ),
        page(
            Method::GET,
            "/admin/programmes/{slug}/locale",
            a,
            locale::locale_form,
        ),
        page(
            Method::POST,
            "/admin/programmes/{slug}/locale",
            a,
            locale::save_locale,
        ),
        page(Method::GET, "/admin/users", a, users::users),
        page(Method::GET, "/admin/users/new", a, users::new_user_form),
        page(Method::POST, "/admin/users", a, users::create_user),
        page(
            Method::POST,
            "/admin/users/{user_id}/disable",
            a,
            users::disable_user,
        ),
        page(
            Method::POST,
            "/admin/users/{user_id}/enable",
            a,
            users::enable_user,
        ),
    ];
    r.extend(api::routes());
    r
}
