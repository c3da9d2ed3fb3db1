//! What every context's pages and API handlers share: the request's
//! context ([`ctx::Ctx`]), the one error type and its two renderings, route
//! declarations, forms, page layout and lists, charts and maps. A context
//! imports from here and from `useit_app`, never from `crate::routes` or
//! another context.

pub mod charts;
pub mod ctx;
pub mod error;
pub mod forms;
pub mod map;
pub mod route;
pub mod saved_filters;
pub mod text;
pub mod views;

/// An address on the host the person is using, for a link they pass on to
/// someone else (a guest link, an invitation): `https` when the deployment
/// says its cookies are secure, as it then runs behind TLS.
pub fn link_on_this_host(
    config: &crate::state::Config,
    headers: &axum::http::HeaderMap,
    path: &str,
) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{path}")
}
