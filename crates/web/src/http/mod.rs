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
