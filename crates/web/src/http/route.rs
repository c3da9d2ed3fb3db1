//! A route as a context declares it: method, path, the access it needs and
//! whether it serves people or programs. Contexts build their lists of
//! routes from these; `crate::routes` puts them into one table and guards
//! each, so a route cannot exist without an access rule.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use useit_core::auth::Capability;

use crate::state::AppState;

/// Whether a route serves people (HTML) or programs (JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Page,
    Api,
}

/// What a route requires of the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A deployment administrator (signed in through the web).
    Admin,
    /// A member of the programme in the path, whose role has the capability.
    Programme(Capability),
}

/// One entry of the route table.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub surface: Surface,
    pub(crate) handler: MethodRouter<AppState>,
}

/// What the table says about a route, without its handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub surface: Surface,
}

fn filter(m: &Method) -> MethodFilter {
    MethodFilter::try_from(m.clone()).expect("standard method")
}

/// A page route.
pub fn page<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    Route {
        handler: on(filter(&method), handler),
        method,
        path,
        access,
        surface: Surface::Page,
    }
}

/// An API route.
pub fn api<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    Route {
        handler: on(filter(&method), handler),
        method,
        path,
        access,
        surface: Surface::Api,
    }
}
